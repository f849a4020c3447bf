//! The page's side of the engine's Web Worker: it starts the worker, posts typed
//! [`ToWorker`] messages (files travel beside them), and turns each [`FromWorker`] answer into
//! the page's signals. Messages wait until the worker says it is ready. Should the worker die
//! (a panic, running out of memory), the page says so and [`restart`] starts a new one, with
//! a clean session, without a reload.

use super::state::AppState;
use crate::engine::model::{FromWorker, ToWorker, ViewRequest};
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The worker's script, beside the page (Trunk names it after the binary).
const WORKER_SCRIPT: &str = "tlsrpt-worker_loader.js";

type OnMessage = Closure<dyn FnMut(web_sys::MessageEvent)>;
type OnError = Closure<dyn FnMut(web_sys::ErrorEvent)>;

struct Connection {
    worker: Option<web_sys::Worker>,
    ready: bool,
    waiting: Vec<js_sys::Array>,
    /// The worker's handlers, kept while it lives (dropped with it on a restart).
    handlers: Option<(OnMessage, OnError)>,
}

thread_local! {
    static CONNECTION: RefCell<Connection> = const { RefCell::new(Connection {
        worker: None,
        ready: false,
        waiting: Vec::new(),
        handlers: None,
    }) };
}

thread_local! {
    /// Which worker runs: the first is 1, and each restart takes the next number.
    static WORKER_NUMBER: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
    /// Bytes of files sent to this worker, and bytes it says it has taken (read, or dropped
    /// by Cancel and Clear).
    static SENT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    static CONSUMED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Which worker runs (see `WORKER_NUMBER`): a load sent to an earlier one has ended.
pub fn worker_number() -> u64 {
    WORKER_NUMBER.with(std::cell::Cell::get)
}

/// Bytes of files sent to the worker and not yet taken by it.
pub fn bytes_in_flight() -> u64 {
    SENT.with(std::cell::Cell::get)
        .saturating_sub(CONSUMED.with(std::cell::Cell::get))
}

/// Ends the worker if one runs, and forgets everything sent to it or waiting for it.
fn end_worker() {
    CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        if let Some(worker) = c.worker.take() {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
        }
        c.ready = false;
        c.waiting.clear();
        c.handlers = None;
    });
    WORKER_NUMBER.with(|number| number.set(number.get() + 1));
    SENT.with(|sent| sent.set(0));
    CONSUMED.with(|consumed| consumed.set(0));
}

/// The worker died: it is ended for good, and the page says so (`state.worker_lost`) and
/// offers to start again.
fn lost(state: AppState, details: String) {
    end_worker();
    state.progress.set(None);
    let details = crate::text::cut(&details, 300).unwrap_or(details);
    state.worker_lost.set(Some(details));
}

/// Starts a new worker with an empty session, after the last one died (or to start afresh).
pub fn restart(state: AppState) {
    end_worker();
    state.worker_lost.set(None);
    start(state);
}

/// Starts the worker; its answers update `state`.
pub fn start(state: AppState) {
    let url = web_sys::Url::new_with_base(
        WORKER_SCRIPT,
        &document().base_uri().ok().flatten().unwrap_or_default(),
    )
    .map(|url| url.href())
    .unwrap_or_else(|_| WORKER_SCRIPT.to_string());
    let worker = match web_sys::Worker::new(&url) {
        Ok(worker) => worker,
        Err(error) => {
            lost(state, format!("it could not start ({error:?})"));
            return;
        }
    };
    let on_message =
        OnMessage::new(move |event: web_sys::MessageEvent| receive(state, event.data()));
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // An error that reaches the page is one the worker did not handle: a panic (a wasm trap)
    // or memory running out. Its state cannot be trusted after that.
    let on_error = OnError::new(move |event: web_sys::ErrorEvent| {
        event.prevent_default();
        // Ended from a task of its own: this handler belongs to the worker being ended.
        let details = event.message();
        set_timeout(move || lost(state, details), std::time::Duration::ZERO);
    });
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        c.worker = Some(worker);
        c.handlers = Some((on_message, on_error));
    });
}

/// What reads a message that carries a model or a drill-down (see [`read_models_with`]).
pub type ModelReader = fn(AppState, String);

thread_local! {
    static MODEL_READER: std::cell::Cell<Option<ModelReader>> = const { std::cell::Cell::new(None) };
}

/// Sets what reads the messages that carry a model or a drill-down: the page's second module
/// has their readers ([`take_model_or_drill`]), and the page hands them to it.
pub fn read_models_with(reader: ModelReader) {
    MODEL_READER.with(|cell| cell.set(Some(reader)));
}

thread_local! {
    /// The id of the latest view request sent: answers to earlier ones are not drawn.
    static LATEST_VIEW: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Asks the worker for the model of what the page shows now, under a new id.
pub fn send_view(request: ViewRequest) {
    let id = LATEST_VIEW.with(|latest| {
        latest.set(latest.get() + 1);
        latest.get()
    });
    send(&ToWorker::View {
        id,
        request: Box::new(request),
    });
}

/// Posts a message.
pub fn send(message: &ToWorker) {
    send_with(message, None);
}

/// Posts a message with file contents beside it: their buffers are moved to the worker.
pub fn send_with(message: &ToWorker, files: Option<js_sys::Array>) {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    let Ok(value) = serde::Serialize::serialize(message, &serializer) else {
        return;
    };
    let envelope = js_sys::Array::of2(
        &value,
        &files.map(JsValue::from).unwrap_or(JsValue::UNDEFINED),
    );
    // Counted before they move: a buffer moved to the worker has no bytes left here.
    let bytes: u64 = transferable(&envelope)
        .iter()
        .filter_map(|buffer| buffer.dyn_into::<js_sys::ArrayBuffer>().ok())
        .map(|buffer| u64::from(buffer.byte_length()))
        .sum();
    SENT.with(|sent| sent.set(sent.get() + bytes));
    CONNECTION.with(|c| {
        let mut c = c.borrow_mut();
        match (&c.worker, c.ready) {
            (Some(worker), true) => {
                let _ = worker.post_message_with_transfer(&envelope, &transferable(&envelope));
            }
            _ => c.waiting.push(envelope),
        }
    });
}

fn receive(state: AppState, data: JsValue) {
    // A file to download: its name and a Blob the worker made, handed to the browser as is.
    if let Some(message) = data.dyn_ref::<js_sys::Array>() {
        if message.get(0).as_string().as_deref() == Some(crate::engine::model::DOWNLOAD_MESSAGE) {
            let name = message.get(1).as_string().unwrap_or_default();
            match message.get(2).dyn_into::<web_sys::Blob>() {
                Ok(blob) => super::download::offer(&name, &blob),
                Err(_) => gloo::console::error!("unreadable download from the worker"),
            }
            return;
        }
    }
    let Some(text) = data.as_string() else {
        gloo::console::error!("unreadable message from the worker: not text");
        return;
    };
    // A model or a drill-down is read by the page's second module (see `split`), when it is in.
    let Some(message) = FromWorker::brief_from_text(&text) else {
        if let Some(read) = MODEL_READER.with(std::cell::Cell::get) {
            read(state, text);
        }
        return;
    };
    let message = match message {
        Ok(message) => message,
        Err(error) => {
            gloo::console::error!(format!("unreadable message from the worker: {error}"));
            return;
        }
    };
    match message {
        FromWorker::Ready => {
            CONNECTION.with(|c| {
                let mut c = c.borrow_mut();
                c.ready = true;
                let waiting = std::mem::take(&mut c.waiting);
                if let Some(worker) = &c.worker {
                    for envelope in waiting {
                        let _ =
                            worker.post_message_with_transfer(&envelope, &transferable(&envelope));
                    }
                }
            });
        }
        FromWorker::Progress { progress, consumed } => {
            CONSUMED.with(|taken| taken.set(consumed));
            state.progress.set(progress);
        }
        // Never brief: read by `take_model_or_drill`, above.
        FromWorker::Model { .. } | FromWorker::Drill { .. } => {}
        FromWorker::Stopped { text } => state.stopped.set(Some(text)),
        FromWorker::Finished { load } => state.last_load.set(Some(load)),
    }
}

/// Reads a message that carries a model or a drill-down, and shows it. In the page's second
/// module: the first paint needs none of the model's readers.
pub fn take_model_or_drill(state: AppState, text: &str) {
    match FromWorker::from_text(text) {
        Ok(FromWorker::Model { model }) => {
            // Drawn in a task of its own: reading a large model and drawing it are then two
            // short tasks rather than one long one. Timers keep their order, so models do.
            set_timeout(
                move || {
                    // An answer to a request since replaced (Clear included, which empties the
                    // page at once) is not drawn: the answer to the latest is on its way.
                    let latest = model.answers >= LATEST_VIEW.with(std::cell::Cell::get);
                    if latest && model.generation >= state.model.with_untracked(|m| m.generation) {
                        state.model.set(*model);
                    }
                },
                std::time::Duration::ZERO,
            );
        }
        Ok(FromWorker::Drill { answer }) => state.drill.answer.set(Some(answer)),
        // The others are brief: read by `receive`.
        Ok(_) => {}
        Err(error) => {
            gloo::console::error!(format!("unreadable message from the worker: {error}"))
        }
    }
}

/// The buffers beside a message, to move rather than copy.
fn transferable(envelope: &js_sys::Array) -> js_sys::Array {
    let moved = js_sys::Array::new();
    if let Ok(items) = envelope.get(1).dyn_into::<js_sys::Array>() {
        for item in items.iter() {
            if item.is_instance_of::<js_sys::ArrayBuffer>() {
                moved.push(&item);
            }
        }
    }
    moved
}
