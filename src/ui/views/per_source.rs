//! The view per sending source: each reporting organisation, then each sending MTA IP. The
//! worker sorts each organisation's rows (one order for all of them) and sends the first
//! rows in all; "Show more" asks it for more.

use super::{report_trace, show_more_by, sortable_table, type_chips};
use crate::engine::model::{PageModel, RowOrder, SourceColumn};
use crate::engine::model::{SourceGroup, SourceRow};
use crate::engine::model::{Trace, SOURCE_ROWS};
use crate::engine::present::format_rate;
use crate::engine::present::{plural, slug, thousands};
use crate::ui::state::Field;
use leptos::prelude::*;

const COLUMNS: [(&str, bool, Option<SourceColumn>); 8] = [
    ("Sending MTA IP", false, Some(SourceColumn::SendingIp)),
    ("Failed", true, Some(SourceColumn::Failed)),
    (
        "Failures by result type",
        false,
        Some(SourceColumn::Failures),
    ),
    ("Receiving MX hosts", false, Some(SourceColumn::MxHosts)),
    ("Policy domains", false, Some(SourceColumn::PolicyDomains)),
    ("Reports", false, Some(SourceColumn::Reports)),
    ("First day", false, Some(SourceColumn::FirstDay)),
    ("Last day", false, Some(SourceColumn::LastDay)),
];

#[component]
pub fn SourcesView(
    model: RwSignal<PageModel>,
    sources_order: Field<Option<RowOrder<SourceColumn>>>,
    sources_limit: Field<usize>,
) -> impl IntoView {
    let sort = super::worker_sort(sources_order, move || {
        model.with(|m| m.request.sources_order)
    });
    let total = Memo::new(move |_| model.with(|m| m.sources().map_or(0, |s| s.rows_total)));
    // The groups live as long as the view, keyed by organisation; each follows its own part
    // of each new model and patches its rows (see `in_chunks`).
    let sent =
        Memo::new(move |_| model.with(|m| m.sources().map_or_else(Vec::new, |s| s.groups.clone())));
    let place = Memo::new(move |_| {
        sent.with(|groups| {
            groups
                .iter()
                .enumerate()
                .map(|(index, group)| (group.organization.clone(), index))
                .collect::<std::collections::HashMap<_, _>>()
        })
    });
    let more = move || {
        let shown: usize =
            sent.with(|groups| groups.iter().map(|group| group.sources.len().max(1)).sum());
        show_more_by(
            sources_limit,
            shown,
            total.get(),
            SOURCE_ROWS,
            " rows",
            "sources-more",
        )
    };
    let groups = view! {
        <For
            each=move || sent.with(|groups| groups.iter().map(|g| g.organization.clone()).collect::<Vec<_>>())
            key=|organization| organization.clone()
            children=move |organization| {
                let wanted = organization.clone();
                let group = Memo::new(move |_| {
                    let index = place.with(|place| place.get(&wanted).copied());
                    index.and_then(|index| sent.with(|groups| groups.get(index).cloned()))
                });
                source_group(organization, group, sort)
            }
        />
        {more}
    };
    view! {
        <section class="view" aria-labelledby="sources-title">
            <h2 id="sources-title">"Sessions by reporting organisation and sending server"</h2>
            <p class="explain">
                "Reports give successful sessions per policy only, so successes are shown per reporting \
                 organisation. Failures are listed per sending MTA IP from the reports' failure details, \
                 with the receiving MX hosts the senders tried to reach and the first and last day \
                 of the reports that give them. The organisations with the most failures come first."
            </p>
            {groups}
        </section>
    }
}

/// One organisation: its figures, then its sending IPs. `group` follows the organisation's
/// part of each model (`None` once it is gone, just before the group is removed).
fn source_group(
    organization: String,
    group: Memo<Option<SourceGroup>>,
    sort: super::TableSort<SourceColumn>,
) -> impl IntoView {
    let org_id = slug(&organization);
    let figure = move |read: fn(&SourceGroup) -> u64| group.with(|g| g.as_ref().map_or(0, read));
    let row_org_id = org_id.clone();
    let row_organization = organization.clone();
    let rows = crate::ui::later::in_chunks(
        move || group.with(|g| g.as_ref().map_or_else(Vec::new, |g| g.sources.clone())),
        move |source| source_row(&row_org_id, &row_organization, source),
    );
    // Over every row, not only those sent.
    let mismatch_id = format!("source-mismatch-{org_id}");
    let mismatch = move || {
        group.with(|g| {
            let g = g.as_ref()?;
            let itemised = g.itemised_failed_sessions;
            (g.sources_total > 0 && itemised != g.failed_sessions).then(|| {
                view! {
                    <p class="remark" data-testid=mismatch_id.clone()>
                        {format!(
                            "The failure details below count {}, the reports' summaries {}.",
                            plural(itemised, "failed session", "failed sessions"),
                            thousands(g.failed_sessions)
                        )}
                    </p>
                }
            })
        })
    };
    let cut_id = format!("sources-cut-{org_id}");
    let cut = move || {
        group.with(|g| {
            let g = g.as_ref()?;
            (g.sources.len() < g.sources_total).then(|| {
                view! {
                    <p class="muted" data-testid=cut_id.clone()>
                        {format!(
                            "{} of {} sending IPs shown; \"Show more\" below lists more, and the CSV export lists them all.",
                            thousands(g.sources.len() as u64),
                            thousands(g.sources_total as u64)
                        )}
                    </p>
                }
            })
        })
    };
    // The table stays in place (hidden while the organisation has no failures), so that a new
    // model patches its rows rather than drawing them again.
    let has_failures =
        Memo::new(move |_| group.with(|g| g.as_ref().is_some_and(|g| g.sources_total > 0)));
    let table = view! {
        <div hidden=move || !has_failures.get()>
            {sortable_table(None, &COLUMNS, sort, rows)}
            {cut}
        </div>
        {move || {
            (!has_failures.get()).then(|| {
                view! { <p class="muted no-failures">"No failures reported by this organisation."</p> }
            })
        }}
    };
    let report_count = move || group.with(|g| g.as_ref().map_or(0, |g| g.report_count));
    let trace_organization = organization.clone();
    view! {
        <article class="group" data-testid=format!("source-org-{org_id}")>
            <header class="group-head">
                <h3>{organization}</h3>
                <span class="group-figures">
                    <span data-col="successful">{move || thousands(figure(|g| g.successful_sessions))}</span>" successful · "
                    <span data-col="failed" class:poor-text=move || figure(|g| g.failed_sessions) != 0>{move || thousands(figure(|g| g.failed_sessions))}</span>" failed · "
                    <span data-col="rate">{move || group.with(|g| g.as_ref().map_or_else(String::new, |g| format_rate(g.successful_sessions, g.failed_sessions)))}</span>" · "
                    {move || report_trace(report_count(), Trace::Organization { organization: trace_organization.clone() })}
                    <span data-col="days">{move || group.with(|g| g.as_ref().and_then(|g| Some(match (g.first_day?, g.last_day?) {
                        (first, last) if first == last => format!(" · on {first}"),
                        (first, last) => format!(" · {first} to {last}"),
                    })))}</span>
                </span>
            </header>
            {mismatch}
            {table}
        </article>
    }
}

/// One sending IP of an organisation.
fn source_row(org_id: &str, organization: &str, source: &SourceRow) -> impl IntoView {
    let ip_label = source
        .sending_ip
        .clone()
        .unwrap_or_else(|| "not given".to_string());
    let id = format!(
        "source-ip-{org_id}-{}",
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
            <td data-col="reports" data-label="Reports">{report_trace(source.report_count, Trace::Source { organization: organization.to_string(), ip: source.sending_ip.clone() })}</td>
            <td data-col="first-day" data-label="First day">{day_text(source.first_day)}</td>
            <td data-col="last-day" data-label="Last day">{day_text(source.last_day)}</td>
        </tr>
    }
}

/// "2026-03-01", or "no date" when none of its reports gives one.
fn day_text(day: Option<crate::engine::model::Day>) -> String {
    day.map_or_else(|| "no date".to_string(), |day| day.to_string())
}
