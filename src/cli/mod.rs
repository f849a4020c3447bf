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
mod piece;
mod progress;
pub mod rows;
mod spool;
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

/// Reads the inputs into a session, and names on standard error each one set aside (or
/// each piece inside one), with its reason, as `rows` does.
fn load(session: &mut crate::engine::Session, paths: &[String]) {
    for input in inputs::collect(paths) {
        session.add(input.ingest());
    }
    for piece in crate::engine::set_aside(&session.set().inputs, usize::MAX) {
        eprintln!("{}: {}", piece.name, piece.reason);
    }
}

/// A command's arguments: its options (`--flag value`, `--flag=value`, or a bare `--flag`) in
/// order, and its inputs (anything else, `-` included).
struct Parsed {
    options: Vec<(String, String)>,
    inputs: Vec<String>,
}

/// Splits the arguments; `taking` names the options that take a value.
fn parse(arguments: &[String], taking: &[&str]) -> Result<Parsed, String> {
    let mut parsed = Parsed {
        options: Vec::new(),
        inputs: Vec::new(),
    };
    let mut rest = arguments.iter();
    while let Some(argument) = rest.next() {
        if !argument.starts_with("--") {
            parsed.inputs.push(argument.clone());
            continue;
        }
        let (flag, value) = match argument.split_once('=') {
            Some((flag, value)) => (flag.to_string(), value.to_string()),
            None if taking.contains(&argument.as_str()) => {
                let value = rest
                    .next()
                    .ok_or_else(|| format!("{argument} takes a value"))?;
                (argument.clone(), value.clone())
            }
            None => (argument.clone(), String::new()),
        };
        parsed.options.push((flag, value));
    }
    if parsed.inputs.is_empty() {
        return Err("no input given".to_string());
    }
    Ok(parsed)
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

#[cfg(test)]
mod tests {
    use super::parse;

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn options_take_their_value_either_way_and_the_rest_are_inputs() {
        let parsed = parse(
            &strings(&["--out", "-", "a.json", "--table=policy", "--reports", "-"]),
            &["--out", "--table"],
        )
        .unwrap();
        assert_eq!(
            parsed.options,
            vec![
                ("--out".to_string(), "-".to_string()),
                ("--table".to_string(), "policy".to_string()),
                ("--reports".to_string(), String::new()),
            ]
        );
        assert_eq!(parsed.inputs, strings(&["a.json", "-"]));
        // A filter fragment keeps its own "=" signs.
        let parsed = parse(
            &strings(&["--filter=domain=a.example&ip=192.0.2.1", "x"]),
            &[],
        )
        .unwrap();
        assert_eq!(parsed.options[0].1, "domain=a.example&ip=192.0.2.1");
        assert!(parse(&strings(&["--out"]), &["--out"]).is_err());
        assert!(parse(&strings(&["--reports"]), &[]).is_err(), "no input");
    }
}
