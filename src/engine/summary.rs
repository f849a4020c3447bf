//! What the viewer shows for a session, as one JSON document: the outcome of each input, the
//! overview, every view's rows, each domain's health and the findings. `summarize` (and the
//! tests that hold its output byte for byte) print it; the page shows the same figures.

use super::model::{ComparePeriods, Trace};
use super::Session;
use crate::analysis::diagnosis::{group::by_rule, ranked};
use crate::analysis::{format_rate, Filter, COUNTING_RULE};
use crate::ingest::InputRecord;
use serde_json::{json, Value};

/// The summary under `filter` (the inputs are always listed whole), with the comparison of
/// `compare`'s periods (the loaded days cut in two when None).
pub fn summary(session: &mut Session, filter: &Filter, compare: Option<&ComparePeriods>) -> Value {
    // The page's engine: the filter selects, the inputs are always counted whole.
    session.set_filter(filter);
    let analysis = session.analysis();
    let set = session.set();
    let overview = &analysis.overview;
    let inputs: Vec<_> = set.inputs.iter().map(input_json).collect();
    let shown = session.reports_behind(&Trace::All);
    json!({
        "input-counts": session.counts(),
        "inputs": inputs,
        "overview": overview,
        "success-rate": format_rate(overview.successful_sessions, overview.failed_sessions),
        "counting-rule": COUNTING_RULE,
        "per-result": analysis.per_result,
        "per-source": analysis.per_source,
        "per-mx": analysis.per_mx,
        "per-day": analysis.per_day,
        "per-day-by-domain": overview.policy_domains.iter().map(|domain| {
            (domain.clone(), json!(session.per_day(Some(domain))))
        }).collect::<serde_json::Map<String, Value>>(),
        "domains": analysis.diagnosis.domains,
        "comparison": session.comparison(compare, None, usize::MAX),
        "coverage": session.coverage(),
        "findings": analysis.diagnosis.findings.iter().map(|finding| {
            let mut value = serde_json::to_value(finding).unwrap_or_default();
            value["id"] = json!(finding.id());
            value
        }).collect::<Vec<_>>(),
        // The Problems view's reading for a portfolio: one finding per rule across domains.
        "findings-by-rule": ranked(by_rule(analysis.diagnosis.findings.clone())).iter().map(|finding| {
            let mut value = serde_json::to_value(finding).unwrap_or_default();
            value["id"] = json!(finding.id());
            value
        }).collect::<Vec<_>>(),
        "filter": filter,
        "reports": shown.iter().map(|&index| {
            let loaded = &set.reports[index];
            json!({
                "index": index,
                "source": loaded.source,
                "email": loaded.email,
                "organization-name": loaded.report.organization_name,
                "report-id": loaded.report.report_id,
                "notes": loaded.report.notes,
            })
        }).collect::<Vec<_>>(),
    })
}

/// One node of the Inputs tree, with its children.
fn input_json(input: &InputRecord) -> Value {
    json!({
        "name": input.name,
        "role": input.role,
        "size": input.size,
        "format": input.format,
        "email": input.email,
        "not-read": input.not_read,
        "outcome": input.outcome,
        "message": input.describe(),
        "children": input.children.iter().map(input_json).collect::<Vec<_>>(),
    })
}
