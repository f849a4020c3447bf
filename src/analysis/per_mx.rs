//! The view per receiving MX host: the domains it serves, the failures reported against it by
//! result type, the sending IPs and reporters that saw them, whether each domain's MTA-STS
//! policy names it (its `mx:` patterns, RFC 8461 section 4.1) and the TLSA records reported
//! for it. Reports count successful sessions per policy only, never per MX: this view counts
//! failures.

use super::domain_key;
use super::select::Selected;
use super::tally::{push_report, report_list, TypeCount, TypeTally};
use crate::analysis::sorting::{map_of, sort, sort_by};
use crate::report::policy_text::StsPolicy;
use crate::report::{Name, PolicyType};
use crate::text::add_counts;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One receiving MX host.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct MxRow {
    pub mx_host: String,
    /// The domains it serves: those whose failure details name it, or whose policy lists it.
    pub domains: Vec<MxDomain>,
    pub failed_sessions: u64,
    pub failures_by_type: Vec<TypeCount>,
    pub sending_ips: Vec<String>,
    pub reporters: Vec<String>,
    /// The TLSA records reported by policies that list this MX (`tlsa` entries' `mx-host`).
    pub tlsa_records: Vec<String>,
    pub report_count: usize,
    pub reports: Vec<usize>,
}

/// A domain an MX serves, and whether the domain's MTA-STS policies name the MX.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct MxDomain {
    pub domain: String,
    pub failed_sessions: u64,
    /// `None` when the senders saw no MTA-STS policy text for the domain; else whether every
    /// policy seen has an `mx:` pattern that matches the host.
    pub covered: Option<bool>,
    /// The `mx:` patterns of the policies seen.
    pub patterns: Vec<String>,
}

#[derive(Debug, Clone, Default)]
struct Accumulator {
    failed: u64,
    tally: TypeTally,
    domains: BTreeMap<Name, u64>,
    sending_ips: BTreeSet<Name>,
    reporters: BTreeSet<Name>,
    tlsa: BTreeSet<Name>,
    reports: Vec<usize>,
}

/// The rows per MX host, kept up to date one report at a time, and the distinct MTA-STS
/// policy texts the senders saw for each domain (whether a domain's policies name a host is
/// worked out from them, not from the diagnosis).
#[derive(Debug, Clone, Default)]
pub struct PerMxTally {
    hosts: BTreeMap<Name, Accumulator>,
    sts_texts: BTreeMap<Name, BTreeSet<Vec<Name>>>,
}

impl PerMxTally {
    pub fn add(&mut self, selected: &Selected<'_>) {
        let report = &selected.loaded.report;
        for choice in &selected.entries {
            let entry = choice.entry.as_ref();
            let domain = domain_key(entry);
            if entry.policy_type == PolicyType::Sts && !entry.policy_strings.is_empty() {
                let texts = self.sts_texts.entry(domain.clone()).or_default();
                if !texts.contains(&entry.policy_strings) {
                    texts.insert(entry.policy_strings.clone());
                }
            }
            // A policy that lists its MX hosts says they serve the domain (and, for DANE,
            // which records they should match).
            for host in &entry.mx_hosts {
                let row = self.hosts.entry(host.clone()).or_default();
                row.domains.entry(domain.clone()).or_default();
                if entry.policy_type == PolicyType::Tlsa {
                    row.tlsa.extend(entry.policy_strings.iter().cloned());
                }
                push_report(&mut row.reports, selected.report_index);
            }
            // Failures count once (Microsoft repeats its details under both policies).
            if !choice.counted {
                continue;
            }
            for detail in &entry.failure_details {
                let Some(host) = &detail.receiving_mx_hostname else {
                    continue;
                };
                let row = self.hosts.entry(host.clone()).or_default();
                let sessions = detail.failed_session_count;
                row.failed = add_counts(row.failed, sessions);
                row.tally.add(&detail.result_type, sessions);
                let failed = row.domains.entry(domain.clone()).or_default();
                *failed = add_counts(*failed, sessions);
                if let Some(ip) = detail.sending_ip_key() {
                    row.sending_ips.insert(ip.clone());
                }
                if let Some(org) = &report.organization_name {
                    row.reporters.insert(org.clone());
                }
                push_report(&mut row.reports, selected.report_index);
            }
        }
    }

    /// The rows, most failed sessions first; each domain's coverage from the distinct
    /// MTA-STS policies its senders saw. With `lists`, each row lists the reports behind it.
    pub fn rows(&self, lists: bool) -> Vec<MxRow> {
        let policies: BTreeMap<&Name, Vec<StsPolicy>> =
            map_of(self.sts_texts.iter().map(|(domain, texts)| {
                let mut policies: Vec<StsPolicy> = Vec::new();
                for text in texts {
                    let policy = StsPolicy::parse(text);
                    if !policies.contains(&policy) {
                        policies.push(policy);
                    }
                }
                (domain, policies)
            }));
        let mut rows: Vec<MxRow> = self
            .hosts
            .iter()
            .map(|(host, row)| MxRow {
                mx_host: host.to_string(),
                domains: row
                    .domains
                    .iter()
                    .map(|(domain, &failed)| {
                        let seen = policies.get(domain).map_or(&[][..], Vec::as_slice);
                        coverage(host, domain, failed, seen)
                    })
                    .collect(),
                failed_sessions: row.failed,
                failures_by_type: row.tally.sorted(),
                sending_ips: row.sending_ips.iter().map(String::from).collect(),
                reporters: row.reporters.iter().map(String::from).collect(),
                tlsa_records: row.tlsa.iter().map(String::from).collect(),
                report_count: row.reports.len(),
                reports: report_list(lists, &row.reports),
            })
            .collect();
        sort_by(&mut rows, |a, b| {
            b.failed_sessions
                .cmp(&a.failed_sessions)
                .then(a.mx_host.cmp(&b.mx_host))
        });
        rows
    }
}

/// Sorts the rows by a column of the MX view: the host, the domains served (how many), the
/// failed sessions. Ties keep the rows' order (most failures first).
pub fn sort_mx_rows(rows: &mut [MxRow], order: super::RowOrder<MxColumn>) {
    sort_by(rows, |a, b| {
        let by = match order.column {
            MxColumn::Host => a.mx_host.cmp(&b.mx_host),
            MxColumn::Domains => a.domains.len().cmp(&b.domains.len()),
            MxColumn::Failed => a.failed_sessions.cmp(&b.failed_sessions),
        };
        super::directed(by, order.descending)
    });
}

/// The sortable columns of the MX view (its lists are not sorted by).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MxColumn {
    Host,
    Domains,
    Failed,
}

fn coverage(host: &str, domain: &str, failed: u64, policies: &[StsPolicy]) -> MxDomain {
    let mut patterns: Vec<String> = policies.iter().flat_map(|p| p.mx.iter().cloned()).collect();
    sort(&mut patterns);
    patterns.dedup();
    MxDomain {
        domain: domain.to_string(),
        failed_sessions: failed,
        covered: (!policies.is_empty()).then(|| policies.iter().all(|p| p.allows_mx(host))),
        patterns,
    }
}
