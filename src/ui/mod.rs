//! The Leptos page: the only layer that touches the DOM. It reads the files the user gives,
//! hands their bytes to `ingest`, and shows what `analysis` makes of them.

mod demo;
mod loader;
mod state;
mod views;

use crate::analysis::analyze;
use leptos::ev::{DragEvent, Event};
use leptos::prelude::*;
use loader::{files_of, load};
use state::{AppState, Tab};
use views::{InputsView, OverviewPanel, ResultsView, SourcesView};

/// Mounts the app on the page's body.
pub fn mount() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal_error(&info.to_string());
    }));
    leptos::mount::mount_to_body(App);
}

/// Puts a visible message at the top of the page. Used when the app itself has failed, so it
/// writes to the DOM directly rather than through the (possibly broken) app.
pub fn show_fatal_error(details: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    let (Ok(banner), Some(body)) = (document.create_element("div"), document.body()) else {
        return;
    };
    banner.set_class_name("fatal");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", "fatal-error");
    banner.set_text_content(Some(&format!(
        "Something went wrong inside TLS-RPT Viewer, and the page stopped working. Reload the \
         page to start again; your reports were never uploaded. Details: {details}"
    )));
    let _ = body.prepend_with_node_1(&banner);
}

#[component]
fn App() -> impl IntoView {
    let state = AppState::new();
    let analysis = Memo::new(move |_| state.reports.with(analyze));
    let has_inputs = move || state.reports.with(|set| !set.inputs.is_empty());
    let dragging = RwSignal::new(false);

    let on_drop = move |event: DragEvent| {
        event.prevent_default();
        dragging.set(false);
        let files = event.data_transfer().and_then(|transfer| transfer.files());
        load(state, files_of(files));
    };

    view! {
        <div
            class="app"
            on:dragenter=move |event: DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragover=move |event: DragEvent| event.prevent_default()
            on:drop=on_drop
        >
            <Header state=state />
            <ProgressBar state=state />
            <main>
                <Show when=has_inputs fallback=move || view! { <Welcome state=state /> }>
                    <OverviewPanel analysis=analysis />
                    <Tabs state=state />
                    {move || match state.tab.get() {
                        Tab::Results => view! { <ResultsView analysis=analysis reports=state.reports /> }.into_any(),
                        Tab::Sources => view! { <SourcesView analysis=analysis reports=state.reports /> }.into_any(),
                        Tab::Inputs => view! { <InputsView reports=state.reports /> }.into_any(),
                    }}
                </Show>
            </main>
            <footer class="footer">
                "Everything happens in this browser tab: your reports are never uploaded anywhere. "
                <a href="DEMO-NOTICE.txt" data-testid="demo-notice">"Demo reports: sources and licenses"</a>
            </footer>
            <Show when=move || dragging.get()>
                // The drop itself bubbles up to the handler on `.app`.
                <div
                    class="drop-overlay"
                    data-testid="drop-overlay"
                    on:dragleave=move |_| dragging.set(false)
                >
                    <div class="drop-message">"Drop TLS-RPT reports to read them"</div>
                </div>
            </Show>
        </div>
    }
}

/// The "Choose files" control: a button that opens a hidden file input.
#[component]
fn ChooseFiles(state: AppState, #[prop(optional)] primary: bool) -> impl IntoView {
    let input_ref: NodeRef<leptos::html::Input> = NodeRef::new();
    let on_change = move |event: Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        load(state, files_of(input.files()));
        // Clear it, so that choosing the same file again is seen (as a duplicate).
        input.set_value("");
    };
    view! {
        <button
            class="button"
            class:primary=primary
            data-testid="choose-files"
            on:click=move |_| {
                if let Some(input) = input_ref.get() {
                    input.click();
                }
            }
        >
            "Choose files"
        </button>
        <input
            type="file"
            multiple
            class="visually-hidden"
            tabindex="-1"
            aria-hidden="true"
            data-testid="file-input"
            node_ref=input_ref
            on:change=on_change
        />
    }
}

#[component]
fn Header(state: AppState) -> impl IntoView {
    let has_inputs = move || state.reports.with(|set| !set.inputs.is_empty());
    view! {
        <header class="topbar">
            <div class="brand">
                <img class="logo" src="favicon.svg" alt="" width="24" height="24" />
                <span>"TLS-RPT Viewer"</span>
            </div>
            <Show when=has_inputs>
                <div class="actions">
                    <ChooseFiles state=state />
                    <button class="button" on:click=move |_| load(state, demo::demo_files())>
                        "Load demo reports"
                    </button>
                    <button
                        class="button subtle"
                        data-testid="clear"
                        on:click=move |_| {
                            state.reports.set(Default::default());
                            state.tab.set(Tab::Results);
                        }
                    >
                        "Clear"
                    </button>
                </div>
            </Show>
        </header>
    }
}

#[component]
fn Welcome(state: AppState) -> impl IntoView {
    view! {
        <section class="welcome" data-testid="welcome">
            <h1>"See which senders reach your domain over TLS, and which fail."</h1>
            <p class="lead">
                "Drop SMTP TLS reports (RFC 8460) anywhere on this page: the JSON reports, or the "
                <span class="mono">".json.gz"</span>
                " files attached to the report emails from Google, Microsoft, Mail.ru and others."
            </p>
            <div class="drop-hint">
                <p>"Drop files here"</p>
                <div class="welcome-actions">
                    <ChooseFiles state=state primary=true />
                    <button class="button" data-testid="load-demo" on:click=move |_| load(state, demo::demo_files())>
                        "Load demo reports"
                    </button>
                </div>
            </div>
            <p class="privacy">
                "Private by design: the reports are read and analysed inside this browser tab. "
                "Nothing is uploaded; the page is not allowed to contact any other site."
            </p>
        </section>
    }
}

#[component]
fn Tabs(state: AppState) -> impl IntoView {
    let inputs_label = move || {
        let counts = state.reports.with(|set| set.counts());
        if counts.rejected > 0 {
            format!("Inputs ({} rejected)", counts.rejected)
        } else {
            format!("Inputs ({})", counts.files)
        }
    };
    view! {
        <nav class="tabs" role="tablist">
            {tab_button(state, Tab::Results, "tab-results", "By result")}
            {tab_button(state, Tab::Sources, "tab-sources", "By sending source")}
            {tab_button(state, Tab::Inputs, "tab-inputs", inputs_label)}
        </nav>
    }
}

fn tab_button(
    state: AppState,
    which: Tab,
    test_id: &'static str,
    label: impl IntoView + 'static,
) -> impl IntoView {
    view! {
        <button
            role="tab"
            class="tab"
            data-testid=test_id
            aria-selected=move || (state.tab.get() == which).to_string()
            class:active=move || state.tab.get() == which
            on:click=move |_| state.tab.set(which)
        >
            {label}
        </button>
    }
}

#[component]
fn ProgressBar(state: AppState) -> impl IntoView {
    move || {
        state.progress.get().map(|progress| {
            view! {
                <div class="progress" data-testid="progress" role="status">
                    <progress max=progress.total value=progress.done></progress>
                    <span>{format!("Reading {} of {} files…", progress.done, progress.total)}</span>
                </div>
            }
        })
    }
}
