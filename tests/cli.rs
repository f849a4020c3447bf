//! The `tlsrpt` command, run as a user runs it: `rows` gives the same bytes whatever
//! `--jobs`, as many reports as `summarize` loads, one table on standard output, standard
//! input as an input; `check` follows the monitoring plugins' exit codes.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

const TLSRPT: &str = env!("CARGO_BIN_EXE_tlsrpt");

fn run(arguments: &[&str]) -> Output {
    Command::new(TLSRPT)
        .args(arguments)
        .output()
        .expect("tlsrpt runs")
}

fn samples() -> String {
    real().to_string_lossy().into_owned()
}

fn real() -> std::path::PathBuf {
    common::samples_dir().join("real")
}

fn temp(label: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tlsrpt-cli-{label}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn read(dir: &std::path::Path, file: &str) -> Vec<u8> {
    std::fs::read(dir.join(file)).expect("the rows were written")
}

#[test]
fn rows_are_the_same_bytes_whatever_the_jobs_and_count_what_summarize_loads() {
    let corpus = temp("corpus");
    let mbox = tlsrpt_corpus::write_mbox(600, 20, 30, &corpus).expect("the corpus is written");
    let inputs = [samples(), mbox.to_string_lossy().into_owned()];
    let mut outputs = Vec::new();
    for jobs in ["1", "3"] {
        let out = temp(&format!("jobs{jobs}"));
        let done = run(&[
            "rows",
            "--jobs",
            jobs,
            "--out",
            &out.to_string_lossy(),
            &inputs[0],
            &inputs[1],
        ]);
        assert!(
            done.status.success(),
            "{}",
            String::from_utf8_lossy(&done.stderr)
        );
        outputs.push((
            read(&out, "tlsrpt_policy.ndjson"),
            read(&out, "tlsrpt_failure.ndjson"),
            String::from_utf8_lossy(&done.stderr).into_owned(),
        ));
        let _ = std::fs::remove_dir_all(&out);
    }
    assert!(
        outputs[0].0 == outputs[1].0,
        "policy rows differ with --jobs"
    );
    assert!(
        outputs[0].1 == outputs[1].1,
        "failure rows differ with --jobs"
    );

    // As many reports, duplicates and set-aside inputs as summarize counts.
    let summary = run(&["summarize", &inputs[0], &inputs[1]]);
    let summary: serde_json::Value = serde_json::from_slice(&summary.stdout).unwrap();
    let counts = &summary["input-counts"];
    let line = outputs[0].2.lines().last().unwrap().to_string();
    assert!(
        line.contains(&format!(
            "{} reports, {} duplicates, {} set aside",
            counts["loaded"], counts["duplicates"], counts["rejected"]
        )),
        "{line}"
    );
    // Every rejected input is named on standard error, with its reason.
    assert!(
        outputs[0].2.contains("LICENSE: not a report"),
        "{}",
        outputs[0].2
    );
    let reports: std::collections::BTreeSet<String> = String::from_utf8_lossy(&outputs[0].0)
        .lines()
        .map(|row| {
            let row: serde_json::Value = serde_json::from_str(row).unwrap();
            row["report_key"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(Some(reports.len() as u64), counts["loaded"].as_u64());
    let _ = std::fs::remove_dir_all(&corpus);
}

#[test]
fn one_table_to_standard_output_and_standard_input_as_an_input() {
    let sample = common::sample("real/parsedmarc/mail.ru.json");
    let mut child = Command::new(TLSRPT)
        .args(["rows", "--out", "-", "--table", "failure", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&sample).unwrap();
    let done = child.wait_with_output().unwrap();
    assert!(done.status.success());
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&done.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2, "Mail.ru's two failure details");
    assert_eq!(rows[0]["result_type"], "sts-policy-fetch-error");
    assert_eq!(rows[0]["source_name"], "standard input");
    assert_eq!(rows[0]["organization_name"], "Mail.ru");
    // CSV: a header, then a line per row.
    let out = temp("csv");
    let done = run(&[
        "rows",
        "--format",
        "csv",
        "--out",
        &out.to_string_lossy(),
        &samples(),
    ]);
    assert!(done.status.success());
    let csv = String::from_utf8(read(&out, "tlsrpt_policy.csv")).unwrap();
    assert!(csv.starts_with("schema_version,report_key,organization_name,"));
    let ndjson = run(&["rows", "--out", "-", "--table", "policy", &samples()]);
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&ndjson.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().unwrap().clone();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), rows.len());
    // Every cell under its own header: the CSV says what the NDJSON says.
    for (record, row) in records.iter().zip(&rows) {
        for (column, cell) in header.iter().zip(record.iter()) {
            let expected = match &row[column] {
                serde_json::Value::Null => String::new(),
                serde_json::Value::String(text) => text.clone(),
                other => other.to_string(),
            };
            assert_eq!(cell, expected, "{column}");
        }
    }
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn rows_of_nothing_readable_fail_and_say_why() {
    let dir = temp("nothing");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("dmarc.xml");
    std::fs::write(&file, "<?xml version=\"1.0\"?><feedback></feedback>").unwrap();
    let done = run(&[
        "rows",
        "--out",
        &dir.to_string_lossy(),
        &file.to_string_lossy(),
    ]);
    assert_eq!(done.status.code(), Some(1));
    let said = String::from_utf8_lossy(&done.stderr);
    assert!(said.contains("dmarc.xml: "), "{said}");
    assert!(said.contains("no report could be read"), "{said}");
    let done = run(&["rows", "--format", "xml", &file.to_string_lossy()]);
    assert_eq!(done.status.code(), Some(2), "a usage error");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_follows_the_monitoring_plugins_exit_codes() {
    // The real samples: critical findings (Mail.ru cannot fetch a policy, and more).
    let done = run(&["check", &samples()]);
    assert_eq!(done.status.code(), Some(2));
    let said = String::from_utf8_lossy(&done.stdout);
    let first = said.lines().next().unwrap();
    assert!(
        first.starts_with("TLSRPT CRITICAL - 3 critical findings, "),
        "{first}"
    );
    assert!(said.lines().nth(1).unwrap().starts_with("CRITICAL "));

    // A report with no failure: OK.
    let clean = real().join("cry-inc-dmarc-report-viewer/google.json");
    let done = run(&["check", &clean.to_string_lossy()]);
    let said = String::from_utf8_lossy(&done.stdout);
    assert_eq!(done.status.code(), Some(0), "{said}");
    assert_eq!(
        said.trim(),
        "TLSRPT OK - no finding; 1 report, 100.0% of 1 session over TLS"
    );

    // Warnings only: OK by default, WARNING with --fail-on warning.
    let warned = real().join("isseis-tlsrpt-digest/tlsrpt_failure.eml");
    let default = run(&["check", &warned.to_string_lossy()]);
    let strict = run(&["check", "--fail-on", "warning", &warned.to_string_lossy()]);
    let said = String::from_utf8_lossy(&strict.stdout);
    if said.starts_with("TLSRPT WARNING") {
        assert_eq!(default.status.code(), Some(0));
        assert_eq!(strict.status.code(), Some(1));
    } else {
        panic!("expected warnings only from {}: {said}", warned.display());
    }

    // Nothing readable, or no report in the last days: UNKNOWN.
    let dir = temp("check");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("empty.json"), "").unwrap();
    let done = run(&["check", &dir.to_string_lossy()]);
    assert_eq!(done.status.code(), Some(3));
    assert!(
        String::from_utf8_lossy(&done.stderr).contains("empty.json: "),
        "each input set aside is named on standard error"
    );
    let done = run(&["check", "--days", "7", "--today=2026-12-01", &samples()]);
    assert_eq!(done.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&done.stdout).contains("no report in the last 7 days"));
    // The last days that hold the Mail.ru report: its critical finding.
    let done = run(&["check", "--days", "2", "--today=2024-02-23", &samples()]);
    let said = String::from_utf8_lossy(&done.stdout);
    assert_eq!(done.status.code(), Some(2), "{said}");
    assert!(
        said.contains("Senders could not fetch the MTA-STS policy of example.com"),
        "{said}"
    );
    // A mistyped option is UNKNOWN, never CRITICAL: a typo in a monitoring set-up pages nobody.
    let done = run(&["check", "--fail-on=bogus", &samples()]);
    assert_eq!(done.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&done.stdout).starts_with("TLSRPT UNKNOWN - --fail-on takes"));
    let _ = std::fs::remove_dir_all(&dir);
}
