//! The MX view: failures per receiving MX host, with the domains each serves.

use crate::analysis::{sort_mx_rows, PerMxTally};
use crate::engine::model::{MxModel, ViewRequest, PAGE_ROWS};

/// The first [`PAGE_ROWS`] hosts in the request's order (most failures first by default).
pub fn mx(tally: &PerMxTally, request: &ViewRequest) -> MxModel {
    let mut rows = tally.rows(false);
    let total = rows.len();
    if let Some(order) = request.mx_order {
        sort_mx_rows(&mut rows, order);
    }
    rows.truncate(PAGE_ROWS);
    MxModel { rows, total }
}
