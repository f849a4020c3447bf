//! TLS-RPT Viewer: reads SMTP TLS reports (RFC 8460) and shows what they say.
//!
//! Layers, each depending only on the ones above it in this list:
//! - [`text`]: counts written for people (every layer may use it);
//! - [`report`]: the RFC 8460 model and its tolerant JSON reader;
//! - [`ingest`]: input files to reports, by content, within size limits, with deduplication;
//! - [`analysis`]: the figures the page shows, computed from the loaded reports;
//! - [`engine`]: one session of loaded reports, updated as inputs arrive, answering view
//!   models (used by `summarize` and by the worker);
//! - `worker` (wasm32 only): the Web Worker that runs the engine and reads the files;
//! - `ui` (wasm32 only): the Leptos page, which renders view models and never touches a report;
//! - `cli` (native only): the `tlsrpt` command (`summarize`, `rows`, `check`) over the engine.

pub mod analysis;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod engine;
pub mod ingest;
pub mod report;
pub mod text;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;
