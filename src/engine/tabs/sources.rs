//! The view by sending source: each reporting organisation, and its sending IPs.

use crate::analysis::sorting::sort_by;
use crate::analysis::{sort_source_rows, PerSourceTally, SourceGroup};
use crate::engine::model::{SourcesModel, ViewRequest};

/// Each organisation's rows in the request's order, the first `request.sources_limit` rows in
/// all (an organisation without IP rows counts as one), and how many rows there are.
/// Organisations come with the most failed sessions first (then by name): the ones to look
/// at lead.
pub fn sources(tally: &PerSourceTally, request: &ViewRequest) -> SourcesModel {
    let mut groups = tally.groups(false);
    sort_by(&mut groups, |a, b| {
        b.failed_sessions
            .cmp(&a.failed_sessions)
            .then_with(|| a.organization.cmp(&b.organization))
    });
    let rows_total = page(&mut groups, request);
    SourcesModel { groups, rows_total }
}

fn page(groups: &mut Vec<SourceGroup>, request: &ViewRequest) -> usize {
    let total = groups.iter().map(|group| group.sources.len().max(1)).sum();
    let mut budget = request.sources_limit;
    groups.retain_mut(|group| {
        if budget == 0 {
            return false;
        }
        if let Some(order) = request.sources_order {
            sort_source_rows(&mut group.sources, order);
        }
        group.sources.truncate(budget);
        budget -= group.sources.len().max(1);
        true
    });
    total
}
