//! What reading an input gives the writer of `tlsrpt rows`, piece by piece: a report's rows
//! (with the hash deduplication needs), or an item set aside with its reason. The readers
//! make them ([`super::rows`]); a spool carries them in order ([`super::spool`]).

use crate::engine::rows::{FailureRow, PolicyRow};

/// One report read, as rows ready to write: encoded as text on the reading thread, or (for
/// Parquet, written a column at a time) as the rows themselves.
pub struct ReadReport {
    pub key: u128,
    pub policy: Encoded<PolicyRow>,
    pub failure: Encoded<FailureRow>,
}

pub enum Encoded<R> {
    Text {
        bytes: Vec<u8>,
        rows: usize,
    },
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    Rows(Vec<R>),
}

impl<R> Encoded<R> {
    pub fn rows(&self) -> usize {
        match self {
            Encoded::Text { rows, .. } => *rows,
            Encoded::Rows(rows) => rows.len(),
        }
    }

    /// Bytes it holds, about (Parquet's rows counted by the row).
    pub fn size(&self) -> usize {
        match self {
            Encoded::Text { bytes, .. } => bytes.len(),
            Encoded::Rows(rows) => rows.len() * 512,
        }
    }
}

/// What an input gives, piece by piece, in order.
pub enum Piece {
    Report(ReadReport),
    SetAside(String, String),
}

impl Piece {
    /// Bytes it holds, about.
    pub fn size(&self) -> usize {
        match self {
            Piece::Report(report) => 16 + report.policy.size() + report.failure.size(),
            Piece::SetAside(path, reason) => path.len() + reason.len(),
        }
    }

    /// Whether it can wait in a file: text rows can, Parquet's rows cannot.
    pub fn spillable(&self) -> bool {
        match self {
            Piece::Report(report) => !matches!(
                (&report.policy, &report.failure),
                (Encoded::Rows(_), _) | (_, Encoded::Rows(_))
            ),
            Piece::SetAside(..) => true,
        }
    }
}
