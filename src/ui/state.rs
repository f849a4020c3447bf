//! The page's state: the loaded reports, the progress of a load, and the open tab.

use crate::analysis::Filter;
use crate::ingest::ReportSet;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct AppState {
    pub reports: RwSignal<ReportSet>,
    pub progress: RwSignal<Option<Progress>>,
    /// While a dropped folder is searched: how many files were found so far.
    pub scanning: RwSignal<Option<usize>>,
    pub tab: RwSignal<Tab>,
    /// How many pastes so far, to name each "pasted text N".
    pub pastes: RwSignal<usize>,
    /// The filters, mirrored in the URL fragment.
    pub filter: RwSignal<Filter>,
    /// While `?src=` files are being fetched.
    pub preloading: RwSignal<bool>,
    /// The drill-down panel: the reports behind a figure, or one report.
    pub drill: RwSignal<Option<super::views::drill::Drill>>,
}

/// The reports the views show: all of them, or the filtered copy while a filter is set.
#[derive(Clone, Copy)]
pub struct Shown {
    pub all: RwSignal<ReportSet>,
    pub filtered: Memo<Option<ReportSet>>,
}

impl Shown {
    pub fn new(all: RwSignal<ReportSet>, filter: RwSignal<Filter>) -> Self {
        // Always "changed": comparing two report sets would cost as much as the filtering.
        let filtered = Memo::new_with_compare(
            move |_| {
                let filter = filter.get();
                (!filter.is_empty()).then(|| all.with(|set| filter.apply(set)))
            },
            |_, _| true,
        );
        Shown { all, filtered }
    }

    /// Reads the shown reports (tracked).
    pub fn with<R>(&self, read: impl FnOnce(&ReportSet) -> R) -> R {
        self.filtered.with(|filtered| match filtered {
            Some(set) => read(set),
            None => self.all.with(read),
        })
    }
}

/// Files read so far out of the files handed in, while a load runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
    /// Where the reading of a large mailbox or archive stands ("300 of 5,000 items in x").
    pub inside: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Problems,
    Timeline,
    Results,
    Sources,
    Inputs,
}

impl AppState {
    pub fn new() -> Self {
        AppState {
            reports: RwSignal::new(ReportSet::new()),
            progress: RwSignal::new(None),
            scanning: RwSignal::new(None),
            tab: RwSignal::new(Tab::Problems),
            pastes: RwSignal::new(0),
            filter: RwSignal::new(Filter::default()),
            preloading: RwSignal::new(false),
            drill: RwSignal::new(None),
        }
    }
}
