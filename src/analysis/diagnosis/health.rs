//! The health line of each domain: its sessions over TLS, its problems and notes, the
//! policies its senders saw, and the verdict.

use super::context::{Context, Domain};
use super::{Finding, Severity, StsPolicy, TlsaRecord, VerdictStatus};
use crate::analysis::format::plural;
use crate::analysis::format_rate;
use crate::report::{Name, PolicyType};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// One health line per domain of the context, with the policies the senders saw.
pub fn health_lines(context: &Context<'_>, findings: &[Finding]) -> Vec<DomainHealth> {
    // Each domain's findings, found once: a forged report with 20,000 domains would
    // otherwise compare every finding with every domain.
    let mut by_domain: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for finding in findings {
        by_domain
            .entry(finding.policy_domain.as_str())
            .or_default()
            .push(finding);
    }
    context
        .domains
        .values()
        .map(|domain| {
            // Taken, not removed: the map is dropped whole (no code to rebalance it).
            let own = by_domain
                .get_mut(domain.name.as_str())
                .map(std::mem::take)
                .unwrap_or_default();
            DomainHealth::of(domain, &own, context.today)
        })
        .collect()
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
    /// Of those, the critical ones.
    #[serde(default)]
    pub critical: usize,
    /// Info findings.
    pub notes: usize,
    pub worst: Option<Severity>,
    pub line: String,
    /// The distinct MTA-STS policies the senders saw.
    pub sts_policies: Vec<StsPolicy>,
    /// The distinct TLSA records the senders saw, with what they mean.
    pub tlsa_records: Vec<(String, String)>,
    /// Whether senders reported under an MTA-STS policy whose text no report gives (Mail.ru
    /// sends none): the domain has MTA-STS even with no policy above.
    #[serde(default, skip_serializing_if = "is_false")]
    pub sts_without_text: bool,
    /// The same for DANE: `tlsa` entries, none with its records.
    #[serde(default, skip_serializing_if = "is_false")]
    pub tlsa_without_text: bool,
    /// Ready to enforce? Begins with "Ready", "Not yet" or "Not enough data".
    pub verdict: String,
    pub verdict_status: VerdictStatus,
    /// The figures behind the verdict, one sentence each.
    pub verdict_figures: Vec<String>,
    /// Under a filter that narrows the domain's reports, the sessions it keeps: the line and
    /// the verdict above are always over all of the domain's reports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filtered: Option<FilteredSessions>,
}

/// A domain's sessions under a filter, shown beside its own figures and labelled as filtered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FilteredSessions {
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    /// The filter keeps failure details only (a result type, a sending IP, an MX host): its
    /// successful sessions are not counted, so only the failed ones say anything.
    pub details_only: bool,
}

impl FilteredSessions {
    fn sessions(&self) -> u64 {
        self.successful_sessions
            .saturating_add(self.failed_sessions)
    }

    /// "filtered: 11.7% of 34", or "filtered: 34 failed", for a table's cell.
    pub fn short_text(&self) -> String {
        if self.details_only {
            format!(
                "filtered: {} failed",
                crate::text::thousands(self.failed_sessions)
            )
        } else if self.sessions() == 0 {
            "filtered: no sessions".to_string()
        } else {
            format!(
                "filtered: {} of {}",
                format_rate(self.successful_sessions, self.failed_sessions),
                crate::text::thousands(self.sessions())
            )
        }
    }

    /// "Under the filter: 11.7% of 34 sessions over TLS", or "…: 34 failed sessions".
    pub fn text(&self) -> String {
        if self.details_only {
            format!(
                "Under the filter: {}",
                plural(self.failed_sessions, "failed session", "failed sessions")
            )
        } else if self.sessions() == 0 {
            "Under the filter: no sessions reported".to_string()
        } else {
            format!(
                "Under the filter: {} of {} over TLS",
                format_rate(self.successful_sessions, self.failed_sessions),
                plural(self.sessions(), "session", "sessions")
            )
        }
    }
}

impl DomainHealth {
    /// The health of a domain with its own findings.
    fn of(domain: &Domain<'_>, own: &[&Finding], today: Option<chrono::NaiveDate>) -> Self {
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
        let (mut sts_seen, mut tlsa_seen) = (false, false);
        for entry in &domain.entries {
            sts_seen |= entry.entry.policy_type == PolicyType::Sts;
            tlsa_seen |= entry.entry.policy_type == PolicyType::Tlsa;
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
        let tlsa_records: Vec<(String, String)> = tlsa_texts
            .into_iter()
            .map(|text| {
                let meaning = TlsaRecord::parse(text)
                    .map(|record| record.describe())
                    .unwrap_or_else(|| "not a TLSA record".to_string());
                (text.to_string(), meaning)
            })
            .collect();
        let mut verdict = super::verdict::verdict(domain, today);
        // Names are the reporters' to choose: no text of a line past the limit findings have.
        super::rules::within_limit(&mut verdict.text);
        verdict
            .figures
            .iter_mut()
            .for_each(super::rules::within_limit);
        super::rules::within_limit(&mut line);
        DomainHealth {
            verdict: verdict.text,
            verdict_status: verdict.status,
            verdict_figures: verdict.figures,
            policy_domain: domain.name.clone(),
            successful_sessions: domain.successful,
            failed_sessions: domain.failed,
            problems,
            critical: own
                .iter()
                .filter(|f| f.severity == Severity::Critical)
                .count(),
            notes,
            worst: own.iter().map(|f| f.severity).min(),
            line,
            sts_without_text: sts_seen && sts_policies.is_empty(),
            tlsa_without_text: tlsa_seen && tlsa_records.is_empty(),
            sts_policies,
            tlsa_records,
            filtered: None,
        }
    }
}

fn is_false(value: &bool) -> bool {
    !value
}
