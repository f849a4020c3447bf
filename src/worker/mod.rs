//! The Web Worker that runs the engine: it takes the bytes of the files the page has read
//! (moved to it, not copied), ingests them, adds them to the [`Session`], and posts back
//! progress and view models. The page's main thread only reads files (the browser does that
//! asynchronously) and renders. Messages are the typed [`ToWorker`] (through
//! serde-wasm-bindgen; file contents travel beside it) and [`FromWorker`] (as JSON text).

mod demo;
mod reading;

use crate::engine::model::{FromWorker, LoadProgress, PageModel, ToWorker, ViewRequest};
use crate::engine::Session;
use crate::text::{plural, thousands};
use std::cell::RefCell;
use std::collections::VecDeque;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// What is waiting to be read.
pub(crate) enum Job {
    /// Files the page read: each one's name, and its bytes or why the browser could not read it.
    Files(Vec<(String, Result<js_sys::ArrayBuffer, String>)>),
    Bundled(Vec<(String, &'static [u8])>),
    /// Nothing queued yet, but the page announced more files.
    Waiting,
}

pub(crate) struct Worker {
    session: Session,
    request: ViewRequest,
    /// The id of that request, and whether its answer is still to be posted.
    request_id: u64,
    answer_due: bool,
    /// Raised by Clear: a load of an older epoch stops at its next step and touches nothing.
    epoch: u64,
    /// The epoch of the running load, if one runs.
    running: Option<u64>,
    /// Loads started so far: a load's last diagnosis stops if another one started since, even
    /// one that has ended meanwhile (it posted its own `Finished`).
    loads: u64,
    /// Cancel asked: the running load stops at its next step and keeps what it read.
    cancel: bool,
    queue: VecDeque<Job>,
    /// Per load the page announced: the files still to come.
    expected: std::collections::HashMap<u64, usize>,
    /// Bytes taken from the page since the worker started (read, or dropped by Cancel/Clear).
    consumed: u64,
    /// Files and bytes of loads announced while a cancelled load was stopping.
    after_cancel: (usize, u64),
    progress: LoadProgress,
    started_at: f64,
}

thread_local! {
    static WORKER: RefCell<Worker> = RefCell::new(Worker {
        session: Session::new(),
        request: ViewRequest::default(),
        request_id: 0,
        answer_due: false,
        epoch: 0,
        running: None,
        loads: 0,
        cancel: false,
        queue: VecDeque::new(),
        expected: std::collections::HashMap::new(),
        consumed: 0,
        after_cancel: (0, 0),
        progress: LoadProgress::default(),
        started_at: 0.0,
    });
}

fn with<R>(work: impl FnOnce(&mut Worker) -> R) -> R {
    WORKER.with(|worker| work(&mut worker.borrow_mut()))
}

/// Starts listening to the page.
pub fn run() {
    console_error_panic_hook::set_once();
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let on_message = Closure::<dyn FnMut(web_sys::MessageEvent)>::new(on_message);
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages posted before this point would be lost: the page waits for this one.
    post(&FromWorker::Ready);
}

/// Sends a message to the page.
pub(crate) fn post(message: &FromWorker) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    match message.to_text() {
        Ok(text) => {
            let _ = scope.post_message(&JsValue::from_str(&text));
        }
        Err(error) => web_sys::console::error_1(&format!("worker: {error}").into()),
    }
}

/// Sends a file to download: the bytes become a Blob here, in the worker, and the page only
/// hands the Blob to the browser's download, never reading it (a JSON export of 100,000
/// domains is 142 MB, which took the page's thread 2 s to read as a message).
fn post_download(file_name: &str, media_type: &str, text: String) {
    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let bytes = js_sys::Uint8Array::from(text.as_bytes());
    drop(text);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(
        &js_sys::Array::of1(&bytes),
        &options,
    );
    match blob {
        Ok(blob) => {
            let message = js_sys::Array::of3(
                &JsValue::from_str(crate::engine::model::DOWNLOAD_MESSAGE),
                &JsValue::from_str(file_name),
                &blob,
            );
            let _ = scope.post_message(&message);
        }
        Err(error) => web_sys::console::error_2(&"worker: no download".into(), &error),
    }
}

fn on_message(event: web_sys::MessageEvent) {
    let data: js_sys::Array = event.data().unchecked_into();
    let message: ToWorker = match serde_wasm_bindgen::from_value(data.get(0)) {
        Ok(message) => message,
        Err(error) => {
            web_sys::console::error_1(&format!("worker: unreadable message: {error}").into());
            return;
        }
    };
    match message {
        ToWorker::Expect { load, files } => {
            with(|w| {
                *w.expected.entry(load).or_default() += files;
            });
            start(files, 0, None);
        }
        ToWorker::Bytes {
            load,
            names,
            errors,
        } => {
            let buffers: js_sys::Array = data.get(1).unchecked_into();
            let wanted = with(|w| match w.expected.get_mut(&load) {
                Some(left) => {
                    *left = left.saturating_sub(names.len());
                    if *left == 0 {
                        w.expected.remove(&load);
                    }
                    true
                }
                // A load cancelled or cleared: what was still on its way is dropped.
                None => false,
            });
            if !wanted {
                // Counted as taken, so that the page's budget of bytes in flight stays true.
                with(|w| w.consumed += buffers_len(&buffers));
            }
            if wanted {
                let files = names
                    .into_iter()
                    .zip(errors)
                    .enumerate()
                    .map(|(index, (name, error))| {
                        let bytes = match error {
                            Some(reason) => Err(reason),
                            None => buffers
                                .get(index as u32)
                                .dyn_into::<js_sys::ArrayBuffer>()
                                .map_err(|_| "the browser handed over no content".to_string()),
                        };
                        (name, bytes)
                    })
                    .collect();
                with(|w| w.queue.push_back(Job::Files(files)));
            }
        }
        ToWorker::LoadDemo => {
            let files = demo::demo_files();
            let bytes = files.iter().map(|(_, b)| b.len() as u64).sum();
            start(files.len(), bytes, Some(Job::Bundled(files)));
        }
        ToWorker::Cancel => with(|w| {
            // What was sent for the loads started so far is dropped now; a load started after
            // this Cancel queues behind it and starts once the running one has stopped.
            w.expected.clear();
            drop_queue(w);
            if w.running.is_some() {
                w.cancel = true;
            }
        }),
        ToWorker::Clear => {
            with(|w| {
                w.epoch += 1;
                w.running = None;
                w.cancel = false;
                drop_queue(w);
                w.expected.clear();
                w.after_cancel = (0, 0);
                w.session = Session::after(&w.session);
                w.progress = LoadProgress::default();
            });
            post_model();
            post_progress(None);
        }
        ToWorker::View { id, request } => {
            let first = with(|w| {
                w.request = *request;
                w.request_id = id;
                !std::mem::replace(&mut w.answer_due, true)
            });
            if first {
                // Answered in a task of its own: the requests already queued behind this one
                // (a key each, while the last answer was being worked out) replace it first.
                wasm_bindgen_futures::spawn_local(answer_view());
            }
        }
        ToWorker::DrillReports { trace, limit } => {
            let answer = with(|w| {
                w.session.set_filter(&w.request.filter);
                w.session.drill_reports(&trace, limit)
            });
            post(&FromWorker::Drill { answer });
        }
        ToWorker::DrillReport { index, part } => {
            let answer = with(|w| w.session.drill_report_part(index, part));
            post(&FromWorker::Drill { answer });
        }
        ToWorker::Export { what } => {
            let file = with(|w| {
                let request = w.request.clone();
                w.session.export(&request, what)
            });
            post_download(&file.name, file.media_type, file.text);
        }
        ToWorker::ExportRows => {
            let files = with(|w| {
                let request = w.request.clone();
                w.session.export_rows(&request)
            });
            for file in files {
                post_download(&file.name, file.media_type, file.text);
            }
        }
    }
}

/// Answers the latest view request, once the messages queued before this task are read.
async fn answer_view() {
    gloo::timers::future::TimeoutFuture::new(0).await;
    // Posted already if a load's step or a diagnosis posted the model since.
    if with(|w| w.answer_due) {
        post_model();
    }
    if with(|w| w.running.is_none()) {
        // Figures first, at once; the findings follow when the diagnosis has run.
        diagnose_when_idle().await;
    }
}

/// The model for the page's current request, posted.
fn post_model() {
    let model: PageModel = with(|w| {
        w.answer_due = false;
        let request = w.request.clone();
        let mut model = w.session.page(&request);
        model.answers = w.request_id;
        model
    });
    post(&FromWorker::Model {
        model: Box::new(model),
    });
}

/// Runs the diagnosis once the worker has nothing else to do, then posts the model again.
async fn diagnose_when_idle() {
    loop {
        gloo::timers::future::TimeoutFuture::new(0).await;
        let pending = with(|w| {
            if w.running.is_some() || !w.session.diagnosis_pending() {
                return None;
            }
            Some(w.session.diagnose_some(reading::DIAGNOSIS_BATCH))
        });
        match pending {
            // Some domains remain: the next batch after the page's messages.
            Some(true) => continue,
            Some(false) => return post_model(),
            None => return,
        }
    }
}

/// Counts a load's files and bytes in the progress, queues its job if it comes with one,
/// and starts the load loop unless it runs.
fn start(files: usize, bytes: u64, job: Option<Job>) {
    let epoch = with(|w| {
        if w.running.is_some() && w.cancel {
            // The running load is stopping: this one starts after it, with its own progress.
            w.after_cancel.0 += files;
            w.after_cancel.1 += bytes;
            w.queue.extend(job);
            return None;
        }
        if w.running.is_none() {
            w.progress = LoadProgress::default();
            w.started_at = js_sys::Date::now();
        }
        w.progress.files_total += files;
        w.progress.bytes_total += bytes;
        w.queue.extend(job);
        if w.running.is_none() {
            w.running = Some(w.epoch);
            w.loads += 1;
            w.cancel = false;
            Some(w.epoch)
        } else {
            None
        }
    });
    if let Some(epoch) = epoch {
        wasm_bindgen_futures::spawn_local(reading::load(epoch));
    }
}

/// Empties the queue, counting its bytes as taken.
pub(crate) fn drop_queue(w: &mut Worker) {
    for job in w.queue.drain(..) {
        if let Job::Files(files) = job {
            for (_, content) in files {
                if let Ok(buffer) = content {
                    w.consumed += u64::from(buffer.byte_length());
                }
            }
        }
    }
}

/// The bytes of the buffers beside a message.
fn buffers_len(buffers: &js_sys::Array) -> u64 {
    buffers
        .iter()
        .filter_map(|item| item.dyn_into::<js_sys::ArrayBuffer>().ok())
        .map(|buffer| u64::from(buffer.byte_length()))
        .sum()
}

/// Posts where the load stands (or that none runs).
pub(crate) fn post_progress(progress: Option<LoadProgress>) {
    let consumed = with(|w| w.consumed);
    post(&FromWorker::Progress { progress, consumed });
}

/// "Stopped after 4,213 of 10,000 files; 4,213 reports loaded."
fn stopped_text(progress: &LoadProgress, reports: usize) -> String {
    format!(
        "Stopped after {} of {}; {} loaded.",
        thousands(progress.files_done as u64),
        plural(progress.files_total, "file", "files"),
        plural(reports, "report", "reports")
    )
}
