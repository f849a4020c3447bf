//! The figures the page shows, computed from the loaded reports: the overview, the view per
//! result (policy domain and type), the view per sending source, and the diagnosis (the
//! problems found, with their fixes). Every row and finding lists the reports behind it, by
//! index into [`ReportSet::reports`].

mod counting;
pub mod diagnosis;
pub mod export;
pub mod filter;
pub mod format;
mod overview;
mod per_day;
mod per_result;
mod per_source;
mod tally;

pub use counting::{counted_entries, COUNTING_RULE};
pub use diagnosis::{diagnose, Diagnosis, Finding, Severity};
pub use filter::Filter;
pub use overview::Overview;
pub use per_day::{per_day, DayRow};
pub use per_result::ResultRow;
pub use per_source::{SourceGroup, SourceRow};
pub use tally::{format_rate, success_rate, TypeCount};

use crate::ingest::ReportSet;
use serde::Serialize;

/// Everything the views show, for one set of reports.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Analysis {
    pub overview: Overview,
    pub per_result: Vec<ResultRow>,
    pub per_source: Vec<SourceGroup>,
    /// Sessions per day, all domains together.
    pub per_day: Vec<DayRow>,
    pub diagnosis: Diagnosis,
}

pub fn analyze(set: &ReportSet) -> Analysis {
    let counted: Vec<Vec<bool>> = set
        .reports
        .iter()
        .map(|loaded| counted_entries(&loaded.report))
        .collect();
    Analysis {
        overview: overview::overview(set, &counted),
        per_result: per_result::per_result(set, &counted),
        per_source: per_source::per_source(set, &counted),
        per_day: per_day::per_day_counted(set, &counted, None),
        diagnosis: diagnose(set),
    }
}

/// The label shown for a policy entry without `policy-domain` (Postfix reporters omit it).
pub const NO_DOMAIN: &str = "(no policy-domain)";
