//! The page's state: the loaded reports, the progress of a load, and the open tab.

use crate::ingest::ReportSet;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct AppState {
    pub reports: RwSignal<ReportSet>,
    pub progress: RwSignal<Option<Progress>>,
    pub tab: RwSignal<Tab>,
}

/// Files read so far out of the files handed in, while a load runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub done: usize,
    pub total: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Results,
    Sources,
    Inputs,
}

impl AppState {
    pub fn new() -> Self {
        AppState {
            reports: RwSignal::new(ReportSet::new()),
            progress: RwSignal::new(None),
            tab: RwSignal::new(Tab::Results),
        }
    }
}
