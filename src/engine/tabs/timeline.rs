//! The Timeline: the chart's bars and the table of days, for all domains or one.

use crate::analysis::{bars_by, sort_day_rows, PerDayTally};
use crate::engine::model::{TimelineModel, ViewRequest, TIMELINE_BARS};

/// The bars (binned to at most [`TIMELINE_BARS`]) and the first `request.timeline_limit` days
/// in the request's order, of the reports the filter selects (its domain is the page's one
/// domain choice).
pub fn timeline(tally: &PerDayTally, request: &ViewRequest) -> TimelineModel {
    let mut rows = tally.rows(None, false);
    let rows_total = rows.len();
    let bars = bars_by(&rows, request.timeline_granularity, TIMELINE_BARS);
    if let Some(order) = request.timeline_order {
        sort_day_rows(&mut rows, order);
    }
    rows.truncate(request.timeline_limit);
    TimelineModel {
        bars,
        rows,
        rows_total,
    }
}
