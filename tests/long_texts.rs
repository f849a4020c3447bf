//! A forged report's texts are cut to a length far above anything real, with a note, so that
//! a 15 MB organisation name (16 KB gzipped) is not repeated in every view model; the JSON as
//! given keeps the whole value, and the drill-down shows it in bounded parts.

use serde_json::json;
use tlsrpt_viewer::engine::model::{DrillAnswer, Tab, ViewRequest};
use tlsrpt_viewer::engine::{Session, DRILL_JSON_CHARS};
use tlsrpt_viewer::ingest::ingest_file;
use tlsrpt_viewer::report::{MAX_LIST_ITEMS, MAX_TEXT};

/// A report whose organisation name is `name` and whose every other text is `long`.
fn forged(name: &str, long: &str) -> Vec<u8> {
    json!({
        "organization-name": name,
        "report-id": long,
        "contact-info": long,
        "date-range": {"start-datetime": "2026-03-01T00:00:00Z", "end-datetime": "2026-03-01T23:59:59Z"},
        "policies": [{
            "policy": {"policy-type": "sts", "policy-domain": format!("{long}.example"),
                       "policy-string": [long, "mode: testing"],
                       "mx-host": (0..5000).map(|i| format!("mx{i}.example")).collect::<Vec<_>>()},
            "summary": {"total-successful-session-count": 1, "total-failure-session-count": 2},
            "failure-details": [{"result-type": long, "sending-mta-ip": long,
                "receiving-mx-hostname": long, "receiving-mx-helo": long, "receiving-ip": long,
                "additional-information": long, "failure-reason-code": long,
                "failed-session-count": 2}]
        }]
    })
    .to_string()
    .into_bytes()
}

#[test]
fn a_15_mb_name_is_cut_with_a_note_and_kept_whole_in_the_json_as_given() {
    let name = "é".repeat(15 << 20 >> 1); // 7.9 million characters, 15 MB
    let long = "x".repeat(50_000);
    let mut session = Session::new();
    session.add(ingest_file("forged.json", &forged(&name, &long)));
    let loaded = &session.set().reports[0];
    let report = &loaded.report;
    let org = report.organization_name.as_deref().unwrap_or_default();
    assert_eq!(org.chars().count(), MAX_TEXT + 1, "cut, with an ellipsis");
    assert!(org.ends_with('…'));
    assert!(
        report
            .report_id
            .as_deref()
            .unwrap_or_default()
            .chars()
            .count()
            <= MAX_TEXT + 1
    );
    let detail = &report.policies[0].failure_details[0];
    for text in [
        detail.result_type.as_str(),
        detail.sending_mta_ip.as_deref().unwrap_or_default(),
        detail.receiving_mx_hostname.as_deref().unwrap_or_default(),
        detail.additional_information.as_deref().unwrap_or_default(),
    ] {
        assert!(text.chars().count() <= MAX_TEXT + 1, "{}", text.len());
    }
    assert_eq!(report.policies[0].mx_hosts.len(), MAX_LIST_ITEMS);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("organization-name is 7,864,320 characters long")),
        "{:?}",
        report.notes
    );
    // The JSON as given is kept however large, compressed: 15 MB of one character packs to
    // kilobytes.
    let packed = loaded.raw.as_ref().expect("kept").packed_len();
    assert!(packed < 200_000, "{packed} bytes kept");

    // Every model the page gets stays small, whatever tab is open.
    for tab in [
        Tab::Problems,
        Tab::Results,
        Tab::Sources,
        Tab::Timeline,
        Tab::Inputs,
        Tab::Coverage,
        Tab::Mx,
        Tab::Compare,
    ] {
        let request = ViewRequest {
            tab,
            ..ViewRequest::default()
        };
        let text = serde_json::to_string(&session.page(&request)).expect("a model");
        assert!(text.len() < 400_000, "{tab:?}: {} bytes", text.len());
    }
    let DrillAnswer::Report {
        detail: Some(detail),
        ..
    } = session.drill_report(0)
    else {
        panic!("a report");
    };
    // The drill-down shows it a part at a time, each bounded, and the parts make the whole.
    assert!(detail.raw_kept);
    assert_eq!(detail.json_part, 0);
    assert!(detail.json_parts > 30, "{} parts", detail.json_parts);
    assert_eq!(detail.json.chars().count(), DRILL_JSON_CHARS);
    assert!(
        detail.json.starts_with('{'),
        "the text as given, not the fields as read"
    );
    let mut whole = String::new();
    for part in 0..detail.json_parts {
        let DrillAnswer::Report {
            detail: Some(next), ..
        } = session.drill_report_part(0, part)
        else {
            panic!("part {part}");
        };
        assert_eq!(next.json_part, part);
        assert!(next.json.chars().count() <= DRILL_JSON_CHARS);
        whole.push_str(&next.json);
    }
    assert_eq!(whole.matches('é').count(), name.chars().count());
    let value: serde_json::Value = serde_json::from_str(&whole).expect("the parts are the JSON");
    assert_eq!(value["report-id"], json!(long));
    // Past the last part: the last.
    let DrillAnswer::Report {
        detail: Some(last), ..
    } = session.drill_report_part(0, 10_000)
    else {
        panic!("a report");
    };
    assert_eq!(last.json_part, detail.json_parts - 1);
}

#[test]
fn a_long_text_in_a_kept_report_stays_whole_in_its_json_as_given() {
    let name = "n".repeat(20_000);
    let mut session = Session::new();
    session.add(ingest_file("forged.json", &forged(&name, "short")));
    let loaded = &session.set().reports[0];
    assert!(
        loaded
            .report
            .organization_name
            .as_deref()
            .unwrap_or_default()
            .len()
            < 1100
    );
    let raw = loaded
        .raw
        .as_ref()
        .and_then(|packed| packed.unpack())
        .expect("kept");
    assert!(raw.contains(&name));
    let DrillAnswer::Report {
        detail: Some(detail),
        ..
    } = session.drill_report(0)
    else {
        panic!("a report");
    };
    assert!(detail.raw_kept && detail.json.contains(&name));
}

#[test]
fn the_drill_down_shows_a_bounded_part_of_a_large_json() {
    // Unknown fields are kept verbatim: 200 of 2,000 characters each make 400,000.
    let mut report: serde_json::Value =
        serde_json::from_slice(&forged("Org", "short")).expect("json");
    for i in 0..200 {
        report[format!("x-field-{i}")] = json!("y".repeat(2000));
    }
    let mut session = Session::new();
    session.add(ingest_file("extra.json", report.to_string().as_bytes()));
    let DrillAnswer::Report {
        detail: Some(detail),
        ..
    } = session.drill_report(0)
    else {
        panic!("a report");
    };
    assert!(detail.extra_json.chars().count() < DRILL_JSON_CHARS + 200);
    assert!(detail
        .extra_json
        .contains("the page shows its first 262,144"));
}

#[test]
fn real_lengths_are_untouched() {
    let mut session = Session::new();
    let name = "x".repeat(MAX_TEXT);
    session.add(ingest_file("ok.json", &forged(&name, "short")));
    let report = &session.set().reports[0].report;
    assert_eq!(report.organization_name.as_deref(), Some(name.as_str()));
    assert!(!report.notes.iter().any(|n| n.contains("characters long")));
}

#[test]
fn a_long_file_name_and_email_subject_are_cut_too() {
    let long = "s".repeat(100_000);
    let report = forged("Org", "short");
    let mut session = Session::new();
    session.add(ingest_file(&format!("{long}.json"), &report));
    let name = &session.set().inputs[0].name;
    assert_eq!(name.chars().count(), MAX_TEXT + 1, "{}", name.len());
    let email = format!(
        "From: a@example.com\r\nSubject: {long}\r\nMIME-Version: 1.0\r\nContent-Type: application/tlsrpt+json\r\n\r\n{}",
        String::from_utf8_lossy(&forged("Org2", "short"))
    );
    session.add(ingest_file("mail.eml", email.as_bytes()));
    let loaded = session.set().reports.last().expect("the email's report");
    let subject = loaded
        .email
        .as_ref()
        .and_then(|e| e.subject.clone())
        .unwrap_or_default();
    assert_eq!(subject.chars().count(), MAX_TEXT + 1);
}

#[test]
fn a_text_that_does_not_pack_small_is_not_kept_and_nothing_stands_in_for_it() {
    // 10 million hexadecimal digits from a simple generator: deflate packs them to about half,
    // over the 4 MiB kept.
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let noise: String = (0..10_000_000)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            char::from_digit((state % 16) as u32, 16).unwrap()
        })
        .collect();
    let mut session = Session::new();
    session.add(ingest_file("noise.json", &forged(&noise, "short")));
    assert_eq!(session.set().reports.len(), 1, "read all the same");
    assert!(session.set().reports[0].raw.is_none());
    let DrillAnswer::Report {
        detail: Some(detail),
        ..
    } = session.drill_report(0)
    else {
        panic!("a report");
    };
    assert!(!detail.raw_kept);
    assert_eq!(detail.json, "", "no fields as read in its place");
    assert_eq!(detail.json_parts, 0);
}
