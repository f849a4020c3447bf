//! Offers text built in the page as a file download, through a Blob URL: nothing is sent
//! anywhere, the browser saves what the page already holds.

use wasm_bindgen::JsCast;

/// Saves `text` as `name` with the given media type. Errors are logged, never panicked on.
pub fn offer(name: &str, media_type: &str, text: &str) {
    if let Err(error) = try_offer(name, media_type, text) {
        gloo::console::error!(format!("download failed: {error:?}"));
    }
}

fn try_offer(name: &str, media_type: &str, text: &str) -> Result<(), wasm_bindgen::JsValue> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(media_type);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
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
