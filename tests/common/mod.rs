//! Helpers shared by the native integration tests: reading the bundled samples, and the
//! generated corpus as one mailbox.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use tlsrpt_viewer::ingest::{ingest_file, IngestNode, NodeContent, ReportSet};
use tlsrpt_viewer::report::Report;

pub fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

/// The bytes of a file under samples/.
pub fn sample(relative: &str) -> Vec<u8> {
    let path = samples_dir().join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// Every file under a folder of samples/, sorted, as paths relative to samples/.
pub fn sample_files(folder: &str, extension: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut pending = vec![samples_dir().join(folder)];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.to_string_lossy().ends_with(extension) {
                let relative = path.strip_prefix(samples_dir()).unwrap();
                found.push(relative.to_string_lossy().into_owned());
            }
        }
    }
    found.sort();
    found
}

pub fn ingest_sample(relative: &str) -> IngestNode {
    ingest_file(relative, &sample(relative))
}

/// The report read from a sample, which must hold exactly one; fails the test with the
/// reason if it was rejected.
pub fn report(relative: &str) -> Report {
    let node = ingest_sample(relative);
    let mut reports = reports_in(&node);
    assert_eq!(reports.len(), 1, "{relative}: {:#?}", rejections_in(&node));
    reports.remove(0)
}

/// The reason a file was rejected as a whole.
pub fn rejection(name: &str, bytes: &[u8]) -> String {
    match ingest_file(name, bytes).content {
        NodeContent::Rejected { reason } => reason,
        other => panic!("{name} was not rejected: {other:#?}"),
    }
}

/// Every report anywhere in the tree, in order.
pub fn reports_in(node: &IngestNode) -> Vec<Report> {
    match &node.content {
        NodeContent::Report { report, .. } => vec![(**report).clone()],
        NodeContent::Rejected { .. } => Vec::new(),
        NodeContent::Unpacked { children } => children.iter().flat_map(reports_in).collect(),
    }
}

/// Every rejected node anywhere in the tree, as (name, reason).
pub fn rejections_in(node: &IngestNode) -> Vec<(String, String)> {
    match &node.content {
        NodeContent::Report { .. } => Vec::new(),
        NodeContent::Rejected { reason } => vec![(node.name.clone(), reason.clone())],
        NodeContent::Unpacked { children } => children.iter().flat_map(rejections_in).collect(),
    }
}

/// The one child of an unpacked node.
pub fn only_child(node: &IngestNode) -> &IngestNode {
    match &node.content {
        NodeContent::Unpacked { children } if children.len() == 1 => &children[0],
        other => panic!("{}: expected one child, found {other:#?}", node.name),
    }
}

pub fn set_of(relatives: &[&str]) -> ReportSet {
    let mut set = ReportSet::new();
    for relative in relatives {
        set.add(ingest_sample(relative));
    }
    set
}

/// The generated corpus (`reports` reports over 20 domains and 90 days, the generator's
/// defaults otherwise) as the bytes of one mailbox, written to and read back from a folder
/// of its own that is then removed.
pub fn corpus_mbox(reports: usize, label: &str) -> Vec<u8> {
    let dir = std::env::temp_dir().join(format!("tlsrpt-{label}-{}", std::process::id()));
    let mbox = tlsrpt_corpus::write_mbox(reports, 20, 90, &dir).expect("the corpus is written");
    let bytes = std::fs::read(&mbox).expect("the mailbox is read");
    let _ = std::fs::remove_dir_all(&dir);
    bytes
}
