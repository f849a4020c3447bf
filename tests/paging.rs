//! The worker sorts and pages every table: the view by sending source and the Timeline's
//! table come as pages of rows in the asked order, each page the next part of one sorted list.

use serde_json::json;
use tlsrpt_viewer::analysis::{sort_day_rows, sort_source_rows};
use tlsrpt_viewer::engine::model::{
    DayColumn, RowOrder, SourceColumn, Tab, ViewRequest, SOURCE_ROWS,
};
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::ingest_file;

/// One report from `org` on `day` with a failure detail per IP of `ips`, `i + 1` sessions
/// failing from the i-th.
fn report(org: &str, id: &str, day: &str, ips: std::ops::Range<u32>) -> Vec<u8> {
    let details: Vec<_> = ips
        .map(|i| json!({"result-type": "certificate-expired", "sending-mta-ip": format!("10.{}.{}.{}", i >> 16, (i >> 8) & 255, i & 255),
                         "receiving-mx-hostname": "mx.example.com", "failed-session-count": (i % 97) + 1}))
        .collect();
    let failed: u64 = details
        .iter()
        .map(|d| d["failed-session-count"].as_u64().unwrap_or(0))
        .sum();
    json!({
        "organization-name": org, "report-id": id,
        "date-range": {"start-datetime": format!("{day}T00:00:00Z"), "end-datetime": format!("{day}T23:59:59Z")},
        "policies": [{"policy": {"policy-type": "sts", "policy-domain": "example.com"},
                      "summary": {"total-successful-session-count": 10, "total-failure-session-count": failed},
                      "failure-details": details}]
    })
    .to_string()
    .into_bytes()
}

fn request(tab: Tab) -> ViewRequest {
    ViewRequest {
        tab,
        ..ViewRequest::default()
    }
}

#[test]
fn sources_come_sorted_by_the_worker_a_page_at_a_time() {
    let mut session = Session::new();
    session.add(ingest_file(
        "a.json",
        &report("Big Sender", "a", "2026-03-01", 0..1200),
    ));
    session.add(ingest_file(
        "b.json",
        &report("Small Sender", "b", "2026-03-01", 5000..5003),
    ));
    let order = RowOrder::new(SourceColumn::Failed, true);
    let mut all = session.analysis().per_source;
    for group in &mut all {
        sort_source_rows(&mut group.sources, order);
        group.sources.iter_mut().for_each(|row| row.reports.clear());
    }
    let first = session.page(&ViewRequest {
        sources_order: Some(order),
        ..request(Tab::Sources)
    });
    let first = first.sources().expect("the Sources tab's model");
    assert_eq!(first.rows_total, 1200 + 3);
    let groups = &first.groups;
    assert_eq!(
        groups.len(),
        1,
        "the first page's rows are all the big sender's"
    );
    assert_eq!(groups[0].sources_total, 1200);
    assert_eq!(groups[0].sources, all[0].sources[..SOURCE_ROWS]);
    assert_eq!(
        groups[0].itemised_failed_sessions,
        all[0].itemised_failed_sessions
    );
    // The next page continues the same list, and then the next organisation.
    let second = session.page(&ViewRequest {
        sources_order: Some(order),
        sources_limit: 1500,
        ..request(Tab::Sources)
    });
    let groups = &second.sources().expect("the Sources tab's model").groups;
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].sources, all[0].sources);
    assert_eq!(groups[1].sources, all[1].sources);
    // Failed, descending: each row fails at least as often as the next.
    assert!(groups[0]
        .sources
        .windows(2)
        .all(|w| w[0].failed_sessions >= w[1].failed_sessions));
    // Other tabs get no rows per source.
    assert!(session.page(&request(Tab::Problems)).sources().is_none());
}

#[test]
fn the_timeline_table_comes_sorted_by_the_worker_a_page_at_a_time() {
    let mut session = Session::new();
    let start = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    for (n, day) in start.iter_days().take(1200).enumerate() {
        let n = n as u32;
        session.add(ingest_file(
            &format!("{n}.json"),
            &report("Google LLC", &n.to_string(), &day.to_string(), n..n + 1),
        ));
    }
    let order = RowOrder::new(DayColumn::Day, true);
    let page = session.page(&ViewRequest {
        timeline_order: Some(order),
        ..request(Tab::Timeline)
    });
    let model = page.timeline().expect("the Timeline tab's model");
    assert_eq!((model.rows_total, model.rows.len()), (1200, 500));
    // The chart's bars are binned by the worker: at most 180, covering every day.
    assert!(model.bars.len() <= 180 && !model.bars.is_empty());
    let covered: usize = model.bars.iter().map(|bar| bar.row.report_count).sum();
    assert_eq!(covered, 1200);
    let mut all = session.per_day(None);
    all.iter_mut().for_each(|row| row.reports.clear());
    sort_day_rows(&mut all, order);
    assert_eq!(model.rows, all[..500]);
    assert_eq!(model.rows[0].day.to_string(), "2023-04-14");
    let by_failed = RowOrder::new(DayColumn::Failed, false);
    let page = session.page(&ViewRequest {
        timeline_order: Some(by_failed),
        timeline_limit: 1000,
        ..request(Tab::Timeline)
    });
    let model = page.timeline().expect("the Timeline tab's model");
    assert_eq!(model.rows.len(), 1000);
    assert!(model
        .rows
        .windows(2)
        .all(|w| w[0].failed_sessions <= w[1].failed_sessions));
    assert!(session.page(&request(Tab::Problems)).timeline().is_none());
}

/// A finding's lists come with their first 20 names and the count of the rest as a number
/// (`left_out`), not as a last "and 1,234 more" name; the full analysis lists every name.
#[test]
fn a_findings_names_come_with_the_count_of_those_left_out() {
    let mut session = Session::new();
    for r in 0..30 {
        session.add(ingest_file(
            &format!("r{r}.json"),
            &report(
                &format!("Reporter {r:02}"),
                &format!("id{r}"),
                "2026-11-01",
                0..25,
            ),
        ));
    }
    session.diagnose();
    let model = session.page(&request(Tab::Problems));
    let finding = model
        .problems()
        .expect("the Problems tab's model")
        .findings
        .iter()
        .find(|f| f.rule == "result/certificate-expired")
        .expect("the expired certificate is found");
    assert_eq!(finding.sending_ips.len(), 20);
    assert_eq!(finding.reporters.len(), 20);
    assert_eq!(finding.left_out.sending_ips, 5);
    assert_eq!(finding.left_out.reporters, 10);
    assert_eq!(finding.left_out.mx_hosts, 0);
    assert!(finding
        .reporters
        .iter()
        .chain(&finding.sending_ips)
        .all(|name| !name.contains("more")));
    let full = session.analysis();
    let whole = full
        .diagnosis
        .findings
        .iter()
        .find(|f| f.rule == "result/certificate-expired")
        .unwrap();
    assert_eq!((whole.sending_ips.len(), whole.reporters.len()), (25, 30));
    assert!(whole.left_out.is_none());
    // A full finding's JSON has no `left-out` key: summarize's output is unchanged.
    let json = serde_json::to_value(whole).unwrap();
    assert!(json.get("left-out").is_none(), "{json}");
}
