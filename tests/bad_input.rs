//! Each kind of bad input gets a clear reason, and never stops the other files from loading.

mod common;

use common::*;
use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use tlsrpt_viewer::ingest::{ingest_file, limits::MAX_MEMBER_BYTES, Outcome, ReportSet};

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn empty_file() {
    let empty = "the file is empty; save it again if it should hold a report";
    assert_eq!(rejection("empty.json", b""), empty);
    assert_eq!(rejection("blank.json", b"  \r\n"), empty);
    assert_eq!(
        rejection("empty.json.gz", &gzip(b"")),
        format!("inside the gzip data: {empty}")
    );
}

#[test]
fn binary_file() {
    let reason = rejection(
        "photo.json",
        &[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0],
    );
    assert_eq!(
        reason,
        "not a report: binary data starting with bytes 89 50 4e 47 0d 0a 1a 0a, which is not \
         gzip, zip or JSON"
    );
    let reason = rejection("notes.txt", b"Dear admin,\nthe report is attached.");
    assert_eq!(
        reason,
        "not a report: text starting with \"Dear admin,\"; a TLS-RPT report is JSON, a \
         .json.gz file, or an email carrying one"
    );
}

#[test]
fn truncated_gzip() {
    let whole = sample("attachments/isseis-tlsrpt-digest/tlsrpt_failure.json.gz");
    let reason = rejection("cut.json.gz", &whole[..whole.len() - 20]);
    assert!(
        reason.starts_with("truncated gzip: the compressed data ends early"),
        "{reason}"
    );
}

#[test]
fn gzip_bomb_is_capped() {
    // 1 GiB of zeros as 1024 gzip members of 1 MiB each: about 1 MB of gzip.
    let member = gzip(&vec![0u8; 1 << 20]);
    let bomb: Vec<u8> = member
        .iter()
        .copied()
        .cycle()
        .take(member.len() * 1024)
        .collect();
    assert!(bomb.len() < 2 << 20, "bomb is {} bytes", bomb.len());
    let reason = rejection("bomb.json.gz", &bomb);
    assert!(
        reason.starts_with("gzip data decompresses to more than 16 MiB"),
        "{reason}"
    );
    assert!(reason.contains("decompression bomb"));
}

#[test]
fn single_member_gzip_bomb_is_capped() {
    // One stream of 128 MiB of spaces: over the cap after whitespace that would be valid JSON.
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..((2 * MAX_MEMBER_BYTES) >> 20) {
        encoder.write_all(&chunk).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    let reason = rejection("bomb2.json.gz", &bomb);
    assert!(reason.contains("decompression bomb"), "{reason}");
}

#[test]
fn invalid_utf8() {
    let reason = rejection(
        "latin1.json",
        b"{\"organization-name\": \"M\xfcller GmbH\", \"policies\": []}",
    );
    assert_eq!(
        reason,
        "not valid UTF-8 text (bad byte at offset 24); a TLS-RPT report is UTF-8 JSON"
    );
}

#[test]
fn utf16_text() {
    let utf16: Vec<u8> = "\u{feff}{\"policies\": []}"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let reason = rejection("notepad.json", &utf16);
    assert!(
        reason.starts_with("UTF-16 text; a TLS-RPT report is UTF-8 JSON"),
        "{reason}"
    );
}

#[test]
fn json_nested_100000_levels_deep() {
    // A list is only checked for syntax (without recursion), and a list is not a report.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let reason = rejection("deep.json", deep.as_bytes());
    assert_eq!(
        reason,
        "valid JSON but not a TLS-RPT report: the top level is a list; a report is an object"
    );
    let unbalanced = "[".repeat(100_000);
    let reason = rejection("deep-open.json", unbalanced.as_bytes());
    assert!(
        reason.starts_with("JSON syntax error at line 1, column 100000"),
        "{reason}"
    );
    // An object is read into memory, and its depth is limited.
    let deep_object = format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    let reason = rejection("deep-object.json", deep_object.as_bytes());
    assert!(reason.starts_with("JSON nested too deeply"), "{reason}");
}

#[test]
fn megabytes_of_junk_array() {
    let junk = |megabytes: usize| {
        let mut junk = String::with_capacity(megabytes << 20);
        junk.push('[');
        while junk.len() < megabytes << 20 {
            junk.push_str("\"junk\",12345,{\"x\":null},");
        }
        junk.push_str("0]");
        junk
    };
    let reason = rejection("junk.json", junk(15).as_bytes());
    assert_eq!(
        reason,
        "valid JSON but not a TLS-RPT report: the top level is a list; a report is an object"
    );
    let reason = rejection("junk50.json", junk(50).as_bytes());
    assert_eq!(
        reason,
        "the JSON text is 50 MiB, over the 16 MiB limit for one report (real reports are a few \
         kilobytes)"
    );
}

#[test]
fn syntax_errors_say_where() {
    let reason = rejection(
        "broken.json",
        b"{\n  \"organization-name\": \"x\",\n  \"policies\": [,]\n}",
    );
    assert_eq!(
        reason,
        "JSON syntax error at line 3, column 16: expected value; the report is damaged or cut \
         off: save or download it again"
    );
}

#[test]
fn json_that_is_not_a_report() {
    assert_eq!(
        rejection("package.json", b"{\"name\": \"x\", \"version\": \"1\"}"),
        "valid JSON but not a TLS-RPT report: no policies"
    );
    assert_eq!(
        rejection("odd.json", b"{\"policies\": 3}"),
        "valid JSON but not a TLS-RPT report: \"policies\" is a number, not a list"
    );
}

#[test]
fn one_bad_file_never_costs_the_others() {
    let mut set = ReportSet::new();
    set.add(ingest_file(
        "a.json",
        &sample("real/parsedmarc/mail.ru.json"),
    ));
    set.add(ingest_file(
        "bad.json.gz",
        &[0x1f, 0x8b, 0x08, 0x00, 1, 2, 3],
    ));
    set.add(ingest_file("empty.json", b""));
    set.add(ingest_file(
        "b.json",
        &sample("real/phi-ag-mta-sts-exporter/google.json"),
    ));
    let counts = set.counts();
    assert_eq!((counts.files, counts.loaded, counts.rejected), (4, 2, 2));
    assert!(matches!(set.inputs[1].outcome, Outcome::Rejected { .. }));
    assert_eq!(set.reports.len(), 2);
}

#[test]
fn tolerates_odd_values_and_keeps_unknown_fields() {
    let text = br#"{
        "organization-name": "Odd MTA", "report-id": 42, "x-vendor": {"build": 7},
        "date-range": {"start-datetime": "2024-01-01 00:00:00", "end-datetime": null},
        "policies": [
          {"policy": {"policy-type": "STS", "policy-domain": "odd.example", "mx-host": null},
           "summary": {"total-successful-session-count": "12", "total-failure-session-count": -1},
           "failure-details": [{"result-type": "smtp-timeout", "failed-session-count": 4.0,
                                "x-note": "kept"},
                               {"result-type": "x", "failed-session-count": 18446744073709551615}]},
          "not an object"
        ]}"#;
    let report = match ingest_file("odd.json", text).content {
        tlsrpt_viewer::ingest::NodeContent::Report { report, .. } => report,
        other => panic!("{other:?}"),
    };
    assert_eq!(report.report_id.as_deref(), Some("42"));
    assert!(report.extra.contains_key("x-vendor"));
    let entry = &report.policies[0];
    assert_eq!(entry.policy_type.as_str(), "sts");
    assert_eq!((entry.successful_sessions, entry.failed_sessions), (12, 0));
    assert_eq!(
        entry.failure_details[0].result_type.as_str(),
        "smtp-timeout"
    );
    assert_eq!(entry.failure_details[0].failed_session_count, 4);
    assert!(entry.failure_details[0].extra.contains_key("x-note"));
    assert_eq!(entry.failure_details[1].failed_session_count, (1 << 53) - 1);
    let notes = report.notes.join("\n");
    for expected in [
        "total-failure-session-count is a number, not a whole number of sessions; read as 0",
        "policies[1] is text, not a policy object; ignored",
        "start-datetime \"2024-01-01 00:00:00\" has no time zone; read as UTC",
        "date-range is missing or incomplete",
        "failed-session-count is 18446744073709551615, more sessions than any report could hold",
    ] {
        assert!(
            notes.contains(expected),
            "missing note {expected:?} in:\n{notes}"
        );
    }
}

#[test]
fn a_lone_surrogate_escape_is_read_as_a_replacement_character_not_a_rejection() {
    let json = r#"{"organization-name": "Org \ud800 x", "report-id": "a\\ud800b \udc00 \ud83d\ude00",
        "date-range": {"start-datetime": "2026-03-01T00:00:00Z", "end-datetime": "2026-03-01T23:59:59Z"},
        "policies": [{"policy": {"policy-type": "sts", "policy-domain": "example.com"},
                      "summary": {"total-successful-session-count": 1, "total-failure-session-count": 0}}]}"#;
    let report = tlsrpt_viewer::report::parse_report(json.as_bytes()).expect("read, not rejected");
    assert_eq!(report.organization_name.as_deref(), Some("Org \u{FFFD} x"));
    // An escaped backslash before "ud800" is text; a lone low half is replaced; a pair is kept.
    assert_eq!(
        report.report_id.as_deref(),
        Some("a\\ud800b \u{FFFD} \u{1F600}")
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("half of a UTF-16 pair")),
        "{:?}",
        report.notes
    );
    // A report without one has no such note.
    let clean = tlsrpt_viewer::report::parse_report(
        json.replace(r"\ud800 x", "x")
            .replace(r" \udc00", "")
            .as_bytes(),
    )
    .expect("read");
    assert!(!clean.notes.iter().any(|n| n.contains("UTF-16")));
}
