//! Gzip decompression that stops at a size cap, so a decompression bomb costs little.

use super::limits::{human_size, over_cap_reason, Budget};
use flate2::read::MultiGzDecoder;
use std::io::{ErrorKind, Read};

/// Inflates every member of a gzip stream within the budget's cap, and spends what it made.
pub fn gunzip(compressed: &[u8], budget: &mut Budget) -> Result<Vec<u8>, String> {
    let (cap, which) = budget.member_cap();
    let result = gunzip_with_cap(compressed, cap);
    if let Ok(output) | Err(GunzipError::TooBig(output)) = &result {
        budget.spend(output.len() as u64);
    }
    result.map_err(|error| match error {
        GunzipError::TooBig(_) => over_cap_reason("gzip data decompresses", cap, which, true),
        GunzipError::Truncated(made) => format!(
            "truncated gzip: the compressed data ends early, after {} decompressed; the file \
             may have been cut off while saving or downloading",
            human_size(made)
        ),
        GunzipError::Damaged(message) => format!("damaged gzip data: {message}"),
    })
}

#[derive(Debug)]
pub(crate) enum GunzipError {
    /// More than the cap; carries what was made, to count it.
    TooBig(Vec<u8>),
    /// The stream ends early, after this many bytes of output.
    Truncated(u64),
    Damaged(String),
}

pub(crate) fn gunzip_with_cap(compressed: &[u8], cap: u64) -> Result<Vec<u8>, GunzipError> {
    let mut output = Vec::new();
    let mut reader = MultiGzDecoder::new(compressed).take(cap.saturating_add(1));
    match reader.read_to_end(&mut output) {
        Ok(_) if output.len() as u64 > cap => Err(GunzipError::TooBig(output)),
        Ok(_) => Ok(output),
        Err(error) if error.kind() == ErrorKind::UnexpectedEof => {
            Err(GunzipError::Truncated(output.len() as u64))
        }
        Err(error) => Err(GunzipError::Damaged(error.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::{write::GzEncoder, Compression};
    use std::io::Write;

    fn gzip(data: &[u8]) -> Vec<u8> {
        let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
        encoder.write_all(data).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn round_trips_and_reads_several_members() {
        let mut two = gzip(b"{\"a\":");
        two.extend(gzip(b"1}"));
        assert_eq!(gunzip_with_cap(&two, 100).unwrap(), b"{\"a\":1}");
    }

    #[test]
    fn stops_at_the_cap() {
        let error = gunzip_with_cap(&gzip(&[b' '; 1000]), 999).unwrap_err();
        assert!(matches!(error, GunzipError::TooBig(made) if made.len() == 1000));
        assert_eq!(
            gunzip_with_cap(&gzip(&[b' '; 1000]), 1000).unwrap().len(),
            1000
        );
    }

    #[test]
    fn spends_the_budget() {
        let mut budget = Budget::default();
        let before = budget.member_cap();
        gunzip(&gzip(&[b' '; 1000]), &mut budget).unwrap();
        let mut expected = Budget::default();
        expected.spend(1000);
        assert_eq!(before, Budget::default().member_cap());
        assert_eq!(format!("{budget:?}"), format!("{expected:?}"));
    }

    #[test]
    fn says_when_data_is_cut_off() {
        let whole = gzip(&[b'x'; 5000]);
        let error = gunzip(&whole[..whole.len() / 2], &mut Budget::default()).unwrap_err();
        assert!(error.starts_with("truncated gzip"), "{error}");
    }

    #[test]
    fn says_when_the_checksum_is_wrong() {
        let mut whole = gzip(b"{\"report\": true}");
        let crc_at = whole.len() - 8;
        whole[crc_at] ^= 0xff;
        let error = gunzip(&whole, &mut Budget::default()).unwrap_err();
        assert!(error.starts_with("damaged gzip data"), "{error}");
    }
}
