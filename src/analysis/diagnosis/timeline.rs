//! Rules over time, per policy domain: a day whose failure rate is well above the domain's
//! baseline, a result type that appears partway through the period, and a reporter that
//! stops reporting.

use super::context::{Context, Domain};
use super::rules::{percent, Draft};
use super::{Finding, Severity};
use crate::analysis::format::thousands;
use crate::analysis::sorting::sort;
use crate::analysis::NO_DOMAIN;
use crate::text::add_counts;
use crate::text::Day;
use std::collections::BTreeMap;

/// A day counts as a spike when its failure rate is at least this many times the baseline,
/// at least this much above it, over at least this many sessions.
const SPIKE_FACTOR: f64 = 2.0;
const SPIKE_MARGIN: f64 = 0.05;
const SPIKE_MIN_SESSIONS: u64 = 10;
/// A reporter has stopped when its last report is this many days before the domain's last.
const SILENT_DAYS: i64 = 3;

pub fn check(context: &Context<'_>, findings: &mut Vec<Finding>) {
    // Entries that name no policy domain are no domain's: their days together say nothing of
    // any one domain (`data/no-policy-domain` names them).
    for domain in context.domains.values().filter(|d| d.name != NO_DOMAIN) {
        spikes(domain, findings);
        new_result_types(domain, findings);
        silent_reporters(domain, findings);
    }
}

/// Sessions per day (successful, failed), from the counted entries.
fn per_day(domain: &Domain<'_>) -> BTreeMap<Day, (u64, u64)> {
    let mut days: BTreeMap<Day, (u64, u64)> = BTreeMap::new();
    for entry in domain.entries.iter().filter(|e| e.counted) {
        if let Some(day) = entry.day {
            let tally = days.entry(day).or_default();
            tally.0 = add_counts(tally.0, entry.entry.successful_sessions);
            tally.1 = add_counts(tally.1, entry.entry.failed_sessions);
        }
    }
    days
}

fn spikes(domain: &Domain<'_>, findings: &mut Vec<Finding>) {
    let days = per_day(domain);
    if days.len() < 3 || domain.sessions() == 0 {
        return;
    }
    let baseline = domain.failed as f64 / domain.sessions() as f64;
    for (day, (ok, failed)) in &days {
        let sessions = ok + failed;
        if sessions < SPIKE_MIN_SESSIONS {
            continue;
        }
        let rate = *failed as f64 / sessions as f64;
        if rate < baseline * SPIKE_FACTOR || rate - baseline < SPIKE_MARGIN {
            continue;
        }
        let mut draft = Draft::new(super::RuleId::TimeFailureSpike, domain);
        for entry in domain
            .entries
            .iter()
            .filter(|e| e.counted && e.day.as_ref() == Some(day))
        {
            draft.add_entry(
                entry,
                format!(
                    "{}, {day}: {} successful, {} failed",
                    entry.reporter,
                    thousands(entry.entry.successful_sessions),
                    thousands(entry.entry.failed_sessions)
                ),
            );
        }
        draft.sessions = *failed;
        findings.push(draft.finish(
            Severity::Warning,
            format!("Failures jumped on {day} for {}", domain.name),
            format!(
                "On {day}, {} of {} sessions failed ({}), against {} over the whole period. \
                 Something changed that day: a certificate, an MX, the policy, or a network path.",
                thousands(*failed),
                thousands(sessions),
                percent(rate),
                percent(baseline)
            ),
            vec![
                format!("Look at the other findings for {} dated {day}: they say which result types failed.", domain.name),
                format!("Check what changed on {day}: certificate renewals, MX or DNS changes, policy updates, firewall changes."),
            ],
            "RFC 8460 section 4.4",
        ));
    }
}

/// A result type a reporter starts to see after reporting on the domain without it: a change
/// on the receiving side (a reporter that is new to the domain tells nothing of the kind).
fn new_result_types(domain: &Domain<'_>, findings: &mut Vec<Finding>) {
    // (reporter, result type) → first day seen; reporter → first day it reported.
    let mut first_seen: BTreeMap<(&str, &str), Day> = BTreeMap::new();
    let mut first_report: BTreeMap<&str, Day> = BTreeMap::new();
    for entry in domain.entries.iter().filter(|e| e.counted) {
        let Some(day) = entry.day else {
            continue;
        };
        let reporter = entry.reporter.as_str();
        let first = first_report.entry(reporter).or_insert(day);
        if day < *first {
            *first = day;
        }
        for detail in &entry.entry.failure_details {
            let seen = first_seen
                .entry((reporter, detail.result_type.as_str()))
                .or_insert(day);
            if day < *seen {
                *seen = day;
            }
        }
    }
    // Result type → the day it began and the reporters that saw it begin.
    let mut began: BTreeMap<&str, (Day, Vec<&str>)> = BTreeMap::new();
    for ((reporter, result_type), day) in first_seen {
        if first_report.get(reporter).is_some_and(|first| *first < day) {
            let slot = began.entry(result_type).or_insert((day, Vec::new()));
            slot.0 = slot.0.min(day);
            slot.1.push(reporter);
        }
    }
    for (result_type, (day, reporters)) in began {
        let mut draft = Draft::new(super::RuleId::TimeNewResultType, domain);
        for entry in domain
            .entries
            .iter()
            .filter(|e| e.counted && e.day == Some(day) && reporters.contains(&e.reporter.as_str()))
        {
            for (index, detail) in entry.entry.failure_details.iter().enumerate() {
                if detail.result_type.as_str() == result_type {
                    draft.add_detail(entry, index, detail);
                }
            }
        }
        let who = super::rules::join_words(&reporters);
        findings.push(draft.finish(
            Severity::Warning,
            format!("{result_type} failures began on {day} for {}", domain.name),
            format!(
                "{who} reported on {} before without {result_type} failures; they begin on \
                 {day}. Something changed then on the receiving side.",
                domain.name
            ),
            vec![format!(
                "See the {result_type} finding for {} for the hosts and the fix, and check what changed on {day}.",
                domain.name
            )],
            "RFC 8460 section 4.3",
        ));
    }
}

fn silent_reporters(domain: &Domain<'_>, findings: &mut Vec<Finding>) {
    let mut by_reporter: BTreeMap<&str, Vec<Day>> = BTreeMap::new();
    for entry in &domain.entries {
        if let Some(day) = entry.day {
            by_reporter
                .entry(entry.reporter.as_str())
                .or_default()
                .push(day);
        }
    }
    let Some(last) = by_reporter.values().flatten().max().copied() else {
        return;
    };
    for (reporter, days) in &by_reporter {
        let mut distinct = days.clone();
        sort(&mut distinct);
        distinct.dedup();
        let Some(&own_last) = distinct.last() else {
            continue;
        };
        if distinct.len() < 2 || days_between(own_last, last) < SILENT_DAYS {
            continue;
        }
        let mut draft = Draft::new(super::RuleId::TimeReporterStopped, domain);
        for entry in domain
            .entries
            .iter()
            .filter(|e| e.reporter == *reporter && e.day == Some(own_last))
        {
            draft.add_entry(
                entry,
                format!("{reporter}'s last report for {}: {own_last}", domain.name),
            );
        }
        findings.push(draft.finish(
            Severity::Info,
            format!("{reporter} stopped reporting for {} after {own_last}", domain.name),
            format!(
                "{reporter} sent reports for {} on {} days up to {own_last}, but none since, \
                 while others report up to {last}. Either it no longer sends mail to {}, or its \
                 reports no longer reach you.",
                domain.name,
                distinct.len(),
                domain.name
            ),
            vec![
                format!("Check that the _smtp._tls.{} TXT record (\"v=TLSRPTv1; rua=...\") is still published and correct.", domain.name),
                "Check that the mailbox named in rua still accepts the reports (size limits, spam filtering).".to_string(),
            ],
            "RFC 8460 section 3",
        ));
    }
}

fn days_between(from: Day, to: Day) -> i64 {
    to.number() - from.number()
}
