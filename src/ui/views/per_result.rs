//! The view per result: one row per policy domain and policy type.

use super::{report_trace, type_chips, with_analysis};
use crate::analysis::format::{plural, slug, thousands};
use crate::analysis::{format_rate, Analysis, COUNTING_RULE};
use crate::ingest::ReportSet;
use leptos::prelude::*;

#[component]
pub fn ResultsView(analysis: Memo<Analysis>, reports: RwSignal<ReportSet>) -> impl IntoView {
    let rows = move || {
        with_analysis(reports, analysis, |set, analysis| {
            analysis
                    .per_result
                    .iter()
                    .map(|row| {
                        let id = format!("result-row-{}-{}", slug(&row.policy_domain), slug(&row.policy_type));
                        let mut remarks = Vec::new();
                        if row.unitemised_failures > 0 {
                            remarks.push(format!(
                                "{} without failure details",
                                plural(row.unitemised_failures as usize, "failed session", "failed sessions")
                            ));
                        }
                        if row.excess_itemised_failures > 0 {
                            remarks.push(format!(
                                "the failure details count {} more than the summary",
                                plural(row.excess_itemised_failures as usize, "session", "sessions")
                            ));
                        }
                        if row.sessions_counted_elsewhere > 0 {
                            remarks.push(format!(
                                "{} also reported under the other policy type, and counted there in the totals",
                                plural(row.sessions_counted_elsewhere as usize, "session", "sessions")
                            ));
                        }
                        let no_failures = row.failures_by_type.is_empty() && row.failed_sessions == 0;
                        view! {
                            <tr data-testid=id>
                                <td data-col="domain" data-label="Policy domain" class="mono">{row.policy_domain.clone()}</td>
                                <td data-col="policy-type" data-label="Policy"><span class="tag">{row.policy_type.clone()}</span></td>
                                <td data-col="successful" data-label="Successful" class="num">{thousands(row.successful_sessions)}</td>
                                <td data-col="failed" data-label="Failed" class="num" class:poor-text=row.failed_sessions != 0>
                                    {thousands(row.failed_sessions)}
                                </td>
                                <td data-col="rate" data-label="Success rate" class="num">{format_rate(row.successful_sessions, row.failed_sessions)}</td>
                                <td data-col="failures" data-label="Failures">
                                    {type_chips(&row.failures_by_type)}
                                    {no_failures.then(|| view! { <span class="muted">"none"</span> })}
                                    {remarks.into_iter().map(|r| view! { <div class="remark">{r}</div> }).collect_view()}
                                </td>
                                <td data-col="reports" data-label="Reports">{report_trace(set, &row.reports)}</td>
                            </tr>
                        }
                    })
                    .collect_view()
        })
    };
    view! {
        <section class="view" aria-labelledby="results-title">
            <h2 id="results-title">"Sessions by policy domain and policy type"</h2>
            <p class="explain">
                "Each row adds up what senders reported for one recipient domain under one kind of policy: "
                <b>"sts"</b>" (MTA-STS), "<b>"tlsa"</b>" (DANE) or "<b>"no-policy-found"</b>
                ". Failed sessions come from the reports' summaries, the result types from their failure details. \
                 Hover over a result type for its meaning, and over the reports for the ones behind a row."
            </p>
            <div class="table-wrap">
                <table class="data" data-testid="results-table">
                    <thead>
                        <tr>
                            <th scope="col">"Policy domain"</th>
                            <th scope="col">"Policy"</th>
                            <th scope="col" class="num">"Successful"</th>
                            <th scope="col" class="num">"Failed"</th>
                            <th scope="col" class="num">"Success rate"</th>
                            <th scope="col">"Failures by result type"</th>
                            <th scope="col">"Reports"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {move || {
                analysis.with(|a| a.per_result.iter().any(|r| r.sessions_counted_elsewhere > 0))
                    .then(|| view! { <p class="footnote" data-testid="counting-rule">{COUNTING_RULE}</p> })
            }}
        </section>
    }
}
