//! The view per receiving MX host: the domains served, failures counted once, and whether a
//! domain's MTA-STS policy names the host, with wildcards as RFC 8461 section 4.1 defines them.

mod common;

use common::*;
use serde_json::json;
use tlsrpt_viewer::analysis::{analyze, MxRow};
use tlsrpt_viewer::ingest::{ingest_file, ReportSet};

fn rows(reports: &[serde_json::Value]) -> Vec<MxRow> {
    let mut set = ReportSet::new();
    for (i, report) in reports.iter().enumerate() {
        set.add(ingest_file(
            &format!("r{i}.json"),
            report.to_string().as_bytes(),
        ));
    }
    analyze(&set).per_mx
}

fn failure(mx: &str, sessions: u64) -> serde_json::Value {
    json!({"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.9",
           "receiving-mx-hostname": mx, "failed-session-count": sessions})
}

#[test]
fn wildcards_name_exactly_one_label_and_failures_count_per_host() {
    let report = json!({
        "organization-name": "Google LLC", "report-id": "1",
        "date-range": {"start-datetime": "2026-03-01T00:00:00Z", "end-datetime": "2026-03-01T23:59:59Z"},
        "policies": [
            {"policy": {"policy-type": "sts", "policy-domain": "example.com",
                        "policy-string": ["version: STSv1", "mode: enforce", "mx: *.example.com", "mx: mail.example.net", "max_age: 86400"]},
             "summary": {"total-successful-session-count": 10, "total-failure-session-count": 10},
             "failure-details": [failure("mx1.example.com", 1), failure("a.b.example.com", 2),
                                 failure("MAIL.example.net.", 3), failure("example.com", 4)]},
            {"policy": {"policy-type": "tlsa", "policy-domain": "example.org", "mx-host": ["mx1.example.com"],
                        "policy-string": ["3 1 1 0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"]},
             "summary": {"total-successful-session-count": 5, "total-failure-session-count": 0}}
        ]
    });
    let rows = rows(&[report]);
    let host = |name: &str| {
        rows.iter()
            .find(|r| r.mx_host == name)
            .unwrap_or_else(|| panic!("{name}: {rows:#?}"))
    };
    // Most failures first.
    let order: Vec<&str> = rows.iter().map(|r| r.mx_host.as_str()).collect();
    assert_eq!(
        order,
        [
            "example.com",
            "mail.example.net",
            "a.b.example.com",
            "mx1.example.com"
        ]
    );

    let mx1 = host("mx1.example.com");
    assert_eq!(mx1.failed_sessions, 1);
    let served: Vec<(&str, Option<bool>)> = mx1
        .domains
        .iter()
        .map(|d| (d.domain.as_str(), d.covered))
        .collect();
    // Named by "*.example.com"; it also serves example.org (listed by its tlsa policy), which
    // has no MTA-STS policy.
    assert_eq!(served, [("example.com", Some(true)), ("example.org", None)]);
    assert_eq!(mx1.tlsa_records.len(), 1);
    assert_eq!(mx1.sending_ips, ["192.0.2.9"]);
    assert_eq!(mx1.reporters, ["Google LLC"]);

    // "*.example.com" does not match two labels, nor the domain itself.
    assert_eq!(host("a.b.example.com").domains[0].covered, Some(false));
    assert_eq!(host("example.com").domains[0].covered, Some(false));
    assert_eq!(
        host("example.com").domains[0].patterns,
        ["*.example.com", "mail.example.net"]
    );
    // A host's spelling is read once: case and trailing dot.
    assert_eq!(host("mail.example.net").domains[0].covered, Some(true));
    assert_eq!(host("mail.example.net").failed_sessions, 3);
}

#[test]
fn every_failure_with_a_host_in_the_samples_is_counted_once_per_host() {
    let mut files = sample_files("real", ".json");
    files.extend(sample_files("real", ".eml"));
    let names: Vec<&str> = files.iter().map(String::as_str).collect();
    let set = set_of(&names);
    let analysis = analyze(&set);
    let by_host: u64 = analysis.per_mx.iter().map(|r| r.failed_sessions).sum();
    // The failures with a receiving MX, of the counted entries, summed by hand from the rows
    // by result (which include those without a host).
    let all_itemised: u64 = analysis
        .per_result
        .iter()
        .flat_map(|r| r.failures_by_type.iter())
        .map(|t| t.sessions)
        .sum();
    assert!(
        by_host > 0 && by_host <= all_itemised,
        "{by_host} of {all_itemised}"
    );
    for row in &analysis.per_mx {
        let per_domain: u64 = row.domains.iter().map(|d| d.failed_sessions).sum();
        assert_eq!(per_domain, row.failed_sessions, "{}", row.mx_host);
        assert!(!row.domains.is_empty(), "{}", row.mx_host);
    }
}

#[test]
fn the_worker_sorts_the_mx_view_by_host_domains_or_failures() {
    use tlsrpt_viewer::engine::model::{MxColumn, RowOrder, Tab, ViewRequest};
    use tlsrpt_viewer::engine::Session;
    let entry = |domain: &str, failures: Vec<serde_json::Value>| {
        let failed: u64 = failures
            .iter()
            .map(|f| f["failed-session-count"].as_u64().unwrap())
            .sum();
        json!({"policy": {"policy-type": "sts", "policy-domain": domain},
               "summary": {"total-successful-session-count": 10, "total-failure-session-count": failed},
               "failure-details": failures})
    };
    let report = json!({
        "organization-name": "Google LLC", "report-id": "sort",
        "date-range": {"start-datetime": "2026-03-01T00:00:00Z", "end-datetime": "2026-03-01T23:59:59Z"},
        "policies": [
            entry("a.example", vec![failure("b-mx.example", 1), failure("c-mx.example", 5)]),
            entry("b.example", vec![failure("b-mx.example", 2), failure("a-mx.example", 3)]),
        ]
    });
    let mut session = Session::new();
    session.add(ingest_file("r.json", report.to_string().as_bytes()));
    let mut hosts = |order: Option<RowOrder<MxColumn>>| -> Vec<String> {
        let page = session.page(&ViewRequest {
            tab: Tab::Mx,
            mx_order: order,
            ..ViewRequest::default()
        });
        page.mx()
            .expect("the MX tab's model")
            .rows
            .iter()
            .map(|row| row.mx_host.clone())
            .collect()
    };
    let by = |column, descending| Some(RowOrder { column, descending });
    // By default most failures first: c 5, a 3, b 3 (1 + 2).
    assert_eq!(hosts(None)[0], "c-mx.example");
    assert_eq!(
        hosts(by(MxColumn::Host, false)),
        ["a-mx.example", "b-mx.example", "c-mx.example"]
    );
    assert_eq!(
        hosts(by(MxColumn::Host, true)),
        ["c-mx.example", "b-mx.example", "a-mx.example"]
    );
    assert_eq!(
        hosts(by(MxColumn::Domains, true))[0],
        "b-mx.example",
        "b-mx serves two domains"
    );
    assert_eq!(hosts(by(MxColumn::Failed, false))[2], "c-mx.example");
}
