//! The view per result: for each policy domain and policy type, the sessions that succeeded
//! and failed, and the failures by result type.

use super::domain_key;
use super::select::Selected;
use super::tally::{push_report, report_list, TypeCount, TypeTally};
use super::RowOrder;
use crate::analysis::sorting::{map_of, sort_by};
use crate::report::Name;
use crate::text::add_counts;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ResultRow {
    pub policy_domain: String,
    pub policy_type: String,
    pub successful_sessions: u64,
    /// As the reports' summaries give it.
    pub failed_sessions: u64,
    /// From the failure details.
    pub failures_by_type: Vec<TypeCount>,
    /// Failed sessions in the summaries that no failure detail accounts for.
    pub unitemised_failures: u64,
    /// Failure-detail sessions beyond what the summaries count (Mail.ru sends these).
    pub excess_itemised_failures: u64,
    /// Sessions of this row that the totals count under the other policy type.
    pub sessions_counted_elsewhere: u64,
    /// How many reports are behind the row (the list may be left out on the way to the page).
    pub report_count: usize,
    /// The reports behind the row (indices into the report set).
    pub reports: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
struct Accumulator {
    successful: u64,
    failed: u64,
    tally: TypeTally,
    unitemised: u64,
    excess: u64,
    counted_elsewhere: u64,
    reports: Vec<usize>,
}

/// The rows per result (by domain, then policy type), kept up to date one report at a time.
#[derive(Debug, Clone, Default)]
pub struct PerResultTally(BTreeMap<Name, BTreeMap<String, Accumulator>>);

impl PerResultTally {
    pub fn add(&mut self, selected: &Selected<'_>) {
        for selected_entry in &selected.entries {
            let entry = selected_entry.entry.as_ref();
            let policy_type = entry.policy_type.as_str();
            let types = self.0.entry(domain_key(entry)).or_default();
            if !types.contains_key(policy_type) {
                types.insert(policy_type.to_string(), Accumulator::default());
            }
            let Some(row) = types.get_mut(policy_type) else {
                continue;
            };
            row.successful = add_counts(row.successful, entry.successful_sessions);
            row.failed = add_counts(row.failed, entry.failed_sessions);
            row.tally.add_details(entry);
            let itemised = entry.itemised_failures();
            row.unitemised = add_counts(
                row.unitemised,
                entry.failed_sessions.saturating_sub(itemised),
            );
            row.excess = add_counts(row.excess, entry.excess_itemised_failures());
            if !selected_entry.counted {
                row.counted_elsewhere = add_counts(row.counted_elsewhere, entry.total_sessions());
            }
            push_report(&mut row.reports, selected.report_index);
        }
    }

    /// The rows; with `lists`, each with the reports behind it (else only their number).
    pub fn rows(&self, lists: bool) -> Vec<ResultRow> {
        self.0
            .iter()
            .flat_map(|(domain, types)| types.iter().map(move |(kind, row)| (domain, kind, row)))
            .map(|(policy_domain, policy_type, row)| ResultRow {
                policy_domain: policy_domain.to_string(),
                policy_type: policy_type.clone(),
                successful_sessions: row.successful,
                failed_sessions: row.failed,
                failures_by_type: row.tally.sorted(),
                unitemised_failures: row.unitemised,
                excess_itemised_failures: row.excess,
                sessions_counted_elsewhere: row.counted_elsewhere,
                report_count: row.reports.len(),
                reports: report_list(lists, &row.reports),
            })
            .collect()
    }
}

impl PerResultTally {
    /// The number of reports behind each domain: those of its rows, each report once (a
    /// report with a tlsa and an sts policy is in two rows). The lists are sorted, so merging
    /// them counts without copying.
    pub fn domain_report_counts(&self) -> BTreeMap<String, usize> {
        map_of(self.0.iter().map(|(domain, types)| {
            let lists: Vec<&[usize]> = types.values().map(|row| row.reports.as_slice()).collect();
            (domain.to_string(), distinct_in_sorted(&lists))
        }))
    }
}

/// How many distinct values the sorted lists hold together.
fn distinct_in_sorted(lists: &[&[usize]]) -> usize {
    let mut positions = vec![0usize; lists.len()];
    let mut count = 0;
    loop {
        let next = lists
            .iter()
            .zip(&positions)
            .filter_map(|(list, &at)| list.get(at))
            .min()
            .copied();
        let Some(value) = next else {
            return count;
        };
        count += 1;
        for (list, at) in lists.iter().zip(positions.iter_mut()) {
            if list.get(*at) == Some(&value) {
                *at += 1;
            }
        }
    }
}
/// Sorts rows by a column of the table by result (0 domain, 1 policy type, 2 successful,
/// 3 failed, 4 success rate, 5 failures by type, 6 reports), stably: the worker sorts every
/// row, so that the first page shown is the first of all.
pub fn sort_result_rows(rows: &mut [ResultRow], order: RowOrder<ResultColumn>) {
    let number = |row: &ResultRow| -> u64 {
        match order.column {
            ResultColumn::Successful => row.successful_sessions,
            ResultColumn::Failed => row.failed_sessions,
            ResultColumn::Failures => row
                .failures_by_type
                .iter()
                .fold(0, |sum, t| add_counts(sum, t.sessions)),
            _ => row.report_count as u64,
        }
    };
    sort_by(rows, |a, b| {
        let by = match order.column {
            ResultColumn::PolicyDomain => a.policy_domain.cmp(&b.policy_domain),
            ResultColumn::PolicyType => a.policy_type.cmp(&b.policy_type),
            // Rates compared exactly (a row without sessions counts as 0%).
            ResultColumn::SuccessRate => super::compare_rates(
                (a.successful_sessions, a.failed_sessions),
                (b.successful_sessions, b.failed_sessions),
            ),
            _ => number(a).cmp(&number(b)),
        };
        super::directed(by, order.descending)
    });
}

/// The columns of the table by result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResultColumn {
    PolicyDomain,
    PolicyType,
    Successful,
    Failed,
    SuccessRate,
    Failures,
    Reports,
}

#[cfg(test)]
mod sorting {
    use super::*;

    fn row(domain: &str, successful: u64, failed: u64) -> ResultRow {
        ResultRow {
            policy_domain: domain.into(),
            policy_type: "sts".into(),
            successful_sessions: successful,
            failed_sessions: failed,
            failures_by_type: Vec::new(),
            unitemised_failures: 0,
            excess_itemised_failures: 0,
            sessions_counted_elsewhere: 0,
            report_count: 1,
            reports: Vec::new(),
        }
    }

    #[test]
    fn rows_sort_by_any_column_either_way() {
        let mut rows = vec![
            row("b", 1, 1),
            row("c", 99, 1),
            row("a", 0, 0),
            row("d", 990, 10),
        ];
        let names = |rows: &[ResultRow]| {
            rows.iter()
                .map(|r| r.policy_domain.clone())
                .collect::<Vec<_>>()
        };
        sort_result_rows(&mut rows, RowOrder::new(ResultColumn::SuccessRate, false));
        assert_eq!(
            names(&rows),
            ["a", "b", "c", "d"],
            "0%, 50%, 99%, 99% (stable)"
        );
        sort_result_rows(&mut rows, RowOrder::new(ResultColumn::Failed, true));
        assert_eq!(names(&rows), ["d", "b", "c", "a"]);
        sort_result_rows(&mut rows, RowOrder::new(ResultColumn::PolicyDomain, false));
        assert_eq!(names(&rows), ["a", "b", "c", "d"]);
        sort_result_rows(&mut rows, RowOrder::new(ResultColumn::Successful, true));
        assert_eq!(names(&rows), ["d", "c", "b", "a"]);
    }
}
