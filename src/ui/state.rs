//! The page's state: what the worker last said (the page model, the progress of a load, the
//! drill-down's answer) and what the page asks for (filter, tab, pages). Fine-grained: each
//! view reads the signal or memo it needs, so an update patches only what changed.

use crate::engine::model::{
    Choices, CompareColumn, ComparePeriods, DayColumn, DomainColumn, DrillAnswer, LoadProgress,
    MxColumn, PageModel, ResultColumn, RowOrder, SourceColumn, Tab, Trace, ViewRequest,
};
use crate::engine::model::{Filter, Granularity};
use leptos::prelude::*;
use std::collections::BTreeSet;

#[derive(Clone, Copy)]
pub struct AppState {
    /// The worker's latest model of the page.
    pub model: RwSignal<PageModel>,
    pub choices: Memo<Choices>,
    pub progress: RwSignal<Option<LoadProgress>>,
    /// "Stopped after 4,213 of 10,000 files; …", after a Cancel.
    pub stopped: RwSignal<Option<String>>,
    /// The figures of the last load that ended (for the benchmarks: see `ui::load_timing`).
    pub last_load: RwSignal<Option<LoadProgress>>,
    /// While a dropped folder is searched: how many files were found so far.
    pub scanning: RwSignal<Option<usize>>,
    /// How many pastes so far, to name each "pasted text N".
    pub pastes: RwSignal<usize>,
    /// While `?src=` files are being fetched.
    pub preloading: RwSignal<bool>,
    /// Whether the user has loaded files of their own since the page opened or was cleared:
    /// leaving the page then asks first.
    pub own_files: RwSignal<bool>,
    /// "Keep in this browser": its box, and what a previous visit kept.
    pub keep: super::keep::Keep,
    /// The drill-down panel: what it shows, and the worker's answer.
    pub drill: DrillState,
    /// Why the worker died, once it has: the page says so and offers to start again.
    pub worker_lost: RwSignal<Option<String>>,
    /// What the page asks the worker for: one request, its defaults written once
    /// (`ViewRequest::default`), and Clear sets it back to them. The fields below read and
    /// write one part of it each, so that a view redraws only when its part changes.
    pub view: RwSignal<ViewRequest>,
    pub tab: Field<Tab>,
    /// The filters, kept in the page's history entry (see `filters::sync_with_url`).
    pub filter: Field<Filter>,
    /// Top-level inputs asked for in the Inputs view.
    pub inputs_limit: Field<usize>,
    /// The findings the user opened, by id: they stay open while the figures update.
    pub open_findings: Field<BTreeSet<String>>,
    /// The findings one per rule across domains, per domain, or as the worker chooses (None).
    pub problems_by_rule: Field<Option<bool>>,
    /// The Problems view's own choices: the severities shown (critical, warning, info), and
    /// how many findings it draws.
    pub severities: Field<[bool; 3]>,
    pub findings_limit: Field<usize>,
    /// Health lines asked for.
    pub health_limit: Field<usize>,
    /// The table by result: its order (the worker sorts every row) and the rows asked for.
    pub results_order: Field<Option<RowOrder<ResultColumn>>>,
    pub results_limit: Field<usize>,
    /// The table of domains: its search text, its order and the rows asked for.
    pub domains_search: Field<String>,
    pub domains_order: Field<Option<RowOrder<DomainColumn>>>,
    pub domains_limit: Field<usize>,
    /// The periods compared (None: the loaded days cut in two), and the comparison's order.
    pub compare: Field<Option<ComparePeriods>>,
    pub compare_order: Field<Option<RowOrder<CompareColumn>>>,
    /// The MX view's order (None: most failures first).
    pub mx_order: Field<Option<RowOrder<MxColumn>>>,
    /// The coverage grid: reporters drawn, and cells listed in its table.
    pub coverage_rows: Field<usize>,
    pub coverage_cells: Field<usize>,
    /// The view by sending source and the Timeline's table: sorted and paged by the worker.
    pub sources_order: Field<Option<RowOrder<SourceColumn>>>,
    pub sources_limit: Field<usize>,
    pub timeline_order: Field<Option<RowOrder<DayColumn>>>,
    pub timeline_limit: Field<usize>,
    pub timeline_granularity: Field<Granularity>,
}

/// One part of the page's [`ViewRequest`]: read through a memo of its own (a view that reads
/// it redraws when it changes, not when another part does), written into the one request.
pub struct Field<T: Send + Sync + 'static> {
    value: Memo<T>,
    view: RwSignal<ViewRequest>,
    write: fn(&mut ViewRequest, T),
}

impl<T: Send + Sync + 'static> Clone for Field<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for Field<T> {}

impl<T: Clone + PartialEq + Send + Sync + 'static> Field<T> {
    fn new(
        view: RwSignal<ViewRequest>,
        read: fn(&ViewRequest) -> T,
        write: fn(&mut ViewRequest, T),
    ) -> Self {
        Field {
            value: Memo::new(move |_| view.with(read)),
            view,
            write,
        }
    }

    /// The value (tracked).
    pub fn get(&self) -> T {
        self.value.get()
    }

    pub fn get_untracked(&self) -> T {
        self.value.get_untracked()
    }

    /// A look at the value (tracked).
    pub fn with<R>(&self, look: impl FnOnce(&T) -> R) -> R {
        self.value.with(look)
    }

    pub fn with_untracked<R>(&self, look: impl FnOnce(&T) -> R) -> R {
        self.value.with_untracked(look)
    }

    /// Writes the value into the request (a view reading another part does not redraw).
    pub fn set(&self, value: T) {
        let write = self.write;
        self.view.update(|request| write(request, value));
    }

    /// Changes the value in place.
    pub fn update(&self, change: impl FnOnce(&mut T)) {
        let mut value = self.value.get_untracked();
        change(&mut value);
        self.set(value);
    }
}

/// A field of the request read and written as it is.
macro_rules! field {
    ($view:expr, $name:ident) => {
        Field::new(
            $view,
            |request| request.$name.clone(),
            |request, value| request.$name = value,
        )
    };
}

/// What the drill-down panel shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Drill {
    /// The reports behind a figure.
    Reports(Trace),
    /// One report, and the list it was opened from, if any.
    Report(usize, Option<Trace>),
}

/// The drill-down panel's two signals: all the panel and its openers use of the page's state.
#[derive(Clone, Copy)]
pub struct DrillState {
    /// What the panel shows (None: it is closed).
    pub shown: RwSignal<Option<Drill>>,
    /// The worker's answer for it, once it came.
    pub answer: RwSignal<Option<DrillAnswer>>,
}

impl AppState {
    pub fn new() -> Self {
        let model = RwSignal::new(PageModel::default());
        let view = RwSignal::new(ViewRequest::default());
        AppState {
            model,
            choices: Memo::new(move |_| model.with(|m| m.choices.clone())),
            progress: RwSignal::new(None),
            stopped: RwSignal::new(None),
            last_load: RwSignal::new(None),
            scanning: RwSignal::new(None),
            pastes: RwSignal::new(0),
            preloading: RwSignal::new(false),
            own_files: RwSignal::new(false),
            keep: super::keep::Keep::new(),
            drill: DrillState {
                shown: RwSignal::new(None),
                answer: RwSignal::new(None),
            },
            worker_lost: RwSignal::new(None),
            view,
            tab: field!(view, tab),
            filter: field!(view, filter),
            inputs_limit: field!(view, inputs_limit),
            open_findings: Field::new(
                view,
                |request| request.open_findings.iter().cloned().collect(),
                |request, open| request.open_findings = open.into_iter().collect(),
            ),
            problems_by_rule: field!(view, problems_by_rule),
            severities: field!(view, severities),
            findings_limit: field!(view, findings_limit),
            health_limit: field!(view, health_limit),
            results_order: field!(view, results_order),
            results_limit: field!(view, results_limit),
            domains_search: field!(view, domains_search),
            domains_order: field!(view, domains_order),
            domains_limit: field!(view, domains_limit),
            compare: field!(view, compare),
            compare_order: field!(view, compare_order),
            mx_order: field!(view, mx_order),
            coverage_rows: field!(view, coverage_rows),
            coverage_cells: field!(view, coverage_cells),
            sources_order: field!(view, sources_order),
            sources_limit: field!(view, sources_limit),
            timeline_order: field!(view, timeline_order),
            timeline_limit: field!(view, timeline_limit),
            timeline_granularity: field!(view, timeline_granularity),
        }
    }

    /// What the page shows now, as the worker needs it (tracked).
    pub fn request(&self) -> ViewRequest {
        self.view.get()
    }

    /// Back to the request's defaults: every choice, page and order, the filter and the tab.
    pub fn reset_view(&self) {
        self.view.set(ViewRequest::default());
    }

    /// Whether anything was given yet (or is being read).
    pub fn has_inputs(&self) -> bool {
        self.model.with(|m| m.counts.files > 0)
    }
}
