//! The health line of each policy domain, and the Problems view: the findings of the
//! diagnosis, ranked, each opening to its explanation, fix steps and evidence, filtered by
//! domain and by severity.

use crate::engine::model::Trace;
use crate::engine::model::{DomainHealth, Finding, Severity, StsPolicy};
use crate::engine::model::{PageModel, Tab};
use crate::engine::present::{plural, slug, thousands};
use crate::ui::state::{Drill, Field};
use leptos::prelude::*;
use std::collections::HashMap;

const SEVERITIES: [Severity; 3] = [Severity::Critical, Severity::Warning, Severity::Info];

fn severity_label(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "Critical",
        Severity::Warning => "Warning",
        Severity::Info => "Info",
    }
}

/// At the top of the page: a health line per policy domain, or with more than a handful of
/// domains, the table of domains.
#[component]
pub fn HealthPanel(
    model: RwSignal<PageModel>,
    health_limit: Field<usize>,
    /// The table of domains, drawn instead of the lines past a handful of domains.
    children: ChildrenFn,
) -> impl IntoView {
    let many = Memo::new(move |_| {
        model.with(|m| health_total(m) > crate::engine::model::DOMAIN_LINES_MAX)
    });
    // The table comes in a frame after the rest of the model that brought it (the first
    // diagnosis's findings and policies): together they made one task of 50 to 90 ms at
    // 1,000 domains.
    move || match many.get() {
        true => {
            let children = children.clone();
            view! { <crate::ui::later::Later next_frame=true>{children()}</crate::ui::later::Later> }
                .into_any()
        }
        false => view! { <HealthLines model=model health_limit=health_limit /> }.into_any(),
    }
}

/// One line per policy domain, each with its verdict.
#[component]
fn HealthLines(model: RwSignal<PageModel>, health_limit: Field<usize>) -> impl IntoView {
    // Keyed by what a line shows: a line that did not change is not drawn again.
    let lines = Memo::new(move |_| {
        model.with(|m| {
            m.problems().map_or_else(Vec::new, |p| {
                p.health
                    .iter()
                    .map(|health| {
                        let count = p.domain_reports.get(&health.policy_domain).copied();
                        (health.clone(), count.unwrap_or(0))
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let total = Memo::new(move |_| model.with(health_total));
    let more = move || {
        let (shown, total) = (lines.with(Vec::len), total.get());
        let step = crate::engine::model::HEALTH_PAGE;
        super::show_more_by(health_limit, shown, total, step, " domains", "health-more")
    };
    view! {
        <section class="health" aria-label="Health per policy domain">
            <ul class="health-lines">
                <For
                    each=move || lines.get()
                    key=|(health, count)| (health.policy_domain.clone(), health.line.clone(), health.verdict.clone(), health.worst, health.filtered, *count)
                    children=|(health, count)| health_line(&health, count)
                />
            </ul>
            {more}
        </section>
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
            <div class="health-body">
                <span class="health-text">{health.line.clone()}</span>
                {health.filtered.map(|figure| view! {
                    <span class="health-filtered" data-testid="health-filtered">
                        {format!("({})", figure.text())}
                    </span>
                })}
                <span
                    class=format!("verdict verdict-{}", health.verdict_status.as_str())
                    data-testid=format!("verdict-{}", slug(&health.policy_domain))
                    title=health.verdict_figures.join("\n")
                >
                    {health.verdict.clone()}
                </span>
                {verdict_figures(&health.verdict_figures)}
            </div>
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

/// The figures behind a verdict, folded away.
pub fn verdict_figures(figures: &[String]) -> impl IntoView {
    (!figures.is_empty()).then(|| {
        let items = figures
            .iter()
            .map(|figure| view! { <li>{figure.clone()}</li> })
            .collect_view();
        view! {
            <details class="verdict-figures">
                <summary>"The figures behind it"</summary>
                <ul>{items}</ul>
            </details>
        }
    })
}

#[component]
pub fn ProblemsView(
    model: RwSignal<PageModel>,
    severities: Field<[bool; 3]>,
    findings_limit: Field<usize>,
    problems_by_rule: Field<Option<bool>>,
    open_findings: Field<std::collections::BTreeSet<String>>,
) -> impl IntoView {
    // The worker applies the view's own choices and sends the page of findings to draw.
    let shown = severities;
    let limit = findings_limit;
    let counts = Memo::new(move |_| {
        model.with(|m| {
            let problems = m.problems();
            (
                m.findings_by_severity,
                problems.map_or(0, |p| p.findings_kept),
                problems.map_or_else(Vec::new, |p| p.finding_domains.clone()),
            )
        })
    });
    let pending = Memo::new(move |_| model.with(|m| m.diagnosis_pending));
    // Files given, and not one report among them: nothing was checked, and the page says so
    // here rather than that every rule passed (the load notice says why).
    let nothing_loaded = Memo::new(move |_| {
        model.with(|m| (m.counts.files > 0 && m.session_reports == 0).then_some(m.counts.files))
    });
    let count_line = move || {
        if let Some(files) = nothing_loaded.get() {
            return format!(
                "No report was loaded: {}, so nothing was checked.",
                none_holds_a_report(files)
            );
        }
        counts.with(|(by_severity, kept, _)| {
            let all: usize = by_severity.iter().sum();
            if all == 0 && pending.get() {
                "Looking for problems in these reports…".to_string()
            } else if all == 0 {
                "No problems found in these reports: every rule passed.".to_string()
            } else if *kept == all {
                format!("{}, most urgent first.", plural(all, "finding", "findings"))
            } else {
                format!(
                    "Showing {} of {}.",
                    thousands(*kept as u64),
                    plural(all, "finding", "findings")
                )
            }
        })
    };
    // With three findings or fewer, the most severe opens by itself once the diagnosis is
    // final (once per visit of the view, and only while the user has none open).
    let opened_itself = StoredValue::new(false);
    Effect::new(move |_| {
        let all: usize = counts.with(|(by_severity, _, _)| by_severity.iter().sum());
        if all == 0 || all > 3 || pending.get() || opened_itself.get_value() {
            return;
        }
        let first = model.with(|m| findings(m).first().map(|f| f.key.clone()));
        if let Some(first) = first {
            opened_itself.set_value(true);
            if open_findings.with_untracked(|open| open.is_empty()) {
                open_findings.update(|open| {
                    open.insert(first);
                });
            }
        }
    });
    // Keyed by id: a card is made once and then updates in place.
    let cards = move || model.with(|m| findings(m).to_vec());
    let by_id = Memo::new(move |_| {
        model.with(|m| {
            findings(m)
                .iter()
                .enumerate()
                .map(|(index, f)| (f.key.clone(), index))
                .collect::<HashMap<String, usize>>()
        })
    });
    let more = move || {
        let total = counts.with(|c| c.1);
        super::show_more(limit, total, "findings-more")
    };
    let content = view! {
        <p class="explain" data-testid="problems-count">{count_line}</p>
        <ol class="findings" data-testid="findings">
            <For
                each=cards
                key=|f| f.key.clone()
                children=move |finding| finding_card(model, open_findings, by_id, finding)
            />
        </ol>
        {more}
    };
    // The domains with findings: a choice of grouping only when there are several.
    let finding_domains = Memo::new(move |_| counts.with(|c| c.2.clone()));
    // One finding per rule across domains, or per domain (the worker chooses by default).
    let by_rule =
        Memo::new(move |_| model.with(|m| m.problems().is_some_and(|p| p.findings_by_rule)));
    let grouping = move || {
        // Only where there is something to group across.
        let several = finding_domains.with(|domains| domains.len() > 1);
        several.then(|| {
            view! {
                <label class="filter-grouping">
                    "Show "
                    <select
                        data-testid="problems-grouping"
                        prop:value=move || if by_rule.get() { "rule" } else { "domain" }
                        on:change=move |event| {
                            problems_by_rule.set(Some(event_target_value(&event) == "rule"));
                        }
                    >
                        <option value="domain">"a finding per domain"</option>
                        <option value="rule">"a finding per problem, across domains"</option>
                    </select>
                </label>
            }
        })
    };
    let filters = move || {
        counts.with(|(by_severity, _, _)| {
            let toggles = SEVERITIES
                .iter()
                .map(|&severity| {
                    let index = severity_index(severity);
                    let count = by_severity[index];
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
                    {grouping}
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
            <PoliciesSeen model=model />
        </section>
    }
}

/// The findings the model carries (none off the Problems tab).
fn findings(model: &PageModel) -> &[Finding] {
    model.problems().map_or(&[][..], |p| &p.findings[..])
}

/// How many health lines there are (0 off the Problems tab).
fn health_total(model: &PageModel) -> usize {
    model.problems().map_or(0, |p| p.health_total)
}

/// The MTA-STS policies and TLSA records the senders saw, per domain, read field by field.
#[component]
fn PoliciesSeen(model: RwSignal<PageModel>) -> impl IntoView {
    // Drawn again only when the policies seen change, not at every update of the figures.
    let seen = Memo::new(move |_| {
        model.with(|m| {
            m.problems()
                .map_or(&[][..], |p| &p.health[..])
                .iter()
                .filter(|d| !d.sts_policies.is_empty() || !d.tlsa_records.is_empty())
                .map(|d| PolicySeen {
                    policy_domain: d.policy_domain.clone(),
                    sts_policies: d.sts_policies.clone(),
                    tlsa_records: d.tlsa_records.clone(),
                })
                .collect::<Vec<_>>()
        })
    });
    // Keyed by what a block shows: while a load runs, the blocks that did not change stay.
    let any = Memo::new(move |_| seen.with(|domains| !domains.is_empty()));
    move || {
        any.get().then(|| {
            view! {
                <section class="policies-seen" aria-labelledby="policies-title">
                    <h2 id="policies-title">"Policies the senders saw"</h2>
                    <For
                        each=move || seen.get()
                        key=|domain| domain.clone()
                        children=|domain| policies_block(&domain)
                    />
                </section>
            }
        })
    }
}

/// The policies one domain's senders saw.
fn policies_block(domain: &PolicySeen) -> impl IntoView {
    let sts = domain
        .sts_policies
        .iter()
        .map(|policy| {
            let text = format!(
                "MTA-STS {}: mode {}, mx {}, max_age {}",
                policy.version.as_deref().unwrap_or("(no version)"),
                policy
                    .mode
                    .as_ref()
                    .map_or("(none given)", |mode| mode.as_str()),
                if policy.mx.is_empty() {
                    "(none)".to_string()
                } else {
                    policy.mx.join(", ")
                },
                policy
                    .max_age
                    .map_or("(none given)".to_string(), |age| format!(
                        "{} s",
                        thousands(age)
                    ))
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
}

/// What the policies section shows of a domain.
#[derive(Clone, PartialEq, Eq, Hash)]
struct PolicySeen {
    policy_domain: String,
    sts_policies: Vec<StsPolicy>,
    tlsa_records: Vec<(String, String)>,
}

fn severity_index(severity: Severity) -> usize {
    match severity {
        Severity::Critical => 0,
        Severity::Warning => 1,
        Severity::Info => 2,
    }
}

/// One finding, kept by its id: while a load runs its figures update in place (the element
/// stays, and so does its open state and the keyboard focus).
fn finding_card(
    model: RwSignal<PageModel>,
    open_findings: Field<std::collections::BTreeSet<String>>,
    by_id: Memo<HashMap<String, usize>>,
    initial: Finding,
) -> impl IntoView {
    let id = initial.id();
    let key = initial.key.clone();
    let current = Memo::new({
        let id = key.clone();
        move |_| {
            let index = by_id.with(|map| map.get(&id).copied());
            model
                .with(|m| index.and_then(|i| findings(m).get(i).cloned()))
                .unwrap_or_else(|| initial.clone())
        }
    });
    let severity = move || current.with(|f| f.severity.as_str());
    let meta = move || current.with(meta_line);
    let fix = move || {
        current.with(|f| {
            let names = copyable_names(f);
            f.fix
                .iter()
                .map(|step| view! { <li>{with_code(step, &names)}</li> })
                .collect_view()
        })
    };
    let hidden = move || current.with(|f| f.evidence_total.saturating_sub(f.evidence.len()));
    // The evidence rows come from the worker for open cards only, and are drawn only there:
    // a page of closed cards stays cheap to send and to update while a load runs.
    let opener = super::drill::opener();
    let open_id = key.clone();
    let evidence = move || {
        let shown = open_findings.with(|open| open.contains(&open_id));
        shown.then(|| current.with(|f| evidence_rows(&f.evidence, opener.clone())))
    };
    let lists = move || {
        current.with(|finding| {
            let left_out = finding.left_out;
            [
                ("MX hosts", &finding.mx_hosts, left_out.mx_hosts),
                ("Sending IPs", &finding.sending_ips, left_out.sending_ips),
                ("Reporters", &finding.reporters, left_out.reporters),
            ]
            .into_iter()
            .filter(|(_, items, _)| !items.is_empty())
            .map(|(label, items, beyond)| {
                view! {
                    <div class="fact">
                        <dt>{label}</dt>
                        <dd class="mono">{screen_and_paper(items, beyond)}</dd>
                    </div>
                }
            })
            .collect_view()
        })
    };
    let toggled_id = key.clone();
    // A memo: another card opening leaves this one's `open` untouched (printing opens them
    // all, one toggle event at a time).
    let member_id = key.clone();
    let is_open = Memo::new(move |_| open_findings.with(|open| open.contains(&member_id)));
    let printing = crate::ui::print::printing();
    let (rule, domain, reference) = current.with_untracked(|f| {
        (
            f.rule.to_string(),
            f.policy_domain.clone(),
            f.reference.clone(),
        )
    });
    let rule_attribute = rule.clone();
    view! {
        <li
            class=move || format!("finding sev-{}", severity())
            data-testid=format!("finding-{id}")
            data-rule=rule_attribute
            data-severity=severity
            data-domain=domain
        >
            <details
                prop:open=is_open
                on:toggle=move |event| {
                    let details: web_sys::HtmlDetailsElement = event_target(&event);
                    let now_open = details.open();
                    open_findings.update(|open| {
                        if now_open {
                            open.insert(toggled_id.clone());
                        } else {
                            open.remove(&toggled_id);
                        }
                    });
                }
            >
                <summary>
                    <span class=move || format!("sev-badge sev-{}", severity())>{move || current.with(|f| severity_label(f.severity))}</span>
                    <span class="finding-title">{move || current.with(|f| f.title.clone())}</span>
                    <span class="finding-meta muted">{meta}</span>
                </summary>
                // Drawn once open (or on paper): fifty closed cards are a tenth of the elements,
                // which keeps the first draw of a large load's findings within one short task.
                {move || (is_open.get() || printing.get()).then(|| {
                    let (rule, reference) = (rule.clone(), reference.clone());
                    view! {
                        <div class="finding-body">
                            <p class="finding-explanation" data-testid="finding-explanation">{move || current.with(|f| f.explanation.clone())}</p>
                            <h3>"How to fix it"</h3>
                            <ol class="fix-steps" data-testid="finding-fix">{fix}</ol>
                            <dl class="facts">{lists}</dl>
                            {move || current.with(parts_table)}
                            <h3>{move || current.with(|f| format!("Evidence: {}", plural(f.evidence_total, "report row", "report rows")))}</h3>
                            <ul class="evidence" data-testid="finding-evidence">{evidence.clone()}</ul>
                            {move || (hidden() > 0).then(|| view! {
                                <p class="muted screen-only">{format!("and {} more rows like these", thousands(hidden() as u64))}</p>
                            })}
                            {move || current.with(|f| print_cut(f.evidence_total, PRINT_EVIDENCE, "report rows", "the page and the CSV export"))}
                            <p class="muted reference">
                                {format!("Rule {rule} · based on {reference}")}
                            </p>
                        </div>
                    }
                })}
            </details>
        </li>
    }
}

/// A group's members, a row each: what, where, how many sessions, when, who reported it. The
/// domain column only when the members are of several domains (a group within one domain
/// named it on every row, and its narrow columns made the printout longer).
fn parts_table(finding: &Finding) -> Option<impl IntoView> {
    if finding.parts.is_empty() {
        return None;
    }
    let several_domains = finding
        .parts
        .iter()
        .any(|part| part.policy_domain != finding.policy_domain);
    let rows = finding
        .parts
        .iter()
        .map(|part| {
            let days = match (&part.first_seen, &part.last_seen) {
                (Some(first), Some(last)) if first != last => format!("{first} – {last}"),
                (Some(first), _) => first.to_string(),
                _ => String::new(),
            };
            view! {
                <tr data-testid="finding-part">
                    <td data-label="Finding">{part.title.clone()}</td>
                    {several_domains.then(|| view! { <td data-label="Domain" class="mono">{part.policy_domain.clone()}</td> })}
                    <td data-label="Sessions" class="num">{thousands(part.sessions)}</td>
                    <td data-label="Days">{days}</td>
                    <td data-label="Reporters">{screen_and_paper(&part.reporters, part.left_out.reporters)}</td>
                </tr>
            }
        })
        .collect_view();
    let more = finding.parts_total.saturating_sub(finding.parts.len());
    Some(view! {
        <h3>{format!("Grouped here: {}", plural(finding.parts_total.max(finding.parts.len()) as u64, "finding", "findings"))}</h3>
        <div class="table-wrap" tabindex="0" role="region" aria-label="Grouped findings">
            <table class="data parts" data-testid="finding-parts">
                <thead>
                    <tr>
                        <th scope="col">"Finding"</th>
                        {several_domains.then(|| view! { <th scope="col">"Domain"</th> })}
                        <th scope="col" class="num">"Sessions"</th>
                        <th scope="col">"Days"</th>
                        <th scope="col">"Reporters"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {(more > 0).then(|| view! { <p class="muted screen-only">{format!("and {} more (the JSON export lists every one)", thousands(more as u64))}</p> })}
        {print_cut(finding.parts_total.max(finding.parts.len()), PRINT_PARTS, "grouped findings", "the page and the JSON export")}
    })
}

/// Report rows of a finding's evidence printed (the print stylesheet hides the others).
const PRINT_EVIDENCE: usize = 3;
/// Rows of a group's table printed.
const PRINT_PARTS: usize = 5;

/// On paper only: how many of a list's rows the printout leaves out, and where they all are.
/// A finding of hundreds of rows would otherwise print on pages of its own.
fn print_cut(total: usize, printed: usize, what: &str, where_all: &str) -> Option<AnyView> {
    (total > printed).then(|| {
        view! {
            <p class="print-only print-cut">
                {format!("On paper, the first {printed} of {} {what}; {where_all} have every one.", thousands(total as u64))}
            </p>
        }
        .into_any()
    })
}

/// "example.com · 200 sessions (3.6% of the domain's sessions) · 2024-02-01 – 2024-02-03 · Google".
fn meta_line(finding: &Finding) -> String {
    let share = finding
        .share_text()
        .map(|share| format!(" ({share})"))
        .unwrap_or_default();
    let mut meta = vec![if finding.domains.is_empty() {
        finding.policy_domain.clone()
    } else {
        few(&finding.domains, finding.left_out.domains, "domains")
    }];
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
        (Some(first), _) => meta.push(first.to_string()),
        _ => {}
    }
    if !finding.reporters.is_empty() {
        meta.push(few(
            &finding.reporters,
            finding.left_out.reporters,
            "reporters",
        ));
    }
    meta.join(" · ")
}

/// Names a closed card lists in its one line: three, then how many more ("a, b, c and 18 more
/// domains"); the open card lists all it was sent (see [`all_of`]). `beyond` counts the names
/// the worker left out of `names`.
const NAMES_IN_LINE: usize = 3;

fn few(listed: &[String], beyond: usize, noun: &str) -> String {
    let total = listed.len() + beyond;
    let shown = listed.len().min(NAMES_IN_LINE);
    if total <= shown {
        return listed.join(", ");
    }
    format!(
        "{} and {} more {noun}",
        listed[..shown].join(", "),
        thousands((total - shown) as u64)
    )
}

/// Names printed on paper in a finding's lists, before the rest are counted.
const NAMES_ON_PAPER: usize = 5;

/// A list of names: on screen every one sent ([`all_of`]), on paper the first
/// [`NAMES_ON_PAPER`] and a count of the rest (a list of 30 addresses took a quarter page
/// of each finding; the page, the evidence and the CSV have every one).
fn screen_and_paper(names: &[String], beyond: usize) -> impl IntoView {
    // The first names, and every other one counted (those sent past them, and those left out).
    let shown = names.len().min(NAMES_ON_PAPER);
    let on_paper = all_of(&names[..shown], names.len() - shown + beyond);
    view! {
        <span class="screen-only">{all_of(names, beyond)}</span>
        <span class="paper-only">{on_paper}</span>
    }
}

/// Every name sent, and how many more the worker left out: "a, b, c and 1,234 more".
fn all_of(names: &[String], beyond: usize) -> String {
    match (names.is_empty(), beyond) {
        (_, 0) => names.join(", "),
        (true, more) => format!("{} not listed", thousands(more as u64)),
        (false, more) => format!("{} and {} more", names.join(", "), thousands(more as u64)),
    }
}

/// The host names a finding's fix steps may name, to copy: the domain, its MTA-STS policy
/// host and TXT record, and the finding's MX hosts.
fn copyable_names(finding: &Finding) -> Vec<String> {
    let domain = &finding.policy_domain;
    let mut names = vec![
        domain.clone(),
        format!("mta-sts.{domain}"),
        format!("_mta-sts.{domain}"),
    ];
    names.extend(finding.mx_hosts.iter().cloned());
    names
}

/// A fix step with its `commands`, its URLs and the hosts of `names` set as code, each with a
/// button that copies it. A URL is never a link: it comes from a report.
fn with_code(step: &str, names: &[String]) -> impl IntoView {
    step.split('`')
        .enumerate()
        .map(|(index, part)| {
            if index % 2 == 1 {
                view! { <code>{part.to_string()}</code>{copy_button(part.to_string(), Copied::Command)} }
                    .into_any()
            } else {
                copyable_words(part, names).into_any()
            }
        })
        .collect_view()
}

/// Prose with its URLs and named hosts set as code with a copy button; the rest as text.
fn copyable_words(prose: &str, names: &[String]) -> impl IntoView {
    let mut pieces: Vec<AnyView> = Vec::new();
    let mut text = String::new();
    for word in prose.split_inclusive(' ') {
        let (body, space) = word.split_at(word.trim_end_matches(' ').len());
        let trimmed = body.trim_start_matches(['(', '"']);
        let start = body.len() - trimmed.len();
        let core = trimmed.trim_end_matches(['.', ',', ':', ';', ')', '"']);
        let copyable = !core.is_empty()
            && (core.starts_with("https://")
                || core.starts_with("http://")
                || names.iter().any(|name| name == core));
        if !copyable {
            text.push_str(word);
            continue;
        }
        text.push_str(&body[..start]);
        pieces.push(std::mem::take(&mut text).into_any());
        let copied = core.to_string();
        let button = copy_button(copied.clone(), Copied::Name);
        pieces.push(view! { <code>{copied}</code>{button} }.into_any());
        text.push_str(&body[start + core.len()..]);
        text.push_str(space);
    }
    pieces.push(text.into_any());
    pieces
}

/// What a copy button copies.
#[derive(Clone, Copy)]
enum Copied {
    Command,
    /// A host name or a URL.
    Name,
}

/// "Copy": puts `text` on the clipboard, and says "Copied" for a moment (or, when the browser
/// refuses, to select and copy it).
fn copy_button(text: String, what: Copied) -> impl IntoView {
    let (test_id, label) = match what {
        Copied::Command => ("copy-command", "Copy the command".to_string()),
        Copied::Name => ("copy-name", format!("Copy {text}")),
    };
    let said = RwSignal::new("Copy");
    let copy = move |_| {
        let promise = window().navigator().clipboard().write_text(&text);
        said.set("Copying…");
        leptos::task::spawn_local(async move {
            let done = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
            let _ = said.try_set(if done { "Copied" } else { "Select and copy it" });
            gloo::timers::future::TimeoutFuture::new(2_000).await;
            let _ = said.try_set("Copy");
        });
    };
    view! {
        <button class="copy" data-testid=test_id aria-label=label on:click=copy>
            <span aria-live="polite">{move || said.get()}</span>
        </button>
    }
}

fn evidence_rows(
    rows: &[crate::engine::model::Evidence],
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

/// On the first screen, whenever inputs were set aside or no report loaded: how many, the
/// first few with why (the reasons the Inputs view gives), and a way to Inputs. Without it a
/// DMARC report dropped by mistake showed zeros everywhere and its reason only behind a tab.
#[component]
pub fn LoadAlert(model: RwSignal<PageModel>, tab: Field<Tab>) -> impl IntoView {
    let alert = Memo::new(move |_| {
        model.with(|m| {
            let nothing = m.counts.files > 0 && m.session_reports == 0;
            (nothing || m.counts.rejected > 0).then(|| {
                (
                    nothing,
                    m.counts.files,
                    m.counts.rejected,
                    m.set_aside.clone(),
                )
            })
        })
    });
    move || {
        alert.get().map(|(nothing, files, rejected, set_aside)| {
            let title = if nothing {
                format!("No report was loaded: {}.", none_holds_a_report(files))
            } else {
                format!(
                    "{} set aside; every other input loaded.",
                    plural(rejected, "input was", "inputs were")
                )
            };
            let more = rejected.max(set_aside.len()).saturating_sub(set_aside.len());
            let rows = set_aside
                .into_iter()
                .map(|input| view! { <li><span class="mono">{input.name}</span>": "{input.reason}</li> })
                .collect_view();
            view! {
                <section class="load-alert" role="status" data-testid="load-alert" tabindex="-1">
                    <p class="load-alert-title">{title}</p>
                    <ul data-testid="load-alert-list">{rows}</ul>
                    {(more > 0).then(|| view! { <p>{format!("The Inputs tab lists {} more.", thousands(more as u64))}</p> })}
                    <p>
                        {nothing.then_some(
                            "TLS reports (RFC 8460) are JSON, often gzipped (.json.gz) or attached to an email; \
                             DMARC reports (XML) are another kind of report. ",
                        )}
                        <button class="link-button" data-testid="load-alert-inputs" on:click=move |_| tab.set(Tab::Inputs)>
                            "See every file in Inputs"
                        </button>
                    </p>
                </section>
            }
        })
    }
}

/// "the file given holds no TLS report", "none of the 2 files given holds a TLS report".
fn none_holds_a_report(files: usize) -> String {
    if files == 1 {
        "the file given holds no TLS report".to_string()
    } else {
        format!(
            "none of the {} files given holds a TLS report",
            thousands(files as u64)
        )
    }
}
