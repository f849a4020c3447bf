//! The view per receiving MX host: the domains each serves (and whether each domain's
//! MTA-STS policy names it), the failures reported against it by result type, the sending IPs
//! and reporters that saw them, and the TLSA records reported for it.

use super::{sortable_table, type_chips};
use crate::engine::model::{MxColumn, PageModel, RowOrder};
use crate::engine::model::{MxDomain, MxRow};
use crate::engine::present::{slug, thousands};
use crate::ui::state::Field;
use leptos::prelude::*;

const COLUMNS: [(&str, bool, Option<MxColumn>); 7] = [
    ("MX host", false, Some(MxColumn::Host)),
    ("Domains served", false, Some(MxColumn::Domains)),
    ("Failed", true, Some(MxColumn::Failed)),
    ("Failures by result type", false, None),
    ("Sending IPs", false, None),
    ("Reporters", false, None),
    ("TLSA records", false, None),
];

/// Sending IPs listed in a row; the rest are counted.
const IPS_SHOWN: usize = 5;

#[component]
pub fn MxView(
    model: RwSignal<PageModel>,
    mx_order: Field<Option<RowOrder<MxColumn>>>,
) -> impl IntoView {
    let total = Memo::new(move |_| model.with(|m| m.mx().map_or(0, |mx| mx.total)));
    // The worker sorts every host and sends the first 200.
    let sort = super::worker_sort(mx_order, move || model.with(|m| m.request.mx_order));
    // The table lives as long as the view: a new model patches its rows (see `in_chunks`).
    let rows = crate::ui::later::in_chunks(
        move || model.with(|m| m.mx().map_or_else(Vec::new, |mx| mx.rows.clone())),
        mx_row,
    );
    let more = move || {
        let shown = model.with(|m| m.mx().map_or(0, |mx| mx.rows.len()));
        let total = total.get();
        (total > shown).then(|| view! {
            <p class="explain" data-testid="mx-more">
                {format!(
                    "The first {} MX hosts in this order are listed, of {}; the CSV lists them all.",
                    thousands(shown as u64),
                    thousands(total as u64)
                )}
            </p>
        })
    };
    let table = view! {
        {sortable_table(Some("mx-table"), &COLUMNS, sort, rows)}
        {more}
    };
    view! {
        <section class="view" aria-labelledby="mx-title">
            <h2 id="mx-title">"Failures by receiving MX host"</h2>
            <p class="explain">
                "Reports give successful sessions per policy only, never per MX host, so this view \
                 counts failures: from the reports' failure details, with the domains each host \
                 serves (named in the failures or in a policy's mx-host list). \"Named by policy\" \
                 says whether the domain's MTA-STS policy has an mx pattern that matches the host \
                 (RFC 8461: \"*.example.com\" matches one label); senders that enforce the policy \
                 refuse a host it does not name."
            </p>
            {table}
        </section>
    }
}

fn mx_row(row: &MxRow) -> impl IntoView {
    let domains = row.domains.iter().map(served).collect_view();
    let ips = if row.sending_ips.len() > IPS_SHOWN {
        format!(
            "{} and {} more",
            row.sending_ips[..IPS_SHOWN].join(", "),
            thousands((row.sending_ips.len() - IPS_SHOWN) as u64)
        )
    } else {
        row.sending_ips.join(", ")
    };
    let tlsa = row
        .tlsa_records
        .iter()
        .map(|record| view! { <div class="mono break">{record.clone()}</div> })
        .collect_view();
    view! {
        <tr data-testid=format!("mx-row-{}", slug(&row.mx_host))>
            <td class="mono">{row.mx_host.clone()}</td>
            <td><ul class="served">{domains}</ul></td>
            <td class="num">{thousands(row.failed_sessions)}</td>
            <td>{type_chips(&row.failures_by_type)}</td>
            <td class="mono">{ips}</td>
            <td>{row.reporters.join(", ")}</td>
            <td>{tlsa}</td>
        </tr>
    }
}

fn served(domain: &MxDomain) -> impl IntoView {
    let (mark, words) = match domain.covered {
        Some(true) => ("covered-yes", "named by policy".to_string()),
        Some(false) => (
            "covered-no",
            match domain.patterns.is_empty() {
                true => "not named: the policy has no mx line".to_string(),
                false => format!("not named by {}", domain.patterns.join(", ")),
            },
        ),
        None => ("covered-unknown", "no MTA-STS policy seen".to_string()),
    };
    let failed = (domain.failed_sessions > 0)
        .then(|| format!(", {} failed", thousands(domain.failed_sessions)));
    view! {
        <li class=mark data-covered=mark>
            <span class="mono">{domain.domain.clone()}</span>
            <span class="muted">{format!(" ({words}{})", failed.unwrap_or_default())}</span>
        </li>
    }
}
