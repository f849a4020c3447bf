//! The health line of each policy domain, and the Problems view: the findings of the
//! diagnosis, ranked, each opening to its explanation, fix steps and evidence, filtered by
//! domain and by severity.

use crate::analysis::diagnosis::{DomainHealth, Finding, Severity};
use crate::analysis::format::{plural, slug, thousands};
use crate::analysis::Analysis;
use crate::ingest::ReportSet;
use crate::ui::state::Shown;
use leptos::prelude::*;

const SEVERITIES: [Severity; 3] = [Severity::Critical, Severity::Warning, Severity::Info];

/// Evidence rows shown per finding; the rest are counted (`summarize` lists them all).
const EVIDENCE_SHOWN: usize = 100;

fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "Critical",
        Severity::Warning => "Warning",
        Severity::Info => "Info",
    }
}

/// One line per policy domain, at the top of the page.
#[component]
pub fn HealthPanel(analysis: Memo<Analysis>) -> impl IntoView {
    move || {
        analysis.with(|analysis| {
            let lines = analysis
                .diagnosis
                .domains
                .iter()
                .map(|health| {
                    // The reports behind the line: those of the domain's result rows.
                    let mut reports: Vec<usize> = analysis
                        .per_result
                        .iter()
                        .filter(|row| {
                            row.policy_domain
                                .eq_ignore_ascii_case(&health.policy_domain)
                        })
                        .flat_map(|row| row.reports.iter().copied())
                        .collect();
                    reports.sort_unstable();
                    reports.dedup();
                    health_line(health, reports)
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

fn health_line(health: &DomainHealth, reports: Vec<usize>) -> impl IntoView {
    let worst = health.worst.map_or("none", Severity::as_str);
    let open = super::drill::opener();
    let count = reports.len();
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
                on:click=move |_| open(super::drill::Drill::Reports(reports.clone()))
            >
                {plural(count, "report", "reports")}
            </button>
        </li>
    }
}

#[component]
pub fn ProblemsView(analysis: Memo<Analysis>, reports: Shown) -> impl IntoView {
    let domain = RwSignal::new(String::new());
    let shown = RwSignal::new([true, true, true]);
    let content = move || {
        let domain_filter = domain.get();
        let shown_now = shown.get();
        reports.with(|set| {
            analysis.with(|analysis| {
                let findings = &analysis.diagnosis.findings;
                let visible: Vec<&Finding> = findings
                    .iter()
                    .filter(|f| domain_filter.is_empty() || f.policy_domain == domain_filter)
                    .filter(|f| shown_now[severity_index(f.severity)])
                    .collect();
                let count_line = if findings.is_empty() {
                    "No problems found in these reports: every rule passed.".to_string()
                } else if visible.len() == findings.len() {
                    format!(
                        "{}, most urgent first.",
                        plural(findings.len(), "finding", "findings")
                    )
                } else {
                    format!(
                        "Showing {} of {}.",
                        visible.len(),
                        plural(findings.len(), "finding", "findings")
                    )
                };
                let cards = visible
                    .into_iter()
                    .map(|f| finding_card(set, f))
                    .collect_view();
                view! {
                    <p class="explain" data-testid="problems-count">{count_line}</p>
                    <ol class="findings" data-testid="findings">{cards}</ol>
                }
            })
        })
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

fn finding_card(set: &ReportSet, finding: &Finding) -> impl IntoView {
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
    let hidden = finding.evidence.len().saturating_sub(EVIDENCE_SHOWN);
    let evidence = finding
        .evidence
        .iter()
        .take(EVIDENCE_SHOWN)
        .map(|row| {
            let source = set
                .reports
                .get(row.report_index)
                .map(|loaded| loaded.source.clone())
                .unwrap_or_default();
            let open = super::drill::opener();
            let index = row.report_index;
            view! {
                <li>
                    <span>{row.text.clone()}</span>
                    <span class="muted evidence-source">{format!(" — from {source} ")}</span>
                    <button
                        class="link-button"
                        data-testid="evidence-open"
                        on:click=move |_| open(super::drill::Drill::Report(index, None))
                    >
                        "open the report"
                    </button>
                </li>
            }
        })
        .collect_view();
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
    view! {
        <li
            class=format!("finding sev-{severity}")
            data-testid=format!("finding-{}", finding.id())
            data-rule=finding.rule.clone()
            data-severity=severity
            data-domain=finding.policy_domain.clone()
        >
            <details>
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
                    <h3>{format!("Evidence: {}", plural(finding.evidence.len(), "report row", "report rows"))}</h3>
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
