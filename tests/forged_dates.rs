//! Reports dated before 1990 or in the future are loaded, flagged with `data/date-out-of-range`
//! and left out of the verdict: forged dates cannot turn "Not yet" into "Ready" (advice that
//! would lose mail) or into "Not enough data".

use chrono::NaiveDate;
use serde_json::json;
use tlsrpt_viewer::analysis::diagnosis::VerdictStatus;
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::ingest_file;

/// One day's report from `org` for example.com, MTA-STS in testing, with `failed` failed
/// sessions (certificate-expired).
fn report(org: &str, day: NaiveDate, failed: u64) -> Vec<u8> {
    let details = if failed > 0 {
        json!([{"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.1",
                "receiving-mx-hostname": "mx.example.com", "failed-session-count": failed}])
    } else {
        json!([])
    };
    json!({
        "organization-name": org,
        "report-id": format!("{org}-{day}-{failed}"),
        "date-range": {"start-datetime": format!("{day}T00:00:00Z"), "end-datetime": format!("{day}T23:59:59Z")},
        "policies": [{
            "policy": {"policy-type": "sts", "policy-domain": "example.com",
                       "policy-string": ["version: STSv1", "mode: testing", "mx: mx.example.com", "max_age: 604800"]},
            "summary": {"total-successful-session-count": 100, "total-failure-session-count": failed},
            "failure-details": details
        }]
    })
    .to_string()
    .into_bytes()
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a day")
}

/// Two reporters from 2026-03-01 to 2026-03-20, and 50 failed sessions on 2026-03-17; read on
/// 2026-03-21.
fn failing_domain() -> Session {
    let mut session = Session::with_today(day("2026-03-21"));
    let mut n = 0;
    let mut add = |session: &mut Session, bytes: Vec<u8>| {
        n += 1;
        session.add(ingest_file(&format!("r{n}.json"), &bytes));
    };
    for date in day("2026-03-01").iter_days().take(20) {
        add(&mut session, report("Google LLC", date, 0));
        add(&mut session, report("Microsoft", date, 0));
    }
    add(&mut session, report("Yahoo", day("2026-03-17"), 50));
    session
}

fn verdict(session: &mut Session) -> (VerdictStatus, String) {
    let diagnosis = session.analysis().diagnosis;
    let line = diagnosis
        .domains
        .into_iter()
        .find(|d| d.policy_domain == "example.com")
        .expect("example.com is diagnosed");
    (line.verdict_status, line.verdict)
}

#[test]
fn fifty_six_reports_dated_2099_do_not_make_a_failing_domain_ready() {
    let mut session = failing_domain();
    assert_eq!(verdict(&mut session).0, VerdictStatus::NotYet);
    for (i, date) in day("2099-01-01").iter_days().take(56).enumerate() {
        let org = if i % 2 == 0 { "Forger A" } else { "Forger B" };
        session.add(ingest_file(&format!("f{i}.json"), &report(org, date, 0)));
    }
    let (status, text) = verdict(&mut session);
    assert_eq!(status, VerdictStatus::NotYet, "{text}");
    assert!(
        text.contains("50 sessions failed over the last 14 days (to 2026-03-20)"),
        "{text}"
    );
    // Loaded all the same, and named by a finding.
    let analysis = session.analysis();
    assert_eq!(analysis.overview.reports, 41 + 56);
    let finding = analysis
        .diagnosis
        .findings
        .iter()
        .find(|f| f.rule == "data/date-out-of-range")
        .expect("the forged dates are flagged");
    assert!(
        finding
            .title
            .starts_with("56 reports for example.com dated before 1990 or in the future"),
        "{}",
        finding.title
    );
    assert_eq!(finding.evidence.len(), 56);
    assert!(finding
        .evidence
        .iter()
        .any(|e| e.text.contains("dated 2099-01-01")));
}

#[test]
fn one_report_dated_9999_or_1980_does_not_make_it_not_enough_data() {
    for forged in ["9999-12-31", "1980-06-01"] {
        let mut session = failing_domain();
        session.add(ingest_file(
            "forged.json",
            &report("Forger", day(forged), 0),
        ));
        let (status, text) = verdict(&mut session);
        assert_eq!(status, VerdictStatus::NotYet, "{forged}: {text}");
        let analysis = session.analysis();
        assert!(
            analysis
                .diagnosis
                .findings
                .iter()
                .any(|f| f.rule == "data/date-out-of-range"),
            "{forged} is flagged"
        );
    }
}

#[test]
fn a_report_dated_tomorrow_is_not_flagged_and_the_day_after_is() {
    let mut session = failing_domain();
    session.add(ingest_file(
        "a.json",
        &report("Google LLC", day("2026-03-22"), 0),
    ));
    assert!(!session
        .set()
        .reports
        .last()
        .is_some_and(|r| r.day_out_of_range));
    session.add(ingest_file(
        "b.json",
        &report("Google LLC", day("2026-03-23"), 0),
    ));
    assert!(session
        .set()
        .reports
        .last()
        .is_some_and(|r| r.day_out_of_range));
    session.add(ingest_file(
        "c.json",
        &report("Google LLC", day("1990-01-01"), 0),
    ));
    assert!(!session
        .set()
        .reports
        .last()
        .is_some_and(|r| r.day_out_of_range));
}
