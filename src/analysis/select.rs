//! A filter turned into a selection: for one report, the policy entries that pass and, where
//! the filter narrows failure details (result type, sending IP, MX host), those details. Entries
//! are borrowed from the report; only an entry whose details are narrowed is copied. Every
//! aggregate and the diagnosis read reports through this, so a filter never copies the set.

use super::counting::counted_flags;
use super::filter::{Filter, IpPrefix};
use crate::ingest::{LoadedReport, ReportSet};
use crate::report::names::host_name;
use crate::report::{PolicyEntry, Report};
use crate::text::add_counts;
use std::borrow::Cow;

/// One report as a filter sees it.
pub struct Selected<'a> {
    pub report_index: usize,
    pub loaded: &'a LoadedReport,
    pub entries: Vec<SelectedEntry<'a>>,
}

/// One policy entry that passed, with the counting rule applied among the entries that passed.
pub struct SelectedEntry<'a> {
    pub policy_index: usize,
    pub entry: Cow<'a, PolicyEntry>,
    /// Whether its sessions count toward totals (see [`super::COUNTING_RULE`]).
    pub counted: bool,
}

/// A filter made ready to test reports: the parsed IP prefix and normalised names.
pub struct Selector {
    filter: Filter,
    domain: Option<String>,
    mx_host: Option<String>,
    /// `Some(None)`: an IP filter that is no address or prefix, which matches nothing.
    prefix: Option<Option<IpPrefix>>,
}

impl Selector {
    pub fn new(filter: &Filter) -> Self {
        Selector {
            filter: filter.clone(),
            domain: filter.domain.as_deref().map(host_name),
            mx_host: filter.mx_host.as_deref().map(host_name),
            prefix: filter.sending_ip.as_deref().map(IpPrefix::parse),
        }
    }

    pub fn filter(&self) -> &Filter {
        &self.filter
    }

    /// The report's entries that pass, or `None` when none does.
    pub fn select<'a>(
        &self,
        report_index: usize,
        loaded: &'a LoadedReport,
    ) -> Option<Selected<'a>> {
        let report = &loaded.report;
        let filter = &self.filter;
        if let Some(org) = &filter.organization {
            if report.organization_name.as_deref() != Some(org.as_str()) {
                return None;
            }
        }
        if filter.from.is_some() || filter.to.is_some() {
            let day = report.start.as_ref().and_then(|t| t.utc)?.date_naive();
            if filter.from.is_some_and(|from| day < from) || filter.to.is_some_and(|to| day > to) {
                return None;
            }
        }
        let mut kept: Vec<(usize, Cow<'a, PolicyEntry>)> =
            Vec::with_capacity(report.policies.len());
        for (index, entry) in report.policies.iter().enumerate() {
            if !self.keeps_entry(entry) {
                continue;
            }
            if let Some(entry) = self.narrow_details(entry) {
                kept.push((index, entry));
            }
        }
        if kept.is_empty() && !(report.policies.is_empty() && filter.keeps_whole_reports()) {
            // A report without policies still counts as a report of its organisation (with
            // no sessions) under a filter that looks at reports only, not at their policies.
            return None;
        }
        let counted = counted_flags(kept.iter().map(|(_, entry)| entry.as_ref()));
        Some(Selected {
            report_index,
            loaded,
            entries: kept
                .into_iter()
                .zip(counted)
                .map(|((policy_index, entry), counted)| SelectedEntry {
                    policy_index,
                    entry,
                    counted,
                })
                .collect(),
        })
    }

    fn keeps_entry(&self, entry: &PolicyEntry) -> bool {
        let domain_ok = self
            .domain
            .as_ref()
            .is_none_or(|wanted| entry.policy_domain.as_deref() == Some(wanted.as_str()));
        let type_ok = self
            .filter
            .policy_type
            .as_ref()
            .is_none_or(|wanted| entry.policy_type.as_str() == wanted);
        domain_ok && type_ok
    }

    /// The entry as is, or a copy with only the matching failure details (and so only their
    /// failed sessions, and no successful ones), or `None` when no detail matches.
    fn narrow_details<'a>(&self, entry: &'a PolicyEntry) -> Option<Cow<'a, PolicyEntry>> {
        if !self.filter.narrows_details() {
            return Some(Cow::Borrowed(entry));
        }
        let details: Vec<_> = entry
            .failure_details
            .iter()
            .filter(|d| {
                self.filter
                    .result_type
                    .as_ref()
                    .is_none_or(|t| d.result_type.as_str() == t)
            })
            .filter(|d| {
                self.mx_host
                    .as_ref()
                    .is_none_or(|mx| d.receiving_mx_hostname.as_deref() == Some(mx.as_str()))
            })
            .filter(|d| match &self.prefix {
                None => true,
                Some(None) => false,
                Some(Some(prefix)) => d.sending_ip.is_some_and(|ip| prefix.contains(ip)),
            })
            .cloned()
            .collect();
        if details.is_empty() {
            return None;
        }
        let failed = details
            .iter()
            .fold(0u64, |sum, d| add_counts(sum, d.failed_session_count));
        Some(Cow::Owned(PolicyEntry {
            successful_sessions: 0,
            failed_sessions: failed,
            failure_details: details,
            ..entry.clone()
        }))
    }
}

impl Selected<'_> {
    /// The counted entries, for totals.
    pub fn counted(&self) -> impl Iterator<Item = &PolicyEntry> {
        self.entries
            .iter()
            .filter(|e| e.counted)
            .map(|e| e.entry.as_ref())
    }
}

impl Filter {
    /// A copy of the reports that pass, narrowed to the matching policies and failure
    /// details, with no inputs. For tests and tools: the engine uses selections instead
    /// ([`Selector`]), which copy nothing.
    pub fn apply(&self, set: &ReportSet) -> ReportSet {
        let selector = Selector::new(self);
        let reports = set
            .reports
            .iter()
            .enumerate()
            .filter_map(|(index, loaded)| selector.select(index, loaded))
            .map(|selected| LoadedReport {
                report: Report {
                    policies: selected
                        .entries
                        .into_iter()
                        .map(|e| e.entry.into_owned())
                        .collect(),
                    ..selected.loaded.report.clone()
                },
                ..selected.loaded.clone()
            })
            .collect();
        let mut filtered = ReportSet::from_reports(reports);
        filtered.today = set.today;
        filtered
    }
}
