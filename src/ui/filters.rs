//! The filter bar, and the URL fragment that mirrors it: a filtered view can be bookmarked
//! and reloaded. The fragment carries the filters only, never report data.

use super::state::AppState;
use crate::analysis::Filter;
use chrono::NaiveDate;
use leptos::prelude::*;

/// Reads the filters from the fragment now and whenever it changes (back, forward, a pasted
/// link), and writes them back to it when they change on the page.
pub fn sync_with_url(filter: RwSignal<Filter>) {
    let read = move || {
        let hash = window().location().hash().unwrap_or_default();
        let from_url = Filter::from_fragment(&hash);
        if from_url != filter.get_untracked() {
            filter.set(from_url);
        }
    };
    read();
    let _ = window_event_listener(leptos::ev::hashchange, move |_| read());
    Effect::new(move |_| {
        let fragment = filter.get().to_fragment();
        let location = window().location();
        let current = location.hash().unwrap_or_default();
        if current.trim_start_matches('#') != fragment {
            // Replace, not push: each keystroke in a field need not be a history entry.
            let url = if fragment.is_empty() {
                location.pathname().unwrap_or_default() + &location.search().unwrap_or_default()
            } else {
                format!("#{fragment}")
            };
            if let Ok(history) = window().history() {
                let _ =
                    history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
            }
        }
    });
}

fn options(values: &[String], all: &'static str) -> impl IntoView {
    let items = values
        .iter()
        .map(|v| view! { <option value=v.clone()>{v.clone()}</option> })
        .collect_view();
    view! { <option value="">{all}</option> {items} }
}

/// A select bound to one text field of the filter.
#[allow(clippy::too_many_arguments)]
fn select(
    state: AppState,
    label: &'static str,
    test_id: &'static str,
    values: &[String],
    total: usize,
    all: &'static str,
    get: fn(&Filter) -> Option<String>,
    set: fn(&mut Filter, Option<String>),
) -> AnyView {
    if total > values.len() {
        // Tens of thousands of values make no list: the value is typed (exactly, as the
        // address's filter is), and the first values are offered as suggestions.
        let list_id = format!("{test_id}-values");
        // Drawn when the field is first used, not with every model: hundreds of options
        // would make the update that brings them a long task.
        let (wanted, suggestions) = crate::ui::views::suggestions_on_use(values);
        return view! {
            <label class="filter-field">
                <span>{format!("{label} ({} values)", crate::text::thousands(total as u64))}</span>
                <input
                    type="search"
                    list=list_id.clone()
                    data-testid=test_id
                    placeholder=all
                    maxlength=crate::ui::views::FIELD_MAX
                    on:focus=move |_| wanted.set(true)
                    prop:value=move || state.filter.with(get).unwrap_or_default()
                    on:change=move |event| {
                        let value = crate::ui::views::typed_value(&event);
                        state.filter.update(|f| set(f, (!value.is_empty()).then_some(value)));
                    }
                />
                <datalist id=list_id>{suggestions}</datalist>
            </label>
        }
        .into_any();
    }
    view! {
        <label class="filter-field">
            <span>{label}</span>
            <select
                data-testid=test_id
                prop:value=move || state.filter.with(get).unwrap_or_default()
                on:change=move |event| {
                    let value = event_target_value(&event);
                    state.filter.update(|f| set(f, (!value.is_empty()).then_some(value)));
                }
            >
                {options(values, all)}
            </select>
        </label>
    }
    .into_any()
}

fn date_field(
    state: AppState,
    label: &'static str,
    test_id: &'static str,
    get: fn(&Filter) -> Option<NaiveDate>,
    set: fn(&mut Filter, Option<NaiveDate>),
) -> impl IntoView {
    view! {
        <label class="filter-field">
            <span>{label}</span>
            <input
                type="date"
                data-testid=test_id
                prop:value=move || state.filter.with(get).map(|d| d.to_string()).unwrap_or_default()
                on:change=move |event| {
                    let value = crate::text::parse_day(&event_target_value(&event));
                    state.filter.update(|f| set(f, value));
                }
            />
        </label>
    }
}

#[component]
pub fn FilterBar(state: AppState) -> impl IntoView {
    let active = move || state.filter.with(|f| !f.is_empty());
    let controls = move || {
        // Drawn again only when the values change (a new domain, reporter…), not per report.
        state.choices.with(|c| {
            view! {
                {select(state, "Domain", "filter-by-domain", &c.domains, c.totals[0], "All domains", |f| f.domain.clone(), |f, v| f.domain = v)}
                {date_field(state, "From", "filter-from", |f| f.from, |f, v| f.from = v)}
                {date_field(state, "To", "filter-to", |f| f.to, |f, v| f.to = v)}
                {select(state, "Reporter", "filter-org", &c.organizations, c.totals[1], "All reporters", |f| f.organization.clone(), |f, v| f.organization = v)}
                {select(state, "Policy type", "filter-policy", &c.policy_types, c.totals[2], "All policy types", |f| f.policy_type.clone(), |f, v| f.policy_type = v)}
                {select(state, "Result type", "filter-result", &c.result_types, c.totals[3], "All result types", |f| f.result_type.clone(), |f, v| f.result_type = v)}
                {select(state, "Receiving MX", "filter-mx", &c.mx_hosts, c.totals[4], "All MX hosts", |f| f.mx_host.clone(), |f, v| f.mx_host = v)}
                <label class="filter-field">
                    <span>"Sending IP or CIDR"</span>
                    <input
                        type="text"
                        inputmode="text"
                        placeholder="192.0.2.0/24"
                        data-testid="filter-ip"
                        maxlength=crate::ui::views::FIELD_MAX
                        prop:value=move || state.filter.with(|f| f.sending_ip.clone()).unwrap_or_default()
                        on:change=move |event| {
                            let value = crate::ui::views::typed_value(&event).trim().to_string();
                            state.filter.update(|f| f.sending_ip = (!value.is_empty()).then_some(value));
                        }
                    />
                </label>
            }
        })
    };
    let summary = move || {
        state.filter.with(|filter| {
            if filter.is_empty() {
                return "Filters: none; every loaded report is shown.".to_string();
            }
            let mut parts = Vec::new();
            let mut add = |name: &str, value: Option<String>| {
                if let Some(value) = value {
                    parts.push(format!("{name} {value}"));
                }
            };
            add("domain", filter.domain.clone());
            add("from", filter.from.map(|d| d.to_string()));
            add("to", filter.to.map(|d| d.to_string()));
            add("reporter", filter.organization.clone());
            add("policy type", filter.policy_type.clone());
            add("result type", filter.result_type.clone());
            add("MX", filter.mx_host.clone());
            add("sending IP", filter.sending_ip.clone());
            let mut text = format!("Filtered: {}.", parts.join(" · "));
            if filter.narrows_details() {
                text.push_str(
                    " Reports do not break successful sessions down by result type, sending IP \
                     or MX host, so only the matching failed sessions are counted.",
                );
            }
            if filter
                .sending_ip
                .as_deref()
                .is_some_and(|ip| crate::analysis::filter::IpPrefix::parse(ip).is_none())
            {
                text.push_str(" The sending IP is not an address or a prefix such as 192.0.2.0/24, so nothing matches.");
            }
            text
        })
    };
    view! {
        <details class="filter-bar" data-testid="filter-bar" prop:open=active>
            <summary>
                <span data-testid="filter-summary" class:filter-active=active>{summary}</span>
            </summary>
            <div class="filter-fields">
                {controls}
                <button
                    class="button subtle"
                    data-testid="filter-clear"
                    on:click=move |_| state.filter.set(Filter::default())
                >
                    "Clear filters"
                </button>
            </div>
        </details>
    }
}
