//! Prints, as JSON, what the viewer would show for the given files: the outcome for each
//! input, the overview, the view per result and the view per sending source.
//!
//! Usage: cargo run --example summarize -- FILE...

use serde_json::json;
use tlsrpt_viewer::analysis::{analyze, format_rate, COUNTING_RULE};
use tlsrpt_viewer::ingest::{ingest_file, FileContent, FileIngest, ReportSet};

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: cargo run --example summarize -- FILE...");
        std::process::exit(2);
    }
    let mut set = ReportSet::new();
    for path in &paths {
        let ingest = match std::fs::read(path) {
            Ok(bytes) => ingest_file(path, &bytes),
            Err(error) => FileIngest {
                name: path.clone(),
                size: 0,
                format: "unknown".to_string(),
                content: FileContent::Rejected {
                    reason: format!("could not read the file: {error}"),
                },
            },
        };
        set.add(ingest);
    }
    let analysis = analyze(&set);
    let overview = &analysis.overview;
    let inputs: Vec<_> = set
        .inputs
        .iter()
        .map(|input| {
            json!({
                "name": input.name,
                "size": input.size,
                "format": input.format,
                "outcome": input.outcome,
                "message": input.describe(),
            })
        })
        .collect();
    let summary = json!({
        "inputs": inputs,
        "overview": overview,
        "success-rate": format_rate(overview.successful_sessions, overview.failed_sessions),
        "counting-rule": COUNTING_RULE,
        "per-result": analysis.per_result,
        "per-source": analysis.per_source,
        "reports": set.reports.iter().map(|loaded| json!({
            "source": loaded.source,
            "organization-name": loaded.report.organization_name,
            "report-id": loaded.report.report_id,
            "notes": loaded.report.notes,
        })).collect::<Vec<_>>(),
    });
    match serde_json::to_string_pretty(&summary) {
        Ok(text) => println!("{text}"),
        Err(error) => {
            eprintln!("could not write the summary: {error}");
            std::process::exit(1);
        }
    }
}
