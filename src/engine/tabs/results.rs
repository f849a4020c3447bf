//! The table by result: one row per policy domain and policy type.

use crate::analysis::{sort_result_rows, PerResultTally};
use crate::engine::model::{ResultsModel, ViewRequest};

/// The first `request.results_limit` rows in the request's order, and how many there are.
pub fn results(tally: &PerResultTally, request: &ViewRequest) -> ResultsModel {
    let mut rows = tally.rows(false);
    let total = rows.len();
    // Over every row, not only those sent.
    let counted_elsewhere = rows.iter().any(|row| row.sessions_counted_elsewhere > 0);
    if let Some(order) = request.results_order {
        sort_result_rows(&mut rows, order);
    }
    rows.truncate(request.results_limit);
    ResultsModel {
        rows,
        total,
        counted_elsewhere,
    }
}
