//! Report JSON kept as given, compressed: the drill-down shows it, so it is kept, but at a
//! quarter of its size (raw deflate at the fastest level; report JSON compresses 4 to 10×).

use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;
use flate2::Compression;
use std::io::{Read, Write};

#[derive(Clone, PartialEq, Eq)]
pub struct PackedText(Vec<u8>);

impl std::fmt::Debug for PackedText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PackedText({} bytes)", self.0.len())
    }
}

impl PackedText {
    pub fn pack(text: &str) -> Self {
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::fast());
        // Writing to a Vec cannot fail.
        let _ = encoder.write_all(text.as_bytes());
        PackedText(encoder.finish().unwrap_or_default())
    }

    /// The text again; `None` only if the packed bytes were damaged.
    pub fn unpack(&self) -> Option<String> {
        let mut text = String::new();
        DeflateDecoder::new(self.0.as_slice())
            .read_to_string(&mut text)
            .ok()?;
        Some(text)
    }

    /// The bytes kept.
    pub fn packed_len(&self) -> usize {
        self.0.len()
    }
}

#[cfg(test)]
mod tests {
    use super::PackedText;

    #[test]
    fn round_trip_and_smaller() {
        let text = r#"{"organization-name":"Google Inc.","policies":[]}"#.repeat(20);
        let packed = PackedText::pack(&text);
        assert_eq!(packed.unpack().as_deref(), Some(text.as_str()));
        assert!(packed.packed_len() < text.len() / 4);
    }
}
