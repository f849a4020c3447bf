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

/// A generated corpus in which 7% of the reports give another's (organization-name, report-id)
/// again with other content (resends, reporters whose ids are not unique, forgers), loaded
/// file by file with the diagnosis run between the files, as the worker does: each reused
/// report gets exactly one note, on its own domain, and the result is the one a single
/// diagnosis at the end gives. Before the notes were kept as the reports came, every run of
/// the diagnosis walked every input and every report for them.
#[test]
fn reused_ids_in_a_large_corpus_are_noted_once_each_as_they_come() {
    use tlsrpt_viewer::analysis::diagnosis::RuleId;
    use tlsrpt_viewer::engine::Session;
    let dir = std::env::temp_dir().join(format!("tlsrpt-reused-{}", std::process::id()));
    let files = tlsrpt_corpus::write_files(1_500, 7.0, &dir).expect("the corpus is written");
    let mut paths: Vec<_> = std::fs::read_dir(&files)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    paths.sort();

    // Counted independently: each file's (organization-name, report-id) as its JSON gives it,
    // and whether a later file with the same pair holds the same text as the first.
    let mut identities = std::collections::HashMap::new();
    let mut same_text = 0;
    for path in &paths {
        let mut text = String::new();
        std::io::Read::read_to_string(
            &mut flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap()),
            &mut text,
        )
        .unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        let identity = (json["organization-name"].clone(), json["report-id"].clone());
        match identities.get(&identity) {
            Some(first) => same_text += usize::from(*first == text),
            None => {
                identities.insert(identity, text);
            }
        }
    }
    let copies = paths.len() - identities.len();
    assert!(copies > 50, "the corpus holds {copies} copies");

    let mut step_by_step = Session::new();
    let mut at_once = Session::new();
    for (n, path) in paths.iter().enumerate() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let bytes = std::fs::read(path).unwrap();
        step_by_step.add(ingest_file(&name, &bytes));
        at_once.add(ingest_file(&name, &bytes));
        if n % 97 == 0 {
            step_by_step.diagnose();
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(step_by_step.set().reports.len(), identities.len());
    let reused: usize = step_by_step.set().reused.iter().map(|(_, c)| c.len()).sum();
    let other_content = step_by_step.counts().duplicates;
    assert_eq!(other_content, copies);
    // A copy differs from the report whose id it gives (the generator corrects its figures),
    // but two copies of one report can be alike.
    assert_eq!(reused, copies - same_text);

    let late = step_by_step.analysis().diagnosis;
    let once = at_once.analysis().diagnosis;
    assert_eq!(
        serde_json::to_string(&late).unwrap(),
        serde_json::to_string(&once).unwrap()
    );
    let notes = tlsrpt_viewer::analysis::diagnosis::ungrouped_findings(step_by_step.set())
        .iter()
        .filter(|f| f.rule == RuleId::DataReportIdReused)
        .count();
    assert_eq!(notes, step_by_step.set().reused.len());
    assert!(late
        .findings
        .iter()
        .any(|f| f.rule == RuleId::DataReportIdReused));
}
