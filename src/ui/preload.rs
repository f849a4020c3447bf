//! Preloading from the page's address: `?src=<url>` (repeatable) reads reports from the
//! page's own origin when the page opens, for documentation pages that embed the viewer with
//! a sample; `&embed=1` asks for the compact layout. Any other origin is refused, with a
//! reason in the Inputs view: the page contacts nothing but its own origin.

use super::loader::{load_preloaded, PendingFile};
use super::state::AppState;
use crate::engine::present::too_big_reason;
use crate::engine::present::MAX_INPUT_BYTES;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// What the address asks for.
pub struct Request {
    pub sources: Vec<String>,
    pub embed: bool,
}

pub fn request() -> Request {
    let search = window().location().search().unwrap_or_default();
    let params = web_sys::UrlSearchParams::new_with_str(&search).ok();
    let sources = params
        .as_ref()
        .map(|p| {
            p.get_all("src")
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        })
        .unwrap_or_default();
    let embed = params
        .and_then(|p| p.get("embed"))
        .is_some_and(|v| v == "1" || v == "true");
    Request { sources, embed }
}

/// Fetches the `src` files, then loads them like dropped files.
pub fn preload(state: AppState, sources: Vec<String>) {
    if sources.is_empty() {
        return;
    }
    state.preloading.set(true);
    spawn_local(async move {
        let mut files = Vec::new();
        for source in sources {
            files.push(fetch(&source).await);
        }
        state.preloading.set(false);
        load_preloaded(state, files);
    });
}

async fn fetch(source: &str) -> PendingFile {
    let location = window().location();
    let own = location.origin().unwrap_or_default();
    let base = location.href().unwrap_or_default();
    let url = match web_sys::Url::new_with_base(source, &base) {
        Ok(url) => url,
        Err(_) => {
            return PendingFile::refused(
                source.to_string(),
                "not preloaded: ?src= does not hold a valid address".to_string(),
            )
        }
    };
    if url.origin() == "null" {
        return PendingFile::refused(
            source.to_string(),
            format!(
                "not preloaded: {} addresses are not files on this site; serve the report \
                 beside the viewer ({own}) and give its path",
                url.protocol()
            ),
        );
    }
    if url.origin() != own {
        return PendingFile::refused(
            source.to_string(),
            format!(
                "not preloaded: {} is another site, and this page reads nothing from other \
                 sites; serve the report beside the viewer ({own}) and give its path",
                url.origin()
            ),
        );
    }
    match fetch_blob(&url.href()).await {
        Ok(blob) => PendingFile::fetched(source.to_string(), blob),
        Err(reason) => PendingFile::refused(source.to_string(), reason),
    }
}

async fn fetch_blob(url: &str) -> Result<web_sys::Blob, String> {
    let response: web_sys::Response = JsFuture::from(window().fetch_with_str(url))
        .await
        .map_err(|_| "not preloaded: the file could not be fetched from this site".to_string())?
        .dyn_into()
        .map_err(|_| "not preloaded: no response".to_string())?;
    if !response.ok() {
        return Err(format!(
            "not preloaded: the server answered {} {}; check the path given in ?src=",
            response.status(),
            response.status_text()
        ));
    }
    let Some(body) = response.body() else {
        return web_sys::Blob::new().map_err(|_| UNREADABLE.to_string());
    };
    // The size the server gives is checked before reading anything.
    let announced = response
        .headers()
        .get("content-length")
        .ok()
        .flatten()
        .and_then(|length| length.trim().parse::<u64>().ok());
    if let Some(size) = announced.filter(|&size| size > MAX_INPUT_BYTES) {
        let _ = body.cancel();
        return Err(format!("not preloaded: {}", too_big_reason(Some(size))));
    }
    read_capped(&body).await
}

const UNREADABLE: &str = "not preloaded: the response could not be read";

/// Reads a response body chunk by chunk, and stops as soon as it is over the limit for one
/// input (a server need not say how long a file is).
async fn read_capped(body: &web_sys::ReadableStream) -> Result<web_sys::Blob, String> {
    let reader: web_sys::ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let chunks = js_sys::Array::new();
    let mut total: u64 = 0;
    loop {
        let step = JsFuture::from(reader.read())
            .await
            .map_err(|_| UNREADABLE.to_string())?;
        let done = js_sys::Reflect::get(&step, &"done".into())
            .map(|done| done.is_truthy())
            .unwrap_or(true);
        if done {
            break;
        }
        let chunk: js_sys::Uint8Array = js_sys::Reflect::get(&step, &"value".into())
            .map_err(|_| UNREADABLE.to_string())?
            .dyn_into()
            .map_err(|_| UNREADABLE.to_string())?;
        total = total.saturating_add(u64::from(chunk.length()));
        if total > MAX_INPUT_BYTES {
            let _ = reader.cancel();
            return Err(format!("not preloaded: {}", too_big_reason(None)));
        }
        chunks.push(&chunk);
    }
    web_sys::Blob::new_with_u8_array_sequence(&chunks).map_err(|_| UNREADABLE.to_string())
}
