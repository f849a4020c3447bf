//! Offers a file that the worker built as a download, through a Blob URL: nothing is sent
//! anywhere, the browser saves what the page already holds. The page never reads the file:
//! the worker made the Blob, and the page only names it and clicks a link to it.

use wasm_bindgen::JsCast;

/// Saves `blob` as `name`. Errors are logged, never panicked on.
pub fn offer(name: &str, blob: &web_sys::Blob) {
    if let Err(error) = try_offer(name, blob) {
        gloo::console::error!(format!("download failed: {error:?}"));
    }
}

fn try_offer(name: &str, blob: &web_sys::Blob) -> Result<(), wasm_bindgen::JsValue> {
    let url = web_sys::Url::create_object_url_with_blob(blob)?;
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a")?.dyn_into()?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    web_sys::Url::revoke_object_url(&url)?;
    Ok(())
}
