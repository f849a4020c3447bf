//! The generated corpus has domains that are Ready, as a real portfolio does: every eighth
//! domain from the fourth on fixed its problems three weeks before the corpus ends. Each
//! Ready verdict is checked against a count made here from the reports themselves, without
//! the engine's tallies: no failed session in the 14 days to the domain's latest report, and
//! reports on at least 14 of the last 30 days from at least 2 reporters.

mod common;

use std::collections::BTreeSet;
use tlsrpt_viewer::analysis::diagnosis::VerdictStatus;
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::ingest_file;

#[test]
fn the_generated_corpus_has_ready_domains_and_each_holds_up_to_a_recount() {
    let bytes = common::corpus_mbox(2_000, "ready");
    let mut session = Session::with_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap());
    session.add(ingest_file("reports.mbox", &bytes));
    let analysis = session.analysis();
    let ready: Vec<&str> = analysis
        .diagnosis
        .domains
        .iter()
        .filter(|d| d.verdict_status == VerdictStatus::Ready)
        .map(|d| d.policy_domain.as_str())
        .collect();
    assert!(
        ready.contains(&"city-11.example"),
        "a recovered domain with a policy is Ready: {ready:?}"
    );
    for domain in &ready {
        let health = analysis
            .diagnosis
            .domains
            .iter()
            .find(|d| d.policy_domain == *domain)
            .unwrap();
        assert!(health.verdict.starts_with("Ready: "), "{}", health.verdict);
        // The recount: (day, reporter, failed sessions) of each of the domain's entries.
        let mut entries = Vec::new();
        for loaded in &session.set().reports {
            let report = &loaded.report;
            let Some(day) = report
                .start
                .as_ref()
                .and_then(|t| t.utc)
                .map(|t| t.date_naive())
            else {
                continue;
            };
            let reporter = report
                .organization_name
                .as_deref()
                .unwrap_or("")
                .to_string();
            for entry in &report.policies {
                if entry.policy_domain.as_deref() == Some(*domain) {
                    entries.push((day, reporter.clone(), entry.failed_sessions));
                }
            }
        }
        let last = entries.iter().map(|e| e.0).max().unwrap();
        let within = |days: i64| {
            let first = last - chrono::TimeDelta::days(days - 1);
            entries.iter().filter(move |e| e.0 >= first)
        };
        let failed: u64 = within(14).map(|e| e.2).sum();
        assert_eq!(failed, 0, "{domain}: failed sessions in its last 14 days");
        let days: BTreeSet<_> = within(30).map(|e| e.0).collect();
        let reporters: BTreeSet<_> = within(30).map(|e| e.1.as_str()).collect();
        assert!(days.len() >= 14, "{domain}: {} days", days.len());
        assert!(reporters.len() >= 2, "{domain}: {reporters:?}");
        // Failures before: a domain that fixed its problems, not one that never had any.
        assert!(
            entries.iter().any(|e| e.2 > 0),
            "{domain} had failures once"
        );
    }
    // A domain whose latest fortnight has failures is never Ready.
    let failing = analysis
        .diagnosis
        .domains
        .iter()
        .find(|d| d.policy_domain == "shop-00.example")
        .unwrap();
    assert_eq!(failing.verdict_status, VerdictStatus::NotYet);
}
