//! The view per sending source: for each reporting organisation, its sessions, and for each
//! sending MTA IP it names, the failures by result type and the receiving MX hosts involved.
//! RFC 8460 gives successful sessions only per policy, not per IP, so successes appear on the
//! organisation, failures on the IPs.

use super::tally::{TypeCount, TypeTally};
use crate::ingest::ReportSet;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SourceGroup {
    pub organization: String,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    /// One row per sending MTA IP named in the failure details, most failures first.
    pub sources: Vec<SourceRow>,
    pub reports: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct SourceRow {
    /// `None` for failure details without `sending-mta-ip` (Microsoft, Mail.ru omit it).
    pub sending_ip: Option<String>,
    pub failed_sessions: u64,
    pub failures_by_type: Vec<TypeCount>,
    pub receiving_mx_hosts: Vec<String>,
    pub policy_domains: Vec<String>,
    pub reports: Vec<usize>,
}

#[derive(Default)]
struct GroupAccumulator {
    successful: u64,
    failed: u64,
    sources: BTreeMap<Option<String>, SourceAccumulator>,
    reports: Vec<usize>,
}

#[derive(Default)]
struct SourceAccumulator {
    failed: u64,
    tally: TypeTally,
    mx_hosts: BTreeSet<String>,
    domains: BTreeSet<String>,
    reports: BTreeSet<usize>,
}

pub(super) fn per_source(set: &ReportSet, counted: &[Vec<bool>]) -> Vec<SourceGroup> {
    let mut groups: BTreeMap<String, GroupAccumulator> = BTreeMap::new();
    for (index, (loaded, counted)) in set.reports.iter().zip(counted).enumerate() {
        let report = &loaded.report;
        let organization = report
            .organization_name
            .clone()
            .unwrap_or_else(|| "(unnamed)".to_string());
        let group = groups.entry(organization).or_default();
        group.reports.push(index);
        for (entry, _) in report.policies.iter().zip(counted).filter(|(_, c)| **c) {
            group.successful = group.successful.saturating_add(entry.successful_sessions);
            group.failed = group.failed.saturating_add(entry.failed_sessions);
            for detail in &entry.failure_details {
                let source = group
                    .sources
                    .entry(detail.sending_mta_ip.clone())
                    .or_default();
                source.failed = source.failed.saturating_add(detail.failed_session_count);
                source
                    .tally
                    .add(&detail.result_type, detail.failed_session_count);
                source.mx_hosts.extend(detail.receiving_mx_hostname.clone());
                source.domains.extend(entry.policy_domain.clone());
                source.reports.insert(index);
            }
        }
    }
    groups
        .into_iter()
        .map(|(organization, group)| {
            let mut sources: Vec<SourceRow> = group
                .sources
                .into_iter()
                .map(|(sending_ip, source)| SourceRow {
                    sending_ip,
                    failed_sessions: source.failed,
                    failures_by_type: source.tally.into_sorted(),
                    receiving_mx_hosts: source.mx_hosts.into_iter().collect(),
                    policy_domains: source.domains.into_iter().collect(),
                    reports: source.reports.into_iter().collect(),
                })
                .collect();
            sources.sort_by_key(|source| std::cmp::Reverse(source.failed_sessions));
            SourceGroup {
                organization,
                successful_sessions: group.successful,
                failed_sessions: group.failed,
                sources,
                reports: group.reports,
            }
        })
        .collect()
}
