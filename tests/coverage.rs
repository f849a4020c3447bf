//! Who reported when: a row per reporter, a column per day (a week past 400 days), with the
//! gaps between a reporter's first and last report and the reports received more than once.

use serde_json::json;
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::ingest_file;

fn report(org: &str, id: &str, day: &str) -> Vec<u8> {
    json!({
        "organization-name": org, "report-id": id,
        "date-range": {"start-datetime": format!("{day}T00:00:00Z"), "end-datetime": format!("{day}T23:59:59Z")},
        "policies": [{"policy": {"policy-type": "sts", "policy-domain": "example.com"},
                      "summary": {"total-successful-session-count": 1, "total-failure-session-count": 0}}]
    })
    .to_string()
    .into_bytes()
}

#[test]
fn gaps_and_resends_are_marked_per_reporter_and_day() {
    let mut session = Session::new();
    let inputs = [
        ("a1", report("Google LLC", "g1", "2026-03-01")),
        ("a2", report("Google LLC", "g2", "2026-03-02")),
        // Google skips the 3rd and 4th, then reports on the 5th, and sends the 5th twice.
        ("a3", report("Google LLC", "g5", "2026-03-05")),
        ("a4", report("Google LLC", "g5", "2026-03-05")),
        ("b1", report("Microsoft", "m1", "2026-03-04")),
        ("b2", report("Microsoft", "m2", "2026-03-04")),
    ];
    for (name, bytes) in &inputs {
        session.add(ingest_file(name, bytes));
    }
    let coverage = session.coverage();
    assert_eq!(
        (
            coverage.first.unwrap().to_string().as_str(),
            coverage.last.unwrap().to_string().as_str()
        ),
        ("2026-03-01", "2026-03-05")
    );
    assert_eq!((coverage.column_days, coverage.columns), (1, 5));
    let google = &coverage.rows[0];
    assert_eq!(google.reporter, "Google LLC");
    assert_eq!(google.cells, [1, 1, 0, 0, 1]);
    assert_eq!(google.resent, [0, 0, 0, 0, 1]);
    assert_eq!(
        (
            google.reports,
            google.active,
            google.gaps,
            google.duplicates
        ),
        (3, 3, 2, 1)
    );
    let microsoft = &coverage.rows[1];
    assert_eq!(microsoft.cells, [0, 0, 0, 2, 0]);
    assert_eq!(
        microsoft.gaps, 0,
        "days outside a reporter's own span are not gaps"
    );
    // The table lists every cell with reports.
    let cells: Vec<(String, String, u32, u32)> = coverage
        .cells
        .iter()
        .map(|c| (c.reporter.clone(), c.day.to_string(), c.reports, c.resent))
        .collect();
    let cells: Vec<(&str, &str, u32, u32)> = cells
        .iter()
        .map(|(reporter, day, reports, resent)| {
            (reporter.as_str(), day.as_str(), *reports, *resent)
        })
        .collect();
    assert_eq!(
        cells,
        [
            ("Google LLC", "2026-03-01", 1, 0),
            ("Google LLC", "2026-03-02", 1, 0),
            ("Google LLC", "2026-03-05", 1, 1),
            ("Microsoft", "2026-03-04", 2, 0),
        ]
    );
}

#[test]
fn more_than_400_days_become_weeks() {
    let mut session = Session::new();
    session.add(ingest_file("a", &report("Google LLC", "1", "2025-01-01")));
    session.add(ingest_file("b", &report("Google LLC", "2", "2026-06-30")));
    let coverage = session.coverage();
    assert_eq!(coverage.column_days, 7);
    assert_eq!(coverage.columns, 78, "546 days are 78 weeks");
    assert_eq!(coverage.rows[0].gaps, 76);
}

#[test]
fn a_forged_span_of_millennia_stays_within_the_column_cap() {
    use tlsrpt_viewer::engine::model::COVERAGE_COLUMNS;
    // 300 reporters, each with a report dated 0001-01-01 and one dated 9999-12-31: a weekly
    // column each would be 521,723 columns per reporter (1.2 GB for these rows).
    let mut session = Session::new();
    for reporter in 0..300 {
        let org = format!("Forger {reporter:04}");
        session.add(ingest_file("a", &report(&org, "1", "0001-01-01")));
        session.add(ingest_file("b", &report(&org, "2", "9999-12-31")));
    }
    let coverage = session.coverage();
    assert_eq!(
        (
            coverage.first.unwrap().to_string().as_str(),
            coverage.last.unwrap().to_string().as_str()
        ),
        ("0001-01-01", "9999-12-31")
    );
    assert!(coverage.columns <= COVERAGE_COLUMNS, "{}", coverage.columns);
    assert!(
        coverage.columns > COVERAGE_COLUMNS / 2,
        "{}",
        coverage.columns
    );
    assert_eq!((coverage.total_rows, coverage.rows.len()), (300, 300));
    for row in &coverage.rows {
        assert_eq!(row.cells.len(), coverage.columns);
        assert_eq!((row.reports, row.active), (2, 2));
        assert_eq!(row.gaps, coverage.columns - 2);
        assert_eq!(
            (row.first_column, row.last_column),
            (0, coverage.columns - 1)
        );
    }
    assert_eq!(
        coverage.column_unit(),
        format!(
            "{} days",
            tlsrpt_viewer::text::thousands(coverage.column_days as u64)
        )
    );
}

#[test]
fn column_widths_grow_from_days_to_weeks_to_wider() {
    use tlsrpt_viewer::engine::model::COVERAGE_COLUMNS;
    let mut session = Session::new();
    session.add(ingest_file("a", &report("Google LLC", "1", "2000-01-01")));
    session.add(ingest_file("b", &report("Google LLC", "2", "2026-06-30")));
    let coverage = session.coverage();
    // 26.5 years: weeks would be 1,383 columns; four weeks are 346.
    assert_eq!(coverage.column_days, 28);
    assert_eq!(coverage.column_unit(), "4 weeks");
    assert!(coverage.columns <= COVERAGE_COLUMNS);
}
