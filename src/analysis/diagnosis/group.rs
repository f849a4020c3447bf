//! Findings a person can read: the rules find problems per MX host, per day and per reporter,
//! which for a portfolio of domains makes hundreds of cards. Grouping folds them:
//!
//! - [`within_domains`]: one finding per domain and rule (a result type on three MX hosts is
//!   one finding with a row per host), and the rules over time (reporter stopped, failure
//!   spike, new result type) as one finding per domain with a row per change;
//! - [`across_domains`]: one MX host set with the same failure for several domains (a
//!   hosting provider's shared MX) is one finding that names every domain;
//! - [`by_rule`], a reading the Problems view offers for a portfolio: one finding per rule
//!   across domains, a row per domain.
//!
//! Nothing is lost: a group keeps every evidence row of its members, adds up their sessions,
//! and lists each member as a [`FindingPart`].

use super::rules::join_words;
use super::{Finding, FindingPart, RuleFamily, RuleId, Severity};
use crate::analysis::format::plural;
use crate::analysis::sorting::{set_of, sort_by};
use crate::text::add_counts;
use std::collections::{BTreeMap, BTreeSet};

/// The one rule the rules over time are grouped under.
pub const TIME_CHANGES: RuleId = RuleId::TimeChanges;

/// Fix steps kept for a group (its members' steps, each once, in order).
const FIX_STEPS: usize = 8;

/// One finding per domain and rule; the rules over time as one finding per domain.
pub fn within_domains(findings: Vec<Finding>) -> Vec<Finding> {
    let mut groups: BTreeMap<(String, RuleId), Vec<Finding>> = BTreeMap::new();
    for finding in findings {
        let rule = if finding.rule.family() == RuleFamily::Time {
            TIME_CHANGES
        } else {
            finding.rule.clone()
        };
        groups
            .entry((finding.policy_domain.clone(), rule))
            .or_default()
            .push(finding);
    }
    groups
        .into_iter()
        .map(|((domain, rule), mut members)| {
            if members.len() == 1 {
                if let Some(only) = members.pop() {
                    return only;
                }
            }
            if rule == TIME_CHANGES {
                merge(
                    rule,
                    members,
                    |_, members| time_title(&domain, members),
                    Parts::Flat,
                )
            } else {
                merge(rule, members, more_title, Parts::Flat)
            }
        })
        .collect()
}

/// One finding for a failure on MX hosts that serve several domains.
pub fn across_domains(findings: Vec<Finding>) -> Vec<Finding> {
    let mut out = Vec::with_capacity(findings.len());
    let mut shared: BTreeMap<(RuleId, Vec<String>), Vec<Finding>> = BTreeMap::new();
    for finding in findings {
        let by_host = finding.rule.family() == RuleFamily::Result
            && !finding.rule.is_policy_host()
            && !finding.mx_hosts.is_empty();
        if by_host {
            shared
                .entry((finding.rule.clone(), finding.mx_hosts.clone()))
                .or_default()
                .push(finding);
        } else {
            out.push(finding);
        }
    }
    for ((rule, hosts), members) in shared {
        let domains: BTreeSet<&str> = set_of(members.iter().map(|f| f.policy_domain.as_str()));
        if domains.len() < 2 {
            out.extend(members);
            continue;
        }
        let domains: Vec<String> = domains.into_iter().map(String::from).collect();
        let count = plural(domains.len() as u64, "domain", "domains");
        let title = |lead: &Finding, _: &[Finding]| format!("{} (for {count})", lead.title);
        let mut group = merge(rule, members, title, Parts::Flat);
        let these = if hosts.len() == 1 {
            "This host serves"
        } else {
            "These hosts serve"
        };
        group.explanation.push_str(&format!(
            " {these} {}: {}. Fixing it fixes every one of them.",
            plural(domains.len() as u64, "domain", "domains"),
            join_words(&domains)
        ));
        group.domains = domains;
        out.push(group);
    }
    out
}

/// For a portfolio, the Problems view's other reading: one finding per rule and severity
/// that names every domain it concerns, with a row per domain's finding (each domain keeps its
/// own finding, with the fix for its own hosts, when the domain is chosen). A rule that
/// concerns one domain stays as it is.
pub fn by_rule(findings: Vec<Finding>) -> Vec<Finding> {
    let mut groups: BTreeMap<(RuleId, Severity), Vec<Finding>> = BTreeMap::new();
    for finding in findings {
        groups
            .entry((finding.rule.clone(), finding.severity))
            .or_default()
            .push(finding);
    }
    let mut out = Vec::new();
    for ((rule, _), members) in groups {
        let domains: BTreeSet<String> = set_of(
            members
                .iter()
                .flat_map(|f| std::iter::once(&f.policy_domain).chain(&f.domains))
                .cloned(),
        );
        if domains.len() < 2 || members.len() < 2 {
            out.extend(members);
            continue;
        }
        let count = plural(domains.len() as u64, "domain", "domains");
        let label = rule.label();
        let mut group = merge(
            rule,
            members,
            |_, _| format!("{label}: {count}"),
            Parts::Whole,
        );
        group.explanation = format!(
            "The same problem for {count}; the rows below say where. Each domain has its own \
             finding, with the fix for its own hosts: choose the domain above to see it. The \
             largest: {}",
            group.explanation
        );
        group.fix = vec![
            "Choose a domain in the domain choice above, or open it from the table of domains, to see its finding and the fix steps for its hosts.".to_string(),
        ];
        group.domains = domains.into_iter().collect();
        out.push(group);
    }
    out
}

/// How a group lists its members that are groups themselves.
#[derive(Clone, Copy, PartialEq)]
enum Parts {
    /// Their own members, a row each (a host of a domain).
    Flat,
    /// Each as one row (a domain's finding, whatever it groups), except a group across
    /// domains, whose members each name their domain.
    Whole,
}

/// The members as one finding: the largest one leads (its explanation and reference, and the
/// title that `title` makes from it and the members); sessions add up, lists and days join,
/// evidence rows follow one another (moved, not copied), and every member becomes a part.
fn merge(
    rule: RuleId,
    mut members: Vec<Finding>,
    title: impl FnOnce(&Finding, &[Finding]) -> String,
    parts: Parts,
) -> Finding {
    sort_by(&mut members, |a, b| {
        b.sessions
            .cmp(&a.sessions)
            .then(a.severity.cmp(&b.severity))
            .then(a.policy_domain.cmp(&b.policy_domain))
            .then(a.title.cmp(&b.title))
    });
    let lead = &members[0];
    let mut group = Finding {
        rule,
        title: title(lead, &members),
        severity: members
            .iter()
            .map(|f| f.severity)
            .min()
            .unwrap_or(Severity::Info),
        sessions: 0,
        evidence_total: 0,
        parts: Vec::new(),
        ..lead.clone_without_evidence()
    };
    let mut fix: Vec<String> = Vec::new();
    let mut lists: [BTreeSet<String>; 3] = Default::default();
    let mut domain_sessions: BTreeMap<String, u64> = BTreeMap::new();
    for mut member in members {
        group.sessions = add_counts(group.sessions, member.sessions);
        domain_sessions.insert(member.policy_domain.clone(), member.domain_sessions);
        group.first_seen = [group.first_seen.take(), member.first_seen]
            .into_iter()
            .flatten()
            .min();
        group.last_seen = [group.last_seen.take(), member.last_seen]
            .into_iter()
            .flatten()
            .max();
        for step in &member.fix {
            if fix.len() < FIX_STEPS && !fix.contains(step) {
                fix.push(step.clone());
            }
        }
        for (set, items) in
            lists
                .iter_mut()
                .zip([&member.mx_hosts, &member.sending_ips, &member.reporters])
        {
            set.extend(items.iter().cloned());
        }
        group.evidence_total += member.evidence_total.max(member.evidence.len());
        let whole = parts == Parts::Whole && member.domains.is_empty();
        if member.parts.is_empty() || whole {
            group.parts.push(FindingPart::of(&member));
        } else {
            group.parts.append(&mut member.parts);
        }
        group.evidence.append(&mut member.evidence);
    }
    group.domain_sessions = domain_sessions
        .values()
        .fold(0, |sum, s| add_counts(sum, *s));
    group.fix = fix;
    let [mx_hosts, sending_ips, reporters] = lists;
    group.mx_hosts = mx_hosts.into_iter().collect();
    group.sending_ips = sending_ips.into_iter().collect();
    group.reporters = reporters.into_iter().collect();
    group
}

/// "mx1.example.com presents an expired certificate, and 2 more MX hosts".
fn more_title(lead: &Finding, members: &[Finding]) -> String {
    // A member that names its host leads the title: "Each MX host of example.com presents an
    // expired certificate, and 3 more MX hosts" said nothing of the three.
    let lead = members
        .iter()
        .find(|f| !f.mx_hosts.is_empty())
        .unwrap_or(lead);
    let more = (members.len() - 1) as u64;
    let one_host_each = members.iter().all(|f| f.mx_hosts.len() == 1);
    let rest = if one_host_each {
        plural(more, "more MX host", "more MX hosts")
    } else {
        plural(more, "more like it", "more like it")
    };
    format!("{}, and {rest}", lead.title)
}

/// "Changes over time for example.com: 2 reporters stopped, 1 failure spike".
fn time_title(domain: &str, members: &[Finding]) -> String {
    let count = |rule: &RuleId| members.iter().filter(|f| &f.rule == rule).count() as u64;
    let kinds: Vec<String> = [
        (
            RuleId::TimeReporterStopped,
            "reporter stopped",
            "reporters stopped",
        ),
        (RuleId::TimeFailureSpike, "failure spike", "failure spikes"),
        (
            RuleId::TimeNewResultType,
            "new result type",
            "new result types",
        ),
    ]
    .into_iter()
    .filter(|(rule, _, _)| count(rule) > 0)
    .map(|(rule, one, many)| plural(count(&rule), one, many))
    .collect();
    format!("Changes over time for {domain}: {}", join_words(&kinds))
}
