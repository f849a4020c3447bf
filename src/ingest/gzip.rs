//! Gzip decompression that stops at a size cap, so a decompression bomb costs little.

use super::limits::{human_size, MAX_REPORT_BYTES};
use flate2::read::MultiGzDecoder;
use std::io::{ErrorKind, Read};

/// Inflates every member of a gzip stream, refusing output beyond `MAX_REPORT_BYTES`.
pub fn gunzip_capped(compressed: &[u8]) -> Result<Vec<u8>, String> {
    gunzip_with_cap(compressed, MAX_REPORT_BYTES)
}

pub(crate) fn gunzip_with_cap(compressed: &[u8], cap: u64) -> Result<Vec<u8>, String> {
    let mut output = Vec::new();
    let mut reader = MultiGzDecoder::new(compressed).take(cap + 1);
    match reader.read_to_end(&mut output) {
        Ok(_) if output.len() as u64 > cap => Err(format!(
            "gzip data decompresses to more than {}, the limit for one report (real reports are \
             a few kilobytes); this looks like a decompression bomb and was not read further",
            human_size(cap)
        )),
        Ok(_) => Ok(output),
        Err(error) if error.kind() == ErrorKind::UnexpectedEof => Err(format!(
            "truncated gzip: the compressed data ends early, after {} decompressed; the file \
             may have been cut off while saving or downloading",
            human_size(output.len() as u64)
        )),
        Err(error) => Err(format!("damaged gzip data: {error}")),
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
        assert!(error.contains("decompression bomb"), "{error}");
        assert_eq!(
            gunzip_with_cap(&gzip(&[b' '; 1000]), 1000).unwrap().len(),
            1000
        );
    }

    #[test]
    fn says_when_data_is_cut_off() {
        let whole = gzip(&[b'x'; 5000]);
        let error = gunzip_with_cap(&whole[..whole.len() / 2], 1 << 20).unwrap_err();
        assert!(error.starts_with("truncated gzip"), "{error}");
    }

    #[test]
    fn says_when_the_checksum_is_wrong() {
        let mut whole = gzip(b"{\"report\": true}");
        let crc_at = whole.len() - 8;
        whole[crc_at] ^= 0xff;
        let error = gunzip_with_cap(&whole, 1 << 20).unwrap_err();
        assert!(error.starts_with("damaged gzip data"), "{error}");
    }
}
