//! The engine: one session of loaded reports, used by the page (in a Web Worker) and by
//! `summarize` alike. It takes ingested inputs one by one, deduplicates and indexes each
//! report once, keeps the figures of every view as tallies that grow with each report, turns a
//! filter into a selection over the reports rather than a copy, recomputes the diagnosis only
//! for the domains that changed, and answers paged, serialisable view models.
//!
//! Inputs, duplicates and the facts about them belong to the session: a filter narrows the
//! figures and the findings, never the inputs.

pub mod model;

use crate::analysis::diagnosis::{diagnose_domains, ranked, DomainHealth};
use crate::analysis::format::start_day;
use crate::analysis::{
    Analysis, Diagnosis, Filter, Finding, Selected, Selector, Tallies, NO_DOMAIN,
};
use crate::ingest::{IngestNode, InputCounts, InputRecord, LoadedReport, Outcome, ReportSet};
use model::{
    Choices, DrillAnswer, InputRow, PageModel, ReportDetail, ReportSummary, Trace, ViewRequest,
    EVIDENCE_ROWS, PAGE_ROWS,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One set of loaded reports and everything known about them.
pub struct Session {
    set: ReportSet,
    counts: InputCounts,
    selector: Selector,
    /// The figures under the current filter.
    tallies: Tallies,
    /// The reports of each policy domain (all of them, whatever the filter), in order.
    by_domain: HashMap<String, Vec<usize>>,
    /// The health line and findings of each domain under the current filter.
    diagnosis: BTreeMap<String, (DomainHealth, Vec<Finding>)>,
    /// Domains whose diagnosis is out of date.
    dirty: BTreeSet<String>,
    choices: ChoiceSets,
    generation: u64,
}

#[derive(Default)]
struct ChoiceSets {
    domains: BTreeSet<String>,
    organizations: BTreeSet<String>,
    policy_types: BTreeSet<String>,
    result_types: BTreeSet<String>,
    mx_hosts: BTreeSet<String>,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    pub fn new() -> Self {
        Session {
            set: ReportSet::new(),
            counts: InputCounts::default(),
            selector: Selector::new(&Filter::default()),
            tallies: Tallies::default(),
            by_domain: HashMap::new(),
            diagnosis: BTreeMap::new(),
            dirty: BTreeSet::new(),
            choices: ChoiceSets::default(),
            generation: 0,
        }
    }

    /// Adds the result of reading one input: each report in it is deduplicated, indexed and
    /// counted once. Returns how many new reports it held.
    pub fn add(&mut self, input: IngestNode) -> usize {
        let first_new = self.set.reports.len();
        self.set.add(input);
        if let Some(record) = self.set.inputs.last() {
            self.counts.add(record.counts());
            if reuses_an_id(record) {
                // The "report-id reused" note belongs to the first copy's domain: recheck all.
                self.dirty.extend(self.by_domain.keys().cloned());
            }
        }
        let added = self.set.reports.len() - first_new;
        for index in first_new..self.set.reports.len() {
            self.index_report(index);
        }
        self.generation += 1;
        added
    }

    fn index_report(&mut self, index: usize) {
        let loaded = &self.set.reports[index];
        let report = &loaded.report;
        let choices = &mut self.choices;
        if let Some(org) = &report.organization_name {
            insert_new(&mut choices.organizations, org);
        }
        for entry in &report.policies {
            let domain = entry.policy_domain.as_deref().unwrap_or(NO_DOMAIN);
            let reports = self.by_domain.entry(domain.to_string()).or_default();
            if reports.last() != Some(&index) {
                reports.push(index);
            }
            if let Some(domain) = &entry.policy_domain {
                insert_new(&mut choices.domains, domain);
            }
            insert_new(&mut choices.policy_types, entry.policy_type.as_str());
            for detail in &entry.failure_details {
                insert_new(&mut choices.result_types, &detail.result_type);
                if let Some(mx) = &detail.receiving_mx_hostname {
                    insert_new(&mut choices.mx_hosts, mx);
                }
            }
        }
        if let Some(selected) = self.selector.select(index, loaded) {
            self.tallies.add(&selected);
            for entry in &selected.entries {
                let domain = entry.entry.policy_domain.as_deref().unwrap_or(NO_DOMAIN);
                insert_new(&mut self.dirty, domain);
            }
        }
    }

    /// Changes the filter; the figures are recomputed over the selection (no report is
    /// copied) and every domain's diagnosis is due again. False when nothing changed.
    pub fn set_filter(&mut self, filter: &Filter) -> bool {
        if filter == self.selector.filter() {
            return false;
        }
        self.selector = Selector::new(filter);
        self.tallies = Tallies::default();
        for (index, loaded) in self.set.reports.iter().enumerate() {
            if let Some(selected) = self.selector.select(index, loaded) {
                self.tallies.add(&selected);
            }
        }
        self.diagnosis.clear();
        self.dirty = self.by_domain.keys().cloned().collect();
        self.generation += 1;
        true
    }

    pub fn filter(&self) -> &Filter {
        self.selector.filter()
    }

    /// Whether some domain's findings are out of date.
    pub fn diagnosis_pending(&self) -> bool {
        !self.dirty.is_empty()
    }

    /// Runs the diagnosis again for the domains that changed since it last ran.
    pub fn diagnose(&mut self) {
        if self.dirty.is_empty() {
            return;
        }
        let dirty = std::mem::take(&mut self.dirty);
        let mut indices: Vec<usize> = dirty
            .iter()
            .filter_map(|domain| self.by_domain.get(domain))
            .flatten()
            .copied()
            .collect();
        indices.sort_unstable();
        indices.dedup();
        let selected: Vec<Selected<'_>> = indices
            .into_iter()
            .filter_map(|index| self.selector.select(index, &self.set.reports[index]))
            .collect();
        let (health, findings) = diagnose_domains(&self.set, &selected, Some(&dirty));
        for domain in &dirty {
            self.diagnosis.remove(domain);
        }
        let mut by_domain: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
        for finding in findings {
            by_domain
                .entry(finding.policy_domain.clone())
                .or_default()
                .push(finding);
        }
        for line in health {
            let findings = by_domain.remove(&line.policy_domain).unwrap_or_default();
            self.diagnosis
                .insert(line.policy_domain.clone(), (line, findings));
        }
    }

    /// The findings and health lines as they stand (call [`Session::diagnose`] first for
    /// up-to-date ones).
    pub fn current_diagnosis(&self) -> Diagnosis {
        Diagnosis {
            domains: self
                .diagnosis
                .values()
                .map(|(line, _)| line.clone())
                .collect(),
            findings: ranked(
                self.diagnosis
                    .values()
                    .flat_map(|(_, findings)| findings.iter().cloned())
                    .collect(),
            ),
        }
    }

    /// Everything the views show under the current filter, with every report list, as
    /// `summarize` prints it. Brings the diagnosis up to date first.
    pub fn analysis(&mut self) -> Analysis {
        self.diagnose();
        self.tallies.analysis(self.counts, self.current_diagnosis())
    }

    /// The days of one domain (or all) under the current filter.
    pub fn per_day(&self, domain: Option<&str>) -> Vec<crate::analysis::DayRow> {
        self.tallies.per_day.rows(domain)
    }

    pub fn counts(&self) -> InputCounts {
        self.counts
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The reports and inputs themselves.
    pub fn set(&self) -> &ReportSet {
        &self.set
    }

    /// The values each filter can take, over the whole session.
    pub fn choices(&self) -> Choices {
        let list = |set: &BTreeSet<String>| set.iter().cloned().collect();
        Choices {
            domains: list(&self.choices.domains),
            organizations: list(&self.choices.organizations),
            policy_types: list(&self.choices.policy_types),
            result_types: list(&self.choices.result_types),
            mx_hosts: list(&self.choices.mx_hosts),
        }
    }

    /// What the page draws for a request: the figures under its filter (without report
    /// lists), the findings as far as they are known, and the pages of the open lists.
    pub fn page(&mut self, request: &ViewRequest) -> PageModel {
        self.set_filter(&request.filter);
        let mut analysis = self.tallies.analysis(self.counts, self.current_diagnosis());
        let domain_reports = analysis
            .diagnosis
            .domains
            .iter()
            .map(|line| {
                let domain = &line.policy_domain;
                let mut reports: Vec<usize> = analysis
                    .per_result
                    .iter()
                    .filter(|row| &row.policy_domain == domain)
                    .flat_map(|row| row.reports.iter().copied())
                    .collect();
                reports.sort_unstable();
                reports.dedup();
                (domain.clone(), reports.len())
            })
            .collect();
        strip_lists(&mut analysis, &self.set);
        let mut timeline = match request.tab {
            model::Tab::Timeline => self.per_day(request.timeline_domain.as_deref()),
            _ => Vec::new(),
        };
        timeline.iter_mut().for_each(|row| row.reports = Vec::new());
        let inputs = match request.tab {
            model::Tab::Inputs => self
                .set
                .inputs
                .iter()
                .take(request.inputs_limit)
                .map(|record| self.input_row(record))
                .collect(),
            _ => Vec::new(),
        };
        PageModel {
            generation: self.generation,
            request: request.clone(),
            counts: self.counts,
            session_reports: self.set.reports.len(),
            analysis,
            domain_reports,
            diagnosis_pending: self.diagnosis_pending(),
            timeline,
            inputs,
            inputs_total: self.set.inputs.len(),
            choices: self.choices(),
        }
    }

    fn input_row(&self, record: &InputRecord) -> InputRow {
        let mut loaded = Vec::new();
        fn walk(record: &InputRecord, out: &mut Vec<usize>) {
            if let Outcome::Loaded { report_index } = record.outcome {
                out.push(report_index);
            }
            record.children.iter().for_each(|child| walk(child, out));
        }
        let mut indices = Vec::new();
        walk(record, &mut indices);
        for index in indices {
            if let Some(summary) = self.summary(index) {
                loaded.push((index, summary));
            }
        }
        InputRow {
            record: record.clone(),
            loaded,
        }
    }

    /// The reports behind a figure, under the current filter.
    pub fn reports_behind(&self, trace: &Trace) -> Vec<usize> {
        let tallies = &self.tallies;
        match trace {
            Trace::All => self
                .set
                .reports
                .iter()
                .enumerate()
                .filter(|(index, loaded)| self.selector.select(*index, loaded).is_some())
                .map(|(index, _)| index)
                .collect(),
            Trace::Domain { domain } => {
                let mut reports: Vec<usize> = tallies
                    .per_result
                    .rows()
                    .into_iter()
                    .filter(|row| &row.policy_domain == domain)
                    .flat_map(|row| row.reports)
                    .collect();
                reports.sort_unstable();
                reports.dedup();
                reports
            }
            Trace::Result {
                domain,
                policy_type,
            } => tallies
                .per_result
                .rows()
                .into_iter()
                .find(|row| &row.policy_domain == domain && &row.policy_type == policy_type)
                .map(|row| row.reports)
                .unwrap_or_default(),
            Trace::Organization { organization } => tallies
                .per_source
                .groups()
                .into_iter()
                .find(|group| &group.organization == organization)
                .map(|group| group.reports)
                .unwrap_or_default(),
            Trace::Source { organization, ip } => tallies
                .per_source
                .groups()
                .into_iter()
                .find(|group| &group.organization == organization)
                .and_then(|group| group.sources.into_iter().find(|s| &s.sending_ip == ip))
                .map(|source| source.reports)
                .unwrap_or_default(),
            Trace::Day { day, domain } => tallies
                .per_day
                .rows(domain.as_deref())
                .into_iter()
                .find(|row| &row.day == day)
                .map(|row| row.reports)
                .unwrap_or_default(),
        }
    }

    /// The drill-down's list: the first `limit` reports behind a figure, and their number.
    pub fn drill_reports(&self, trace: &Trace, limit: usize) -> DrillAnswer {
        let indices = self.reports_behind(trace);
        DrillAnswer::Reports {
            trace: trace.clone(),
            total: indices.len(),
            reports: indices
                .into_iter()
                .take(limit.max(PAGE_ROWS))
                .filter_map(|index| self.summary(index))
                .collect(),
        }
    }

    /// One report, every field and its JSON as given.
    pub fn drill_report(&self, index: usize) -> DrillAnswer {
        DrillAnswer::Report {
            index,
            detail: self.set.reports.get(index).map(|loaded| {
                Box::new(ReportDetail {
                    report: loaded.report.clone(),
                    source: loaded.source.clone(),
                    email: loaded.email.clone(),
                    raw: loaded.raw.as_ref().and_then(|packed| packed.unpack()),
                })
            }),
        }
    }

    pub fn summary(&self, index: usize) -> Option<ReportSummary> {
        self.set
            .reports
            .get(index)
            .map(|loaded| summarize(index, loaded))
    }
}

fn summarize(index: usize, loaded: &LoadedReport) -> ReportSummary {
    let report = &loaded.report;
    ReportSummary {
        index,
        organization: report
            .organization_name
            .clone()
            .unwrap_or_else(|| "(unnamed)".to_string()),
        report_id: report
            .report_id
            .clone()
            .unwrap_or_else(|| "(none)".to_string()),
        day: start_day(report),
        source: loaded.source.clone(),
        notes: report.notes.clone(),
    }
}

/// Report lists out, counts kept; evidence cut to its first rows.
fn strip_lists(analysis: &mut Analysis, set: &ReportSet) {
    analysis
        .per_result
        .iter_mut()
        .for_each(|row| row.reports = Vec::new());
    analysis
        .per_day
        .iter_mut()
        .for_each(|row| row.reports = Vec::new());
    for group in &mut analysis.per_source {
        group.reports = Vec::new();
        group
            .sources
            .iter_mut()
            .for_each(|s| s.reports = Vec::new());
    }
    for finding in &mut analysis.diagnosis.findings {
        finding.evidence_total = finding.evidence.len();
        finding.evidence.truncate(EVIDENCE_ROWS);
        for row in &mut finding.evidence {
            row.source = set.reports.get(row.report_index).map(|r| r.source.clone());
        }
    }
}

fn insert_new(set: &mut BTreeSet<String>, value: &str) {
    if !set.contains(value) {
        set.insert(value.to_string());
    }
}

/// Whether the input holds a report whose id was already loaded with other content.
fn reuses_an_id(record: &InputRecord) -> bool {
    matches!(
        record.outcome,
        Outcome::Duplicate {
            same_content: false,
            ..
        }
    ) || record.children.iter().any(reuses_an_id)
}
