//! The timeline: sessions per day (the UTC day each report's period starts), successful and
//! failed, with the failures by result type, for all domains together and for each domain.

use super::select::{Selected, Selector};
use super::tally::{push_report, report_list, TypeCount, TypeTally};
use super::{Filter, NO_DOMAIN};
use crate::ingest::ReportSet;
use crate::report::PolicyEntry;
use crate::text::add_counts;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub report_count: usize,
    /// The reports behind the day (indices into the report set).
    pub reports: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
struct Day {
    successful: u64,
    failed: u64,
    tally: TypeTally,
    unitemised: u64,
    reports: Vec<usize>,
}

/// Adds the entry to the day's row, made on first use (no new key string on every lookup).
fn add_to(days: &mut BTreeMap<String, Day>, day: &str, entry: &PolicyEntry, report_index: usize) {
    if let Some(row) = days.get_mut(day) {
        row.add(entry, report_index);
    } else {
        let mut row = Day::default();
        row.add(entry, report_index);
        days.insert(day.to_string(), row);
    }
}

impl Day {
    fn add(&mut self, entry: &PolicyEntry, report_index: usize) {
        self.successful = add_counts(self.successful, entry.successful_sessions);
        self.failed = add_counts(self.failed, entry.failed_sessions);
        self.tally.add_details(entry);
        self.unitemised = add_counts(
            self.unitemised,
            entry
                .failed_sessions
                .saturating_sub(entry.itemised_failures()),
        );
        push_report(&mut self.reports, report_index);
    }
}

/// The days of all domains together and of each domain, kept up to date one report at a time.
#[derive(Debug, Clone, Default)]
pub struct PerDayTally {
    all: BTreeMap<String, Day>,
    by_domain: BTreeMap<String, BTreeMap<String, Day>>,
}

impl PerDayTally {
    /// Reports without a date are left out (the overview counts them).
    pub fn add(&mut self, selected: &Selected<'_>) {
        let Some(day) = selected.loaded.day.as_deref() else {
            return;
        };
        for entry in selected.counted() {
            let domain = entry.policy_domain.as_deref().unwrap_or(NO_DOMAIN);
            if !self.by_domain.contains_key(domain) {
                self.by_domain.insert(domain.to_string(), BTreeMap::new());
            }
            add_to(&mut self.all, day, entry, selected.report_index);
            if let Some(days) = self.by_domain.get_mut(domain) {
                add_to(days, day, entry, selected.report_index);
            }
        }
    }

    /// The days of one domain, or of all domains when `domain` is None; with `lists`, each
    /// with the reports behind it (else only their number).
    pub fn rows(&self, domain: Option<&str>, lists: bool) -> Vec<DayRow> {
        let days = match domain {
            None => Some(&self.all),
            Some(domain) => self.by_domain.get(&crate::report::names::host_name(domain)),
        };
        days.into_iter()
            .flatten()
            .map(|(day, row)| DayRow {
                day: day.clone(),
                successful_sessions: row.successful,
                failed_sessions: row.failed,
                failures_by_type: row.tally.sorted(),
                unitemised_failures: row.unitemised,
                report_count: row.reports.len(),
                reports: report_list(lists, &row.reports),
            })
            .collect()
    }
}

/// The days of one domain, or of all domains when `domain` is None, over a whole set.
pub fn per_day(set: &ReportSet, domain: Option<&str>) -> Vec<DayRow> {
    let selector = Selector::new(&Filter::default());
    let mut tally = PerDayTally::default();
    for (index, loaded) in set.reports.iter().enumerate() {
        if let Some(selected) = selector.select(index, loaded) {
            tally.add(&selected);
        }
    }
    tally.rows(domain, true)
}
