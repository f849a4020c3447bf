//! The reports loaded so far, with one outcome for every input file. A report counts once
//! however often it is given: its identity is (organization-name, report-id), as RFC 8460
//! section 4.4 makes report-id unique per reporting organisation.

use super::{FileContent, FileIngest};
use crate::report::Report;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct LoadedReport {
    pub report: Report,
    /// The name of the input file the report came from.
    pub source: String,
    #[serde(with = "super::fingerprint::as_hex")]
    pub fingerprint: u64,
}

/// What became of one input file.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(
    rename_all = "kebab-case",
    rename_all_fields = "kebab-case",
    tag = "kind"
)]
pub enum Outcome {
    Loaded {
        report_index: usize,
    },
    Duplicate {
        /// The file the report was first loaded from.
        first_source: String,
        report_id: String,
        /// False when the report-id repeats but the content differs (the first copy is kept).
        same_content: bool,
    },
    Rejected {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct InputRecord {
    pub name: String,
    pub size: u64,
    pub format: String,
    pub outcome: Outcome,
}

impl InputRecord {
    /// The outcome in a sentence, as `summarize` prints it: "rejected: the file is empty".
    pub fn describe(&self) -> String {
        match &self.outcome {
            Outcome::Loaded { .. } => "1 report loaded".to_string(),
            Outcome::Duplicate { .. } => format!("duplicate: {}", self.detail()),
            Outcome::Rejected { .. } => format!("rejected: {}", self.detail()),
        }
    }

    /// What the page shows beside the outcome's badge: the reason, or the first copy.
    pub fn detail(&self) -> String {
        match &self.outcome {
            Outcome::Loaded { .. } => String::new(),
            Outcome::Duplicate {
                first_source,
                report_id,
                same_content: true,
            } => format!("report {report_id} was already loaded from {first_source}"),
            Outcome::Duplicate {
                first_source,
                report_id,
                same_content: false,
            } => format!(
                "report-id {report_id} was already loaded from {first_source}, with different \
                 content; the first copy is kept"
            ),
            Outcome::Rejected { reason } => reason.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct ReportSet {
    pub reports: Vec<LoadedReport>,
    pub inputs: Vec<InputRecord>,
    #[serde(skip)]
    by_identity: HashMap<(String, String), usize>,
}

/// How many inputs ended each way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct InputCounts {
    pub files: usize,
    pub loaded: usize,
    pub duplicates: usize,
    pub rejected: usize,
}

impl ReportSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds the result of reading one file, deciding whether its report is new.
    pub fn add(&mut self, ingest: FileIngest) {
        let outcome = match ingest.content {
            FileContent::Rejected { reason } => Outcome::Rejected { reason },
            FileContent::Report {
                report,
                fingerprint,
            } => self.add_report(*report, &ingest.name, fingerprint),
        };
        self.inputs.push(InputRecord {
            name: ingest.name,
            size: ingest.size,
            format: ingest.format,
            outcome,
        });
    }

    fn add_report(&mut self, report: Report, source: &str, fingerprint: u64) -> Outcome {
        let identity = identity(&report, fingerprint);
        if let Some(&first) = self.by_identity.get(&identity) {
            let original = &self.reports[first];
            return Outcome::Duplicate {
                first_source: original.source.clone(),
                report_id: report
                    .report_id
                    .clone()
                    .unwrap_or_else(|| "(none)".to_string()),
                same_content: original.fingerprint == fingerprint,
            };
        }
        let report_index = self.reports.len();
        self.by_identity.insert(identity, report_index);
        self.reports.push(LoadedReport {
            report,
            source: source.to_string(),
            fingerprint,
        });
        Outcome::Loaded { report_index }
    }

    pub fn counts(&self) -> InputCounts {
        let mut counts = InputCounts {
            files: self.inputs.len(),
            ..InputCounts::default()
        };
        for input in &self.inputs {
            match input.outcome {
                Outcome::Loaded { .. } => counts.loaded += 1,
                Outcome::Duplicate { .. } => counts.duplicates += 1,
                Outcome::Rejected { .. } => counts.rejected += 1,
            }
        }
        counts
    }
}

/// (organization-name, report-id); a report without an id is identified by its content.
fn identity(report: &Report, fingerprint: u64) -> (String, String) {
    let organization = report.organization_name.clone().unwrap_or_default();
    match &report.report_id {
        Some(id) => (organization, id.clone()),
        None => (organization, format!("content:{fingerprint:016x}")),
    }
}
