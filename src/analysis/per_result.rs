//! The view per result: for each policy domain and policy type, the sessions that succeeded
//! and failed, and the failures by result type.

use super::tally::{TypeCount, TypeTally};
use super::NO_DOMAIN;
use crate::ingest::ReportSet;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
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
    /// The reports behind the row (indices into the report set).
    pub reports: Vec<usize>,
}

#[derive(Default)]
struct Accumulator {
    successful: u64,
    failed: u64,
    itemised: u64,
    tally: TypeTally,
    unitemised: u64,
    excess: u64,
    counted_elsewhere: u64,
    reports: Vec<usize>,
}

pub(super) fn per_result(set: &ReportSet, counted: &[Vec<bool>]) -> Vec<ResultRow> {
    let mut rows: BTreeMap<(String, String), Accumulator> = BTreeMap::new();
    for (index, (loaded, counted)) in set.reports.iter().zip(counted).enumerate() {
        for (entry, &is_counted) in loaded.report.policies.iter().zip(counted) {
            let key = (
                entry
                    .policy_domain
                    .clone()
                    .unwrap_or_else(|| NO_DOMAIN.into()),
                entry.policy_type.as_str().to_string(),
            );
            let row = rows.entry(key).or_default();
            row.successful = row.successful.saturating_add(entry.successful_sessions);
            row.failed = row.failed.saturating_add(entry.failed_sessions);
            for detail in &entry.failure_details {
                row.tally
                    .add(&detail.result_type, detail.failed_session_count);
            }
            let itemised = entry.itemised_failures();
            row.itemised = row.itemised.saturating_add(itemised);
            row.unitemised += entry.failed_sessions.saturating_sub(itemised);
            row.excess += itemised.saturating_sub(entry.failed_sessions);
            if !is_counted {
                row.counted_elsewhere += entry.total_sessions();
            }
            if row.reports.last() != Some(&index) {
                row.reports.push(index);
            }
        }
    }
    rows.into_iter()
        .map(|((policy_domain, policy_type), row)| ResultRow {
            policy_domain,
            policy_type,
            successful_sessions: row.successful,
            failed_sessions: row.failed,
            failures_by_type: row.tally.into_sorted(),
            unitemised_failures: row.unitemised,
            excess_itemised_failures: row.excess,
            sessions_counted_elsewhere: row.counted_elsewhere,
            reports: row.reports,
        })
        .collect()
}
