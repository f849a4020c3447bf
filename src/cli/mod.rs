//! The `tlsrpt` command (native only): the engine the page runs, for inputs past one browser.
//! - `summarize`: what the viewer shows, as JSON;
//! - `rows`: the reports as rows for DuckDB, ClickHouse or BigQuery (schema v1, see
//!   `docs/rows.md` and [`crate::engine::rows`]), read on every core and written as read;
//! - `check`: for cron and monitoring systems, with the monitoring plugins' exit codes.
//!
//! Inputs are taken as the page takes them ([`inputs`]). Errors are values until here, where
//! each becomes a line on standard error and an exit status.

pub mod check;
pub mod inputs;
#[cfg(feature = "parquet")]
mod parquet;
mod progress;
pub mod rows;
pub mod summarize;

const USAGE: &str = "usage:
  tlsrpt summarize [--filter=FRAGMENT] [--compare=FROM..TO,FROM..TO] [--today=YYYY-MM-DD] [--reports] INPUT...
  tlsrpt rows [--format ndjson|csv|parquet] [--out DIR|-] [--table policy|failure] [--jobs N] INPUT...
  tlsrpt check [--fail-on critical|warning|info] [--days N] [--today=YYYY-MM-DD] INPUT...

INPUT: a file (.json, .json.gz, an email, an mbox, a zip), a folder (read recursively; a
Maildir too), or - for standard input. See the README and docs/rows.md.";

/// Runs the command named by the first argument; returns the exit status.
pub fn main(arguments: &[String]) -> i32 {
    let Some((command, rest)) = arguments.split_first() else {
        eprintln!("{USAGE}");
        return 2;
    };
    match command.as_str() {
        "summarize" => summarize::run(rest),
        "rows" => rows::run(rest),
        "check" => check::run(rest),
        "help" | "--help" | "-h" => {
            println!("{USAGE}");
            0
        }
        "--version" | "-V" => {
            println!("tlsrpt {}", env!("CARGO_PKG_VERSION"));
            0
        }
        other => {
            eprintln!("tlsrpt: unknown command {other:?}\n{USAGE}");
            2
        }
    }
}

/// Says what is wrong with the arguments, and how the command is used: exit status 2.
fn fail_usage(problem: &str, usage: &str) -> i32 {
    eprintln!("tlsrpt: {problem}\nusage: {usage}");
    2
}

/// `--today=YYYY-MM-DD`'s day, or the usage error's exit status.
fn today_of(text: &str) -> Result<chrono::NaiveDate, i32> {
    crate::text::parse_day(text).ok_or_else(|| {
        eprintln!("tlsrpt: --today takes a day as YYYY-MM-DD, not {text:?}");
        2
    })
}
