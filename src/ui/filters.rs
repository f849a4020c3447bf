//! The filter bar, and where the filters and the open tab live: in this page's history
//! entries (a reload keeps them, and each filter set or tab opened on the page is an entry:
//! Back goes to the view before), never in its address; a link with them as a fragment is
//! made on request and applied when opened.

use super::state::Field;
use crate::engine::model::{Choices, Filter, Tab};
use chrono::NaiveDate;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

/// Keeps the filter in this page's history entry (`history.state`), never in its address:
/// filter values come from reports (domains, organisations, IPs), and an address goes into
/// the browser's history list. A reload or Back and Forward keep the filter all the same. A
/// fragment given in the address (a shared link or a bookmark, `#domain=example.com`) is
/// applied on opening and when it changes, then taken out of the address; "Link to this view"
/// builds such a link on request. Framed by another site's page, the page applies no
/// fragment (that page could set the filters), and says so: returns whether one was ignored.
pub fn sync_with_url(filter: Field<Filter>, tab: Field<Tab>) -> bool {
    let framed = framed_by_another_site();
    let take_fragment = move || -> Option<Filter> {
        let location = window().location();
        let hash = location.hash().unwrap_or_default();
        if hash.trim_start_matches('#').is_empty() {
            return None;
        }
        // Out of the address, whatever it held.
        let bare = location.pathname().unwrap_or_default() + &location.search().unwrap_or_default();
        if let Ok(history) = window().history() {
            let state = history.state().unwrap_or(JsValue::NULL);
            let _ = history.replace_state_with_url(&state, "", Some(&bare));
        }
        if framed {
            return None;
        }
        // A link may name the tab it was made on.
        if let Some(named) = tab_of(&hash) {
            tab.set(named);
        }
        Some(Filter::from_fragment(&hash))
    };
    let had_fragment = !window()
        .location()
        .hash()
        .unwrap_or_default()
        .trim_start_matches('#')
        .is_empty();
    // The entry's own filter and tab (a reload keeps both; Back and Forward bring them).
    let from_state = || {
        window()
            .history()
            .ok()
            .and_then(|history| history.state().ok())
            .and_then(|state| state.as_string())
            .map(|fragment| (Filter::from_fragment(&fragment), tab_of(&fragment)))
    };
    if let Some(initial) = take_fragment() {
        filter.set(initial);
    } else if let Some((initial, initial_tab)) = from_state() {
        filter.set(initial);
        if let Some(initial_tab) = initial_tab {
            tab.set(initial_tab);
        }
    }
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        if let Some(from_url) = take_fragment() {
            filter.set(from_url);
        }
    });
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        let (wanted, wanted_tab) = from_state().unwrap_or_default();
        if wanted != filter.get_untracked() {
            filter.set(wanted);
        }
        let wanted_tab = wanted_tab.unwrap_or_default();
        if wanted_tab != tab.get_untracked() {
            tab.set(wanted_tab);
        }
    });
    // A filter set on the page (a domain opened from the table, a field changed) or a tab
    // opened is a step of its own in the history: Back goes back to the view before it, rather
    // than out of the page and its loaded reports. The first view, and one that Back or
    // Forward brought, is already the entry's own.
    Effect::new(move |first: Option<()>| {
        let fragment = with_tab(filter.get().to_fragment(), tab.get());
        let Ok(history) = window().history() else {
            return;
        };
        let current = history.state().ok().and_then(|state| state.as_string());
        if current.as_deref() == Some(fragment.as_str()) {
            return;
        }
        let state = JsValue::from_str(&fragment);
        if first.is_none() || current.is_none() && fragment.is_empty() {
            let _ = history.replace_state(&state, "");
        } else {
            let _ = history.push_state(&state, "");
        }
    });
    framed && had_fragment
}

/// Whether another site's page frames this one (`location.ancestorOrigins` where the browser
/// has it; else whether the top page's address cannot be read, as another origin's cannot).
fn framed_by_another_site() -> bool {
    let window = window();
    let location = window.location();
    let own = location.origin().unwrap_or_default();
    if let Ok(list) = js_sys::Reflect::get(&location, &JsValue::from_str("ancestorOrigins")) {
        if !list.is_undefined() && !list.is_null() {
            let length = js_sys::Reflect::get(&list, &JsValue::from_str("length"))
                .ok()
                .and_then(|n| n.as_f64())
                .unwrap_or(0.0) as u32;
            return (0..length).any(|i| {
                js_sys::Reflect::get(&list, &JsValue::from(i))
                    .ok()
                    .and_then(|origin| origin.as_string())
                    .is_none_or(|origin| origin != own)
            });
        }
    }
    match window.top() {
        Ok(Some(top)) if !js_sys::Object::is(&top, &window) => top.location().href().is_err(),
        Ok(_) => false,
        Err(_) => true,
    }
}

/// "Link to this view": the page's address with the filter as a fragment, shown to copy (and
/// copied where the browser allows it). Only on request: the address itself never holds it.
#[component]
pub fn LinkToView(filter: Field<Filter>, tab: Field<Tab>) -> impl IntoView {
    let shown = RwSignal::new(None::<String>);
    let make = move |_| {
        let location = window().location();
        let base = location.origin().unwrap_or_default()
            + &location.pathname().unwrap_or_default()
            + &location.search().unwrap_or_default();
        let fragment = with_tab(
            filter.with_untracked(Filter::to_fragment),
            tab.get_untracked(),
        );
        let link = if fragment.is_empty() {
            base
        } else {
            format!("{base}#{fragment}")
        };
        // Copied where the browser allows it; the link is shown either way.
        let copied = window().navigator().clipboard().write_text(&link);
        leptos::task::spawn_local(async move {
            let _ = wasm_bindgen_futures::JsFuture::from(copied).await;
        });
        shown.set(Some(link));
    };
    view! {
        <button class="button subtle" data-testid="link-to-view" on:click=make>
            "Link to this view"
        </button>
        {move || {
            shown.get().map(|link| {
                view! {
                    <label class="filter-field">
                        <span>"Link (copied; it names the filters, which come from your reports)"</span>
                        <input type="text" readonly data-testid="view-link" prop:value=link />
                    </label>
                }
            })
        }}
    }
}

fn options(values: &[String], all: &'static str) -> impl IntoView {
    let items = values
        .iter()
        .map(|v| view! { <option value=v.clone()>{v.clone()}</option> })
        .collect_view();
    view! { <option value="">{all}</option> {items} }
}

/// A link's fragment with the open tab too ("domain=example.com&tab=timeline"), unless it is
/// the first tab.
fn with_tab(fragment: String, tab: Tab) -> String {
    match (tab, fragment.is_empty()) {
        (Tab::Problems, _) => fragment,
        (tab, true) => format!("tab={}", tab.slug()),
        (tab, false) => format!("{fragment}&tab={}", tab.slug()),
    }
}

/// The tab a link's fragment names ("tab=timeline"), if it names one.
fn tab_of(fragment: &str) -> Option<Tab> {
    fragment
        .trim_start_matches('#')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, _)| *key == "tab")
        .and_then(|(_, value)| Tab::ALL.into_iter().find(|tab| tab.slug() == value))
}

/// The filter in words: "domain example.com · from 2026-03-01".
pub fn describe(filter: &Filter) -> String {
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
    parts.join(" · ")
}

/// A select bound to one text field of the filter.
#[allow(clippy::too_many_arguments)]
fn select(
    filter: Field<Filter>,
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
                    prop:value=move || filter.with(get).unwrap_or_default()
                    on:change=move |event| {
                        let value = crate::ui::views::typed_value(&event);
                        filter.update(|f| set(f, (!value.is_empty()).then_some(value)));
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
                prop:value=move || filter.with(get).unwrap_or_default()
                on:change=move |event| {
                    let value = event_target_value(&event);
                    filter.update(|f| set(f, (!value.is_empty()).then_some(value)));
                }
            >
                {options(values, all)}
            </select>
        </label>
    }
    .into_any()
}

fn date_field(
    filter: Field<Filter>,
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
                prop:value=move || filter.with(get).map(|d| d.to_string()).unwrap_or_default()
                on:change=move |event| {
                    let value = crate::text::parse_day(&event_target_value(&event));
                    filter.update(|f| set(f, value));
                }
            />
        </label>
    }
}

#[component]
pub fn FilterBar(filter: Field<Filter>, choices: Memo<Choices>, tab: Field<Tab>) -> impl IntoView {
    let active = move || filter.with(|f| !f.is_empty());
    let controls = move || {
        // Drawn again only when the values change (a new domain, reporter…), not per report.
        choices.with(|c| {
            view! {
                {select(filter, "Domain", "filter-by-domain", &c.domains, c.totals[0], "All domains", |f| f.domain.clone(), |f, v| f.domain = v)}
                {date_field(filter, "From", "filter-from", |f| f.from, |f, v| f.from = v)}
                {date_field(filter, "To", "filter-to", |f| f.to, |f, v| f.to = v)}
                {select(filter, "Reporter", "filter-org", &c.organizations, c.totals[1], "All reporters", |f| f.organization.clone(), |f, v| f.organization = v)}
                {select(filter, "Policy type", "filter-policy", &c.policy_types, c.totals[2], "All policy types", |f| f.policy_type.clone(), |f, v| f.policy_type = v)}
                {select(filter, "Result type", "filter-result", &c.result_types, c.totals[3], "All result types", |f| f.result_type.clone(), |f, v| f.result_type = v)}
                {select(filter, "Receiving MX", "filter-mx", &c.mx_hosts, c.totals[4], "All MX hosts", |f| f.mx_host.clone(), |f, v| f.mx_host = v)}
                <label class="filter-field">
                    <span>"Sending IP or CIDR"</span>
                    <input
                        type="text"
                        inputmode="text"
                        placeholder="192.0.2.0/24"
                        data-testid="filter-ip"
                        maxlength=crate::ui::views::FIELD_MAX
                        prop:value=move || filter.with(|f| f.sending_ip.clone()).unwrap_or_default()
                        on:change=move |event| {
                            let value = crate::ui::views::typed_value(&event).trim().to_string();
                            filter.update(|f| f.sending_ip = (!value.is_empty()).then_some(value));
                        }
                    />
                </label>
            }
        })
    };
    let summary = move || {
        filter.with(|filter| {
            if filter.is_empty() {
                return "Filters: none; every loaded report is shown.".to_string();
            }
            let mut text = format!("Filtered: {}.", describe(filter));
            if filter.narrows_details() {
                text.push_str(
                    " Reports do not break successful sessions down by result type, sending IP \
                     or MX host, so only the matching failed sessions are counted; the health \
                     lines and verdicts stay each domain's own, over every session.",
                );
            }
            if filter
                .sending_ip
                .as_deref()
                .is_some_and(|ip| crate::engine::present::IpPrefix::parse(ip).is_none())
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
                    on:click=move |_| filter.set(Filter::default())
                >
                    "Clear filters"
                </button>
                <LinkToView filter=filter tab=tab />
            </div>
        </details>
    }
}

/// "← All domains", while one domain of several is open: back to every domain, the other
/// filters kept (a step of the page's history, as any filter change).
#[component]
pub fn AllDomains(filter: Field<Filter>, choices: Memo<Choices>) -> impl IntoView {
    let shown = move || filter.with(|f| f.domain.is_some()) && choices.with(|c| c.totals[0] > 1);
    move || {
        shown().then(|| {
            view! {
                <button
                    class="link-button all-domains"
                    data-testid="all-domains"
                    on:click=move |_| filter.update(|f| f.domain = None)
                >
                    "← All domains"
                </button>
            }
        })
    }
}
