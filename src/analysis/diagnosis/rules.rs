//! Building blocks the rules share: gathering the hosts, sources, reporters, days and
//! evidence of a finding as rows are added to it.

use super::context::{Domain, Entry};
use super::{Evidence, Finding, Severity};
use crate::report::{FailureDetail, Name};
use crate::text::add_counts;
use std::collections::{BTreeSet, HashMap};

/// A finding under construction.
pub struct Draft {
    pub rule: super::RuleId,
    pub domain: String,
    pub domain_sessions: u64,
    pub sessions: u64,
    pub mx_hosts: BTreeSet<Name>,
    pub sending_ips: BTreeSet<Name>,
    pub reporters: BTreeSet<Name>,
    pub days: BTreeSet<crate::text::Day>,
    pub evidence: Vec<Evidence>,
    /// For rows added once per reporter and text: the row, and how many entries it stands for.
    repeated: HashMap<(Name, String), (usize, usize)>,
}

impl Draft {
    pub fn new(rule: super::RuleId, domain: &Domain<'_>) -> Self {
        Draft {
            rule,
            domain: domain.name.clone(),
            domain_sessions: domain.sessions(),
            sessions: 0,
            mx_hosts: BTreeSet::new(),
            sending_ips: BTreeSet::new(),
            reporters: BTreeSet::new(),
            days: BTreeSet::new(),
            evidence: Vec::new(),
            repeated: HashMap::new(),
        }
    }

    /// Adds a policy entry as evidence once per reporter and text: thousands of reports that
    /// say the same thing become one row that counts them (the first report is the one linked).
    pub fn add_entry_once(&mut self, entry: &Entry<'_>, text: String) {
        let key = (entry.reporter.clone(), text);
        if let Some((_, count)) = self.repeated.get_mut(&key) {
            *count += 1;
            if let Some(day) = &entry.day {
                self.days.insert(*day);
            }
            return;
        }
        let row = self.evidence.len();
        self.add_entry(entry, key.1.clone());
        self.repeated.insert(key, (row, 1));
    }

    /// Adds a policy entry as evidence (its reporter and day), without sessions.
    pub fn add_entry(&mut self, entry: &Entry<'_>, text: String) {
        self.reporters.insert(entry.reporter.clone());
        if let Some(day) = &entry.day {
            self.days.insert(*day);
        }
        self.evidence.push(Evidence {
            report_index: entry.report_index,
            policy_index: entry.policy_index,
            detail_index: None,
            text,
            source: None,
        });
    }

    /// Adds a failure-details row: its sessions, hosts, source, reporter and day.
    pub fn add_detail(&mut self, entry: &Entry<'_>, index: usize, detail: &FailureDetail) {
        self.sessions = add_counts(self.sessions, detail.failed_session_count);
        if let Some(mx) = &detail.receiving_mx_hostname {
            self.mx_hosts.insert(mx.clone());
        }
        if let Some(ip) = detail.sending_ip_key() {
            self.sending_ips.insert(ip.clone());
        }
        self.reporters.insert(entry.reporter.clone());
        if let Some(day) = &entry.day {
            self.days.insert(*day);
        }
        self.evidence.push(Evidence {
            report_index: entry.report_index,
            policy_index: entry.policy_index,
            detail_index: Some(index),
            text: describe_detail(entry, detail),
            source: None,
        });
    }

    pub fn finish(
        self,
        severity: Severity,
        title: String,
        explanation: String,
        fix: Vec<String>,
        reference: &str,
    ) -> Finding {
        let mut evidence = self.evidence;
        for (row, count) in self.repeated.into_values() {
            if count > 1 {
                evidence[row]
                    .text
                    .push_str(&format!(" (and {} more reports like it)", count - 1));
            }
        }
        Finding {
            rule: self.rule,
            severity,
            title,
            policy_domain: self.domain,
            mx_hosts: self.mx_hosts.iter().map(String::from).collect(),
            sending_ips: self.sending_ips.iter().map(String::from).collect(),
            reporters: self.reporters.iter().map(String::from).collect(),
            sessions: self.sessions,
            domain_sessions: self.domain_sessions,
            first_seen: self.days.first().copied(),
            last_seen: self.days.last().copied(),
            explanation,
            fix,
            reference: reference.to_string(),
            evidence_total: evidence.len(),
            evidence,
            key: String::new(),
            parts: Vec::new(),
            parts_total: 0,
            domains: Vec::new(),
            left_out: Default::default(),
        }
    }
}

/// "Google Inc., 2024-02-22: 3 sessions from 209.85.220.41 to mx1.example.com
/// (certificate-expired; reason: ...)".
pub fn describe_detail(entry: &Entry<'_>, detail: &FailureDetail) -> String {
    let mut text = format!(
        "{}, {}: {} {}",
        entry.reporter,
        entry.day_text(),
        crate::analysis::format::thousands(detail.failed_session_count),
        if detail.failed_session_count == 1 {
            "session"
        } else {
            "sessions"
        }
    );
    if let Some(ip) = &detail.sending_mta_ip {
        text.push_str(&format!(" from {ip}"));
    }
    if let Some(mx) = &detail.receiving_mx_hostname {
        text.push_str(&format!(" to {mx}"));
    }
    if let Some(ip) = &detail.receiving_ip {
        text.push_str(&format!(" ({ip})"));
    }
    text.push_str(&format!(": {}", detail.result_type));
    if let Some(code) = &detail.failure_reason_code {
        text.push_str(&format!("; reason: {code}"));
    }
    if let Some(helo) = &detail.receiving_mx_helo {
        text.push_str(&format!("; HELO {helo}"));
    }
    if let Some(info) = &detail.additional_information {
        text.push_str(&format!("; see {info}"));
    }
    text
}

/// Names a sentence writes out before it counts the rest ("a, b, … and 12 more").
pub const NAMES_IN_A_SENTENCE: usize = 3;

/// "a.example, b.example and c.example"; past [`NAMES_IN_A_SENTENCE`], "a.example,
/// b.example, c.example and 12 more" (the finding's lists and rows name every one).
pub fn join_words<S: AsRef<str>>(items: &[S]) -> String {
    join_strs(&items.iter().map(AsRef::as_ref).collect::<Vec<&str>>())
}

/// [`join_words`], compiled once for every kind of name list.
fn join_strs(items: &[&str]) -> String {
    // Past a few, the rest are counted: a finding across 177 domains named 316 reporters'
    // addresses in one sentence of 28,000 characters. Its rows list every one.
    if items.len() > NAMES_IN_A_SENTENCE {
        return format!(
            "{} and {} more",
            items[..NAMES_IN_A_SENTENCE].join(", "),
            crate::text::thousands((items.len() - NAMES_IN_A_SENTENCE) as u64)
        );
    }
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "12.5%" of a share, to one decimal.
pub fn percent(share: f64) -> String {
    let value = share * 100.0;
    if value > 0.0 && value < 0.1 {
        "under 0.1%".to_string()
    } else {
        format!("{value:.1}%")
    }
}

/// The most characters a finding's title, explanation or fix step shows: names are the
/// reporters' to choose (a forged one can be 1,024 characters), and three of them in a
/// sentence must not make a card pages long. The evidence rows keep every name whole.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// `text`, cut to [`MAX_TEXT_CHARS`] with "…" where it was cut.
pub fn within_limit(text: &mut String) {
    if let Some((cut, _)) = text.char_indices().nth(MAX_TEXT_CHARS - 1) {
        if text[cut..].chars().nth(1).is_some() {
            text.truncate(cut);
            text.push('…');
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_sentence_names_a_few_and_counts_the_rest() {
        let names: Vec<String> = (0..316).map(|i| format!("https://r{i}.example/")).collect();
        let text = super::join_words(&names);
        assert_eq!(
            text,
            "https://r0.example/, https://r1.example/, https://r2.example/ and 313 more"
        );
        assert_eq!(
            super::join_words(&names[..3]),
            "https://r0.example/, https://r1.example/ and https://r2.example/"
        );
        let four = super::join_words(&names[..4]);
        assert!(four.ends_with("https://r2.example/ and 1 more"), "{four}");
    }

    #[test]
    fn a_text_past_the_limit_is_cut_where_a_character_ends() {
        let mut short = "é".repeat(super::MAX_TEXT_CHARS);
        super::within_limit(&mut short);
        assert_eq!(
            short.chars().count(),
            super::MAX_TEXT_CHARS,
            "at the limit: kept whole"
        );
        let mut long = "é".repeat(3 * super::MAX_TEXT_CHARS);
        super::within_limit(&mut long);
        assert_eq!(long.chars().count(), super::MAX_TEXT_CHARS);
        assert!(long.ends_with("é…"));
    }
}
