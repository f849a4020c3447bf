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
    assert_eq!(whole.name, "tlsrpt-analysis.json");
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
