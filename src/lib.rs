//! TLS-RPT Viewer: reads SMTP TLS reports (RFC 8460) and shows what they say.
//!
//! Layers, each depending only on the ones above it in this list:
//! - [`report`]: the RFC 8460 model and its tolerant JSON reader;
//! - [`ingest`]: input files to reports, by content, within size limits, with deduplication;
//! - [`analysis`]: the figures the page shows, computed from the loaded reports;
//! - `ui` (wasm32 only): the Leptos page, the only code that knows a browser exists.

pub mod analysis;
pub mod engine;
pub mod ingest;
pub mod report;
pub mod text;
#[cfg(target_arch = "wasm32")]
pub mod ui;
