//! Filters narrow the report set before every view: each dimension on real samples.

mod common;

use chrono::NaiveDate;
use common::*;
use tlsrpt_viewer::analysis::{analyze, Filter};

fn set() -> tlsrpt_viewer::ingest::ReportSet {
    set_of(&[
        "real/parsedmarc/rfc8460.json",
        "real/parsedmarc/mail.ru.json",
        "real/phi-ag-mta-sts-exporter/google.json",
        "real/phi-ag-mta-sts-exporter/microsoft.json",
        "real/robalexdev-tlsrpt-be/report.json",
    ])
}

fn totals(filter: &Filter) -> (usize, u64, u64) {
    let filtered = filter.apply(&set());
    let overview = analyze(&filtered).overview;
    (
        overview.reports,
        overview.successful_sessions,
        overview.failed_sessions,
    )
}

#[test]
fn no_filter_keeps_everything() {
    assert_eq!(
        totals(&Filter::default()),
        (5, 5326 + 53 + 18 + 99, 303 + 1 + 102)
    );
}

#[test]
fn by_domain_organisation_date_and_policy_type() {
    let domain = Filter {
        domain: Some("EXAMPLE.com".into()),
        ..Filter::default()
    };
    assert_eq!(totals(&domain), (3, 53 + 18, 1));
    let org = Filter {
        organization: Some("Google Inc.".into()),
        ..Filter::default()
    };
    assert_eq!(totals(&org), (1, 53, 0));
    let dates = Filter {
        from: NaiveDate::from_ymd_opt(2024, 2, 16),
        to: NaiveDate::from_ymd_opt(2024, 2, 22),
        ..Filter::default()
    };
    assert_eq!(totals(&dates), (3, 53 + 18, 1));
    let policy = Filter {
        policy_type: Some("no-policy-found".into()),
        ..Filter::default()
    };
    assert_eq!(totals(&policy), (1, 99, 102));
    let tlsa = Filter {
        policy_type: Some("tlsa".into()),
        ..Filter::default()
    };
    assert_eq!(totals(&tlsa), (0, 0, 0), "no tlsa policy in these reports");
    // Microsoft's tlsa entry alone (random.net): its 2 sessions count, as the sts copy is gone.
    let microsoft = set_of(&["real/cry-inc-dmarc-report-viewer/microsoft.json"]);
    let overview = analyze(&tlsa.apply(&microsoft)).overview;
    assert_eq!((overview.reports, overview.successful_sessions), (1, 2));
}

#[test]
fn by_result_type_ip_and_mx_keep_the_matching_failures_only() {
    let result = Filter {
        result_type: Some("certificate-expired".into()),
        ..Filter::default()
    };
    assert_eq!(totals(&result), (1, 0, 100));
    // The RFC example's sending IPs: 2001:db8:abcd:0012::1 (certificate-expired, 100),
    // 2001:db8:abcd:0013::1 (starttls-not-supported, 200), 198.51.100.62 (validation-failure, 3).
    let v6 = Filter {
        sending_ip: Some("2001:db8:abcd::/48".into()),
        ..Filter::default()
    };
    assert_eq!(totals(&v6), (1, 0, 300));
    let v4 = Filter {
        sending_ip: Some("198.51.100.0/24".into()),
        ..Filter::default()
    };
    assert_eq!(totals(&v4), (1, 0, 3));
    let bad = Filter {
        sending_ip: Some("not an address".into()),
        ..Filter::default()
    };
    assert_eq!(totals(&bad), (0, 0, 0));
    let mx = Filter {
        mx_host: Some("mx2.mail.company-y.example.".into()),
        ..Filter::default()
    };
    assert_eq!(totals(&mx), (1, 0, 200));
}

#[test]
fn filters_apply_to_the_diagnosis_too() {
    let filter = Filter {
        domain: Some("company-y.example".into()),
        ..Filter::default()
    };
    let analysis = analyze(&filter.apply(&set()));
    assert!(analysis
        .diagnosis
        .findings
        .iter()
        .all(|f| f.policy_domain == "company-y.example"));
    assert_eq!(analysis.diagnosis.findings.len(), 3);
}
