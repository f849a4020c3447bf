//! What the rules share: every policy entry of every loaded report, grouped by policy domain,
//! with the counting rule applied, and the health line of each domain.

use super::{Finding, Severity, StsPolicy, TlsaRecord};
use crate::analysis::format::plural;
use crate::analysis::select::Selected;
use crate::analysis::{format_rate, NO_DOMAIN};
use crate::report::{Name, PolicyEntry, PolicyType, Report};
use crate::text::add_counts;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One policy entry of one report.
pub struct Entry<'a> {
    pub report_index: usize,
    pub policy_index: usize,
    pub report: &'a Report,
    pub entry: &'a PolicyEntry,
    /// Whether its sessions count toward totals (see the counting rule).
    pub counted: bool,
    pub reporter: Name,
    /// The UTC day the report's period starts, "2024-02-22"; `None` when the report gives
    /// none or a day that cannot be true (see `day_out_of_range`).
    pub day: Option<Name>,
    /// The report is dated before 1990 or after today: its day is left out of every rule that
    /// reads days (the verdict, the rules over time), and `data/date-out-of-range` names it.
    pub day_out_of_range: bool,
}

/// A policy domain and its entries.
pub struct Domain<'a> {
    pub name: String,
    pub entries: Vec<Entry<'a>>,
    pub successful: u64,
    pub failed: u64,
}

impl Domain<'_> {
    pub fn sessions(&self) -> u64 {
        add_counts(self.successful, self.failed)
    }

    /// The reporting organisations that sent reports for the domain.
    pub fn reporters(&self) -> BTreeSet<&str> {
        self.entries.iter().map(|e| e.reporter.as_str()).collect()
    }
}

pub struct Context<'a> {
    pub domains: BTreeMap<String, Domain<'a>>,
}

impl<'a> Context<'a> {
    /// The entries of the selected reports, of every domain or of the `only` ones.
    pub fn new(selected: &'a [Selected<'a>], only: Option<&BTreeSet<Name>>) -> Self {
        let mut domains: BTreeMap<String, Domain<'a>> = BTreeMap::new();
        for report in selected {
            let loaded = report.loaded;
            let reporter = loaded
                .report
                .organization_name
                .clone()
                .unwrap_or_else(|| Name::from("(unnamed reporter)"));
            let start_day = &loaded.day;
            for selected_entry in &report.entries {
                let entry: &'a PolicyEntry = selected_entry.entry.as_ref();
                let name = entry.policy_domain.as_deref().unwrap_or(NO_DOMAIN);
                if only.is_some_and(|only| !only.contains(name)) {
                    continue;
                }
                let domain = domains.entry(name.to_string()).or_insert_with(|| Domain {
                    name: name.to_string(),
                    entries: Vec::new(),
                    successful: 0,
                    failed: 0,
                });
                if selected_entry.counted {
                    domain.successful = add_counts(domain.successful, entry.successful_sessions);
                    domain.failed = add_counts(domain.failed, entry.failed_sessions);
                }
                domain.entries.push(Entry {
                    report_index: report.report_index,
                    policy_index: selected_entry.policy_index,
                    report: &loaded.report,
                    entry,
                    counted: selected_entry.counted,
                    reporter: reporter.clone(),
                    day: start_day.clone().filter(|_| !loaded.day_out_of_range),
                    day_out_of_range: loaded.day_out_of_range,
                });
            }
        }
        Context { domains }
    }

    /// One health line per domain, with the policies the senders saw.
    pub fn health(&self, findings: &[Finding]) -> Vec<DomainHealth> {
        // Each domain's findings, found once: a forged report with 20,000 domains would
        // otherwise compare every finding with every domain.
        let mut by_domain: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for finding in findings {
            by_domain
                .entry(finding.policy_domain.as_str())
                .or_default()
                .push(finding);
        }
        self.domains
            .values()
            .map(|domain| {
                let own = by_domain.remove(domain.name.as_str()).unwrap_or_default();
                DomainHealth::of(domain, &own)
            })
            .collect()
    }
}

/// "example.com: 99.2% of 12,345 sessions over TLS; 2 problems".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DomainHealth {
    pub policy_domain: String,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    /// Critical and warning findings.
    pub problems: usize,
    /// Info findings.
    pub notes: usize,
    pub worst: Option<Severity>,
    pub line: String,
    /// The distinct MTA-STS policies the senders saw.
    pub sts_policies: Vec<StsPolicy>,
    /// The distinct TLSA records the senders saw, with what they mean.
    pub tlsa_records: Vec<(String, String)>,
    /// Ready to enforce? Begins with "Ready", "Not yet" or "Not enough data".
    pub verdict: String,
    pub verdict_status: super::VerdictStatus,
    /// The figures behind the verdict, one sentence each.
    pub verdict_figures: Vec<String>,
}

impl DomainHealth {
    /// The health of a domain with its own findings.
    fn of(domain: &Domain<'_>, own: &[&Finding]) -> Self {
        let problems = own.iter().filter(|f| f.severity != Severity::Info).count();
        let notes = own.len() - problems;
        let mut line = if domain.sessions() == 0 {
            format!("{}: no sessions reported", domain.name)
        } else {
            format!(
                "{}: {} of {} over TLS",
                domain.name,
                format_rate(domain.successful, domain.failed),
                plural(domain.sessions(), "session", "sessions")
            )
        };
        line.push_str(&match problems {
            0 => "; no problems".to_string(),
            n => format!("; {}", plural(n, "problem", "problems")),
        });
        if notes > 0 {
            line.push_str(&format!(", {}", plural(notes, "note", "notes")));
        }
        // Distinct texts first: thousands of reports carry the same few policies.
        let mut sts_texts: BTreeSet<&[Name]> = BTreeSet::new();
        let mut tlsa_texts: BTreeSet<&str> = BTreeSet::new();
        for entry in &domain.entries {
            match entry.entry.policy_type {
                PolicyType::Sts if !entry.entry.policy_strings.is_empty() => {
                    sts_texts.insert(&entry.entry.policy_strings);
                }
                PolicyType::Tlsa => {
                    tlsa_texts.extend(entry.entry.policy_strings.iter().map(Name::as_str));
                }
                _ => {}
            }
        }
        let mut sts_policies: Vec<StsPolicy> = Vec::new();
        for text in sts_texts {
            let policy = StsPolicy::parse(text);
            if !sts_policies.contains(&policy) {
                sts_policies.push(policy);
            }
        }
        let tlsa_records = tlsa_texts
            .into_iter()
            .map(|text| {
                let meaning = TlsaRecord::parse(text)
                    .map(|record| record.describe())
                    .unwrap_or_else(|| "not a TLSA record".to_string());
                (text.to_string(), meaning)
            })
            .collect();
        let verdict = super::verdict::verdict(domain);
        DomainHealth {
            verdict: verdict.text,
            verdict_status: verdict.status,
            verdict_figures: verdict.figures,
            policy_domain: domain.name.clone(),
            successful_sessions: domain.successful,
            failed_sessions: domain.failed,
            problems,
            notes,
            worst: own.iter().map(|f| f.severity).min(),
            line,
            sts_policies,
            tlsa_records,
        }
    }
}
