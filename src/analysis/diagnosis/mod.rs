//! The diagnosis: the problems the reports show, ranked, each explained in plain language
//! with the evidence behind it, concrete fix steps and the RFC section it rests on.
//!
//! Rules live in their own modules: [`results`] (one per result type), [`policies`] (the
//! MTA-STS policy as the senders saw it, TLSA records, missing policies), [`timeline`]
//! (changes over time) and [`quality`] (data quality). [`Context`] gathers what they share;
//! [`health`] writes each domain's health line and verdict from it.

mod context;
pub mod group;
mod health;
mod policies;
mod quality;
mod results;
mod rule_id;
mod rules;
mod timeline;
pub mod verdict;

pub use crate::report::policy_text::{StsPolicy, TlsaRecord};
pub use group::TIME_CHANGES;
pub use health::{DomainHealth, FilteredSessions};
pub use rule_id::{RuleFamily, RuleId};
pub use verdict::VerdictStatus;

use crate::analysis::select::{Selected, Selector};
use crate::analysis::sorting::sort_by;
use crate::analysis::Filter;
use crate::ingest::ReportSet;
use context::Context;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// How urgent a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Mail fails or loses its TLS protection now, for a noticeable share of sessions.
    Critical,
    /// A problem, or a risk, that needs attention.
    Warning,
    /// Worth knowing: a suggestion, or something about the data itself.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Critical => "critical",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One row of a report behind a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Evidence {
    /// Index into [`ReportSet::reports`].
    pub report_index: usize,
    /// Index into the report's `policies`.
    pub policy_index: usize,
    /// Index into the policy's `failure-details`, when the row is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail_index: Option<usize>,
    /// What the row says, in a line.
    pub text: String,
    /// Where the report came from (filled in on the way to the page).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// One problem found in the reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Finding {
    /// A stable, machine-readable rule id, written as "result/certificate-expired".
    pub rule: RuleId,
    pub severity: Severity,
    pub title: String,
    pub policy_domain: String,
    pub mx_hosts: Vec<String>,
    pub sending_ips: Vec<String>,
    pub reporters: Vec<String>,
    /// Sessions affected, and the domain's sessions over the loaded period.
    pub sessions: u64,
    pub domain_sessions: u64,
    /// First and last day seen (UTC), from the reports behind the finding.
    pub first_seen: Option<crate::text::Day>,
    pub last_seen: Option<crate::text::Day>,
    pub explanation: String,
    pub fix: Vec<String>,
    /// The standard it rests on: "RFC 8460 section 4.3.1".
    pub reference: String,
    pub evidence: Vec<Evidence>,
    /// Evidence rows in all, when `evidence` holds only the first of them (on the page).
    #[serde(default)]
    pub evidence_total: usize,
    /// On the page: [`Finding::id`], made unique among the findings shown ("…-2" for a
    /// second finding with the same id, such as two reporters that stopped).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub key: String,
    /// A group's members (see [`group`]), one row each; empty for a finding of its own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<FindingPart>,
    /// Parts in all, when `parts` holds only the first of them (on the page).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub parts_total: usize,
    /// Every domain a finding across domains concerns (`policy_domain` is the first);
    /// empty for a finding of one domain.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub domains: Vec<String>,
    /// How many names the page's copy leaves out of each list (none in a full finding).
    #[serde(default, skip_serializing_if = "NamesLeftOut::is_none")]
    pub left_out: NamesLeftOut,
}

/// How many names a finding sent to the page leaves out of each of its lists: the engine
/// sends the first of them and counts the rest, and the page writes "and 1,234 more".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct NamesLeftOut {
    pub mx_hosts: usize,
    pub sending_ips: usize,
    pub reporters: usize,
    pub domains: usize,
}

impl NamesLeftOut {
    pub fn is_none(&self) -> bool {
        *self == NamesLeftOut::default()
    }
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

/// One member of a grouped finding: a host, a day, a reporter's change, a domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FindingPart {
    pub rule: RuleId,
    pub severity: Severity,
    pub title: String,
    pub policy_domain: String,
    pub mx_hosts: Vec<String>,
    pub reporters: Vec<String>,
    pub sessions: u64,
    pub first_seen: Option<crate::text::Day>,
    pub last_seen: Option<crate::text::Day>,
    /// Its evidence rows (the group holds them, one member after another).
    pub evidence_rows: usize,
    /// Names the page's copy leaves out (only `mx_hosts` and `reporters` are lists here).
    #[serde(default, skip_serializing_if = "NamesLeftOut::is_none")]
    pub left_out: NamesLeftOut,
}

impl FindingPart {
    pub fn of(finding: &Finding) -> Self {
        FindingPart {
            rule: finding.rule.clone(),
            severity: finding.severity,
            title: finding.title.clone(),
            policy_domain: finding.policy_domain.clone(),
            mx_hosts: finding.mx_hosts.clone(),
            reporters: finding.reporters.clone(),
            sessions: finding.sessions,
            first_seen: finding.first_seen,
            last_seen: finding.last_seen,
            evidence_rows: finding.evidence_total.max(finding.evidence.len()),
            left_out: NamesLeftOut::default(),
        }
    }
}

impl Finding {
    /// A copy without the evidence rows (which can be thousands).
    pub fn clone_without_evidence(&self) -> Finding {
        Finding {
            rule: self.rule.clone(),
            severity: self.severity,
            title: self.title.clone(),
            policy_domain: self.policy_domain.clone(),
            mx_hosts: self.mx_hosts.clone(),
            sending_ips: self.sending_ips.clone(),
            reporters: self.reporters.clone(),
            sessions: self.sessions,
            domain_sessions: self.domain_sessions,
            first_seen: self.first_seen,
            last_seen: self.last_seen,
            explanation: self.explanation.clone(),
            fix: self.fix.clone(),
            reference: self.reference.clone(),
            evidence: Vec::new(),
            evidence_total: self.evidence_total,
            key: self.key.clone(),
            parts: self.parts.clone(),
            parts_total: self.parts_total,
            domains: self.domains.clone(),
            left_out: self.left_out,
        }
    }

    /// Whether a domain is this finding's (or one of a group's across domains).
    pub fn concerns(&self, domain: &str) -> bool {
        self.policy_domain == domain || self.domains.iter().any(|d| d == domain)
    }

    /// The sessions affected as a share of the domain's, when the domain had any.
    pub fn share(&self) -> Option<f64> {
        (self.domain_sessions > 0).then(|| self.sessions as f64 / self.domain_sessions as f64)
    }

    /// "3.6% of the domain's sessions", "under 0.1% of ...", capped at 100%; a finding across
    /// domains counts "these domains' sessions".
    pub fn share_text(&self) -> Option<String> {
        let whose = if self.domains.is_empty() {
            "the domain's"
        } else {
            "these domains'"
        };
        self.share()
            .map(|share| format!("{} of {whose} sessions", rules::percent(share.min(1.0))))
    }

    /// A stable id for the page: rule and domain, and the MX when the rule is per host.
    pub fn id(&self) -> String {
        crate::analysis::format::slug(&format!(
            "{} {} {}",
            self.rule,
            self.policy_domain,
            self.mx_hosts.first().map(String::as_str).unwrap_or("")
        ))
    }
}

/// The findings and the health of each policy domain.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Diagnosis {
    pub domains: Vec<DomainHealth>,
    pub findings: Vec<Finding>,
}

/// Runs every rule over the loaded reports; findings come ranked: by severity, then by the
/// sessions affected, then by domain and rule.
pub fn diagnose(set: &ReportSet) -> Diagnosis {
    let (domains, findings) = diagnose_domains(set, &every_report(set), None);
    Diagnosis {
        domains,
        findings: ranked(group::across_domains(findings)),
    }
}

/// Runs every rule over the selected reports, for every domain or only the `only` ones.
/// `set` is the whole session's, for the facts about inputs that no filter narrows (a
/// report-id given twice with different content). Findings come unranked.
pub fn diagnose_domains(
    set: &ReportSet,
    selected: &[Selected<'_>],
    only: Option<&BTreeSet<crate::report::Name>>,
) -> (Vec<DomainHealth>, Vec<Finding>) {
    let context = Context::new(selected, only, set.today);
    let findings = group::within_domains(rule_findings(&context, set));
    let domains = health::health_lines(&context, &findings);
    (domains, findings)
}

/// Every finding as the rules give it, before grouping (ranked): the tests check that
/// grouping loses none of them.
pub fn ungrouped_findings(set: &ReportSet) -> Vec<Finding> {
    let every = every_report(set);
    ranked(rule_findings(&Context::new(&every, None, set.today), set))
}

/// Every report of the set, with no filter.
fn every_report(set: &ReportSet) -> Vec<Selected<'_>> {
    let selector = Selector::new(&Filter::default());
    set.reports
        .iter()
        .enumerate()
        .filter_map(|(index, loaded)| selector.select(index, loaded))
        .collect()
}

fn rule_findings(context: &Context<'_>, set: &ReportSet) -> Vec<Finding> {
    let mut findings = Vec::new();
    results::check(context, &mut findings);
    policies::check(context, &mut findings);
    timeline::check(context, &mut findings);
    quality::check(context, set, &mut findings);
    findings
}

/// Findings most urgent first: by severity, then by the sessions affected, then by domain
/// and rule; and, as this is their last step before they are shown, each title (a part's
/// too), explanation and fix step within [`rules::MAX_TEXT_CHARS`].
pub fn ranked(mut findings: Vec<Finding>) -> Vec<Finding> {
    // Every path to a page, an export or the command ends here: each text within its limit.
    for finding in &mut findings {
        rules::within_limit(&mut finding.title);
        rules::within_limit(&mut finding.explanation);
        finding.fix.iter_mut().for_each(rules::within_limit);
        for part in &mut finding.parts {
            rules::within_limit(&mut part.title);
        }
    }
    sort_by(&mut findings, |a, b| {
        a.severity
            .cmp(&b.severity)
            .then(b.sessions.cmp(&a.sessions))
            .then(a.policy_domain.cmp(&b.policy_domain))
            .then(a.rule.cmp(&b.rule))
            .then(a.mx_hosts.cmp(&b.mx_hosts))
    });
    findings
}
