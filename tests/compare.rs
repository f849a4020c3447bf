//! Two periods side by side: figures per domain, and the result types and reporters that
//! appeared or vanished between them, under the page's filter.

use serde_json::json;
use tlsrpt_viewer::analysis::Filter;
use tlsrpt_viewer::engine::model::{ComparePeriods, Day, DayRange};
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::ingest_file;

fn report(org: &str, day: u32, domain: &str, ok: u64, failures: &[(&str, u64)]) -> Vec<u8> {
    let failed: u64 = failures.iter().map(|(_, n)| n).sum();
    let details: Vec<_> = failures
        .iter()
        .map(|(kind, n)| json!({"result-type": kind, "failed-session-count": n}))
        .collect();
    json!({
        "organization-name": org, "report-id": format!("{org}-{day}-{domain}"),
        "date-range": {"start-datetime": format!("2026-03-{day:02}T00:00:00Z"),
                       "end-datetime": format!("2026-03-{day:02}T23:59:59Z")},
        "policies": [{"policy": {"policy-type": "sts", "policy-domain": domain},
                      "summary": {"total-successful-session-count": ok, "total-failure-session-count": failed},
                      "failure-details": details}]
    })
    .to_string()
    .into_bytes()
}

fn session() -> Session {
    let mut session = Session::new();
    let reports = [
        report(
            "Google LLC",
            1,
            "example.com",
            90,
            &[("certificate-expired", 10)],
        ),
        report(
            "Google LLC",
            4,
            "example.com",
            95,
            &[("certificate-expired", 5)],
        ),
        report("Google LLC", 6, "example.com", 100, &[]),
        report(
            "Microsoft",
            8,
            "example.com",
            99,
            &[("starttls-not-supported", 1)],
        ),
        report("Google LLC", 2, "other.example", 10, &[]),
    ];
    for (i, bytes) in reports.iter().enumerate() {
        session.add(ingest_file(&format!("r{i}.json"), bytes));
    }
    session
}

fn range(from: &str, to: &str) -> DayRange {
    DayRange {
        from: Day::parse(from).unwrap(),
        to: Day::parse(to).unwrap(),
    }
}

#[test]
fn a_fix_shows_as_a_better_rate_and_a_vanished_result_type() {
    let session = session();
    let periods = ComparePeriods {
        before: range("2026-03-01", "2026-03-05"),
        after: range("2026-03-06", "2026-03-08"),
    };
    let comparison = session.comparison(Some(&periods), None, usize::MAX);
    assert_eq!(
        (comparison.before_reports, comparison.after_reports),
        (3, 2)
    );
    assert_eq!(comparison.total, 2);
    let row = &comparison.rows[0];
    assert_eq!(row.domain, "example.com");
    assert_eq!(
        (
            row.before.successful_sessions,
            row.before.failed_sessions,
            row.before.reports
        ),
        (185, 15, 2)
    );
    assert_eq!(
        (
            row.after.successful_sessions,
            row.after.failed_sessions,
            row.after.reports
        ),
        (199, 1, 2)
    );
    assert_eq!(row.types_vanished, ["certificate-expired"]);
    assert_eq!(row.types_appeared, ["starttls-not-supported"]);
    assert_eq!(row.reporters_appeared, ["Microsoft"]);
    assert!(row.reporters_vanished.is_empty());
    // A domain seen in one period only is compared with nothing.
    let other = &comparison.rows[1];
    assert_eq!(other.domain, "other.example");
    assert_eq!((other.before.reports, other.after.reports), (1, 0));
    assert_eq!(other.reporters_vanished, ["Google LLC"]);
}

#[test]
fn without_periods_the_loaded_days_are_cut_in_two_and_the_filter_applies() {
    let mut session = session();
    let comparison = session.comparison(None, None, usize::MAX);
    // Days 1 to 8: the middle day, 2026-03-05, starts the second period.
    assert_eq!(comparison.before, Some(range("2026-03-01", "2026-03-04")));
    assert_eq!(comparison.after, Some(range("2026-03-05", "2026-03-08")));
    session.set_filter(&Filter::from_fragment("domain=other.example"));
    let comparison = session.comparison(None, None, usize::MAX);
    assert_eq!(comparison.rows.len(), 1);
    assert_eq!(comparison.rows[0].domain, "other.example");
    // A period that does not read as days is refused as it is read, before any comparison.
    let unread = serde_json::from_value::<ComparePeriods>(json!({
        "before": {"from": "yesterday", "to": "2026-03-04"},
        "after": {"from": "2026-03-05", "to": "2026-03-08"},
    }));
    assert!(unread.is_err());
    // A period that ends before it starts compares nothing.
    let bad = ComparePeriods {
        before: range("2026-03-04", "2026-03-01"),
        after: range("2026-03-05", "2026-03-08"),
    };
    assert_eq!(
        session
            .comparison(Some(&bad), None, usize::MAX)
            .before_reports,
        0
    );
}

#[test]
fn the_worker_sorts_the_comparison_by_any_figure_column() {
    use tlsrpt_viewer::engine::model::{CompareColumn, RowOrder, Tab, ViewRequest};
    let mut session = session();
    let periods = ComparePeriods {
        before: range("2026-03-01", "2026-03-05"),
        after: range("2026-03-06", "2026-03-08"),
    };
    let mut domains = |order: Option<RowOrder<CompareColumn>>| -> Vec<String> {
        let page = session_page(&mut session, &periods, order);
        page.rows.iter().map(|row| row.domain.clone()).collect()
    };
    fn session_page(
        session: &mut Session,
        periods: &ComparePeriods,
        order: Option<RowOrder<CompareColumn>>,
    ) -> tlsrpt_viewer::engine::model::Comparison {
        session
            .page(&ViewRequest {
                tab: Tab::Compare,
                compare: Some(periods.clone()),
                compare_order: order,
                ..ViewRequest::default()
            })
            .comparison()
            .cloned()
            .expect("the Compare tab gets its comparison")
    }
    let by = |column, descending| Some(RowOrder { column, descending });
    // By domain by default; example.com had 200 sessions before, other.example 10.
    assert_eq!(domains(None), ["example.com", "other.example"]);
    assert_eq!(
        domains(by(CompareColumn::Domain, true)),
        ["other.example", "example.com"]
    );
    assert_eq!(
        domains(by(CompareColumn::SessionsBefore, false)),
        ["other.example", "example.com"]
    );
    assert_eq!(
        domains(by(CompareColumn::SessionsBefore, true)),
        ["example.com", "other.example"]
    );
    // other.example has no sessions after: its change is unknown and sorts last either way.
    assert_eq!(
        domains(by(CompareColumn::Change, false)),
        ["example.com", "other.example"]
    );
    assert_eq!(
        domains(by(CompareColumn::Change, true)),
        ["example.com", "other.example"]
    );
    // Its rate before (100%) is above example.com's (92.5%).
    assert_eq!(
        domains(by(CompareColumn::RateBefore, true)),
        ["other.example", "example.com"]
    );
}
