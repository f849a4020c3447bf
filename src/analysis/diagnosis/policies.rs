//! Rules on the policies as the senders saw them: the MTA-STS policy's mode, max_age and mx
//! patterns, policies that differ between senders, TLSA records that cannot be right, and
//! senders that found no policy where others did.

use super::context::{Context, Domain, Entry};
use super::rules::{join_words, Draft};
use super::{Finding, Severity};
use crate::analysis::format::thousands;
use crate::analysis::sorting::sort;
use crate::analysis::NO_DOMAIN;
use crate::report::policy_text::{StsMode, StsPolicy, TlsaRecord};
use crate::report::{Name, PolicyType};
use crate::text::add_counts;
use std::collections::BTreeMap;

/// RFC 8461 section 3.2: max_age is at most 31557600 seconds (about one year).
const MAX_AGE_LIMIT: u64 = 31_557_600;
/// Under a day, a policy cache protects little against an attacker who blocks the fetch.
const MAX_AGE_SHORT: u64 = 86_400;

pub fn check(context: &Context<'_>, findings: &mut Vec<Finding>) {
    // No one can publish or change a policy for entries that name no policy domain: what to do
    // about them is the reporter's (`data/no-policy-domain`).
    for domain in context.domains.values().filter(|d| d.name != NO_DOMAIN) {
        let sts: Vec<&Entry<'_>> = domain
            .entries
            .iter()
            .filter(|e| {
                e.entry.policy_type == PolicyType::Sts && !e.entry.policy_strings.is_empty()
            })
            .collect();
        // Each distinct policy text, with the entries that carried it (raw texts first, as
        // thousands of reports carry the same few).
        let mut raw: BTreeMap<&[Name], Vec<&Entry<'_>>> = BTreeMap::new();
        for entry in &sts {
            raw.entry(&entry.entry.policy_strings)
                .or_default()
                .push(entry);
        }
        let mut texts: BTreeMap<Vec<String>, Vec<&Entry<'_>>> = BTreeMap::new();
        for (text, entries) in raw {
            texts.entry(normalised(text)).or_default().extend(entries);
        }
        for (text, entries) in &texts {
            let policy = StsPolicy::parse(text);
            mode_rules(domain, context.today, &policy, entries, findings);
            max_age_rules(domain, &policy, entries, findings);
            mx_rule(domain, &policy, entries, findings);
        }
        if texts.len() > 1 {
            findings.push(policy_changed(domain, &texts));
        }
        tlsa_rule(domain, findings);
        missing_policy(domain, findings);
    }
}

fn normalised(lines: &[Name]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| l.lines())
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect()
}

fn policy_url(domain: &str) -> String {
    format!("https://mta-sts.{domain}/.well-known/mta-sts.txt")
}

fn mode_rules(
    domain: &Domain<'_>,
    today: Option<chrono::NaiveDate>,
    policy: &StsPolicy,
    entries: &[&Entry<'_>],
    findings: &mut Vec<Finding>,
) {
    let url = policy_url(&domain.name);
    match &policy.mode {
        Some(StsMode::None) => {
            let mut draft = Draft::new(super::RuleId::StsModeNone, domain);
            for entry in entries {
                draft.add_entry_once(
                    entry,
                    format!("{} saw the policy with \"mode: none\"", entry.reporter),
                );
            }
            findings.push(draft.finish(
                Severity::Warning,
                format!("The MTA-STS policy of {} is switched off (mode: none)", domain.name),
                format!(
                    "With \"mode: none\", senders ignore the policy: mail to {} gets no \
                     protection from MTA-STS. That is right only while you retire MTA-STS.",
                    domain.name
                ),
                vec![
                    format!("If you mean to use MTA-STS, set \"mode: testing\" in {url}, fix what the reports then show, and move to \"mode: enforce\"."),
                    format!("Change the id in the _mta-sts.{} TXT record whenever the policy changes, so that senders fetch it again.", domain.name),
                ],
                "RFC 8461 section 5",
            ));
        }
        Some(StsMode::Testing) => {
            let failures: u64 = domain
                .entries
                .iter()
                .filter(|e| e.counted)
                .fold(0, |sum, e| add_counts(sum, e.entry.failed_sessions));
            // The verdict decides (the last 14 and 30 days, enough days and reporters); this
            // note adds that nothing failed over the whole period loaded either.
            let ready =
                super::verdict::verdict(domain, today).status == super::VerdictStatus::Ready;
            if failures > 0 || domain.sessions() == 0 || !ready {
                return;
            }
            let mut draft = Draft::new(super::RuleId::StsReadyToEnforce, domain);
            for entry in entries {
                draft.add_entry_once(
                    entry,
                    format!("{} saw the policy with \"mode: testing\"", entry.reporter),
                );
            }
            let days = draft.days.len();
            findings.push(draft.finish(
                Severity::Info,
                format!("{} could move its MTA-STS policy to enforce", domain.name),
                format!(
                    "The policy is in testing mode, and {} reported over {} succeeded. In \
                     testing mode senders still deliver when TLS fails; \"mode: enforce\" \
                     makes them refuse to send in clear text.",
                    match domain.sessions() {
                        1 => "the one session".to_string(),
                        n => format!("every one of the {} sessions", thousands(n)),
                    },
                    if days == 1 { "one day".to_string() } else { format!("{days} days") }
                ),
                vec![
                    format!("Set \"mode: enforce\" in {url}."),
                    format!("Change the id in the _mta-sts.{} TXT record so that senders fetch the new policy.", domain.name),
                ],
                "RFC 8461 section 5",
            ));
        }
        _ => {}
    }
}

fn max_age_rules(
    domain: &Domain<'_>,
    policy: &StsPolicy,
    entries: &[&Entry<'_>],
    findings: &mut Vec<Finding>,
) {
    let Some(max_age) = policy.max_age else {
        return;
    };
    let (rule, title, explanation) = if max_age > MAX_AGE_LIMIT {
        (
            super::RuleId::StsMaxAgeTooLong,
            format!(
                "The MTA-STS max_age of {} is over the one-year maximum",
                domain.name
            ),
            format!(
                "max_age is {} seconds; RFC 8461 allows at most 31557600 (about a year). Senders \
                 may cap it, or reject the policy.",
                thousands(max_age)
            ),
        )
    } else if max_age < MAX_AGE_SHORT {
        (
            super::RuleId::StsMaxAgeShort,
            format!("The MTA-STS max_age of {} is under a day", domain.name),
            format!(
                "max_age is {} seconds. Senders forget the policy that soon, so an attacker who \
                 blocks the policy fetch can strip TLS again quickly. Weeks are usual (604800 \
                 is one week).",
                thousands(max_age)
            ),
        )
    } else {
        return;
    };
    let mut draft = Draft::new(rule, domain);
    for entry in entries {
        draft.add_entry_once(
            entry,
            format!("{} saw \"max_age: {max_age}\"", entry.reporter),
        );
    }
    findings.push(draft.finish(
        Severity::Warning,
        title,
        explanation,
        vec![
            format!(
                "Set max_age in {} to between 604800 (a week) and 31557600 (a year).",
                policy_url(&domain.name)
            ),
            format!(
                "Change the id in the _mta-sts.{} TXT record so that senders fetch the new policy.",
                domain.name
            ),
        ],
        "RFC 8461 section 3.2",
    ));
}

/// Receiving MX hosts in the failure details that none of the policy's mx patterns match.
fn mx_rule(
    domain: &Domain<'_>,
    policy: &StsPolicy,
    entries: &[&Entry<'_>],
    findings: &mut Vec<Finding>,
) {
    if policy.mx.is_empty() {
        return;
    }
    let mut by_host: BTreeMap<Name, Draft> = BTreeMap::new();
    for entry in entries {
        for (index, detail) in entry.entry.failure_details.iter().enumerate() {
            let Some(host) = &detail.receiving_mx_hostname else {
                continue;
            };
            if policy.allows_mx(host) {
                continue;
            }
            by_host
                .entry(host.clone())
                .or_insert_with(|| Draft::new(super::RuleId::StsMxNotInPolicy, domain))
                .add_detail(entry, index, detail);
        }
    }
    let patterns = join_words(&policy.mx);
    for (host, draft) in by_host {
        let enforce = policy.mode == Some(StsMode::Enforce);
        findings.push(draft.finish(
            if enforce { Severity::Critical } else { Severity::Warning },
            format!("{host} is not covered by the MTA-STS policy of {}", domain.name),
            format!(
                "Senders delivered to {host}, but the policy's mx patterns ({patterns}) do not \
                 match it. {}",
                if enforce {
                    "In enforce mode, senders refuse to deliver to it."
                } else {
                    "Once the policy is enforced, senders will refuse to deliver to it."
                }
            ),
            vec![
                format!("Add \"mx: {host}\" (or a pattern such as \"mx: *.{}\") to {}.", host.split_once('.').map_or(host.as_str(), |(_, rest)| rest), policy_url(&domain.name)),
                format!("Or, if {host} should not receive mail for {}, remove it from the MX records.", domain.name),
                format!("Change the id in the _mta-sts.{} TXT record so that senders fetch the new policy.", domain.name),
            ],
            "RFC 8461 sections 3.2 and 4.1",
        ));
    }
}

fn policy_changed(domain: &Domain<'_>, texts: &BTreeMap<Vec<String>, Vec<&Entry<'_>>>) -> Finding {
    let mut draft = Draft::new(super::RuleId::StsPolicyDiffers, domain);
    for (text, entries) in texts {
        for entry in entries {
            draft.add_entry_once(entry, format!("{}: {}", entry.reporter, text.join(" | ")));
        }
    }
    draft.finish(
        Severity::Info,
        format!("Senders saw {} different MTA-STS policies for {}", texts.len(), domain.name),
        format!(
            "The reports carry {} versions of the policy text. Either the policy changed during \
             the period, or some senders still use a cached copy (they keep it for max_age).",
            texts.len()
        ),
        vec![
            format!("Check that {} serves the policy you intend.", policy_url(&domain.name)),
            format!("After each change, change the id in the _mta-sts.{} TXT record, so that senders fetch the policy again.", domain.name),
        ],
        "RFC 8461 sections 3.1 and 5.1",
    )
}

/// TLSA records that cannot be right: unreadable, or hashes of the wrong length.
fn tlsa_rule(domain: &Domain<'_>, findings: &mut Vec<Finding>) {
    let mut draft = Draft::new(super::RuleId::TlsaRecordMalformed, domain);
    let mut bad: Vec<String> = Vec::new();
    for entry in domain
        .entries
        .iter()
        .filter(|e| e.entry.policy_type == PolicyType::Tlsa)
    {
        for text in &entry.entry.policy_strings {
            let problem = match TlsaRecord::parse(text) {
                None => Some("not a TLSA record (usage selector matching-type data)".to_string()),
                Some(record) if !record.data_length_ok() => Some(format!(
                    "{} data of {} hex digits, where {} needs {}",
                    record.describe(),
                    record.data.len(),
                    if record.matching_type == 1 {
                        "SHA-256"
                    } else {
                        "SHA-512"
                    },
                    if record.matching_type == 1 { 64 } else { 128 }
                )),
                Some(_) => None,
            };
            if let Some(problem) = problem {
                if !bad.iter().any(|seen| seen == text.as_str()) {
                    bad.push(text.to_string());
                }
                draft.add_entry(
                    entry,
                    format!("{} saw \"{text}\": {problem}", entry.reporter),
                );
            }
        }
    }
    if bad.is_empty() {
        return;
    }
    findings.push(draft.finish(
        Severity::Warning,
        format!("The TLSA records of {} include one that cannot be right", domain.name),
        format!(
            "Senders saw {}: a TLSA record is \"usage selector matching-type data\", with data \
             of the length its matching type needs. A wrong record matches no certificate.",
            join_words(&bad.iter().map(|t| format!("\"{t}\"")).collect::<Vec<_>>())
        ),
        vec![format!(
            "Look up the TLSA records of each MX host of {} (at _25._tcp.<mx>) and republish the wrong one.",
            domain.name
        )],
        "RFC 6698 section 2.1; RFC 7672 section 3.1",
    ));
}

/// no-policy-found from some reporters while others see an sts or tlsa policy.
fn missing_policy(domain: &Domain<'_>, findings: &mut Vec<Finding>) {
    let with_policy: Vec<&str> = domain
        .entries
        .iter()
        .filter(|e| matches!(e.entry.policy_type, PolicyType::Sts | PolicyType::Tlsa))
        .map(|e| e.reporter.as_str())
        .collect();
    if with_policy.is_empty() {
        return;
    }
    let mut draft = Draft::new(super::RuleId::PolicyNotFoundBySome, domain);
    for entry in domain
        .entries
        .iter()
        .filter(|e| e.entry.policy_type == PolicyType::NoPolicyFound)
    {
        draft.sessions = add_counts(draft.sessions, entry.entry.total_sessions());
        draft.add_entry(
            entry,
            format!(
                "{}, {}: no-policy-found for {}",
                entry.reporter,
                entry.day_text(),
                crate::analysis::format::plural(
                    entry.entry.total_sessions(),
                    "session",
                    "sessions"
                )
            ),
        );
    }
    if draft.evidence.is_empty() {
        return;
    }
    let mut seen: Vec<&str> = with_policy;
    sort(&mut seen);
    seen.dedup();
    let missing = join_words(&draft.reporters.iter().collect::<Vec<_>>());
    let title = format!(
        "{missing} found no policy for {}, while others did",
        domain.name
    );
    let explanation = format!(
        "{missing} reported no-policy-found for {}, while {} saw its MTA-STS or DANE policy. \
         Those senders send without requiring TLS. The policy may have been published during \
         the period, or it is not reachable for everyone (DNS for _mta-sts.{} or mta-sts.{}, \
         or DNSSEC for the TLSA records).",
        domain.name,
        join_words(&seen),
        domain.name,
        domain.name
    );
    findings.push(draft.finish(
        Severity::Warning,
        title,
        explanation,
        vec![
            format!("Check that the _mta-sts.{0} TXT record (\"v=STSv1; id=...\") and mta-sts.{0} resolve from outside your network.", domain.name),
            format!("If you publish DANE, check that the TLSA records of the MX hosts of {} validate with DNSSEC.", domain.name),
            "If the policy was published during the period, this resolves itself: load later reports to confirm.".to_string(),
        ],
        "RFC 8460 section 4.3; RFC 8461 section 3.1",
    ));
}
