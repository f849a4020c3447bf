//! `summarize` without `--reports`: the same document as with it, less the report lists. Each
//! row's `report-count` is the length of the list it stands for, each finding keeps its first
//! rows of evidence and says how many it has, and the inputs keep every piece that was not
//! simply loaded. Checked on a generated corpus whose findings have hundreds of rows.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use serde_json::Value;
use tlsrpt_viewer::analysis::Filter;
use tlsrpt_viewer::engine::model::EVIDENCE_ROWS;
use tlsrpt_viewer::engine::summary::{summary_with, Lists};
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::ingest_file;

/// Walks the full document and the small one side by side; counts what was left out.
fn compare(full: &Value, small: &Value, path: &str, left_out: &mut [usize; 3]) {
    match (full, small) {
        (Value::Object(full), Value::Object(small)) => {
            for (key, value) in full {
                let here = format!("{path}.{key}");
                match key.as_str() {
                    "reports" if full.contains_key("report-count") => {
                        assert!(!small.contains_key("reports"), "{here} is still listed");
                        let listed = value.as_array().map_or(0, Vec::len) as u64;
                        assert_eq!(Some(listed), full["report-count"].as_u64(), "{here}");
                        left_out[0] += 1;
                    }
                    "evidence" => {
                        let (all, kept) =
                            (value.as_array().unwrap(), small[key].as_array().unwrap());
                        assert_eq!(kept.len(), all.len().min(EVIDENCE_ROWS), "{here}");
                        assert_eq!(kept[..], all[..kept.len()], "{here}");
                        if all.len() > EVIDENCE_ROWS {
                            assert_eq!(small["evidence-total"].as_u64(), Some(all.len() as u64));
                            left_out[1] += 1;
                        }
                    }
                    "evidence-total" => {}
                    "children" => {
                        let pieces: Vec<&Value> = value
                            .as_array()
                            .unwrap()
                            .iter()
                            .filter(|child| child["outcome"]["kind"] != "loaded")
                            .collect();
                        let kept = small[key].as_array().unwrap();
                        assert_eq!(kept.len(), pieces.len(), "{here}");
                        left_out[2] += value.as_array().unwrap().len() - pieces.len();
                        for (piece, kept) in pieces.into_iter().zip(kept) {
                            compare(piece, kept, &here, left_out);
                        }
                    }
                    _ => {
                        let other = small
                            .get(key)
                            .unwrap_or_else(|| panic!("{here} is missing"));
                        compare(value, other, &here, left_out);
                    }
                }
            }
        }
        (Value::Array(full), Value::Array(small)) => {
            assert_eq!(full.len(), small.len(), "{path}");
            for (index, (a, b)) in full.iter().zip(small).enumerate() {
                compare(a, b, &format!("{path}[{index}]"), left_out);
            }
        }
        _ => assert_eq!(full, small, "{path}"),
    }
}

#[test]
fn without_reports_the_summary_is_the_same_figures_without_the_lists() {
    let bytes = common::corpus_mbox(3_000, "lists");
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap();
    let mut documents = [Lists::Every, Lists::CountsOnly].map(|lists| {
        let mut session = Session::with_today(today);
        session.add(ingest_file("reports.mbox", &bytes));
        summary_with(&mut session, &Filter::default(), None, lists)
    });
    let (small, full) = (documents[1].take(), documents[0].take());
    assert_eq!(full["reports"].as_array().map(Vec::len), Some(3_000));
    assert!(
        small.get("reports").is_none(),
        "the list of every report is left out"
    );
    let mut left_out = [0; 3];
    let top = full
        .as_object()
        .unwrap()
        .iter()
        .filter(|(key, _)| *key != "reports");
    for (key, value) in top {
        compare(value, &small[key], key, &mut left_out);
    }
    let [lists, evidence, pieces] = left_out;
    assert!(lists > 1_000, "{lists} report lists left out");
    assert!(evidence > 0, "no finding had its evidence cut");
    assert_eq!(
        pieces, 3_000,
        "every loaded message is left out of the inputs"
    );
    let (full_len, small_len) = (full.to_string().len(), small.to_string().len());
    assert!(
        small_len * 3 < full_len * 2,
        "{small_len} of {full_len} bytes"
    );
}
