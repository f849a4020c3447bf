//! The Leptos page: the only layer that touches the DOM. It hands the files the user gives to
//! the engine's Web Worker ([`bridge`]) and renders the view models the worker sends back.
//! The main thread never reads, parses or counts a report.

mod bridge;
mod dashboard;
mod download;
mod filters;
mod folders;
mod keep;
pub mod later;
mod loader;
mod preload;
mod print;
mod split;
mod state;
mod theme;
mod views;

use crate::engine::model::{LoadProgress, Tab, ToWorker};
use crate::text::{plural, thousands};
use leptos::ev::{ClipboardEvent, DragEvent, Event};
use leptos::prelude::*;
use leptos::task::spawn_local;
use loader::{files_of, load, load_demo, PendingFile};
use state::{AppState, Field};
use wasm_bindgen::JsCast;

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
    bridge::read_models_with(|state, text| {
        split::with_later(move |later| (later.take)(state, &text));
    });
    bridge::start(state);
    // Whatever the page shows, the worker is told, and answers with the figures for it.
    Effect::new(move |_| {
        let request = state.request();
        bridge::send_view(request);
    });
    let fragment_ignored = filters::sync_with_url(state.filter, state.tab);
    // Reports the user loaded live only in this tab, unless kept in this browser: a reload,
    // closing it or going Back out of it asks first (the browser's own "Leave site?" question).
    let _ = window_event_listener(leptos::ev::beforeunload, move |event| {
        if state.own_files.get_untracked()
            && !state.keep.holds_everything()
            && untrack(|| state.has_inputs())
        {
            event.prevent_default();
            event.set_return_value("");
        }
    });
    provide_context(views::drill::DrillTo(state.drill));
    print::open_findings_for_print();
    later::init();
    // The second module (the dashboard and what reads the figures) is fetched at once: it is
    // in before the user has chosen a file.
    split::load();
    let request = preload::request();
    let embedded = request.embed;
    // A documentation page's sample is shown as asked (and not offered to keep); otherwise
    // what the user kept returns.
    state.keep.offered.set(request.sources.is_empty());
    if request.sources.is_empty() {
        keep::restore(
            state.keep,
            move |files| {
                let files = files
                    .into_iter()
                    .map(|(name, file)| PendingFile::from_folder(name, file))
                    .collect();
                loader::load_restored(state, files);
            },
            move || loader::load_demo_restored(state),
        );
    }
    preload::preload(state, request.sources);
    // A memo: what hangs on it is drawn when it turns, not again at every model (a focused
    // skip link stays the same element).
    let has_inputs = Memo::new(move |_| state.has_inputs());
    // When the first figures replace the welcome (whose button had the focus), the focus goes
    // to the load notice when there is one (what was set aside), else to the open view's
    // heading, rather than falling to the document, where the next Tab would land in the
    // footer. The parts are drawn in steps, so it waits for them, and stops if the user has
    // moved the focus meanwhile.
    Effect::new(move |before: Option<bool>| {
        let now = has_inputs.get();
        if now && before == Some(false) {
            focus_after_load(state.progress, 40);
        }
        now
    });
    let dragging = RwSignal::new(false);
    let actions = Actions::new(state);
    // Whether the figures and findings drawn answer what the page shows now, with no load
    // running (tests wait for this). It turns false at once, and true only when it still holds
    // a task later: the model that ends a load can also bring the dashboard, whose parts drawn
    // in steps register only as it is drawn.
    let answered = move || {
        let request = state.request();
        let answered = state
            .model
            .with(|m| m.request == request && !m.diagnosis_pending);
        // With figures, the dashboard must be drawn, and no answer of the worker's may wait:
        // their code is in the page's second module.
        let drawn = (!has_inputs.get() || split::loaded().is_some()) && !split::anything_waiting();
        state.progress.with(Option::is_none) && answered && drawn && later::all_drawn()
    };
    let synced_now = RwSignal::new(false);
    Effect::new(move |_| {
        if !answered() {
            synced_now.set(false);
            return;
        }
        set_timeout(
            move || {
                let still = untrack(answered);
                let _ = synced_now.try_set(still);
            },
            std::time::Duration::ZERO,
        );
    });
    let synced = move || synced_now.get().to_string();

    let on_drop = move |event: DragEvent| {
        event.prevent_default();
        dragging.set(false);
        let Some(transfer) = event.data_transfer() else {
            return;
        };
        // Folders come as directory entries, which must be taken during the event.
        let entries = folders::dropped_entries(&transfer);
        if entries.iter().any(|entry| entry.is_directory()) {
            load_folders(state, entries);
        } else {
            load(state, files_of(transfer.files()));
        }
    };
    // Ctrl+V anywhere on the page: pasted files, or pasted text read like a file.
    let _paste = window_event_listener(leptos::ev::paste, move |event: ClipboardEvent| {
        on_paste(state, event)
    });

    view! {
        <div
            class="app"
            class:embedded=embedded
            data-synced=synced
            data-load-ms=load_timing(state, |load| load.elapsed_ms)
            data-work-ms=load_timing(state, |load| load.work_ms)
            data-diagnosis-ms=load_timing(state, |load| load.diagnosis_ms)
            on:dragenter=move |event: DragEvent| {
                event.prevent_default();
                dragging.set(true);
            }
            on:dragover=move |event: DragEvent| event.prevent_default()
            on:drop=on_drop
        >
            // Not a jump by address: the address's fragment is where a shared link's filters
            // come. Only with figures: the welcome has no findings to skip to.
            {move || has_inputs.get().then(|| view! {
                <a class="skip-link" href="#tabs" data-testid="skip-link" on:click=move |event| {
                    event.prevent_default();
                    focus_by_id(&format!("tab-button-{}", state.tab.get_untracked().slug()));
                }>"Skip to the tabs"</a>
            })}
            <ChooserInputs choosers=actions.choosers load=actions.load />
            <Header has_inputs=has_inputs keep=state.keep actions=actions />
            <WorkerLost worker_lost=state.worker_lost restart=actions.clear />
            <LaterCodeMissing />
            {fragment_ignored.then(|| view! {
                <p class="notice" role="status" data-testid="fragment-ignored">
                    "This viewer is shown inside another site's page, so the filters in its \
                     address were not applied: that page could have chosen them. Open the viewer \
                     on its own to use a link with filters."
                </p>
            })}
            <keep::KeepNotice keep=state.keep />
            <ProgressBar progress=state.progress scanning=state.scanning stopped=state.stopped />
            <main id="main" tabindex="-1">
                <Show
                    when=move || has_inputs.get()
                    fallback=move || {
                        if state.preloading.get() {
                            view! { <p class="preloading" data-testid="preloading">"Loading the report…"</p> }.into_any()
                        } else if state.keep.status.with(|s| *s == keep::Status::Restoring) {
                            view! { <p class="preloading" data-testid="restoring">"Reading the reports kept in this browser…"</p> }.into_any()
                        } else {
                            view! { <Welcome filter=state.filter tab=state.tab actions=actions /> }.into_any()
                        }
                    }
                >
                    {move || match split::loaded() {
                        Some(later) => (later.dashboard)(state).into_any(),
                        None => view! { <p class="preloading" data-testid="code-loading">"Loading…"</p> }.into_any(),
                    }}
                </Show>
            </main>
            {move || split::loaded().map(|later| (later.drill)(state.drill))}
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

/// Reads the folders (and files) of a drop, then loads every file found.
fn load_folders(state: AppState, entries: Vec<web_sys::FileSystemEntry>) {
    state.scanning.set(Some(0));
    spawn_local(async move {
        let files =
            folders::files_under(entries, move |found| state.scanning.set(Some(found))).await;
        state.scanning.set(None);
        load(state, files);
    });
}

fn on_paste(state: AppState, event: ClipboardEvent) {
    let typing = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA")
                || element.is_content_editable()
        });
    let Some(data) = event.clipboard_data().filter(|_| !typing) else {
        return;
    };
    let files = files_of(data.files());
    if !files.is_empty() {
        event.prevent_default();
        load(state, files);
        return;
    }
    let text = data.get_data("text/plain").unwrap_or_default();
    if text.trim().is_empty() {
        return;
    }
    event.prevent_default();
    let number = state.pastes.get_untracked() + 1;
    state.pastes.set(number);
    load(
        state,
        vec![PendingFile::pasted(format!("pasted text {number}"), text)],
    );
}

/// What the page's buttons ask for: loading files (and the file choosers that give them), the
/// demo reports, and emptying the page (Clear, or Start again after the worker died). The components that offer them take these,
/// not the whole state.
#[derive(Clone, Copy)]
struct Actions {
    load: Callback<Vec<PendingFile>>,
    choosers: Choosers,
    demo: Callback<()>,
    clear: Callback<()>,
}

impl Actions {
    fn new(state: AppState) -> Self {
        Actions {
            load: Callback::new(move |files| load(state, files)),
            choosers: Choosers::new(),
            demo: Callback::new(move |()| load_demo(state)),
            clear: Callback::new(move |()| clear(state)),
        }
    }
}

/// The page's two file inputs (files, and a whole folder), drawn once for the page's life and
/// opened by every "Choose files" and "Choose folder" button. They are never unmounted: a
/// chooser left open while the page turns between the welcome and the figures (Clear, a
/// restore, a preload) still hands its files over when the user picks them. An input drawn
/// with its button would be gone with it, and the files chosen with it.
#[derive(Clone, Copy)]
struct Choosers {
    files: NodeRef<leptos::html::Input>,
    folder: NodeRef<leptos::html::Input>,
}

impl Choosers {
    fn new() -> Self {
        Choosers {
            files: NodeRef::new(),
            folder: NodeRef::new(),
        }
    }

    fn open(self, folder: bool) {
        let input = if folder { self.folder } else { self.files };
        if let Some(input) = input.get_untracked() {
            input.click();
        }
    }
}

/// The hidden inputs behind [`Choosers`].
#[component]
fn ChooserInputs(choosers: Choosers, load: Callback<Vec<PendingFile>>) -> impl IntoView {
    let on_change = move |event: Event| {
        let input: web_sys::HtmlInputElement = event_target(&event);
        load.run(files_of(input.files()));
        // Clear it, so that choosing the same file again is seen (as a duplicate).
        input.set_value("");
    };
    Effect::new(move |_| {
        if let Some(input) = choosers.folder.get() {
            input.set_webkitdirectory(true);
        }
    });
    view! {
        {hidden_input("file-input", choosers.files, on_change)}
        {hidden_input("folder-input", choosers.folder, on_change)}
    }
}

/// A file input the page opens from its buttons (hidden, out of the tab order).
fn hidden_input(
    testid: &'static str,
    node_ref: NodeRef<leptos::html::Input>,
    on_change: impl Fn(Event) + 'static,
) -> impl IntoView {
    view! {
        <input
            type="file"
            multiple
            class="visually-hidden"
            tabindex="-1"
            aria-hidden="true"
            data-testid=testid
            node_ref=node_ref
            on:change=on_change
        />
    }
}

/// A button that opens the page's file input: for files, or for a whole folder.
#[component]
fn ChooseFiles(
    choosers: Choosers,
    #[prop(optional)] primary: bool,
    #[prop(optional)] folder: bool,
) -> impl IntoView {
    let (label, button_id) = if folder {
        ("Choose folder", "choose-folder")
    } else {
        ("Choose files", "choose-files")
    };
    view! {
        <button
            class="button"
            class:primary=primary
            data-testid=button_id
            on:click=move |_| choosers.open(folder)
        >
            {label}
        </button>
    }
}

#[component]
fn Header(has_inputs: Memo<bool>, keep: keep::Keep, actions: Actions) -> impl IntoView {
    view! {
        <header class="topbar">
            <div class="brand">
                <img class="logo" src="favicon.svg" alt="" width="24" height="24" />
                <span>"TLS-RPT Viewer"</span>
            </div>
            <div class="actions">
                <theme::ThemeToggle />
            <Show when=move || has_inputs.get()>
                <div class="actions">
                    <ChooseFiles choosers=actions.choosers />
                    <ChooseFiles choosers=actions.choosers folder=true />
                    <button class="button" on:click=move |_| actions.demo.run(())>
                        "Load demo reports"
                    </button>
                    <keep::KeepToggle keep=keep />
                    <button
                        class="button subtle"
                        data-testid="clear"
                        on:click=move |_| actions.clear.run(())
                    >
                        "Clear"
                    </button>
                </div>
            </Show>
            </div>
        </header>
    }
}

#[component]
fn Welcome(
    filter: Field<crate::engine::model::Filter>,
    tab: Field<Tab>,
    actions: Actions,
) -> impl IntoView {
    view! {
        <section class="welcome" data-testid="welcome">
            <h1>"See which senders reach your domain over TLS, and which fail."</h1>
            <p class="lead">
                "Drop SMTP TLS reports (RFC 8460) anywhere on this page, as they arrive: the "
                "report emails from Google, Microsoft, Mail.ru and others, a whole mailbox "
                "export, a folder or a zip archive of them, or the "
                <span class="mono">".json"</span>
                " and "
                <span class="mono">".json.gz"</span>
                " reports themselves. You can also paste a report's JSON with "
                <kbd>"Ctrl"</kbd>
                "+"
                <kbd>"V"</kbd>
                "."
            </p>
            // A shared link (or a reload) brought a filter: it waits for the reports.
            {move || waiting_line(&filter.get(), tab.get()).map(|line| view! {
                <p class="notice" role="status" data-testid="filter-waiting">{line}</p>
            })}
            <div class="drop-hint">
                <p>"Drop files or folders here"</p>
                <div class="welcome-actions">
                    <ChooseFiles choosers=actions.choosers primary=true />
                    <ChooseFiles choosers=actions.choosers folder=true />
                    <button class="button" data-testid="load-demo" on:click=move |_| actions.demo.run(())>
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

/// What a link's filter and tab will show once reports are loaded, if it names either.
fn waiting_line(filter: &crate::engine::model::Filter, tab: Tab) -> Option<String> {
    let tab_named = tab != Tab::default();
    match (filter.is_empty(), tab_named) {
        (true, false) => None,
        (false, false) => Some(format!(
            "This link sets a filter ({}): it applies to the reports you load.",
            filters::describe(filter)
        )),
        (false, true) => Some(format!(
            "This link sets a filter ({}) and opens the {} tab: both apply to the reports you \
             load.",
            filters::describe(filter),
            tab.title()
        )),
        (true, true) => Some(format!(
            "This link opens the {} tab of the reports you load.",
            tab.title()
        )),
    }
}

/// How long the last load took, in whole milliseconds, for the benchmarks (scripts/bench.sh
/// compares the worker's own work with the native engine's on the same bytes).
fn load_timing(
    state: AppState,
    pick: fn(&LoadProgress) -> f64,
) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    move || {
        state.last_load.with(|load| {
            load.as_ref()
                .map(|load| (pick(load).round() as u64).to_string())
        })
    }
}

/// Stops any load and empties the page, the filters in the address included. After the
/// worker died, it starts a new one (with an empty session) instead.
fn clear(state: AppState) {
    loader::stop_all();
    if state.worker_lost.get_untracked().is_some() {
        bridge::restart(state);
    } else {
        bridge::send(&ToWorker::Clear);
    }
    state.reset_view();
    // Asked under a new id right behind the Clear, so that no answer the old session had on
    // its way is drawn; the page is empty at once, not when the worker's answer comes.
    bridge::send_view(untrack(|| state.request()));
    state.model.set(crate::engine::model::PageModel::default());
    state.progress.set(None);
    state.stopped.set(None);
    state.last_load.set(None);
    state.drill.shown.set(None);
    state.own_files.set(false);
    keep::clear(state.keep);
}

/// What the page says when the code that draws the figures (the page's second module) could
/// not be fetched, and the way to try again.
#[component]
fn LaterCodeMissing() -> impl IntoView {
    move || {
        (split::load_state() == split::LoadState::Failed).then(|| {
            view! {
                <div class="worker-lost" role="alert" data-testid="code-missing">
                    <p>
                        <strong>"Part of this page's code could not be fetched,"</strong>
                        " so it cannot show the figures of the reports you load. Whatever you \
                         have loaded is kept in this tab, and nothing was uploaded. Check the \
                         connection, then try again. If the site has been updated since this \
                         page opened, reload it instead."
                    </p>
                    <button class="button" data-testid="code-retry" on:click=move |_| split::load()>
                        "Try again"
                    </button>
                </div>
            }
        })
    }
}

/// What the page says when its worker died, and the way to start again without a reload.
#[component]
fn WorkerLost(worker_lost: RwSignal<Option<String>>, restart: Callback<()>) -> impl IntoView {
    move || {
        worker_lost.get().map(|details| {
            view! {
                <div class="worker-lost" role="alert" data-testid="worker-lost">
                    <p>
                        <strong>"The engine that reads your reports stopped."</strong>
                        " It ran out of memory or met an error it could not handle, so the \
                         reports loaded in this tab are gone from it and the figures below are \
                         no longer kept up to date. Your files are untouched, and nothing was \
                         uploaded. Start again, then load your files again (fewer at a time if \
                         this happened while loading many)."
                    </p>
                    <p class="worker-lost-details">{format!("Details: {details}")}</p>
                    <button
                        class="button"
                        data-testid="worker-restart"
                        on:click=move |_| restart.run(())
                    >
                        "Start again"
                    </button>
                </div>
            }
        })
    }
}

#[component]
fn ProgressBar(
    progress: RwSignal<Option<LoadProgress>>,
    scanning: RwSignal<Option<usize>>,
    stopped: RwSignal<Option<String>>,
) -> impl IntoView {
    let scanning = move || {
        scanning.get().map(|found| {
            view! {
                <div class="progress" data-testid="scanning" role="status">
                    <progress></progress>
                    <span>{format!("Looking for files in the folder… {} found", thousands(found as u64))}</span>
                </div>
            }
        })
    };
    // Made once per load and updated in place: the Cancel button stays the same element.
    let running = Memo::new(move |_| progress.with(Option::is_some));
    let figure = move |pick: fn(&LoadProgress) -> usize| {
        progress.with(|p| p.as_ref().map_or(0, |p| pick(p) as u64))
    };
    let reading = move || {
        running.get().then(|| {
            view! {
                <div class="progress" data-testid="progress" role="status">
                    <button
                        class="button subtle"
                        data-testid="cancel"
                        on:click=move |_| {
                            loader::stop_all();
                            bridge::send(&ToWorker::Cancel);
                        }
                    >
                        "Cancel"
                    </button>
                    <progress
                        max=move || figure(|p| p.files_total)
                        value=move || figure(|p| p.files_done)
                    ></progress>
                    <span data-testid="progress-text">
                        {move || progress.with(|p| p.as_ref().map(progress_line))}
                    </span>
                </div>
            }
        })
    };
    let stopped = move || {
        stopped.get().map(|text| {
            view! {
                <div class="progress stopped" data-testid="stopped" role="status">
                    <span>{text}</span>
                    <button class="button subtle" on:click=move |_| stopped.set(None)>"Dismiss"</button>
                </div>
            }
        })
    };
    view! { {scanning} {reading} {stopped} }
}

/// "Reading 1,234 of 10,000 files (512 KiB read)… 1,230 reports so far; about 8 s left".
fn progress_line(progress: &LoadProgress) -> String {
    let mut line = format!(
        "Reading {} of {} files",
        thousands(progress.files_done as u64),
        thousands(progress.files_total as u64)
    );
    if progress.bytes_total >= progress.bytes_done && progress.bytes_total > 0 {
        line.push_str(&format!(
            " ({} of {})",
            crate::engine::present::human_size(progress.bytes_done),
            crate::engine::present::human_size(progress.bytes_total)
        ));
    } else {
        line.push_str(&format!(
            " ({} read)",
            crate::engine::present::human_size(progress.bytes_done)
        ));
    }
    line.push_str(&format!(
        "… {} so far",
        plural(progress.reports, "report", "reports")
    ));
    if let Some(seconds) = progress.seconds_left() {
        line.push_str(&format!("; about {} left", time_left(seconds)));
    }
    if let Some(inside) = &progress.inside {
        line.push_str(&format!(" ({inside})"));
    }
    line
}

/// "12 s", "3 min".
fn time_left(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("{} s", seconds.ceil().max(1.0) as u64)
    } else {
        format!("{} min", (seconds / 60.0).round() as u64)
    }
}

/// After a load: the focus to the load notice, or to the open view's heading, once the load
/// has ended (the notice may come with its last file) and the page is drawn (tried every
/// 50 ms, `tries` times from then), unless the focus has left the document meanwhile.
fn focus_after_load(progress: RwSignal<Option<LoadProgress>>, tries: u32) {
    let on_document = document()
        .active_element()
        .is_none_or(|element| element.tag_name().eq_ignore_ascii_case("body"));
    let Some(loading) = progress.try_with_untracked(Option::is_some) else {
        return;
    };
    if !on_document || tries == 0 {
        return;
    }
    // Drawn, and answering the page's latest request (the model that ends a load comes a
    // task after the load's end): what tests wait for as `data-synced`.
    let synced = || {
        document()
            .query_selector(".app[data-synced=true]")
            .ok()
            .flatten()
            .is_some()
    };
    let ready = !loading && later::all_drawn_untracked() && synced();
    let target = ["[data-testid=load-alert]", "#tab-panel h2"]
        .iter()
        .filter(|_| ready)
        .find_map(|selector| document().query_selector(selector).ok().flatten())
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    match target {
        Some(target) => {
            if !target.has_attribute("tabindex") {
                let _ = target.set_attribute("tabindex", "-1");
            }
            let _ = target.focus();
        }
        None => {
            // While a load runs, the tries are not counted down.
            let left = if loading { tries } else { tries - 1 };
            set_timeout(
                move || focus_after_load(progress, left),
                std::time::Duration::from_millis(50),
            );
        }
    }
}

/// Moves the keyboard focus to the element with this id, if there is one.
fn focus_by_id(id: &str) {
    if let Some(element) = document().get_element_by_id(id) {
        if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
            let _ = element.focus();
        }
    }
}
