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
mod tabs;
pub use exports::ExportFile;
mod index;
pub mod model;
pub mod present;
pub mod rows;
pub mod summary;
mod view;

use crate::analysis::diagnosis::FilteredSessions;
use crate::analysis::format::pretty_json;
use crate::analysis::sorting::sort;
use crate::analysis::{Analysis, Diagnosis, Filter};
use crate::ingest::{IngestNode, InputCounts, InputRecord, LoadedReport, Outcome, ReportSet};
use crate::text::visible_controls;
use index::Index;
use model::{
    Choices, DrillAnswer, InputRow, InputsModel, PageModel, ReportDetail, ReportSummary, Tab,
    TabModel, Trace, ViewRequest, EVIDENCE_ROWS, PAGE_ROWS,
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

    /// An empty session that follows `previous` (Clear): its models count on from the last
    /// model of the one it replaces, so that the page, which keeps a model only when it is not
    /// older than the one it shows, never takes the new session's first models for stale ones.
    pub fn after(previous: &Session) -> Self {
        let mut session = Session::new();
        session.set.today = previous.set.today;
        session.generation = previous.generation + 1;
        session
    }

    /// Adds the result of reading one input: each report in it is deduplicated, indexed and
    /// counted once. Returns how many new reports it held.
    pub fn add(&mut self, input: IngestNode) -> usize {
        let first_new = self.set.reports.len();
        let reused = self.set.add_input(input);
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
        }
        // The "report-id reused" note belongs to the domain of the first copy's first policy.
        for index in reused {
            if let Some(entry) = self.set.reports[index].report.policies.first() {
                let domain = crate::analysis::domain_key(entry);
                self.base.recheck(&domain);
                if let Some(view) = &mut self.filtered {
                    view.recheck(&domain);
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

    /// Whether some domain's findings are out of date under the current filter (or, under a
    /// filter that narrows a domain's reports, its own health line: see [`Session::own_health`]).
    pub fn diagnosis_pending(&self) -> bool {
        self.view().diagnosis_pending() || self.own_lines_pending()
    }

    /// Under a filter that narrows domains' reports: whether the own line of a domain the
    /// filter shows is out of date (only those domains are diagnosed without the filter: an
    /// organisation that reports on 3 of 500 domains costs 3).
    fn own_lines_pending(&self) -> bool {
        narrowing(&self.filtered).is_some_and(|view| self.base.pending_among(view.domains()))
    }

    /// The health lines (figures and verdict) under a filter that narrows domains' reports are
    /// each domain's own, over every report, with the filter's sessions beside them: "0.0% of
    /// 2,241 sessions" under a result-type filter was the failed sessions of that type alone,
    /// where the domain's truth was 23.3% of 5,958; under a reporter's filter, "11.7% of 34"
    /// where it was 96.9% of 2,917. The findings stay the filter's.
    fn own_health(&self, mut diagnosis: Diagnosis) -> Diagnosis {
        if let Some(view) = narrowing(&self.filtered) {
            let details_only = view.selector.filter().narrows_details();
            for line in &mut diagnosis.domains {
                if let Some(own) = self.base.health_line(&line.policy_domain) {
                    let filtered = FilteredSessions {
                        successful_sessions: line.successful_sessions,
                        failed_sessions: line.failed_sessions,
                        details_only,
                    };
                    *line = own.clone();
                    line.filtered = Some(filtered);
                }
            }
        }
        diagnosis
    }

    /// Runs the diagnosis again, under the current filter, for the domains that changed since
    /// it last ran (and without it, for the health lines, under a filter that narrows domains).
    pub fn diagnose(&mut self) {
        let view = self.filtered.as_mut().unwrap_or(&mut self.base);
        view.diagnose(&self.set, &self.index);
        if let Some(view) = narrowing(&self.filtered) {
            self.base
                .diagnose_among(&self.set, &self.index, view.domains(), None);
        }
    }

    /// The findings and health lines as they stand (call [`Session::diagnose`] first for
    /// up-to-date ones).
    pub fn current_diagnosis(&self) -> Diagnosis {
        self.own_health(self.view().diagnosis(None))
    }

    /// Runs the diagnosis for some of the domains that changed, up to about `reports` reports
    /// (whole domains): a caller that yields between calls stays responsive. True while some
    /// domains remain.
    pub fn diagnose_some(&mut self, reports: usize) -> bool {
        let view = self.filtered.as_mut().unwrap_or(&mut self.base);
        if view.diagnose_some(&self.set, &self.index, reports) {
            return true;
        }
        narrowing(&self.filtered).is_some_and(|view| {
            self.base
                .diagnose_among(&self.set, &self.index, view.domains(), Some(reports))
        })
    }

    /// Everything the views show under the current filter, with every report list, as
    /// `summarize` prints it. Brings the diagnosis up to date first.
    pub fn analysis(&mut self) -> Analysis {
        self.analysis_with(true)
    }

    /// [`Session::analysis`]; without `lists`, each row gives only how many reports are behind
    /// it.
    pub fn analysis_with(&mut self, lists: bool) -> Analysis {
        self.diagnose();
        self.view()
            .tallies
            .analysis(self.counts, self.current_diagnosis(), lists)
    }

    /// Two periods side by side under the current filter (the loaded days cut in two when
    /// `periods` is None); the first `limit` domains.
    pub fn comparison(
        &self,
        periods: Option<&model::ComparePeriods>,
        order: Option<model::RowOrder<model::CompareColumn>>,
        limit: usize,
    ) -> model::Comparison {
        let (before, after) = match periods {
            Some(periods) => (Some(periods.before), Some(periods.after)),
            None => match self.view().tallies.per_day.span() {
                Some((first, last)) => {
                    let (before, after) = compare::halves(first, last);
                    (Some(before), Some(after))
                }
                None => (None, None),
            },
        };
        compare::compare(
            &self.set,
            &self.index,
            self.view().selector.filter(),
            before,
            after,
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
        self.per_day_with(domain, true)
    }

    /// [`Session::per_day`]; without `lists`, each day gives only its number of reports.
    pub fn per_day_with(&self, domain: Option<&str>, lists: bool) -> Vec<crate::analysis::DayRow> {
        self.view().tallies.per_day.rows(domain, lists)
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
    /// it changed), then gives what every tab shares (the overview, the choices, the findings'
    /// counts) and the open tab's model, built by that tab's module from the tallies.
    pub fn page(&mut self, request: &ViewRequest) -> PageModel {
        self.set_filter(&request.filter);
        let view = self.view();
        let tallies = &view.tallies;
        let mut overview = tallies.overview.overview(self.counts);
        let (domain_count, organization_count) =
            (overview.policy_domains.len(), overview.organizations.len());
        overview.policy_domains.truncate(model::NAMES_SHOWN);
        overview.organizations.truncate(model::NAMES_SHOWN);
        let diagnosis = self.own_health(view.diagnosis(Some(EVIDENCE_ROWS)));
        // Every tab's header counts the findings as the Problems view groups them.
        let findings = tabs::problems::problems_page(diagnosis.findings, request, domain_count);
        let findings_by_severity = findings.by_severity;
        let tab = match request.tab {
            Tab::Problems => TabModel::Problems(Box::new(tabs::problems::problems(
                diagnosis.domains,
                findings,
                &tallies.per_result,
                &tallies.per_day,
                &self.set,
                request,
            ))),
            Tab::Timeline => {
                TabModel::Timeline(tabs::timeline::timeline(&tallies.per_day, request))
            }
            Tab::Results => TabModel::Results(tabs::results::results(&tallies.per_result, request)),
            Tab::Sources => TabModel::Sources(tabs::sources::sources(&tallies.per_source, request)),
            Tab::Mx => TabModel::Mx(tabs::mx::mx(&tallies.per_mx, request)),
            Tab::Coverage => TabModel::Coverage(coverage::coverage(
                &self.set,
                &self.index,
                &view.selector,
                request.coverage_rows,
                request.coverage_cells,
            )),
            Tab::Compare => TabModel::Compare(self.comparison(
                request.compare.as_ref(),
                request.compare_order,
                PAGE_ROWS,
            )),
            Tab::Inputs => TabModel::Inputs(InputsModel {
                inputs: self
                    .set
                    .inputs
                    .iter()
                    .take(request.inputs_limit)
                    .enumerate()
                    .map(|(index, record)| self.input_row(index, record))
                    .collect(),
                total: self.set.inputs.len(),
            }),
        };
        PageModel {
            generation: self.generation,
            request: request.clone(),
            // Set by whoever knows the request's id (the worker).
            answers: 0,
            counts: self.counts,
            session_reports: self.set.reports.len(),
            set_aside: if self.set.reports.is_empty() || self.counts.rejected > 0 {
                set_aside(&self.set.inputs, model::SET_ASIDE_SHOWN)
            } else {
                Vec::new()
            },
            overview,
            domain_count,
            organization_count,
            findings_by_severity,
            diagnosis_pending: self.diagnosis_pending(),
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
            tab,
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
                sort(&mut reports);
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
                .find(|row| row.day == *day)
                .map(|row| row.reports)
                .unwrap_or_default(),
            Trace::Days { from, to, domain } => {
                let mut reports: Vec<usize> = tallies
                    .per_day
                    .rows(domain.as_deref(), true)
                    .into_iter()
                    .filter(|row| row.day >= *from && row.day <= *to)
                    .flat_map(|row| row.reports)
                    .collect();
                sort(&mut reports);
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

    /// One report, every field and its JSON as given (the first part of a long one).
    pub fn drill_report(&self, index: usize) -> DrillAnswer {
        self.drill_report_part(index, 0)
    }

    /// One report, every field and part `part` of its JSON as given.
    pub fn drill_report_part(&self, index: usize, part: usize) -> DrillAnswer {
        DrillAnswer::Report {
            index,
            detail: self.set.reports.get(index).map(|loaded| {
                let raw = loaded.raw.as_ref().and_then(|packed| packed.unpack());
                let report = &loaded.report;
                // As given, but with its direction controls made visible, and in parts of
                // what a page can show at once (a forged field can be megabytes).
                let (json, json_part, json_parts) = match &raw {
                    Some(raw) => json_part(&visible_controls(&pretty_json(raw)), part),
                    None => (String::new(), 0, 0),
                };
                Box::new(ReportDetail {
                    raw_kept: raw.is_some(),
                    json,
                    json_part,
                    json_parts,
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

/// The filtered view, when its filter narrows domains' reports (anything but a domain): the
/// domains it shows then get their own lines, made without it (see `Session::own_health`).
fn narrowing(filtered: &Option<View>) -> Option<&View> {
    filtered
        .as_ref()
        .filter(|view| view.selector.filter().narrows_reports())
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
        day: loaded.day,
        source: loaded.source.clone(),
        notes: report.notes.clone(),
    }
}

/// The most characters of a report's JSON the drill-down shows (real reports are 1 to 3 KB).
pub const DRILL_JSON_CHARS: usize = 256 * 1024;

/// Part `part` (from 0; past the last, the last) of a JSON text cut every
/// [`DRILL_JSON_CHARS`] characters, the part shown, and how many parts there are.
fn json_part(json: &str, part: usize) -> (String, usize, usize) {
    let chars = json.chars().count();
    let parts = chars.div_ceil(DRILL_JSON_CHARS).max(1);
    let part = part.min(parts - 1);
    let start = part * DRILL_JSON_CHARS;
    let mut offsets = json
        .char_indices()
        .map(|(offset, _)| offset)
        .skip(start)
        .step_by(DRILL_JSON_CHARS);
    let from = offsets.next().unwrap_or(json.len());
    let to = offsets.next().unwrap_or(json.len());
    (json[from..to].to_string(), part, parts)
}

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

/// The first `limit` inputs (or pieces of inputs) set aside, depth first, each with its
/// reason: what the page's load notice names, and what the `tlsrpt` command says of each.
pub fn set_aside(inputs: &[InputRecord], limit: usize) -> Vec<model::SetAside> {
    fn walk(record: &InputRecord, path: &str, limit: usize, found: &mut Vec<model::SetAside>) {
        if found.len() >= limit {
            return;
        }
        let name = crate::ingest::child_path(path, &record.name);
        if let Outcome::Rejected { reason } = &record.outcome {
            found.push(model::SetAside {
                name: name.clone(),
                reason: reason.clone(),
            });
        }
        for child in &record.children {
            walk(child, &name, limit, found);
        }
    }
    let mut found = Vec::new();
    for record in inputs {
        walk(record, "", limit, &mut found);
    }
    found
}
