//! The Inputs view: every input as a tree (file → message → attachment → report), each node
//! with its outcome, and the totals on top, so that every input byte is accounted for.

use super::keyed_table;
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
    let toggle = Callback::new(move |path: String| {
        toggled.update(|set| {
            if !set.remove(&path) {
                set.insert(path);
            }
        })
    });
    // The tree as rows, keyed by their content: a new model (each step of a load) or a node
    // opened patches the rows that changed and leaves the others, and their open notes, be.
    let rows = move || {
        let toggled = toggled.get();
        model.with(|model| {
            let sent = model.inputs().map_or(&[][..], |i| &i.inputs[..]);
            let loaded: Loaded = sent
                .iter()
                .flat_map(|row| row.loaded.iter().cloned())
                .collect();
            let cut: Cut = sent
                .iter()
                .flat_map(|row| row.cut.iter().map(|c| (c.path.clone(), c.clone())))
                .collect();
            let node = Node {
                loaded: &loaded,
                cut: &cut,
                toggled: &toggled,
            };
            let mut rows = Vec::new();
            for (index, input) in sent.iter().enumerate() {
                tree_rows(&node, &input.record, index.to_string(), 0, &mut rows);
            }
            rows
        })
    };
    let body = crate::ui::later::in_chunks(rows, move |row: &TreeRow| draw_row(row, toggle));
    let summary = move || model.with(|model| summary(&model.counts));
    let more = move || {
        model.with(|model| {
            let shown = model.inputs().map_or(0, |i| i.inputs.len());
            more_inputs(inputs_limit, shown, model.inputs().map_or(0, |i| i.total))
        })
    };
    view! {
        <section class="view" aria-labelledby="inputs-title">
            <h2 id="inputs-title">"Inputs"</h2>
            <p class="explain" data-testid="inputs-summary">{summary}</p>
            <p class="explain muted">
                "Inputs are recognised by their content, not their name. A report given more \
                 than once (same organisation and report-id), as a file, in an email or in an \
                 archive, counts once."
            </p>
            {keyed_table(Some("inputs-table"), &COLUMNS, body)}
            {more}
        </section>
    }
}

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

/// What laying out a node needs besides the node.
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

/// A row of the tree: a node, or the line that says how many of a container's items were not
/// sent. It holds all it shows, so that its content is its key.
#[derive(Clone, PartialEq, Eq, Hash)]
enum TreeRow {
    Node(Box<NodeRow>),
    Rest {
        path: String,
        depth: usize,
        left: usize,
    },
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct NodeRow {
    /// "0-2": the third child of the first input.
    path: String,
    depth: usize,
    /// Whether it is open and what it holds ("3 items of reports.zip"), if it holds anything.
    toggle: Option<(bool, String)>,
    name: String,
    /// "file", "message", …, and the tag shown beside the name ("email"), if any.
    role: String,
    role_tag: Option<&'static str>,
    /// The subject, and the date and TLS-Report headers, of an email.
    email: Option<(String, String)>,
    size: u64,
    format: String,
    /// The outcome's class and badge ("loaded", "Loaded").
    kind: &'static str,
    label: &'static str,
    reason: Reason,
    not_read: Vec<String>,
}

/// What a row says beside its outcome's badge.
#[derive(Clone, PartialEq, Eq, Hash)]
enum Reason {
    Text(String),
    /// "Google Inc. · report-id 1 · 2024-01-09", and the notes on how it was read.
    Loaded {
        line: String,
        notes: Vec<String>,
    },
}

fn tree_rows(
    node: &Node,
    input: &InputRecord,
    path: String,
    depth: usize,
    rows: &mut Vec<TreeRow>,
) {
    let open = is_open(input, &path, node);
    rows.push(TreeRow::Node(Box::new(node_row(
        node, input, &path, depth, open,
    ))));
    if open {
        for (index, child) in input.children.iter().enumerate() {
            tree_rows(node, child, format!("{path}-{index}"), depth + 1, rows);
        }
        if let Some(cut) = node.cut.get(&path) {
            rows.push(TreeRow::Rest {
                left: cut.children.saturating_sub(input.children.len()),
                path,
                depth,
            });
        }
    }
}

fn node_row(node: &Node, input: &InputRecord, path: &str, depth: usize, open: bool) -> NodeRow {
    let children = children_count(input, path, node.cut);
    let (kind, label) = match input.outcome {
        Outcome::Loaded { .. } => ("loaded", "Loaded"),
        Outcome::Duplicate { .. } => ("duplicate", "Duplicate"),
        Outcome::Rejected { .. } => ("rejected", "Rejected"),
        Outcome::Unpacked => ("unpacked", "Read"),
    };
    let role_tag = match input.role {
        Role::File => None,
        Role::Message => Some("email"),
        Role::Attachment => Some("attachment"),
        Role::Entry => Some("in archive"),
    };
    let reason = match (node.cut.get(path), &input.outcome) {
        (Some(cut), _) => Reason::Text(cut.detail.clone()),
        (None, Outcome::Loaded { report_index }) => match node.loaded.get(report_index) {
            Some(report) => Reason::Loaded {
                line: format!(
                    "{} · report-id {} · {}",
                    report.organization,
                    report.report_id,
                    report.day.map(|day| day.to_string()).unwrap_or_default()
                ),
                notes: report.notes.clone(),
            },
            None => Reason::Text(String::new()),
        },
        (None, _) => Reason::Text(input.detail()),
    };
    NodeRow {
        path: path.to_string(),
        depth,
        toggle: (!input.children.is_empty()).then(|| {
            (
                open,
                format!("{} of {}", plural(children, "item", "items"), input.name),
            )
        }),
        name: input.name.clone(),
        role: format!("{:?}", input.role).to_lowercase(),
        role_tag,
        email: input
            .email
            .as_deref()
            .filter(|_| input.is_message())
            .map(email_line),
        size: input.size,
        format: input.format.clone(),
        kind,
        label,
        reason,
        not_read: input.not_read.clone(),
    }
}

fn draw_row(row: &TreeRow, toggle: Callback<String>) -> AnyView {
    let row = match row {
        TreeRow::Rest { path, depth, left } => {
            return view! {
                <tr class=format!("tree-row depth-{}", (depth + 1).min(7)) data-testid=format!("input-rest-{path}")>
                    <td colspan="4" class="muted">
                        {format!(
                            "{} more items are not listed here; \"Download this view as CSV\" lists them all.",
                            thousands(*left as u64)
                        )}
                    </td>
                </tr>
            }
            .into_any()
        }
        TreeRow::Node(row) => row,
    };
    let toggle = row.toggle.clone().map(|(open, what)| {
        let target = row.path.clone();
        view! {
            <button
                class="tree-toggle"
                aria-expanded=open.to_string()
                aria-label=if open { format!("Hide the {what}") } else { format!("Show the {what}") }
                data-testid=format!("toggle-{target}")
                on:click=move |_| toggle.run(target.clone())
            >
                {if open { "▾" } else { "▸" }}
            </button>
        }
    });
    let email = row.email.clone().map(|(subject, facts)| {
        view! {
            <div class="email-info" data-col="email">
                <div class="email-subject">{subject}</div>
                <div class="muted">{facts}</div>
            </div>
        }
    });
    let reason = match &row.reason {
        Reason::Text(text) => text.clone().into_any(),
        Reason::Loaded { line, notes } => {
            let notes = (!notes.is_empty()).then(|| {
                let items = notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view();
                view! {
                    <details class="notes">
                        <summary>{plural(notes.len(), "note on how it was read", "notes on how it was read")}</summary>
                        <ul>{items}</ul>
                    </details>
                }
            });
            view! { <div class="muted">{line.clone()}</div>{notes} }.into_any()
        }
    };
    let kind = row.kind;
    view! {
        <tr
            data-testid=format!("input-row-{}", row.path)
            data-outcome=kind
            data-role=row.role.clone()
            class=format!("tree-row depth-{}", row.depth.min(7))
        >
            <td data-col="name" data-label="Input">
                <div class="tree-name">
                    {toggle}
                    <span class="mono">{row.name.clone()}</span>
                    {row.role_tag.map(|role| view! { <span class="role-tag">{role}</span> })}
                </div>
                {email}
            </td>
            <td data-col="size" data-label="Size" class="num">{human_size(row.size)}</td>
            <td data-col="format" data-label="Read as">{row.format.clone()}</td>
            <td data-col="outcome" data-label="Outcome">
                <span class=format!("badge badge-{kind}")>{row.label}</span>
                <div data-col="reason" class="reason">{reason}</div>
                {(!row.not_read.is_empty()).then(|| view! {
                    <div class="muted" data-col="not-read">
                        {format!("Not reports: {}", row.not_read.join("; "))}
                    </div>
                })}
            </td>
        </tr>
    }
    .into_any()
}

/// The subject of an email, and its date and TLS-Report headers on a line.
fn email_line(email: &EmailInfo) -> (String, String) {
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
    (
        email
            .subject
            .clone()
            .unwrap_or_else(|| "(no subject)".to_string()),
        facts.join(" · "),
    )
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
