//! `tlsrpt rows`: the reports as rows of `tlsrpt_policy` and `tlsrpt_failure` (schema v1,
//! `docs/rows.md`), in NDJSON, CSV or Parquet, written as they are read. `--jobs` threads read
//! and parse the inputs, each a message or archive entry at a time (a zip from its file), and
//! hand each input's rows to a spool of its own ([`super::spool`]); the writer takes the
//! spools in input order, so the same inputs give the same bytes whatever `--jobs`, every
//! core reads even when the inputs are two large archives, and memory stays bounded whatever
//! the inputs' number and size. Of each report only what deduplication needs is kept: a
//! 128-bit hash of its identity, as the viewer deduplicates.

use super::inputs::{self, Input};
use super::piece::{Encoded, Piece, ReadReport};
use super::spool::Spool;
use super::{fail_usage, parse, progress};
use crate::engine::rows::{
    columns, csv_cells, identity_hash, report_rows, write_ndjson, FailureRow, PolicyRow,
    FAILURE_TABLE, POLICY_TABLE,
};
use crate::ingest::{child_path, IngestNode, NodeContent};
use crate::report::Report;
use std::collections::{HashSet, VecDeque};
use std::io::Write;
use std::path::PathBuf;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

pub const USAGE: &str = "tlsrpt rows [--format ndjson|csv|parquet] [--out DIR|-] \
[--table policy|failure] [--jobs N] INPUT...";

/// Inputs in flight per job: read ahead of the writer, so that small files keep every core
/// busy while a large one is written.
const WINDOW_PER_JOB: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Ndjson,
    Csv,
    #[cfg(feature = "parquet")]
    Parquet,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Ndjson => "ndjson",
            Format::Csv => "csv",
            #[cfg(feature = "parquet")]
            Format::Parquet => "parquet",
        }
    }
}

/// Where the rows go: a folder with a file per table, or standard output for one table.
enum Out {
    Folder(PathBuf),
    StandardOutput(&'static str),
}

struct Options {
    format: Format,
    out: Out,
    jobs: usize,
    paths: Vec<String>,
}

/// Runs the command; returns its exit status.
pub fn run(arguments: &[String]) -> i32 {
    let options = match options(arguments) {
        Ok(options) => options,
        Err(problem) => return fail_usage(&problem, USAGE),
    };
    match write_rows(&options) {
        Ok(counts) => {
            eprintln!("tlsrpt rows: {}", counts.describe());
            if counts.reports == 0 {
                eprintln!("tlsrpt rows: no report could be read from the inputs given");
                1
            } else {
                0
            }
        }
        Err(error) => {
            eprintln!("tlsrpt rows: {error}");
            1
        }
    }
}

fn options(arguments: &[String]) -> Result<Options, String> {
    let parsed = parse(arguments, &["--format", "--out", "--table", "--jobs"])?;
    let mut format = Format::Ndjson;
    let mut out: Option<String> = None;
    let mut table: Option<&'static str> = None;
    let mut jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
    for (flag, value) in &parsed.options {
        match flag.as_str() {
            "--format" => {
                format = match value.as_str() {
                    "ndjson" => Format::Ndjson,
                    "csv" => Format::Csv,
                    #[cfg(feature = "parquet")]
                    "parquet" => Format::Parquet,
                    #[cfg(not(feature = "parquet"))]
                    "parquet" => {
                        return Err("this tlsrpt was built without Parquet: build it with \
                                    `cargo build --release --bin tlsrpt --features parquet`, \
                                    or write NDJSON, which every engine reads"
                            .to_string())
                    }
                    other => return Err(format!("unknown format {other:?}")),
                }
            }
            "--out" => out = Some(value.clone()),
            "--table" => {
                table = Some(match value.as_str() {
                    "policy" => POLICY_TABLE,
                    "failure" => FAILURE_TABLE,
                    other => return Err(format!("unknown table {other:?}")),
                })
            }
            "--jobs" => {
                jobs = value
                    .parse()
                    .ok()
                    .filter(|&n: &usize| n > 0)
                    .ok_or("--jobs takes a number of threads, 1 or more")?
            }
            flag => return Err(format!("unknown option {flag}")),
        }
    }
    let paths = parsed.inputs;
    let out = match (out.as_deref(), table) {
        (Some("-"), Some(table)) if format == Format::Ndjson => Out::StandardOutput(table),
        (Some("-"), _) => {
            return Err(
                "--out - writes one table, as NDJSON: give --table policy or --table failure, \
                 and no other --format"
                    .to_string(),
            )
        }
        (Some(folder), _) => Out::Folder(PathBuf::from(folder)),
        (None, _) => Out::Folder(PathBuf::from(".")),
    };
    Ok(Options {
        format,
        out,
        jobs,
        paths,
    })
}

/// What was read and written.
#[derive(Debug, Default)]
struct Counts {
    inputs: usize,
    reports: usize,
    duplicates: usize,
    set_aside: usize,
    policy_rows: usize,
    failure_rows: usize,
    written: Vec<String>,
}

impl Counts {
    fn describe(&self) -> String {
        let mut line = format!(
            "{} inputs: {} reports, {} duplicates, {} set aside; {} policy rows, {} failure rows",
            self.inputs,
            self.reports,
            self.duplicates,
            self.set_aside,
            self.policy_rows,
            self.failure_rows
        );
        if !self.written.is_empty() {
            line.push_str(&format!(" → {}", self.written.join(", ")));
        }
        line
    }
}

/// A table's file (or standard output), its header written.
enum Sink<R: RowsOf> {
    Text(Box<dyn Write>),
    #[cfg(feature = "parquet")]
    Parquet(super::parquet::ParquetSink<R>),
    #[cfg(not(feature = "parquet"))]
    #[allow(dead_code)]
    Never(std::marker::PhantomData<R>),
}

/// The rows a Parquet file can take (any row without the feature).
#[cfg(feature = "parquet")]
trait RowsOf: super::parquet::ParquetRow {}
#[cfg(feature = "parquet")]
impl<R: super::parquet::ParquetRow> RowsOf for R {}
#[cfg(not(feature = "parquet"))]
trait RowsOf {}
#[cfg(not(feature = "parquet"))]
impl<R> RowsOf for R {}

impl<R: RowsOf> Sink<R> {
    fn write(&mut self, rows: Encoded<R>) -> std::io::Result<()> {
        match (self, rows) {
            (Sink::Text(out), Encoded::Text { bytes, .. }) => out.write_all(&bytes),
            #[cfg(feature = "parquet")]
            (Sink::Parquet(sink), Encoded::Rows(rows)) => sink.push(rows),
            _ => Err(std::io::Error::other("rows encoded for another format")),
        }
    }

    fn finish(self) -> std::io::Result<()> {
        match self {
            Sink::Text(mut out) => out.flush(),
            #[cfg(feature = "parquet")]
            Sink::Parquet(sink) => sink.close(),
            #[cfg(not(feature = "parquet"))]
            Sink::Never(_) => Ok(()),
        }
    }
}

fn write_rows(options: &Options) -> std::io::Result<Counts> {
    let inputs = inputs::collect(&options.paths);
    let mut counts = Counts {
        inputs: inputs.len(),
        ..Counts::default()
    };
    let (mut policy, mut failure) = sinks(options, &mut counts)?;
    let wanted = Wanted {
        format: options.format,
        policy: policy.is_some(),
        failure: failure.is_some(),
    };
    let bar = progress::inputs(inputs.len());
    let mut seen: HashSet<u128> = HashSet::new();
    // Each input's pieces come through a spool of its own, taken in input order; the
    // workers take the inputs in order, at most WINDOW_PER_JOB inputs per job ahead of the
    // writer, and an input not yet reached spills past a megabyte: memory stays bounded and
    // every core reads, whatever the inputs' number and size.
    let window = options.jobs * WINDOW_PER_JOB;
    let (work, queue) = mpsc::channel::<(usize, Arc<Spool>)>();
    let queue = Mutex::new(queue);
    let written: std::io::Result<()> = std::thread::scope(|scope| {
        for _ in 0..options.jobs {
            let queue = &queue;
            let inputs = &inputs;
            scope.spawn(move || loop {
                let next = queue.lock().map(|queue| queue.recv());
                let Ok(Ok((index, spool))) = next else { return };
                if !spool.abandoned() {
                    read_guarded(&inputs[index], wanted, &spool);
                }
                spool.finish();
            });
        }
        let mut pending: VecDeque<Arc<Spool>> = VecDeque::new();
        let mut next = 0;
        let mut handle = |piece: Piece| -> std::io::Result<()> {
            match piece {
                Piece::SetAside(path, reason) => {
                    counts.set_aside += 1;
                    bar.suspend(|| eprintln!("{path}: {reason}"));
                }
                Piece::Report(report) => {
                    if !seen.insert(report.key) {
                        counts.duplicates += 1;
                        return Ok(());
                    }
                    counts.reports += 1;
                    if let Some(sink) = &mut policy {
                        counts.policy_rows += report.policy.rows();
                        sink.write(report.policy)?;
                    }
                    if let Some(sink) = &mut failure {
                        counts.failure_rows += report.failure.rows();
                        sink.write(report.failure)?;
                    }
                }
            }
            Ok(())
        };
        let mut result = Ok(());
        while next < inputs.len() || !pending.is_empty() {
            while next < inputs.len() && pending.len() < window {
                let spool = Arc::new(Spool::new(next));
                if work.send((next, Arc::clone(&spool))).is_err() {
                    result = Err(std::io::Error::other("the readers stopped"));
                    break;
                }
                pending.push_back(spool);
                next += 1;
            }
            let Some(spool) = pending.pop_front() else {
                break;
            };
            if let Err(error) = spool.drain(&mut handle) {
                spool.abandon();
                result = Err(error);
                break;
            }
            bar.inc(1);
        }
        // No more work: the workers end once the queue is empty, or at their next piece
        // when the writer stopped.
        drop(work);
        for spool in &pending {
            spool.abandon();
        }
        result
    });
    written?;
    bar.finish_and_clear();
    if let Some(sink) = policy {
        sink.finish()?;
    }
    if let Some(sink) = failure {
        sink.finish()?;
    }
    Ok(counts)
}

/// [`stream`], and should reading the input meet a bug (a panic), the input's remaining
/// reports are set aside with a reason, and the other inputs go on: one bad file never
/// costs the others, and the command never hangs waiting for a reader that died.
fn read_guarded(input: &Input, wanted: Wanted, out: &Spool) {
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        stream(input, wanted, out);
    }));
    if read.is_err() {
        out.push(Piece::SetAside(
            input.name(),
            "reading stopped here on an internal error (see above); the reports before it are \
             written, and the rest of this input is not: please report it"
                .to_string(),
        ));
    }
}

/// Reads one input (on a worker thread), a message or archive entry at a time, and sends its
/// reports as rows and what was set aside, in order. Stops when the writer has gone.
fn stream(input: &Input, wanted: Wanted, out: &Spool) {
    let name = input.name();
    let opened = match input.open() {
        Ok(opened) => opened,
        Err(unread) => {
            out.push(Piece::SetAside(name, unread.reason));
            return;
        }
    };
    let mut job = opened.job(&name);
    while job.step() {
        for item in job.take_read() {
            if !send(item, &name, wanted, out) {
                return;
            }
        }
    }
    send(job.finish(), "", wanted, out);
}

/// The tables to write, and how.
#[derive(Clone, Copy)]
struct Wanted {
    format: Format,
    policy: bool,
    failure: bool,
}

type Sinks = (Option<Sink<PolicyRow>>, Option<Sink<FailureRow>>);

fn sinks(options: &Options, counts: &mut Counts) -> std::io::Result<Sinks> {
    match &options.out {
        Out::StandardOutput(table) => {
            let out = || -> Box<dyn Write> { Box::new(std::io::BufWriter::new(std::io::stdout())) };
            Ok(if *table == POLICY_TABLE {
                (Some(Sink::Text(out())), None)
            } else {
                (None, Some(Sink::Text(out())))
            })
        }
        Out::Folder(folder) => {
            std::fs::create_dir_all(folder)?;
            let mut path = |table: &str| {
                let path = folder.join(format!("{table}.{}", options.format.extension()));
                counts.written.push(path.to_string_lossy().into_owned());
                path
            };
            let (policy, failure) = (path(POLICY_TABLE), path(FAILURE_TABLE));
            #[cfg(feature = "parquet")]
            if options.format == Format::Parquet {
                return Ok((
                    Some(Sink::Parquet(super::parquet::ParquetSink::create(&policy)?)),
                    Some(Sink::Parquet(super::parquet::ParquetSink::create(
                        &failure,
                    )?)),
                ));
            }
            let open = |path: &std::path::Path, table: &str| -> std::io::Result<Box<dyn Write>> {
                let mut out: Box<dyn Write> =
                    Box::new(std::io::BufWriter::new(std::fs::File::create(path)?));
                if options.format == Format::Csv {
                    let mut header = csv::Writer::from_writer(Vec::new());
                    header.write_record(columns(table))?;
                    out.write_all(&header.into_inner().map_err(|e| e.into_error())?)?;
                }
                Ok(out)
            };
            Ok((
                Some(Sink::Text(open(&policy, POLICY_TABLE)?)),
                Some(Sink::Text(open(&failure, FAILURE_TABLE)?)),
            ))
        }
    }
}

fn rows_of(report: &Report, source: &str, fingerprint: u64, wanted: Wanted) -> ReadReport {
    let (policies, failures) = report_rows(report, source, fingerprint);
    ReadReport {
        key: identity_hash(report, fingerprint),
        policy: encode(policies, wanted.policy, wanted.format, POLICY_TABLE),
        failure: encode(failures, wanted.failure, wanted.format, FAILURE_TABLE),
    }
}

/// A table's rows of one report, as its format takes them (nothing when the table is not
/// written).
fn encode<R: serde::Serialize>(
    rows: Vec<R>,
    wanted: bool,
    format: Format,
    table: &str,
) -> Encoded<R> {
    if !wanted {
        return Encoded::Text {
            bytes: Vec::new(),
            rows: rows.len(),
        };
    }
    #[cfg(feature = "parquet")]
    if format == Format::Parquet {
        return Encoded::Rows(rows);
    }
    let mut bytes = Vec::new();
    // Writing to memory fails only on a serialiser error, which these rows cannot meet.
    let _ = write_table(&mut bytes, &rows, format, table);
    Encoded::Text {
        bytes,
        rows: rows.len(),
    }
}

fn write_table<R: serde::Serialize>(
    out: &mut Vec<u8>,
    rows: &[R],
    format: Format,
    table: &str,
) -> std::io::Result<()> {
    match format {
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(out);
            for row in rows {
                writer.write_record(csv_cells(row, table))?;
            }
            writer.flush()
        }
        _ => write_ndjson(out, rows),
    }
}

/// Sends what a node read holds, in order: each report as rows, each piece set aside with its
/// reason. False once the writer has stopped.
fn send(node: IngestNode, parent: &str, wanted: Wanted, out: &Spool) -> bool {
    let path = child_path(parent, &node.name);
    match node.content {
        NodeContent::Report {
            report,
            fingerprint,
            ..
        } => out.push(Piece::Report(rows_of(&report, &path, fingerprint, wanted))),
        NodeContent::Rejected { reason } => out.push(Piece::SetAside(path, reason)),
        NodeContent::Unpacked { children } => children
            .into_iter()
            .all(|child| send(child, &path, wanted, out)),
    }
}
