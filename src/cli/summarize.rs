//! `tlsrpt summarize`: what the viewer would show for the given inputs, as JSON: the outcome
//! for each input, the overview, the views per result, per source, per day and per MX, the
//! health and verdict of each policy domain, and the findings. It runs the same engine
//! ([`Session`]) as the page's Web Worker.
//!
//! `--filter` takes the page's URL fragment ("domain=example.com&ip=192.0.2.0/24") and prints
//! the figures the page shows with that filter; the inputs are always listed whole.
//! `--compare` sets the two periods of the comparison ("2026-03-01..2026-03-09,
//! 2026-03-10..2026-03-20"); without it, the loaded days are cut in two, as on the page.
//! `--today` sets the day against which report dates are judged (reports before 1990 or more
//! than a day after it are flagged and left out of the verdict); without it, the system
//! clock's, as the page takes the browser's. Each row gives how many reports are behind it
//! (`report-count`); `--reports` also lists them (`reports`, indices into a top-level
//! `reports` that lists every report with its source), which at 100,000 reports is most of a
//! 200 MB document.

use super::{fail_usage, parse, today_of};
use crate::analysis::Filter;
use crate::engine::model::{ComparePeriods, Day, DayRange};
use crate::engine::summary::{summary_with, Lists};
use crate::engine::Session;

pub const USAGE: &str = "tlsrpt summarize [--filter=FRAGMENT] [--compare=FROM..TO,FROM..TO] \
[--today=YYYY-MM-DD] [--reports] INPUT...";

/// Runs the command; returns its exit status.
pub fn run(arguments: &[String]) -> i32 {
    let parsed = match parse(arguments, &["--filter", "--compare", "--today"]) {
        Ok(parsed) => parsed,
        Err(problem) => return fail_usage(&problem, USAGE),
    };
    let mut filter = Filter::default();
    let mut compare: Option<ComparePeriods> = None;
    let mut today = crate::engine::clock::today();
    let mut lists = Lists::CountsOnly;
    for (flag, value) in &parsed.options {
        match flag.as_str() {
            "--reports" => lists = Lists::Every,
            "--today" => match today_of(value) {
                Ok(day) => today = day,
                Err(status) => return status,
            },
            "--filter" => filter = Filter::from_fragment(value),
            "--compare" => match periods_of(value) {
                Some(periods) => compare = Some(periods),
                None => {
                    return fail_usage(
                        "--compare takes FROM..TO,FROM..TO (days as 2026-03-01)",
                        USAGE,
                    )
                }
            },
            flag => return fail_usage(&format!("unknown option {flag}"), USAGE),
        }
    }
    let paths = parsed.inputs;
    let mut session = Session::with_today(today);
    super::load(&mut session, &paths);
    let summary = summary_with(&mut session, &filter, compare.as_ref(), lists);
    // Written as it is made: a 100 MB document is not held twice.
    match write_out(&summary) {
        Ok(()) => 0,
        Err(error) => {
            eprintln!("tlsrpt: could not write the summary: {error}");
            1
        }
    }
}

fn write_out(summary: &serde_json::Value) -> std::io::Result<()> {
    use std::io::Write;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, summary)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// "2026-03-01..2026-03-09,2026-03-10..2026-03-20": the periods before and after.
fn periods_of(text: &str) -> Option<ComparePeriods> {
    let range = |part: Option<&str>| {
        let (from, to) = part?.split_once("..")?;
        Some(DayRange {
            from: Day::parse(from.trim())?,
            to: Day::parse(to.trim())?,
        })
    };
    let mut parts = text.split(',');
    Some(ComparePeriods {
        before: range(parts.next())?,
        after: range(parts.next())?,
    })
}
