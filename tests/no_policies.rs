//! A report whose "policies" list is empty (a real test fixture of another TLS-RPT project)
//! is a report all the same: it counts in the overview, per source, in coverage and in the
//! Inputs, with a note that it holds no policy, under any filter that looks at reports only.

use serde_json::json;
use tlsrpt_viewer::analysis::Filter;
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::ingest_file;

fn company_x() -> Vec<u8> {
    json!({
        "organization-name": "Company-X",
        "date-range": {"start-datetime": "2016-04-01T00:00:00Z", "end-datetime": "2016-04-01T23:59:59Z"},
        "contact-info": "sts-reporting@company-x.example",
        "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
        "policies": []
    })
    .to_string()
    .into_bytes()
}

fn with_sessions() -> Vec<u8> {
    json!({
        "organization-name": "Google LLC", "report-id": "g1",
        "date-range": {"start-datetime": "2016-04-02T00:00:00Z", "end-datetime": "2016-04-02T23:59:59Z"},
        "policies": [{"policy": {"policy-type": "sts", "policy-domain": "example.com"},
                      "summary": {"total-successful-session-count": 5, "total-failure-session-count": 0}}]
    })
    .to_string()
    .into_bytes()
}

#[test]
fn a_report_without_policies_counts_everywhere_with_a_note() {
    let mut session = Session::new();
    session.add(ingest_file("company-x.json", &company_x()));
    let analysis = session.analysis();
    assert_eq!(analysis.overview.inputs.loaded, 1);
    assert_eq!(analysis.overview.reports, 1, "the overview counts it");
    assert_eq!(analysis.overview.organizations, ["Company-X"]);
    assert!(analysis.overview.policy_domains.is_empty());
    assert_eq!(
        (
            analysis.overview.successful_sessions,
            analysis.overview.failed_sessions
        ),
        (0, 0)
    );
    let group = analysis
        .per_source
        .iter()
        .find(|group| group.organization == "Company-X")
        .expect("a group per source");
    assert_eq!(group.report_count, 1);
    let coverage = session.coverage();
    assert_eq!(coverage.rows.len(), 1);
    assert_eq!(
        (coverage.rows[0].reporter.as_str(), coverage.rows[0].reports),
        ("Company-X", 1)
    );
    let notes = &session.set().reports[0].report.notes;
    assert!(
        notes
            .iter()
            .any(|note| note.contains("policies is an empty list")),
        "{notes:?}"
    );
}

#[test]
fn filters_on_reports_keep_it_and_filters_on_policies_do_not() {
    let mut session = Session::new();
    session.add(ingest_file("company-x.json", &company_x()));
    session.add(ingest_file("google.json", &with_sessions()));
    assert_eq!(session.analysis().overview.reports, 2);
    let by_org = Filter {
        organization: Some("Company-X".into()),
        ..Filter::default()
    };
    session.set_filter(&by_org);
    assert_eq!(session.analysis().overview.reports, 1);
    let by_domain = Filter {
        domain: Some("example.com".into()),
        ..Filter::default()
    };
    session.set_filter(&by_domain);
    let overview = session.analysis().overview;
    assert_eq!((overview.reports, overview.organizations.len()), (1, 1));
    assert_eq!(overview.organizations, ["Google LLC"]);
}

#[test]
fn the_json_export_has_the_per_mx_section_of_the_mx_view() {
    use tlsrpt_viewer::analysis::export::analysis_json;
    let failing = json!({
        "organization-name": "Google LLC", "report-id": "g2",
        "date-range": {"start-datetime": "2016-04-02T00:00:00Z", "end-datetime": "2016-04-02T23:59:59Z"},
        "policies": [{"policy": {"policy-type": "sts", "policy-domain": "example.com"},
                      "summary": {"total-successful-session-count": 5, "total-failure-session-count": 2},
                      "failure-details": [{"result-type": "certificate-expired",
                          "receiving-mx-hostname": "mx1.example.com", "failed-session-count": 2}]}]
    });
    let mut session = Session::new();
    session.add(ingest_file("f.json", failing.to_string().as_bytes()));
    let analysis = session.analysis();
    assert!(!analysis.per_mx.is_empty());
    let exported: serde_json::Value =
        serde_json::from_str(&analysis_json(&analysis, &Filter::default(), session.set()))
            .expect("JSON");
    assert_eq!(
        exported["per-mx"],
        serde_json::to_value(&analysis.per_mx).expect("rows")
    );
    assert_eq!(exported["per-mx"][0]["mx-host"], "mx1.example.com");
}
