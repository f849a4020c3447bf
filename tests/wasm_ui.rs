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

/// Which rows of a keyed table stay the elements they were when its rows change.
#[wasm_bindgen_test]
fn rows_kept_in_their_order_stay_and_a_sort_is_drawn_anew() {
    use tlsrpt_viewer::ui::later::{rows_to_keep, CHUNK_ROWS};
    let drawn: Vec<u32> = (0..100).collect();
    // "Show more": every row drawn stays, the new ones follow in chunks.
    let more: Vec<u32> = (0..600).collect();
    assert_eq!(rows_to_keep(&drawn, &more), Some(100));
    // A node of a tree closed near the top (row 0 changed, rows 1 to 79 gone): the 20 rows
    // after it stay, and are shown at once with the one changed row.
    let mut closed: Vec<u32> = vec![1000];
    closed.extend(80..100);
    assert_eq!(rows_to_keep(&drawn, &closed), Some(21));
    // Opened again with more new rows than a chunk: a chunk of them is drawn at once, and the
    // 20 kept rows after them are taken out and drawn again with the next chunks.
    let mut opened: Vec<u32> = vec![0];
    opened.extend(2000..2079);
    opened.extend(80..100);
    assert_eq!(rows_to_keep(&closed, &opened), Some(CHUNK_ROWS));
    // The same above a thousand kept rows: taking them out one by one would cost more than a
    // fresh body.
    let thousand: Vec<u32> = (0..1000).collect();
    let mut above: Vec<u32> = (5000..5100).collect();
    above.extend(0..1000);
    assert_eq!(rows_to_keep(&thousand, &above), None);
    let mut few: Vec<u32> = vec![0];
    few.extend(2000..2009);
    few.extend(80..100);
    assert_eq!(rows_to_keep(&closed, &few), Some(30));
    // A sort keeps every row but not their order, a filter few rows: a fresh body.
    let reversed: Vec<u32> = (0..100).rev().collect();
    assert_eq!(rows_to_keep(&drawn, &reversed), None);
    let filtered: Vec<u32> = (90..95).chain(3000..3020).collect();
    assert_eq!(rows_to_keep(&drawn, &filtered), None);
    // Taking out more than 200 rows one by one costs more than a fresh body.
    let long: Vec<u32> = (0..1000).collect();
    let cut: Vec<u32> = (0..700).collect();
    assert_eq!(rows_to_keep(&long, &cut), None);
    let cut: Vec<u32> = (0..850).collect();
    assert_eq!(rows_to_keep(&long, &cut), Some(850));
}
