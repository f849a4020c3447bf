//! Dropped folders: the browser hands over directory entries, read here recursively (through
//! the callback-based File and Directory Entries API, wrapped in promises) into the files
//! they hold, named by their path and sorted by it.

use super::loader::PendingFile;
use js_sys::{Array, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    DataTransfer, FileSystemDirectoryEntry, FileSystemDirectoryReader, FileSystemEntry,
    FileSystemFileEntry,
};

/// The entries of a drop. Must be called during the drop event: afterwards the browser
/// empties the list.
pub fn dropped_entries(transfer: &DataTransfer) -> Vec<FileSystemEntry> {
    let items = transfer.items();
    (0..items.length())
        .filter_map(|index| items.get(index))
        .filter(|item| item.kind() == "file")
        .filter_map(|item| item.webkit_get_as_entry().ok().flatten())
        .collect()
}

/// Every file under the entries, depth first, each folder's files in name order. A file or
/// folder the browser cannot read becomes a file with the reason, so nothing is lost silently.
/// `found` is told the running count, for the progress line.
pub async fn files_under(entries: Vec<FileSystemEntry>, found: impl Fn(usize)) -> Vec<PendingFile> {
    let mut files = Vec::new();
    let mut pending: Vec<FileSystemEntry> = entries;
    pending.reverse();
    while let Some(entry) = pending.pop() {
        let path = entry.full_path().trim_start_matches('/').to_string();
        if entry.is_directory() {
            let directory: FileSystemDirectoryEntry = entry.unchecked_into();
            match all_entries(&directory.create_reader()).await {
                Ok(mut children) => {
                    children.sort_by_key(|child| std::cmp::Reverse(child.name()));
                    pending.extend(children);
                }
                Err(error) => files.push(PendingFile::refused(
                    format!("{path}/"),
                    format!(
                        "the browser could not list this folder ({}); drop its files instead",
                        describe(&error)
                    ),
                )),
            }
        } else if entry.is_file() {
            let file_entry: FileSystemFileEntry = entry.unchecked_into();
            files.push(match file_of(&file_entry).await {
                Ok(file) => PendingFile::from_folder(path, file),
                Err(error) => PendingFile::refused(
                    path,
                    format!(
                        "the browser could not read this file ({}); check that it is still \
                         there and drop it again",
                        describe(&error)
                    ),
                ),
            });
            found(files.len());
        }
    }
    files
}

/// `readEntries` gives at most 100 entries a call: call it until it gives none.
async fn all_entries(reader: &FileSystemDirectoryReader) -> Result<Vec<FileSystemEntry>, JsValue> {
    let mut all = Vec::new();
    loop {
        let promise = Promise::new(&mut |resolve, reject| {
            if let Err(error) = reader.read_entries_with_callback_and_callback(&resolve, &reject) {
                let _ = reject.call1(&JsValue::NULL, &error);
            }
        });
        let batch: Array = JsFuture::from(promise).await?.unchecked_into();
        if batch.length() == 0 {
            return Ok(all);
        }
        all.extend(batch.iter().map(JsCast::unchecked_into::<FileSystemEntry>));
    }
}

async fn file_of(entry: &FileSystemFileEntry) -> Result<web_sys::File, JsValue> {
    let promise = Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    Ok(JsFuture::from(promise).await?.unchecked_into())
}

fn describe(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|message| message.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_string())
}
