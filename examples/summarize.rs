//! `cargo run --example summarize -- …`: the same as `tlsrpt summarize …` (see
//! `src/cli/summarize.rs`), kept for the tests and scripts that call it by this name.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(tlsrpt_viewer::cli::summarize::run(&arguments));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
