//! Mounts the app in the browser. Natively there is nothing to run: see the README.

#[cfg(target_arch = "wasm32")]
fn main() {
    tlsrpt_viewer::ui::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "TLS-RPT Viewer runs in the browser: scripts/serve.sh builds and serves it.\n\
         For the same figures in a terminal: cargo run --example summarize -- FILE..."
    );
}
