//! The overview: what was loaded, the period it covers, and the session totals.

use super::select::Selected;
use super::{domain_key, NO_DOMAIN};
use crate::ingest::InputCounts;
use crate::report::Name;
use crate::text::add_counts;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Overview {
    pub inputs: InputCounts,
    pub reports: usize,
    /// The earliest start and the latest end of the reports' date ranges.
    #[serde(default, with = "crate::report::instant")]
    pub first_start: Option<DateTime<Utc>>,
    #[serde(default, with = "crate::report::instant")]
    pub last_end: Option<DateTime<Utc>>,
    pub policy_domains: Vec<String>,
    pub organizations: Vec<String>,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    /// Sessions reported twice (under tlsa and sts) and counted once.
    pub sessions_counted_once: u64,
    /// Reports with timestamps that had no time zone and were read as UTC.
    pub reports_with_zone_assumed: usize,
}

/// The overview's figures, kept up to date one report at a time.
#[derive(Debug, Clone, Default)]
pub struct OverviewTally {
    reports: usize,
    domains: BTreeSet<Name>,
    organizations: BTreeSet<Name>,
    successful: u64,
    failed: u64,
    counted_once: u64,
    first_start: Option<DateTime<Utc>>,
    last_end: Option<DateTime<Utc>>,
    zone_assumed: usize,
}

impl OverviewTally {
    pub fn add(&mut self, selected: &Selected<'_>) {
        let report = &selected.loaded.report;
        self.reports += 1;
        let organization = report.organization_name.as_deref().unwrap_or("(unnamed)");
        if !self.organizations.contains(organization) {
            let name = report.organization_name.clone();
            self.organizations
                .insert(name.unwrap_or_else(|| Name::from(organization)));
        }
        for entry in &selected.entries {
            let domain = entry.entry.policy_domain.as_deref().unwrap_or(NO_DOMAIN);
            if !self.domains.contains(domain) {
                self.domains.insert(domain_key(entry.entry.as_ref()));
            }
            if entry.counted {
                self.successful = add_counts(self.successful, entry.entry.successful_sessions);
                self.failed = add_counts(self.failed, entry.entry.failed_sessions);
            } else {
                self.counted_once = add_counts(self.counted_once, entry.entry.total_sessions());
            }
        }
        if let Some(start) = report.start.as_ref().and_then(|t| t.utc) {
            self.first_start = Some(self.first_start.map_or(start, |f| f.min(start)));
        }
        if let Some(end) = report.end.as_ref().and_then(|t| t.utc) {
            self.last_end = Some(self.last_end.map_or(end, |l| l.max(end)));
        }
        if [&report.start, &report.end]
            .iter()
            .any(|t| t.as_ref().is_some_and(|t| t.zone_assumed))
        {
            self.zone_assumed += 1;
        }
    }

    pub fn overview(&self, inputs: InputCounts) -> Overview {
        Overview {
            inputs,
            reports: self.reports,
            first_start: self.first_start,
            last_end: self.last_end,
            policy_domains: self.domains.iter().map(String::from).collect(),
            organizations: self.organizations.iter().map(String::from).collect(),
            successful_sessions: self.successful,
            failed_sessions: self.failed,
            sessions_counted_once: self.counted_once,
            reports_with_zone_assumed: self.zone_assumed,
        }
    }
}
