//! The `tlsrpt` command: `summarize`, `rows` and `check` (see `src/cli/` and the README).
//! Native only: built for wasm32 (as `cargo clippy --all-targets` does) it only says so.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(tlsrpt_viewer::cli::main(&arguments));
}

#[cfg(target_arch = "wasm32")]
fn main() {}
