//! Drill-down: from any figure to the reports behind it, and from a report to every field it
//! holds, where it came from (file, email, attachment) and its JSON as given, pretty-printed.

use crate::engine::model::{DrillAnswer, ReportDetail, ReportSummary, ToWorker, Trace, PAGE_ROWS};
use crate::engine::model::{PolicyEntry, Timestamp};
use crate::engine::present::{plural, thousands};
use crate::ui::bridge::send;
use crate::ui::state::{Drill, DrillState};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Opens the panel from anywhere in the page (given as context).
#[derive(Clone, Copy)]
pub struct DrillTo(pub DrillState);

/// Shows `what` in the panel, and asks the worker for it.
pub fn open_drill(state: DrillState, what: Drill) {
    state.answer.set(None);
    match &what {
        Drill::Reports(trace) => send(&ToWorker::DrillReports {
            trace: trace.clone(),
            limit: PAGE_ROWS,
        }),
        Drill::Report(index, _) => send(&ToWorker::DrillReport {
            index: *index,
            part: 0,
        }),
    }
    state.shown.set(Some(what));
}

/// A function that opens the panel, for the views' event handlers. Call it while building
/// the view, where the page's context is reachable.
pub fn opener() -> impl Fn(Drill) + Clone + 'static {
    let drill = use_context::<DrillTo>();
    move |what| {
        if let Some(DrillTo(state)) = drill {
            open_drill(state, what);
        }
    }
}

#[component]
pub fn DrillPanel(state: DrillState) -> impl IntoView {
    let drill = state.shown;
    let _escape = window_event_listener(leptos::ev::keydown, move |event| {
        if event.key() == "Escape" && drill.with_untracked(Option::is_some) {
            drill.set(None);
        }
    });
    let close_ref: NodeRef<leptos::html::Button> = NodeRef::new();
    let panel_ref: NodeRef<leptos::html::Div> = NodeRef::new();
    // The element that had the focus when the panel opened: it gets it back on closing.
    let opener: StoredValue<Option<web_sys::HtmlElement>, LocalStorage> =
        StoredValue::new_local(None);
    Effect::new(move |was_open: Option<bool>| {
        let open = drill.with(Option::is_some);
        if open && was_open != Some(true) {
            let active = document()
                .active_element()
                .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
            opener.set_value(active);
        }
        if open {
            if let Some(button) = close_ref.get() {
                let _ = button.focus();
            }
        } else if was_open == Some(true) {
            if let Some(element) = opener.get_value() {
                if element.is_connected() {
                    let _ = element.focus();
                }
            }
            opener.set_value(None);
        }
        open
    });
    // Tab stays within the panel while it is open (it is modal): from its last control to its
    // first, and back.
    let keep_focus = move |event: leptos::ev::KeyboardEvent| {
        if event.key() != "Tab" {
            return;
        }
        let Some(panel) = panel_ref.get() else { return };
        let Ok(found) = panel.query_selector_all(
            "button, a[href], input, select, textarea, summary, [tabindex]:not([tabindex='-1'])",
        ) else {
            return;
        };
        // Only the controls Tab can reach: a disabled button ("Next part" on the last part)
        // or one not drawn (in a closed `<details>`) is no stop, and counting it as the last
        // let Tab leave the panel.
        let controls: Vec<web_sys::HtmlElement> = (0..found.length())
            .filter_map(|i| found.item(i))
            .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
            .filter(|element| {
                !element.has_attribute("disabled") && element.offset_parent().is_some()
            })
            .collect();
        let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
            return;
        };
        let active = document().active_element();
        let on = |element: &web_sys::HtmlElement| {
            active
                .as_ref()
                .is_some_and(|active| active.is_same_node(Some(element)))
        };
        if event.shift_key() && on(first) {
            event.prevent_default();
            let _ = last.focus();
        } else if !event.shift_key() && on(last) {
            event.prevent_default();
            let _ = first.focus();
        }
    };
    move || {
        let shown = drill.get()?;
        let body = state.answer.with(|answer| match (&shown, answer) {
            (
                Drill::Reports(trace),
                Some(DrillAnswer::Reports {
                    trace: answered,
                    total,
                    reports,
                }),
            ) if trace == answered => list(state, trace, *total, reports).into_any(),
            (
                Drill::Report(index, back),
                Some(DrillAnswer::Report {
                    index: answered,
                    detail,
                }),
            ) if index == answered => match detail {
                Some(detail) => detail_view(state, *index, detail, back.clone()).into_any(),
                None => view! { <p>"This report is no longer loaded."</p> }.into_any(),
            },
            _ => view! { <p class="muted" data-testid="drill-waiting">"Opening…"</p> }.into_any(),
        });
        Some(view! {
            <div class="drill-backdrop" on:click=move |_| drill.set(None)></div>
            <div class="drill" role="dialog" aria-modal="true" aria-labelledby="drill-title" data-testid="drill" node_ref=panel_ref on:keydown=keep_focus>
                <button class="button subtle drill-close" data-testid="drill-close" node_ref=close_ref on:click=move |_| drill.set(None)>
                    "Close"
                </button>
                {body}
            </div>
        })
    }
}

fn list(
    state: DrillState,
    trace: &Trace,
    total: usize,
    reports: &[ReportSummary],
) -> impl IntoView {
    let rows = reports
        .iter()
        .map(|summary| {
            let index = summary.index;
            let back = trace.clone();
            view! {
                <tr data-testid=format!("drill-report-{index}")>
                    <td>{summary.organization.clone()}</td>
                    <td class="mono break">{summary.report_id.clone()}</td>
                    <td>{summary.day.map_or_else(|| "no date".to_string(), |day| day.to_string())}</td>
                    <td class="mono break">{summary.source.clone()}</td>
                    <td>
                        <button class="button subtle" data-testid="drill-open" on:click=move |_| open_drill(state, Drill::Report(index, Some(back.clone())))>
                            "Open"
                        </button>
                    </td>
                </tr>
            }
        })
        .collect_view();
    let hidden = total.saturating_sub(reports.len());
    view! {
        <h2 id="drill-title">{format!("The {} behind this figure", plural(total, "report", "reports"))}</h2>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Reports">
            <table class="data drill-list">
                <thead>
                    <tr><th scope="col">"Reporter"</th><th scope="col">"Report-id"</th><th scope="col">"Day"</th><th scope="col">"Source"</th><th scope="col">""<span class="visually-hidden">"Open"</span></th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {(hidden > 0).then(|| view! {
            <p class="muted" data-testid="drill-more">
                {format!("The first {} are listed; {} more are behind this figure (narrow the filters to see them).", thousands(reports.len() as u64), thousands(hidden as u64))}
            </p>
        })}
    }
}

fn field(label: &'static str, value: String) -> impl IntoView {
    view! {
        <div class="fact">
            <dt>{label}</dt>
            <dd data-field=label>{value}</dd>
        </div>
    }
}

fn time_text(time: &Option<Timestamp>) -> String {
    match time {
        Some(t) => match (t.utc, t.zone_assumed) {
            (Some(utc), true) => format!(
                "{} (no time zone given; read as UTC: {})",
                t.raw,
                utc.to_rfc3339()
            ),
            (Some(utc), false) => format!("{} ({} UTC)", t.raw, crate::text::day_and_time(utc)),
            (None, _) => format!("{} (not a date-time)", t.raw),
        },
        None => "(not given)".to_string(),
    }
}

fn detail_view(
    state: DrillState,
    index: usize,
    loaded: &ReportDetail,
    back: Option<Trace>,
) -> impl IntoView {
    let report = &loaded.report;
    let back_button = back.map(|trace| {
        view! {
            <button class="button subtle" data-testid="drill-back" on:click=move |_| open_drill(state, Drill::Reports(trace.clone()))>
                "Back to the list"
            </button>
        }
    });
    let email = loaded.email.as_ref().map(|email| {
        let lines = [
            ("Subject", email.subject.clone()),
            ("Date", email.date.clone()),
            ("From", email.from.clone()),
            ("TLS-Report-Domain", email.report_domain.clone()),
            ("TLS-Report-Submitter", email.report_submitter.clone()),
        ]
        .into_iter()
        .filter_map(|(label, value)| value.map(|v| field(label, v)))
        .collect_view();
        view! { <h3>"The email it came in"</h3><dl class="facts">{lines}</dl> }
    });
    let notes = (!report.notes.is_empty()).then(|| {
        let items = report
            .notes
            .iter()
            .map(|n| view! { <li>{n.clone()}</li> })
            .collect_view();
        view! { <h3>"How it was read"</h3><ul>{items}</ul> }
    });
    let extra = (!loaded.extra_json.is_empty()).then(|| {
        view! {
            <h3>"Fields outside RFC 8460, kept as given"</h3>
            <pre class="code" tabindex="0" aria-label="Fields outside RFC 8460">{loaded.extra_json.clone()}</pre>
        }
    });
    let policies = report
        .policies
        .iter()
        .enumerate()
        .map(|(i, p)| policy(i, p))
        .collect_view();
    let raw = loaded.raw_kept.then(|| {
        let json = loaded.json.clone();
        view! { <pre class="code raw-json" data-testid="raw-json" tabindex="0" aria-label="The report's JSON">{json}</pre> }
    });
    let (part, parts) = (loaded.json_part, loaded.json_parts);
    let raw_note = if !loaded.raw_kept {
        "The text as given is megabytes that do not compress, and was not kept: the fields \
         above are the report as read."
            .to_string()
    } else if parts > 1 {
        format!(
            "As given, re-indented: part {} of {parts}, {} characters each.",
            part + 1,
            thousands(crate::engine::model::DRILL_JSON_CHARS as u64)
        )
    } else {
        "As given, re-indented.".to_string()
    };
    // A long text is shown a part at a time; the worker sends the part asked for.
    let ask = move |part: usize, from: &'static str| {
        FOCUS_AFTER_PART.with(|focus| focus.set(Some(from)));
        state.answer.set(None);
        send(&ToWorker::DrillReport { index, part });
    };
    // The part asked for is drawn anew: the focus goes back to the button that asked (or,
    // at either end, the other one).
    if let Some(from) = FOCUS_AFTER_PART.with(std::cell::Cell::take) {
        request_animation_frame(move || {
            let button = |id: &str| {
                document()
                    .query_selector(&format!("[data-testid=drill] [data-testid={id}]"))
                    .ok()
                    .flatten()
                    .and_then(|element| element.dyn_into::<web_sys::HtmlButtonElement>().ok())
            };
            let other = if from == "json-next" {
                "json-previous"
            } else {
                "json-next"
            };
            if let Some(target) = button(from)
                .filter(|b| !b.disabled())
                .or_else(|| button(other))
            {
                let _ = target.focus();
            }
        });
    }
    let parts_nav = move || {
        (parts > 1).then(|| {
            view! {
                <div class="json-parts" role="group" aria-label="Parts of the JSON">
                    <button class="button subtle" data-testid="json-previous" disabled={part == 0} on:click=move |_| ask(part.saturating_sub(1), "json-previous")>"Previous part"</button>
                    <button class="button subtle" data-testid="json-next" disabled={part + 1 >= parts} on:click=move |_| ask(part + 1, "json-next")>"Next part"</button>
                </div>
            }
        })
    };
    view! {
        <h2 id="drill-title">
            {format!(
                "{} report {}",
                report.organization_name.as_deref().unwrap_or("(unnamed)"),
                report.report_id.as_deref().unwrap_or("(no report-id)")
            )}
        </h2>
        {back_button}
        <dl class="facts report-fields" data-testid="report-fields">
            {field("Source", loaded.source.clone())}
            {field("organization-name", report.organization_name.as_deref().unwrap_or("(not given)").to_string())}
            {field("report-id", report.report_id.clone().unwrap_or_else(|| "(not given)".into()))}
            {field("contact-info", report.contact_info.as_deref().unwrap_or("(not given)").to_string())}
            {field("start-datetime", time_text(&report.start))}
            {field("end-datetime", time_text(&report.end))}
        </dl>
        {email}
        {notes}
        {extra}
        {policies}
        <h3>"The JSON"</h3>
        <p class="muted" data-testid="raw-note">{raw_note}</p>
        {parts_nav()}
        {raw}
        {parts_nav()}
    }
}

thread_local! {
    /// Set when a part of the JSON is asked for: the button that asked, to focus again.
    static FOCUS_AFTER_PART: std::cell::Cell<Option<&'static str>> = const { std::cell::Cell::new(None) };
}

/// Failure details of a policy drawn at first, and added by each "Show more".
const DETAILS_SHOWN: usize = 200;

fn policy(index: usize, entry: &PolicyEntry) -> impl IntoView {
    // What a reader looks for first (what failed, how often, why, where, from whom), then the
    // rest; a column no row fills is left out. (name, a number, a host or address, its text)
    type Cell = fn(&crate::engine::model::FailureDetail) -> String;
    fn given(value: Option<&str>) -> String {
        value.unwrap_or_default().to_string()
    }
    let columns: [(&str, bool, bool, Cell); 8] = [
        ("result-type", false, false, |d| d.result_type.to_string()),
        ("failed-session-count", true, false, |d| {
            thousands(d.failed_session_count)
        }),
        ("failure-reason-code", false, false, |d| {
            given(d.failure_reason_code.as_deref())
        }),
        ("receiving-mx-hostname", false, true, |d| {
            given(d.receiving_mx_hostname.as_deref())
        }),
        ("sending-mta-ip", false, true, |d| {
            given(d.sending_mta_ip.as_deref())
        }),
        ("receiving-mx-helo", false, true, |d| {
            given(d.receiving_mx_helo.as_deref())
        }),
        ("receiving-ip", false, true, |d| {
            given(d.receiving_ip.as_deref())
        }),
        ("additional-information", false, false, |d| {
            given(d.additional_information.as_deref())
        }),
    ];
    let shown: Vec<(&str, bool, bool, Cell)> = columns
        .into_iter()
        .enumerate()
        .filter(|(position, (_, _, _, cell))| {
            *position < 2 || entry.failure_details.iter().any(|d| !cell(d).is_empty())
        })
        .map(|(_, column)| column)
        .collect();
    let header = shown
        .iter()
        .map(|(name, number, _, _)| {
            view! { <th scope="col" class:num=*number data-col=*name>{*name}</th> }
        })
        .collect_view();
    // Paged like every list on the page: a forged report can give thousands of details.
    let all = entry.failure_details.clone();
    let total = all.len();
    let limit = RwSignal::new(DETAILS_SHOWN);
    let details = move || {
        all.iter()
            .take(limit.get())
            .map(|d| {
                let cells = shown
                    .iter()
                    .map(|(name, number, mono, cell)| {
                        view! { <td class:num=*number class:mono=*mono class:break=*name == "additional-information" data-col=*name>{cell(d)}</td> }
                    })
                    .collect_view();
                view! { <tr>{cells}</tr> }
            })
            .collect_view()
    };
    let more = move || {
        let left = total.saturating_sub(limit.get());
        (left > 0).then(|| {
            view! {
                <p class="show-more">
                    <button class="button subtle" data-testid="details-more" on:click=move |_| limit.update(|l| *l += DETAILS_SHOWN)>
                        {format!(
                            "Show {} more failure details ({} not shown)",
                            thousands(left.min(DETAILS_SHOWN) as u64),
                            thousands(left as u64)
                        )}
                    </button>
                </p>
            }
        })
    };
    view! {
        <section class="drill-policy" data-testid=format!("drill-policy-{index}")>
            <h3>{format!("Policy {}: {} for {}", index + 1, entry.policy_type.as_str(), entry.policy_domain.as_deref().unwrap_or("(no policy-domain)"))}</h3>
            <dl class="facts">
                {field("successful sessions", thousands(entry.successful_sessions))}
                {field("failed sessions", thousands(entry.failed_sessions))}
                {field("mx-host", if entry.mx_hosts.is_empty() { "(not given)".into() } else { entry.mx_hosts.join(", ") })}
            </dl>
            {(!entry.policy_strings.is_empty()).then(|| view! { <pre class="code" tabindex="0" aria-label="policy-string">{entry.policy_strings.join("\n")}</pre> })}
            {(!entry.failure_details.is_empty()).then(|| view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=format!("Failure details of policy {}", index + 1)>
                    <table class="data" data-testid="failure-details">
                        <thead><tr>{header}</tr></thead>
                        <tbody>{details}</tbody>
                    </table>
                </div>
                {more}
            })}
        </section>
    }
}
