//! The health line of each policy domain, and the Problems view: the findings of the
//! diagnosis, ranked, each opening to its explanation, fix steps and evidence, filtered by
//! domain and by severity.

use crate::analysis::diagnosis::{DomainHealth, Finding, Severity};
use super::PAGE;
use crate::analysis::format::{plural, slug, thousands};
use crate::analysis::Analysis;
use crate::engine::model::Trace;
use crate::ui::state::{AppState, Drill};
use leptos::prelude::*;

const SEVERITIES: [Severity; 3] = [Severity::Critical, Severity::Warning, Severity::Info];

fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "Critical",
        Severity::Warning => "Warning",
        Severity::Info => "Info",
    }
}

/// One line per policy domain, at the top of the page.
#[component]
pub fn HealthPanel(state: AppState) -> impl IntoView {
    let counts = Memo::new(move |_| state.model.with(|m| m.domain_reports.clone()));
    move || {
        let counts = counts.get();
        state.analysis.with(|analysis| {
            let lines = analysis
                .diagnosis
                .domains
                .iter()
                .map(|health| {
                    let count = counts.get(&health.policy_domain).copied().unwrap_or(0);
                    health_line(health, count)
                })
                .collect_view();
            view! {
                <section class="health" aria-label="Health per policy domain">
                    <ul class="health-lines">{lines}</ul>
                </section>
            }
        })
    }
}

fn health_line(health: &DomainHealth, count: usize) -> impl IntoView {
    let worst = health.worst.map_or("none", Severity::as_str);
    let open = super::drill::opener();
    let trace = Trace::Domain {
        domain: health.policy_domain.clone(),
    };
    view! {
        <li
            class=format!("health-line worst-{worst}")
            data-testid=format!("health-{}", slug(&health.policy_domain))
            data-worst=worst
        >
            <span class="health-dot" aria-hidden="true"></span>
            <span class="health-text">{health.line.clone()}</span>
            <button
                class="link-button health-reports"
                data-testid="health-reports"
                on:click=move |_| open(Drill::Reports(trace.clone()))
            >
                {plural(count, "report", "reports")}
            </button>
        </li>
    }
}

#[component]
pub fn ProblemsView(state: AppState) -> impl IntoView {
    let analysis = state.analysis;
    let domain = RwSignal::new(String::new());
    let shown = RwSignal::new([true, true, true]);
    let limit = RwSignal::new(PAGE);
    let visible = Memo::new(move |_| {
        let domain_filter = domain.get();
        let shown_now = shown.get();
        analysis.with(|analysis| {
            analysis
                .diagnosis
                .findings
                .iter()
                .filter(|f| domain_filter.is_empty() || f.policy_domain == domain_filter)
                .filter(|f| shown_now[severity_index(f.severity)])
                .cloned()
                .collect::<Vec<Finding>>()
        })
    });
    let count_line = move || {
        let all = analysis.with(|a| a.diagnosis.findings.len());
        let visible = visible.with(Vec::len);
        if all == 0 {
            "No problems found in these reports: every rule passed.".to_string()
        } else if visible == all {
            format!("{}, most urgent first.", plural(all, "finding", "findings"))
        } else {
            format!("Showing {} of {}.", thousands(visible as u64), plural(all, "finding", "findings"))
        }
    };
    // Keyed: a card is drawn again only when its own figures change, and stays open.
    let cards = move || {
        let limit = limit.get();
        visible.with(|findings| findings.iter().take(limit).cloned().collect::<Vec<_>>())
    };
    let more = move || {
        let total = visible.with(Vec::len);
        super::show_more(limit, total, "findings-more")
    };
    let content = view! {
        <p class="explain" data-testid="problems-count">{count_line}</p>
        <ol class="findings" data-testid="findings">
            <For
                each=cards
                key=|f| (f.id(), f.title.clone(), f.sessions, f.domain_sessions, f.evidence_total, f.last_seen.clone())
                children=move |finding| finding_card(state, &finding)
            />
        </ol>
        {more}
    };
    let filters = move || {
        analysis.with(|analysis| {
            let findings = &analysis.diagnosis.findings;
            let domains = analysis
                .diagnosis
                .domains
                .iter()
                .filter(|d| findings.iter().any(|f| f.policy_domain == d.policy_domain))
                .map(|d| {
                    let name = d.policy_domain.clone();
                    view! { <option value=name.clone()>{name.clone()}</option> }
                })
                .collect_view();
            let toggles = SEVERITIES
                .iter()
                .map(|&severity| {
                    let index = severity_index(severity);
                    let count = findings.iter().filter(|f| f.severity == severity).count();
                    view! {
                        <label class=format!("toggle sev-{}", severity.as_str())>
                            <input
                                type="checkbox"
                                data-testid=format!("filter-{}", severity.as_str())
                                prop:checked=move || shown.get()[index]
                                on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    shown.update(|s| s[index] = on);
                                }
                            />
                            {format!("{} ({count})", severity_label(severity))}
                        </label>
                    }
                })
                .collect_view();
            view! {
                <div class="filters" role="group" aria-label="Filter the findings">
                    <label class="filter-domain">
                        "Domain "
                        <select
                            data-testid="filter-domain"
                            on:change=move |event| domain.set(event_target_value(&event))
                            prop:value=move || domain.get()
                        >
                            <option value="">"All domains"</option>
                            {domains}
                        </select>
                    </label>
                    {toggles}
                </div>
            }
        })
    };
    view! {
        <section class="view" aria-labelledby="problems-title">
            <h2 id="problems-title">"Problems"</h2>
            {filters}
            {content}
            <PoliciesSeen analysis=analysis />
        </section>
    }
}

/// The MTA-STS policies and TLSA records the senders saw, per domain, read field by field.
#[component]
fn PoliciesSeen(analysis: Memo<Analysis>) -> impl IntoView {
    move || {
        analysis.with(|analysis| {
            let domains: Vec<&DomainHealth> = analysis
                .diagnosis
                .domains
                .iter()
                .filter(|d| !d.sts_policies.is_empty() || !d.tlsa_records.is_empty())
                .collect();
            if domains.is_empty() {
                return None;
            }
            let blocks = domains
                .into_iter()
                .map(|domain| {
                    let sts = domain
                        .sts_policies
                        .iter()
                        .map(|policy| {
                            let text = format!(
                                "MTA-STS {}: mode {}, mx {}, max_age {}",
                                policy.version.as_deref().unwrap_or("(no version)"),
                                policy.mode.as_deref().unwrap_or("(none given)"),
                                if policy.mx.is_empty() { "(none)".to_string() } else { policy.mx.join(", ") },
                                policy.max_age.map_or("(none given)".to_string(), |age| format!("{} s", thousands(age)))
                            );
                            view! { <li data-kind="sts">{text}</li> }
                        })
                        .collect_view();
                    let tlsa = domain
                        .tlsa_records
                        .iter()
                        .map(|(record, meaning)| {
                            view! {
                                <li data-kind="tlsa">
                                    <span class="mono break">{format!("TLSA {record}")}</span>
                                    <span class="muted">{format!(": {meaning}")}</span>
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <div class="policies-domain" data-testid=format!("policies-{}", slug(&domain.policy_domain))>
                            <h3>{domain.policy_domain.clone()}</h3>
                            <ul>{sts}{tlsa}</ul>
                        </div>
                    }
                })
                .collect_view();
            Some(view! {
                <section class="policies-seen" aria-labelledby="policies-title">
                    <h2 id="policies-title">"Policies the senders saw"</h2>
                    {blocks}
                </section>
            })
        })
    }
}

fn severity_index(severity: Severity) -> usize {
    match severity {
        Severity::Critical => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

fn finding_card(state: AppState, finding: &Finding) -> impl IntoView {
    let severity = finding.severity.as_str();
    let share = finding
        .share_text()
        .map(|share| format!(" ({share})"))
        .unwrap_or_default();
    let mut meta = vec![finding.policy_domain.clone()];
    if finding.sessions > 0 {
        meta.push(format!(
            "{} {}{share}",
            thousands(finding.sessions),
            if finding.sessions == 1 {
                "session"
            } else {
                "sessions"
            }
        ));
    }
    match (&finding.first_seen, &finding.last_seen) {
        (Some(first), Some(last)) if first != last => meta.push(format!("{first} – {last}")),
        (Some(first), _) => meta.push(first.clone()),
        _ => {}
    }
    if !finding.reporters.is_empty() {
        meta.push(finding.reporters.join(", "));
    }
    let fix = finding
        .fix
        .iter()
        .map(|step| view! { <li>{with_code(step)}</li> })
        .collect_view();
    let hidden = finding.evidence_total.saturating_sub(finding.evidence.len());
    // The evidence rows are drawn only while the card is open: a page of closed cards stays
    // cheap to update while a load runs.
    let rows = finding.evidence.clone();
    let card_id = finding.id();
    let opener = super::drill::opener();
    let evidence = move || {
        let shown = state
            .open_findings
            .with(|open| open.contains(&card_id));
        shown.then(|| evidence_rows(&rows, opener.clone()))
    };
    let lists = [
        ("MX hosts", &finding.mx_hosts),
        ("Sending IPs", &finding.sending_ips),
        ("Reporters", &finding.reporters),
    ]
    .into_iter()
    .filter(|(_, items)| !items.is_empty())
    .map(|(label, items)| {
        view! {
            <div class="fact">
                <dt>{label}</dt>
                <dd class="mono">{items.join(", ")}</dd>
            </div>
        }
    })
    .collect_view();
    let id = finding.id();
    let toggled_id = id.clone();
    view! {
        <li
            class=format!("finding sev-{severity}")
            data-testid=format!("finding-{}", finding.id())
            data-rule=finding.rule.clone()
            data-severity=severity
            data-domain=finding.policy_domain.clone()
        >
            <details
                prop:open=move || state.open_findings.with(|open| open.contains(&id))
                on:toggle=move |event| {
                    let details: web_sys::HtmlDetailsElement = event_target(&event);
                    let now_open = details.open();
                    state.open_findings.update(|open| {
                        if now_open {
                            open.insert(toggled_id.clone());
                        } else {
                            open.remove(&toggled_id);
                        }
                    });
                }
            >
                <summary>
                    <span class=format!("sev-badge sev-{severity}")>{severity_label(finding.severity)}</span>
                    <span class="finding-title">{finding.title.clone()}</span>
                    <span class="finding-meta muted">{meta.join(" · ")}</span>
                </summary>
                <div class="finding-body">
                    <p class="finding-explanation" data-testid="finding-explanation">{finding.explanation.clone()}</p>
                    <h3>"How to fix it"</h3>
                    <ol class="fix-steps" data-testid="finding-fix">{fix}</ol>
                    <dl class="facts">{lists}</dl>
                    <h3>{format!("Evidence: {}", plural(finding.evidence_total, "report row", "report rows"))}</h3>
                    <ul class="evidence" data-testid="finding-evidence">{evidence}</ul>
                    {(hidden > 0).then(|| view! {
                        <p class="muted">{format!("and {} more rows like these", thousands(hidden as u64))}</p>
                    })}
                    <p class="muted reference">
                        {format!("Rule {} · based on {}", finding.rule, finding.reference)}
                    </p>
                </div>
            </details>
        </li>
    }
}

/// A fix step with its `commands` set as code.
fn with_code(step: &str) -> impl IntoView {
    step.split('`')
        .enumerate()
        .map(|(index, part)| {
            if index % 2 == 1 {
                view! { <code>{part.to_string()}</code> }.into_any()
            } else {
                part.to_string().into_any()
            }
        })
        .collect_view()
}

fn evidence_rows(
    rows: &[crate::analysis::diagnosis::Evidence],
    open: impl Fn(Drill) + Clone + 'static,
) -> impl IntoView {
    rows.iter()
        .map(|row| {
            let source = row.source.clone().unwrap_or_default();
            let open = open.clone();
            let index = row.report_index;
            view! {
                <li>
                    <span>{row.text.clone()}</span>
                    <span class="muted evidence-source">{format!(" — from {source} ")}</span>
                    <button
                        class="link-button"
                        data-testid="evidence-open"
                        on:click=move |_| open(Drill::Report(index, None))
                    >
                        "open the report"
                    </button>
                </li>
            }
        })
        .collect_view()
}
