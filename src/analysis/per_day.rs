//! The timeline: sessions per day (the UTC day each report's period starts), successful and
//! failed, with the failures by result type, for all domains together and for each domain.

use super::select::{Selected, Selector};
use super::tally::{push_report, report_list, TypeCount, TypeTally};
use super::{domain_key, Filter};
use crate::analysis::sorting::sort_by;
use crate::ingest::ReportSet;
use crate::report::{Name, PolicyEntry};
use crate::text::{add_counts, Day};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DayRow {
    pub day: Day,
    pub successful_sessions: u64,
    /// As the summaries give it (with the counting rule applied).
    pub failed_sessions: u64,
    /// From the failure details of the counted entries.
    pub failures_by_type: Vec<TypeCount>,
    /// Failed sessions that no failure detail accounts for.
    pub unitemised_failures: u64,
    pub report_count: usize,
    /// The reports behind the day (indices into the report set).
    pub reports: Vec<usize>,
}

#[derive(Debug, Clone, Default)]
struct DayTally {
    successful: u64,
    failed: u64,
    tally: TypeTally,
    unitemised: u64,
    reports: Vec<usize>,
}

impl DayRow {
    /// A day without sessions or reports.
    pub fn empty(day: Day) -> Self {
        DayRow {
            day,
            successful_sessions: 0,
            failed_sessions: 0,
            failures_by_type: Vec::new(),
            unitemised_failures: 0,
            report_count: 0,
            reports: Vec::new(),
        }
    }
}

/// Adds the entry to the day's row, made on first use.
fn add_to(days: &mut BTreeMap<Day, DayTally>, day: Day, entry: &PolicyEntry, report_index: usize) {
    days.entry(day).or_default().add(entry, report_index);
}

impl DayTally {
    fn add(&mut self, entry: &PolicyEntry, report_index: usize) {
        self.successful = add_counts(self.successful, entry.successful_sessions);
        self.failed = add_counts(self.failed, entry.failed_sessions);
        self.tally.add_details(entry);
        self.unitemised = add_counts(
            self.unitemised,
            entry
                .failed_sessions
                .saturating_sub(entry.itemised_failures()),
        );
        push_report(&mut self.reports, report_index);
    }
}

/// The days of all domains together and of each domain, kept up to date one report at a time.
#[derive(Debug, Clone, Default)]
pub struct PerDayTally {
    all: BTreeMap<Day, DayTally>,
    by_domain: BTreeMap<Name, BTreeMap<Day, DayTally>>,
}

impl PerDayTally {
    /// The first and last day with reports (of all domains), without listing the days.
    pub fn span(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        let first = self.all.keys().next()?;
        let last = self.all.keys().next_back()?;
        Some((first.date(), last.date()))
    }

    /// Reports without a date are left out (the overview counts them).
    pub fn add(&mut self, selected: &Selected<'_>) {
        let Some(day) = selected.loaded.day else {
            return;
        };
        for entry in selected.counted() {
            add_to(&mut self.all, day, entry, selected.report_index);
            let days = self.by_domain.entry(domain_key(entry)).or_default();
            add_to(days, day, entry, selected.report_index);
        }
    }

    /// The days of one domain, or of all domains when `domain` is None; with `lists`, each
    /// with the reports behind it (else only their number).
    pub fn rows(&self, domain: Option<&str>, lists: bool) -> Vec<DayRow> {
        let days = match domain {
            None => Some(&self.all),
            Some(domain) => self
                .by_domain
                .get(crate::report::names::host_name(domain).as_str()),
        };
        days.into_iter()
            .flatten()
            .map(|(day, row)| DayRow {
                day: *day,
                successful_sessions: row.successful,
                failed_sessions: row.failed,
                failures_by_type: row.tally.sorted(),
                unitemised_failures: row.unitemised,
                report_count: row.reports.len(),
                reports: report_list(lists, &row.reports),
            })
            .collect()
    }
}

/// The days of one domain, or of all domains when `domain` is None, over a whole set.
pub fn per_day(set: &ReportSet, domain: Option<&str>) -> Vec<DayRow> {
    let selector = Selector::new(&Filter::default());
    let mut tally = PerDayTally::default();
    for (index, loaded) in set.reports.iter().enumerate() {
        if let Some(selected) = selector.select(index, loaded) {
            tally.add(&selected);
        }
    }
    tally.rows(domain, true)
}

/// A bar of the timeline: one day, or a week or a month of days when there are too many to
/// draw one bar each. `label` names it ("2026-03-02", "week of 2026-03-02", "2026-03");
/// `row.day` is its first day, and `range` the first and last day it covers, for a bar of
/// several days.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Bar {
    pub label: String,
    pub row: DayRow,
    pub range: Option<(Day, Day)>,
    /// What the bar covers: a day, a week, a month, a year or a run of days.
    pub span: BarSpan,
    /// The stretch without reports between the previous bar and this one, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quiet_before: Option<Quiet>,
}

/// Days without reports between two bars of the timeline: `periods` bars' worth of them
/// (days, weeks, months or years, as the bars are), from `from` to `to`. The chart leaves
/// that much room on its date axis, up to [`QUIET_DRAWN`] periods; a longer stretch is a
/// break of the axis, labelled with its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Quiet {
    pub from: Day,
    pub to: Day,
    pub periods: u32,
}

/// The longest stretch without reports drawn to scale; a longer one breaks the axis.
pub const QUIET_DRAWN: u32 = 30;

/// The room a break of the axis takes, in bars.
pub const QUIET_BREAK_SLOTS: u32 = 2;

impl Quiet {
    /// Whether the chart breaks its axis here rather than draw the stretch to scale.
    pub fn breaks_axis(self) -> bool {
        self.periods > QUIET_DRAWN
    }

    /// The room it takes on the axis, in bars.
    pub fn slots(self) -> u32 {
        if self.breaks_axis() {
            QUIET_BREAK_SLOTS
        } else {
            self.periods
        }
    }

    /// How many calendar days it covers.
    pub fn days(self) -> i64 {
        (self.to.date() - self.from.date()).num_days() + 1
    }
}

/// The place of a day on an axis of `span`s: consecutive periods have consecutive numbers.
fn period_number(span: BarSpan, day: chrono::NaiveDate) -> i64 {
    use chrono::Datelike;
    let days = i64::from(day.num_days_from_ce());
    match span {
        BarSpan::Day | BarSpan::Run => days,
        BarSpan::Week => (days - i64::from(day.weekday().num_days_from_monday())).div_euclid(7),
        BarSpan::Month => i64::from(day.year()) * 12 + i64::from(day.month0()),
        BarSpan::Year => i64::from(day.year()),
    }
}

/// Notes on each bar the quiet stretch before it (none between runs, which are not calendar
/// periods), and returns the room the bars and stretches take on the axis.
fn mark_quiet(bars: &mut [Bar]) -> usize {
    let mut slots = bars.len();
    for index in 1..bars.len() {
        let span = bars[index].span;
        if span == BarSpan::Run {
            continue;
        }
        let previous_last = bars[index - 1]
            .range
            .map_or(bars[index - 1].row.day, |range| range.1);
        let first = bars[index].row.day;
        let between =
            period_number(span, first.date()) - period_number(span, previous_last.date()) - 1;
        if between <= 0 {
            continue;
        }
        let (Some(from), Some(to)) = (previous_last.date().succ_opt(), first.date().pred_opt())
        else {
            continue;
        };
        let quiet = Quiet {
            from: Day::new(from),
            to: Day::new(to),
            periods: u32::try_from(between).unwrap_or(u32::MAX),
        };
        slots = slots.saturating_add(quiet.slots() as usize);
        bars[index].quiet_before = Some(quiet);
    }
    slots
}

/// What one bar of the timeline covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BarSpan {
    #[default]
    Day,
    Week,
    Month,
    Year,
    /// Equally many days with reports (a forged spread of dates).
    Run,
}

impl BarSpan {
    /// "day", "week", "month", "year", "run of days".
    pub fn as_str(self) -> &'static str {
        match self {
            BarSpan::Day => "day",
            BarSpan::Week => "week",
            BarSpan::Month => "month",
            BarSpan::Year => "year",
            BarSpan::Run => "run of days",
        }
    }
}

/// How much of the calendar a bar of the timeline covers, at the finest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Granularity {
    #[default]
    Days,
    Weeks,
    Months,
}

/// The bars for `days` (in order): one per day up to `most`, else one per week, else one
/// per month, else one per year, else runs of equally many days, so that a year is 53 bars
/// and no forged spread of days draws more than `most`.
pub fn bars(days: &[DayRow], most: usize) -> Vec<Bar> {
    bars_by(days, Granularity::Days, most)
}

/// As [`bars`], with bars of at least a week or a month when `finest` asks for it. The
/// bars and the quiet stretches between them (see [`Quiet`]) fit in `most` bars' room.
pub fn bars_by(days: &[DayRow], finest: Granularity, most: usize) -> Vec<Bar> {
    let fits = |mut bars: Vec<Bar>| (mark_quiet(&mut bars) <= most).then_some(bars);
    if finest == Granularity::Days {
        let daily = days
            .iter()
            .map(|row| Bar {
                label: row.day.to_string(),
                row: row.clone(),
                range: None,
                span: BarSpan::Day,
                quiet_before: None,
            })
            .collect();
        if let Some(bars) = fits(daily) {
            return bars;
        }
    }
    if finest <= Granularity::Weeks {
        let weekly = bin(days, BarSpan::Week, |_, day| {
            format!("week of {}", day.week(chrono::Weekday::Mon).first_day())
        });
        if let Some(bars) = fits(weekly) {
            return bars;
        }
    }
    let monthly = bin(days, BarSpan::Month, |_, day| {
        use chrono::Datelike;
        format!("{:04}-{:02}", day.year(), day.month())
    });
    if let Some(bars) = fits(monthly) {
        return bars;
    }
    let yearly = bin(days, BarSpan::Year, |_, day| {
        use chrono::Datelike;
        format!("{:04}", day.year())
    });
    if let Some(bars) = fits(yearly) {
        return bars;
    }
    // Runs of equally many days with reports, labelled by their first and last day.
    let run = days.len().div_ceil(most.max(1));
    let mut bars = bin(days, BarSpan::Run, |index, _| {
        format!("run {}", index / run)
    });
    for bar in &mut bars {
        if let Some((from, to)) = bar.range {
            bar.label = if from == to {
                from.to_string()
            } else {
                format!("{from} to {to}")
            };
        }
    }
    bars
}

/// Consecutive days with the same key (from their place and date) make one bar, labelled by
/// the key.
fn bin(
    days: &[DayRow],
    span: BarSpan,
    key: impl Fn(usize, chrono::NaiveDate) -> String,
) -> Vec<Bar> {
    let mut bars: Vec<Bar> = Vec::new();
    let mut types = TypeTally::default();
    for (index, row) in days.iter().enumerate() {
        let name = key(index, row.day.date());
        if bars.last().is_none_or(|bar| bar.label != name) {
            if let Some(last) = bars.last_mut() {
                last.row.failures_by_type = std::mem::take(&mut types).sorted();
            }
            bars.push(Bar {
                label: name,
                row: DayRow::empty(row.day),
                range: Some((row.day, row.day)),
                span,
                quiet_before: None,
            });
        }
        let Some(bar) = bars.last_mut() else { continue };
        if let Some(range) = &mut bar.range {
            range.1 = row.day;
        }
        let total = &mut bar.row;
        total.successful_sessions = add_counts(total.successful_sessions, row.successful_sessions);
        total.failed_sessions = add_counts(total.failed_sessions, row.failed_sessions);
        total.unitemised_failures = add_counts(total.unitemised_failures, row.unitemised_failures);
        total.report_count += row.report_count;
        total.reports.extend(&row.reports);
        for t in &row.failures_by_type {
            types.add(&t.result_type, t.sessions);
        }
    }
    if let Some(last) = bars.last_mut() {
        last.row.failures_by_type = types.sorted();
    }
    bars
}

/// Sorts the days by a column of the Timeline's table, stably: the worker sorts every day and sends a page.
pub fn sort_day_rows(rows: &mut [DayRow], order: super::RowOrder<DayColumn>) {
    let number = |row: &DayRow| -> u64 {
        match order.column {
            DayColumn::Successful => row.successful_sessions,
            DayColumn::Failed => row.failed_sessions,
            DayColumn::Failures => row
                .failures_by_type
                .iter()
                .fold(0, |sum, t| crate::text::add_counts(sum, t.sessions)),
            _ => row.report_count as u64,
        }
    };
    sort_by(rows, |a, b| {
        let by = match order.column {
            DayColumn::Day => a.day.cmp(&b.day),
            _ => number(a).cmp(&number(b)),
        };
        super::directed(by, order.descending)
    });
}

/// The columns of the Timeline's table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DayColumn {
    Day,
    Successful,
    Failed,
    Failures,
    Reports,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(day: &str, failed: u64) -> DayRow {
        DayRow {
            day: Day::parse(day).unwrap(),
            successful_sessions: 10,
            failed_sessions: failed,
            failures_by_type: vec![TypeCount {
                result_type: crate::report::ResultType::CertificateExpired,
                sessions: failed,
            }],
            report_count: 1,
            ..DayRow::empty(Day::parse(day).unwrap())
        }
    }

    #[test]
    fn a_forged_spread_of_years_stays_within_the_bars_and_loses_nothing() {
        let mut days: Vec<DayRow> = (0..6000)
            .map(|i| day(&format!("{:04}-{:02}-01", 1000 + i / 6, 1 + (i % 6) * 2), 1))
            .collect();
        let years = bars(&days[..600], 180);
        assert_eq!(years.len(), 100, "600 rows over 100 years: a bar per year");
        assert_eq!(years[0].label, "1000");
        let runs = bars(&days[..1200], 180);
        assert_eq!(
            runs.len(),
            172,
            "200 years are over 180 bars: runs of 7 days with reports"
        );
        days.push(day("+10000-01-01", 1));
        let shown = bars(&days, 180);
        assert!(shown.len() <= 181, "{} bars", shown.len());
        assert_eq!(
            shown.iter().map(|b| b.row.report_count).sum::<usize>(),
            6001
        );
        // A day past year 9999 is a day like any other: the last run ends on it.
        let last = shown.last().unwrap().range.unwrap().1;
        assert_eq!(last.to_string(), "+10000-01-01");
        assert!(
            shown[0].label.starts_with("1000-01-01 to "),
            "{}",
            shown[0].label
        );
    }

    #[test]
    fn days_without_reports_are_room_on_the_axis_or_a_break_in_it() {
        let days: Vec<DayRow> = ["2024-01-01", "2024-01-02", "2024-01-05", "2024-06-01"]
            .iter()
            .map(|d| day(d, 1))
            .collect();
        let shown = bars(&days, 180);
        let quiet: Vec<Option<Quiet>> = shown.iter().map(|b| b.quiet_before).collect();
        assert_eq!(quiet[0], None);
        assert_eq!(quiet[1], None, "consecutive days");
        let short = quiet[2].unwrap();
        assert_eq!(
            (short.from.to_string(), short.to.to_string()),
            ("2024-01-03".into(), "2024-01-04".into())
        );
        assert_eq!(
            (short.periods, short.slots(), short.breaks_axis()),
            (2, 2, false)
        );
        let long = quiet[3].unwrap();
        assert_eq!(long.days(), 147, "2024-01-06 to 2024-05-31");
        assert!(long.breaks_axis());
        assert_eq!(long.slots(), QUIET_BREAK_SLOTS);
        // Weeks count the weeks between: the week of 2024-01-01 and that of 2024-05-27.
        let weeks = bars_by(&days, Granularity::Weeks, 180);
        assert_eq!(weeks.len(), 2);
        assert_eq!(weeks[1].quiet_before.unwrap().periods, 20);
        // Every day of a year without a gap: no quiet stretch anywhere.
        let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let year: Vec<DayRow> = (0..100)
            .map(|i| day(&(start + chrono::TimeDelta::days(i)).to_string(), 1))
            .collect();
        assert!(bars(&year, 180).iter().all(|b| b.quiet_before.is_none()));
        // Sparse days whose stretches would take more room than the chart has: weeks.
        let sparse: Vec<DayRow> = (0..90)
            .map(|i| day(&(start + chrono::TimeDelta::days(i * 3)).to_string(), 1))
            .collect();
        let binned = bars(&sparse, 180);
        assert_eq!(
            binned[0].span,
            BarSpan::Week,
            "90 days and 89 stretches of 2 days"
        );
        assert_eq!(binned.iter().map(|b| b.row.report_count).sum::<usize>(), 90);
    }

    #[test]
    fn a_chosen_granularity_gives_weeks_or_months_even_for_few_days() {
        let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let days: Vec<DayRow> = (0..365)
            .map(|i| day(&(start + chrono::TimeDelta::days(i)).to_string(), 1))
            .collect();
        assert_eq!(bars_by(&days[..30], Granularity::Days, 180).len(), 30);
        let weeks = bars_by(&days[..30], Granularity::Weeks, 180);
        assert_eq!(weeks.len(), 5, "30 days from a Monday touch 5 weeks");
        assert_eq!(weeks[4].label, "week of 2024-01-29");
        assert!(weeks.iter().all(|bar| bar.span == BarSpan::Week));
        let months = bars_by(&days, Granularity::Months, 180);
        assert_eq!(months.len(), 12);
        assert_eq!(months[1].label, "2024-02");
        assert_eq!(months[1].span, BarSpan::Month);
        assert_eq!(months[1].row.report_count, 29, "2024 is a leap year");
        // A year by day is 365 bars: past 180 it falls back to weeks.
        assert_eq!(bars_by(&days, Granularity::Days, 180).len(), 53);
        for set in [&weeks[..], &months[..]] {
            let failed: u64 = set.iter().map(|b| b.row.failed_sessions).sum();
            assert_eq!(
                failed,
                set.iter().map(|b| b.row.report_count as u64).sum::<u64>()
            );
        }
    }

    #[test]
    fn many_days_become_weeks_then_months_and_keep_every_count() {
        let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
        let days: Vec<DayRow> = (0..5000)
            .map(|i| day(&(start + chrono::TimeDelta::days(i)).to_string(), 2))
            .collect();
        let few = bars(&days[..30], 180);
        assert_eq!(few.len(), 30);
        assert!(few.iter().all(|bar| bar.range.is_none()));
        let weeks = bars(&days[..700], 180);
        assert_eq!(weeks.len(), 100, "700 days from a Monday are 100 weeks");
        assert_eq!(weeks[0].label, "week of 2024-01-01");
        assert_eq!(
            weeks[0].range,
            Some((
                Day::parse("2024-01-01").unwrap(),
                Day::parse("2024-01-07").unwrap()
            ))
        );
        let months = bars(&days, 180);
        assert_eq!(
            months.len(),
            165,
            "5,000 days from January 2024 reach September 2037"
        );
        assert_eq!(months[0].label, "2024-01");
        assert_eq!(months[0].row.report_count, 31);
        for (set, covered) in [(&weeks, 700u64), (&months, 5000)] {
            assert_eq!(
                set.iter().map(|b| b.row.report_count as u64).sum::<u64>(),
                covered
            );
            assert_eq!(
                set.iter().map(|b| b.row.failed_sessions).sum::<u64>(),
                2 * covered
            );
            let by_type: u64 = set
                .iter()
                .flat_map(|b| &b.row.failures_by_type)
                .map(|t| t.sessions)
                .sum();
            assert_eq!(by_type, 2 * covered);
        }
    }
}
