//! The view per result: one row per policy domain and policy type.

use super::{report_trace, show_more_by, sortable_table, type_chips};
use crate::engine::model::{PageModel, ResultColumn, RowOrder};
use crate::engine::model::{ResultRow, COUNTING_RULE};
use crate::engine::model::{Trace, RESULT_ROWS};
use crate::engine::present::format_rate;
use crate::engine::present::{plural, slug, thousands};
use crate::ui::state::Field;
use leptos::prelude::*;

const COLUMNS: [(&str, bool, Option<ResultColumn>); 7] = [
    ("Policy domain", false, Some(ResultColumn::PolicyDomain)),
    ("Policy", false, Some(ResultColumn::PolicyType)),
    ("Successful", true, Some(ResultColumn::Successful)),
    ("Failed", true, Some(ResultColumn::Failed)),
    ("Success rate", true, Some(ResultColumn::SuccessRate)),
    (
        "Failures by result type",
        false,
        Some(ResultColumn::Failures),
    ),
    ("Reports", false, Some(ResultColumn::Reports)),
];

#[component]
pub fn ResultsView(
    model: RwSignal<PageModel>,
    results_order: Field<Option<RowOrder<ResultColumn>>>,
    results_limit: Field<usize>,
) -> impl IntoView {
    // The worker sorts every row and sends the first pages: the table draws them as sent.
    let sort = super::worker_sort(results_order, move || {
        model.with(|m| m.request.results_order)
    });
    let total = Memo::new(move |_| model.with(|m| m.results().map_or(0, |r| r.total)));
    // The table lives as long as the view: a new model patches its rows (see `in_chunks`).
    let rows = crate::ui::later::in_chunks(
        move || model.with(|m| m.results().map_or_else(Vec::new, |r| r.rows.clone())),
        result_row,
    );
    let more = move || {
        let shown = model.with(|m| m.results().map_or(0, |r| r.rows.len()));
        show_more_by(
            results_limit,
            shown,
            total.get(),
            RESULT_ROWS,
            "",
            "results-more",
        )
    };
    let table = view! {
        {sortable_table(Some("results-table"), &COLUMNS, sort, rows)}
        {more}
    };
    // Over every row, not only those sent.
    let any_counted_elsewhere =
        move || model.with(|m| m.results().is_some_and(|r| r.counted_elsewhere));
    view! {
        <section class="view" aria-labelledby="results-title">
            <h2 id="results-title">"Sessions by policy domain and policy type"</h2>
            <p class="explain">
                "Each row adds up what senders reported for one recipient domain under one kind of policy: "
                <b>"sts"</b>" (MTA-STS), "<b>"tlsa"</b>" (DANE) or "<b>"no-policy-found"</b>
                ". Failed sessions come from the reports' summaries, the result types from their failure details. \
                 Hover over a result type for its meaning; the reports of a row open the ones behind it."
            </p>
            {table}
            {move || {
                any_counted_elsewhere()
                    .then(|| view! { <p class="footnote" data-testid="counting-rule">{COUNTING_RULE}</p> })
            }}
        </section>
    }
}

/// Where the failures of a row and its summaries disagree, or its sessions count elsewhere.
fn remarks(row: &ResultRow) -> Vec<String> {
    let sessions = |count: u64| plural(count, "session", "sessions");
    let mut remarks = Vec::new();
    if row.unitemised_failures > 0 {
        remarks.push(format!(
            "{} without failure details",
            plural(row.unitemised_failures, "failed session", "failed sessions")
        ));
    }
    if row.excess_itemised_failures > 0 {
        remarks.push(format!(
            "the failure details count {} more than the summary",
            sessions(row.excess_itemised_failures)
        ));
    }
    if row.sessions_counted_elsewhere > 0 {
        remarks.push(format!(
            "{} also reported under the other policy type, and counted there in the totals",
            sessions(row.sessions_counted_elsewhere)
        ));
    }
    remarks
}

fn result_row(row: &ResultRow) -> impl IntoView {
    let id = format!(
        "result-row-{}-{}",
        slug(&row.policy_domain),
        slug(&row.policy_type)
    );
    let no_failures = row.failures_by_type.is_empty() && row.failed_sessions == 0;
    let remarks = remarks(row)
        .into_iter()
        .map(|remark| view! { <div class="remark">{remark}</div> })
        .collect_view();
    view! {
        <tr data-testid=id>
            <td data-col="domain" data-label="Policy domain" class="mono">{row.policy_domain.clone()}</td>
            <td data-col="policy-type" data-label="Policy"><span class="tag">{row.policy_type.clone()}</span></td>
            <td data-col="successful" data-label="Successful" class="num">{thousands(row.successful_sessions)}</td>
            <td data-col="failed" data-label="Failed" class="num" class:poor-text=row.failed_sessions != 0>
                {thousands(row.failed_sessions)}
            </td>
            <td data-col="rate" data-label="Success rate" class="num">
                {format_rate(row.successful_sessions, row.failed_sessions)}
            </td>
            <td data-col="failures" data-label="Failures">
                {type_chips(&row.failures_by_type)}
                {no_failures.then(|| view! { <span class="muted">"none"</span> })}
                {remarks}
            </td>
            <td data-col="reports" data-label="Reports">{report_trace(row.report_count, Trace::Result { domain: row.policy_domain.clone(), policy_type: row.policy_type.clone() })}</td>
        </tr>
    }
}
