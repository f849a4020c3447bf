//! Hands the files given to the page (chosen, dropped, pasted, or fetched with `?src=`) to
//! the engine's worker. The browser reads them asynchronously, 256 at a time (the fastest way
//! it hands over many small files; posting `File` objects instead costs the main thread about
//! 0.4 ms each), and their contents are moved to the worker, not copied. The page never parses
//! a byte. It sends no faster than the worker reads: at most [`IN_FLIGHT_BYTES`] wait there.

use super::bridge::{send, send_with};
use super::state::AppState;
use crate::engine::model::ToWorker;
use crate::ingest::limits::MAX_INPUT_BYTES;
use crate::ingest::too_big_reason;
use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Files read at once, and the bytes they may hold together.
const BATCH_FILES: usize = 256;
const BATCH_BYTES: u64 = 64 * 1024 * 1024;
/// Bytes sent to the worker and not yet taken by it, at most.
const IN_FLIGHT_BYTES: u64 = 128 * 1024 * 1024;

thread_local! {
    /// The number of the last load started, and the last one stopped (Cancel or Clear).
    static LAST_LOAD: Cell<u64> = const { Cell::new(0) };
    static STOPPED_UP_TO: Cell<u64> = const { Cell::new(0) };
    /// Bytes sent to the worker, and bytes it has taken, since the page opened.
    static SENT: Cell<u64> = const { Cell::new(0) };
    static CONSUMED: Cell<u64> = const { Cell::new(0) };
}

/// The worker has taken this many bytes so far.
pub fn acknowledge(consumed: u64) {
    CONSUMED.with(|c| c.set(consumed));
}

/// Stops sending the files of every load started so far (Cancel, Clear).
pub fn stop_all() {
    STOPPED_UP_TO.with(|s| s.set(LAST_LOAD.with(Cell::get)));
}

fn stopped(load: u64) -> bool {
    load <= STOPPED_UP_TO.with(Cell::get)
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
            Err(_) => Self::refused(name, "not preloaded: the response could not be read".to_string()),
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

/// Reads the files and hands them to the worker, which sends back progress and figures.
pub fn load(state: AppState, files: Vec<PendingFile>) {
    if files.is_empty() {
        return;
    }
    state.stopped.set(None);
    let load = LAST_LOAD.with(|last| {
        last.set(last.get() + 1);
        last.get()
    });
    let mut readable = Vec::new();
    for file in files {
        match file.source {
            Source::File(handle) => readable.push((file.name, handle)),
            Source::Refused(reason) => send(&ToWorker::Refused {
                name: file.name,
                reason,
            }),
        }
    }
    if readable.is_empty() {
        return;
    }
    send(&ToWorker::Expect {
        load,
        files: readable.len(),
        bytes: readable.iter().map(|(_, f)| f.size() as u64).sum(),
    });
    leptos::task::spawn_local(send_files(load, readable));
}

/// Reads the files batch by batch (the next batch read while this one is sent) and sends them.
async fn send_files(load: u64, files: Vec<(String, web_sys::File)>) {
    let batches = batches(&files);
    let mut next = batches.first().map(|range| read_batch(&files[range.clone()]));
    for (number, range) in batches.iter().enumerate() {
        let Some(reading) = next.take() else {
            break;
        };
        let results = reading.await;
        if stopped(load) {
            return;
        }
        // Wait while the worker has enough to do.
        while SENT.with(Cell::get).saturating_sub(CONSUMED.with(Cell::get)) > IN_FLIGHT_BYTES {
            TimeoutFuture::new(20).await;
            if stopped(load) {
                return;
            }
        }
        next = batches
            .get(number + 1)
            .map(|range| read_batch(&files[range.clone()]));
        let names = files[range.clone()]
            .iter()
            .map(|(name, _)| name.clone())
            .collect();
        let buffers = js_sys::Array::new();
        let mut errors = Vec::with_capacity(results.len());
        for result in results {
            match result {
                Ok(buffer) => {
                    SENT.with(|sent| sent.set(sent.get() + buffer.byte_length() as u64));
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

/// The files split into batches of at most [`BATCH_FILES`] files and [`BATCH_BYTES`] bytes.
fn batches(files: &[(String, web_sys::File)]) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (index, (_, file)) in files.iter().enumerate() {
        let size = file.size() as u64;
        if index > start && (index - start >= BATCH_FILES || bytes + size > BATCH_BYTES) {
            ranges.push(start..index);
            start = index;
            bytes = 0;
        }
        bytes += size;
    }
    if start < files.len() {
        ranges.push(start..files.len());
    }
    ranges
}

/// Starts reading a batch at once; the future gives each file's contents, or why not.
fn read_batch(
    files: &[(String, web_sys::File)],
) -> impl std::future::Future<Output = Vec<Result<js_sys::ArrayBuffer, String>>> {
    let promises = js_sys::Array::new();
    let mut too_big = Vec::with_capacity(files.len());
    for (_, file) in files {
        let size = file.size() as u64;
        // Over the limit for one input: not read at all (the worker says why).
        too_big.push((size > MAX_INPUT_BYTES).then(|| too_big_reason(size)));
        if size > MAX_INPUT_BYTES {
            promises.push(&js_sys::Promise::resolve(&JsValue::UNDEFINED));
        } else {
            promises.push(&file.array_buffer());
        }
    }
    let settled = JsFuture::from(js_sys::Promise::all_settled(&promises));
    async move {
        let settled: js_sys::Array = match settled.await {
            Ok(value) => value.unchecked_into(),
            Err(_) => js_sys::Array::new(),
        };
        too_big
            .into_iter()
            .enumerate()
            .map(|(index, too_big)| {
                if let Some(reason) = too_big {
                    return Err(reason);
                }
                let result = settled.get(index as u32);
                js_sys::Reflect::get(&result, &"value".into())
                    .ok()
                    .and_then(|value| value.dyn_into::<js_sys::ArrayBuffer>().ok())
                    .ok_or_else(|| {
                        "the browser could not read the file; check that it is still there and \
                         drop it again"
                            .to_string()
                    })
            })
            .collect()
    }
}

/// Reads the demo reports bundled with the app (they live in the worker).
pub fn load_demo(state: AppState) {
    state.stopped.set(None);
    send(&ToWorker::LoadDemo);
}
