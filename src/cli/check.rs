//! `tlsrpt check`: for cron and monitoring systems (Nagios, Icinga, Zabbix, Sensu…). It
//! follows the monitoring plugins' exit codes: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN when its
//! arguments cannot be read or no report could be read (or none falls in `--days`). It prints
//! a one-line status first, then a line per finding, most urgent first. `--fail-on` sets the least severe finding that
//! fails the check (critical by default: a critical finding gives CRITICAL, warnings are
//! listed but the check is OK; `warning`: a warning gives WARNING; `info`: any finding does).
//! `--days N` looks only at the reports of the last N days up to today.

use super::parse;
use crate::analysis::diagnosis::{ranked, Finding, Severity};
use crate::analysis::{format_rate, Filter};
use crate::engine::Session;
use crate::text::{plural, thousands};

pub const USAGE: &str = "tlsrpt check [--fail-on critical|warning|info] [--days N] \
[--today=YYYY-MM-DD] INPUT...";

/// The monitoring plugins' statuses, with their exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "OK",
            Status::Warning => "WARNING",
            Status::Critical => "CRITICAL",
            Status::Unknown => "UNKNOWN",
        }
    }
}

/// Runs the command; returns its exit status.
pub fn run(arguments: &[String]) -> i32 {
    let (fail_on, days, today, paths) = match options(arguments) {
        Ok(options) => options,
        Err(problem) => return unknown(&problem),
    };
    let mut session = Session::with_today(today);
    super::load(&mut session, &paths);
    let (status, lines) = verdict(&mut session, fail_on, days, today);
    for line in lines {
        println!("{line}");
    }
    status as i32
}

type Options = (Severity, Option<u32>, chrono::NaiveDate, Vec<String>);

fn options(arguments: &[String]) -> Result<Options, String> {
    let parsed = parse(arguments, &["--fail-on", "--days", "--today"])?;
    let mut fail_on = Severity::Critical;
    let mut days: Option<u32> = None;
    let mut today = crate::engine::clock::today();
    for (flag, value) in &parsed.options {
        match flag.as_str() {
            "--fail-on" => {
                fail_on = match value.as_str() {
                    "critical" => Severity::Critical,
                    "warning" => Severity::Warning,
                    "info" => Severity::Info,
                    _ => return Err("--fail-on takes critical, warning or info".to_string()),
                }
            }
            "--days" => match value.parse().ok().filter(|&n: &u32| n > 0) {
                Some(n) => days = Some(n),
                None => return Err("--days takes a number of days, 1 or more".to_string()),
            },
            "--today" => {
                today = crate::text::parse_day(value)
                    .ok_or_else(|| format!("--today takes a day as YYYY-MM-DD, not {value:?}"))?
            }
            flag => return Err(format!("unknown option {flag}")),
        }
    }
    Ok((fail_on, days, today, parsed.inputs))
}

/// A check that cannot run, as the monitoring plugins report it: UNKNOWN (3), never
/// CRITICAL, so that a mistyped option pages nobody; the status line first, the usage after.
fn unknown(problem: &str) -> i32 {
    println!("TLSRPT UNKNOWN - {problem}");
    eprintln!("usage: {USAGE}");
    Status::Unknown as i32
}

/// The status, and the lines to print: the one-line status first, then the findings.
pub fn verdict(
    session: &mut Session,
    fail_on: Severity,
    days: Option<u32>,
    today: chrono::NaiveDate,
) -> (Status, Vec<String>) {
    let loaded = session.counts().loaded;
    if loaded == 0 {
        let rejected = session.counts().rejected;
        return (
            Status::Unknown,
            vec![format!(
                "TLSRPT UNKNOWN - no report could be read from the inputs given ({} set aside)",
                thousands(rejected as u64)
            )],
        );
    }
    let mut filter = Filter::default();
    if let Some(days) = days {
        filter.from = today.checked_sub_days(chrono::Days::new(u64::from(days) - 1));
        filter.to = Some(today);
    }
    session.set_filter(&filter);
    let analysis = session.analysis();
    let overview = &analysis.overview;
    if overview.reports == 0 {
        let days = days.unwrap_or(0);
        return (
            Status::Unknown,
            vec![format!(
                "TLSRPT UNKNOWN - no report in the last {} (to {today}) of the {} read: are \
                 reports still arriving?",
                plural(days as u64, "day", "days"),
                plural(loaded as u64, "report", "reports")
            )],
        );
    }
    let findings = ranked(analysis.diagnosis.findings);
    let count = |severity: Severity| findings.iter().filter(|f| f.severity == severity).count();
    let (critical, warning, info) = (
        count(Severity::Critical),
        count(Severity::Warning),
        count(Severity::Info),
    );
    let failing = |severity: Severity| severity <= fail_on;
    let status = if critical > 0 {
        Status::Critical
    } else if (warning > 0 && failing(Severity::Warning)) || (info > 0 && failing(Severity::Info)) {
        Status::Warning
    } else {
        Status::Ok
    };
    let mut counted = Vec::new();
    for (number, one, many) in [
        (critical, "critical finding", "critical findings"),
        (warning, "warning", "warnings"),
        (info, "note", "notes"),
    ] {
        if number > 0 {
            counted.push(plural(number as u64, one, many));
        }
    }
    let sessions = overview
        .successful_sessions
        .saturating_add(overview.failed_sessions);
    let figures = format!(
        "{}, {} of {} over TLS",
        plural(overview.reports as u64, "report", "reports"),
        format_rate(overview.successful_sessions, overview.failed_sessions),
        plural(sessions, "session", "sessions")
    );
    let first = match status {
        Status::Ok if counted.is_empty() => format!("TLSRPT OK - no finding; {figures}"),
        Status::Ok => format!("TLSRPT OK - {}; {figures}", counted.join(", ")),
        _ => {
            let worst = findings.first().map(title).unwrap_or_default();
            format!(
                "TLSRPT {} - {}: {worst}",
                status.as_str(),
                counted.join(", ")
            )
        }
    };
    let mut lines = vec![first];
    lines.extend(findings.iter().map(|finding| {
        format!(
            "{} {}: {}",
            finding.severity.as_str().to_ascii_uppercase(),
            finding.policy_domain,
            title(finding)
        )
    }));
    (status, lines)
}

/// A finding's title, as one line.
fn title(finding: &Finding) -> String {
    finding
        .title
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}
