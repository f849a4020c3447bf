//! How the page writes figures, sizes and names: the formatters of the lower layers,
//! re-exported so that the page imports the engine only (see `tests/layers.rs`).

pub use super::domains::trend_paths;
pub use crate::analysis::filter::IpPrefix;
pub use crate::analysis::format::{covered_days, slug};
pub use crate::analysis::{format_rate, rate_tenths};
pub use crate::ingest::limits::{human_size, MAX_INPUT_BYTES};
pub use crate::ingest::too_big_reason;
pub use crate::report::ResultType;
pub use crate::text::{nonzero_parts, plural, thousands};
