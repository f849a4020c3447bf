//! The table of domains, shown instead of the health lines when more than a handful of
//! domains are loaded: searchable, sortable by every figure, one page of rows at a time (the
//! worker searches, sorts and pages every domain), each row opening its domain as the domain
//! filter does, with a trend over the loaded period and the verdict.

use super::{report_trace, show_more_by, sortable_table};
use crate::engine::model::{DomainColumn, DomainRow, Trace, DOMAIN_ROWS};
use crate::engine::model::{Filter, PageModel, RowOrder};
use crate::engine::present::format_rate;
use crate::engine::present::{slug, thousands};
use crate::text::add_counts;
use crate::ui::state::Field;
use leptos::prelude::*;

/// The columns, and what the worker sorts by for each. Unsorted, the worker lists the worst
/// first (see `engine::domains::worst_first`).
const COLUMNS: [(&str, bool, Option<DomainColumn>); 11] = [
    ("Domain", false, Some(DomainColumn::Domain)),
    ("Reports", true, Some(DomainColumn::Reports)),
    ("Sessions", true, Some(DomainColumn::Sessions)),
    ("Failed", true, Some(DomainColumn::Failed)),
    ("Success rate", true, Some(DomainColumn::SuccessRate)),
    ("Trend", false, None),
    ("Policy", false, Some(DomainColumn::Policy)),
    ("Verdict", false, Some(DomainColumn::Verdict)),
    ("Critical", true, Some(DomainColumn::Critical)),
    ("Problems", true, Some(DomainColumn::Problems)),
    ("Notes", true, Some(DomainColumn::Notes)),
];

#[component]
pub fn DomainsTable(
    model: RwSignal<PageModel>,
    domains_search: Field<String>,
    domains_order: Field<Option<RowOrder<DomainColumn>>>,
    domains_limit: Field<usize>,
    filter: Field<Filter>,
) -> impl IntoView {
    let sort = super::worker_sort(domains_order, move || {
        model.with(|m| m.request.domains_order)
    });
    let rows = Memo::new(move |_| {
        model.with(|m| {
            m.problems()
                .map_or_else(Vec::new, |p| p.domain_rows.clone())
        })
    });
    let totals = Memo::new(move |_| {
        model.with(|m| {
            m.problems()
                .map_or((0, 0), |p| (p.domain_rows_total, p.health_total))
        })
    });
    let count_line = move || {
        let (matching, all) = totals.get();
        let shown = rows.with(Vec::len);
        let domains = crate::text::plural(all, "domain", "domains");
        if matching == all {
            format!("{domains}; {} shown.", thousands(shown as u64))
        } else {
            format!(
                "{} of {domains} match; {} shown.",
                thousands(matching as u64),
                thousands(shown as u64)
            )
        }
    };
    // The table lives as long as the view: a new model patches its rows (see `in_chunks`).
    let drawn = crate::ui::later::in_chunks(move || rows.get(), move |row| domain_row(filter, row));
    let table = sortable_table(Some("domains-table"), &COLUMNS, sort, drawn);
    let more = move || {
        let (shown, total) = (rows.with(Vec::len), totals.get().0);
        show_more_by(
            domains_limit,
            shown,
            total,
            DOMAIN_ROWS,
            " domains",
            "domains-more",
        )
    };
    view! {
        <section class="health domains" aria-labelledby="domains-title">
            <div class="domains-head">
                <h2 id="domains-title">"Domains"</h2>
                <label class="domains-search">
                    <span class="visually-hidden">"Search the domains"</span>
                    <input
                        type="search"
                        data-testid="domains-search"
                        placeholder="Search domains"
                        maxlength=super::FIELD_MAX
                        prop:value=move || domains_search.get()
                        on:input=move |event| domains_search.set(super::typed_value(&event))
                    />
                </label>
                <p class="muted" data-testid="domains-count">{count_line}</p>
                {move || domains_order.get().is_none().then(|| view! {
                    <p class="muted" data-testid="domains-order">"Worst first: Not yet, then Not enough data, then Ready; within each, the most failed sessions first. A column's header sorts by it."</p>
                })}
            </div>
            <div class="domains-scroll">{table}{more}</div>
        </section>
    }
}

fn domain_row(filter: Field<Filter>, row: &DomainRow) -> impl IntoView {
    let slug = slug(&row.domain);
    let domain = row.domain.clone();
    let worst = row
        .worst
        .map_or("none", crate::engine::model::Severity::as_str);
    let open = move |_| {
        let domain = domain.clone();
        filter.update(|filter| filter.domain = Some(domain));
    };
    let sessions = add_counts(row.successful_sessions, row.failed_sessions);
    let trace = Trace::Domain {
        domain: row.domain.clone(),
    };
    let title = std::iter::once(row.verdict.clone())
        .chain(row.verdict_figures.iter().cloned())
        .collect::<Vec<_>>()
        .join("\n");
    view! {
        <tr data-testid=format!("domain-row-{slug}") class=format!("worst-{worst}")>
            <th scope="row">
                <span class="health-dot" aria-hidden="true"></span>
                <button
                    class="link-button"
                    data-testid="domain-open"
                    title="Show this domain only (sets the domain filter)"
                    on:click=open
                >
                    {row.domain.clone()}
                </button>
            </th>
            <td class="num" data-label="Reports">
                {report_trace(row.reports, trace)}
                {row.filtered.map(|_| view! {
                    <div class="filtered-figure" title="The reports the filter keeps, and their trend; the row's other figures and its verdict are over all of the domain's reports">
                        "under the filter"
                    </div>
                })}
            </td>
            <td class="num" data-label="Sessions">{thousands(sessions)}</td>
            <td class="num" data-label="Failed" class:poor-text=row.failed_sessions != 0>{thousands(row.failed_sessions)}</td>
            <td class="num" data-label="Success rate">
                {format_rate(row.successful_sessions, row.failed_sessions)}
                {row.filtered.map(|figure| view! {
                    <div class="filtered-figure" data-testid="domain-filtered" title="This domain's sessions under the filter; the figures of the row are over all of its reports">
                        {figure.short_text()}
                    </div>
                })}
            </td>
            <td data-label="Trend">{sparkline(&row.trend)}</td>
            <td data-label="Policy">{row.policy.clone()}</td>
            <td data-col="verdict" data-label="Verdict">
                <span
                    class=format!("verdict verdict-{}", row.verdict_status.as_str())
                    data-testid=format!("verdict-{slug}")
                    title=title
                >
                    {row.verdict.clone()}
                </span>
            </td>
            <td class="num" data-col="critical" data-label="Critical" class:poor-text=row.critical != 0>{row.critical}</td>
            <td class="num" data-label="Problems">{row.problems}</td>
            <td class="num" data-label="Notes">{row.notes}</td>
        </tr>
    }
}

/// The success rate over the period as a small line, with its first and last values in words
/// for screen readers. Stretches without sessions are bridged by a dashed line between the
/// points on either side: a line broken at every gap read as dots and dashes, and cost one
/// element per piece (at 1,000 domains with a report every other day, 15 a row, and the
/// browser's layout of the table's first page was one task of 60 to 75 ms). Two paths a row,
/// whatever the gaps.
fn sparkline(points: &[Option<u64>]) -> impl IntoView {
    const WIDTH: usize = 90;
    const HEIGHT: u64 = 18;
    let (solid, bridges) = crate::engine::present::trend_paths(points, WIDTH, HEIGHT);
    let known: Vec<u64> = points.iter().flatten().copied().collect();
    let label = match (known.first(), known.last()) {
        (Some(first), Some(last)) => format!(
            "Success rate over the period, from {}.{}% to {}.{}%",
            first / 10,
            first % 10,
            last / 10,
            last % 10
        ),
        _ => "No sessions over the period".to_string(),
    };
    view! {
        <svg
            class="sparkline"
            role="img"
            aria-label=label
            width=WIDTH.to_string()
            height=HEIGHT.to_string()
            viewBox=format!("-2 0 {} {HEIGHT}", WIDTH + 4)
        >
            {(!bridges.is_empty()).then(|| view! { <path class="bridge" d=bridges /> })}
            {(!solid.is_empty()).then(|| view! { <path d=solid /> })}
        </svg>
    }
}
