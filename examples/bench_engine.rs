//! Prints how fast the engine takes a corpus and answers filters: a benchmark, not a test.
//! It reads every file of a folder into memory first (so the disk is not timed), then times,
//! one after the other: `ingest_file` alone; the same inputs added to a [`Session`] (ingest,
//! deduplication, indexing and the tallies); the first full analysis (the diagnosis of every
//! domain); a filter change to one domain, to a week, and back to none, each with the figures
//! the page shows (a page model); and the memory kept per report, with the heap's peaks.
//!
//! Usage: cargo run --release --example bench_engine -- DIR
//! (DIR as `make_corpus` writes it: `DIR/files/`, or any folder of report files)
//! With `BENCH_JSON=1`, the last line is JSON: `session_ms` and `reports`, for
//! `scripts/bench.sh`'s side-by-side with the engine in the browser. `BENCH_DOMAIN=NAME`: the
//! domain of the filter change (the first policy domain otherwise).

use std::path::{Path, PathBuf};
use std::time::Instant;
use tlsrpt_viewer::analysis::Filter;
use tlsrpt_viewer::engine::model::ViewRequest;
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::ingest_file;

fn files_under(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
            .map(|dir| dir.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        entries.iter().for_each(|entry| files_under(entry, out));
    } else {
        out.push(path.to_path_buf());
    }
}

/// The allocator, counting the bytes in use: the session's memory exactly, where the
/// process's resident size would also count what the allocator keeps for later.
struct Counting;

static IN_USE: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
/// The most bytes in use at once since [`reset_peak`].
static PEAK: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn count_added(size: usize) {
    let now = IN_USE.fetch_add(size, std::sync::atomic::Ordering::Relaxed) + size;
    PEAK.fetch_max(now, std::sync::atomic::Ordering::Relaxed);
}

/// Starts counting the peak from the heap in use now.
fn reset_peak() {
    PEAK.store(
        IN_USE.load(std::sync::atomic::Ordering::Relaxed),
        std::sync::atomic::Ordering::Relaxed,
    );
}

/// The peak since [`reset_peak`], in MiB.
fn peak_mib() -> f64 {
    PEAK.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1048576.0
}

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        count_added(layout.size());
        unsafe { std::alloc::System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        IN_USE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, size: usize) -> *mut u8 {
        IN_USE.fetch_sub(layout.size(), std::sync::atomic::Ordering::Relaxed);
        count_added(size);
        unsafe { std::alloc::System.realloc(ptr, layout, size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The heap in use, in MiB.
fn heap_mib() -> f64 {
    IN_USE.load(std::sync::atomic::Ordering::Relaxed) as f64 / 1048576.0
}

fn timed<R>(what: &str, work: impl FnOnce() -> R) -> (R, f64) {
    let start = Instant::now();
    let result = work();
    let seconds = start.elapsed().as_secs_f64();
    println!("{what:<52} {:>9.1} ms", seconds * 1000.0);
    (result, seconds)
}

fn main() {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: cargo run --release --example bench_engine -- DIR");
        std::process::exit(2);
    };
    let mut paths = Vec::new();
    files_under(Path::new(&dir), &mut paths);
    let inputs: Vec<(String, Vec<u8>)> = paths
        .iter()
        .filter_map(|p| Some((p.to_string_lossy().into_owned(), std::fs::read(p).ok()?)))
        .collect();
    let bytes: usize = inputs.iter().map(|(_, b)| b.len()).sum();
    let mib = bytes as f64 / 1048576.0;
    println!("{} inputs, {mib:.1} MiB, from {dir}", inputs.len());

    let (nodes, ingest_s) = timed("ingest_file over every input", || {
        inputs
            .iter()
            .map(|(name, bytes)| ingest_file(name, bytes))
            .collect::<Vec<_>>()
    });
    drop(nodes);
    let heap_before = heap_mib();
    reset_peak();
    let mut session = Session::new();
    let (_, add_s) = timed("the same into a Session (ingest + index + tallies)", || {
        for (name, bytes) in &inputs {
            session.add(ingest_file(name, bytes));
        }
    });
    let reports = session.set().reports.len();
    let heap_after = heap_mib();
    let peak_adding = peak_mib();
    reset_peak();
    let json_line = format!(
        "{{\"session_ms\":{:.1},\"reports\":{reports},\"inputs\":{}}}",
        add_s * 1000.0,
        inputs.len()
    );
    let (analysis, diagnose_s) = timed("first full analysis (diagnosis of every domain)", || {
        session.analysis()
    });
    // The domain of the browser benchmark's filter change, when given (`BENCH_DOMAIN`).
    let domain = std::env::var("BENCH_DOMAIN").unwrap_or_else(|_| {
        analysis
            .overview
            .policy_domains
            .first()
            .cloned()
            .unwrap_or_default()
    });
    let last_day = analysis.overview.last_end.map(|d| d.date_naive());
    let week = last_day.map(|d| (d - chrono::TimeDelta::days(6), d));
    let mut request = ViewRequest::default();
    let filters = [
        (
            "filter: one domain, page model (figures)",
            Filter::from_fragment(&format!("domain={domain}")),
        ),
        (
            "filter: the last week, page model (figures)",
            Filter {
                from: week.map(|w| w.0),
                to: week.map(|w| w.1),
                ..Filter::default()
            },
        ),
        (
            "filter: none again, page model (figures)",
            Filter::default(),
        ),
    ];
    for (what, filter) in filters {
        request.filter = filter;
        timed(what, || session.page(&request));
        timed("  then the findings for that filter", || session.diagnose());
    }
    let peak_after_analysis = peak_mib();
    let page = session.page(&request);
    let size = serde_json::to_string(&page).map_or(0, |text| text.len());
    let problems = page.problems().cloned().unwrap_or_default();
    println!(
        "the page model (Problems): {} result rows, {} health lines, {} findings, {} KiB as JSON",
        problems.results.rows.len(),
        problems.health.len(),
        problems.findings.len(),
        size / 1024
    );
    if std::env::var("BENCH_MODEL_PARTS").is_ok() {
        let part = |value: serde_json::Result<String>| value.map_or(0, |t| t.len() / 1024);
        println!(
            "  parts (KiB): overview {}, per-result {}, health {}, findings {}, choices {}",
            part(serde_json::to_string(&page.overview)),
            part(serde_json::to_string(&problems.results)),
            part(serde_json::to_string(&problems.health)),
            part(serde_json::to_string(&problems.findings)),
            part(serde_json::to_string(&page.choices)),
        );
    }
    println!();
    println!(
        "ingest: {:.0} MB/s, {:.0} inputs/s; session add: {:.0} MB/s, {:.0} reports/s; \
         analysis: {:.0} reports/s",
        mib / ingest_s,
        inputs.len() as f64 / ingest_s,
        mib / add_s,
        reports as f64 / add_s,
        reports as f64 / diagnose_s
    );
    println!(
        "{reports} reports kept; the heap grew {:.1} MiB while adding them ({:.1} KiB per report; \
         the inputs themselves are {:.1} KiB per report)",
        heap_after - heap_before,
        (heap_after - heap_before) * 1024.0 / reports.max(1) as f64,
        bytes as f64 / 1024.0 / reports.max(1) as f64
    );
    println!(
        "the heap's peak: {:.1} MiB above the start while adding, {:.1} MiB above the kept \
         session during the first analysis and the filter changes",
        peak_adding - heap_before,
        peak_after_analysis - heap_after
    );
    let kept: usize = session
        .set()
        .reports
        .iter()
        .filter_map(|loaded| loaded.raw.as_ref())
        .map(|raw| raw.packed_len())
        .sum();
    println!(
        "the reports' JSON as given is kept in {:.2} KiB per report (gzip data as given, or \
         packed)",
        kept as f64 / 1024.0 / reports.max(1) as f64
    );
    println!(
        "their names (organisations, domains, MX hosts, IPs, result types, days) are {} \
         distinct values, each kept once",
        session.set().distinct_names()
    );
    if std::env::var("BENCH_JSON").is_ok() {
        println!("{json_line}");
    }
}
