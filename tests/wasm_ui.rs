//! The page's last line of defence, in headless Chromium: when the app fails, the user sees
//! a message instead of a blank page.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn a_fatal_error_is_shown_on_the_page() {
    tlsrpt_viewer::ui::show_fatal_error("index out of bounds");
    let document = web_sys::window().unwrap().document().unwrap();
    let banner = document
        .query_selector("[data-testid=fatal-error]")
        .unwrap()
        .expect("the banner is on the page");
    let text = banner.text_content().unwrap();
    assert!(
        text.starts_with("Something went wrong inside TLS-RPT Viewer"),
        "{text}"
    );
    assert!(text.ends_with("Details: index out of bounds"), "{text}");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
}
