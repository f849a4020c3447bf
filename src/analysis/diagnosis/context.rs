//! What the rules share: every policy entry of every loaded report, grouped by policy domain,
//! with the counting rule applied.

use crate::analysis::select::Selected;
use crate::analysis::sorting::set_of;
use crate::analysis::NO_DOMAIN;
use crate::report::{Name, PolicyEntry, Report};
use crate::text::add_counts;
use std::collections::{BTreeMap, BTreeSet};

/// One policy entry of one report.
pub struct Entry<'a> {
    pub report_index: usize,
    pub policy_index: usize,
    pub report: &'a Report,
    pub entry: &'a PolicyEntry,
    /// Whether its sessions count toward totals (see the counting rule).
    pub counted: bool,
    pub reporter: Name,
    /// The UTC day the report's period starts; `None` when the report gives
    /// none or a day that cannot be true (see `day_out_of_range`).
    pub day: Option<crate::text::Day>,
    /// The report is dated before 1990 or after today: its day is left out of every rule that
    /// reads days (the verdict, the rules over time), and `data/date-out-of-range` names it.
    pub day_out_of_range: bool,
}

impl Entry<'_> {
    /// Its day as written in evidence: "2024-02-22", or "no date".
    pub fn day_text(&self) -> String {
        self.day
            .map_or_else(|| "no date".to_string(), |day| day.to_string())
    }
}

/// A policy domain and its entries.
pub struct Domain<'a> {
    pub name: String,
    pub entries: Vec<Entry<'a>>,
    pub successful: u64,
    pub failed: u64,
}

impl Domain<'_> {
    pub fn sessions(&self) -> u64 {
        add_counts(self.successful, self.failed)
    }

    /// The reporting organisations that sent reports for the domain.
    pub fn reporters(&self) -> BTreeSet<&str> {
        set_of(self.entries.iter().map(|e| e.reporter.as_str()))
    }
}

pub struct Context<'a> {
    pub domains: BTreeMap<String, Domain<'a>>,
    /// The day the reports are read on, when known: the verdict says when the latest report
    /// is old.
    pub today: Option<chrono::NaiveDate>,
}

impl<'a> Context<'a> {
    /// The entries of the selected reports, of every domain or of the `only` ones, read on
    /// `today` (when known).
    pub fn new(
        selected: &'a [Selected<'a>],
        only: Option<&BTreeSet<Name>>,
        today: Option<chrono::NaiveDate>,
    ) -> Self {
        let mut domains: BTreeMap<String, Domain<'a>> = BTreeMap::new();
        for report in selected {
            let loaded = report.loaded;
            let reporter = loaded
                .report
                .organization_name
                .clone()
                .unwrap_or_else(|| Name::from("(unnamed reporter)"));
            let start_day = &loaded.day;
            for selected_entry in &report.entries {
                let entry: &'a PolicyEntry = selected_entry.entry.as_ref();
                let name = entry.policy_domain.as_deref().unwrap_or(NO_DOMAIN);
                if only.is_some_and(|only| !only.contains(name)) {
                    continue;
                }
                let domain = domains.entry(name.to_string()).or_insert_with(|| Domain {
                    name: name.to_string(),
                    entries: Vec::new(),
                    successful: 0,
                    failed: 0,
                });
                if selected_entry.counted {
                    domain.successful = add_counts(domain.successful, entry.successful_sessions);
                    domain.failed = add_counts(domain.failed, entry.failed_sessions);
                }
                domain.entries.push(Entry {
                    report_index: report.report_index,
                    policy_index: selected_entry.policy_index,
                    report: &loaded.report,
                    entry,
                    counted: selected_entry.counted,
                    reporter: reporter.clone(),
                    day: start_day.filter(|_| !loaded.day_out_of_range),
                    day_out_of_range: loaded.day_out_of_range,
                });
            }
        }
        Context { domains, today }
    }
}
