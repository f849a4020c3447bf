//! The Timeline view: sessions per day as an SVG chart drawn here (no chart library), for all
//! domains or one. The top panel stacks successful and failed sessions; the bottom panel, on
//! its own scale so that a few failures stay visible next to thousands of successes, stacks
//! the failures by result type. Each bar has a tooltip; a table gives the same figures, sorted
//! and paged by the worker.

use super::{report_trace, show_more_by, sortable_table, type_chips};
use crate::engine::model::{Bar, BarSpan, DayRow, Granularity, Quiet};
use crate::engine::model::{DayColumn, PageModel, RowOrder};
use crate::engine::model::{Trace, TABLE_ROWS};
use crate::engine::present::ResultType;
use crate::engine::present::{slug, thousands};
use crate::ui::state::Field;
use leptos::prelude::*;

const LEFT: f64 = 72.0;
const RIGHT: f64 = 12.0;
const TOP_PANEL: f64 = 170.0;
const BOTTOM_PANEL: f64 = 110.0;
const GAP: f64 = 44.0;
const LABELS: f64 = 60.0;
const SLOT: f64 = 26.0;
/// Room above the top panel for its title.
const HEAD: f64 = 34.0;

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
    timeline_granularity: Field<Granularity>,
    timeline_order: Field<Option<RowOrder<DayColumn>>>,
    timeline_limit: Field<usize>,
) -> impl IntoView {
    // The worker sends the chart's bars for the chosen domain (or all), binned, with the model.
    let bars = Memo::new(move |_| {
        model.with(|m| {
            m.timeline()
                .map_or((Vec::new(), 0), |t| (t.bars.clone(), t.rows_total))
        })
    });
    // Bars of a day, a week or a month at the finest (more days than fit fall back to wider).
    let granularity = timeline_granularity;
    // Its domain is the filter bar's: the reports behind a bar are those the filter selects.
    let chart = move || bars.with(|(bars, days)| chart(bars, *days));
    // The worker sorts every day and sends the first pages: the table draws them as sent.
    let sort = super::worker_sort(timeline_order, move || {
        model.with(|m| m.request.timeline_order)
    });
    // The table lives as long as the view: a new model patches its rows (see `in_chunks`).
    // Each row carries the domain its reports are traced in.
    let rows = crate::ui::later::in_chunks(
        move || model.with(|m| m.timeline().map_or_else(Vec::new, |t| t.rows.clone())),
        day_row,
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
                "Sessions per day, by the day each report's period starts (UTC), on a date axis: days \
                 without reports are left empty, and a long stretch without any is a break in the \
                 axis marked with its length. Hover over a bar for its figures; the table below \
                 lists them."
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

/// A panel's axis for these bar heights: up to the tallest bar, unless the tallest few (at
/// most a quarter of the bars, at least one) stand more than three times above the next; then
/// the axis ends above the next one and those few are clipped, each labelled with its value,
/// so that one spike does not flatten every other day.
fn axis_for(values: impl Iterator<Item = u64>) -> [u64; 3] {
    let mut heights: Vec<u64> = values.filter(|value| *value > 0).collect();
    heights.sort_unstable_by(|a, b| b.cmp(a));
    let Some(&tallest) = heights.first() else {
        return [0, 0, 0];
    };
    let most_clipped = (heights.len() / 4).max(1);
    for clipped in 1..=most_clipped.min(heights.len() - 1) {
        let next = heights[clipped];
        if heights[clipped - 1] > next.saturating_mul(3) {
            return ticks(next);
        }
    }
    ticks(tallest)
}

/// Where each bar stands on the date axis, in slots from the left (a quiet stretch before a
/// bar takes room: to scale, or a break of the axis), and how many slots there are in all.
fn positions(bars: &[Bar]) -> (Vec<u32>, u32) {
    let mut next = 0u32;
    let places = bars
        .iter()
        .map(|bar| {
            next = next.saturating_add(bar.quiet_before.map_or(0, |quiet| quiet.slots()));
            let place = next;
            next = next.saturating_add(1);
            place
        })
        .collect();
    (places, next)
}

/// The room a quiet stretch takes before a bar: a dashed baseline to scale, or a break of
/// the axis labelled with its dates. Both say when and how long in their tooltip.
fn quiet_mark(quiet: Quiet, x: f64, width: f64, baseline: f64, unit: BarSpan) -> AnyView {
    let days = quiet.days();
    let tip = if quiet.from == quiet.to {
        format!("No reports on {}", quiet.from)
    } else {
        format!(
            "No reports from {} to {} ({} days)",
            quiet.from,
            quiet.to,
            thousands(days.max(0) as u64)
        )
    };
    if !quiet.breaks_axis() {
        let unit = match unit {
            BarSpan::Day | BarSpan::Run => "day",
            other => other.as_str(),
        };
        let label = format!(
            "{tip}: {} {unit}{}",
            quiet.periods,
            if quiet.periods == 1 { "" } else { "s" }
        );
        return view! {
            <g class="quiet" data-testid="timeline-quiet" data-from=quiet.from.to_string() data-to=quiet.to.to_string()>
                <title>{label}</title>
                <line class="quiet-line" x1=px(x) y1=px(baseline) x2=px(x + width) y2=px(baseline)></line>
            </g>
        }
        .into_any();
    }
    let middle = x + width / 2.0;
    let years = days / 365;
    let span = if years >= 2 {
        format!("{years} years")
    } else if days >= 60 {
        format!("{} months", days / 30)
    } else {
        format!("{days} days")
    };
    view! {
        <g class="quiet axis-break" data-testid="timeline-gap" data-from=quiet.from.to_string() data-to=quiet.to.to_string()>
            <title>{tip}</title>
            <rect class="break-zone" x=px(x) y=0 width=px(width) height=px(baseline)></rect>
            <line class="break-line" x1=px(middle - 5.0) y1=px(baseline + 6.0) x2=px(middle - 1.0) y2=px(baseline - 6.0)></line>
            <line class="break-line" x1=px(middle + 1.0) y1=px(baseline + 6.0) x2=px(middle + 5.0) y2=px(baseline - 6.0)></line>
            <text class="axis break-label" x=px(middle) y=14 text-anchor="middle">{span}</text>
        </g>
    }
    .into_any()
}

/// A value drawn above a bar its panel clips.
fn clipped_label(day: &str, x: f64, y: f64, value: u64) -> AnyView {
    view! { <text class="axis clipped-label" data-day=day.to_string() x=px(x) y=px(y) text-anchor="middle">{thousands(value)}</text> }
        .into_any()
}

fn chart(bars: &[Bar], day_count: usize) -> AnyView {
    if bars.is_empty() {
        return view! { <p class="muted" data-testid="timeline-empty">"No dated reports to draw."</p> }
            .into_any();
    }
    // A bar of a week or a month (chosen, or past MOST_BARS days): say so above the chart.
    let unit = bars.first().map_or(BarSpan::Day, |bar| bar.span);
    let binned = (unit != BarSpan::Day).then(|| {
        view! {
            <p class="explain" data-testid="timeline-binned">
                {format!(
                    "{} days with reports are drawn as {} bars, one per {}; the table below lists every day.",
                    crate::text::thousands(day_count as u64),
                    crate::text::thousands(bars.len() as u64),
                    unit.as_str()
                )}
            </p>
        }
    });
    let (places, slots) = positions(bars);
    let width = (LEFT + RIGHT + SLOT * f64::from(slots)).max(1100.0);
    let slot = (width - LEFT - RIGHT) / f64::from(slots.max(1));
    let bar = (slot * 0.7).min(40.0);
    let height = TOP_PANEL + GAP + BOTTOM_PANEL + LABELS;
    let bottom_top = TOP_PANEL + GAP;
    let total_ticks = axis_for(
        bars.iter()
            .map(|b| crate::text::add_counts(b.row.successful_sessions, failed_of(&b.row))),
    );
    let failure_ticks = axis_for(bars.iter().map(|b| failed_of(&b.row)));
    let scale = |value: u64, top: u64, panel: f64| {
        if top == 0 {
            0.0
        } else {
            (value as f64 / top as f64 * panel).min(panel)
        }
    };
    let label_every = bars.len().div_ceil(16).max(1);
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
    let quiet = bars
        .iter()
        .zip(&places)
        .filter_map(|(bar, place)| {
            let quiet = bar.quiet_before?;
            let room = f64::from(quiet.slots());
            let x = LEFT + slot * (f64::from(*place) - room);
            Some(quiet_mark(quiet, x, slot * room, TOP_PANEL, unit))
        })
        .collect_view();
    // The figures of clipped bars stand outside the bars' buttons: a button's name is its day.
    let mut figures = Vec::new();
    let drawn = bars
        .iter()
        .zip(&places)
        .enumerate()
        .map(|(index, (shown, place))| {
            let day = &shown.row;
            let label_text = shown.label.clone();
            let slot_x = LEFT + slot * f64::from(*place);
            let x = slot_x + (slot - bar) / 2.0;
            let failed_height = failed_of(day);
            let total = crate::text::add_counts(day.successful_sessions, failed_height);
            let total_clipped = total > total_ticks[2];
            // A clipped bar fills its panel, split in the proportion of its figures.
            let (ok_height, bad_height) = if total_clipped {
                let bad = scale(failed_height, total, TOP_PANEL);
                (TOP_PANEL - bad, bad)
            } else {
                (
                    scale(day.successful_sessions, total_ticks[2], TOP_PANEL),
                    scale(failed_height, total_ticks[2], TOP_PANEL),
                )
            };
            let failures_clipped = failed_height > failure_ticks[2];
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
                // A clipped bar fills the panel, its segments in proportion.
                let h = if failures_clipped {
                    scale(*sessions, failed_height, BOTTOM_PANEL)
                } else {
                    scale(*sessions, failure_ticks[2], BOTTOM_PANEL)
                }
                .min(y - bottom_top);
                y -= h;
                let class = format!("seg {}", segment.class());
                segments.push(view! {
                    <rect class=class x=px(x) y=px(y) width=px(bar) height=px(h) data-type=segment.label().to_string() data-sessions=*sessions></rect>
                });
            }
            let centre = x + bar / 2.0;
            if total_clipped {
                figures.push(clipped_label(&label_text, centre, -4.0, total));
            }
            if failures_clipped {
                figures.push(clipped_label(&label_text, centre, bottom_top - 4.0, failed_height));
            }
            let mut tip = format!(
                "{}: {} successful, {} failed",
                label_text,
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
            if total_clipped || failures_clipped {
                tip.push_str("\n(taller than the chart's scale: cut, with its figure above)");
            }
            let label = (index % label_every == 0).then(|| {
                let ly = bottom_top + BOTTOM_PANEL + 14.0;
                view! {
                    <text class="axis day-label" x=px(centre) y=px(ly) text-anchor="end" transform=format!("rotate(-40 {} {})", px(centre), px(ly))>
                        {label_text.clone()}
                    </text>
                }
            });
            let opener = super::drill::opener();
            let behind = match &shown.range {
                Some((from, to)) => Trace::Days { from: *from, to: *to, domain: None },
                None => Trace::Day { day: day.day, domain: None },
            };
            let open = move || opener(crate::ui::state::Drill::Reports(behind.clone()));
            let open_by_key = open.clone();
            view! {
                <g
                    class="day"
                    class:clipped=total_clipped || failures_clipped
                    tabindex="0"
                    role="button"
                    aria-label=format!(
                        "{}: {} sessions, {} failed; open the reports of that {}",
                        label_text,
                        thousands(total),
                        thousands(day.failed_sessions),
                        if shown.range.is_some() { "period" } else { "day" }
                    )
                    on:click=move |_| open()
                    on:keydown=move |event| {
                        if event.key() == "Enter" || event.key() == " " {
                            event.prevent_default();
                            open_by_key();
                        }
                    }
                    data-testid=format!("day-{}", slug(&label_text))
                    data-day=label_text.clone()
                    data-successful=day.successful_sessions
                    data-failed=day.failed_sessions
                    data-slot=*place
                >
                    <title>{tip}</title>
                    <rect class="hover-zone" x=px(slot_x) y=0 width=px(slot) height=px(bottom_top + BOTTOM_PANEL)></rect>
                    <rect class="seg seg-success" x=px(x) y=px(TOP_PANEL - ok_height - bad_height) width=px(bar) height=px(ok_height)></rect>
                    <rect class="seg seg-failed" x=px(x) y=px(TOP_PANEL - bad_height) width=px(bar) height=px(bad_height)></rect>
                    {segments}
                    {label}
                </g>
            }
        })
        .collect_view();
    let legend_types: Vec<Segment> = {
        let mut types: Vec<Segment> = bars
            .iter()
            .flat_map(|b| {
                b.row
                    .failures_by_type
                    .iter()
                    .map(|t| Segment::Type(t.result_type.clone()))
            })
            .collect();
        types.sort();
        types.dedup();
        if bars.iter().any(|b| b.row.unitemised_failures > 0) {
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
    let wide = slots > 24;
    // Said when any bar was cut (each cut bar has its figure above it).
    let scale_note = (!figures.is_empty())
    .then(|| {
        view! {
            <p class="explain" data-testid="timeline-clipped">
                "A bar far taller than the others is cut at the top of its panel, with its figure above it, so that the other days stay readable."
            </p>
        }
    });
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
                        {quiet}
                        {drawn}
                        {figures}
                    </g>
                    <text class="panel-title" x=px(LEFT) y=14>"Sessions"</text>
                    <text class="panel-title" x=px(LEFT) y=px(bottom_top + HEAD - 22.0)>"Failed sessions by result type"</text>
                </svg>
            </div>
            <figcaption>
                <ul class="legend">
                    <li><span class="swatch seg-success"></span>"successful"</li>
                    <li><span class="swatch seg-failed"></span>"failed"</li>
                    {legend}
                </ul>
                {scale_note}
            </figcaption>
        </figure>
    }
    .into_any()
}

/// A day's failed sessions as drawn: the failures reported, or more when the failure details
/// add up to more.
fn failed_of(day: &DayRow) -> u64 {
    day.failed_sessions.max(itemised(day))
}

fn itemised(day: &DayRow) -> u64 {
    day.failures_by_type
        .iter()
        .fold(0, |sum, t| crate::text::add_counts(sum, t.sessions))
}

fn day_row(row: &DayRow) -> impl IntoView {
    view! {
        <tr data-testid=format!("timeline-row-{}", row.day)>
            <td data-col="day" data-label="Day">{row.day.to_string()}</td>
            <td data-col="successful" data-label="Successful" class="num">{thousands(row.successful_sessions)}</td>
            <td data-col="failed" data-label="Failed" class="num">{thousands(row.failed_sessions)}</td>
            <td data-col="failures" data-label="Failures by type">{type_chips(&row.failures_by_type)}</td>
            <td data-col="reports" data-label="Reports" class="num">{report_trace(row.report_count, Trace::Day { day: row.day, domain: None })}</td>
        </tr>
    }
}
