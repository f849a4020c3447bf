//! The Inputs view: every file given, with what became of it.

use super::data_table;
use crate::analysis::format::{day, nonzero_parts, plural};
use crate::ingest::limits::human_size;
use crate::ingest::{InputRecord, Outcome, ReportSet};
use leptos::prelude::*;

const COLUMNS: [(&str, bool); 4] = [
    ("File", false),
    ("Size", true),
    ("Read as", false),
    ("Outcome", false),
];

#[component]
pub fn InputsView(reports: RwSignal<ReportSet>) -> impl IntoView {
    let content = move || {
        reports.with(|set| {
            let counts = set.counts();
            let rows = set
                .inputs
                .iter()
                .enumerate()
                .map(|(index, input)| input_row(set, index, input))
                .collect_view();
            view! {
                <p class="explain" data-testid="inputs-summary">
                    {format!(
                        "{}: {}.",
                        plural(counts.files, "file", "files"),
                        nonzero_parts(&[
                            (counts.loaded, "loaded"),
                            (counts.duplicates, "duplicate"),
                            (counts.rejected, "rejected"),
                        ])
                    )}
                    " Files are recognised by their content, not their name. A report given twice \
                     (same organisation and report-id) counts once."
                </p>
                {data_table(Some("inputs-table"), &COLUMNS, rows)}
            }
        })
    };
    view! {
        <section class="view" aria-labelledby="inputs-title">
            <h2 id="inputs-title">"Inputs"</h2>
            {content}
        </section>
    }
}

fn input_row(set: &ReportSet, index: usize, input: &InputRecord) -> impl IntoView {
    let (kind, label) = match input.outcome {
        Outcome::Loaded { .. } => ("loaded", "Loaded"),
        Outcome::Duplicate { .. } => ("duplicate", "Duplicate"),
        Outcome::Rejected { .. } => ("rejected", "Rejected"),
    };
    let detail = match &input.outcome {
        Outcome::Loaded { report_index } => set.reports.get(*report_index).map(|loaded| {
            let report = &loaded.report;
            let line = format!(
                "{} · report-id {} · {}",
                report.organization_name.as_deref().unwrap_or("(unnamed)"),
                report.report_id.as_deref().unwrap_or("(none)"),
                report.start.as_ref().and_then(|t| t.utc).map(day).unwrap_or_default()
            );
            let notes = (!report.notes.is_empty()).then(|| {
                let items = report.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view();
                view! {
                    <details class="notes">
                        <summary>{plural(report.notes.len(), "note on how it was read", "notes on how it was read")}</summary>
                        <ul>{items}</ul>
                    </details>
                }
            });
            view! { <div class="muted">{line}</div>{notes} }.into_any()
        }),
        _ => Some(view! { <div>{input.detail()}</div> }.into_any()),
    };
    view! {
        <tr data-testid=format!("input-row-{index}") data-outcome=kind>
            <td data-col="name" data-label="File" class="mono break">{input.name.clone()}</td>
            <td data-col="size" data-label="Size" class="num">{human_size(input.size)}</td>
            <td data-col="format" data-label="Read as">{input.format.clone()}</td>
            <td data-col="outcome" data-label="Outcome">
                <span class=format!("badge badge-{kind}")>{label}</span>
                <div data-col="reason" class="reason">{detail}</div>
            </td>
        </tr>
    }
}
