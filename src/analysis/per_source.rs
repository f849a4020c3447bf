//! The view per sending source: for each reporting organisation, its sessions, and for each
//! sending MTA IP it names, the failures by result type and the receiving MX hosts involved.
//! RFC 8460 gives successful sessions only per policy, not per IP, so successes appear on the
//! organisation, failures on the IPs.

use super::select::Selected;
use super::tally::{push_report, report_list, TypeCount, TypeTally};
use crate::analysis::sorting::{sort_by, sort_by_key};
use crate::report::Name;
use crate::text::{add_counts, Day};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SourceGroup {
    pub organization: String,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    /// One row per sending MTA IP named in the failure details, most failures first.
    pub sources: Vec<SourceRow>,
    /// Rows per IP in all, and the failed sessions their failure details count (the page may
    /// get only the first rows of `sources`).
    #[serde(default)]
    pub sources_total: usize,
    #[serde(default)]
    pub itemised_failed_sessions: u64,
    pub report_count: usize,
    pub reports: Vec<usize>,
    /// The first and last day its reports start on ("since when?").
    #[serde(default)]
    pub first_day: Option<Day>,
    #[serde(default)]
    pub last_day: Option<Day>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SourceRow {
    /// `None` for failure details without `sending-mta-ip` (Microsoft, Mail.ru omit it).
    pub sending_ip: Option<String>,
    pub failed_sessions: u64,
    pub failures_by_type: Vec<TypeCount>,
    pub receiving_mx_hosts: Vec<String>,
    pub policy_domains: Vec<String>,
    pub report_count: usize,
    pub reports: Vec<usize>,
    /// The first and last day of the reports that give a failure from it.
    #[serde(default)]
    pub first_day: Option<Day>,
    #[serde(default)]
    pub last_day: Option<Day>,
}

/// The first and last of the days seen, widened by `day`.
fn widen(days: &mut Option<(Day, Day)>, day: Option<Day>) {
    let Some(day) = day else { return };
    *days = Some(match *days {
        None => (day, day),
        Some((first, last)) => (first.min(day), last.max(day)),
    });
}

#[derive(Debug, Clone, Default)]
struct GroupAccumulator {
    successful: u64,
    failed: u64,
    sources: BTreeMap<Option<Name>, SourceAccumulator>,
    reports: Vec<usize>,
    days: Option<(Day, Day)>,
}

#[derive(Debug, Clone, Default)]
struct SourceAccumulator {
    failed: u64,
    tally: TypeTally,
    mx_hosts: BTreeSet<Name>,
    domains: BTreeSet<Name>,
    reports: Vec<usize>,
    days: Option<(Day, Day)>,
}

/// The groups per reporting organisation, kept up to date one report at a time.
#[derive(Debug, Clone, Default)]
pub struct PerSourceTally(BTreeMap<Name, GroupAccumulator>);

impl PerSourceTally {
    pub fn add(&mut self, selected: &Selected<'_>) {
        let report = &selected.loaded.report;
        let organization = report.organization_name.as_deref().unwrap_or("(unnamed)");
        if !self.0.contains_key(organization) {
            let name = match &report.organization_name {
                Some(name) => name.clone(),
                None => Name::from(organization),
            };
            self.0.insert(name, GroupAccumulator::default());
        }
        let Some(group) = self.0.get_mut(organization) else {
            return;
        };
        push_report(&mut group.reports, selected.report_index);
        let day = selected.loaded.day;
        widen(&mut group.days, day);
        for entry in selected.counted() {
            group.successful = add_counts(group.successful, entry.successful_sessions);
            group.failed = add_counts(group.failed, entry.failed_sessions);
            for detail in &entry.failure_details {
                // By address: one written two ways is one row.
                let ip = detail.sending_ip_key().cloned();
                if !group.sources.contains_key(&ip) {
                    group
                        .sources
                        .insert(ip.clone(), SourceAccumulator::default());
                }
                let Some(source) = group.sources.get_mut(&ip) else {
                    continue;
                };
                source.failed = add_counts(source.failed, detail.failed_session_count);
                source
                    .tally
                    .add(&detail.result_type, detail.failed_session_count);
                if let Some(mx) = &detail.receiving_mx_hostname {
                    if !source.mx_hosts.contains(mx) {
                        source.mx_hosts.insert(mx.clone());
                    }
                }
                if let Some(domain) = &entry.policy_domain {
                    if !source.domains.contains(domain) {
                        source.domains.insert(domain.clone());
                    }
                }
                push_report(&mut source.reports, selected.report_index);
                widen(&mut source.days, day);
            }
        }
    }

    /// The groups; with `lists`, each row with the reports behind it (else only their number).
    pub fn groups(&self, lists: bool) -> Vec<SourceGroup> {
        self.0
            .iter()
            .map(|(organization, group)| {
                let mut sources: Vec<SourceRow> = group
                    .sources
                    .iter()
                    .map(|(sending_ip, source)| SourceRow {
                        sending_ip: sending_ip.as_ref().map(String::from),
                        failed_sessions: source.failed,
                        failures_by_type: source.tally.sorted(),
                        receiving_mx_hosts: source.mx_hosts.iter().map(String::from).collect(),
                        policy_domains: source.domains.iter().map(String::from).collect(),
                        report_count: source.reports.len(),
                        reports: report_list(lists, &source.reports),
                        first_day: source.days.map(|(first, _)| first),
                        last_day: source.days.map(|(_, last)| last),
                    })
                    .collect();
                sort_by_key(&mut sources, |source| {
                    std::cmp::Reverse(source.failed_sessions)
                });
                SourceGroup {
                    organization: organization.to_string(),
                    successful_sessions: group.successful,
                    failed_sessions: group.failed,
                    sources_total: sources.len(),
                    itemised_failed_sessions: sources
                        .iter()
                        .fold(0, |sum, s| add_counts(sum, s.failed_sessions)),
                    sources,
                    report_count: group.reports.len(),
                    reports: report_list(lists, &group.reports),
                    first_day: group.days.map(|(first, _)| first),
                    last_day: group.days.map(|(_, last)| last),
                }
            })
            .collect()
    }
}

/// Sorts the rows of one organisation by a column of its table, stably: the worker sorts
/// every row, so that the first page shown is the first of all.
pub fn sort_source_rows(rows: &mut [SourceRow], order: super::RowOrder<SourceColumn>) {
    let number = |row: &SourceRow| -> u64 {
        match order.column {
            SourceColumn::Failed => row.failed_sessions,
            SourceColumn::Failures => row
                .failures_by_type
                .iter()
                .fold(0, |sum, t| add_counts(sum, t.sessions)),
            _ => row.report_count as u64,
        }
    };
    sort_by(rows, |a, b| {
        let by = match order.column {
            SourceColumn::SendingIp => a.sending_ip.cmp(&b.sending_ip),
            SourceColumn::MxHosts => a.receiving_mx_hosts.cmp(&b.receiving_mx_hosts),
            SourceColumn::PolicyDomains => a.policy_domains.cmp(&b.policy_domains),
            SourceColumn::FirstDay => a.first_day.cmp(&b.first_day),
            SourceColumn::LastDay => a.last_day.cmp(&b.last_day),
            _ => number(a).cmp(&number(b)),
        };
        super::directed(by, order.descending)
    });
}

/// The columns of an organisation's table of sending IPs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceColumn {
    SendingIp,
    Failed,
    Failures,
    MxHosts,
    PolicyDomains,
    Reports,
    FirstDay,
    LastDay,
}
