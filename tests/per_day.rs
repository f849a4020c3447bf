//! The timeline's figures: sessions per day, failures by result type, per domain.

mod common;

use common::*;
use tlsrpt_viewer::analysis::{analyze, per_day};

#[test]
fn sessions_per_day_with_the_counting_rule() {
    let set = set_of(&[
        "real/parsedmarc/rfc8460.json",
        "real/phi-ag-mta-sts-exporter/microsoft.json",
        "real/phi-ag-mta-sts-exporter/google.json",
        "real/robalexdev-tlsrpt-be/report.json",
    ]);
    let days = analyze(&set).per_day;
    let summary: Vec<(String, u64, u64, u64)> = days
        .iter()
        .map(|d| {
            (
                d.day.to_string(),
                d.successful_sessions,
                d.failed_sessions,
                d.unitemised_failures,
            )
        })
        .collect();
    // By hand: the RFC example on 2016-04-01; Microsoft's 18 sessions once (not its tlsa
    // copy) on 2024-02-16; Google's 53 on 2024-02-17; report.json's 99 and 102 without details.
    assert_eq!(
        summary,
        [
            ("2016-04-01", 5326, 303, 0),
            ("2024-02-16", 18, 0, 0),
            ("2024-02-17", 53, 0, 0),
            ("2025-08-04", 99, 102, 102),
        ]
        .map(|(day, ok, failed, bare)| (day.to_string(), ok, failed, bare))
    );
    let types: Vec<(&str, u64)> = days[0]
        .failures_by_type
        .iter()
        .map(|t| (t.result_type.as_str(), t.sessions))
        .collect();
    assert_eq!(
        types,
        [
            ("starttls-not-supported", 200),
            ("certificate-expired", 100),
            ("validation-failure", 3)
        ]
    );
    assert_eq!(days[1].reports, [1]);

    let example: Vec<String> = per_day(&set, Some("example.com"))
        .into_iter()
        .map(|d| d.day.to_string())
        .collect();
    assert_eq!(example, ["2024-02-16", "2024-02-17"]);
    assert!(per_day(&set, Some("nowhere.example")).is_empty());
}
