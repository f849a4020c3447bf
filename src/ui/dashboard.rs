//! The dashboard: the figures, the filters, the tabs and the open view, drawn once reports
//! are loaded. It is in the page's second module (see [`super::split`]): the first paint does
//! not need it.

use super::state::{AppState, Field};
use super::views::{
    CompareView, CoverageView, HealthPanel, InputsView, MxView, OverviewPanel, ProblemsView,
    ResultsView, SourcesView, TimelineView,
};
use super::{bridge, filters, focus_by_id, later, print, views};
use crate::engine::model::{Export, Tab, ToWorker};
use crate::text::thousands;
use leptos::prelude::*;

/// Everything below the header once reports are loaded.
pub fn draw(state: AppState) -> AnyView {
    // The rows by result, printed below the findings (the Problems tab's model has them).
    let printed_results = Memo::new(move |_| state.model.with(|m| m.results().cloned()));
    let printed_overview = Memo::new(move |_| state.model.with(|m| m.overview.clone()));
    view! {
        <print::PrintHeader overview=printed_overview filter=state.filter />
        <views::LoadAlert model=state.model tab=state.tab />
        <filters::AllDomains filter=state.filter choices=state.choices />
        // Drawn in steps, one short task each, in the order of the page.
        <later::Later>
            <HealthPanel model=state.model health_limit=state.health_limit>
                <views::DomainsTable
                    model=state.model
                    domains_search=state.domains_search
                    domains_order=state.domains_order
                    domains_limit=state.domains_limit
                    filter=state.filter
                />
            </HealthPanel>
        </later::Later>
        <later::Later><filters::FilterBar filter=state.filter choices=state.choices tab=state.tab /></later::Later>
        <later::Later><OverviewPanel model=state.model /></later::Later>
        <later::Later>
            <div class="tab-row">
                <Tabs model=state.model tab=state.tab />
                <ExportBar tab=state.tab />
            </div>
        </later::Later>
        <later::Later>
            <div id="tab-panel" role="tabpanel" tabindex="-1" aria-labelledby=move || format!("tab-button-{}", state.tab.get().slug())>
            {move || match state.tab.get() {
                Tab::Problems => view! { <ProblemsView model=state.model severities=state.severities findings_limit=state.findings_limit problems_by_rule=state.problems_by_rule open_findings=state.open_findings /> }.into_any(),
                Tab::Timeline => view! { <TimelineView model=state.model timeline_granularity=state.timeline_granularity timeline_order=state.timeline_order timeline_limit=state.timeline_limit /> }.into_any(),
                Tab::Results => view! { <ResultsView model=state.model results_order=state.results_order results_limit=state.results_limit /> }.into_any(),
                Tab::Sources => view! { <SourcesView model=state.model sources_order=state.sources_order sources_limit=state.sources_limit /> }.into_any(),
                Tab::Mx => view! { <MxView model=state.model mx_order=state.mx_order /> }.into_any(),
                Tab::Compare => view! { <CompareView model=state.model compare=state.compare compare_order=state.compare_order /> }.into_any(),
                Tab::Coverage => view! { <CoverageView model=state.model coverage_rows=state.coverage_rows coverage_cells=state.coverage_cells /> }.into_any(),
                Tab::Inputs => view! { <InputsView model=state.model inputs_limit=state.inputs_limit /> }.into_any(),
            }}
            </div>
        </later::Later>
        <print::PrintSummary results=printed_results />
    }
    .into_any()
}

#[component]
fn Tabs(model: RwSignal<crate::engine::model::PageModel>, tab: Field<Tab>) -> impl IntoView {
    let problems_label = move || {
        let problems = model.with(|m| m.findings_by_severity[0] + m.findings_by_severity[1]);
        format!("Problems ({problems})")
    };
    let inputs_label = move || {
        let counts = model.with(|m| m.counts);
        // Emails without a report are expected in a mailbox; they are counted on the tab.
        let rejected = counts.rejected - counts.messages_without_report;
        if rejected > 0 {
            format!("Inputs ({} rejected)", thousands(rejected as u64))
        } else {
            format!("Inputs ({})", thousands(counts.files as u64))
        }
    };
    view! {
        <nav class="tabs" id="tabs" role="tablist">
            {tab_button(tab, Tab::Problems, "tab-problems", problems_label)}
            {tab_button(tab, Tab::Timeline, "tab-timeline", Tab::Timeline.title())}
            {tab_button(tab, Tab::Results, "tab-results", Tab::Results.title())}
            {tab_button(tab, Tab::Sources, "tab-sources", Tab::Sources.title())}
            {tab_button(tab, Tab::Mx, "tab-mx", Tab::Mx.title())}
            {tab_button(tab, Tab::Coverage, "tab-coverage", Tab::Coverage.title())}
            {tab_button(tab, Tab::Compare, "tab-compare", Tab::Compare.title())}
            {tab_button(tab, Tab::Inputs, "tab-inputs", inputs_label)}
        </nav>
    }
}

/// A tab's button. The tabs are one stop for Tab (the open one); the arrow keys, Home and
/// End move between them and open the tab they reach, as a tab list does.
fn tab_button(
    tab: Field<Tab>,
    which: Tab,
    test_id: &'static str,
    label: impl IntoView + 'static,
) -> impl IntoView {
    let on_key = move |event: leptos::ev::KeyboardEvent| {
        let place = Tab::ALL.iter().position(|t| *t == which).unwrap_or(0);
        let count = Tab::ALL.len();
        let next = match event.key().as_str() {
            "ArrowRight" => (place + 1) % count,
            "ArrowLeft" => (place + count - 1) % count,
            "Home" => 0,
            "End" => count - 1,
            _ => return,
        };
        event.prevent_default();
        tab.set(Tab::ALL[next]);
        focus_by_id(&format!("tab-button-{}", Tab::ALL[next].slug()));
    };
    view! {
        <button
            role="tab"
            class="tab"
            id=format!("tab-button-{}", which.slug())
            aria-controls="tab-panel"
            data-testid=test_id
            aria-selected=move || (tab.get() == which).to_string()
            tabindex=move || if tab.get() == which { "0" } else { "-1" }
            class:active=move || tab.get() == which
            on:click=move |_| tab.set(which)
            on:keydown=on_key
        >
            {label}
        </button>
    }
}

/// Downloads of what the page shows: the open view as CSV, the analysis as JSON. The worker
/// builds them from the same figures, and the page offers them as files.
#[component]
fn ExportBar(tab: Field<Tab>) -> impl IntoView {
    let csv = move |_| {
        bridge::send(&ToWorker::Export {
            what: Export::Csv(tab.get_untracked()),
        })
    };
    let json = move |_| {
        bridge::send(&ToWorker::Export {
            what: Export::AnalysisJson,
        })
    };
    let rows = move |_| bridge::send(&ToWorker::ExportRows);
    view! {
        <div class="export-bar" role="group" aria-labelledby="export-label">
            <span class="export-label" id="export-label">"Export"</span>
            <button class="button subtle" data-testid="export-csv" title="Download this view as CSV" aria-label="Export this view as CSV" on:click=csv>"CSV"</button>
            <button class="button subtle" data-testid="export-json" title="Download the analysis as JSON" aria-label="Export the analysis as JSON" on:click=json>"JSON"</button>
            <button class="button subtle" data-testid="export-rows" title="Download the reports as rows for DuckDB, ClickHouse or BigQuery (two NDJSON files, as the tlsrpt command writes them)" aria-label="Export the reports as rows (NDJSON)" on:click=rows>"Rows"</button>
        </div>
    }
}
