//! Printing: a clean summary for colleagues (the browser's print-to-PDF makes the report).
//! The print stylesheet drops the page's controls and keeps the health lines, the problems
//! and the table by result, which is added here for print only. Before printing, every
//! finding opens, so that its explanation and fix are on paper.

use crate::engine::model::ResultsModel;
use crate::engine::present::format_rate;
use crate::engine::present::thousands;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    /// True between `beforeprint` and `afterprint`: the summary for paper is drawn only then,
    /// not at every update of the figures.
    static PRINTING: RwSignal<bool> = RwSignal::new(false);
}

/// Whether the page is being printed (the findings draw their bodies for paper).
pub fn printing() -> RwSignal<bool> {
    PRINTING.with(|printing| *printing)
}

/// Opens the findings before printing and closes again the ones it opened.
pub fn open_findings_for_print() {
    // Made here, under the app's own owner, so that no view that comes and goes owns it.
    let _ = printing();
    let _ = window_event_listener_untyped("beforeprint", |_| {
        printing().set(true);
        for details in findings() {
            if !details.open() {
                details.set_open(true);
                let _ = details.set_attribute("data-opened-for-print", "");
            }
        }
    });
    let _ = window_event_listener_untyped("afterprint", |_| {
        printing().set(false);
        for details in findings() {
            if details.has_attribute("data-opened-for-print") {
                details.set_open(false);
                let _ = details.remove_attribute("data-opened-for-print");
            }
        }
    });
}

fn findings() -> Vec<web_sys::HtmlDetailsElement> {
    let Ok(list) = document().query_selector_all(".finding details") else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into().ok())
        .collect()
}

/// The table by result, on paper only (drawn while printing).
#[component]
pub fn PrintSummary(results: Memo<Option<ResultsModel>>) -> impl IntoView {
    let printing = printing();
    move || {
        if !printing.get() {
            return None;
        }
        results.with(|results| {
            let results = results.as_ref()?;
            let (printed, total) = (results.rows.len(), results.total);
            // The page holds the first pages of rows; the CSV export has every row.
            let cut = (printed < total).then(|| {
                view! {
                    <p class="footnote" data-testid="print-rows-cut">
                        {format!(
                            "The first {} of {} rows are printed; the CSV export of the table by result has every row.",
                            thousands(printed as u64),
                            thousands(total as u64)
                        )}
                    </p>
                }
            });
            let rows = results
                .rows
                .iter()
                .map(|row| {
                    let types = row
                        .failures_by_type
                        .iter()
                        .map(|t| format!("{} {}", t.result_type, thousands(t.sessions)))
                        .collect::<Vec<_>>()
                        .join(", ");
                    view! {
                        <tr>
                            <td>{row.policy_domain.clone()}</td>
                            <td>{row.policy_type.clone()}</td>
                            <td class="num">{thousands(row.successful_sessions)}</td>
                            <td class="num">{thousands(row.failed_sessions)}</td>
                            <td class="num">{format_rate(row.successful_sessions, row.failed_sessions)}</td>
                            <td>{types}</td>
                        </tr>
                    }
                })
                .collect_view();
            Some(view! {
                <section class="print-only" data-testid="print-summary" aria-hidden="true">
                    <h2>"Sessions by policy domain and policy type"</h2>
                    <table class="data">
                        <thead>
                            <tr>
                                <th>"Policy domain"</th><th>"Policy"</th><th class="num">"Successful"</th>
                                <th class="num">"Failed"</th><th class="num">"Success rate"</th><th>"Failures by result type"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                    {cut}
                </section>
            })
        })
    }
}

/// At the top of every printout (drawn while printing): the app, the filter, the domain, the
/// period of the reports and when it was printed, so that a page passed on says what it is.
#[component]
pub fn PrintHeader(
    overview: Memo<crate::engine::model::Overview>,
    filter: crate::ui::state::Field<crate::engine::model::Filter>,
) -> impl IntoView {
    let printing = printing();
    move || {
        if !printing.get() {
            return None;
        }
        let (filter_line, domain) = filter.with(|f| {
            let line = if f.is_empty() {
                "Filter: none; every loaded report.".to_string()
            } else {
                format!("Filter: {}.", crate::ui::filters::describe(f))
            };
            (line, f.domain.clone())
        });
        let period = overview.with(|o| {
            let reports = crate::engine::present::plural(o.reports, "report", "reports");
            match crate::ui::views::period_of(o) {
                Some((span, days)) => format!("Period: {span} ({days}), {reports}."),
                None => format!("Period: no dates in the reports; {reports}."),
            }
        });
        // "2026-12-06T01:30:12.345Z" to "2026-12-06 01:30 UTC".
        let now = String::from(js_sys::Date::new_0().to_iso_string());
        let printed = format!(
            "Printed {} UTC",
            now.get(..16).unwrap_or(&now).replace('T', " ")
        );
        let title = match domain {
            Some(domain) => format!("TLS-RPT Viewer: {domain}"),
            None => "TLS-RPT Viewer: every domain".to_string(),
        };
        Some(view! {
            <header class="print-only print-header" data-testid="print-header">
                <p class="print-title">{title}</p>
                <p>{filter_line}" "{period}" "{printed}"."</p>
            </header>
        })
    }
}
