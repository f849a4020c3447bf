//! What the viewer shows for a session, as one JSON document: the outcome of each input, the
//! overview, every view's rows, each domain's health and the findings. `summarize` (and the
//! tests that hold its output byte for byte) print it; the page shows the same figures.

use super::model::{ComparePeriods, Trace, EVIDENCE_ROWS};
use super::Session;
use crate::analysis::diagnosis::{group::by_rule, ranked};
use crate::analysis::{format_rate, Filter, COUNTING_RULE};
use crate::ingest::{InputRecord, Outcome};
use serde_json::{json, Value};

/// The summary under `filter` (the inputs are always listed whole), with the comparison of
/// `compare`'s periods (the loaded days cut in two when None), and every report list.
pub fn summary(session: &mut Session, filter: &Filter, compare: Option<&ComparePeriods>) -> Value {
    summary_with(session, filter, compare, Lists::Every)
}

/// Whether the summary lists the reports behind each row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lists {
    /// Every row's `reports` (indices into the top-level `reports`, which lists them all):
    /// at 100,000 reports, most of a 200 MB document.
    Every,
    /// Each row's `report-count` only, no list of every report, and each finding's first
    /// [`EVIDENCE_ROWS`] rows of evidence (with `evidence-total`), as the page shows them: the
    /// figures alone. The inputs leave out the pieces that were simply loaded (their
    /// containers still count them): every rejected piece and duplicate is still named.
    CountsOnly,
}

/// [`summary`], with the report lists or without them.
pub fn summary_with(
    session: &mut Session,
    filter: &Filter,
    compare: Option<&ComparePeriods>,
    lists: Lists,
) -> Value {
    let every = lists == Lists::Every;
    // The page's engine: the filter selects, the inputs are always counted whole.
    session.set_filter(filter);
    let analysis = session.analysis_with(every);
    let set = session.set();
    let overview = &analysis.overview;
    let inputs: Vec<_> = set
        .inputs
        .iter()
        .map(|input| input_json(input, every))
        .collect();
    let shown = if every {
        session.reports_behind(&Trace::All)
    } else {
        Vec::new()
    };
    let mut summary = json!({
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
            (domain.clone(), json!(session.per_day_with(Some(domain), every)))
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
    });
    if !every {
        without_lists(&mut summary);
    }
    summary
}

/// Takes out the (empty) report lists: every row that has a `report-count` loses its
/// `reports`, and the document its list of every report; a finding keeps its first
/// [`EVIDENCE_ROWS`] rows of evidence.
fn without_lists(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.contains_key("report-count") || map.contains_key("input-counts") {
                map.remove("reports");
            }
            if let Some(Value::Array(rows)) = map.get_mut("evidence") {
                if rows.len() > EVIDENCE_ROWS {
                    let total = rows.len();
                    rows.truncate(EVIDENCE_ROWS);
                    map.insert("evidence-total".to_string(), json!(total));
                }
            }
            map.values_mut().for_each(without_lists);
        }
        Value::Array(items) => items.iter_mut().for_each(without_lists),
        _ => {}
    }
}

/// One node of the Inputs tree, with its children (without `loaded_pieces`, only those that
/// were not simply loaded).
fn input_json(input: &InputRecord, loaded_pieces: bool) -> Value {
    json!({
        "name": input.name,
        "role": input.role,
        "size": input.size,
        "format": input.format,
        "email": input.email,
        "not-read": input.not_read,
        "outcome": input.outcome,
        "message": input.describe(),
        "children": input
            .children
            .iter()
            .filter(|child| loaded_pieces || !matches!(child.outcome, Outcome::Loaded { .. }))
            .map(|child| input_json(child, loaded_pieces))
            .collect::<Vec<_>>(),
    })
}
