//! What each download holds: the open tab as CSV, or the analysis as JSON, under the page's
//! filter. The worker only turns the text into a Blob.

use super::model::{Export, Tab, ViewRequest};
use super::Session;
use crate::analysis::export;

/// A file to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    pub name: &'static str,
    pub media_type: &'static str,
    pub text: String,
}

const CSV: &str = "text/csv;charset=utf-8";

impl Session {
    /// The file for `what`, under the request's filter (and, for the comparison, its periods).
    pub fn export(&mut self, request: &ViewRequest, what: Export) -> ExportFile {
        self.set_filter(&request.filter);
        let analysis = self.analysis();
        let (name, media_type, text) = match what {
            Export::AnalysisJson => (
                "tlsrpt-analysis.json",
                "application/json",
                export::analysis_json(&analysis, &request.filter, self.set()),
            ),
            Export::Csv(tab) => {
                let (name, text) = match tab {
                    Tab::Problems => (
                        "tlsrpt-problems.csv",
                        export::findings_csv(&analysis.diagnosis.findings),
                    ),
                    Tab::Timeline => (
                        "tlsrpt-timeline.csv",
                        export::per_day_csv(&analysis.per_day),
                    ),
                    Tab::Results => (
                        "tlsrpt-by-result.csv",
                        export::per_result_csv(&analysis.per_result),
                    ),
                    Tab::Sources => (
                        "tlsrpt-by-source.csv",
                        export::per_source_csv(&analysis.per_source),
                    ),
                    Tab::Compare => (
                        "tlsrpt-comparison.csv",
                        super::comparison_csv(&self.comparison(
                            request.compare.as_ref(),
                            None,
                            usize::MAX,
                        )),
                    ),
                    Tab::Coverage => ("tlsrpt-coverage.csv", super::coverage_csv(&self.coverage())),
                    Tab::Mx => ("tlsrpt-by-mx.csv", export::per_mx_csv(&analysis.per_mx)),
                    Tab::Inputs => ("tlsrpt-inputs.csv", export::inputs_csv(self.set())),
                };
                (name, CSV, text)
            }
        };
        ExportFile {
            name,
            media_type,
            text,
        }
    }
}
