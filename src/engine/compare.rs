//! Two periods side by side, per policy domain: sessions and success rate in each, and the
//! result types and reporters that appeared or vanished between them. It answers "did my
//! change on Tuesday fix it?". Each period is the page's filter narrowed to its days, so the
//! reports are selected from the index by day, not by walking every report.

use super::index::Index;
use super::model::{CompareColumn, CompareRow, Comparison, DayRange, PeriodFigures, RowOrder};
use crate::analysis::export;
use crate::analysis::sorting::{set_of, sort_by};
use crate::analysis::{compare_rates, domain_key, rate_tenths, Filter, Selector};
use crate::ingest::ReportSet;
use crate::report::Name;
use crate::report::ResultType;
use crate::text::{add_counts, Day};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// What one period says of one domain.
#[derive(Default)]
struct Side {
    figures: PeriodFigures,
    types: BTreeSet<ResultType>,
    reporters: BTreeSet<Name>,
    /// The last report counted (reports come in order, a report's entries together).
    last_report: Option<usize>,
}

/// The comparison of `before` and `after` under `filter`; the first `limit` rows (by domain,
/// or in `order`) are given, and how many there are. A range that does not read as two days
/// compares nothing.
pub fn compare(
    set: &ReportSet,
    index: &Index,
    filter: &Filter,
    before: Option<DayRange>,
    after: Option<DayRange>,
    order: Option<RowOrder<CompareColumn>>,
    limit: usize,
) -> Comparison {
    let (before_sides, before_reports) = period(set, index, filter, before);
    let (after_sides, after_reports) = period(set, index, filter, after);
    let domains: BTreeSet<&Name> = set_of(before_sides.keys().chain(after_sides.keys()));
    let empty = Side::default();
    let rows: Vec<CompareRow> = domains
        .into_iter()
        .map(|domain| {
            let was = before_sides.get(domain).unwrap_or(&empty);
            let now = after_sides.get(domain).unwrap_or(&empty);
            // What `a.difference(b)` gives, by lookups (no set-difference code per type).
            fn only<T: Ord + ToString>(a: &BTreeSet<T>, b: &BTreeSet<T>) -> Vec<String> {
                a.iter()
                    .filter(|item| !b.contains(item))
                    .map(T::to_string)
                    .collect()
            }
            CompareRow {
                domain: domain.to_string(),
                before: was.figures.clone(),
                after: now.figures.clone(),
                types_appeared: only(&now.types, &was.types),
                types_vanished: only(&was.types, &now.types),
                reporters_appeared: only(&now.reporters, &was.reporters),
                reporters_vanished: only(&was.reporters, &now.reporters),
            }
        })
        .collect();
    let mut rows = rows;
    if let Some(order) = order {
        sort_rows(&mut rows, order);
    }
    let total = rows.len();
    Comparison {
        before,
        after,
        before_reports,
        after_reports,
        rows: rows.into_iter().take(limit).collect(),
        total,
    }
}

/// Sorts the rows by a column of the comparison: the domain, the sessions before and after,
/// the success rates (compared exactly; no sessions counts as 0%), the change in points (a row without sessions in a period last, either way).
pub fn sort_rows(rows: &mut [CompareRow], order: RowOrder<CompareColumn>) {
    let total = |f: &PeriodFigures| add_counts(f.successful_sessions, f.failed_sessions);
    let rate = |f: &PeriodFigures| (f.successful_sessions, f.failed_sessions);
    let change = |row: &CompareRow| {
        let tenths = |f: &PeriodFigures| rate_tenths(f.successful_sessions, f.failed_sessions);
        Some(tenths(&row.after)? as i64 - tenths(&row.before)? as i64)
    };
    sort_by(rows, |a, b| {
        let directed = |ordering: std::cmp::Ordering| {
            if order.descending {
                ordering.reverse()
            } else {
                ordering
            }
        };
        match order.column {
            CompareColumn::Domain => directed(a.domain.cmp(&b.domain)),
            CompareColumn::SessionsBefore => directed(total(&a.before).cmp(&total(&b.before))),
            CompareColumn::RateBefore => directed(compare_rates(rate(&a.before), rate(&b.before))),
            CompareColumn::SessionsAfter => directed(total(&a.after).cmp(&total(&b.after))),
            CompareColumn::RateAfter => directed(compare_rates(rate(&a.after), rate(&b.after))),
            CompareColumn::Change => match (change(a), change(b)) {
                (Some(x), Some(y)) => directed(x.cmp(&y)),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            },
        }
    });
}

/// The figures of each domain over one range, and the number of reports in it.
fn period(
    set: &ReportSet,
    index: &Index,
    filter: &Filter,
    range: Option<DayRange>,
) -> (BTreeMap<Name, Side>, usize) {
    let mut sides: BTreeMap<Name, Side> = BTreeMap::new();
    let Some(narrowed) = narrowed(filter, range) else {
        return (sides, 0);
    };
    let selector = Selector::new(&narrowed);
    let mut reports = 0;
    for report_index in index.candidates_or_all(&narrowed, set.reports.len()) {
        let Some(selected) = selector.select(report_index, &set.reports[report_index]) else {
            continue;
        };
        reports += 1;
        let reporter = match &selected.loaded.report.organization_name {
            Some(name) => name.clone(),
            None => Name::from("(unnamed)"),
        };
        for choice in &selected.entries {
            let entry = choice.entry.as_ref();
            let side = sides.entry(domain_key(entry)).or_default();
            side.reporters.insert(reporter.clone());
            if side.last_report != Some(report_index) {
                side.last_report = Some(report_index);
                side.figures.reports += 1;
            }
            if !choice.counted {
                continue;
            }
            let figures = &mut side.figures;
            figures.successful_sessions =
                add_counts(figures.successful_sessions, entry.successful_sessions);
            figures.failed_sessions = add_counts(figures.failed_sessions, entry.failed_sessions);
            for detail in &entry.failure_details {
                side.types.insert(detail.result_type.clone());
            }
        }
    }
    (sides, reports)
}

/// The filter narrowed to the range's days (and to its own dates, if it has some); `None`
/// when the range does not read or leaves no day.
fn narrowed(filter: &Filter, range: Option<DayRange>) -> Option<Filter> {
    let range = range?;
    let (from, to) = (range.from.date(), range.to.date());
    let from = filter.from.map_or(from, |own| own.max(from));
    let to = filter.to.map_or(to, |own| own.min(to));
    (from <= to).then(|| Filter {
        from: Some(from),
        to: Some(to),
        ..filter.clone()
    })
}

/// The default split: the loaded days cut in two equal halves (the second half starts at the
/// middle day); a single day is compared with itself.
pub fn halves(first: NaiveDate, last: NaiveDate) -> (DayRange, DayRange) {
    let span = (last - first).num_days();
    let middle = first + chrono::TimeDelta::days((span + 1) / 2);
    let before_end = if middle > first {
        middle.pred_opt().unwrap_or(first)
    } else {
        first
    };
    (
        DayRange {
            from: first.into(),
            to: before_end.into(),
        },
        DayRange {
            from: middle.into(),
            to: last.into(),
        },
    )
}

/// The comparison as CSV: a row per domain, both periods side by side, and a row per result
/// type and reporter that appeared or vanished (see `export::item_rows`).
pub fn comparison_csv(comparison: &Comparison) -> String {
    // One period's cells: its days, then the domain's figures over them.
    let period = |range: Option<DayRange>, figures: &PeriodFigures| {
        let end = |end: fn(DayRange) -> Day| range.map(|range| end(range).to_string());
        [
            end(|range| range.from).unwrap_or_default(),
            end(|range| range.to).unwrap_or_default(),
            figures.successful_sessions.to_string(),
            figures.failed_sessions.to_string(),
            crate::analysis::format_rate(figures.successful_sessions, figures.failed_sessions),
        ]
    };
    export::write(
        &[
            "policy-domain",
            "before-from",
            "before-to",
            "before-successful-sessions",
            "before-failed-sessions",
            "before-success-rate",
            "after-from",
            "after-to",
            "after-successful-sessions",
            "after-failed-sessions",
            "after-success-rate",
            "name-kind",
            "name",
        ],
        comparison.rows.iter().flat_map(|row| {
            let mut figures = period(comparison.before, &row.before).to_vec();
            figures.extend(period(comparison.after, &row.after));
            let names = export::named(&[
                ("result-type-appeared", &row.types_appeared),
                ("result-type-vanished", &row.types_vanished),
                ("reporter-appeared", &row.reporters_appeared),
                ("reporter-vanished", &row.reporters_vanished),
            ]);
            export::item_rows(vec![row.domain.clone()], figures, names)
        }),
    )
}
