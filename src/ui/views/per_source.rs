//! The view per sending source: each reporting organisation, then each sending MTA IP.

use super::{report_trace, show_more, sort_rows, sortable_table, type_chips, Key, Sort, PAGE};
use crate::analysis::format::{plural, slug, thousands};
use crate::analysis::{format_rate, Analysis, SourceGroup, SourceRow};
use crate::engine::model::Trace;
use leptos::prelude::*;

const COLUMNS: [(&str, bool); 6] = [
    ("Sending MTA IP", false),
    ("Failed", true),
    ("Failures by result type", false),
    ("Receiving MX hosts", false),
    ("Policy domains", false),
    ("Reports", false),
];

#[component]
pub fn SourcesView(analysis: Memo<Analysis>) -> impl IntoView {
    // One order and one page size for every organisation's table.
    let sort = RwSignal::new(None::<Sort>);
    let limit = RwSignal::new(PAGE);
    let groups = move || {
        let order = sort.get();
        let _ = limit.get();
        analysis.with(|analysis| {
            analysis
                .per_source
                .iter()
                .map(|group| source_group(group, order, sort, limit))
                .collect_view()
        })
    };
    view! {
        <section class="view" aria-labelledby="sources-title">
            <h2 id="sources-title">"Sessions by reporting organisation and sending server"</h2>
            <p class="explain">
                "Reports give successful sessions per policy only, so successes are shown per reporting \
                 organisation. Failures are listed per sending MTA IP from the reports' failure details, \
                 with the receiving MX hosts the senders tried to reach."
            </p>
            {groups}
        </section>
    }
}

fn key(row: &SourceRow, column: usize) -> Key {
    match column {
        0 => Key::Text(row.sending_ip.clone().unwrap_or_default()),
        1 => Key::Number(row.failed_sessions as f64),
        2 => Key::Number(
            row.failures_by_type
                .iter()
                .fold(0, |sum, t| crate::text::add_counts(sum, t.sessions)) as f64,
        ),
        3 => Key::Text(row.receiving_mx_hosts.join(" ")),
        4 => Key::Text(row.policy_domains.join(" ")),
        _ => Key::Number(row.report_count as f64),
    }
}

fn source_group(
    group: &SourceGroup,
    order: Option<Sort>,
    sort: RwSignal<Option<Sort>>,
    limit: RwSignal<usize>,
) -> impl IntoView {
    let org_id = slug(&group.organization);
    let sorted = sort_rows(&group.sources, order, key);
    let total = sorted.len();
    let rows = sorted
        .into_iter()
        .take(limit.get_untracked())
        .map(|source| {
            let ip_label = source.sending_ip.clone().unwrap_or_else(|| "not given".to_string());
            let id = format!(
                "source-row-{org_id}-{}",
                source.sending_ip.as_deref().map_or("not-given".to_string(), slug)
            );
            view! {
                <tr data-testid=id>
                    <td data-col="ip" data-label="Sending MTA IP" class="mono" class:muted=source.sending_ip.is_none()>{ip_label}</td>
                    <td data-col="failed" data-label="Failed" class="num poor-text">{thousands(source.failed_sessions)}</td>
                    <td data-col="failures" data-label="Failures">{type_chips(&source.failures_by_type)}</td>
                    <td data-col="mx" data-label="Receiving MX" class="mono">
                        {if source.receiving_mx_hosts.is_empty() {
                            view! { <span class="muted">"not given"</span> }.into_any()
                        } else {
                            source.receiving_mx_hosts.iter().map(|mx| view! { <div>{mx.clone()}</div> }).collect_view().into_any()
                        }}
                    </td>
                    <td data-col="domains" data-label="Policy domains" class="mono">{source.policy_domains.join(", ")}</td>
                    <td data-col="reports" data-label="Reports">{report_trace(source.report_count, Trace::Source { organization: group.organization.clone(), ip: source.sending_ip.clone() })}</td>
                </tr>
            }
        })
        .collect_view();
    let itemised = group
        .sources
        .iter()
        .fold(0, |sum, s| crate::text::add_counts(sum, s.failed_sessions));
    let mismatch = (!group.sources.is_empty() && itemised != group.failed_sessions).then(|| {
        view! {
            <p class="remark" data-testid=format!("source-mismatch-{org_id}")>
                {format!(
                    "The failure details below count {}, the reports' summaries {}.",
                    plural(itemised, "failed session", "failed sessions"),
                    thousands(group.failed_sessions)
                )}
            </p>
        }
    });
    let table = if group.sources.is_empty() {
        view! { <p class="muted no-failures">"No failures reported by this organisation."</p> }
            .into_any()
    } else {
        view! {
            {sortable_table(None, &COLUMNS, &[], sort, rows)}
            {show_more(limit, total, "sources-more")}
        }
        .into_any()
    };
    view! {
        <article class="group" data-testid=format!("source-org-{org_id}")>
            <header class="group-head">
                <h3>{group.organization.clone()}</h3>
                <span class="group-figures">
                    <span data-col="successful">{thousands(group.successful_sessions)}</span>" successful · "
                    <span data-col="failed" class:poor-text=group.failed_sessions != 0>{thousands(group.failed_sessions)}</span>" failed · "
                    <span data-col="rate">{format_rate(group.successful_sessions, group.failed_sessions)}</span>" · "
                    {report_trace(group.report_count, Trace::Organization { organization: group.organization.clone() })}
                </span>
            </header>
            {mismatch}
            {table}
        </article>
    }
}
