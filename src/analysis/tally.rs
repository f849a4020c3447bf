//! Small shared pieces of counting: failures by result type, and success rates.

use crate::analysis::sorting::sort_by;
use crate::report::ResultType;
use crate::text::add_counts;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Sessions that failed with one result type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct TypeCount {
    pub result_type: ResultType,
    pub sessions: u64,
}

/// Failures by result type, accumulated then listed most frequent first.
#[derive(Debug, Default, Clone)]
pub(super) struct TypeTally(BTreeMap<ResultType, u64>);

impl TypeTally {
    /// Adds sessions to a result type; a new one is keyed by the shared name (no copy).
    pub(super) fn add(&mut self, result_type: &ResultType, sessions: u64) {
        let count = self.0.entry(result_type.clone()).or_default();
        *count = add_counts(*count, sessions);
    }

    /// Adds every failure detail of the entry.
    pub(super) fn add_details(&mut self, entry: &crate::report::PolicyEntry) {
        for detail in &entry.failure_details {
            self.add(&detail.result_type, detail.failed_session_count);
        }
    }

    pub(super) fn sorted(&self) -> Vec<TypeCount> {
        let mut counts: Vec<TypeCount> = self
            .0
            .iter()
            .map(|(result_type, &sessions)| TypeCount {
                result_type: result_type.clone(),
                sessions,
            })
            .collect();
        sort_by(&mut counts, |a, b| {
            b.sessions
                .cmp(&a.sessions)
                .then(a.result_type.cmp(&b.result_type))
        });
        counts
    }
}

/// Successful sessions as a share of all sessions, or `None` when there were none.
pub fn success_rate(successful: u64, failed: u64) -> Option<f64> {
    let total = successful as f64 + failed as f64;
    (total > 0.0).then(|| successful as f64 / total)
}

/// "99.2%": rounded down to a tenth, so that any failure keeps the rate below 100%.
pub fn format_rate(successful: u64, failed: u64) -> String {
    match rate_tenths(successful, failed) {
        None => "–".to_string(),
        Some(tenths) => format!("{}.{}%", tenths / 10, tenths % 10),
    }
}

/// The success rate in tenths of a percent, rounded down (946 for 94.6%), in whole numbers:
/// exact at any count, and the page needs no float formatting.
pub fn rate_tenths(successful: u64, failed: u64) -> Option<u64> {
    let total = successful as u128 + failed as u128;
    (total > 0).then(|| (successful as u128 * 1000 / total) as u64)
}

/// A table's order of two rows, turned round for a descending sort.
pub fn directed(order: std::cmp::Ordering, descending: bool) -> std::cmp::Ordering {
    if descending {
        order.reverse()
    } else {
        order
    }
}

/// Two success rates compared exactly, in whole numbers (no sessions compares as 0%).
pub fn compare_rates(a: (u64, u64), b: (u64, u64)) -> std::cmp::Ordering {
    let share = |(successful, failed): (u64, u64)| {
        let total = successful as u128 + failed as u128;
        (successful as u128, total.max(1))
    };
    let ((a_ok, a_all), (b_ok, b_all)) = (share(a), share(b));
    (a_ok * b_all).cmp(&(b_ok * a_all))
}

/// The indices of the reports behind a row, each once. Reports are added in index order, so
/// checking the last one is enough.
pub(super) fn push_report(reports: &mut Vec<usize>, index: usize) {
    if reports.last() != Some(&index) {
        reports.push(index);
    }
}

/// The reports behind a row, when the caller wants the list (else an empty one).
pub(super) fn report_list(lists: bool, reports: &[usize]) -> Vec<usize> {
    if lists {
        reports.to_vec()
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_round_down() {
        assert_eq!(format_rate(5326, 303), "94.6%");
        assert_eq!(format_rate(99_999, 1), "99.9%");
        assert_eq!(format_rate(4, 0), "100.0%");
        assert_eq!(format_rate(0, 3), "0.0%");
        assert_eq!(format_rate(0, 0), "–");
        assert_eq!(format_rate(u64::MAX, u64::MAX), "50.0%");
        assert_eq!(format_rate(u64::MAX - 1, 1), "99.9%");
    }

    #[test]
    fn tally_sorts_most_frequent_first() {
        let mut tally = TypeTally::default();
        for (name, sessions) in [("b", 1), ("a", 1), ("c", 5), ("b", 1)] {
            tally.add(&ResultType::from_text(name), sessions);
        }
        let names: Vec<_> = tally
            .sorted()
            .into_iter()
            .map(|t| t.result_type.to_string())
            .collect();
        assert_eq!(names, ["c", "b", "a"]);
    }
}
