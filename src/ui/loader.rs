//! Reads the files handed to the page and feeds them to `ingest`, yielding to the browser
//! every few milliseconds (between files, and between the messages of a mailbox or the
//! entries of an archive), so that the page stays responsive and the progress bar moves.

use super::state::{AppState, Progress};
use crate::analysis::format::thousands;
use crate::ingest::limits::MAX_INPUT_BYTES;
use crate::ingest::{too_big_reason, IngestJob, IngestNode};
use gloo::file::futures::read_as_bytes;
use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::borrow::Cow;
use wasm_bindgen::JsValue;

/// How long the page may work before it lets the browser paint and handle input.
const SLICE_MS: f64 = 30.0;

/// How often, at most, the reports read so far are handed to the views while a load runs:
/// each hand-over recomputes the analysis and redraws the page, so it is rarer than a slice.
const SHOW_EVERY_MS: f64 = 300.0;

/// A file waiting to be read: from the user, bundled with the app, or pasted.
pub struct PendingFile {
    name: String,
    source: Source,
}

enum Source {
    Browser(web_sys::File),
    Bundled(&'static [u8]),
    Pasted(String),
    /// Fetched from the page's own origin (`?src=`).
    Fetched(Vec<u8>),
    /// The browser could not hand over the file; the reason is shown as its outcome.
    Unreadable(String),
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
            source: Source::Browser(file),
        }
    }

    /// A file found in a dropped folder, named by its path there.
    pub fn from_folder(path: String, file: web_sys::File) -> Self {
        PendingFile {
            name: path,
            source: Source::Browser(file),
        }
    }

    pub fn bundled(name: String, bytes: &'static [u8]) -> Self {
        PendingFile {
            name,
            source: Source::Bundled(bytes),
        }
    }

    pub fn pasted(name: String, text: String) -> Self {
        PendingFile {
            name,
            source: Source::Pasted(text),
        }
    }

    pub fn fetched(name: String, bytes: Vec<u8>) -> Self {
        PendingFile {
            name,
            source: Source::Fetched(bytes),
        }
    }

    pub fn unreadable(name: String, reason: String) -> Self {
        PendingFile {
            name,
            source: Source::Unreadable(reason),
        }
    }

    /// The file's bytes, or its outcome when they cannot be had.
    async fn bytes(self) -> Result<(String, Cow<'static, [u8]>), IngestNode> {
        match self.source {
            Source::Bundled(bytes) => Ok((self.name, Cow::Borrowed(bytes))),
            Source::Pasted(text) => Ok((self.name, Cow::Owned(text.into_bytes()))),
            Source::Fetched(bytes) => Ok((self.name, Cow::Owned(bytes))),
            Source::Unreadable(reason) => Err(IngestNode::rejected_file(self.name, 0, reason)),
            Source::Browser(file) => {
                let size = file.size() as u64;
                if size > MAX_INPUT_BYTES {
                    return Err(IngestNode::rejected_file(
                        self.name,
                        size,
                        too_big_reason(size),
                    ));
                }
                match read_as_bytes(&gloo::file::File::from(file).into()).await {
                    Ok(bytes) => Ok((self.name, Cow::Owned(bytes))),
                    Err(error) => Err(IngestNode::rejected_file(
                        self.name,
                        size,
                        format!(
                            "the browser could not read the file ({error}); check that it is \
                             still there and drop it again"
                        ),
                    )),
                }
            }
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

/// Reads the files in the background, adding their reports to the page as they come.
pub fn load(state: AppState, files: Vec<PendingFile>) {
    if files.is_empty() {
        return;
    }
    let count = files.len();
    state.progress.update(|progress| {
        let current = progress.get_or_insert_with(Progress::default);
        current.total += count;
    });
    spawn_local(async move {
        let mut batch = Batch::new();
        let mut slice = Slice::start();
        for file in files {
            let node = match file.bytes().await {
                Ok((name, bytes)) => {
                    let mut job = IngestJob::new(&name, &bytes);
                    while job.step() {
                        if slice.is_over() {
                            let (done, total) = job.progress();
                            batch.show_if_due(state);
                            state.progress.update(|progress| {
                                if let Some(progress) = progress {
                                    progress.inside = Some(format!(
                                        "{} of {} items in {name}",
                                        thousands(done as u64),
                                        thousands(total as u64)
                                    ));
                                }
                            });
                            slice.yield_now().await;
                        }
                    }
                    job.finish()
                }
                Err(node) => node,
            };
            batch.push(state, node);
            if slice.is_over() {
                batch.show_if_due(state);
                slice.yield_now().await;
            }
        }
        batch.show(state);
    });
}

/// Files read but not yet shown. The progress bar counts them at once; the views get them
/// every [`SHOW_EVERY_MS`] and at the end.
struct Batch {
    nodes: Vec<IngestNode>,
    shown_at: f64,
}

impl Batch {
    fn new() -> Self {
        Batch {
            nodes: Vec::new(),
            shown_at: js_sys::Date::now(),
        }
    }

    fn push(&mut self, state: AppState, node: IngestNode) {
        self.nodes.push(node);
        state.progress.update(|progress| {
            if let Some(progress) = progress {
                progress.done += 1;
                progress.inside = None;
            }
        });
    }

    fn show_if_due(&mut self, state: AppState) {
        if js_sys::Date::now() - self.shown_at >= SHOW_EVERY_MS {
            self.show(state);
        }
    }

    fn show(&mut self, state: AppState) {
        self.shown_at = js_sys::Date::now();
        if !self.nodes.is_empty() {
            let nodes = std::mem::take(&mut self.nodes);
            state
                .reports
                .update(|set| nodes.into_iter().for_each(|node| set.add(node)));
        }
        state.progress.update(|progress| {
            if progress.as_ref().is_some_and(|p| p.done >= p.total) {
                *progress = None;
            }
        });
    }
}

/// A stretch of work between two yields to the browser.
struct Slice(f64);

impl Slice {
    fn start() -> Self {
        Slice(js_sys::Date::now())
    }

    fn is_over(&self) -> bool {
        js_sys::Date::now() - self.0 > SLICE_MS
    }

    async fn yield_now(&mut self) {
        TimeoutFuture::new(0).await;
        self.0 = js_sys::Date::now();
    }
}
