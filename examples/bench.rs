//! Prints how fast the core reads and analyses many reports: a benchmark, not a test.
//! It builds N variants of real samples (each with its own report-id), half of them gzipped,
//! then times `ingest_file` over all of them and `analyze` over the result. Then it puts the
//! same reports in one mailbox of N report emails (base64 gzip attachments, like Google's)
//! and in one zip archive, and times reading each of those.
//!
//! Usage: cargo run --release --example bench -- [N]   (default 5000)

use flate2::{write::GzEncoder, Compression};
use std::io::Write;
use std::time::Instant;
use tlsrpt_viewer::analysis::analyze;
use tlsrpt_viewer::ingest::{ingest_file, ReportSet};

/// One report email around a gzipped report, as Google sends them.
fn report_email(index: usize, gzipped: &[u8]) -> String {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::STANDARD.encode(gzipped);
    let lines: Vec<&str> = encoded
        .as_bytes()
        .chunks(76)
        .map(|line| std::str::from_utf8(line).expect("base64 is ASCII"))
        .collect();
    format!(
        "From: noreply-smtp-tls-reporting@google.com\nSubject: Report Domain: example.com \
         Submitter: google.com Report-ID: <bench-{index}>\nTLS-Report-Domain: example.com\n\
         TLS-Report-Submitter: google.com\nMIME-Version: 1.0\nContent-Type: multipart/report; \
         report-type=tlsrpt; boundary=\"b\"\n\n--b\nContent-Type: text/plain\n\nThis is an \
         aggregate TLS report.\n--b\nContent-Type: application/tlsrpt+gzip\n\
         Content-Transfer-Encoding: base64\nContent-Disposition: attachment; \
         filename=\"r{index}.json.gz\"\n\n{}\n--b--\n",
        lines.join("\n")
    )
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).expect("in memory");
    encoder.finish().expect("in memory")
}

/// Times reading one container input and prints a line of figures.
fn time_container(label: &str, name: &str, data: &[u8], count: usize) {
    let start = Instant::now();
    let mut set = ReportSet::new();
    set.add(ingest_file(name, data));
    let elapsed = start.elapsed();
    println!(
        "{label:<18}{count} reports in {:.1} MB read in {:.0} ms ({:.0} reports/s, {:.0} MB/s); {} loaded",
        data.len() as f64 / 1e6,
        elapsed.as_secs_f64() * 1e3,
        count as f64 / elapsed.as_secs_f64(),
        data.len() as f64 / 1e6 / elapsed.as_secs_f64(),
        set.counts().loaded
    );
}

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
                (format!("r{i}.json.gz"), gzip(&json))
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
    let start = Instant::now();
    let diagnosis = tlsrpt_viewer::analysis::diagnose(&set);
    let diagnose_time = start.elapsed();

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
        "analyze:          {:.1} ms ({} result rows, {} reporting organisations), of which the \
         diagnosis {:.1} ms ({} findings)",
        analyze_time.as_secs_f64() * 1e3,
        analysis.per_result.len(),
        analysis.per_source.len(),
        diagnose_time.as_secs_f64() * 1e3,
        diagnosis.findings.len()
    );

    let mut mailbox = String::new();
    let mut archive = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (index, (name, data)) in files.iter().enumerate() {
        let gzipped = if name.ends_with(".gz") {
            data.clone()
        } else {
            gzip(data)
        };
        mailbox.push_str("From MAILER-DAEMON Thu Nov 26 10:00:00 2026\n");
        mailbox.push_str(&report_email(index, &gzipped));
        mailbox.push('\n');
        archive
            .start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .expect("in memory");
        archive.write_all(data).expect("in memory");
    }
    let archive = archive.finish().expect("in memory").into_inner();
    time_container("mailbox:", "bench.mbox", mailbox.as_bytes(), count);
    time_container("zip archive:", "bench.zip", &archive, count);
}
