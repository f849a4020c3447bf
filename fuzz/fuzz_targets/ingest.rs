//! Any bytes as an input file: sniffing, gzip, zip, email, mailbox and JSON, then the
//! report set and the analysis, which must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsrpt_viewer::analysis::analyze;
use tlsrpt_viewer::ingest::{ingest_file, ReportSet};

fuzz_target!(|data: &[u8]| {
    let mut set = ReportSet::new();
    set.add(ingest_file("fuzz", data));
    set.add(ingest_file("fuzz again", data));
    let _ = analyze(&set);
    let _ = set.counts();
    for input in &set.inputs {
        let _ = input.describe();
    }
});
