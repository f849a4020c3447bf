//! The table of domains: one row per policy domain with its figures, a trend over the loaded
//! period, its policy and its verdict. The worker searches, sorts and pages every domain, so
//! the page draws one page of rows whatever the number of domains.

use super::model::{DomainColumn, DomainRow, RowOrder, TREND_POINTS};
use crate::analysis::diagnosis::DomainHealth;
use crate::analysis::sorting::{sort, sort_by};
use crate::analysis::{DayRow, PerDayTally};
use crate::report::policy_text::StsMode;
use chrono::Datelike;
use std::collections::BTreeMap;

/// The rows whose domain holds `search` (any case), sorted, and how many there are; only the
/// first `limit` are given, with their trend.
pub fn domain_rows(
    health: &[DomainHealth],
    reports: &BTreeMap<String, usize>,
    days: &PerDayTally,
    search: &str,
    order: Option<RowOrder<DomainColumn>>,
    limit: usize,
) -> (Vec<DomainRow>, usize) {
    let search = search.trim().to_lowercase();
    // Every matching domain is sorted by what its row shows; only the rows sent get the
    // verdict's texts and the trend.
    let mut rows: Vec<(DomainRow, &DomainHealth)> = health
        .iter()
        .filter(|line| search.is_empty() || line.policy_domain.to_lowercase().contains(&search))
        .map(|line| {
            (
                row(line, reports.get(&line.policy_domain).copied().unwrap_or(0)),
                line,
            )
        })
        .collect();
    match order {
        Some(order) => sort_by(&mut rows, |(a, _), (b, _)| compare_rows(a, b, order)),
        None => sort_by(&mut rows, |(a, _), (b, _)| worst_first(a, b)),
    }
    let total = rows.len();
    rows.truncate(limit);
    let number = |day: chrono::NaiveDate| day.num_days_from_ce() as i64;
    let span = days
        .span()
        .map(|(first, last)| (number(first), number(last)));
    let rows = rows
        .into_iter()
        .map(|(mut row, line)| {
            row.verdict = line.verdict.clone();
            row.verdict_figures = line.verdict_figures.clone();
            row.trend = trend(&days.rows(Some(&row.domain), false), span);
            row
        })
        .collect();
    (rows, total)
}

/// A domain's row, without the verdict's texts and the trend (added for the rows sent).
fn row(line: &DomainHealth, reports: usize) -> DomainRow {
    DomainRow {
        domain: line.policy_domain.clone(),
        reports,
        successful_sessions: line.successful_sessions,
        failed_sessions: line.failed_sessions,
        trend: Vec::new(),
        policy: policy_label(line),
        verdict_status: line.verdict_status,
        verdict: String::new(),
        verdict_figures: Vec::new(),
        problems: line.problems,
        critical: line.critical,
        notes: line.notes,
        worst: line.worst,
        filtered: line.filtered,
    }
}

/// "MTA-STS enforce", "MTA-STS testing + DANE", "DANE", "MTA-STS (mode not given)" when no
/// report gives the policy's text, or "none seen".
pub fn policy_label(line: &DomainHealth) -> String {
    let mut parts = Vec::new();
    if line.sts_policies.is_empty() && line.sts_without_text {
        parts.push("MTA-STS (mode not given)".to_string());
    }
    if !line.sts_policies.is_empty() {
        let mut modes: Vec<&str> = line
            .sts_policies
            .iter()
            .filter_map(|policy| policy.mode.as_ref().map(StsMode::as_str))
            .collect();
        sort(&mut modes);
        modes.dedup();
        parts.push(match modes.is_empty() {
            true => "MTA-STS".to_string(),
            false => format!("MTA-STS {}", modes.join("/")),
        });
    }
    if !line.tlsa_records.is_empty() || line.tlsa_without_text {
        parts.push("DANE".to_string());
    }
    if parts.is_empty() {
        "none seen".to_string()
    } else {
        parts.join(" + ")
    }
}

/// The table's own order, for triage: by verdict (Not yet, then Not enough data, then
/// Ready); within each, the most failed sessions over the loaded period first; then by name.
/// A domain at 87% of 15 sessions no longer ranks above one failing 2,000 of 100,000.
fn worst_first(a: &DomainRow, b: &DomainRow) -> std::cmp::Ordering {
    a.verdict_status
        .rank()
        .cmp(&b.verdict_status.rank())
        .then_with(|| b.failed_sessions.cmp(&a.failed_sessions))
        .then_with(|| a.domain.cmp(&b.domain))
}

/// The order of two rows by a column; ties go by domain.
fn compare_rows(a: &DomainRow, b: &DomainRow, order: RowOrder<DomainColumn>) -> std::cmp::Ordering {
    let by = match order.column {
        DomainColumn::Reports => a.reports.cmp(&b.reports),
        DomainColumn::Sessions => sessions(a).cmp(&sessions(b)),
        DomainColumn::Failed => a.failed_sessions.cmp(&b.failed_sessions),
        // Rates compared exactly; a domain without sessions sorts as 0%.
        DomainColumn::SuccessRate => crate::analysis::compare_rates(
            (a.successful_sessions, a.failed_sessions),
            (b.successful_sessions, b.failed_sessions),
        ),
        DomainColumn::Policy => a.policy.cmp(&b.policy),
        // Not yet, then not enough data, then ready.
        DomainColumn::Verdict => a.verdict_status.rank().cmp(&b.verdict_status.rank()),
        DomainColumn::Critical => a.critical.cmp(&b.critical),
        DomainColumn::Problems => a.problems.cmp(&b.problems),
        DomainColumn::Notes => a.notes.cmp(&b.notes),
        DomainColumn::Domain => a.domain.cmp(&b.domain),
    };
    let by = if order.descending { by.reverse() } else { by };
    by.then_with(|| a.domain.cmp(&b.domain))
}

fn sessions(row: &DomainRow) -> u128 {
    row.successful_sessions as u128 + row.failed_sessions as u128
}

/// The success rate over equal stretches of the period (at most [`TREND_POINTS`]), in
/// tenths of a percent; `None` for a stretch without sessions.
fn trend(days: &[DayRow], span: Option<(i64, i64)>) -> Vec<Option<u64>> {
    let Some((first, last)) = span else {
        return Vec::new();
    };
    let length = (last - first + 1) as usize;
    let points = length.min(TREND_POINTS);
    let mut sums = vec![(0u64, 0u64); points];
    for row in days {
        let number = row.day.number();
        let offset = (number - first).clamp(0, last - first) as usize;
        let point = offset * points / length;
        let sum = &mut sums[point];
        sum.0 = crate::text::add_counts(sum.0, row.successful_sessions);
        sum.1 = crate::text::add_counts(sum.1, row.failed_sessions);
    }
    sums.into_iter()
        .map(|(successful, failed)| crate::analysis::rate_tenths(successful, failed))
        .collect()
}

/// The path data of a trend: the known points joined where they follow one another (a lone
/// point is a dot: a line of no length, drawn with round ends), and the bridges over the
/// stretches without sessions.
pub fn trend_paths(points: &[Option<u64>], width: usize, height: u64) -> (String, String) {
    let step = if points.len() > 1 {
        width / (points.len() - 1)
    } else {
        0
    };
    let mut solid = String::new();
    let mut bridges = String::new();
    let mut previous: Option<(usize, (usize, u64))> = None;
    for (index, point) in points.iter().enumerate() {
        let Some(tenths) = point else { continue };
        // 100% at the top, 0% at the bottom.
        let at = (
            index * step,
            (1000 - tenths.min(&1000)) * (height - 2) / 1000 + 1,
        );
        match previous {
            Some((last, _)) if last + 1 == index => solid.push_str(&format!("L{},{}", at.0, at.1)),
            Some((_, (x, y))) => {
                bridges.push_str(&format!("M{x},{y}L{},{}", at.0, at.1));
                solid.push_str(&format!("M{},{}l0,0", at.0, at.1));
            }
            None => solid.push_str(&format!("M{},{}l0,0", at.0, at.1)),
        }
        previous = Some((index, at));
    }
    (solid, bridges)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::diagnosis::VerdictStatus;

    fn sort_domain_rows(rows: &mut [DomainRow], order: RowOrder<DomainColumn>) {
        rows.sort_by(|a, b| compare_rows(a, b, order));
    }

    /// The first and last day of some days, as day numbers (what `days.span()` gives).
    fn period(days: &[DayRow]) -> Option<(i64, i64)> {
        let numbers: Vec<i64> = days.iter().map(|row| row.day.number()).collect();
        Some((*numbers.iter().min()?, *numbers.iter().max()?))
    }

    fn row(domain: &str, reports: usize, ok: u64, failed: u64, status: VerdictStatus) -> DomainRow {
        DomainRow {
            domain: domain.to_string(),
            reports,
            successful_sessions: ok,
            failed_sessions: failed,
            trend: Vec::new(),
            policy: String::new(),
            verdict_status: status,
            verdict: String::new(),
            verdict_figures: Vec::new(),
            problems: 0,
            critical: 0,
            notes: 0,
            worst: None,
            filtered: None,
        }
    }

    #[test]
    fn sorts_by_each_column_with_the_domain_breaking_ties() {
        let mut rows = vec![
            row("c.example", 1, 90, 10, VerdictStatus::Ready),
            row("a.example", 5, 1, 0, VerdictStatus::NotYet),
            row("b.example", 5, 999, 1, VerdictStatus::NotEnoughData),
        ];
        let names = |rows: &[DomainRow]| rows.iter().map(|r| r.domain.clone()).collect::<Vec<_>>();
        sort_domain_rows(&mut rows, RowOrder::new(DomainColumn::Reports, true));
        assert_eq!(names(&rows), ["a.example", "b.example", "c.example"]);
        sort_domain_rows(&mut rows, RowOrder::new(DomainColumn::SuccessRate, false));
        assert_eq!(names(&rows), ["c.example", "b.example", "a.example"]);
        sort_domain_rows(&mut rows, RowOrder::new(DomainColumn::Verdict, false));
        assert_eq!(names(&rows), ["a.example", "b.example", "c.example"]);
        sort_domain_rows(&mut rows, RowOrder::new(DomainColumn::Domain, true));
        assert_eq!(names(&rows), ["c.example", "b.example", "a.example"]);
    }

    #[test]
    fn by_default_the_worst_come_first() {
        // Not yet, then not enough data, then ready; the most failed sessions first within,
        // whatever the rate: 2,000 failures of 100,000 before 87 of 100.
        let mut rows = [
            row("a.example", 1, 100, 0, VerdictStatus::Ready),
            row("b.example", 1, 98_000, 2_000, VerdictStatus::NotYet),
            row("c.example", 1, 13, 87, VerdictStatus::NotYet),
            row("d.example", 1, 10, 0, VerdictStatus::NotEnoughData),
            row("e.example", 1, 5, 3, VerdictStatus::NotEnoughData),
            row("f.example", 1, 13, 87, VerdictStatus::NotYet),
        ];
        rows.sort_by(worst_first);
        let names: Vec<&str> = rows.iter().map(|r| r.domain.as_str()).collect();
        assert_eq!(
            names,
            [
                "b.example",
                "c.example",
                "f.example",
                "e.example",
                "d.example",
                "a.example"
            ]
        );
    }

    #[test]
    fn the_trend_bins_the_period_into_at_most_30_points() {
        let day = |day: &str, ok: u64, failed: u64| DayRow {
            successful_sessions: ok,
            failed_sessions: failed,
            ..DayRow::empty(crate::text::Day::parse(day).unwrap())
        };
        let all = [day("2026-01-01", 1, 0), day("2026-12-31", 1, 0)];
        let span = period(&all);
        let points = trend(&[day("2026-01-01", 9, 1), day("2026-12-31", 1, 1)], span);
        assert_eq!(points.len(), 30);
        assert_eq!(points[0], Some(900));
        assert_eq!(points[29], Some(500));
        assert!(points[1..29].iter().all(Option::is_none));
        // A short period has a point per day.
        let span = period(&[day("2026-01-01", 1, 0), day("2026-01-03", 1, 0)]);
        assert_eq!(
            trend(&[day("2026-01-02", 1, 0)], span),
            [None, Some(1000), None]
        );
    }

    #[test]
    fn a_trend_is_one_solid_path_and_one_path_of_bridges() {
        // 100%, 50%, a stretch without sessions, 0%, then a lone point after another gap.
        let points = [Some(1000), Some(500), None, Some(0), None, None, Some(1000)];
        let (solid, bridges) = trend_paths(&points, 60, 18);
        assert_eq!(solid, "M0,1l0,0L10,9M30,17l0,0M60,1l0,0");
        assert_eq!(bridges, "M10,9L30,17M30,17L60,1");
        assert_eq!(
            trend_paths(&[None, None], 60, 18),
            (String::new(), String::new())
        );
    }
}
