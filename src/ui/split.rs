//! The page's code in two parts. The first paint needs only the welcome, the header, the file
//! choosers and the bridge to the worker; what draws and reads the figures (the dashboard, the
//! drill-down and the readers of the worker's models) is [`Later`], which the release build
//! (`scripts/build_page.sh`) puts in a second wasm module, loaded as soon as the page has
//! started, and again, on demand, should that first try have failed.
//!
//! The split is made by `wasm-split-cli` at [`later_code`], a split point of
//! `wasm_split_helpers` (through Leptos). It is only made under `--cfg tlsrpt_split`: without
//! it (the tests, `cargo clippy`) [`later_code`] is a plain function, and everything else is
//! the same code.

use super::state::{AppState, DrillState};
use leptos::prelude::*;
use std::cell::RefCell;

/// The entry points of the second module. Function pointers: once the module is in, the page
/// calls them as any other function.
#[derive(Clone, Copy)]
pub struct Later {
    /// Draws the figures, the filters, the tabs and the open view.
    pub dashboard: fn(AppState) -> AnyView,
    /// Draws the drill-down panel.
    pub drill: fn(DrillState) -> AnyView,
    /// Reads a message of the worker's that carries a model or a drill-down, and shows it.
    pub take: fn(AppState, &str),
}

/// Something to run once the module is in.
type Waiting = Box<dyn FnOnce(Later)>;

thread_local! {
    static LOADED: RefCell<Option<Later>> = const { RefCell::new(None) };
    /// What waits for the module: messages of the worker's, in the order they came.
    static WAITING: RefCell<Vec<Waiting>> = const { RefCell::new(Vec::new()) };
    static LOADING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static STATE: std::cell::OnceCell<(RwSignal<LoadState>, RwSignal<usize>)> =
        const { std::cell::OnceCell::new() };
}

/// Where the second module stands, for the page to draw.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LoadState {
    #[default]
    Loading,
    Loaded,
    /// It could not be fetched (offline before the app was ever cached, or the site changed
    /// under an open page): the page says so, and tries again when asked.
    Failed,
}

/// Where the module stands, and how many messages wait for it. Made under the app's own
/// owner (see `later::init`).
fn signals() -> (RwSignal<LoadState>, RwSignal<usize>) {
    STATE.with(|cell| *cell.get_or_init(|| (RwSignal::new(LoadState::Loading), RwSignal::new(0))))
}

fn state() -> RwSignal<LoadState> {
    signals().0
}

/// Whether messages of the worker's wait for the module (tracked): the page does not yet show
/// what they carry.
pub fn anything_waiting() -> bool {
    signals().1.get() > 0
}

/// Where the second module stands (tracked).
pub fn load_state() -> LoadState {
    state().get()
}

/// The module's entry points, once it is loaded (tracked: a view that asks is drawn again
/// when it comes).
pub fn loaded() -> Option<Later> {
    state().track();
    later()
}

fn later() -> Option<Later> {
    LOADED.with(|loaded| *loaded.borrow())
}

/// Starts loading the second module (unless it is in or on its way), then runs what waited
/// for it.
pub fn load() {
    let state = state();
    if later().is_some() || LOADING.with(|loading| loading.replace(true)) {
        return;
    }
    state.set(LoadState::Loading);
    leptos::task::spawn_local(async move {
        let code = fetch_later_code().await;
        LOADING.with(|loading| loading.set(false));
        match code {
            Ok(code) => {
                LOADED.with(|loaded| *loaded.borrow_mut() = Some(code));
                let waiting = WAITING.with(|waiting| std::mem::take(&mut *waiting.borrow_mut()));
                for run in waiting {
                    run(code);
                }
                let _ = signals().1.try_set(0);
                let _ = state.try_set(LoadState::Loaded);
            }
            Err(error) => {
                gloo::console::error!(format!("the page's second module: {error}"));
                let _ = state.try_set(LoadState::Failed);
            }
        }
    });
}

/// Runs `then` with the second module: now if it is in, else once it is.
pub fn with_later(then: impl FnOnce(Later) + 'static) {
    match later() {
        Some(code) => then(code),
        None => {
            WAITING.with(|waiting| waiting.borrow_mut().push(Box::new(then)));
            let _ = signals().1.try_update(|count| *count += 1);
        }
    }
}

#[cfg(tlsrpt_split)]
async fn fetch_later_code() -> Result<Later, leptos::wasm_split::SplitLoaderError> {
    later_code().await
}

#[cfg(not(tlsrpt_split))]
async fn fetch_later_code() -> Result<Later, std::convert::Infallible> {
    Ok(later_code())
}

/// The split point: everything only this function reaches is in the second module.
#[cfg(tlsrpt_split)]
#[leptos::wasm_split::wasm_split(later, wasm_split_path = ::leptos::wasm_split, fallible)]
fn later_code() -> Result<Later, leptos::wasm_split::SplitLoaderError> {
    Ok(entry_points())
}

#[cfg(not(tlsrpt_split))]
fn later_code() -> Later {
    entry_points()
}

fn entry_points() -> Later {
    Later {
        dashboard: super::dashboard::draw,
        drill: |state| view! { <super::views::drill::DrillPanel state=state /> }.into_any(),
        take: super::bridge::take_model_or_drill,
    }
}
