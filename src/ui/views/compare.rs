//! Two periods side by side, per domain: did a change fix it? The day of the change cuts the
//! loaded days in two, or both periods are set by hand; the worker compares them under the
//! page's filter.

use super::sortable_table;
use crate::engine::model::Day;
use crate::engine::model::{CompareColumn, PageModel, RowOrder};
use crate::engine::model::{ComparePeriods, CompareRow, Comparison, DayRange, PeriodFigures};
use crate::engine::present::{format_rate, rate_tenths};
use crate::engine::present::{slug, thousands};
use crate::text::add_counts;
use crate::ui::state::Field;
use leptos::prelude::*;

const COLUMNS: [(&str, bool, Option<CompareColumn>); 8] = [
    ("Domain", false, Some(CompareColumn::Domain)),
    (
        "Before: sessions",
        true,
        Some(CompareColumn::SessionsBefore),
    ),
    ("Before: success", true, Some(CompareColumn::RateBefore)),
    ("After: sessions", true, Some(CompareColumn::SessionsAfter)),
    ("After: success", true, Some(CompareColumn::RateAfter)),
    ("Change", true, Some(CompareColumn::Change)),
    ("Result types", false, None),
    ("Reporters", false, None),
];

/// Which end of which period a date field sets.
#[derive(Clone, Copy)]
enum End {
    BeforeFrom,
    BeforeTo,
    AfterFrom,
    AfterTo,
}

#[component]
pub fn CompareView(
    model: RwSignal<PageModel>,
    compare: Field<Option<ComparePeriods>>,
    compare_order: Field<Option<RowOrder<CompareColumn>>>,
) -> impl IntoView {
    let comparison =
        Memo::new(move |_| model.with(|m| m.comparison().cloned().unwrap_or_default()));
    // The periods as the worker used them, changed by one field or by the day of a change.
    // A field left empty or not a day changes nothing (a date field gives one or the other).
    let set_end = move |end: End, value: String| {
        let Some(day) = Day::parse(value.trim()) else {
            return;
        };
        let Comparison { before, after, .. } = comparison.get_untracked();
        let (Some(before), Some(after)) = (before, after) else {
            return;
        };
        let mut periods = ComparePeriods { before, after };
        let field = match end {
            End::BeforeFrom => &mut periods.before.from,
            End::BeforeTo => &mut periods.before.to,
            End::AfterFrom => &mut periods.after.from,
            End::AfterTo => &mut periods.after.to,
        };
        *field = day;
        compare.set(Some(periods));
    };
    let split = move |value: String| {
        let Some(day) = Day::parse(value.trim()) else {
            return;
        };
        let Comparison { before, after, .. } = comparison.get_untracked();
        let (Some(before), Some(after)) = (before, after) else {
            return;
        };
        let date = day.date();
        compare.set(Some(ComparePeriods {
            before: DayRange {
                from: before.from,
                to: date.pred_opt().unwrap_or(date).into(),
            },
            after: DayRange {
                from: day,
                to: after.to,
            },
        }));
    };
    let field = move |label: &'static str, test_id: &'static str, end: End| {
        let value = move || {
            comparison.with(|c| {
                let day = match end {
                    End::BeforeFrom => c.before.map(|range| range.from),
                    End::BeforeTo => c.before.map(|range| range.to),
                    End::AfterFrom => c.after.map(|range| range.from),
                    End::AfterTo => c.after.map(|range| range.to),
                };
                day.map(|day| day.to_string()).unwrap_or_default()
            })
        };
        view! {
            <label>
                {label}
                <input
                    type="date"
                    data-testid=test_id
                    prop:value=value
                    on:change=move |event| set_end(end, event_target_value(&event))
                />
            </label>
        }
    };
    let periods_line = move || {
        comparison.with(|c| {
            let (Some(before), Some(after)) = (c.before, c.after) else {
                return "No report gives a day: there are no periods to compare.".to_string();
            };
            format!(
                "Before: {} to {} ({}). After: {} to {} ({}).",
                before.from,
                before.to,
                crate::text::plural(c.before_reports, "report", "reports"),
                after.from,
                after.to,
                crate::text::plural(c.after_reports, "report", "reports"),
            )
        })
    };
    // The worker sorts every domain and sends the first 200.
    let sort = super::worker_sort(compare_order, move || {
        model.with(|m| m.request.compare_order)
    });
    // The table lives as long as the view: a new model patches its rows (see `in_chunks`).
    let rows =
        crate::ui::later::in_chunks(move || comparison.with(|c| c.rows.clone()), compare_row);
    let more = move || {
        comparison.with(|c| {
            (c.total > c.rows.len()).then(|| {
                view! {
                    <p class="explain">
                        {format!(
                            "The first {} domains in this order are listed, of {}; the CSV lists them all.",
                            thousands(c.rows.len() as u64),
                            thousands(c.total as u64)
                        )}
                    </p>
                }
            })
        })
    };
    let table = view! { {sortable_table(Some("compare-table"), &COLUMNS, sort, rows)} {more} };
    view! {
        <section class="view" aria-labelledby="compare-title">
            <h2 id="compare-title">"Compare two periods"</h2>
            <p class="explain">
                "Did a change fix it? Give the day of the change: the days before it and the days \
                 from it on are compared per domain, with the result types and reporters that \
                 appeared or vanished. Or set both periods. The page's filters apply to both."
            </p>
            <div class="filters compare-periods">
                <label>
                    "Change made on "
                    <input
                        type="date"
                        data-testid="compare-split"
                        on:change=move |event| split(event_target_value(&event))
                    />
                </label>
                <fieldset>
                    <legend>"Before"</legend>
                    {field("from ", "compare-before-from", End::BeforeFrom)}
                    {field(" to ", "compare-before-to", End::BeforeTo)}
                </fieldset>
                <fieldset>
                    <legend>"After"</legend>
                    {field("from ", "compare-after-from", End::AfterFrom)}
                    {field(" to ", "compare-after-to", End::AfterTo)}
                </fieldset>
            </div>
            <p class="explain" data-testid="compare-periods">{periods_line}</p>
            {table}
        </section>
    }
}

fn sessions(figures: &PeriodFigures) -> String {
    thousands(add_counts(
        figures.successful_sessions,
        figures.failed_sessions,
    ))
}

fn rate(figures: &PeriodFigures) -> String {
    format_rate(figures.successful_sessions, figures.failed_sessions)
}

/// "+1.5 points", "−0.3 points", "no change", or "–" when a period has no sessions.
fn change(row: &CompareRow) -> String {
    let tenths = |f: &PeriodFigures| rate_tenths(f.successful_sessions, f.failed_sessions);
    match (tenths(&row.before), tenths(&row.after)) {
        (Some(before), Some(after)) if after == before => "no change".to_string(),
        (Some(before), Some(after)) => {
            let (sign, delta) = if after > before {
                ("+", after - before)
            } else {
                ("−", before - after)
            };
            format!("{sign}{}.{} points", delta / 10, delta % 10)
        }
        _ => "–".to_string(),
    }
}

/// "appeared: a, b; vanished: c", or "none changed".
fn changed(appeared: &[String], vanished: &[String]) -> String {
    let mut parts = Vec::new();
    if !appeared.is_empty() {
        parts.push(format!("appeared: {}", appeared.join(", ")));
    }
    if !vanished.is_empty() {
        parts.push(format!("vanished: {}", vanished.join(", ")));
    }
    if parts.is_empty() {
        "none changed".to_string()
    } else {
        parts.join("; ")
    }
}

fn compare_row(row: &CompareRow) -> impl IntoView {
    view! {
        <tr data-testid=format!("compare-row-{}", slug(&row.domain))>
            <td>{row.domain.clone()}</td>
            <td class="num">{sessions(&row.before)}</td>
            <td class="num">{rate(&row.before)}</td>
            <td class="num">{sessions(&row.after)}</td>
            <td class="num">{rate(&row.after)}</td>
            <td class="num" data-col="change">{change(row)}</td>
            <td data-col="types">{changed(&row.types_appeared, &row.types_vanished)}</td>
            <td data-col="reporters">{changed(&row.reporters_appeared, &row.reporters_vanished)}</td>
        </tr>
    }
}
