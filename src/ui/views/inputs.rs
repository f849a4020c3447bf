//! The Inputs view: every input as a tree (file → message → attachment → report), each node
//! with its outcome, and the totals on top, so that every input byte is accounted for.

use super::data_table;
use crate::engine::model::{CutChildren, PageModel, ReportSummary, PAGE_ROWS};
use crate::engine::model::{EmailInfo, InputCounts, InputRecord, Outcome, Role};
use crate::engine::present::human_size;
use crate::engine::present::{plural, thousands};
use crate::ui::state::Field;
use leptos::prelude::*;
use std::collections::{HashMap, HashSet};

/// The loaded reports under the inputs drawn, by index.
type Loaded = HashMap<usize, ReportSummary>;

const COLUMNS: [(&str, bool); 4] = [
    ("Input", false),
    ("Size", true),
    ("Read as", false),
    ("Outcome", false),
];

/// Containers with more children than this start closed.
const OPEN_UP_TO: usize = 12;

#[component]
pub fn InputsView(model: RwSignal<PageModel>, inputs_limit: Field<usize>) -> impl IntoView {
    // The nodes the user opened or closed, by path ("0-2"); the others keep their default.
    let toggled = RwSignal::new(HashSet::<String>::new());
    let content =
        move || {
            model.with(|model| {
            let toggled = toggled.get();
            let sent = model.inputs().map_or(&[][..], |i| &i.inputs[..]);
            let loaded: Loaded = sent
                .iter()
                .flat_map(|row| row.loaded.iter().cloned())
                .collect();
            let cut: Cut = sent
                .iter()
                .flat_map(|row| row.cut.iter().map(|c| (c.path.clone(), c.clone())))
                .collect();
            let mut rows = Vec::new();
            for (index, input) in sent.iter().enumerate() {
                let node = Node { loaded: &loaded, cut: &cut, toggled: &toggled };
                node_rows(&node, &input.record, index.to_string(), 0, &mut rows);
            }
            view! {
                <p class="explain" data-testid="inputs-summary">{summary(&model.counts)}</p>
                <p class="explain muted">
                    "Inputs are recognised by their content, not their name. A report given more \
                     than once (same organisation and report-id), as a file, in an email or in an \
                     archive, counts once."
                </p>
                {data_table(Some("inputs-table"), &COLUMNS, rows.into_iter().collect_view())}
                {more_inputs(inputs_limit, sent.len(), model.inputs().map_or(0, |i| i.total))}
            }
        })
        };
    let on_toggle = move |path: String| {
        toggled.update(|set| {
            if !set.remove(&path) {
                set.insert(path);
            }
        })
    };
    provide_context(ToggleNode(Callback::new(on_toggle)));
    view! {
        <section class="view" aria-labelledby="inputs-title">
            <h2 id="inputs-title">"Inputs"</h2>
            {content}
        </section>
    }
}

/// Opens or closes the node at a path.
#[derive(Clone, Copy)]
struct ToggleNode(Callback<String>);

/// "3 files, 14 emails: 10 reports loaded, 1 duplicate, 1 rejected; 2 emails without a report."
fn summary(counts: &InputCounts) -> String {
    let mut text = plural(counts.files, "file", "files");
    if counts.messages > 0 {
        text.push_str(&format!(", {}", plural(counts.messages, "email", "emails")));
    }
    text.push_str(&format!(": {}", counts.outcome_summary()));
    if counts.messages_without_report > 0 {
        text.push_str(&format!(
            "; {} without a report",
            plural(counts.messages_without_report, "email", "emails")
        ));
    }
    text.push('.');
    text
}

/// Containers the worker sent with their first children only, by path.
type Cut = HashMap<String, CutChildren>;

/// What drawing a node needs besides the node.
struct Node<'a> {
    loaded: &'a Loaded,
    cut: &'a Cut,
    toggled: &'a HashSet<String>,
}

/// How many children a node has in all (the worker may have sent the first ones only).
fn children_count(input: &InputRecord, path: &str, cut: &Cut) -> usize {
    cut.get(path).map_or(input.children.len(), |c| c.children)
}

fn is_open(input: &InputRecord, path: &str, node: &Node) -> bool {
    (children_count(input, path, node.cut) <= OPEN_UP_TO) != node.toggled.contains(path)
}

fn node_rows(
    node: &Node,
    input: &InputRecord,
    path: String,
    depth: usize,
    rows: &mut Vec<AnyView>,
) {
    let open = is_open(input, &path, node);
    rows.push(input_row(node, input, &path, depth, open).into_any());
    if open {
        for (index, child) in input.children.iter().enumerate() {
            node_rows(node, child, format!("{path}-{index}"), depth + 1, rows);
        }
        if let Some(cut) = node.cut.get(&path) {
            let left = cut.children.saturating_sub(input.children.len());
            rows.push(
                view! {
                    <tr class=format!("tree-row depth-{}", (depth + 1).min(7)) data-testid=format!("input-rest-{path}")>
                        <td colspan="4" class="muted">
                            {format!(
                                "{} more items are not listed here; \"Download this view as CSV\" lists them all.",
                                thousands(left as u64)
                            )}
                        </td>
                    </tr>
                }
                .into_any(),
            );
        }
    }
}

fn input_row(
    node: &Node,
    input: &InputRecord,
    path: &str,
    depth: usize,
    open: bool,
) -> impl IntoView {
    let children = children_count(input, path, node.cut);
    let (kind, label) = match input.outcome {
        Outcome::Loaded { .. } => ("loaded", "Loaded"),
        Outcome::Duplicate { .. } => ("duplicate", "Duplicate"),
        Outcome::Rejected { .. } => ("rejected", "Rejected"),
        Outcome::Unpacked => ("unpacked", "Read"),
    };
    let toggle = (!input.children.is_empty()).then(|| {
        let toggle = use_context::<ToggleNode>();
        let target = path.to_string();
        let what = format!("{} of {}", plural(children, "item", "items"), input.name);
        view! {
            <button
                class="tree-toggle"
                aria-expanded=open.to_string()
                aria-label=if open { format!("Hide the {what}") } else { format!("Show the {what}") }
                data-testid=format!("toggle-{path}")
                on:click=move |_| {
                    if let Some(ToggleNode(callback)) = toggle {
                        callback.run(target.clone());
                    }
                }
            >
                {if open { "▾" } else { "▸" }}
            </button>
        }
    });
    let role = match input.role {
        Role::File => None,
        Role::Message => Some("email"),
        Role::Attachment => Some("attachment"),
        Role::Entry => Some("in archive"),
    };
    view! {
        <tr
            data-testid=format!("input-row-{path}")
            data-outcome=kind
            data-role=format!("{:?}", input.role).to_lowercase()
            class=format!("tree-row depth-{}", depth.min(7))
        >
            <td data-col="name" data-label="Input">
                <div class="tree-name">
                    {toggle}
                    <span class="mono">{input.name.clone()}</span>
                    {role.map(|role| view! { <span class="role-tag">{role}</span> })}
                </div>
                {input.email.as_deref().filter(|_| input.is_message()).map(email_line)}
            </td>
            <td data-col="size" data-label="Size" class="num">{human_size(input.size)}</td>
            <td data-col="format" data-label="Read as">{input.format.clone()}</td>
            <td data-col="outcome" data-label="Outcome">
                <span class=format!("badge badge-{kind}")>{label}</span>
                <div data-col="reason" class="reason">
                    {match node.cut.get(path) {
                        Some(cut) => cut.detail.clone().into_any(),
                        None => detail(node.loaded, input),
                    }}
                </div>
                {(!input.not_read.is_empty()).then(|| view! {
                    <div class="muted" data-col="not-read">
                        {format!("Not reports: {}", input.not_read.join("; "))}
                    </div>
                })}
            </td>
        </tr>
    }
}

/// Subject, date and the TLS-Report headers of an email.
fn email_line(email: &EmailInfo) -> impl IntoView {
    let mut facts = Vec::new();
    if let Some(date) = &email.date {
        facts.push(date.clone());
    }
    if let Some(domain) = &email.report_domain {
        facts.push(format!("TLS-Report-Domain {domain}"));
    }
    if let Some(submitter) = &email.report_submitter {
        facts.push(format!("Submitter {submitter}"));
    }
    view! {
        <div class="email-info" data-col="email">
            <div class="email-subject">{email.subject.clone().unwrap_or_else(|| "(no subject)".to_string())}</div>
            <div class="muted">{facts.join(" · ")}</div>
        </div>
    }
}

fn detail(loaded: &Loaded, input: &InputRecord) -> AnyView {
    match &input.outcome {
        Outcome::Loaded { report_index } => match loaded.get(report_index) {
            Some(summary) => loaded_detail(summary).into_any(),
            None => ().into_any(),
        },
        _ => input.detail().into_any(),
    }
}

fn loaded_detail(report: &ReportSummary) -> impl IntoView {
    let line = format!(
        "{} · report-id {} · {}",
        report.organization,
        report.report_id,
        report.day.map(|day| day.to_string()).unwrap_or_default()
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
    view! { <div class="muted">{line}</div>{notes} }
}

/// "Show 200 more (9,800 not shown)": the worker sends the next inputs when asked.
fn more_inputs(inputs_limit: Field<usize>, shown: usize, total: usize) -> impl IntoView {
    (shown < total).then(|| {
        view! {
            <p class="show-more">
                <button
                    class="button subtle"
                    data-testid="inputs-more"
                    on:click=move |_| inputs_limit.update(|l| *l += PAGE_ROWS)
                >
                    {format!(
                        "Show {} more ({} not shown)",
                        crate::text::thousands(PAGE_ROWS.min(total - shown) as u64),
                        crate::text::thousands((total - shown) as u64)
                    )}
                </button>
            </p>
        }
    })
}
