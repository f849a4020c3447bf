//! The overview cards: what was loaded, the period, the domains and reporters, the totals.

use crate::engine::model::{Overview, PageModel, COUNTING_RULE};
use crate::engine::present::{covered_days, nonzero_parts, plural, thousands};
use crate::engine::present::{format_rate, rate_tenths};
use leptos::prelude::*;

/// "a.example, b.example … and 19,900 more": the first names the worker sent, and the count.
fn names_line(names: &[String], total: usize) -> String {
    let mut line = names.join(", ");
    if total > names.len() {
        line.push_str(&format!(
            " … and {} more",
            thousands((total - names.len()) as u64)
        ));
    }
    line
}

/// The days the reports cover, "2026-03-01 – 2026-03-20" (or one day), and how many: "20
/// days". None when no report gives dates.
pub fn period_of(overview: &Overview) -> Option<(String, String)> {
    let (first, last, days) = covered_days(overview.first_start?, overview.last_end?);
    let period = if first == last {
        first
    } else {
        format!("{first} – {last}")
    };
    Some((period, plural(days, "day", "days")))
}

#[component]
pub fn OverviewPanel(model: RwSignal<PageModel>) -> impl IntoView {
    // Drawn again only when the overview's figures change.
    let overview = Memo::new(move |_| model.with(|m| m.overview.clone()));
    let totals = Memo::new(move |_| model.with(|m| (m.domain_count, m.organization_count)));
    move || {
        let (domain_count, organization_count) = totals.get();
        overview.with(|o| {
            let (period, days) = period_of(o)
                .unwrap_or_else(|| ("–".to_string(), "no dates in the reports".to_string()));
            let inputs = &o.inputs;
            let mut input_line = format!("from {}", plural(inputs.files, "file", "files"));
            if inputs.messages > 0 {
                input_line.push_str(&format!(", {}", plural(inputs.messages, "email", "emails")));
            }
            let set_aside = nonzero_parts(&[
                (inputs.duplicates, "duplicate"),
                (inputs.rejected - inputs.messages_without_report, "rejected"),
                (inputs.messages_without_report, "without a report"),
            ]);
            if !set_aside.is_empty() {
                input_line = format!("{input_line}: {set_aside}");
            }
            let width_tenths = rate_tenths(o.successful_sessions, o.failed_sessions).unwrap_or(0);
            let rate_class = if o.failed_sessions == 0 {
                "good"
            } else if width_tenths >= 990 {
                "fair"
            } else {
                "poor"
            };
            let counted_once = (o.sessions_counted_once > 0).then(|| {
                view! {
                    <details class="note" data-testid="overview-counted-once">
                        <summary>
                            {format!(
                                "{} were reported under both a tlsa and an sts policy for the \
                                 same domain; the totals count them once.",
                                plural(o.sessions_counted_once, "session", "sessions")
                            )}
                            " "
                            <span class="why">"How?"</span>
                        </summary>
                        <p>{COUNTING_RULE}</p>
                    </details>
                }
            });
            let zone = (o.reports_with_zone_assumed > 0).then(|| {
                view! {
                    <p class="note">
                        {format!(
                            "{} gave timestamps without a time zone; they were read as UTC.",
                            plural(o.reports_with_zone_assumed, "report", "reports")
                        )}
                    </p>
                }
            });
            view! {
                <section class="overview" aria-label="Overview">
                    <div class="overview-sessions">
                        <div class="card">
                            <h3>"Successful sessions"</h3>
                            <p class="figure good-text" data-testid="overview-successful-sessions">
                                {thousands(o.successful_sessions)}
                            </p>
                            <p class="sub">"SMTP connections that negotiated TLS as the policy asks"</p>
                        </div>
                        <div class="card">
                            <h3>"Failed sessions"</h3>
                            <p class="figure" class:poor-text=o.failed_sessions != 0 data-testid="overview-failed-sessions">
                                {thousands(o.failed_sessions)}
                            </p>
                            <p class="sub">"connections where TLS or the policy check failed"</p>
                        </div>
                        <div class="card">
                            <h3>"Success rate"</h3>
                            <p class=format!("figure {rate_class}-text") data-testid="overview-success-rate">
                                {format_rate(o.successful_sessions, o.failed_sessions)}
                            </p>
                            <div class="meter" role="presentation">
                                <div class=format!("meter-fill {rate_class}") style:width=format!("{}.{}%", width_tenths / 10, width_tenths % 10)></div>
                            </div>
                        </div>
                    </div>
                    <div class="overview-context">
                        <div class="card">
                            <h3>"Reports"</h3>
                            <p class="figure" data-testid="overview-reports">{thousands(o.reports as u64)}</p>
                            {
                                let open = super::drill::opener();
                                view! {
                                    <button
                                        class="link-button"
                                        data-testid="overview-reports-list"
                                        on:click=move |_| open(crate::ui::state::Drill::Reports(crate::engine::model::Trace::All))
                                    >
                                        "list them"
                                    </button>
                                }
                            }
                            <p class="sub" data-testid="overview-inputs">{input_line}</p>
                        </div>
                        <div class="card">
                            <h3>"Period"</h3>
                            <p class="figure small" data-testid="overview-date-range">{period}</p>
                            <p class="sub">{days}</p>
                        </div>
                        <div class="card">
                            <h3>"Policy domains"</h3>
                            <p class="figure" data-testid="overview-domain-count">{thousands(domain_count as u64)}</p>
                            <p class="sub list" data-testid="overview-domains" title=names_line(&o.policy_domains, domain_count)>{names_line(&o.policy_domains, domain_count)}</p>
                        </div>
                        <div class="card">
                            <h3>"Reporting organisations"</h3>
                            <p class="figure" data-testid="overview-organization-count">{thousands(organization_count as u64)}</p>
                            <p class="sub list" data-testid="overview-organizations" title=names_line(&o.organizations, organization_count)>{names_line(&o.organizations, organization_count)}</p>
                        </div>
                    </div>
                </section>
                {counted_once}
                {zone}
            }
        })
    }
}
