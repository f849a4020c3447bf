//! The view per sending source: each reporting organisation, then each sending MTA IP. The
//! worker sorts each organisation's rows (one order for all of them) and sends the first
//! rows in all; "Show more" asks it for more.

use super::{report_trace, show_more_by, sortable_table, type_chips};
use crate::engine::model::SourceGroup;
use crate::engine::model::{PageModel, RowOrder};
use crate::engine::model::{Trace, TABLE_ROWS};
use crate::engine::present::format_rate;
use crate::engine::present::{plural, slug, thousands};
use crate::ui::state::Field;
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
pub fn SourcesView(
    model: RwSignal<PageModel>,
    sources_order: Field<Option<RowOrder>>,
    sources_limit: Field<usize>,
) -> impl IntoView {
    let sort = super::worker_sort(sources_order);
    let total = Memo::new(move |_| model.with(|m| m.sources().map_or(0, |s| s.rows_total)));
    let groups = move || {
        model.with(|m| {
            let sent = m.sources().map_or(&[][..], |s| &s.groups[..]);
            let shown: usize = sent.iter().map(|group| group.sources.len().max(1)).sum();
            let groups = sent
                .iter()
                .map(|group| source_group(group, sort))
                .collect_view();
            let more = show_more_by(
                sources_limit,
                shown,
                total.get(),
                TABLE_ROWS,
                " rows",
                "sources-more",
            );
            view! { {groups} {more} }
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

fn source_group(group: &SourceGroup, sort: RwSignal<Option<super::Sort>>) -> impl IntoView {
    let org_id = slug(&group.organization);
    let organization = group.organization.clone();
    let row_org_id = org_id.clone();
    let rows = crate::ui::later::in_chunks(group.sources.clone(), move |source| {
        let org_id = &row_org_id;
        let ip_label = source
            .sending_ip
            .clone()
            .unwrap_or_else(|| "not given".to_string());
        let id = format!(
            "source-row-{org_id}-{}",
            source
                .sending_ip
                .as_deref()
                .map_or("not-given".to_string(), slug)
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
                <td data-col="reports" data-label="Reports">{report_trace(source.report_count, Trace::Source { organization: organization.clone(), ip: source.sending_ip.clone() })}</td>
            </tr>
        }
    });
    // Over every row, not only those sent.
    let itemised = group.itemised_failed_sessions;
    let mismatch = (group.sources_total > 0 && itemised != group.failed_sessions).then(|| {
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
    let cut = (group.sources.len() < group.sources_total).then(|| {
        view! {
            <p class="muted" data-testid=format!("sources-cut-{org_id}")>
                {format!(
                    "{} of {} sending IPs shown; \"Show more\" below lists more, and the CSV export lists them all.",
                    thousands(group.sources.len() as u64),
                    thousands(group.sources_total as u64)
                )}
            </p>
        }
    });
    let table = if group.sources_total == 0 {
        view! { <p class="muted no-failures">"No failures reported by this organisation."</p> }
            .into_any()
    } else {
        view! {
            {sortable_table(None, &COLUMNS, &[], sort, rows)}
            {cut}
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
