//! `summarize`'s JSON, every CSV and the JSON export stay byte for byte the same, on the real
//! samples and on a generated corpus. A snapshot: the length and FNV-1a hash of each output,
//! in `tests/golden/outputs.txt`. A refactor must leave it as it is; a change meant to alter an
//! output rewrites it with `GOLDEN_UPDATE=1 cargo test --test golden`, and says so in its
//! commit. On a mismatch the outputs are written to `target/golden/` to compare.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::{Path, PathBuf};
use tlsrpt_viewer::analysis::Filter;
use tlsrpt_viewer::engine::model::{Export, Tab, ViewRequest};
use tlsrpt_viewer::engine::Session;
use tlsrpt_viewer::ingest::ingest_file;

const TABS: [Tab; 8] = Tab::ALL;

/// FNV-1a, 64 bits: stable across Rust versions and machines.
fn fnv(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// Every file under `dir`, in name order, as `summarize` reads a folder.
fn files_under(dir: &Path, files: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    entries.sort();
    for entry in entries {
        if entry.is_dir() {
            files_under(&entry, files);
        } else {
            files.push(entry);
        }
    }
}

/// Each output of a session: summarize's JSON, the JSON export and every tab's CSV.
fn outputs(mut session: Session) -> Vec<(String, String)> {
    let filter = Filter::default();
    let summary = tlsrpt_viewer::engine::summary::summary(&mut session, &filter, None);
    let mut out = vec![(
        "summarize".to_string(),
        serde_json::to_string_pretty(&summary).unwrap(),
    )];
    let request = ViewRequest::default();
    let json = session.export(&request, Export::AnalysisJson);
    out.push((json.name.to_string(), json.text));
    for tab in TABS {
        let file = session.export(&request, Export::Csv(tab));
        out.push((file.name.to_string(), file.text));
    }
    out
}

fn real_samples() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    files_under(&root.join("samples/real"), &mut files);
    let mut session = Session::with_today(chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
    for path in files {
        // Named as summarize names them when given `samples/real`.
        let name = path
            .strip_prefix(root)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        session.add(ingest_file(&name, &std::fs::read(&path).unwrap()));
    }
    outputs(session)
}

fn corpus() -> Vec<(String, String)> {
    let bytes = common::corpus_mbox(2_000, "golden");
    let mut session = Session::with_today(chrono::NaiveDate::from_ymd_opt(2026, 11, 5).unwrap());
    session.add(ingest_file("reports.mbox", &bytes));
    outputs(session)
}

#[test]
fn every_output_stays_byte_for_byte_the_same() {
    let mut lines = Vec::new();
    let actual_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/golden");
    let mut written = Vec::new();
    for (set, outputs) in [("real-samples", real_samples()), ("corpus-2000", corpus())] {
        for (name, text) in outputs {
            assert!(!text.is_empty(), "{set}/{name} is empty");
            lines.push(format!(
                "{set}/{name} {} {:016x}",
                text.len(),
                fnv(text.as_bytes())
            ));
            written.push((format!("{set}-{name}"), text));
        }
    }
    let actual = lines.join("\n") + "\n";
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/outputs.txt");
    if std::env::var_os("GOLDEN_UPDATE").is_some() {
        std::fs::write(&path, &actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    if actual != expected {
        std::fs::create_dir_all(&actual_dir).unwrap();
        for (name, text) in &written {
            std::fs::write(actual_dir.join(name), text).unwrap();
        }
    }
    assert_eq!(
        actual,
        expected,
        "an output changed (the outputs are in {}); if the change is meant, run \
         GOLDEN_UPDATE=1 cargo test --test golden",
        actual_dir.display()
    );
}
