//! Prints how fast the core reads and analyses many reports: a benchmark, not a test.
//! It builds N variants of real samples (each with its own report-id), half of them gzipped,
//! then times `ingest_file` over all of them and `analyze` over the result.
//!
//! Usage: cargo run --release --example bench -- [N]   (default 5000)

use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::time::Instant;
use tlsrpt_viewer::analysis::analyze;
use tlsrpt_viewer::ingest::{ingest_file, ReportSet};

const SAMPLES: [&str; 4] = [
    include_str!("../samples/real/parsedmarc/rfc8460.json"),
    include_str!("../samples/real/cry-inc-dmarc-report-viewer/microsoft.json"),
    include_str!("../samples/real/parsedmarc/mail.ru.json"),
    include_str!("../samples/real/phi-ag-mta-sts-exporter/google.json"),
];

fn main() {
    let count: usize = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(5000);
    let files: Vec<(String, Vec<u8>)> = (0..count)
        .map(|i| {
            let sample = SAMPLES[i % SAMPLES.len()];
            let value: serde_json::Value = serde_json::from_str(sample).expect("sample is JSON");
            let mut value = value;
            value["report-id"] = serde_json::Value::String(format!("bench-{i}"));
            let json = serde_json::to_vec(&value).expect("serialisable");
            if i % 2 == 0 {
                let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
                encoder.write_all(&json).expect("in memory");
                (
                    format!("r{i}.json.gz"),
                    encoder.finish().expect("in memory"),
                )
            } else {
                (format!("r{i}.json"), json)
            }
        })
        .collect();
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();

    let start = Instant::now();
    let mut set = ReportSet::new();
    for (name, data) in &files {
        set.add(ingest_file(name, data));
    }
    let ingest_time = start.elapsed();
    let start = Instant::now();
    let analysis = analyze(&set);
    let analyze_time = start.elapsed();

    println!(
        "files:            {count} ({:.1} MB on input, half gzipped)",
        bytes as f64 / 1e6
    );
    println!("reports loaded:   {}", set.reports.len());
    println!(
        "ingest:           {:.0} ms ({:.0} files/s)",
        ingest_time.as_secs_f64() * 1e3,
        count as f64 / ingest_time.as_secs_f64()
    );
    println!(
        "analyze:          {:.1} ms ({} result rows, {} reporting organisations)",
        analyze_time.as_secs_f64() * 1e3,
        analysis.per_result.len(),
        analysis.per_source.len()
    );
}
