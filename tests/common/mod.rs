//! Helpers shared by the native integration tests: reading the bundled samples.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use tlsrpt_viewer::ingest::{ingest_file, FileContent, FileIngest, ReportSet};
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

pub fn ingest_sample(relative: &str) -> FileIngest {
    ingest_file(relative, &sample(relative))
}

/// The report read from a sample; fails the test with the reason if it was rejected.
pub fn report(relative: &str) -> Report {
    match ingest_sample(relative).content {
        FileContent::Report { report, .. } => *report,
        FileContent::Rejected { reason } => panic!("{relative} was rejected: {reason}"),
    }
}

pub fn rejection(name: &str, bytes: &[u8]) -> String {
    match ingest_file(name, bytes).content {
        FileContent::Rejected { reason } => reason,
        FileContent::Report { .. } => panic!("{name} was accepted as a report"),
    }
}

pub fn set_of(relatives: &[&str]) -> ReportSet {
    let mut set = ReportSet::new();
    for relative in relatives {
        set.add(ingest_sample(relative));
    }
    set
}
