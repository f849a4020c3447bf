//! The page's state: what the worker last said (the page model, the progress of a load, the
//! drill-down's answer) and what the page asks for (filter, tab, pages). Fine-grained: each
//! view reads the signal or memo it needs, so an update patches only what changed.

use crate::analysis::{Analysis, Filter};
use crate::engine::model::{
    Choices, DrillAnswer, LoadProgress, PageModel, Tab, Trace, ViewRequest, PAGE_ROWS,
};
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct AppState {
    /// The worker's latest model of the page.
    pub model: RwSignal<PageModel>,
    /// Its figures and findings, changed only when they change.
    pub analysis: Memo<Analysis>,
    pub choices: Memo<Choices>,
    pub progress: RwSignal<Option<LoadProgress>>,
    /// "Stopped after 4,213 of 10,000 files; …", after a Cancel.
    pub stopped: RwSignal<Option<String>>,
    /// The figures of the last load that ended (for the benchmarks: see `ui::load_timing`).
    pub last_load: RwSignal<Option<LoadProgress>>,
    /// While a dropped folder is searched: how many files were found so far.
    pub scanning: RwSignal<Option<usize>>,
    pub tab: RwSignal<Tab>,
    /// How many pastes so far, to name each "pasted text N".
    pub pastes: RwSignal<usize>,
    /// The filters, mirrored in the URL fragment.
    pub filter: RwSignal<Filter>,
    /// The timeline's own domain choice ("" for all).
    pub timeline_domain: RwSignal<String>,
    /// Top-level inputs asked for in the Inputs view.
    pub inputs_limit: RwSignal<usize>,
    /// While `?src=` files are being fetched.
    pub preloading: RwSignal<bool>,
    /// The drill-down panel: what it shows, and the worker's answer.
    pub drill: RwSignal<Option<Drill>>,
    pub drill_answer: RwSignal<Option<DrillAnswer>>,
    /// The findings the user opened, by id: they stay open while the figures update.
    pub open_findings: RwSignal<std::collections::BTreeSet<String>>,
    /// The Problems view's own choices: a domain ("" for all), the severities shown
    /// (critical, warning, info), and how many findings it draws.
    pub problems_domain: RwSignal<String>,
    /// The findings one per rule across domains, per domain, or as the worker chooses (None).
    pub problems_by_rule: RwSignal<Option<bool>>,
    pub severities: RwSignal<[bool; 3]>,
    pub findings_limit: RwSignal<usize>,
    /// Health lines asked for.
    pub health_limit: RwSignal<usize>,
    /// The table by result: its order (the worker sorts every row) and the rows asked for.
    pub results_order: RwSignal<Option<crate::engine::model::RowOrder>>,
    pub results_limit: RwSignal<usize>,
    /// The table of domains: its search text, its order and the rows asked for.
    pub domains_search: RwSignal<String>,
    pub domains_order: RwSignal<Option<crate::engine::model::RowOrder>>,
    pub domains_limit: RwSignal<usize>,
    /// The periods compared (None: the loaded days cut in two), and the comparison's order.
    pub compare: RwSignal<Option<crate::engine::model::ComparePeriods>>,
    pub compare_order: RwSignal<Option<crate::engine::model::RowOrder>>,
    /// The MX view's order (None: most failures first).
    pub mx_order: RwSignal<Option<crate::engine::model::RowOrder>>,
    /// The coverage grid: reporters drawn, and cells listed in its table.
    pub coverage_rows: RwSignal<usize>,
    pub coverage_cells: RwSignal<usize>,
    /// Why the worker died, once it has: the page says so and offers to start again.
    pub worker_lost: RwSignal<Option<String>>,
    /// The view by sending source and the Timeline's table: sorted and paged by the worker.
    pub sources_order: RwSignal<Option<crate::engine::model::RowOrder>>,
    pub sources_limit: RwSignal<usize>,
    pub timeline_order: RwSignal<Option<crate::engine::model::RowOrder>>,
    pub timeline_limit: RwSignal<usize>,
    pub timeline_granularity: RwSignal<crate::analysis::Granularity>,
}

/// What the drill-down panel shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drill {
    /// The reports behind a figure.
    Reports(Trace),
    /// One report, and the list it was opened from, if any.
    Report(usize, Option<Trace>),
}

impl AppState {
    pub fn new() -> Self {
        let model = RwSignal::new(PageModel::default());
        AppState {
            model,
            analysis: Memo::new(move |_| model.with(|m| m.analysis.clone())),
            choices: Memo::new(move |_| model.with(|m| m.choices.clone())),
            progress: RwSignal::new(None),
            stopped: RwSignal::new(None),
            last_load: RwSignal::new(None),
            scanning: RwSignal::new(None),
            tab: RwSignal::new(Tab::Problems),
            pastes: RwSignal::new(0),
            filter: RwSignal::new(Filter::default()),
            timeline_domain: RwSignal::new(String::new()),
            inputs_limit: RwSignal::new(PAGE_ROWS),
            preloading: RwSignal::new(false),
            drill: RwSignal::new(None),
            drill_answer: RwSignal::new(None),
            open_findings: RwSignal::new(Default::default()),
            problems_domain: RwSignal::new(String::new()),
            problems_by_rule: RwSignal::new(None),
            severities: RwSignal::new([true; 3]),
            findings_limit: RwSignal::new(crate::engine::model::FINDINGS_PAGE),
            health_limit: RwSignal::new(crate::engine::model::HEALTH_PAGE),
            results_order: RwSignal::new(None),
            results_limit: RwSignal::new(crate::engine::model::RESULT_ROWS),
            domains_search: RwSignal::new(String::new()),
            domains_order: RwSignal::new(None),
            domains_limit: RwSignal::new(crate::engine::model::DOMAIN_ROWS),
            compare: RwSignal::new(None),
            compare_order: RwSignal::new(None),
            mx_order: RwSignal::new(None),
            coverage_rows: RwSignal::new(crate::engine::model::COVERAGE_ROWS),
            coverage_cells: RwSignal::new(crate::engine::model::COVERAGE_CELLS),
            worker_lost: RwSignal::new(None),
            sources_order: RwSignal::new(None),
            sources_limit: RwSignal::new(crate::engine::model::TABLE_ROWS),
            timeline_order: RwSignal::new(None),
            timeline_limit: RwSignal::new(crate::engine::model::TABLE_ROWS),
            timeline_granularity: RwSignal::new(Default::default()),
        }
    }

    /// What the page shows now, as the worker needs it (tracked).
    pub fn request(&self) -> ViewRequest {
        let domain = self.timeline_domain.get();
        let problems_domain = self.problems_domain.get();
        ViewRequest {
            filter: self.filter.get(),
            tab: self.tab.get(),
            timeline_domain: (!domain.is_empty()).then_some(domain),
            inputs_limit: self.inputs_limit.get(),
            problems_domain: (!problems_domain.is_empty()).then_some(problems_domain),
            severities: self.severities.get(),
            findings_limit: self.findings_limit.get(),
            problems_by_rule: self.problems_by_rule.get(),
            health_limit: self.health_limit.get(),
            results_order: self.results_order.get(),
            results_limit: self.results_limit.get(),
            domains_search: self.domains_search.get(),
            domains_order: self.domains_order.get(),
            domains_limit: self.domains_limit.get(),
            compare: self.compare.get(),
            compare_order: self.compare_order.get(),
            mx_order: self.mx_order.get(),
            coverage_rows: self.coverage_rows.get(),
            coverage_cells: self.coverage_cells.get(),
            sources_order: self.sources_order.get(),
            sources_limit: self.sources_limit.get(),
            timeline_order: self.timeline_order.get(),
            timeline_limit: self.timeline_limit.get(),
            timeline_granularity: self.timeline_granularity.get(),
            open_findings: self
                .open_findings
                .with(|open| open.iter().cloned().collect()),
        }
    }

    /// Whether anything was given yet (or is being read).
    pub fn has_inputs(&self) -> bool {
        self.model.with(|m| m.counts.files > 0)
    }
}
