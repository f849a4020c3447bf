//! Report JSON kept as given, compressed: the drill-down shows it, so it is kept, but at a
//! fraction of its size. A report that came gzipped keeps its gzip bytes as they were (no
//! work at all); any other is packed with raw deflate at the fastest level (report JSON
//! compresses 4 to 10×).

use super::gzip::gunzip_with_cap;
use super::limits::MAX_MEMBER_BYTES;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use std::io::{Read, Write};

#[derive(Clone, PartialEq, Eq)]
pub enum PackedText {
    /// Packed here with raw deflate.
    Deflate(Vec<u8>),
    /// The gzip data the text was read from, as given.
    Gzip(Vec<u8>),
}

impl std::fmt::Debug for PackedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PackedText({} bytes)", self.packed_len())
    }
}

impl PackedText {
    pub fn pack(text: &[u8]) -> Self {
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::fast());
        // Writing to a Vec cannot fail.
        let _ = encoder.write_all(text);
        PackedText::Deflate(encoder.finish().unwrap_or_default())
    }

    /// Keeps gzip data that is known to decompress to the text (it was just read from it).
    pub fn gzipped(compressed: &[u8]) -> Self {
        PackedText::Gzip(compressed.to_vec())
    }

    /// The text again (invalid UTF-8 replaced, as the page shows it); `None` only if the
    /// packed bytes were damaged.
    pub fn unpack(&self) -> Option<String> {
        let bytes = match self {
            PackedText::Deflate(packed) => {
                let mut bytes = Vec::new();
                DeflateDecoder::new(packed.as_slice())
                    .read_to_end(&mut bytes)
                    .ok()?;
                bytes
            }
            PackedText::Gzip(compressed) => gunzip_with_cap(compressed, MAX_MEMBER_BYTES).ok()?,
        };
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The bytes kept.
    pub fn packed_len(&self) -> usize {
        match self {
            PackedText::Deflate(bytes) | PackedText::Gzip(bytes) => bytes.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::PackedText;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    #[test]
    fn round_trip_and_smaller() {
        let text = r#"{"organization-name":"Google Inc.","policies":[]}"#.repeat(20);
        let packed = PackedText::pack(text.as_bytes());
        assert_eq!(packed.unpack().as_deref(), Some(text.as_str()));
        assert!(packed.packed_len() < text.len() / 4);
    }

    #[test]
    fn gzip_data_is_kept_as_given() {
        let text = r#"{"organization-name":"Microsoft","policies":[]}"#;
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(text.as_bytes()).unwrap();
        let gzip = encoder.finish().unwrap();
        let packed = PackedText::gzipped(&gzip);
        assert_eq!(packed, PackedText::Gzip(gzip.clone()));
        assert_eq!(packed.packed_len(), gzip.len());
        assert_eq!(packed.unpack().as_deref(), Some(text));
        assert_eq!(PackedText::Gzip(b"not gzip".to_vec()).unpack(), None);
    }
}
