//! The overview: what was loaded, the period it covers, and the session totals.

use super::NO_DOMAIN;
use crate::ingest::{InputCounts, ReportSet};
use chrono::{DateTime, Utc};
use serde::Serialize;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Overview {
    pub inputs: InputCounts,
    pub reports: usize,
    /// The earliest start and the latest end of the reports' date ranges.
    pub first_start: Option<DateTime<Utc>>,
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

pub(super) fn overview(set: &ReportSet, counted: &[Vec<bool>]) -> Overview {
    let mut domains = BTreeSet::new();
    let mut organizations = BTreeSet::new();
    let (mut successful, mut failed, mut counted_once) = (0u64, 0u64, 0u64);
    let (mut first_start, mut last_end) = (None, None);
    let mut zone_assumed = 0;
    for (loaded, counted) in set.reports.iter().zip(counted) {
        let report = &loaded.report;
        organizations.insert(
            report
                .organization_name
                .clone()
                .unwrap_or_else(|| "(unnamed)".to_string()),
        );
        for (entry, &is_counted) in report.policies.iter().zip(counted) {
            domains.insert(
                entry
                    .policy_domain
                    .clone()
                    .unwrap_or_else(|| NO_DOMAIN.into()),
            );
            if is_counted {
                successful = successful.saturating_add(entry.successful_sessions);
                failed = failed.saturating_add(entry.failed_sessions);
            } else {
                counted_once = counted_once.saturating_add(entry.total_sessions());
            }
        }
        if let Some(start) = report.start.as_ref().and_then(|t| t.utc) {
            first_start = Some(first_start.map_or(start, |f: DateTime<Utc>| f.min(start)));
        }
        if let Some(end) = report.end.as_ref().and_then(|t| t.utc) {
            last_end = Some(last_end.map_or(end, |l: DateTime<Utc>| l.max(end)));
        }
        if [&report.start, &report.end]
            .iter()
            .any(|t| t.as_ref().is_some_and(|t| t.zone_assumed))
        {
            zone_assumed += 1;
        }
    }
    Overview {
        inputs: set.counts(),
        reports: set.reports.len(),
        first_start,
        last_end,
        policy_domains: domains.into_iter().collect(),
        organizations: organizations.into_iter().collect(),
        successful_sessions: successful,
        failed_sessions: failed,
        sessions_counted_once: counted_once,
        reports_with_zone_assumed: zone_assumed,
    }
}
