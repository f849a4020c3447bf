//! Prints, as JSON, what the viewer would show for the given files: the outcome for each
//! input, the overview, the view per result, the view per sending source, the health of each
//! policy domain and the findings (problems, explanations, fixes).
//!
//! Usage: cargo run --example summarize -- [--filter=FRAGMENT] [--compare=A..B,C..D]
//! [--today=YYYY-MM-DD] [--reports] FILE_OR_FOLDER...
//! Folders are read recursively, in name order, as the page reads a dropped folder.
//! `--filter` takes the page's URL fragment ("domain=example.com&ip=192.0.2.0/24") and prints
//! the figures the page shows with that filter; the inputs are always listed whole. It runs the
//! same engine ([`Session`]) as the page's Web Worker. `--compare` sets the two periods of the
//! comparison ("2026-03-01..2026-03-09,2026-03-10..2026-03-20"); without it, the loaded days
//! are cut in two, as on the page. `--today` sets the day against which report dates are
//! judged (reports before 1990 or more than a day after it are flagged and left out of the
//! verdict); without it, the system clock's, as the page takes the browser's. Each row gives
//! how many reports are behind it (`report-count`); `--reports` also lists them (`reports`,
//! indices into a top-level `reports` that lists every report with its source), which at
//! 100,000 reports is most of a 200 MB document.

use std::path::{Path, PathBuf};
use tlsrpt_viewer::analysis::Filter;
use tlsrpt_viewer::engine::model::{ComparePeriods, Day, DayRange};
use tlsrpt_viewer::engine::summary::{summary_with, Lists};
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::{ingest_file, IngestNode};

fn main() {
    let mut filter = Filter::default();
    let mut compare: Option<ComparePeriods> = None;
    let mut paths: Vec<String> = Vec::new();
    let mut today = tlsrpt_viewer::engine::clock::today();
    let mut lists = Lists::CountsOnly;
    for arg in std::env::args().skip(1) {
        if arg == "--reports" {
            lists = Lists::Every;
            continue;
        }
        if let Some(day) = arg.strip_prefix("--today=") {
            match tlsrpt_viewer::text::parse_day(day) {
                Some(day) => today = day,
                None => {
                    eprintln!("--today takes a day as YYYY-MM-DD, not {day:?}");
                    std::process::exit(2);
                }
            }
            continue;
        }
        if let Some(fragment) = arg.strip_prefix("--filter=") {
            filter = Filter::from_fragment(fragment);
        } else if let Some(periods) = arg.strip_prefix("--compare=") {
            compare = Some(periods_of(periods));
        } else {
            paths.push(arg);
        }
    }
    if paths.is_empty() {
        eprintln!("usage: cargo run --example summarize -- FILE...");
        std::process::exit(2);
    }
    let mut files = Vec::new();
    for path in &paths {
        collect_files(Path::new(path), &mut files);
    }
    let mut session = Session::with_today(today);
    for path in &files {
        let name = path.to_string_lossy();
        let ingest = match std::fs::read(path) {
            Ok(bytes) => ingest_file(&name, &bytes),
            Err(error) => IngestNode::rejected_file(
                name.into_owned(),
                0,
                format!("could not read the file: {error}"),
            ),
        };
        session.add(ingest);
    }
    let summary = summary_with(&mut session, &filter, compare.as_ref(), lists);
    // Written as it is made: a 100 MB document is not held twice.
    let written = write_out(&summary);
    match written {
        Ok(()) => {}
        Err(error) => {
            eprintln!("could not write the summary: {error}");
            std::process::exit(1);
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
fn periods_of(text: &str) -> ComparePeriods {
    let range = |part: Option<&str>| {
        let days = part
            .and_then(|p| p.split_once(".."))
            .and_then(|(from, to)| {
                Some(DayRange {
                    from: Day::parse(from.trim())?,
                    to: Day::parse(to.trim())?,
                })
            });
        days.unwrap_or_else(|| {
            eprintln!("--compare takes FROM..TO,FROM..TO (days as 2026-03-01)");
            std::process::exit(2)
        })
    };
    let mut parts = text.split(',');
    ComparePeriods {
        before: range(parts.next()),
        after: range(parts.next()),
    }
}

/// A file, or every file under a folder in name order.
fn collect_files(path: &Path, files: &mut Vec<PathBuf>) {
    if !path.is_dir() {
        files.push(path.to_path_buf());
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .collect(),
        Err(_) => vec![],
    };
    entries.sort();
    for entry in entries {
        collect_files(&entry, files);
    }
}
