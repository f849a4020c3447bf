//! What each download holds: the open tab as CSV, or the analysis as JSON, under the page's
//! filter. The worker only turns the text into a Blob.

use super::model::{Export, Tab, ViewRequest};
use super::Session;
use crate::analysis::export;

/// A file to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportFile {
    /// "tlsrpt-by-result.csv"; under a filter, its values too:
    /// "tlsrpt-by-result-example.com-2026-03-01-to-2026-03-20.csv" (see [`file_name`]).
    pub name: String,
    pub media_type: &'static str,
    pub text: String,
}

const CSV: &str = "text/csv;charset=utf-8";

impl Session {
    /// The rows of `tlsrpt rows` (schema v1) for what the request's filter selects, as the
    /// two NDJSON files the command writes: the reports the filter keeps, and in each the
    /// policies it keeps, each whole (every failure detail of it). With no filter, row for row
    /// what the command writes for the same inputs in the same order.
    pub fn export_rows(&mut self, request: &ViewRequest) -> Vec<ExportFile> {
        self.set_filter(&request.filter);
        let mut policy = Vec::new();
        let mut failure = Vec::new();
        for index in self.reports_behind(&super::model::Trace::All) {
            let loaded = &self.set().reports[index];
            let Some(selected) = self.view().selector.select(index, loaded) else {
                continue;
            };
            // The policies the filter keeps, and whether each counts among them (the page
            // applies the tlsa-and-sts rule to the policies a filter kept).
            let kept: std::collections::HashMap<u32, bool> = selected
                .entries
                .iter()
                .map(|entry| {
                    let index = u32::try_from(entry.policy_index).unwrap_or(u32::MAX);
                    (index, entry.counted)
                })
                .collect();
            let (policies, failures) =
                super::rows::report_rows(&loaded.report, &loaded.source, loaded.fingerprint);
            let policies: Vec<_> = policies
                .into_iter()
                .filter_map(|mut row| match row.policy_index {
                    None => Some(row),
                    Some(index) => kept.get(&index).map(|&counted| {
                        row.counted_in_totals = counted;
                        row
                    }),
                })
                .collect();
            let failures: Vec<_> = failures
                .into_iter()
                .filter_map(|mut row| {
                    kept.get(&row.policy_index).map(|&counted| {
                        row.counted_in_totals = counted;
                        row
                    })
                })
                .collect();
            // Writing to memory cannot fail.
            let _ = super::rows::write_ndjson(&mut policy, &policies);
            let _ = super::rows::write_ndjson(&mut failure, &failures);
        }
        let analysis = self.analysis();
        let period = period_of(&analysis.overview);
        [
            (super::rows::POLICY_TABLE, policy),
            (super::rows::FAILURE_TABLE, failure),
        ]
        .into_iter()
        .map(|(table, bytes)| ExportFile {
            name: file_name(&format!("{table}.ndjson"), &request.filter, period.clone()),
            media_type: "application/x-ndjson",
            text: String::from_utf8(bytes).unwrap_or_default(),
        })
        .collect()
    }

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
        // The inputs are never filtered: their name says no filter, and no period.
        let filtered = what != Export::Csv(Tab::Inputs);
        let period = period_of(&analysis.overview);
        let name = match filtered {
            true => file_name(name, &request.filter, period),
            false => name.to_string(),
        };
        ExportFile {
            name,
            media_type,
            text,
        }
    }
}

/// The first and last day of the reports selected, for a file name.
fn period_of(overview: &crate::analysis::Overview) -> Option<(String, String)> {
    match (overview.first_start, overview.last_end) {
        (Some(start), Some(end)) => {
            let (first, last, _) = crate::analysis::format::covered_days(start, end);
            Some((first, last))
        }
        _ => None,
    }
}

/// The most characters a file name's filter part takes.
const FILTER_PART_MAX: usize = 80;

/// `base` ("tlsrpt-by-source.csv", which names the view) with the filter's values and the
/// period before its extension, so that two downloads under two filters or of two periods
/// neither overwrite each other nor look alike:
/// "tlsrpt-by-source-example.com-ip-192.0.2.0_24-2026-03-01-to-2026-03-20.csv". The period is
/// the filter's dates when it has any, else `period`, the first and last day of the reports
/// selected. Only letters, digits, dots and hyphens are kept (anything else becomes "_"), and
/// the filter's part is cut at [`FILTER_PART_MAX`] characters: a value is text from a report,
/// and no file name it makes may climb folders, hide an extension or grow without end.
pub fn file_name(
    base: &str,
    filter: &crate::analysis::Filter,
    period: Option<(String, String)>,
) -> String {
    let from = filter.from.map(|day| day.to_string());
    let to = filter.to.map(|day| day.to_string());
    let parts = [
        ("", filter.domain.as_deref()),
        ("from-", from.as_deref()),
        ("to-", to.as_deref()),
        ("org-", filter.organization.as_deref()),
        ("", filter.policy_type.as_deref()),
        ("", filter.result_type.as_deref()),
        ("ip-", filter.sending_ip.as_deref()),
        ("mx-", filter.mx_host.as_deref()),
    ];
    let filter_part = parts
        .iter()
        .filter_map(|(label, value)| value.map(|value| format!("{label}{value}")))
        .collect::<Vec<_>>()
        .join("-");
    let mut part: String = safe_chars(&filter_part).take(FILTER_PART_MAX).collect();
    // No run of dots, and none at either end (a hidden file, "name..csv").
    while part.contains("..") {
        part = part.replace("..", ".");
    }
    part = part.trim_matches('.').to_string();
    if filter.from.is_none() && filter.to.is_none() {
        if let Some((first, last)) = period {
            // A year past 9999 starts with "+": made safe like the rest.
            let days = if first == last {
                first
            } else {
                format!("{first}-to-{last}")
            };
            let days: String = safe_chars(&days).collect();
            part = if part.is_empty() {
                days
            } else {
                format!("{part}-{days}")
            };
        }
    }
    if part.is_empty() {
        return base.to_string();
    }
    match base.rsplit_once('.') {
        Some((stem, extension)) => format!("{stem}-{part}.{extension}"),
        None => format!("{base}-{part}"),
    }
}

/// Letters, digits, dots and hyphens as they are; anything else as "_".
fn safe_chars(text: &str) -> impl Iterator<Item = char> + '_ {
    text.chars().map(|c| match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' | '.' | '-' => c,
        _ => '_',
    })
}

#[cfg(test)]
mod tests {
    use super::file_name;
    use crate::analysis::Filter;

    #[test]
    fn a_file_name_says_its_filter_in_safe_characters() {
        let none = Filter::default();
        assert_eq!(
            file_name("tlsrpt-problems.csv", &none, None),
            "tlsrpt-problems.csv"
        );
        let period = || Some(("2016-04-01".to_string(), "2026-05-12".to_string()));
        assert_eq!(
            file_name("tlsrpt-problems.csv", &none, period()),
            "tlsrpt-problems-2016-04-01-to-2026-05-12.csv"
        );
        let one_day = Some(("2026-05-12".to_string(), "2026-05-12".to_string()));
        let domain = Filter::from_fragment("domain=example.com");
        assert_eq!(
            file_name("tlsrpt-timeline.csv", &domain, one_day),
            "tlsrpt-timeline-example.com-2026-05-12.csv"
        );
        let filter = Filter::from_fragment("domain=example.com&from=2026-03-01&to=2026-03-20");
        // The filter's dates are the period: the reports' own days are not added.
        assert_eq!(
            file_name("tlsrpt-by-result.csv", &filter, period()),
            "tlsrpt-by-result-example.com-from-2026-03-01-to-2026-03-20.csv"
        );
        let filter = Filter::from_fragment("ip=192.0.2.0/24&result=certificate-expired");
        assert_eq!(
            file_name("tlsrpt-analysis.json", &filter, None),
            "tlsrpt-analysis-certificate-expired-ip-192.0.2.0_24.json"
        );
        // A hostile organisation name: no folder, no hidden file, no endless name.
        let filter = Filter {
            organization: Some(format!("../../{}", "x".repeat(500))),
            ..Filter::default()
        };
        let name = file_name("tlsrpt-by-source.csv", &filter, None);
        assert!(!name.contains('/') && !name.contains(".."), "{name}");
        assert!(name.len() <= "tlsrpt-by-source-.csv".len() + 80, "{name}");
        let filter = Filter {
            domain: Some("...".to_string()),
            ..Filter::default()
        };
        assert_eq!(
            file_name("tlsrpt-timeline.csv", &filter, None),
            "tlsrpt-timeline.csv"
        );
    }
}
