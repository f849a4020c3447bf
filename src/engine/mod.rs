//! The engine: one session of loaded reports, used by the page (in a Web Worker) and by
//! `summarize` alike. It takes ingested inputs one by one, deduplicates and indexes each
//! report once, keeps the figures of every view as tallies that grow with each report, turns a
//! filter into a selection over the reports rather than a copy, recomputes the diagnosis only
//! for the domains that changed, and answers paged, serialisable view models.
//!
//! Inputs, duplicates and the facts about them belong to the session: a filter narrows the
//! figures and the findings, never the inputs.

pub mod clock;
mod compare;
mod coverage;
pub use compare::comparison_csv;
pub use coverage::coverage_csv;
mod domains;
mod exports;
pub use exports::ExportFile;
mod index;
pub mod model;
mod view;

use crate::analysis::diagnosis::NamesLeftOut;
use crate::analysis::format::pretty_json;
use crate::analysis::{Analysis, Diagnosis, Filter};
use crate::ingest::{IngestNode, InputCounts, InputRecord, LoadedReport, Outcome, ReportSet};
use crate::text::visible_controls;
use index::Index;
use model::{
    Choices, DrillAnswer, InputRow, PageModel, ReportDetail, ReportSummary, Trace, ViewRequest,
    EVIDENCE_ROWS, PAGE_ROWS,
};
use view::View;

/// One set of loaded reports and everything known about them.
pub struct Session {
    set: ReportSet,
    counts: InputCounts,
    index: Index,
    /// The figures and findings with no filter, always kept.
    base: View,
    /// Those under the filter the page has set, if any.
    filtered: Option<View>,
    generation: u64,
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}

impl Session {
    /// A session that judges report dates against today's date (see [`clock::today`]).
    pub fn new() -> Self {
        Self::with_today(clock::today())
    }

    /// A session whose "today" is the given day: reports dated before
    /// [`crate::ingest::EARLIEST_DAY`] or more than a day after it are loaded, flagged
    /// (`data/date-out-of-range`) and left out of the verdict and the rules over time.
    pub fn with_today(today: chrono::NaiveDate) -> Self {
        let mut set = ReportSet::new();
        set.today = Some(today);
        Session {
            set,
            counts: InputCounts::default(),
            index: Index::default(),
            base: View::new(&Filter::default(), &ReportSet::new(), &Index::default()),
            filtered: None,
            generation: 0,
        }
    }

    /// Adds the result of reading one input: each report in it is deduplicated, indexed and
    /// counted once. Returns how many new reports it held.
    pub fn add(&mut self, input: IngestNode) -> usize {
        let first_new = self.set.reports.len();
        self.set.add(input);
        let added = self.set.reports.len() - first_new;
        for index in first_new..self.set.reports.len() {
            self.index.add(index, &self.set.reports[index]);
            self.base.add(index, &self.set);
            if let Some(view) = &mut self.filtered {
                view.add(index, &self.set);
            }
        }
        if let Some(record) = self.set.inputs.last() {
            self.counts.add(record.counts());
            if reuses_an_id(record) {
                // The "report-id reused" note belongs to the first copy's domain: recheck all.
                self.base.recheck_all(&self.index);
                if let Some(view) = &mut self.filtered {
                    view.recheck_all(&self.index);
                }
            }
        }
        self.generation += 1;
        added
    }

    /// Changes the filter. Back to no filter costs nothing; a filter looks only at the reports
    /// the narrowest index it names gives, and copies none. False when nothing changed.
    pub fn set_filter(&mut self, filter: &Filter) -> bool {
        if filter == self.filter() {
            return false;
        }
        self.filtered = (!filter.is_empty()).then(|| View::new(filter, &self.set, &self.index));
        self.generation += 1;
        true
    }

    pub fn filter(&self) -> &Filter {
        self.view().selector.filter()
    }

    fn view(&self) -> &View {
        self.filtered.as_ref().unwrap_or(&self.base)
    }

    /// Whether some domain's findings are out of date under the current filter.
    pub fn diagnosis_pending(&self) -> bool {
        self.view().diagnosis_pending()
    }

    /// Runs the diagnosis again, under the current filter, for the domains that changed since
    /// it last ran.
    pub fn diagnose(&mut self) {
        let view = self.filtered.as_mut().unwrap_or(&mut self.base);
        view.diagnose(&self.set, &self.index);
    }

    /// The findings and health lines as they stand (call [`Session::diagnose`] first for
    /// up-to-date ones).
    pub fn current_diagnosis(&self) -> Diagnosis {
        self.view().diagnosis(None)
    }

    /// Runs the diagnosis for some of the domains that changed, up to about `reports` reports
    /// (whole domains): a caller that yields between calls stays responsive. True while some
    /// domains remain.
    pub fn diagnose_some(&mut self, reports: usize) -> bool {
        let view = self.filtered.as_mut().unwrap_or(&mut self.base);
        view.diagnose_some(&self.set, &self.index, reports)
    }

    /// Everything the views show under the current filter, with every report list, as
    /// `summarize` prints it. Brings the diagnosis up to date first.
    pub fn analysis(&mut self) -> Analysis {
        self.diagnose();
        self.view()
            .tallies
            .analysis(self.counts, self.current_diagnosis(), true)
    }

    /// Two periods side by side under the current filter (the loaded days cut in two when
    /// `periods` is None); the first `limit` domains.
    pub fn comparison(
        &self,
        periods: Option<&model::ComparePeriods>,
        order: Option<model::RowOrder>,
        limit: usize,
    ) -> model::Comparison {
        let (before, after) = match periods {
            Some(periods) => (periods.before.clone(), periods.after.clone()),
            None => match self.view().tallies.per_day.span() {
                Some((first, last)) => compare::halves(first, last),
                None => Default::default(),
            },
        };
        compare::compare(
            &self.set,
            &self.index,
            self.view().selector.filter(),
            &before,
            &after,
            order,
            limit,
        )
    }

    /// Who reported when under the current filter, every reporter and cell.
    pub fn coverage(&self) -> model::Coverage {
        coverage::coverage(
            &self.set,
            &self.index,
            &self.view().selector,
            usize::MAX,
            usize::MAX,
        )
    }

    /// The days of one domain (or all) under the current filter.
    pub fn per_day(&self, domain: Option<&str>) -> Vec<crate::analysis::DayRow> {
        self.view().tallies.per_day.rows(domain, true)
    }

    pub fn counts(&self) -> InputCounts {
        self.counts
    }

    /// The reports and inputs themselves.
    pub fn set(&self) -> &ReportSet {
        &self.set
    }

    /// The values each filter can take, over the whole session.
    pub fn choices(&self) -> Choices {
        self.index.choices()
    }

    /// What the page draws for a request: it sets the request's filter (building that view if
    /// it changed), then gives the figures under it (without report lists), the findings as far
    /// as they are known, and the pages of the open lists.
    pub fn page(&mut self, request: &ViewRequest) -> PageModel {
        self.set_filter(&request.filter);
        let view = self.view();
        let mut analysis =
            view.tallies
                .analysis(self.counts, view.diagnosis(Some(EVIDENCE_ROWS)), false);
        // The health lines the page draws, and their report counts; or the table of domains.
        let health_total = analysis.diagnosis.domains.len();
        let all_reports = view.tallies.per_result.domain_report_counts();
        let (domain_rows, domain_rows_total) = if health_total > model::DOMAIN_LINES_MAX {
            domains::domain_rows(
                &analysis.diagnosis.domains,
                &all_reports,
                &view.tallies.per_day,
                &request.domains_search,
                request.domains_order,
                request.domains_limit,
            )
        } else {
            (Vec::new(), 0)
        };
        analysis.diagnosis.domains.truncate(request.health_limit);
        let shown: std::collections::HashSet<&str> = analysis
            .diagnosis
            .domains
            .iter()
            .map(|health| health.policy_domain.as_str())
            .collect();
        let mut domain_reports = all_reports;
        domain_reports.retain(|domain, _| shown.contains(domain.as_str()));
        let overview = &mut analysis.overview;
        let (domain_count, organization_count) =
            (overview.policy_domains.len(), overview.organizations.len());
        overview.policy_domains.truncate(model::NAMES_SHOWN);
        let results_total = analysis.per_result.len();
        let results_counted_elsewhere = analysis
            .per_result
            .iter()
            .any(|row| row.sessions_counted_elsewhere > 0);
        if let Some(order) = request.results_order {
            crate::analysis::sort_result_rows(
                &mut analysis.per_result,
                order.column,
                order.descending,
            );
        }
        analysis.per_result.truncate(request.results_limit);
        overview.organizations.truncate(model::NAMES_SHOWN);
        let findings = std::mem::take(&mut analysis.diagnosis.findings);
        let problems = problems_page(findings, request, domain_count);
        analysis.diagnosis.findings = match request.tab {
            model::Tab::Problems => problems.shown,
            _ => Vec::new(),
        };
        let sources_rows_total = match request.tab {
            model::Tab::Sources => page_sources(&mut analysis.per_source, request),
            _ => {
                analysis.per_source = Vec::new();
                0
            }
        };
        let mx_total = analysis.per_mx.len();
        match request.tab {
            model::Tab::Mx => {
                if let Some(order) = request.mx_order {
                    crate::analysis::sort_mx_rows(
                        &mut analysis.per_mx,
                        order.column,
                        order.descending,
                    );
                }
                analysis.per_mx.truncate(PAGE_ROWS)
            }
            _ => analysis.per_mx = Vec::new(),
        }
        analysis.per_day = Vec::new();
        name_sources(&mut analysis, &self.set);
        let timeline = match request.tab {
            model::Tab::Timeline => view
                .tallies
                .per_day
                .rows(request.timeline_domain.as_deref(), false),
            _ => Vec::new(),
        };
        let timeline_days = timeline.len();
        let timeline_bars = crate::analysis::bars_by(
            &timeline,
            request.timeline_granularity,
            model::TIMELINE_BARS,
        );
        let mut timeline_rows = timeline;
        if let Some(order) = request.timeline_order {
            crate::analysis::sort_day_rows(&mut timeline_rows, order.column, order.descending);
        }
        timeline_rows.truncate(request.timeline_limit);
        let coverage = match request.tab {
            model::Tab::Coverage => Some(coverage::coverage(
                &self.set,
                &self.index,
                &view.selector,
                request.coverage_rows,
                request.coverage_cells,
            )),
            _ => None,
        };
        let comparison = match request.tab {
            model::Tab::Compare => {
                Some(self.comparison(request.compare.as_ref(), request.compare_order, PAGE_ROWS))
            }
            _ => None,
        };
        let inputs = match request.tab {
            model::Tab::Inputs => self
                .set
                .inputs
                .iter()
                .take(request.inputs_limit)
                .enumerate()
                .map(|(index, record)| self.input_row(index, record))
                .collect(),
            _ => Vec::new(),
        };
        PageModel {
            generation: self.generation,
            request: request.clone(),
            // Set by whoever knows the request's id (the worker).
            answers: 0,
            counts: self.counts,
            session_reports: self.set.reports.len(),
            analysis,
            findings_by_severity: problems.by_severity,
            findings_kept: problems.kept,
            finding_domains: problems.domains,
            findings_by_rule: problems.by_rule,
            domain_reports,
            diagnosis_pending: self.diagnosis_pending(),
            timeline_bars,
            timeline_rows,
            timeline_rows_total: timeline_days,
            sources_rows_total,
            inputs,
            inputs_total: self.set.inputs.len(),
            health_total,
            results_total,
            results_counted_elsewhere,
            mx_total,
            domain_count,
            organization_count,
            domain_rows,
            domain_rows_total,
            comparison,
            coverage,
            choices: {
                let mut choices = self.choices();
                for list in [
                    &mut choices.domains,
                    &mut choices.organizations,
                    &mut choices.policy_types,
                    &mut choices.result_types,
                    &mut choices.mx_hosts,
                ] {
                    list.truncate(model::CHOICES_SHOWN);
                }
                choices
            },
        }
    }

    fn input_row(&self, position: usize, record: &InputRecord) -> InputRow {
        // A mailbox of 100,000 messages is sent as its first children, and how many there are.
        fn shown(
            record: &InputRecord,
            path: String,
            cut: &mut Vec<model::CutChildren>,
        ) -> InputRecord {
            if record.children.len() > model::CHILDREN_SHOWN {
                cut.push(model::CutChildren {
                    path: path.clone(),
                    children: record.children.len(),
                    detail: record.detail(),
                });
            }
            InputRecord {
                name: record.name.clone(),
                role: record.role,
                size: record.size,
                format: record.format.clone(),
                email: record.email.clone(),
                not_read: record.not_read.clone(),
                outcome: record.outcome.clone(),
                children: record
                    .children
                    .iter()
                    .take(model::CHILDREN_SHOWN)
                    .enumerate()
                    .map(|(index, child)| shown(child, format!("{path}-{index}"), cut))
                    .collect(),
            }
        }
        let mut cut = Vec::new();
        let record = &shown(record, position.to_string(), &mut cut);
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
            cut,
        }
    }

    /// The reports behind a figure, under the current filter.
    pub fn reports_behind(&self, trace: &Trace) -> Vec<usize> {
        let view = self.view();
        let tallies = &view.tallies;
        match trace {
            Trace::All => self
                .index
                .candidates_or_all(self.filter(), self.set.reports.len())
                .into_iter()
                .filter(|&i| view.selector.select(i, &self.set.reports[i]).is_some())
                .collect(),
            Trace::Domain { domain } => {
                let mut reports: Vec<usize> = tallies
                    .per_result
                    .rows(true)
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
                .rows(true)
                .into_iter()
                .find(|row| &row.policy_domain == domain && &row.policy_type == policy_type)
                .map(|row| row.reports)
                .unwrap_or_default(),
            Trace::Organization { organization } => tallies
                .per_source
                .groups(true)
                .into_iter()
                .find(|group| &group.organization == organization)
                .map(|group| group.reports)
                .unwrap_or_default(),
            Trace::Source { organization, ip } => tallies
                .per_source
                .groups(true)
                .into_iter()
                .find(|group| &group.organization == organization)
                .and_then(|group| group.sources.into_iter().find(|s| &s.sending_ip == ip))
                .map(|source| source.reports)
                .unwrap_or_default(),
            Trace::Day { day, domain } => tallies
                .per_day
                .rows(domain.as_deref(), true)
                .into_iter()
                .find(|row| &row.day == day)
                .map(|row| row.reports)
                .unwrap_or_default(),
            Trace::Days { from, to, domain } => {
                let mut reports: Vec<usize> = tallies
                    .per_day
                    .rows(domain.as_deref(), true)
                    .into_iter()
                    .filter(|row| &row.day >= from && &row.day <= to)
                    .flat_map(|row| row.reports)
                    .collect();
                reports.sort_unstable();
                reports.dedup();
                reports
            }
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
                let raw = loaded.raw.as_ref().and_then(|packed| packed.unpack());
                let report = &loaded.report;
                Box::new(ReportDetail {
                    raw_kept: raw.is_some(),
                    // As given, but with its direction controls made visible, and cut past
                    // what a page can show at once (a forged field can be megabytes).
                    json: shown_json(&visible_controls(&match raw {
                        Some(raw) => pretty_json(&raw),
                        None => serde_json::to_string_pretty(report).unwrap_or_default(),
                    })),
                    extra_json: if report.extra.is_empty() {
                        String::new()
                    } else {
                        let extra = serde_json::to_string_pretty(&report.extra).unwrap_or_default();
                        shown_json(&visible_controls(&extra))
                    },
                    report: report.clone(),
                    source: loaded.source.clone(),
                    email: loaded.email.as_deref().cloned(),
                })
            }),
        }
    }

    fn summary(&self, index: usize) -> Option<ReportSummary> {
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
            .as_ref()
            .map_or_else(|| "(unnamed)".to_string(), String::from),
        report_id: report
            .report_id
            .clone()
            .unwrap_or_else(|| "(none)".to_string()),
        day: loaded.day.as_ref().map(String::from),
        source: loaded.source.clone(),
        notes: report.notes.clone(),
    }
}

/// The Problems view's page of findings.
struct ProblemsPage {
    shown: Vec<crate::analysis::Finding>,
    kept: usize,
    by_severity: [usize; 3],
    domains: Vec<String>,
    by_rule: bool,
}

/// The findings the Problems view's choices keep, the first `findings_limit` of them, with
/// evidence for the open ones only.
fn problems_page(
    findings: Vec<crate::analysis::Finding>,
    request: &ViewRequest,
    domain_count: usize,
) -> ProblemsPage {
    // A domain chosen shows that domain's own findings, whatever the reading asked for.
    let by_rule = request.problems_domain.is_none()
        && request
            .problems_by_rule
            .unwrap_or(domain_count > model::DOMAIN_LINES_MAX);
    let mut findings = if by_rule {
        crate::analysis::diagnosis::ranked(crate::analysis::diagnosis::group::by_rule(findings))
    } else {
        findings
    };
    use crate::analysis::Severity;
    let severity_index = |severity: Severity| match severity {
        Severity::Critical => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    };
    let mut by_severity = [0; 3];
    let mut domains = std::collections::BTreeSet::new();
    let mut seen: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for finding in &mut findings {
        by_severity[severity_index(finding.severity)] += 1;
        for domain in std::iter::once(&finding.policy_domain).chain(&finding.domains) {
            if domains.len() < model::CHOICES_SHOWN {
                domains.insert(domain.clone());
            }
        }
        let id = finding.id();
        let count = seen.entry(id.clone()).or_default();
        *count += 1;
        finding.key = if *count == 1 {
            id
        } else {
            format!("{id}-{count}")
        };
    }
    let kept: Vec<crate::analysis::Finding> = findings
        .into_iter()
        .filter(|f| {
            request
                .problems_domain
                .as_ref()
                .is_none_or(|domain| f.concerns(domain))
        })
        .filter(|f| request.severities[severity_index(f.severity)])
        .collect();
    let count = kept.len();
    let shown = kept
        .into_iter()
        .take(request.findings_limit)
        .map(|mut finding| {
            if !request.open_findings.contains(&finding.key) {
                finding.evidence = Vec::new();
            }
            finding.left_out = NamesLeftOut {
                mx_hosts: shorten(&mut finding.mx_hosts),
                sending_ips: shorten(&mut finding.sending_ips),
                reporters: shorten(&mut finding.reporters),
                domains: shorten(&mut finding.domains),
            };
            // A group holds the first rows of each member: the page gets the first of all.
            finding.evidence.truncate(model::EVIDENCE_ROWS);
            finding.parts_total = finding.parts.len();
            finding.parts.truncate(model::PARTS_SHOWN);
            for part in &mut finding.parts {
                part.left_out = NamesLeftOut {
                    mx_hosts: shorten(&mut part.mx_hosts),
                    reporters: shorten(&mut part.reporters),
                    ..NamesLeftOut::default()
                };
            }
            finding
        })
        .collect();
    ProblemsPage {
        shown,
        kept: count,
        by_severity,
        domains: domains.into_iter().collect(),
        by_rule,
    }
}

/// Names listed per finding on the page; the rest are counted (`Finding::left_out`).
const NAMES_SHOWN: usize = 20;

/// Cuts the list to [`NAMES_SHOWN`] and returns how many names it left out.
fn shorten(list: &mut Vec<String>) -> usize {
    let more = list.len().saturating_sub(NAMES_SHOWN);
    list.truncate(NAMES_SHOWN);
    more
}

/// The source of each evidence row's report, for the page.
fn name_sources(analysis: &mut Analysis, set: &ReportSet) {
    for finding in &mut analysis.diagnosis.findings {
        for row in &mut finding.evidence {
            row.source = set.reports.get(row.report_index).map(|r| r.source.clone());
        }
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

/// The most characters of a report's JSON the drill-down shows (real reports are 1 to 3 KB).
pub const DRILL_JSON_CHARS: usize = 256 * 1024;

/// The JSON as shown: whole, or its first [`DRILL_JSON_CHARS`] characters and a line that
/// says how long it is.
fn shown_json(json: &str) -> String {
    match json.char_indices().nth(DRILL_JSON_CHARS) {
        None => json.to_string(),
        Some((end, _)) => format!(
            "{}\n… (cut here: this JSON is {} characters long; the page shows its first {})",
            &json[..end],
            crate::text::thousands(json.chars().count() as u64),
            crate::text::thousands(DRILL_JSON_CHARS as u64)
        ),
    }
}

/// The page of the view by sending source: each organisation's rows in the request's order,
/// then the first `request.sources_limit` rows in all (each IP is a row, and so is an
/// organisation without any, which the page shows as one line). Returns the rows in all.
fn page_sources(groups: &mut Vec<crate::analysis::SourceGroup>, request: &ViewRequest) -> usize {
    let total = groups.iter().map(|group| group.sources.len().max(1)).sum();
    let mut budget = request.sources_limit;
    groups.retain_mut(|group| {
        if budget == 0 {
            return false;
        }
        if let Some(order) = request.sources_order {
            crate::analysis::sort_source_rows(&mut group.sources, order.column, order.descending);
        }
        group.sources.truncate(budget);
        budget -= group.sources.len().max(1);
        true
    });
    total
}
