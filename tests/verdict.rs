//! "Ready to enforce?": each verdict rule with a case where it fires and one where it must
//! not, on small constructed reports and on the real samples.

mod common;

use common::*;
use serde_json::json;
use tlsrpt_viewer::analysis::diagnosis::{diagnose, DomainHealth, VerdictStatus};
use tlsrpt_viewer::ingest::{ingest_file, ReportSet};

/// One day's report from `org` for example.com: `policy` is "sts" or "tlsa", `mode` the
/// MTA-STS mode (sts only), `failed` the failed sessions (certificate-expired).
fn day_report(org: &str, day: u32, policy: &str, mode: &str, failed: u64) -> Vec<u8> {
    let start = format!("2026-03-{day:02}T00:00:00Z");
    let end = format!("2026-03-{day:02}T23:59:59Z");
    let strings = match policy {
        "sts" => json!([
            "version: STSv1",
            format!("mode: {mode}"),
            "mx: mx.example.com",
            "max_age: 604800"
        ]),
        "tlsa" => json!(["3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"]),
        _ => json!([]),
    };
    let details = if failed > 0 {
        json!([{"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.1",
                "receiving-mx-hostname": "mx.example.com", "failed-session-count": failed}])
    } else {
        json!([])
    };
    json!({
        "organization-name": org,
        "report-id": format!("{org}-{day}-{policy}-{failed}"),
        "date-range": {"start-datetime": start, "end-datetime": end},
        "policies": [{
            "policy": {"policy-type": policy, "policy-string": strings, "policy-domain": "example.com"},
            "summary": {"total-successful-session-count": 100, "total-failure-session-count": failed},
            "failure-details": details
        }]
    })
    .to_string()
    .into_bytes()
}

/// The health of example.com over the given reports.
fn health(reports: &[Vec<u8>]) -> DomainHealth {
    let mut set = ReportSet::new();
    for (i, bytes) in reports.iter().enumerate() {
        set.add(ingest_file(&format!("r{i}.json"), bytes));
    }
    let diagnosis = diagnose(&set);
    diagnosis
        .domains
        .into_iter()
        .find(|d| d.policy_domain == "example.com")
        .expect("example.com is diagnosed")
}

/// Reports from two reporters on days `from..=to` of March 2026, all clean.
fn clean_days(policy: &str, mode: &str, from: u32, to: u32) -> Vec<Vec<u8>> {
    (from..=to)
        .flat_map(|day| {
            [
                day_report("Google LLC", day, policy, mode, 0),
                day_report("Microsoft", day, policy, mode, 0),
            ]
        })
        .collect()
}

#[test]
fn testing_mode_clean_for_weeks_from_two_reporters_is_ready() {
    let line = health(&clean_days("sts", "testing", 1, 20));
    assert_eq!(
        line.verdict_status,
        VerdictStatus::Ready,
        "{}",
        line.verdict
    );
    assert!(
        line.verdict
            .starts_with("Ready: enforcing the MTA-STS policy would have cost no mail"),
        "{}",
        line.verdict
    );
    assert!(
        line.verdict
            .contains("\"mode: testing\" to \"mode: enforce\""),
        "{}",
        line.verdict
    );
    assert!(
        line.verdict
            .contains("2,800 sessions from 2 reporters over the last 14 days (to 2026-03-20)"),
        "{}",
        line.verdict
    );
    assert!(
        line.verdict_figures.iter().any(|f| f
            == "Reports on 20 days of the last 30 days, from 2 reporters: Google LLC, Microsoft."),
        "{:?}",
        line.verdict_figures
    );
}

#[test]
fn a_failure_in_the_last_14_days_blocks_it_and_says_who_and_what() {
    let mut reports = clean_days("sts", "testing", 1, 20);
    reports.push(day_report("Yahoo", 17, "sts", "testing", 12));
    let line = health(&reports);
    assert_eq!(
        line.verdict_status,
        VerdictStatus::NotYet,
        "{}",
        line.verdict
    );
    assert!(line.verdict.starts_with("Not yet: enforcing the MTA-STS policy would have cost mail: 12 sessions failed over the last 14 days (to 2026-03-20), most of them certificate-expired reported by Yahoo"), "{}", line.verdict);
    assert!(
        line.verdict_figures
            .contains(&"Failed in the last 14 days, by reporter: Yahoo 12.".to_string()),
        "{:?}",
        line.verdict_figures
    );
    assert!(
        line.verdict_figures.contains(
            &"Failed in the last 14 days, by result type: certificate-expired 12.".to_string()
        ),
        "{:?}",
        line.verdict_figures
    );
}

#[test]
fn a_failure_older_than_14_days_does_not_block_it_but_is_said() {
    let mut reports = clean_days("sts", "testing", 1, 30);
    reports.push(day_report("Yahoo", 5, "sts", "testing", 7));
    let line = health(&reports);
    assert_eq!(
        line.verdict_status,
        VerdictStatus::Ready,
        "{}",
        line.verdict
    );
    assert!(
        line.verdict
            .contains("(7 sessions failed earlier in the last 30 days, none since)"),
        "{}",
        line.verdict
    );
    // A failure older than 30 days is not counted at all.
    let mut reports = clean_days("sts", "testing", 1, 30);
    reports.push(day_report("Yahoo", 1, "sts", "testing", 7));
    let mut late = clean_days("sts", "testing", 31, 31);
    reports.append(&mut late);
    let line = health(&reports);
    assert_eq!(
        line.verdict_status,
        VerdictStatus::Ready,
        "{}",
        line.verdict
    );
    assert!(!line.verdict.contains("earlier"), "{}", line.verdict);
}

#[test]
fn too_few_days_or_reporters_is_not_enough_data_and_says_what_is_needed() {
    let line = health(&clean_days("sts", "testing", 1, 5));
    assert_eq!(
        line.verdict_status,
        VerdictStatus::NotEnoughData,
        "{}",
        line.verdict
    );
    assert_eq!(
        line.verdict,
        "Not enough data: no session failed, but the reports cover 5 days of the last 30 \
         days, from 2 reporters; at least 14 days of reports from 2 reporters are needed \
         before enforcing."
    );
    let one_reporter: Vec<Vec<u8>> = (1..=20)
        .map(|day| day_report("Google LLC", day, "sts", "testing", 0))
        .collect();
    let line = health(&one_reporter);
    assert_eq!(
        line.verdict_status,
        VerdictStatus::NotEnoughData,
        "{}",
        line.verdict
    );
    assert!(
        line.verdict
            .contains("20 days of the last 30 days, from 1 reporter;"),
        "{}",
        line.verdict
    );
    // Exactly at the thresholds: ready.
    let line = health(&clean_days("sts", "testing", 7, 20));
    assert_eq!(
        line.verdict_status,
        VerdictStatus::Ready,
        "{}",
        line.verdict
    );
}

#[test]
fn an_enforced_policy_is_healthy_or_degraded_since_a_day() {
    let line = health(&clean_days("sts", "enforce", 1, 20));
    assert_eq!(
        line.verdict_status,
        VerdictStatus::Ready,
        "{}",
        line.verdict
    );
    assert!(
        line.verdict
            .starts_with("Ready: the MTA-STS policy is enforced and healthy"),
        "{}",
        line.verdict
    );
    let mut reports = clean_days("sts", "enforce", 1, 20);
    reports.push(day_report("Google LLC", 12, "sts", "enforce", 3));
    reports.push(day_report("Yahoo", 15, "sts", "enforce", 4));
    let line = health(&reports);
    assert_eq!(
        line.verdict_status,
        VerdictStatus::NotYet,
        "{}",
        line.verdict
    );
    assert!(line.verdict.starts_with("Not yet healthy: the MTA-STS policy is enforced and degraded since 2026-03-12: 7 sessions failed"), "{}", line.verdict);
}

#[test]
fn dane_is_judged_on_its_own() {
    let line = health(&clean_days("tlsa", "", 1, 20));
    assert_eq!(
        line.verdict_status,
        VerdictStatus::Ready,
        "{}",
        line.verdict
    );
    assert!(
        line.verdict.starts_with("Ready: DANE is healthy"),
        "{}",
        line.verdict
    );
    let mut reports = clean_days("tlsa", "", 1, 20);
    reports.push(day_report("Microsoft", 19, "tlsa", "", 2));
    let line = health(&reports);
    assert!(
        line.verdict
            .starts_with("Not yet healthy: DANE is degraded since 2026-03-19"),
        "{}",
        line.verdict
    );
}

#[test]
fn no_policy_found_is_not_yet_with_what_to_publish() {
    let reports: Vec<Vec<u8>> = (1..=20)
        .map(|day| day_report("Google LLC", day, "no-policy-found", "", 0))
        .collect();
    let line = health(&reports);
    assert_eq!(
        line.verdict_status,
        VerdictStatus::NotYet,
        "{}",
        line.verdict
    );
    assert!(
        line.verdict.starts_with(
            "Not yet: senders found no MTA-STS policy and no DANE records for example.com"
        ),
        "{}",
        line.verdict
    );
}

#[test]
fn real_samples_mail_ru_fetch_error_is_not_ready_and_google_clean_needs_more_data() {
    let set = set_of(&["real/parsedmarc/mail.ru.json"]);
    let line = &diagnose(&set).domains[0];
    assert_eq!(
        line.verdict_status,
        VerdictStatus::NotYet,
        "{}",
        line.verdict
    );
    assert!(
        line.verdict
            .contains("sts-policy-fetch-error reported by Mail.ru"),
        "{}",
        line.verdict
    );

    let set = set_of(&["real/cry-inc-dmarc-report-viewer/google.json"]);
    let line = &diagnose(&set).domains[0];
    assert_eq!(
        line.verdict_status,
        VerdictStatus::NotEnoughData,
        "{}",
        line.verdict
    );
    assert!(
        line.verdict
            .contains("1 day of the last 30 days, from 1 reporter"),
        "{}",
        line.verdict
    );
}

#[test]
fn every_sample_domain_gets_a_verdict_that_begins_with_its_status() {
    let mut files = sample_files("real", ".json");
    files.extend(sample_files("real", ".eml"));
    let names: Vec<&str> = files.iter().map(String::as_str).collect();
    let diagnosis = diagnose(&set_of(&names));
    assert!(diagnosis.domains.len() > 5);
    for line in &diagnosis.domains {
        assert!(
            line.verdict.starts_with(line.verdict_status.label()),
            "{}: {}",
            line.policy_domain,
            line.verdict
        );
    }
}

/// A report for example.com with an `sts` entry that gives no policy text (as Mail.ru's do).
fn no_text_report(org: &str, day: u32, failed: u64) -> Vec<u8> {
    json!({
        "organization-name": org,
        "report-id": format!("{org}-{day}-bare-{failed}"),
        "date-range": {"start-datetime": format!("2026-03-{day:02}T00:00:00Z"),
                       "end-datetime": format!("2026-03-{day:02}T23:59:59Z")},
        "policies": [{
            "policy": {"policy-type": "sts", "policy-domain": "example.com"},
            "summary": {"total-successful-session-count": 10, "total-failure-session-count": failed},
            "failure-details": [{"result-type": "sts-policy-fetch-error", "failed-session-count": failed}]
        }]
    })
    .to_string()
    .into_bytes()
}

#[test]
fn the_mode_comes_from_the_latest_report_that_gives_one() {
    // Two reporters saw "mode: enforce" up to day 20; a reporter that sends no policy text
    // reports failures on day 21. The policy is enforced: its failures lost mail, which the
    // verdict must say, not that "enforcing" it "would have cost mail".
    let mut reports = clean_days("sts", "enforce", 1, 20);
    reports.push(no_text_report("Mail.ru", 21, 3));
    let line = health(&reports);
    assert_eq!(line.verdict_status, VerdictStatus::NotYet);
    assert!(
        line.verdict
            .starts_with("Not yet healthy: the MTA-STS policy is enforced and degraded"),
        "{}",
        line.verdict
    );
    assert!(line
        .verdict_figures
        .iter()
        .any(|f| f == "Policy: MTA-STS in mode enforce (from the latest report that gives it)."));
}

#[test]
fn without_a_mode_in_any_report_the_verdict_says_so() {
    let line = health(&[no_text_report("Mail.ru", 20, 3)]);
    assert_eq!(line.verdict_status, VerdictStatus::NotYet);
    assert!(
        line.verdict.starts_with(
            "Not yet: the reports do not give the MTA-STS policy's mode; were it testing, \
             enforcing it would have cost mail: 3 sessions failed"
        ),
        "{}",
        line.verdict
    );
}

#[test]
fn old_reports_are_said_to_be_old() {
    // The same clean weeks that make "Ready" above, read 73 days after the last of them.
    let mut set = ReportSet::new();
    set.today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1);
    for (i, bytes) in clean_days("sts", "testing", 1, 20).iter().enumerate() {
        set.add(ingest_file(&format!("r{i}.json"), bytes));
    }
    let line = |set: &ReportSet| {
        diagnose(set)
            .domains
            .into_iter()
            .find(|d| d.policy_domain == "example.com")
            .unwrap()
    };
    let old = line(&set);
    assert_eq!(old.verdict_status, VerdictStatus::Ready);
    assert!(
        old.verdict.ends_with(
            " The latest report is from 2026-03-20, 73 days before today: these figures say \
             nothing of the days since."
        ),
        "{}",
        old.verdict
    );
    // Read the day after the last report, the verdict says nothing of age.
    set.today = chrono::NaiveDate::from_ymd_opt(2026, 3, 21);
    let fresh = line(&set);
    assert!(
        fresh.verdict.ends_with("in the _mta-sts TXT record."),
        "{}",
        fresh.verdict
    );
    // Past 7 days it is said; at 7, not (reporters send a report a day, a day or two late).
    set.today = chrono::NaiveDate::from_ymd_opt(2026, 3, 27);
    assert!(!line(&set).verdict.contains("before today"));
    set.today = chrono::NaiveDate::from_ymd_opt(2026, 3, 28);
    assert!(line(&set).verdict.contains("8 days before today"));
}

#[test]
fn a_domain_whose_reports_give_no_policy_text_still_shows_its_policy_type() {
    // Mail.ru's sts entries carry no policy text: the domain has MTA-STS all the same, and the
    // table of domains says so rather than "none seen" beside a verdict about MTA-STS.
    let line = health(&[no_text_report("Mail.ru", 20, 3)]);
    assert!(line.sts_policies.is_empty());
    assert!(line.sts_without_text);
    let mut session = tlsrpt_viewer::engine::Session::new();
    for (name, bytes) in [
        ("a.json", no_text_report("Mail.ru", 20, 3)),
        ("b.json", day_report("Google LLC", 20, "tlsa", "", 0)),
    ] {
        session.add(ingest_file(name, &bytes));
    }
    for i in 0..6 {
        let other = format!("other-{i}.example");
        let bytes = String::from_utf8(day_report("Google LLC", 19, "sts", "testing", 0))
            .unwrap()
            .replace("example.com", &other)
            .replace("Google LLC-19", &format!("Google LLC-19-{i}"));
        session.add(ingest_file(&format!("{other}.json"), bytes.as_bytes()));
    }
    session.diagnose();
    let model = session.page(&Default::default());
    let rows = &model.problems().expect("the Problems view").domain_rows;
    let row = rows.iter().find(|r| r.domain == "example.com").unwrap();
    assert_eq!(row.policy, "MTA-STS (mode not given) + DANE");
    let other = rows.iter().find(|r| r.domain == "other-0.example").unwrap();
    assert_eq!(other.policy, "MTA-STS testing");
}
