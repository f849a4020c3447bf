//! Reads the files handed to the page and feeds them to `ingest`, a few at a time, yielding
//! to the browser between batches so that the page stays responsive and the progress bar moves.

use super::state::{AppState, Progress};
use crate::ingest::limits::{human_size, MAX_INPUT_BYTES};
use crate::ingest::{ingest_file, IngestNode, NodeContent};
use gloo::file::futures::read_as_bytes;
use gloo::timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// How long the page may work before it lets the browser paint and handle input.
const SLICE_MS: f64 = 30.0;

/// A file waiting to be read: from the user, or bundled with the app.
pub struct PendingFile {
    name: String,
    source: Source,
}

enum Source {
    Browser(web_sys::File),
    Bundled(&'static [u8]),
}

impl PendingFile {
    pub fn from_browser(file: web_sys::File) -> Self {
        PendingFile {
            name: file.name(),
            source: Source::Browser(file),
        }
    }

    pub fn bundled(name: String, bytes: &'static [u8]) -> Self {
        PendingFile {
            name,
            source: Source::Bundled(bytes),
        }
    }

    async fn ingest(self) -> IngestNode {
        match self.source {
            Source::Bundled(bytes) => ingest_file(&self.name, bytes),
            Source::Browser(file) => {
                let size = file.size() as u64;
                if size > MAX_INPUT_BYTES {
                    return rejected(
                        self.name,
                        size,
                        format!(
                            "the file is {}, over the {} limit for one input",
                            human_size(size),
                            human_size(MAX_INPUT_BYTES)
                        ),
                    );
                }
                match read_as_bytes(&gloo::file::File::from(file).into()).await {
                    Ok(bytes) => ingest_file(&self.name, &bytes),
                    Err(error) => rejected(
                        self.name,
                        size,
                        format!("the browser could not read the file: {error}"),
                    ),
                }
            }
        }
    }
}

fn rejected(name: String, size: u64, reason: String) -> IngestNode {
    IngestNode {
        name,
        size,
        format: "unknown".to_string(),
        content: NodeContent::Rejected { reason },
    }
}

/// All the files of a `<input type=file>` or a drop.
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
        let current = progress.get_or_insert(Progress { done: 0, total: 0 });
        current.total += count;
    });
    spawn_local(async move {
        let mut batch = Vec::new();
        let mut slice_start = js_sys::Date::now();
        for file in files {
            batch.push(file.ingest().await);
            if js_sys::Date::now() - slice_start > SLICE_MS {
                flush(state, &mut batch);
                TimeoutFuture::new(0).await;
                slice_start = js_sys::Date::now();
            }
        }
        flush(state, &mut batch);
    });
}

fn flush(state: AppState, batch: &mut Vec<IngestNode>) {
    if batch.is_empty() {
        return;
    }
    let done = batch.len();
    state
        .reports
        .update(|set| batch.drain(..).for_each(|ingest| set.add(ingest)));
    state.progress.update(|progress| {
        if let Some(current) = progress {
            current.done += done;
            if current.done >= current.total {
                *progress = None;
            }
        }
    });
}
