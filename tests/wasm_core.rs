//! The core (ingest and analysis) compiled to wasm32 and run in headless Chromium by
//! wasm-bindgen-test: what the page does with a gzipped report, an email, a mailbox and a
//! zip archive, without the page.
#![cfg(target_arch = "wasm32")]

use tlsrpt_viewer::analysis::analyze;
use tlsrpt_viewer::ingest::{ingest_file, NodeContent, ReportSet};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const GZIPPED: &[u8] =
    include_bytes!("../samples/attachments/isseis-tlsrpt-digest/tlsrpt_failure.json.gz");
const MICROSOFT: &[u8] =
    include_bytes!("../samples/real/cry-inc-dmarc-report-viewer/microsoft.json");
const EMAIL: &[u8] = include_bytes!("../samples/real/isseis-tlsrpt-digest/tlsrpt_failure.eml");
const RFC_EMAIL_UNCLOSED: &[u8] = include_bytes!("../samples/real/robalexdev-tlsrpt-be/test.eml");

#[wasm_bindgen_test]
fn parses_a_gzipped_report() {
    let ingest = ingest_file("tlsrpt_failure.json.gz", GZIPPED);
    assert_eq!(ingest.format, "gzip → JSON");
    let NodeContent::Report { report, .. } = ingest.content else {
        panic!("rejected: {:?}", ingest.content);
    };
    assert_eq!(report.organization_name.as_deref(), Some("Google Inc."));
    let entry = &report.policies[0];
    assert_eq!(
        (entry.successful_sessions, entry.failed_sessions),
        (4523, 2)
    );
    assert_eq!(
        entry.failure_details[0].result_type.as_str(),
        "certificate-expired"
    );
}

#[wasm_bindgen_test]
fn analyses_and_deduplicates_in_wasm() {
    let mut set = ReportSet::new();
    set.add(ingest_file("a.json.gz", GZIPPED));
    set.add(ingest_file("b.json", MICROSOFT));
    set.add(ingest_file("a-again.json.gz", GZIPPED));
    set.add(ingest_file("cut.json.gz", &GZIPPED[..GZIPPED.len() / 2]));
    let counts = set.counts();
    assert_eq!(
        (counts.loaded, counts.duplicates, counts.rejected),
        (2, 1, 1)
    );
    let overview = analyze(&set).overview;
    assert_eq!(overview.successful_sessions, 4523 + 2);
    assert_eq!(overview.failed_sessions, 2);
}

#[wasm_bindgen_test]
fn caps_a_gzip_bomb_in_wasm() {
    // 128 MiB of zeros in gzip members of 1 MiB; the cap stops it at 16 MiB.
    let member = {
        use std::io::Write;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        encoder.write_all(&vec![0u8; 1 << 20]).unwrap();
        encoder.finish().unwrap()
    };
    let bomb: Vec<u8> = member
        .iter()
        .copied()
        .cycle()
        .take(member.len() * 128)
        .collect();
    let NodeContent::Rejected { reason } = ingest_file("bomb.json.gz", &bomb).content else {
        panic!("the bomb was read as a report");
    };
    assert!(reason.contains("decompression bomb"), "{reason}");
}

#[wasm_bindgen_test]
fn an_ingest_result_crosses_into_javascript_and_back() {
    // An ingest result survives serde-wasm-bindgen, all but the JSON kept packed for the
    // drill-down, which stays with the engine that read it and never crosses.
    let mut ingest = ingest_file("tlsrpt_failure.json.gz", GZIPPED);
    let value = serde_wasm_bindgen::to_value(&ingest).expect("serialises to a JS value");
    let back: tlsrpt_viewer::ingest::IngestNode =
        serde_wasm_bindgen::from_value(value).expect("deserialises from a JS value");
    let NodeContent::Report { raw, .. } = &mut ingest.content else {
        panic!("not read as a report");
    };
    assert!(
        raw.take().is_some(),
        "the gzip data is kept as the raw JSON"
    );
    assert_eq!(back, ingest);
}

#[wasm_bindgen_test]
fn reads_emails_mailboxes_and_archives_in_wasm() {
    use std::io::Write;
    // The email carries the same report as the gzip file; the RFC example email has no
    // closing MIME boundary.
    let mut mailbox = b"From a Thu Nov 26 10:00:00 2026\n".to_vec();
    mailbox.extend_from_slice(EMAIL);
    mailbox.extend_from_slice(b"\nFrom b Thu Nov 26 10:00:00 2026\n");
    mailbox.extend_from_slice(RFC_EMAIL_UNCLOSED);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    writer
        .start_file("inside/r.json.gz", zip::write::SimpleFileOptions::default())
        .unwrap();
    writer.write_all(GZIPPED).unwrap();
    let archive = writer.finish().unwrap().into_inner();

    let mut set = ReportSet::new();
    set.add(ingest_file("r.eml", EMAIL));
    set.add(ingest_file("Inbox.mbox", &mailbox));
    set.add(ingest_file("r.zip", &archive));
    let counts = set.counts();
    assert_eq!(
        (
            counts.files,
            counts.messages,
            counts.loaded,
            counts.duplicates
        ),
        (3, 3, 2, 2)
    );
    assert_eq!(
        set.inputs[0]
            .email
            .as_ref()
            .unwrap()
            .report_submitter
            .as_deref(),
        Some("google.com")
    );
    assert_eq!(
        set.inputs[1].detail(),
        "2 messages: 1 report loaded, 1 duplicate"
    );
    assert_eq!(
        set.reports[1].source,
        "Inbox.mbox › message 2 › mail.sender.example!example.com!1013662812!1013749130.json.gz"
    );
    assert_eq!(set.inputs[2].children[0].name, "inside/r.json.gz");
}

#[wasm_bindgen_test]
fn diagnoses_in_wasm() {
    const RFC: &[u8] = include_bytes!("../samples/real/parsedmarc/rfc8460.json");
    const MAIL_RU: &[u8] = include_bytes!("../samples/real/parsedmarc/mail.ru.json");
    let mut set = ReportSet::new();
    set.add(ingest_file("rfc8460.json", RFC));
    set.add(ingest_file("mail.ru.json", MAIL_RU));
    let diagnosis = analyze(&set).diagnosis;
    let rules: Vec<&str> = diagnosis.findings.iter().map(|f| f.rule.as_str()).collect();
    assert_eq!(
        rules,
        [
            "result/starttls-not-supported",
            "result/certificate-expired",
            "result/sts-policy-fetch-error",
            "result/validation-failure",
            "data/details-exceed-summary"
        ]
    );
    assert_eq!(diagnosis.domains.len(), 2);
}

/// The engine as the worker runs it: a session, a filter, and its page model and drill-down
/// answers crossing into JavaScript and back as the worker posts them (JSON text, so that a
/// forged count near u64::MAX crosses too).
#[wasm_bindgen_test]
fn the_engine_and_its_messages_work_in_wasm() {
    use tlsrpt_viewer::analysis::Filter;
    use tlsrpt_viewer::engine::model::{FromWorker, Trace, ViewRequest};
    use tlsrpt_viewer::engine::Session;
    let mut session = Session::new();
    session.add(ingest_file("a.json.gz", GZIPPED));
    session.add(ingest_file("b.json", MICROSOFT));
    session.add(ingest_file("mail.eml", EMAIL));
    // Counts are read up to 2^53 - 1, and a sum stops there too (the one cap): two such
    // reports add up to the cap, which crosses into JavaScript exactly.
    for id in ["x", "y"] {
        let huge = format!(
            r#"{{"organization-name":"Forged","report-id":"{id}","policies":[{{"policy":{{"policy-type":"sts","policy-domain":"forged.example"}},"summary":{{"total-successful-session-count":{},"total-failure-session-count":0}}}}]}}"#,
            u64::MAX
        );
        session.add(ingest_file("forged.json", huge.as_bytes()));
    }
    let model = session.page(&ViewRequest {
        filter: Filter::from_fragment("domain=forged.example"),
        ..ViewRequest::default()
    });
    let most = (1u64 << 53) - 1;
    assert_eq!(model.overview.successful_sessions, most);
    for message in [
        FromWorker::Model {
            model: Box::new(model),
        },
        FromWorker::Drill {
            answer: session.drill_reports(&Trace::All, 10),
        },
        FromWorker::Drill {
            answer: session.drill_report(0),
        },
    ] {
        // As posted: JSON text in a JS string.
        let value = wasm_bindgen::JsValue::from_str(&message.to_text().unwrap());
        let back = FromWorker::from_text(&value.as_string().unwrap()).unwrap();
        assert_eq!(back, message);
    }
}

/// Every message the page sends crosses as the bridge posts it (serde-wasm-bindgen, maps as
/// objects) and the worker reads it back, with the fields a default would not have.
#[wasm_bindgen_test]
fn every_message_from_the_page_crosses_into_the_worker() {
    use tlsrpt_viewer::analysis::{Filter, Granularity};
    use tlsrpt_viewer::engine::model::{
        CompareColumn, ComparePeriods, DayColumn, DayRange, DomainColumn, Export, MxColumn,
        ResultColumn, RowOrder, SourceColumn, Tab, ToWorker, Trace, ViewRequest,
    };
    let request = ViewRequest {
        filter: Filter::from_fragment("domain=example.com&from=2026-11-01&ip=192.0.2.0/24"),
        tab: Tab::Coverage,
        severities: [true, false, true],
        open_findings: vec!["result/certificate-expired|example.com".to_string()],
        problems_by_rule: Some(false),
        results_order: Some(RowOrder::new(ResultColumn::SuccessRate, true)),
        domains_search: "shop-1".to_string(),
        domains_order: Some(RowOrder::new(DomainColumn::Verdict, true)),
        mx_order: Some(RowOrder::new(MxColumn::Domains, true)),
        compare_order: Some(RowOrder::new(CompareColumn::Change, true)),
        compare: Some(ComparePeriods {
            before: DayRange {
                from: tlsrpt_viewer::text::Day::parse("2026-10-01").unwrap(),
                to: tlsrpt_viewer::text::Day::parse("2026-10-31").unwrap(),
            },
            after: DayRange {
                from: tlsrpt_viewer::text::Day::parse("2026-11-01").unwrap(),
                to: tlsrpt_viewer::text::Day::parse("2026-11-30").unwrap(),
            },
        }),
        sources_order: Some(RowOrder::new(SourceColumn::MxHosts, true)),
        timeline_order: Some(RowOrder::new(DayColumn::Failures, true)),
        timeline_granularity: Granularity::Months,
        inputs_limit: 400,
        ..ViewRequest::default()
    };
    assert_ne!(request, ViewRequest::default());
    let messages = [
        ToWorker::View {
            id: 42,
            request: Box::new(request),
        },
        ToWorker::Expect { load: 3, files: 2 },
        ToWorker::Bytes {
            load: 3,
            names: vec!["a.json".to_string(), "b.zip".to_string()],
            errors: vec![None, Some("could not be read".to_string())],
        },
        ToWorker::LoadDemo,
        ToWorker::Cancel,
        ToWorker::Clear,
        ToWorker::DrillReports {
            trace: Trace::Days {
                from: tlsrpt_viewer::text::Day::parse("2026-11-01").unwrap(),
                to: tlsrpt_viewer::text::Day::parse("2026-11-07").unwrap(),
                domain: Some("example.com".to_string()),
            },
            limit: 50,
        },
        ToWorker::DrillReport { index: 9, part: 2 },
        ToWorker::Export {
            what: Export::Csv(Tab::Mx),
        },
        ToWorker::Export {
            what: Export::AnalysisJson,
        },
    ];
    for message in messages {
        // As the bridge posts it, and as the worker reads it.
        let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
        let value = serde::Serialize::serialize(&message, &serializer).unwrap();
        let back: ToWorker = serde_wasm_bindgen::from_value(value).unwrap();
        assert_eq!(back, message);
    }
}
