//! A report counts once, however many times and in whatever form it is given.

mod common;

use common::*;
use tlsrpt_viewer::analysis::analyze;
use tlsrpt_viewer::ingest::{ingest_file, Outcome, ReportSet};

#[test]
fn the_same_report_twice_counts_once() {
    let set = set_of(&[
        "real/parsedmarc/rfc8460.json",
        "real/parsedmarc/rfc8460.json",
    ]);
    assert_eq!(set.reports.len(), 1);
    assert_eq!(
        set.inputs[1].outcome,
        Outcome::Duplicate {
            first_source: "real/parsedmarc/rfc8460.json".into(),
            report_id: "5065427c-23d3-47ca-b6e0-946ea0e8c4be".into(),
            same_content: true,
        }
    );
    assert_eq!(analyze(&set).overview.successful_sessions, 5326);
}

#[test]
fn reformatted_and_compressed_copies_are_the_same_report() {
    // The same RFC example, pretty-printed with CRLF, and gzipped inside an email attachment.
    let set = set_of(&[
        "real/cry-inc-dmarc-report-viewer/history-bbd2196/full-example.json",
        "real/parsedmarc/rfc8460.json",
        "attachments/robalexdev-tlsrpt-be/test.json.gz",
    ]);
    assert_eq!(set.reports.len(), 1);
    let same: Vec<bool> = set.inputs[1..]
        .iter()
        .map(|input| {
            matches!(
                input.outcome,
                Outcome::Duplicate {
                    same_content: true,
                    ..
                }
            )
        })
        .collect();
    // rfc8460.json has the re-joined URL, as full-example.json; test.json.gz the mangled one.
    assert_eq!(same, [true, false]);
    assert!(set.inputs[2].describe().contains("different content"));
    assert!(set.inputs[2]
        .describe()
        .starts_with("duplicate: report-id 5065427c"));
}

#[test]
fn the_same_report_id_from_another_organisation_is_another_report() {
    let a = br#"{"organization-name":"A","report-id":"1","policies":[]}"#;
    let b = br#"{"organization-name":"B","report-id":"1","policies":[]}"#;
    let mut set = ReportSet::new();
    set.add(ingest_file("a.json", a));
    set.add(ingest_file("b.json", b));
    set.add(ingest_file("a-again.json", a));
    assert_eq!(set.reports.len(), 2);
    assert!(matches!(set.inputs[2].outcome, Outcome::Duplicate { .. }));
}

#[test]
fn reports_without_an_id_are_matched_by_content() {
    let a = br#"{"organization-name":"A","policies":[]}"#;
    let b = br#"{"organization-name":"A","policies":[{"policy":{"policy-type":"sts"}}]}"#;
    let mut set = ReportSet::new();
    for (name, bytes) in [("a", &a[..]), ("b", &b[..]), ("a2", &a[..])] {
        set.add(ingest_file(name, bytes));
    }
    assert_eq!(set.reports.len(), 2);
    assert!(matches!(set.inputs[2].outcome, Outcome::Duplicate { .. }));
}
