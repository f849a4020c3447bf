//! Any bytes as a mailbox: a separator line in front makes the reader take them as mbox, so
//! the fuzzer spends its time in splitting, unescaping and the messages inside.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tlsrpt_viewer::ingest::{ingest_file, ReportSet};

fuzz_target!(|data: &[u8]| {
    let mut mailbox = b"From fuzz Thu Nov 26 10:00:00 2026\n".to_vec();
    mailbox.extend_from_slice(data);
    let mut set = ReportSet::new();
    set.add(ingest_file("fuzz.mbox", &mailbox));
    let _ = set.counts();
});
