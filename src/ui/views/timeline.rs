//! The Timeline view: sessions per day as an SVG chart drawn here (no chart library), for all
//! domains or one. The top panel stacks successful and failed sessions; the bottom panel, on
//! its own scale so that a few failures stay visible next to thousands of successes, stacks
//! the failures by result type. Each bar has a tooltip; a table gives the same figures, sorted
//! and paged by the worker.

use super::{report_trace, show_more_by, sortable_table, type_chips};
use crate::engine::model::{Bar, BarSpan, Day, DayRow, Granularity};
use crate::engine::model::{Choices, DayColumn, PageModel, RowOrder};
use crate::engine::model::{Trace, TABLE_ROWS};
use crate::engine::present::ResultType;
use crate::engine::present::{slug, thousands};
use crate::ui::state::Field;
use leptos::prelude::*;

const LEFT: f64 = 72.0;
const RIGHT: f64 = 12.0;
const TOP_PANEL: f64 = 170.0;
const BOTTOM_PANEL: f64 = 110.0;
const GAP: f64 = 34.0;
const LABELS: f64 = 60.0;
const SLOT: f64 = 26.0;
/// Room above the top panel for its title.
const HEAD: f64 = 22.0;

const COLUMNS: [(&str, bool, Option<DayColumn>); 5] = [
    ("Day", false, Some(DayColumn::Day)),
    ("Successful", true, Some(DayColumn::Successful)),
    ("Failed", true, Some(DayColumn::Failed)),
    ("Failures by type", false, Some(DayColumn::Failures)),
    ("Reports", true, Some(DayColumn::Reports)),
];

#[component]
pub fn TimelineView(
    model: RwSignal<PageModel>,
    choices: Memo<Choices>,
    timeline_domain: Field<String>,
    timeline_granularity: Field<Granularity>,
    timeline_order: Field<Option<RowOrder<DayColumn>>>,
    timeline_limit: Field<usize>,
) -> impl IntoView {
    let domain = timeline_domain;
    // The worker sends the chart's bars for the chosen domain (or all), binned, with the model.
    let bars = Memo::new(move |_| {
        model.with(|m| {
            m.timeline()
                .map_or((Vec::new(), 0), |t| (t.bars.clone(), t.rows_total))
        })
    });
    let chosen = move || {
        let wanted = domain.get();
        (!wanted.is_empty()).then_some(wanted)
    };
    let options = move || {
        choices.with(|c| {
            c.domains
                .iter()
                .map(|d| view! { <option value=d.clone()>{d.clone()}</option> })
                .collect_view()
        })
    };
    // Bars of a day, a week or a month at the finest (more days than fit fall back to wider).
    let granularity = timeline_granularity;
    let chart = move || {
        let wanted = chosen();
        bars.with(|(bars, days)| chart(bars, *days, wanted))
    };
    // The worker sorts every day and sends the first pages: the table draws them as sent.
    let sort = super::worker_sort(timeline_order, move || {
        model.with(|m| m.request.timeline_order)
    });
    // The table lives as long as the view: a new model patches its rows (see `in_chunks`).
    // Each row carries the domain its reports are traced in.
    let rows = crate::ui::later::in_chunks(
        move || {
            let wanted = chosen();
            model.with(|m| {
                m.timeline().map_or_else(Vec::new, |t| {
                    t.rows
                        .iter()
                        .map(|row| (row.clone(), wanted.clone()))
                        .collect()
                })
            })
        },
        |(row, wanted)| day_row(row, wanted.clone()),
    );
    let more = move || {
        let (shown, total) = model.with(|m| {
            m.timeline()
                .map_or((0, 0), |t| (t.rows.len(), t.rows_total))
        });
        show_more_by(
            timeline_limit,
            shown,
            total,
            TABLE_ROWS,
            " days",
            "timeline-more",
        )
    };
    let table = view! {
        {sortable_table(Some("timeline-table"), &COLUMNS, sort, rows)}
        {more}
    };
    view! {
        <section class="view" aria-labelledby="timeline-title">
            <h2 id="timeline-title">"Timeline"</h2>
            <div class="filters">
                {super::domain_select("timeline-domain", domain, options)}
                <label>
                    "Bars "
                    <select
                        data-testid="timeline-granularity"
                        on:change=move |event| {
                            granularity.set(match event_target_value(&event).as_str() {
                                "weeks" => Granularity::Weeks,
                                "months" => Granularity::Months,
                                _ => Granularity::Days,
                            })
                        }
                    >
                        // Shown as the request holds it (Clear or Start again resets it to days).
                        <option value="days" prop:selected=move || granularity.get() == Granularity::Days>"one per day"</option>
                        <option value="weeks" prop:selected=move || granularity.get() == Granularity::Weeks>"one per week"</option>
                        <option value="months" prop:selected=move || granularity.get() == Granularity::Months>"one per month"</option>
                    </select>
                </label>
            </div>
            <p class="explain">
                "Sessions per day, by the day each report's period starts (UTC). Only days with \
                 reports are drawn. Hover over a bar for its figures; the table below lists them."
            </p>
            {chart}
            {table}
        </section>
    }
}

/// A part of a day's failures in the chart: a result type, or the failed sessions no failure
/// detail accounts for.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    Type(ResultType),
    WithoutDetails,
}

impl Segment {
    fn label(&self) -> &str {
        match self {
            Segment::Type(result_type) => result_type.as_str(),
            Segment::WithoutDetails => "without details",
        }
    }

    /// Its colour: the result type's, or the one for failures without details.
    fn class(&self) -> String {
        match self {
            Segment::Type(result_type) => type_class(result_type),
            Segment::WithoutDetails => "type-unitemised".to_string(),
        }
    }
}

/// The CSS class of a result type's colour: stable per registered type.
fn type_class(result_type: &ResultType) -> String {
    match result_type.registry_index() {
        Some(index) => format!("type-{index}"),
        None => "type-unknown".to_string(),
    }
}

/// A coordinate to a tenth of a pixel, "412.5", written with whole numbers: the page
/// carries no float formatting (it is a sizeable part of the wasm).
fn px(value: f64) -> String {
    let tenths = (value * 10.0).round() as i64;
    let sign = if tenths < 0 { "-" } else { "" };
    let tenths = tenths.unsigned_abs();
    match tenths % 10 {
        0 => format!("{sign}{}", tenths / 10),
        fraction => format!("{sign}{}.{fraction}", tenths / 10),
    }
}

/// 0, a round half and a round top for an axis up to `max`.
fn ticks(max: u64) -> [u64; 3] {
    if max == 0 {
        return [0, 0, 0];
    }
    let mut magnitude = 1;
    while magnitude <= max / 10 {
        magnitude *= 10;
    }
    let top = max.div_ceil(magnitude) * magnitude;
    [0, top / 2, top]
}

fn chart(bars: &[Bar], day_count: usize, domain: Option<String>) -> AnyView {
    if bars.is_empty() {
        return view! { <p class="muted" data-testid="timeline-empty">"No dated reports to draw."</p> }
            .into_any();
    }
    // A bar of a week or a month (chosen, or past MOST_BARS days): say so above the chart.
    let binned = bars.first().filter(|bar| bar.span != BarSpan::Day).map(|bar| {
        let unit = bar.span.as_str();
        view! {
            <p class="explain" data-testid="timeline-binned">
                {format!(
                    "{} days with reports are drawn as {} bars, one per {unit}; the table below lists every day.",
                    crate::text::thousands(day_count as u64),
                    crate::text::thousands(bars.len() as u64)
                )}
            </p>
        }
    });
    let ranges: Vec<Option<(Day, Day)>> = bars.iter().map(|bar| bar.range).collect();
    let labels: Vec<&str> = bars.iter().map(|bar| bar.label.as_str()).collect();
    let rows: Vec<DayRow> = bars.iter().map(|bar| bar.row.clone()).collect();
    let days = &rows[..];
    let width = (LEFT + RIGHT + SLOT * days.len() as f64).max(1100.0);
    let slot = (width - LEFT - RIGHT) / days.len() as f64;
    let bar = (slot * 0.7).min(40.0);
    let height = TOP_PANEL + GAP + BOTTOM_PANEL + LABELS;
    let bottom_top = TOP_PANEL + GAP;
    let total_ticks = ticks(
        days.iter()
            .map(|d| {
                crate::text::add_counts(d.successful_sessions, d.failed_sessions.max(itemised(d)))
            })
            .max()
            .unwrap_or(0),
    );
    let failure_ticks = ticks(
        days.iter()
            .map(|d| d.failed_sessions.max(itemised(d)))
            .max()
            .unwrap_or(0),
    );
    let scale = |value: u64, top: u64, panel: f64| {
        if top == 0 {
            0.0
        } else {
            value as f64 / top as f64 * panel
        }
    };
    let label_every = days.len().div_ceil(16).max(1);
    let mut grid = Vec::new();
    for (ticks, panel_top, panel) in [
        (total_ticks, 0.0, TOP_PANEL),
        (failure_ticks, bottom_top, BOTTOM_PANEL),
    ] {
        for tick in ticks {
            let y = panel_top + panel - scale(tick, ticks[2], panel);
            grid.push(view! {
                <line class="grid" x1=px(LEFT) y1=px(y) x2=px(width - RIGHT) y2=px(y)></line>
                <text class="axis" x=px(LEFT - 6.0) y=px(y + 4.0) text-anchor="end">{thousands(tick)}</text>
            });
        }
    }
    let bars = days
        .iter()
        .enumerate()
        .map(|(index, day)| {
            let x = LEFT + slot * index as f64 + (slot - bar) / 2.0;
            let failed_height = day.failed_sessions.max(itemised(day));
            let ok_height = scale(day.successful_sessions, total_ticks[2], TOP_PANEL);
            let bad_height = scale(failed_height, total_ticks[2], TOP_PANEL);
            let mut segments = Vec::new();
            let mut y = bottom_top + BOTTOM_PANEL;
            let mut parts: Vec<(Segment, u64)> = day
                .failures_by_type
                .iter()
                .map(|t| (Segment::Type(t.result_type.clone()), t.sessions))
                .collect();
            if day.unitemised_failures > 0 {
                parts.push((Segment::WithoutDetails, day.unitemised_failures));
            }
            for (segment, sessions) in &parts {
                let h = scale(*sessions, failure_ticks[2], BOTTOM_PANEL);
                y -= h;
                let class = format!("seg {}", segment.class());
                segments.push(view! {
                    <rect class=class x=px(x) y=px(y) width=px(bar) height=px(h) data-type=segment.label().to_string() data-sessions=*sessions></rect>
                });
            }
            let mut tip = format!(
                "{}: {} successful, {} failed",
                labels[index],
                thousands(day.successful_sessions),
                thousands(day.failed_sessions)
            );
            for (segment, sessions) in &parts {
                tip.push_str(&format!("\n  {}: {}", segment.label(), thousands(*sessions)));
            }
            tip.push_str(&format!(
                "\n{} {}",
                day.report_count,
                if day.report_count == 1 { "report" } else { "reports" }
            ));
            let label = (index % label_every == 0).then(|| {
                let lx = x + bar / 2.0;
                let ly = bottom_top + BOTTOM_PANEL + 14.0;
                view! {
                    <text class="axis day-label" x=px(lx) y=px(ly) text-anchor="end" transform=format!("rotate(-40 {} {})", px(lx), px(ly))>
                        {labels[index].to_string()}
                    </text>
                }
            });
            let opener = super::drill::opener();
            let behind = match &ranges[index] {
                Some((from, to)) => Trace::Days { from: *from, to: *to, domain: domain.clone() },
                None => Trace::Day { day: day.day, domain: domain.clone() },
            };
            let open = move || opener(crate::ui::state::Drill::Reports(behind.clone()));
            let open_by_key = open.clone();
            view! {
                <g
                    class="day"
                    tabindex="0"
                    role="button"
                    aria-label=format!(
                        "{}: open the reports of that {}",
                        labels[index],
                        if ranges[index].is_some() { "period" } else { "day" }
                    )
                    on:click=move |_| open()
                    on:keydown=move |event| {
                        if event.key() == "Enter" || event.key() == " " {
                            event.prevent_default();
                            open_by_key();
                        }
                    }
                    data-testid=format!("day-{}", slug(labels[index]))
                    data-day=labels[index].to_string()
                    data-successful=day.successful_sessions
                    data-failed=day.failed_sessions
                >
                    <title>{tip}</title>
                    <rect class="hover-zone" x=px(LEFT + slot * index as f64) y=0 width=px(slot) height=px(bottom_top + BOTTOM_PANEL)></rect>
                    <rect class="seg seg-success" x=px(x) y=px(TOP_PANEL - ok_height - bad_height) width=px(bar) height=px(ok_height)></rect>
                    <rect class="seg seg-failed" x=px(x) y=px(TOP_PANEL - bad_height) width=px(bar) height=px(bad_height)></rect>
                    {segments}
                    {label}
                </g>
            }
        })
        .collect_view();
    let legend_types: Vec<Segment> = {
        let mut types: Vec<Segment> = days
            .iter()
            .flat_map(|d| {
                d.failures_by_type
                    .iter()
                    .map(|t| Segment::Type(t.result_type.clone()))
            })
            .collect();
        types.sort();
        types.dedup();
        if days.iter().any(|d| d.unitemised_failures > 0) {
            types.push(Segment::WithoutDetails);
        }
        types
    };
    let legend = legend_types
        .into_iter()
        .map(|segment| {
            let class = format!("swatch {}", segment.class());
            view! { <li><span class=class></span>{segment.label().to_string()}</li> }
        })
        .collect_view();
    let wide = days.len() > 24;
    view! {
        {binned}
        <figure class="timeline" data-testid="timeline-chart">
            <div class="chart-scroll" tabindex="0" role="region" aria-label="Chart of sessions per day">
                <svg
                    class=if wide { "wide" } else { "" }
                    viewBox=format!("0 0 {} {}", px(width), px(height + HEAD))
                    width=px(width)
                    height=px(height + HEAD)
                    role="group"
                    aria-label="Sessions per day: successful and failed above, failures by result type below"
                >
                    <g transform=format!("translate(0 {})", px(HEAD))>
                        {grid}
                        {bars}
                    </g>
                    <text class="panel-title" x=px(LEFT) y=14>"Sessions"</text>
                    <text class="panel-title" x=px(LEFT) y=px(bottom_top + HEAD - 8.0)>"Failed sessions by result type"</text>
                </svg>
            </div>
            <figcaption>
                <ul class="legend">
                    <li><span class="swatch seg-success"></span>"successful"</li>
                    <li><span class="swatch seg-failed"></span>"failed"</li>
                    {legend}
                </ul>
            </figcaption>
        </figure>
    }
    .into_any()
}

fn itemised(day: &DayRow) -> u64 {
    day.failures_by_type
        .iter()
        .fold(0, |sum, t| crate::text::add_counts(sum, t.sessions))
}

fn day_row(row: &DayRow, domain: Option<String>) -> impl IntoView {
    view! {
        <tr data-testid=format!("timeline-row-{}", row.day)>
            <td data-col="day" data-label="Day">{row.day.to_string()}</td>
            <td data-col="successful" data-label="Successful" class="num">{thousands(row.successful_sessions)}</td>
            <td data-col="failed" data-label="Failed" class="num">{thousands(row.failed_sessions)}</td>
            <td data-col="failures" data-label="Failures by type">{type_chips(&row.failures_by_type)}</td>
            <td data-col="reports" data-label="Reports" class="num">{report_trace(row.report_count, Trace::Day { day: row.day, domain })}</td>
        </tr>
    }
}
