//! Forged reports:
//! - session counts at or past what a count holds: every figure, filter, finding and export
//!   holds to the one cap (`text::MAX_COUNT`, 2^53 − 1), and says so. The tests build in debug,
//!   where a sum that wraps panics: each one has to stop at the cap;
//! - names with direction controls (U+202E): shown escaped everywhere, with a note.

use tlsrpt_viewer::analysis::export;
use tlsrpt_viewer::analysis::Filter;
use tlsrpt_viewer::engine::model::{Tab, ViewRequest};
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::ingest_file;
use tlsrpt_viewer::text::{thousands, MAX_COUNT};

const MOST: u64 = u64::MAX;
const JS_SAFE: u64 = (1 << 53) - 1;

fn report(id: &str, policy_type: &str, count: u64) -> String {
    format!(
        r#"{{
  "organization-name": "Forger", "report-id": "{id}",
  "date-range": {{"start-datetime": "2026-11-01T00:00:00Z", "end-datetime": "2026-11-01T23:59:59Z"}},
  "policies": [{{
    "policy": {{"policy-type": "{policy_type}", "policy-domain": "example.com"}},
    "summary": {{"total-successful-session-count": {count}, "total-failure-session-count": {count}}},
    "failure-details": [
      {{"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.1", "receiving-mx-hostname": "mx.example.com", "failed-session-count": {count}}},
      {{"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.1", "receiving-mx-hostname": "mx.example.com", "failed-session-count": {count}}},
      {{"result-type": "starttls-not-supported", "sending-mta-ip": "192.0.2.2", "failed-session-count": {count}}}
    ]
  }}]
}}"#
    )
}

fn session(count: u64) -> Session {
    let mut session = Session::new();
    for (index, policy_type) in ["sts", "tlsa", "sts"].iter().enumerate() {
        let text = report(&format!("forged-{index}"), policy_type, count);
        session.add(ingest_file(
            &format!("forged-{index}.json"),
            text.as_bytes(),
        ));
    }
    session
}

fn every_view(session: &mut Session, filter: Filter) {
    session.set_filter(&filter);
    session.diagnose();
    let analysis = session.analysis();
    for tab in [
        Tab::Problems,
        Tab::Timeline,
        Tab::Results,
        Tab::Sources,
        Tab::Inputs,
    ] {
        let request = ViewRequest {
            tab,
            filter: filter.clone(),
            ..ViewRequest::default()
        };
        session.page(&request);
    }
    export::per_result_csv(&analysis.per_result);
    export::per_source_csv(&analysis.per_source);
    export::per_day_csv(&analysis.per_day);
    export::findings_csv(&analysis.diagnosis.findings);
    export::analysis_json(&analysis, &filter, session.set());
}

#[test]
fn counts_at_the_top_saturate_everywhere() {
    for count in [MOST, MOST - 1, JS_SAFE, JS_SAFE + 2] {
        let mut session = session(count);
        for filter in [
            Filter::default(),
            Filter::from_fragment("ip=192.0.2.1"),
            Filter::from_fragment("result=certificate-expired"),
            Filter::from_fragment("mx=mx.example.com"),
            Filter::from_fragment("domain=example.com&org=Forger"),
        ] {
            every_view(&mut session, filter);
        }
        session.set_filter(&Filter::default());
        let analysis = session.analysis();
        // Three reports of `count` sessions each (a count past the cap is read as the cap).
        let expected = count.min(MAX_COUNT).saturating_mul(3).min(MAX_COUNT);
        assert_eq!(analysis.overview.failed_sessions, expected, "{count}");
        assert_eq!(analysis.overview.successful_sessions, expected, "{count}");
        for row in &analysis.per_result {
            assert!(row.failed_sessions <= MAX_COUNT && row.unitemised_failures <= MAX_COUNT);
            let listed = row.failures_by_type.iter().map(|t| t.sessions);
            assert!(listed.clone().all(|s| s <= MAX_COUNT), "{row:?}");
        }
    }
}

#[test]
fn a_capped_figure_says_so() {
    let mut session = session(MOST);
    session.set_filter(&Filter::from_fragment("ip=192.0.2.1"));
    let analysis = session.analysis();
    // Details of the cap each under the IP filter: the sum holds at the cap, not wrapped.
    assert_eq!(analysis.overview.failed_sessions, MAX_COUNT);
    assert_eq!(thousands(MAX_COUNT), "9,007,199,254,740,991 (capped)");
    assert_eq!(thousands(MAX_COUNT - 1), "9,007,199,254,740,990");
    assert_eq!(thousands(MOST), "18,446,744,073,709,551,615 (capped)");
    let health = &analysis.diagnosis.domains[0].line;
    assert!(health.contains("(capped)"), "{health}");
}

#[test]
fn details_over_the_summary_leave_no_wrapped_remainder() {
    // The details give more failures than the summary: "without details" is 0, never a wrap.
    let text = report("over", "sts", JS_SAFE).replacen(
        &format!("\"total-failure-session-count\": {JS_SAFE}"),
        "\"total-failure-session-count\": 5",
        1,
    );
    let mut session = Session::new();
    session.add(ingest_file("over.json", text.as_bytes()));
    let analysis = session.analysis();
    for row in &analysis.per_result {
        assert_eq!(row.unitemised_failures, 0, "{row:?}");
    }
    for day in &analysis.per_day {
        assert_eq!(day.unitemised_failures, 0, "{day:?}");
    }
}

#[test]
fn direction_controls_are_shown_escaped_everywhere() {
    let text = report("bidi", "sts", 5)
        .replace("\"Forger\"", "\"\\u202Emoc.elgoog\"") // a JSON escape
        .replace("\"example.com\"", "\"\u{202E}example.com\"") // the character itself
        .replace("mx.example.com", "\u{2066}mx.example.com\u{2069}");
    let mut session = Session::new();
    session.add(ingest_file("bidi\u{202E}nosj.json", text.as_bytes()));
    let analysis = session.analysis();
    assert_eq!(analysis.overview.organizations, ["[U+202E]moc.elgoog"]);
    assert_eq!(analysis.overview.policy_domains, ["[u+202e]example.com"]);
    let csvs = [
        export::per_result_csv(&analysis.per_result),
        export::per_source_csv(&analysis.per_source),
        export::findings_csv(&analysis.diagnosis.findings),
        export::inputs_csv(session.set()),
    ];
    for text in &csvs {
        assert!(
            !text.chars().any(tlsrpt_viewer::text::is_direction_control),
            "{text}"
        );
    }
    // The JSON export is for programs: it writes each text as the report gave it.
    let json = export::analysis_json(&analysis, &Filter::default(), session.set());
    let exported: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(
        exported["overview"]["organizations"],
        serde_json::json!(["\u{202E}moc.elgoog"])
    );
    assert_eq!(
        exported["overview"]["policy-domains"],
        serde_json::json!(["\u{202E}example.com"])
    );
    assert!(json.contains("\u{2066}mx.example.com\u{2069}"), "{json}");
    assert_eq!(
        exported["per-mx"][0]["mx-host"],
        serde_json::json!("\u{2066}mx.example.com\u{2069}")
    );
    assert_eq!(
        exported["domains"][0]["policy-domain"],
        serde_json::json!("\u{202E}example.com")
    );
    // Prose that quotes a name (a finding's explanation) keeps the controls visible.
    assert!(json.contains("failed with certificate-expired"), "{json}");
    assert!(
        csvs[1].contains("[u+2066]mx.example.com[u+2069]"),
        "{}",
        csvs[1]
    );
    assert!(csvs[3].contains("bidi[U+202E]nosj.json"), "{}", csvs[3]);
    let report = &session.set().reports[0].report;
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("direction controls")),
        "{:?}",
        report.notes
    );
    let tlsrpt_viewer::engine::model::DrillAnswer::Report {
        detail: Some(detail),
        ..
    } = session.drill_report(0)
    else {
        panic!("no report");
    };
    assert!(!detail
        .json
        .chars()
        .any(tlsrpt_viewer::text::is_direction_control));
    // The JSON as given: its escape stays an escape, its raw character is made visible.
    assert!(detail.json.contains("\\u202Emoc.elgoog"), "{}", detail.json);
    assert!(
        detail.json.contains("[U+202E]example.com"),
        "{}",
        detail.json
    );
}

/// A report for `domains` policy domains, `count` sessions each.
fn wide_report(id: &str, day: &str, domains: usize) -> String {
    let policies: Vec<String> = (0..domains)
        .map(|i| {
            format!(
                r#"{{"policy": {{"policy-type": "sts", "policy-domain": "d{i:05}.example"}},
                 "summary": {{"total-successful-session-count": 3, "total-failure-session-count": 1}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"organization-name": "Forger", "report-id": "{id}",
          "date-range": {{"start-datetime": "{day}T00:00:00Z", "end-datetime": "{day}T23:59:59Z"}},
          "policies": [{}]}}"#,
        policies.join(",")
    )
}

#[test]
fn thousands_of_domains_make_a_bounded_page() {
    use tlsrpt_viewer::engine::model::{CHOICES_SHOWN, HEALTH_PAGE, NAMES_SHOWN};
    let mut session = Session::new();
    let text = wide_report("wide", "2026-11-01", 1_000);
    session.add(ingest_file("wide.json", text.as_bytes()));
    session.diagnose();
    let page = session.page(&ViewRequest::default());
    let problems = page.problems().expect("the Problems tab's model");
    assert_eq!(problems.health.len(), HEALTH_PAGE);
    assert_eq!(problems.health_total, 1_000);
    assert_eq!(page.domain_count, 1_000);
    assert_eq!(page.overview.policy_domains.len(), NAMES_SHOWN);
    assert_eq!(page.choices.domains.len(), CHOICES_SHOWN);
    assert_eq!(page.choices.totals[0], 1_000);
    assert!(problems.finding_domains.len() <= CHOICES_SHOWN);
    assert!(problems.domain_reports.len() <= HEALTH_PAGE);
    // Asking for more health lines sends more.
    let more = session.page(&ViewRequest {
        health_limit: 3 * HEALTH_PAGE,
        ..ViewRequest::default()
    });
    assert_eq!(more.problems().unwrap().health.len(), 3 * HEALTH_PAGE);
    // The figures themselves stay whole.
    assert_eq!(page.overview.successful_sessions, 3_000);
}

#[test]
fn a_large_mailbox_is_sent_with_its_first_children_and_its_whole_count() {
    use tlsrpt_viewer::engine::model::{Trace, CHILDREN_SHOWN};
    let messages: String = (0..CHILDREN_SHOWN + 50)
        .map(|i| {
            let day = format!("2026-{:02}-{:02}", 1 + (i / 28) % 12, 1 + i % 28);
            format!(
                "From r@sender.example Sat Nov 28 05:10:22 2026\nFrom: r@sender.example\nSubject: {i}\n\
                 MIME-Version: 1.0\nContent-Type: application/tlsrpt+json\n\n{}\n\n",
                wide_report(&format!("m{i}"), &day, 1).replace('\n', " ")
            )
        })
        .collect();
    let mut session = Session::new();
    session.add(ingest_file("Big.mbox", messages.as_bytes()));
    let page = session.page(&ViewRequest {
        tab: Tab::Inputs,
        ..ViewRequest::default()
    });
    let row = &page.inputs().expect("the Inputs tab's model").inputs[0];
    assert_eq!(row.record.children.len(), CHILDREN_SHOWN);
    assert_eq!(row.cut.len(), 1);
    assert_eq!(row.cut[0].path, "0");
    assert_eq!(row.cut[0].children, CHILDREN_SHOWN + 50);
    assert!(
        row.cut[0].detail.starts_with("250 messages"),
        "{}",
        row.cut[0].detail
    );
    assert!(row.loaded.len() <= CHILDREN_SHOWN);
    // A bar of several days leads to the reports of all its days.
    let all = session.reports_behind(&Trace::All);
    let days = session.reports_behind(&Trace::Days {
        from: tlsrpt_viewer::text::Day::parse("2026-01-01").unwrap(),
        to: tlsrpt_viewer::text::Day::parse("2026-12-31").unwrap(),
        domain: None,
    });
    assert_eq!(days, all);
    assert_eq!(all.len(), CHILDREN_SHOWN + 50);
}

#[test]
fn a_row_counted_elsewhere_past_the_rows_sent_is_still_noted() {
    use tlsrpt_viewer::engine::model::RESULT_ROWS;
    // 1,200 sts rows; the last domain also has a tlsa row with more sessions (as Microsoft
    // writes), so its sts sessions count under tlsa. It sorts past the rows sent.
    let text = wide_report("wide", "2026-11-01", 1_200).replace(
        "\"policies\": [",
        r#""policies": [{"policy": {"policy-type": "tlsa", "policy-domain": "d01199.example"},
           "summary": {"total-successful-session-count": 9, "total-failure-session-count": 0}},"#,
    );
    let mut session = Session::new();
    session.add(ingest_file("wide.json", text.as_bytes()));
    let page = session.page(&ViewRequest::default());
    let results = page.results().expect("the rows by result");
    assert_eq!(results.rows.len(), RESULT_ROWS);
    assert!(results
        .rows
        .iter()
        .all(|row| row.sessions_counted_elsewhere == 0));
    assert!(results.counted_elsewhere);
    let plain = wide_report("plain", "2026-11-01", 1_200);
    let mut session = Session::new();
    session.add(ingest_file("plain.json", plain.as_bytes()));
    assert!(
        !session
            .page(&ViewRequest::default())
            .results()
            .unwrap()
            .counted_elsewhere
    );
}

#[test]
fn the_table_by_result_is_sorted_over_every_row_then_cut() {
    use tlsrpt_viewer::engine::model::{ResultColumn, RowOrder, RESULT_ROWS};
    let mut session = Session::new();
    let text = wide_report("wide", "2026-11-01", 1_200);
    session.add(ingest_file("wide.json", text.as_bytes()));
    let page = session.page(&ViewRequest::default());
    let results = page.results().expect("the rows by result");
    assert_eq!(results.rows.len(), RESULT_ROWS);
    assert_eq!(results.total, 1_200);
    let last_first = session.page(&ViewRequest {
        results_order: Some(RowOrder::new(ResultColumn::PolicyDomain, true)),
        ..ViewRequest::default()
    });
    assert_eq!(
        last_first.results().unwrap().rows[0].policy_domain,
        "d01199.example"
    );
    let more = session.page(&ViewRequest {
        results_limit: 2 * RESULT_ROWS,
        ..ViewRequest::default()
    });
    assert_eq!(more.results().unwrap().rows.len(), 2 * RESULT_ROWS);
}

#[test]
fn a_report_nested_as_deep_as_ingest_allows_still_crosses_to_the_page() {
    use tlsrpt_viewer::engine::model::FromWorker;
    // The deepest unknown field that ingest keeps: the drill-down answer wraps it in a few
    // more levels, past serde_json's default limit of 128.
    let mut deepest = None;
    for depth in (100..130).rev() {
        let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        let text = format!(
            r#"{{"organization-name":"Deep","report-id":"d{depth}","x-deep":{nested},
               "policies":[{{"policy":{{"policy-type":"sts","policy-domain":"d.example"}},
               "summary":{{"total-successful-session-count":1,"total-failure-session-count":0}}}}]}}"#
        );
        let mut session = Session::new();
        session.add(ingest_file("deep.json", text.as_bytes()));
        if session.set().reports.len() == 1 {
            deepest = Some((depth, session));
            break;
        }
    }
    let (depth, session) = deepest.expect("some depth is read");
    assert!(depth >= 120, "{depth}");
    let message = FromWorker::Drill {
        answer: session.drill_report(0),
    };
    let text = message.to_text().unwrap();
    assert!(
        serde_json::from_str::<FromWorker>(&text).is_err(),
        "past the default limit"
    );
    assert_eq!(FromWorker::from_text(&text).unwrap(), message);
}
