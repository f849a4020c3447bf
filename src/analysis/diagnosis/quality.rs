//! Data-quality notes: summaries that disagree with their failure details, timestamps without
//! a time zone, report ids reused with different content (info), and reports dated before
//! 1990 or in the future (warning: they are left out of the verdict).

use super::context::{Context, Entry};
use super::rules::Draft;
use super::{Finding, Severity};
use crate::analysis::format::thousands;
use crate::analysis::NO_DOMAIN;
use crate::ingest::ReportSet;
use std::collections::{HashMap, HashSet};

pub fn check(context: &Context<'_>, set: &ReportSet, findings: &mut Vec<Finding>) {
    for domain in context.domains.values() {
        let mut more_details = Draft::new(super::RuleId::DataDetailsExceedSummary, domain);
        let mut zoneless = Draft::new(super::RuleId::DataTimestampsWithoutZone, domain);
        let mut zoneless_reports: HashSet<usize> = HashSet::new();
        let mut out_of_range = Draft::new(super::RuleId::DataDateOutOfRange, domain);
        let mut out_of_range_reports: HashSet<usize> = HashSet::new();
        for entry in &domain.entries {
            if entry.day_out_of_range && out_of_range_reports.insert(entry.report_index) {
                out_of_range.add_entry_once(
                    entry,
                    format!(
                        "{}, report-id {}: dated {}",
                        entry.reporter,
                        entry.report.report_id.as_deref().unwrap_or("(none)"),
                        entry
                            .report
                            .start_day()
                            .map_or("(no date)".to_string(), |day| day.to_string())
                    ),
                );
            }
            let itemised = entry.entry.itemised_failures();
            if entry.entry.excess_itemised_failures() > 0 {
                more_details.add_entry(
                    entry,
                    format!(
                        "{}, {}: failure details count {}, the summary {}",
                        entry.reporter,
                        entry.day_text(),
                        thousands(itemised),
                        thousands(entry.entry.failed_sessions)
                    ),
                );
            }
            let report = entry.report;
            let assumed = [&report.start, &report.end]
                .into_iter()
                .flatten()
                .any(|t| t.zone_assumed);
            if assumed && zoneless_reports.insert(entry.report_index) {
                zoneless.add_entry_once(
                    entry,
                    format!("{}: date-range without a time zone", entry.reporter),
                );
            }
        }
        if !more_details.evidence.is_empty() {
            findings.push(
                more_details.finish(
                    Severity::Info,
                    format!(
                        "Some reports for {} itemise more failures than they count",
                        domain.name
                    ),
                    "In these reports the failure details add up to more failed sessions than the \
                 summary's total-failure-session-count. The totals on this page use the \
                 summary; the breakdown by result type uses the details."
                        .to_string(),
                    vec![
                        "Nothing to fix on your side: this is how the reporter writes its reports."
                            .to_string(),
                    ],
                    "RFC 8460 section 4.4",
                ),
            );
        }
        if !zoneless.evidence.is_empty() {
            findings.push(zoneless.finish(
                Severity::Info,
                format!("Some reports for {} give times without a time zone", domain.name),
                "RFC 8460 requires RFC 3339 date-times with a zone; these have none. They were \
                 read as UTC, which matches the reporters known to do this (Microsoft)."
                    .to_string(),
                vec!["Nothing to fix on your side.".to_string()],
                "RFC 8460 section 4.4; RFC 3339 section 5.6",
            ));
        }
        if !out_of_range.evidence.is_empty() {
            findings.push(out_of_range.finish(
                Severity::Warning,
                format!(
                    "{} for {} dated before 1990 or in the future",
                    crate::analysis::format::plural(out_of_range_reports.len(), "report", "reports"),
                    domain.name
                ),
                "These reports start on a day that cannot be true: before 1990, or more than a \
                 day after today. They are loaded and counted in the figures, but left out of \
                 the verdict and of the rules over time, whose days end at today or at the \
                 latest report that is not in the future. A reporter's clock can be wrong, but \
                 anyone can send a report (RFC 8460 section 7): dates like these can be forged \
                 to make a domain look ready to enforce."
                    .to_string(),
                vec![
                    "Check where these reports came from (the Inputs view names each file and \
                     email). If they are not from a reporter you know, leave them out."
                        .to_string(),
                ],
                "RFC 8460 section 7",
            ));
        }
    }
    reused_ids(context, set, findings);
    without_policy_domain(context, findings);
}

/// Policy entries that name no policy domain: a fault of the reporter's, not of any domain's,
/// so the advice is for the reporter's side (no policy rule runs for them).
fn without_policy_domain(context: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(domain) = context.domains.get(NO_DOMAIN) else {
        return;
    };
    let mut draft = Draft::new(super::RuleId::DataNoPolicyDomain, domain);
    let mut reports: HashSet<usize> = HashSet::new();
    let mut contacts: Vec<String> = Vec::new();
    for entry in &domain.entries {
        if !reports.insert(entry.report_index) {
            continue;
        }
        let report = entry.report;
        // Each row names its report's contact: the fix step names a few, the rows every one.
        let contact = report.contact_info.as_deref().map(|contact| {
            let named = format!("{} ({contact})", entry.reporter);
            if !contacts.contains(&named) {
                contacts.push(named);
            }
            format!(" (contact-info {contact})")
        });
        draft.add_entry(
            entry,
            format!(
                "{}{}, report-id {}, {}: a policy entry without policy-domain",
                entry.reporter,
                contact.unwrap_or_default(),
                report.report_id.as_deref().unwrap_or("(none)"),
                entry.day_text()
            ),
        );
    }
    let entries = domain.entries.len();
    let mut fix = vec![
        "Nothing to publish or change in your DNS for these entries: which of your domains \
         they are about, only the reporter knows."
            .to_string(),
        "Tell the reporter, with the report-id, that its reports leave out policy-domain, which \
         RFC 8460 requires in every policy entry."
            .to_string(),
    ];
    if !contacts.is_empty() {
        fix.push(format!(
            "The reporters' contact-info: {} (each report's is in its row below).",
            super::rules::join_words(&contacts)
        ));
    }
    findings.push(draft.finish(
        Severity::Info,
        format!(
            "{} {} no policy domain",
            crate::analysis::format::plural(entries, "policy entry", "policy entries"),
            if entries == 1 { "names" } else { "name" }
        ),
        format!(
            "{} of {} leave out policy-domain. Their sessions are counted in the totals, \
             under \"{NO_DOMAIN}\", but they cannot be told apart by domain, so no verdict or \
             policy rule is drawn from them.",
            crate::analysis::format::plural(entries, "policy entry", "policy entries"),
            crate::analysis::format::plural(reports.len(), "report", "reports"),
        ),
        fix,
        "RFC 8460 section 4.4 (policy-domain)",
    ));
}

/// Reports whose (organization-name, report-id) repeats with other content.
fn reused_ids(context: &Context<'_>, set: &ReportSet, findings: &mut Vec<Finding>) {
    if set.reused.is_empty() {
        return;
    }
    // The entries of each reused report among the domains diagnosed, found in one pass.
    let reused: HashSet<usize> = set.reused.iter().map(|(index, _)| *index).collect();
    let mut entries_of: HashMap<(usize, &str), Vec<&Entry<'_>>> = HashMap::new();
    for (name, domain) in &context.domains {
        for entry in domain
            .entries
            .iter()
            .filter(|e| reused.contains(&e.report_index))
        {
            entries_of
                .entry((entry.report_index, name.as_str()))
                .or_default()
                .push(entry);
        }
    }
    for (index, copies) in &set.reused {
        let index = *index;
        let loaded = &set.reports[index];
        let first_source = &loaded.source;
        let report_id = loaded.report.report_id.as_deref().unwrap_or("(none)");
        // The note belongs to the domain of the report's first policy, whichever domains the
        // diagnosis is run for: it is made once, in one place.
        let first_domain = loaded
            .report
            .policies
            .first()
            .map(|entry| entry.policy_domain.as_deref().unwrap_or(NO_DOMAIN));
        let Some((domain, entries)) = first_domain.and_then(|name| {
            let entries = entries_of.get(&(index, name))?;
            Some((context.domains.get(name)?, entries))
        }) else {
            continue;
        };
        let mut draft = Draft::new(super::RuleId::DataReportIdReused, domain);
        let again = super::rules::join_words(copies);
        for &entry in entries {
            draft.add_entry(
                entry,
                format!(
                    "{}: report-id {report_id}, first loaded from {first_source}, given again \
                     with other content in {again}",
                    entry.reporter
                ),
            );
        }
        let times = match copies.len() + 1 {
            2 => "twice".to_string(),
            n => format!("{n} times"),
        };
        let others = match copies.len() {
            1 => "the other is".to_string(),
            n => format!("the other {n} are"),
        };
        findings.push(draft.finish(
            Severity::Info,
            format!("Report-id {report_id} was given {times} with different content"),
            format!(
                "{} reports share the organisation and report-id {report_id} but differ. The \
                 first one loaded ({first_source}) is kept and counted; {others} listed as \
                 duplicates in the Inputs view.",
                copies.len() + 1
            ),
            vec!["Check the Inputs view to see every copy; if another is the right one, load it alone.".to_string()],
            "RFC 8460 section 4.4 (report-id)",
        ));
    }
}
