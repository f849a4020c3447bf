//! The timeline: sessions per day (the UTC day each report's period starts), successful and
//! failed, with the failures by result type, for all domains together and for each domain.

use super::tally::{TypeCount, TypeTally};
use super::{counted_entries, NO_DOMAIN};
use crate::analysis::format::day;
use crate::ingest::ReportSet;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct DayRow {
    /// "2026-11-01".
    pub day: String,
    pub successful_sessions: u64,
    /// As the summaries give it (with the counting rule applied).
    pub failed_sessions: u64,
    /// From the failure details of the counted entries.
    pub failures_by_type: Vec<TypeCount>,
    /// Failed sessions that no failure detail accounts for.
    pub unitemised_failures: u64,
    /// The reports behind the day (indices into the report set).
    pub reports: Vec<usize>,
}

/// The days of one domain, or of all domains when `domain` is None. Reports without a date
/// are left out (the overview counts them).
pub fn per_day(set: &ReportSet, domain: Option<&str>) -> Vec<DayRow> {
    let counted: Vec<Vec<bool>> = set
        .reports
        .iter()
        .map(|loaded| counted_entries(&loaded.report))
        .collect();
    per_day_counted(set, &counted, domain)
}

/// [`per_day`], with the counting rule already applied to every report.
pub(super) fn per_day_counted(
    set: &ReportSet,
    counted: &[Vec<bool>],
    domain: Option<&str>,
) -> Vec<DayRow> {
    #[derive(Default)]
    struct Day {
        successful: u64,
        failed: u64,
        tally: TypeTally,
        unitemised: u64,
        reports: Vec<usize>,
    }
    let mut days: BTreeMap<String, Day> = BTreeMap::new();
    for (index, (loaded, counted)) in set.reports.iter().zip(counted).enumerate() {
        let Some(start) = loaded.report.start.as_ref().and_then(|t| t.utc) else {
            continue;
        };
        for (entry, _) in loaded
            .report
            .policies
            .iter()
            .zip(counted)
            .filter(|(_, c)| **c)
        {
            let entry_domain = entry.policy_domain.as_deref().unwrap_or(NO_DOMAIN);
            if domain.is_some_and(|wanted| !wanted.eq_ignore_ascii_case(entry_domain)) {
                continue;
            }
            let row = days.entry(day(start)).or_default();
            row.successful = row.successful.saturating_add(entry.successful_sessions);
            row.failed = row.failed.saturating_add(entry.failed_sessions);
            for detail in &entry.failure_details {
                row.tally
                    .add(&detail.result_type, detail.failed_session_count);
            }
            row.unitemised += entry
                .failed_sessions
                .saturating_sub(entry.itemised_failures());
            if row.reports.last() != Some(&index) {
                row.reports.push(index);
            }
        }
    }
    days.into_iter()
        .map(|(day, row)| DayRow {
            day,
            successful_sessions: row.successful,
            failed_sessions: row.failed,
            failures_by_type: row.tally.into_sorted(),
            unitemised_failures: row.unitemised,
            reports: row.reports,
        })
        .collect()
}
