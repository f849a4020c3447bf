//! Who reported when: a grid of reporting organisations by days (a column a day; wider columns
//! when the reports span more than [`COVERAGE_DAYS`] days, so that a year fits and a forged
//! span of millennia stays within [`COVERAGE_COLUMNS`] columns), each cell the reports of that
//! reporter that start that day, with the days a reporter skipped between its first and last
//! report (gaps) and the reports it sent more than once (duplicates). Cells are kept sparse:
//! only the rows sent to the page are laid out column by column.

use super::index::Index;
use super::model::{Coverage, CoverageCell, CoverageRow, COVERAGE_COLUMNS, COVERAGE_DAYS};
use crate::analysis::sorting::sort_by;
use crate::analysis::Selector;
use crate::ingest::ReportSet;
use crate::report::Name;
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// One reporter's reports and resends, per column with any.
type Tally = BTreeMap<usize, (u32, u32)>;

/// The grid under the view's selector: the first `limit` reporters (most reports first) and
/// the first `cells` non-empty cells of the table, and how many there are.
pub fn coverage(
    set: &ReportSet,
    index: &Index,
    selector: &Selector,
    limit: usize,
    cells: usize,
) -> Coverage {
    let filter = selector.filter();
    let mut dated: Vec<(usize, NaiveDate)> = Vec::new();
    for report_index in index.candidates_or_all(filter, set.reports.len()) {
        let loaded = &set.reports[report_index];
        if selector.select(report_index, loaded).is_none() {
            continue;
        }
        if let Some(day) = loaded.day.map(|day| day.date()) {
            dated.push((report_index, day));
        }
    }
    let (Some(first), Some(last)) = (
        dated.iter().map(|(_, day)| *day).min(),
        dated.iter().map(|(_, day)| *day).max(),
    ) else {
        return Coverage::default();
    };
    let span = (last - first).num_days() as usize + 1;
    let column_days = column_days(span);
    let columns = span.div_ceil(column_days);
    let mut tallies: BTreeMap<Name, Tally> = BTreeMap::new();
    for (report_index, day) in &dated {
        let reporter = match &set.reports[*report_index].report.organization_name {
            Some(name) => name.clone(),
            None => Name::from("(unnamed)"),
        };
        let column = (*day - first).num_days() as usize / column_days;
        let resent = set.resent.get(report_index).copied().unwrap_or(0);
        let cell = tallies
            .entry(reporter)
            .or_default()
            .entry(column)
            .or_default();
        cell.0 += 1;
        cell.1 += resent;
    }
    // Rank the reporters on their sparse tallies; lay out only the rows sent.
    let mut ranked: Vec<(u64, Name, Tally)> = tallies
        .into_iter()
        .map(|(reporter, tally)| {
            let reports = tally.values().map(|&(count, _)| u64::from(count)).sum();
            (reports, reporter, tally)
        })
        .collect();
    sort_by(&mut ranked, |a, b| {
        b.0.cmp(&a.0).then_with(|| a.1.cmp(&b.1))
    });
    let total_rows = ranked.len();
    ranked.truncate(limit);
    let rows: Vec<CoverageRow> = ranked
        .into_iter()
        .map(|(_, reporter, tally)| row(reporter.to_string(), &tally, columns))
        .collect();
    let mut table: Vec<CoverageCell> = Vec::new();
    let mut total_cells = 0;
    for row in &rows {
        for (column, (&count, &resent)) in row.cells.iter().zip(&row.resent).enumerate() {
            if count == 0 {
                continue;
            }
            total_cells += 1;
            if table.len() < cells {
                let start = first + chrono::TimeDelta::days((column * column_days) as i64);
                table.push(CoverageCell {
                    reporter: row.reporter.clone(),
                    day: start.into(),
                    reports: count,
                    resent,
                });
            }
        }
    }
    Coverage {
        first: Some(first.into()),
        last: Some(last.into()),
        column_days,
        columns,
        rows,
        total_rows,
        cells: table,
        total_cells,
    }
}

/// The days a column covers: a day up to [`COVERAGE_DAYS`] days, then a week, four weeks,
/// thirteen weeks or 52 weeks, the narrowest that keeps the grid within [`COVERAGE_COLUMNS`]
/// columns; past 52-week columns (a span of centuries, which only forged dates give), as many
/// days as keep it within that many.
pub fn column_days(span: usize) -> usize {
    if span <= COVERAGE_DAYS {
        return 1;
    }
    [7, 28, 91, 364]
        .into_iter()
        .find(|days| span.div_ceil(*days) <= COVERAGE_COLUMNS)
        .unwrap_or_else(|| span.div_ceil(COVERAGE_COLUMNS))
}

fn row(reporter: String, tally: &Tally, columns: usize) -> CoverageRow {
    let mut cells = vec![0u32; columns];
    let mut resent = vec![0u32; columns];
    for (&column, &(count, again)) in tally {
        cells[column] = count;
        resent[column] = again;
    }
    let first = tally.keys().next().copied().unwrap_or(0);
    let last = tally.keys().last().copied().unwrap_or(0);
    CoverageRow {
        reporter,
        reports: cells.iter().map(|&c| c as usize).sum(),
        active: tally.len(),
        gaps: (first..=last).filter(|&column| cells[column] == 0).count(),
        duplicates: resent.iter().map(|&c| c as usize).sum(),
        first_column: first,
        last_column: last,
        cells,
        resent,
    }
}

/// The table of the grid as CSV: a row per reporter and day (or week) with reports.
pub fn coverage_csv(coverage: &Coverage) -> String {
    crate::analysis::export::write(
        &["reporter", "day", "days", "reports", "received-again"],
        coverage.cells.iter().map(|cell| {
            vec![
                cell.reporter.clone(),
                cell.day.to_string(),
                coverage.column_days.to_string(),
                cell.reports.to_string(),
                cell.resent.to_string(),
            ]
        }),
    )
}
