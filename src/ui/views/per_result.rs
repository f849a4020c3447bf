//! The view per result: one row per policy domain and policy type.

use super::{report_trace, type_chips};
use crate::analysis::{format_rate, Analysis, COUNTING_RULE};
use crate::ingest::ReportSet;
use crate::ui::format::{slug, thousands};
use leptos::prelude::*;

#[component]
pub fn ResultsView(analysis: Memo<Analysis>, reports: RwSignal<ReportSet>) -> impl IntoView {
    let rows = move || {
        reports.with(|set| {
            analysis.with(|analysis| {
                analysis
                    .per_result
                    .iter()
                    .map(|row| {
                        let id = format!("result-row-{}-{}", slug(&row.policy_domain), slug(&row.policy_type));
                        let mut remarks = Vec::new();
                        if row.unitemised_failures > 0 {
                            remarks.push(format!(
                                "{} failed sessions have no failure details",
                                thousands(row.unitemised_failures)
                            ));
                        }
                        if row.excess_itemised_failures > 0 {
                            remarks.push(format!(
                                "the failure details count {} more sessions than the summary",
                                thousands(row.excess_itemised_failures)
                            ));
                        }
                        if row.sessions_counted_elsewhere > 0 {
                            remarks.push(format!(
                                "{} sessions also reported under the other policy type; the totals count them there",
                                thousands(row.sessions_counted_elsewhere)
                            ));
                        }
                        let no_failures = row.failures_by_type.is_empty() && row.failed_sessions == 0;
                        view! {
                            <tr data-testid=id>
                                <td data-col="domain" class="mono">{row.policy_domain.clone()}</td>
                                <td data-col="policy-type"><span class="tag">{row.policy_type.clone()}</span></td>
                                <td data-col="successful" class="num">{thousands(row.successful_sessions)}</td>
                                <td data-col="failed" class="num" class:poor-text=row.failed_sessions != 0>
                                    {thousands(row.failed_sessions)}
                                </td>
                                <td data-col="rate" class="num">{format_rate(row.successful_sessions, row.failed_sessions)}</td>
                                <td data-col="failures">
                                    {type_chips(&row.failures_by_type)}
                                    {no_failures.then(|| view! { <span class="muted">"none"</span> })}
                                    {remarks.into_iter().map(|r| view! { <div class="remark">{r}</div> }).collect_view()}
                                </td>
                                <td data-col="reports">{report_trace(set, &row.reports)}</td>
                            </tr>
                        }
                    })
                    .collect_view()
            })
        })
    };
    view! {
        <section class="view" aria-labelledby="results-title">
            <h2 id="results-title">"Sessions by policy domain and policy type"</h2>
            <p class="explain">
                "Each row adds up what senders reported for one recipient domain under one kind of policy: "
                <b>"sts"</b>" (MTA-STS), "<b>"tlsa"</b>" (DANE) or "<b>"no-policy-found"</b>
                ". Failed sessions come from the reports' summaries; the result types from their failure details. "
                {COUNTING_RULE}
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
                            <th scope="col">"Source"</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
