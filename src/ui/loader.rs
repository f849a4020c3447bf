//! Hands the files given to the page (chosen, dropped, pasted, or fetched with `?src=`) to
//! the engine's worker. The browser reads them asynchronously, 256 at a time (the fastest way
//! it hands over many small files), and their contents are moved to the worker, not copied.
//! The page never parses a byte. It keeps at most [`IN_FLIGHT_BYTES`] sent and not yet taken
//! by the worker (which counts what Cancel and Clear drop as taken).
//!
//! Measured in Chromium, each of these costs the main thread 0.3 to 0.4 ms per file, so the
//! page does only the one it cannot avoid (`arrayBuffer()`): posting `File` objects to the
//! worker, or asking a `File` for its `size`, would double the main thread's work. Sizes come
//! from the buffers once read.

use super::bridge::{self, send, send_with};
use super::keep;
use super::state::AppState;
use crate::engine::model::ToWorker;
use crate::engine::present::too_big_reason;
use crate::engine::present::MAX_INPUT_BYTES;
use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Files read at once.
const BATCH_FILES: usize = 256;
/// Bytes sent to the worker and not yet taken by it, at most.
const IN_FLIGHT_BYTES: u64 = 128 * 1024 * 1024;

thread_local! {
    /// The number of the last load started, and the last one stopped (Cancel or Clear).
    static LAST_LOAD: Cell<u64> = const { Cell::new(0) };
    static STOPPED_UP_TO: Cell<u64> = const { Cell::new(0) };
}

/// Stops sending the files of every load started so far (Cancel, Clear).
pub fn stop_all() {
    STOPPED_UP_TO.with(|s| s.set(LAST_LOAD.with(Cell::get)));
}

/// Whether a load was stopped, or the worker it was sent to has ended since (`worker` is
/// [`bridge::worker_number`] when it started).
fn stopped(load: u64, worker: u64) -> bool {
    load <= STOPPED_UP_TO.with(Cell::get) || worker != bridge::worker_number()
}

/// A file to hand over, named as the Inputs view shows it.
pub struct PendingFile {
    name: String,
    source: Source,
}

enum Source {
    File(web_sys::File),
    /// The page could not get the file; the reason is shown as its outcome.
    Refused(String),
}

impl PendingFile {
    /// A file from a file input or a drop, named by its path inside a chosen folder if any.
    pub fn from_browser(file: web_sys::File) -> Self {
        let relative_path = js_sys::Reflect::get(&file, &JsValue::from_str("webkitRelativePath"))
            .ok()
            .and_then(|path| path.as_string())
            .filter(|path| !path.is_empty());
        PendingFile {
            name: relative_path.unwrap_or_else(|| file.name()),
            source: Source::File(file),
        }
    }

    /// A file found in a dropped folder, named by its path there.
    pub fn from_folder(path: String, file: web_sys::File) -> Self {
        PendingFile {
            name: path,
            source: Source::File(file),
        }
    }

    /// Pasted text, as a file of that text.
    pub fn pasted(name: String, text: String) -> Self {
        let parts = js_sys::Array::of1(&JsValue::from_str(&text));
        match web_sys::File::new_with_str_sequence(&parts, &name) {
            Ok(file) => PendingFile {
                name,
                source: Source::File(file),
            },
            Err(_) => Self::refused(name, "the pasted text could not be read".to_string()),
        }
    }

    /// A file fetched from the page's own origin (`?src=`).
    pub fn fetched(name: String, blob: web_sys::Blob) -> Self {
        let parts = js_sys::Array::of1(&blob);
        match web_sys::File::new_with_blob_sequence(&parts, &name) {
            Ok(file) => PendingFile {
                name,
                source: Source::File(file),
            },
            Err(_) => Self::refused(
                name,
                "not preloaded: the response could not be read".to_string(),
            ),
        }
    }

    pub fn refused(name: String, reason: String) -> Self {
        PendingFile {
            name,
            source: Source::Refused(reason),
        }
    }
}

/// All the files of a `<input type=file>` or a drop without folders.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<PendingFile> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|index| list.get(index))
        .map(PendingFile::from_browser)
        .collect()
}

/// Reads the files the user gave (dropped, chosen, pasted) and hands them to the worker,
/// which sends back progress and figures. From now on, leaving the page asks first, unless
/// they are kept in this browser (see [`keep`], which is told of them).
pub fn load(state: AppState, files: Vec<PendingFile>) {
    // After the worker died, the page starts clean first (and so forgets earlier inputs).
    restart_if_lost(state);
    let given = files
        .iter()
        .filter_map(|pending| match &pending.source {
            Source::File(file) => Some((pending.name.clone(), file.clone())),
            Source::Refused(_) => None,
        })
        .collect();
    keep::files_given(state.keep, given);
    load_restored(state, files);
}

/// Reads the user's files that a previous visit kept in this browser, as [`load`] does, without
/// storing them again.
pub fn load_restored(state: AppState, files: Vec<PendingFile>) {
    if !files.is_empty() {
        state.own_files.set(true);
    }
    load_preloaded(state, files);
}

/// Reads files the page was given to show (`?src=`), as [`load`] does; leaving the page with
/// only these loaded asks nothing (a documentation page's sample is not the user's work).
pub fn load_preloaded(state: AppState, files: Vec<PendingFile>) {
    if files.is_empty() {
        return;
    }
    restart_if_lost(state);
    state.stopped.set(None);
    state.last_load.set(None);
    let load = LAST_LOAD.with(|last| {
        last.set(last.get() + 1);
        last.get()
    });
    // In the order given: a refused file keeps its place, with its reason.
    let files: Vec<(String, Source)> = files.into_iter().map(|f| (f.name, f.source)).collect();
    send(&ToWorker::Expect {
        load,
        files: files.len(),
    });
    leptos::task::spawn_local(send_files(load, files));
}

/// Reads the files batch by batch (the next batch read while this one is sent) and sends them.
/// The browser reads 256 files at a time.
async fn send_files(load: u64, files: Vec<(String, Source)>) {
    let worker = bridge::worker_number();
    let batches = batches(&files);
    let mut next = match batches.first() {
        Some(range) => Some(start_reading(&files[range.clone()]).await),
        None => None,
    };
    for (number, range) in batches.iter().enumerate() {
        let Some(reading) = next.take() else {
            break;
        };
        let results = reading.finish().await;
        if stopped(load, worker) {
            return;
        }
        // Wait while the worker has enough to do.
        while bridge::bytes_in_flight() > IN_FLIGHT_BYTES {
            TimeoutFuture::new(20).await;
            if stopped(load, worker) {
                return;
            }
        }
        next = match batches.get(number + 1) {
            Some(range) => Some(start_reading(&files[range.clone()]).await),
            None => None,
        };
        // Cancel or Clear may have come while the next reads were being started.
        if stopped(load, worker) {
            return;
        }
        let names = files[range.clone()]
            .iter()
            .map(|(name, _)| name.clone())
            .collect();
        let buffers = js_sys::Array::new();
        let mut errors = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Ok(buffer) => {
                    buffers.push(&buffer);
                    errors.push(None);
                }
                Err(reason) => {
                    buffers.push(&JsValue::UNDEFINED);
                    errors.push(Some(reason));
                }
            }
        }
        send_with(
            &ToWorker::Bytes {
                load,
                names,
                errors,
            },
            Some(buffers),
        );
    }
}

/// The files split into batches of at most [`BATCH_FILES`] files.
fn batches(files: &[(String, Source)]) -> Vec<std::ops::Range<usize>> {
    (0..files.len())
        .step_by(BATCH_FILES)
        .map(|start| start..(start + BATCH_FILES).min(files.len()))
        .collect()
}

/// Reads started for a batch: the promises of its files, and the reasons of refused ones.
struct Reading {
    settled: JsFuture,
    refused: Vec<Option<String>>,
}

/// Files whose reading is started in one task: each `arrayBuffer()` call costs the main thread
/// about 0.3 ms, so a whole batch at once would be one long task.
const STARTED_PER_TASK: usize = 64;

/// Starts reading a batch, a few files per task.
async fn start_reading(files: &[(String, Source)]) -> Reading {
    let promises = js_sys::Array::new();
    let mut refused = Vec::with_capacity(files.len());
    for (number, (_, source)) in files.iter().enumerate() {
        if number > 0 && number % STARTED_PER_TASK == 0 {
            TimeoutFuture::new(0).await;
        }
        match source {
            Source::File(file) => {
                promises.push(&file.array_buffer());
                refused.push(None);
            }
            Source::Refused(reason) => {
                promises.push(&js_sys::Promise::resolve(&JsValue::UNDEFINED));
                refused.push(Some(reason.clone()));
            }
        }
    }
    Reading {
        settled: JsFuture::from(js_sys::Promise::all_settled(&promises)),
        refused,
    }
}

impl Reading {
    /// Each file's contents, or why not.
    async fn finish(self) -> Vec<Result<js_sys::ArrayBuffer, String>> {
        let Reading {
            settled,
            mut refused,
        } = self;
        let count = refused.len();
        let settled: js_sys::Array = match settled.await {
            Ok(value) => value.unchecked_into(),
            Err(_) => js_sys::Array::new(),
        };
        (0..count)
            .map(|index| {
                if let Some(reason) = refused[index].take() {
                    return Err(reason);
                }
                let result = settled.get(index as u32);
                let buffer = js_sys::Reflect::get(&result, &"value".into())
                    .ok()
                    .and_then(|value| value.dyn_into::<js_sys::ArrayBuffer>().ok())
                    .ok_or_else(|| {
                        "the browser could not read the file; check that it is still there and \
                         drop it again"
                            .to_string()
                    })?;
                // Over the limit for one input: its bytes are not sent (the reason says why).
                let size = buffer.byte_length() as u64;
                if size > MAX_INPUT_BYTES {
                    return Err(too_big_reason(Some(size)));
                }
                Ok(buffer)
            })
            .collect()
    }
}

/// Files given after the worker died go to a new one, with a clean session (as Start again).
fn restart_if_lost(state: AppState) {
    if state.worker_lost.get_untracked().is_some() {
        super::clear(state);
    }
}

/// Reads the demo reports bundled with the app (they live in the worker).
pub fn load_demo(state: AppState) {
    restart_if_lost(state);
    keep::demo_given(state.keep);
    load_demo_restored(state);
}

/// The demo reports, as a previous visit kept them (not stored again).
pub fn load_demo_restored(state: AppState) {
    restart_if_lost(state);
    state.stopped.set(None);
    state.last_load.set(None);
    send(&ToWorker::LoadDemo);
}
