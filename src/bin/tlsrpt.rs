//! The `tlsrpt` command: `summarize`, `rows` and `check` (see `src/cli/` and the README).
//! Native only: built for wasm32 (as `cargo clippy --all-targets` does) it only says so.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    keep_allocator_thresholds();
    let arguments: Vec<String> = std::env::args().skip(1).collect();
    std::process::exit(tlsrpt_viewer::cli::main(&arguments));
}

#[cfg(target_arch = "wasm32")]
fn main() {}

/// glibc raises its mmap threshold each time a large block is freed, up to 32 MiB, and its
/// trim threshold with it: a command that streams, freeing each entry's buffers as it goes,
/// then keeps tens of megabytes it no longer uses (`tlsrpt rows` on 100,000 reports in two
/// zips: 19 to 21 MB, against 14 MB with the thresholds kept). Setting the mmap threshold to
/// its default value turns that raising off, so the command's memory follows its work.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_allocator_thresholds() {
    // SAFETY: mallopt only sets a parameter of the allocator; it is called before any thread
    // starts. Its result (0 when the value is refused) changes nothing here either way.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 128 * 1024);
    }
}

#[cfg(all(
    not(target_arch = "wasm32"),
    not(all(target_os = "linux", target_env = "gnu"))
))]
fn keep_allocator_thresholds() {}
