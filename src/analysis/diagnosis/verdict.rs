//! "Ready to enforce?" for each policy domain. Over the last 14 and 30 days of its reports
//! (counted back from its latest report, not from today; a report dated before 1990 or after
//! today is left out, see `data/date-out-of-range`), would enforcing its MTA-STS policy
//! have cost mail? For a policy already enforced, and for DANE, is it healthy, or degraded
//! since when? The answer is ready, not yet (and what blocks it), or not enough data (and how
//! much is needed), in plain words, with the figures behind it.

use super::context::{Domain, Entry};
use super::StsPolicy;
use crate::analysis::format_rate;
use crate::analysis::sorting::sort_by;
use crate::report::policy_text::StsMode;
use crate::report::PolicyType;
use crate::text::{add_counts, plural, thousands};
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The recent period: no session may have failed in it for a policy to be ready.
pub const RECENT_DAYS: u64 = 14;
/// The longer period whose figures are given too.
pub const WINDOW_DAYS: u64 = 30;
/// Enough data: reports on at least this many of the last 30 days...
pub const MIN_DAYS: usize = 14;
/// ...from at least this many reporting organisations.
pub const MIN_REPORTERS: usize = 2;

/// The three answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum VerdictStatus {
    Ready,
    NotYet,
    NotEnoughData,
}

impl VerdictStatus {
    /// The words a verdict's text begins with.
    pub fn label(self) -> &'static str {
        match self {
            VerdictStatus::Ready => "Ready",
            VerdictStatus::NotYet => "Not yet",
            VerdictStatus::NotEnoughData => "Not enough data",
        }
    }

    /// Most urgent first: not yet, not enough data, ready.
    pub fn rank(self) -> u8 {
        match self {
            VerdictStatus::NotYet => 0,
            VerdictStatus::NotEnoughData => 1,
            VerdictStatus::Ready => 2,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            VerdictStatus::Ready => "ready",
            VerdictStatus::NotYet => "not-yet",
            VerdictStatus::NotEnoughData => "not-enough-data",
        }
    }
}

/// A domain's verdict: its text begins with the status's label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub status: VerdictStatus,
    pub text: String,
    /// The figures behind it, one sentence each.
    pub figures: Vec<String>,
}

/// What the senders were asked to apply.
enum Subject {
    /// An MTA-STS policy in `testing` (or `none`, or a mode the reports do not give).
    StsNotEnforced(Option<StsMode>),
    StsEnforced,
    Dane,
}

/// Sessions of one period.
#[derive(Default)]
struct Period {
    from: Option<NaiveDate>,
    successful: u64,
    failed: u64,
    /// Failed sessions per reporter and per result type ("without details" for the rest).
    by_reporter: BTreeMap<String, u64>,
    by_type: BTreeMap<String, u64>,
    failing_days: BTreeSet<NaiveDate>,
}

impl Period {
    fn starting(last: NaiveDate, days: u64) -> Self {
        Period {
            from: last.checked_sub_days(Days::new(days - 1)),
            ..Period::default()
        }
    }

    fn holds(&self, day: NaiveDate) -> bool {
        self.from.is_none_or(|from| day >= from)
    }

    fn add(&mut self, entry: &Entry<'_>, day: NaiveDate) {
        let policy = entry.entry;
        self.successful = add_counts(self.successful, policy.successful_sessions);
        self.failed = add_counts(self.failed, policy.failed_sessions);
        if policy.failed_sessions == 0 {
            return;
        }
        self.failing_days.insert(day);
        let reporter = self
            .by_reporter
            .entry(entry.reporter.to_string())
            .or_default();
        *reporter = add_counts(*reporter, policy.failed_sessions);
        for detail in &policy.failure_details {
            let sessions = self
                .by_type
                .entry(detail.result_type.to_string())
                .or_default();
            *sessions = add_counts(*sessions, detail.failed_session_count);
        }
        let unitemised = policy
            .failed_sessions
            .saturating_sub(policy.itemised_failures());
        if unitemised > 0 {
            let sessions = self
                .by_type
                .entry("without details".to_string())
                .or_default();
            *sessions = add_counts(*sessions, unitemised);
        }
    }

    fn sessions(&self) -> u64 {
        add_counts(self.successful, self.failed)
    }

    /// "Last 14 days (2026-03-01 to 2026-03-14): 12,000 sessions, 120 failed (99.0% over TLS)."
    fn line(&self, days: u64, last: NaiveDate) -> String {
        let from = self
            .from
            .map_or_else(|| "the start".to_string(), |d| d.to_string());
        format!(
            "Last {days} days ({from} to {last}): {}, {} failed ({} over TLS).",
            plural(self.sessions(), "session", "sessions"),
            thousands(self.failed),
            format_rate(self.successful, self.failed)
        )
    }
}

/// "Google LLC 80, Microsoft 40": most first.
fn ranked(counts: &BTreeMap<String, u64>) -> String {
    let mut list: Vec<(&String, &u64)> = counts.iter().collect();
    sort_by(&mut list, |a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    list.iter()
        .map(|(name, count)| format!("{name} {}", thousands(**count)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn top(counts: &BTreeMap<String, u64>) -> &str {
    counts
        .iter()
        .max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0)))
        .map_or("", |(name, _)| name.as_str())
}

/// Latest reports older than this many days before today are said to be old (reporters send
/// a report a day, a day or two late): every verdict then says the day its data ends, how
/// long ago that was, and that its figures say nothing of the days since.
pub const STALE_DAYS: u64 = 7;

/// The verdict of one domain, `today` being the day the reports are read on (when known).
pub fn verdict(domain: &Domain<'_>, today: Option<NaiveDate>) -> Verdict {
    // Entries without a policy domain are not a domain anyone can publish a policy for.
    if domain.name == crate::analysis::NO_DOMAIN {
        return Verdict {
            status: VerdictStatus::NotEnoughData,
            text: "Not enough data: these policy entries name no policy domain, so they cannot \
                   tell whether any of your domains can enforce its policy (see the data \
                   findings)."
                .to_string(),
            figures: Vec::new(),
        };
    }
    let dated: Vec<(&Entry<'_>, NaiveDate)> = domain
        .entries
        .iter()
        .filter_map(|entry| Some((entry, entry.day?.date())))
        .collect();
    let Some(last) = dated.iter().map(|(_, day)| *day).max() else {
        return Verdict {
            status: VerdictStatus::NotEnoughData,
            text: format!(
                "Not enough data: no report for {} gives a day it covers that can be true (a \
                 day from 1990 to today), so the last {} days cannot be told apart.",
                domain.name, WINDOW_DAYS
            ),
            figures: Vec::new(),
        };
    };
    let mut verdict = judge(domain, &dated, last);
    // "… over the last 14 days (to 2016-04-01)": said to be old when it is.
    if let Some(age) = today
        .map(|today| (today - last).num_days())
        .filter(|&age| age > STALE_DAYS as i64)
    {
        verdict.text.push_str(&format!(
            " The latest report is from {last}, {} before today: these figures say nothing of \
             the days since.",
            plural(age as u64, "day", "days")
        ));
    }
    verdict
}

/// The verdict over the dated entries, `last` being the latest day among them.
fn judge(domain: &Domain<'_>, dated: &[(&Entry<'_>, NaiveDate)], last: NaiveDate) -> Verdict {
    let applies =
        |entry: &Entry<'_>| matches!(entry.entry.policy_type, PolicyType::Sts | PolicyType::Tlsa);
    let Some(subject) = subject(dated) else {
        return no_policy(domain, dated, last);
    };
    let mut recent = Period::starting(last, RECENT_DAYS);
    let mut window = Period::starting(last, WINDOW_DAYS);
    let mut days = BTreeSet::new();
    let mut reporters = BTreeSet::new();
    for (entry, day) in dated {
        if !window.holds(*day) {
            continue;
        }
        days.insert(*day);
        reporters.insert(entry.reporter.as_str());
        if entry.counted && applies(entry) {
            window.add(entry, *day);
            if recent.holds(*day) {
                recent.add(entry, *day);
            }
        }
    }
    let reporter_names: Vec<&str> = reporters.iter().copied().collect();
    let mut figures = vec![
        recent.line(RECENT_DAYS, last),
        window.line(WINDOW_DAYS, last),
    ];
    if recent.failed > 0 {
        figures.push(format!(
            "Failed in the last {RECENT_DAYS} days, by reporter: {}.",
            ranked(&recent.by_reporter)
        ));
        figures.push(format!(
            "Failed in the last {RECENT_DAYS} days, by result type: {}.",
            ranked(&recent.by_type)
        ));
    }
    figures.push(crate::text::full_stop(format!(
        "Reports on {} of the last {WINDOW_DAYS} days, from {}: {}",
        plural(days.len(), "day", "days"),
        plural(reporters.len(), "reporter", "reporters"),
        reporter_names.join(", ")
    )));
    figures.push(subject_line(&subject));

    if recent.failed > 0 {
        let since = recent.failing_days.first().copied().unwrap_or(last);
        let what = format!(
            "{} over the last {RECENT_DAYS} days (to {last}), most of them {} reported by {}",
            plural(recent.failed, "session failed", "sessions failed"),
            top(&recent.by_type),
            top(&recent.by_reporter)
        );
        let what = crate::text::full_stop(what);
        let text = match &subject {
            Subject::StsNotEnforced(Some(_)) => format!(
                "Not yet: enforcing the MTA-STS policy would have cost mail: {what} Fix what \
                 fails (see Problems), then wait for {RECENT_DAYS} days without failures."
            ),
            Subject::StsNotEnforced(None) => format!(
                "Not yet: the reports do not give the MTA-STS policy's mode; were it testing, \
                 enforcing it would have cost mail: {what} Fix what fails (see Problems), then \
                 wait for {RECENT_DAYS} days without failures."
            ),
            Subject::StsEnforced => format!(
                "Not yet healthy: the MTA-STS policy is enforced and degraded since {since}: \
                 {what} Senders that apply it did not deliver these messages; see Problems."
            ),
            Subject::Dane => format!(
                "Not yet healthy: DANE is degraded since {since}: {what} Senders that validate \
                 DANE did not deliver these messages; see Problems."
            ),
        };
        return Verdict {
            status: VerdictStatus::NotYet,
            text,
            figures,
        };
    }
    let purpose = match &subject {
        Subject::StsNotEnforced(_) => "before enforcing",
        Subject::StsEnforced | Subject::Dane => "to call it healthy",
    };
    if days.len() < MIN_DAYS || reporters.len() < MIN_REPORTERS {
        return Verdict {
            status: VerdictStatus::NotEnoughData,
            text: format!(
                "Not enough data: no session failed, but the reports cover {} of the last \
                 {WINDOW_DAYS} days, from {}; at least {MIN_DAYS} days of reports from \
                 {MIN_REPORTERS} reporters are needed {purpose}.",
                plural(days.len(), "day", "days"),
                plural(reporters.len(), "reporter", "reporters"),
            ),
            figures,
        };
    }
    let older = if window.failed > 0 {
        format!(
            " ({} failed earlier in the last {WINDOW_DAYS} days, none since)",
            plural(window.failed, "session", "sessions")
        )
    } else {
        String::new()
    };
    let evidence = format!(
        "{} from {} over the last {RECENT_DAYS} days (to {last}) went over TLS{older}",
        plural(recent.sessions(), "session", "sessions"),
        plural(reporters.len(), "reporter", "reporters"),
    );
    let text = match &subject {
        Subject::StsNotEnforced(Some(mode)) => format!(
            "Ready: enforcing the MTA-STS policy would have cost no mail: {evidence}. Change \
             \"mode: {mode}\" to \"mode: enforce\" in the policy file, and its id in the \
             _mta-sts TXT record."
        ),
        Subject::StsNotEnforced(None) => format!(
            "Ready: enforcing the MTA-STS policy would have cost no mail: {evidence}. The \
             reports do not give its mode: if the policy file says \"mode: testing\", change \
             it to \"mode: enforce\", and the policy's id in the _mta-sts TXT record."
        ),
        Subject::StsEnforced => {
            format!("Ready: the MTA-STS policy is enforced and healthy: {evidence}.")
        }
        Subject::Dane => format!("Ready: DANE is healthy: {evidence}."),
    };
    Verdict {
        status: VerdictStatus::Ready,
        text,
        figures,
    }
}

/// What the senders applied, from the latest report that gives a policy: an MTA-STS policy
/// (by its latest mode) before DANE. `None` when no entry has either.
fn subject(dated: &[(&Entry<'_>, NaiveDate)]) -> Option<Subject> {
    let mut sts = dated
        .iter()
        .filter(|(entry, _)| entry.entry.policy_type == PolicyType::Sts)
        .peekable();
    if sts.peek().is_some() {
        // The mode from the latest report that gives one: a reporter that sends no policy
        // text (Mail.ru) must not hide the mode another reporter saw.
        let mode = sts
            .filter_map(|(entry, day)| {
                Some((*day, StsPolicy::parse(&entry.entry.policy_strings).mode?))
            })
            .max()
            .map(|(_, mode)| mode);
        return Some(match mode {
            Some(StsMode::Enforce) => Subject::StsEnforced,
            _ => Subject::StsNotEnforced(mode),
        });
    }
    dated
        .iter()
        .any(|(entry, _)| entry.entry.policy_type == PolicyType::Tlsa)
        .then_some(Subject::Dane)
}

fn subject_line(subject: &Subject) -> String {
    match subject {
        Subject::StsNotEnforced(Some(mode)) => {
            format!("Policy: MTA-STS in mode {mode} (from the latest report that gives it).")
        }
        Subject::StsNotEnforced(None) => {
            "Policy: MTA-STS; the reports do not give its mode.".to_string()
        }
        Subject::StsEnforced => {
            "Policy: MTA-STS in mode enforce (from the latest report that gives it).".into()
        }
        Subject::Dane => "Policy: DANE (TLSA records).".to_string(),
    }
}

/// Senders found neither an MTA-STS policy nor TLSA records.
fn no_policy(domain: &Domain<'_>, dated: &[(&Entry<'_>, NaiveDate)], last: NaiveDate) -> Verdict {
    let mut window = Period::starting(last, WINDOW_DAYS);
    for (entry, day) in dated {
        if entry.counted && window.holds(*day) {
            window.add(entry, *day);
        }
    }
    Verdict {
        status: VerdictStatus::NotYet,
        text: format!(
            "Not yet: senders found no MTA-STS policy and no DANE records for {}, so there is \
             nothing to enforce. Publish an MTA-STS policy in mode testing, and read its \
             reports for {WINDOW_DAYS} days.",
            domain.name
        ),
        figures: vec![window.line(WINDOW_DAYS, last)],
    }
}
