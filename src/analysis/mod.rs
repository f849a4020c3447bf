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
mod per_mx;
mod per_result;
mod per_source;
pub mod select;
pub mod sorting;
mod tally;

pub use counting::{counted_entries, counted_flags, COUNTING_RULE};
pub use diagnosis::{diagnose, Diagnosis, Finding, Severity};
pub use filter::Filter;
pub use overview::{Overview, OverviewTally};
pub use per_day::{
    bars, bars_by, per_day, sort_day_rows, Bar, BarSpan, DayColumn, DayRow, Granularity,
    PerDayTally, Quiet,
};
pub use per_mx::{sort_mx_rows, MxColumn, MxDomain, MxRow, PerMxTally};
pub use per_result::{sort_result_rows, PerResultTally, ResultColumn, ResultRow};
pub use per_source::{sort_source_rows, PerSourceTally, SourceColumn, SourceGroup, SourceRow};
pub use select::{Selected, Selector};
pub mod order;
pub use order::RowOrder;
pub use tally::{compare_rates, directed, format_rate, rate_tenths, success_rate, TypeCount};

use crate::ingest::{InputCounts, ReportSet};
use serde::{Deserialize, Serialize};

/// Everything the views show, for one set of reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Analysis {
    pub overview: Overview,
    pub per_result: Vec<ResultRow>,
    pub per_source: Vec<SourceGroup>,
    /// Failures per receiving MX host, with the domains each serves.
    pub per_mx: Vec<MxRow>,
    /// Sessions per day, all domains together.
    pub per_day: Vec<DayRow>,
    pub diagnosis: Diagnosis,
}

/// The figures of every view but the diagnosis, kept up to date one report at a time: adding
/// a report costs the same whether 10 or 100,000 came before it.
#[derive(Debug, Clone, Default)]
pub struct Tallies {
    pub overview: OverviewTally,
    pub per_result: PerResultTally,
    pub per_source: PerSourceTally,
    pub per_day: PerDayTally,
    pub per_mx: PerMxTally,
}

impl Tallies {
    pub fn add(&mut self, selected: &Selected<'_>) {
        self.overview.add(selected);
        self.per_result.add(selected);
        self.per_source.add(selected);
        self.per_day.add(selected);
        self.per_mx.add(selected);
    }

    /// The figures, with the given input counts and diagnosis; with `lists`, every row lists
    /// the reports behind it (else only their number: what the page needs).
    pub fn analysis(&self, inputs: InputCounts, diagnosis: Diagnosis, lists: bool) -> Analysis {
        Analysis {
            overview: self.overview.overview(inputs),
            per_result: self.per_result.rows(lists),
            per_source: self.per_source.groups(lists),
            per_mx: self.per_mx.rows(lists),
            per_day: self.per_day.rows(None, lists),
            diagnosis,
        }
    }
}

/// Everything the views show for the whole set, computed at once.
pub fn analyze(set: &ReportSet) -> Analysis {
    let selector = Selector::new(&Filter::default());
    let mut tallies = Tallies::default();
    for (index, loaded) in set.reports.iter().enumerate() {
        if let Some(selected) = selector.select(index, loaded) {
            tallies.add(&selected);
        }
    }
    tallies.analysis(set.counts(), diagnose(set), true)
}

/// The label shown for a policy entry without `policy-domain` (Postfix reporters omit it).
pub const NO_DOMAIN: &str = "(no policy-domain)";

/// The entry's policy domain as the tallies key it: the shared name, or [`NO_DOMAIN`].
pub fn domain_key(entry: &crate::report::PolicyEntry) -> crate::report::Name {
    match &entry.policy_domain {
        Some(domain) => domain.clone(),
        None => crate::report::Name::from(NO_DOMAIN),
    }
}
