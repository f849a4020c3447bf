//! Who reported when: a row per reporting organisation, a column per day (a week past 400
//! days, so a year fits), each day with reports filled, the days a reporter skipped between its
//! first and last report marked as gaps, and the days with reports received more than once
//! marked as duplicates. Hovering over a row, or moving through the grid with the arrow keys,
//! says the count of the cell; the table below lists every cell with reports.

use super::{keyed_table, show_more_by};
use crate::engine::model::Day;
use crate::engine::model::PageModel;
use crate::engine::model::{Coverage, CoverageRow, COVERAGE_CELLS, COVERAGE_ROWS};
use crate::engine::present::{plural, slug, thousands};
use crate::ui::state::Field;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The grid's width in pixels, whatever the number of columns (cells shrink to fit).
const GRID_WIDTH: usize = 900;
const ROW_HEIGHT: usize = 14;

const COLUMNS: [(&str, bool); 4] = [
    ("Reporter", false),
    ("Day", false),
    ("Reports", true),
    ("Received again", true),
];

#[component]
pub fn CoverageView(
    model: RwSignal<PageModel>,
    coverage_rows: Field<usize>,
    coverage_cells: Field<usize>,
) -> impl IntoView {
    let coverage = Memo::new(move |_| model.with(|m| m.coverage().cloned().unwrap_or_default()));
    // The cell under the pointer (or the keyboard's cursor), said in words.
    let hovered = RwSignal::new(String::new());
    let cursor = RwSignal::new(None::<(usize, usize)>);
    let grid = move || {
        coverage.with(|c| {
            if c.rows.is_empty() {
                return view! { <p class="muted">"No dated reports to place on days."</p> }
                    .into_any();
            }
            let rows = c
                .rows
                .iter()
                .enumerate()
                .map(|(index, row)| grid_row(c, index, row, hovered, cursor))
                .collect_view();
            let more = show_more_by(
                coverage_rows,
                c.rows.len(),
                c.total_rows,
                COVERAGE_ROWS,
                " reporters",
                "coverage-more",
            );
            // One stop for the keyboard; the arrow keys move within.
            view! {
                <div
                    class="coverage-grid"
                    data-testid="coverage-grid"
                    tabindex="0"
                    role="group"
                    aria-label="Coverage grid: the arrow keys move from cell to cell; the line below says each cell"
                    aria-describedby="coverage-hover"
                    on:keydown=move |event| coverage.with_untracked(|c| on_grid_key(&event, c, cursor, hovered))
                    on:focus=move |_| {
                        if cursor.get_untracked().is_none() {
                            coverage.with_untracked(|c| {
                                let start = c.rows.first().map_or(0, |row| row.first_column);
                                show_cell(c, (0, start), cursor, hovered);
                            });
                        }
                    }
                >
                    {rows}
                </div>
                {more}
            }
            .into_any()
        })
    };
    let caption = move || {
        coverage.with(|c| {
            let wide = if c.column_days > 364 {
                " The reports span more days than the grid can show a column for each; some \
                 are dated far in the past or the future (see the data-quality findings)."
            } else {
                ""
            };
            format!(
                "{} from {} to {}, a column per {}.{wide}",
                plural(c.total_rows, "reporter", "reporters"),
                c.first.map(|day| day.to_string()).unwrap_or_default(),
                c.last.map(|day| day.to_string()).unwrap_or_default(),
                c.column_unit()
            )
        })
    };
    // The table lives as long as the view: a new model patches its rows (see `in_chunks`).
    let cells = crate::ui::later::in_chunks(
        move || coverage.with(|c| c.cells.clone()),
        |cell: &crate::engine::model::CoverageCell| {
            view! {
                <tr>
                    <td>{cell.reporter.clone()}</td>
                    <td>{cell.day.to_string()}</td>
                    <td class="num">{thousands(cell.reports as u64)}</td>
                    <td class="num">{thousands(cell.resent as u64)}</td>
                </tr>
            }
        },
    );
    let more = move || {
        coverage.with(|c| {
            show_more_by(
                coverage_cells,
                c.cells.len(),
                c.total_cells,
                COVERAGE_CELLS,
                " cells",
                "coverage-cells-more",
            )
        })
    };
    let table = view! { {keyed_table(Some("coverage-table"), &COLUMNS, cells)} {more} };
    view! {
        <section class="view" aria-labelledby="coverage-title">
            <h2 id="coverage-title">"Coverage: who reported when"</h2>
            <p class="explain">
                "A row per reporting organisation, a column per day its reports start (UTC). "
                <span class="legend-item"><span class="swatch cov-report"></span>" reports"</span>
                <span class="legend-item"><span class="swatch cov-gap"></span>" a gap: no report between its first and last"</span>
                <span class="legend-item"><span class="swatch cov-again"></span>" a report received again"</span>
            </p>
            <p class="explain" data-testid="coverage-caption">{caption}</p>
            {grid}
            <p class="explain" aria-live="polite" id="coverage-hover" data-testid="coverage-hover">{move || hovered.get()}</p>
            {table}
        </section>
    }
}

/// A cell's width in pixels: the grid keeps its width whatever the number of columns.
fn cell_width(coverage: &Coverage) -> usize {
    (GRID_WIDTH / coverage.columns.max(1)).clamp(1, 16)
}

/// What one cell holds, to say it in words.
struct CellFacts {
    first: Option<Day>,
    column_days: usize,
    column: usize,
    count: usize,
    again: usize,
}

impl CellFacts {
    /// "Google LLC, 2026-03-04: 2 reports, 1 received again" (or "week of …").
    fn words(&self, reporter: &str) -> Option<String> {
        let day = self.first?.date();
        let start = day + chrono::TimeDelta::days((self.column * self.column_days) as i64);
        let when = match self.column_days {
            1 => start.to_string(),
            7 => format!("week of {start}"),
            days => format!("{} days from {start}", thousands(days as u64)),
        };
        let again = if self.again > 0 {
            format!(", {} received again", self.again)
        } else {
            String::new()
        };
        Some(format!(
            "{reporter}, {when}: {}{again}",
            plural(self.count, "report", "reports")
        ))
    }
}

/// The keyboard's way through the grid: arrow keys move a cursor from cell to cell (Home and
/// End to a row's ends), and the line under the grid says the cell, as hovering does.
fn on_grid_key(
    event: &leptos::ev::KeyboardEvent,
    coverage: &Coverage,
    cursor: RwSignal<Option<(usize, usize)>>,
    hovered: RwSignal<String>,
) {
    let (rows, columns) = (coverage.rows.len(), coverage.columns);
    if rows == 0 || columns == 0 {
        return;
    }
    // The figures may have changed under the cursor (a filter, more reports): keep it inside.
    let (row, column) = cursor.get_untracked().unwrap_or((0, 0));
    let (row, column) = (row.min(rows - 1), column.min(columns - 1));
    let next = match event.key().as_str() {
        "ArrowRight" => (row, (column + 1).min(columns - 1)),
        "ArrowLeft" => (row, column.saturating_sub(1)),
        "ArrowDown" => ((row + 1).min(rows - 1), column),
        "ArrowUp" => (row.saturating_sub(1), column),
        "Home" => (row, 0),
        "End" => (row, columns - 1),
        _ => return,
    };
    event.prevent_default();
    show_cell(coverage, next, cursor, hovered);
}

fn show_cell(
    coverage: &Coverage,
    (row, column): (usize, usize),
    cursor: RwSignal<Option<(usize, usize)>>,
    hovered: RwSignal<String>,
) {
    cursor.set(Some((row, column)));
    let Some(line) = coverage.rows.get(row) else {
        return;
    };
    let cell = CellFacts {
        first: coverage.first,
        column_days: coverage.column_days,
        column,
        count: line.cells.get(column).copied().unwrap_or(0) as usize,
        again: line.resent.get(column).copied().unwrap_or(0) as usize,
    };
    if let Some(words) = cell.words(&line.reporter) {
        hovered.set(words);
    }
}

fn grid_row(
    coverage: &Coverage,
    index: usize,
    row: &CoverageRow,
    hovered: RwSignal<String>,
    cursor: RwSignal<Option<(usize, usize)>>,
) -> impl IntoView {
    let cell = cell_width(coverage);
    let width = cell * coverage.columns;
    let mut filled = String::new();
    let mut gaps = String::new();
    let mut again = String::new();
    for (column, (&count, &resent)) in row.cells.iter().zip(&row.resent).enumerate() {
        let x = column * cell;
        let w = cell.saturating_sub(1).max(1);
        if count > 0 {
            filled.push_str(&format!("M{x} 1h{w}v12h-{w}z"));
        } else if column > row.first_column && column < row.last_column {
            gaps.push_str(&format!("M{x} 5h{w}v4h-{w}z"));
        }
        if resent > 0 {
            again.push_str(&format!("M{x} 0h{w}v3h-{w}z"));
        }
    }
    let label = format!(
        "{}: reports in {} of the columns from its first to its last, {}, {} received again",
        row.reporter,
        thousands(row.active as u64),
        plural(row.gaps, "gap", "gaps"),
        thousands(row.duplicates as u64)
    );
    let first = coverage.first;
    let column_days = coverage.column_days;
    let reporter = row.reporter.clone();
    let cells = row.cells.clone();
    let resent = row.resent.clone();
    let on_move = move |event: leptos::ev::MouseEvent| {
        // From the pointer's place in the row's drawing, whichever part of it is under it.
        let Some(row) = event
            .current_target()
            .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let left = row.get_bounding_client_rect().left();
        let column = ((f64::from(event.client_x()) - left).max(0.0) as usize) / cell;
        let (Some(&count), again) = (cells.get(column), resent.get(column).copied()) else {
            return;
        };
        let cell = CellFacts {
            first,
            column_days,
            column,
            count: count as usize,
            again: again.unwrap_or(0) as usize,
        };
        if let Some(words) = cell.words(&reporter) {
            hovered.set(words);
        }
    };
    let marker = move || {
        cursor
            .get()
            .filter(|(row, _)| *row == index)
            .map(|(_, column)| {
                view! {
                    <rect class="cov-cursor" x=(column * cell).to_string() y="0"
                        width=cell.max(2).to_string() height=ROW_HEIGHT.to_string()></rect>
                }
            })
    };
    view! {
        <div class="coverage-row" data-testid=format!("coverage-row-{}", slug(&row.reporter))>
            <span class="coverage-name">{row.reporter.clone()}</span>
            <svg
                role="img"
                aria-label=label
                width=width.to_string()
                height=ROW_HEIGHT.to_string()
                viewBox=format!("0 0 {width} {ROW_HEIGHT}")
                on:mousemove=on_move
            >
                <path class="cov-gap" d=gaps></path>
                <path class="cov-report" d=filled></path>
                <path class="cov-again" d=again></path>
                {marker}
            </svg>
            <span class="coverage-figures">
                {format!("{}, {}", plural(row.reports, "report", "reports"), plural(row.gaps, "gap", "gaps"))}
            </span>
        </div>
    }
}
