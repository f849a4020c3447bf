//! Any bytes as an email: a header line in front makes the reader take them as a message, so
//! the fuzzer spends its time in MIME parsing and attachment handling.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsrpt_viewer::ingest::{ingest_file, ReportSet};

fuzz_target!(|data: &[u8]| {
    let mut message = b"X-Fuzz: 1\n".to_vec();
    message.extend_from_slice(data);
    let mut set = ReportSet::new();
    set.add(ingest_file("fuzz.eml", &message));
    let _ = set.counts();
});
