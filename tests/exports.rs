//! The engine knows what each download holds: every tab's CSV and the analysis JSON, built
//! from the real samples under a filter, named apart, complete and readable.

mod common;

use common::{sample, sample_files};
use tlsrpt_viewer::analysis::Filter;
use tlsrpt_viewer::engine::model::{Export, Tab, ViewRequest};
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::ingest_file;

const TABS: [Tab; 8] = Tab::ALL;

fn session() -> Session {
    let mut session = Session::new();
    for file in sample_files("real", "") {
        if file.ends_with(".tsv") || file.ends_with(".md") || file.contains("LICENSE") {
            continue;
        }
        session.add(ingest_file(&file, &sample(&file)));
    }
    session
}

#[test]
fn every_tab_exports_its_own_complete_csv() {
    let mut session = session();
    let request = ViewRequest::default();
    let analysis = {
        session.set_filter(&request.filter);
        session.analysis()
    };
    assert!(analysis.overview.reports > 0, "the samples load");
    let mut names = Vec::new();
    for tab in TABS {
        let file = session.export(&request, Export::Csv(tab));
        assert!(file.name.ends_with(".csv"), "{}", file.name);
        assert_eq!(file.media_type, "text/csv;charset=utf-8");
        names.push(file.name.clone());
        let mut reader = csv::Reader::from_reader(file.text.as_bytes());
        assert!(
            !reader.headers().unwrap().is_empty(),
            "{}: a header",
            file.name
        );
        let rows = reader
            .records()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
            .len();
        let expected = match tab {
            Tab::Problems => analysis.diagnosis.findings.len(),
            Tab::Timeline => analysis.per_day.len(),
            Tab::Results => analysis.per_result.len(),
            Tab::Mx => analysis.per_mx.len(),
            Tab::Inputs => session.set().inputs.len(),
            // By source lists each IP row; the comparison and coverage their own rows.
            _ => rows,
        };
        assert!(
            rows >= expected && rows > 0,
            "{}: {rows} rows, {expected} expected",
            file.name
        );
    }
    names.sort();
    names.dedup();
    assert_eq!(names.len(), TABS.len(), "every tab's file has its own name");
}

#[test]
fn the_json_export_follows_the_filter() {
    let mut session = session();
    let whole = session.export(&ViewRequest::default(), Export::AnalysisJson);
    // Its name says the period of the reports, as the page's overview gives it.
    let overview = session.analysis().overview;
    let (first, last, _) = tlsrpt_viewer::analysis::format::covered_days(
        overview.first_start.unwrap(),
        overview.last_end.unwrap(),
    );
    assert_eq!(
        first, "2016-04-01",
        "the RFC's example is the oldest sample"
    );
    assert_eq!(
        whole.name,
        format!("tlsrpt-analysis-{first}-to-{last}.json")
    );
    assert_eq!(whole.media_type, "application/json");
    let whole: serde_json::Value = serde_json::from_str(&whole.text).expect("JSON");
    let domains = whole["overview"]["policy-domains"]
        .as_array()
        .unwrap()
        .clone();
    assert!(domains.len() > 1, "{domains:?}");
    let domain = domains[0].as_str().unwrap().to_string();
    let request = ViewRequest {
        filter: Filter {
            domain: Some(domain.clone()),
            ..Filter::default()
        },
        ..ViewRequest::default()
    };
    let one: serde_json::Value =
        serde_json::from_str(&session.export(&request, Export::AnalysisJson).text).unwrap();
    assert_eq!(one["filter"]["domain"], serde_json::json!(domain));
    assert_eq!(
        one["overview"]["policy-domains"],
        serde_json::json!([domain])
    );
    let by_result = session.export(&request, Export::Csv(Tab::Results)).text;
    assert!(
        by_result.lines().skip(1).all(|line| line.contains(&domain)),
        "{by_result}"
    );
}

/// A report whose 1,000 sending IPs each failed once with an expired certificate, and whose
/// MX also refused STARTTLS 7 times.
fn thousand_ips() -> String {
    let details: Vec<serde_json::Value> = (0..1000)
        .map(|i| {
            serde_json::json!({
                "result-type": "certificate-expired",
                "sending-mta-ip": format!("198.51.{}.{}", i / 250, i % 250),
                "receiving-mx-hostname": "mx.example.com",
                "failed-session-count": 1
            })
        })
        .chain(std::iter::once(serde_json::json!({
            "result-type": "starttls-not-supported",
            "receiving-mx-hostname": "mx.example.com",
            "failed-session-count": 7
        })))
        .collect();
    serde_json::json!({
        "organization-name": "Example Inc.",
        "date-range": {"start-datetime": "2026-03-01T00:00:00Z", "end-datetime": "2026-03-01T23:59:59Z"},
        "contact-info": "tlsrpt@example.net",
        "report-id": "thousand-ips",
        "policies": [{
            "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce", "mx: mx.example.com", "max_age: 86400"], "policy-domain": "example.com"},
            "summary": {"total-successful-session-count": 50, "total-failure-session-count": 1007},
            "failure-details": details
        }]
    })
    .to_string()
}

#[test]
fn a_list_is_rows_and_failures_by_type_are_columns_in_every_csv() {
    let mut session = Session::new();
    session.add(ingest_file("thousand.json", thousand_ips().as_bytes()));
    let request = ViewRequest::default();
    let csv_of = |session: &mut Session, tab| {
        let file = session.export(&request, Export::Csv(tab));
        let mut reader = csv::Reader::from_reader(file.text.as_bytes());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        (file.name, header, rows)
    };
    // The problems: the expired certificate's finding is a row per IP, no cell a list.
    let (name, header, rows) = csv_of(&mut session, Tab::Problems);
    assert_eq!(name, "tlsrpt-problems-2026-03-01.csv");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (rule, kind, value) = (column("rule"), column("name-kind"), column("name"));
    let ips: Vec<&str> = rows
        .iter()
        .filter(|r| r[rule] == "result/certificate-expired" && r[kind] == "sending-ip")
        .map(|r| r[value].as_str())
        .collect();
    assert_eq!(ips.len(), 1000);
    assert!(ips.contains(&"198.51.3.249"));
    let longest = rows.iter().flatten().map(|cell| cell.chars().count()).max();
    assert!(longest.unwrap() < 2000, "the longest cell: {longest:?}");
    // Each row names its finding, so that the findings can be counted apart.
    let findings: std::collections::BTreeSet<&str> =
        rows.iter().map(|r| r[column("finding")].as_str()).collect();
    assert_eq!(findings.len(), session.analysis().diagnosis.findings.len());

    // The timeline and by result: a column per failing result type, with its sessions.
    for tab in [Tab::Timeline, Tab::Results, Tab::Sources, Tab::Mx] {
        let (name, header, rows) = csv_of(&mut session, tab);
        assert!(!header.iter().any(|h| h == "failures-by-type"), "{name}");
        let expired = header
            .iter()
            .position(|h| h == "failed-certificate-expired")
            .unwrap_or_else(|| panic!("{name}: {header:?}"));
        // Figures are on an item's first row only (its lists' rows leave them empty), and
        // By source's organisation rows leave the types to their IPs' rows.
        let sum: u64 = rows
            .iter()
            .filter(|r| !r[expired].is_empty())
            .map(|r| r[expired].parse::<u64>().unwrap())
            .sum();
        // One day, one domain, one MX host, or a row per IP that failed once: 1,000 in all.
        assert_eq!(sum, 1000, "{name}");
        if tab != Tab::Sources {
            let starttls = header
                .iter()
                .position(|h| h == "failed-starttls-not-supported")
                .unwrap();
            assert_eq!(rows[0][starttls], "7", "{name}");
        }
    }
    // By MX counts the IPs (they are By source's rows) rather than list them in a cell; the
    // host's figures are on its own row, not repeated on each domain it serves.
    let (_, header, rows) = csv_of(&mut session, Tab::Mx);
    let ips = header.iter().position(|h| h == "sending-ip-count").unwrap();
    let row = header.iter().position(|h| h == "row").unwrap();
    assert_eq!(rows[0][row], "mx-host");
    assert_eq!(rows[0][ips], "1000");
    assert!(rows
        .iter()
        .filter(|r| r[row] == "domain")
        .all(|r| r[ips].is_empty()));
    // By source: an organisation's row, then a row per IP and each name it lists.
    let (_, header, rows) = csv_of(&mut session, Tab::Sources);
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let organizations: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[at("row")] == "organization")
        .collect();
    assert_eq!(organizations.len(), 1);
    assert_eq!(organizations[0][at("successful-sessions")], "50");
    assert_eq!(organizations[0][at("first-day")], "2026-03-01");
    let ip_rows = rows
        .iter()
        .filter(|r| r[at("row")] == "sending-ip" && !r[at("failed-sessions")].is_empty())
        .count();
    assert_eq!(ip_rows, 1001, "1,000 IPs and the details without one");
    let named = |kind: &str| rows.iter().filter(|r| r[at("name-kind")] == kind).count();
    assert_eq!(named("receiving-mx-host"), 1001);
    assert_eq!(named("policy-domain"), 1001);
    // The problems' fix: a step a row.
    let (_, header, rows) = csv_of(&mut session, Tab::Problems);
    let kind = header.iter().position(|h| h == "name-kind").unwrap();
    assert!(!header.iter().any(|h| h == "fix"));
    assert!(rows.iter().any(|r| r[kind] == "fix-step"));
    // Every CSV: no cell of more than 2,000 characters.
    for tab in [
        Tab::Problems,
        Tab::Timeline,
        Tab::Results,
        Tab::Sources,
        Tab::Mx,
        Tab::Compare,
    ] {
        let (name, _, rows) = csv_of(&mut session, tab);
        let longest = rows.iter().flatten().map(|cell| cell.chars().count()).max();
        assert!(longest.unwrap_or(0) <= 2000, "{name}: {longest:?}");
    }
}

/// An item's figures are on its first row, and each name it lists on a row of its own.
#[test]
fn an_item_with_names_is_a_row_per_name_with_its_figures_once() {
    use tlsrpt_viewer::analysis::export::item_rows;
    let s = |text: &str| text.to_string();
    assert_eq!(
        item_rows(
            vec![s("mx.example.com")],
            vec![s("7"), s("yes")],
            vec![("reporter", s("Google")), ("reporter", s("Microsoft"))]
        ),
        [
            vec![
                s("mx.example.com"),
                s("7"),
                s("yes"),
                s("reporter"),
                s("Google")
            ],
            vec![
                s("mx.example.com"),
                s(""),
                s(""),
                s("reporter"),
                s("Microsoft")
            ],
        ]
    );
    assert_eq!(
        item_rows(vec![s("a")], vec![s("1")], Vec::new()),
        [vec![s("a"), s("1"), s(""), s("")]]
    );
}
