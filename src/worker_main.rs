//! Starts the engine's Web Worker (see `worker`). Natively there is nothing to run.

#[cfg(target_arch = "wasm32")]
fn main() {
    tlsrpt_viewer::worker::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The worker runs in the browser, started by the page: scripts/serve.sh serves both.");
}
