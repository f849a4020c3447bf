//! Size limits. Real reports are a few kilobytes (the largest seen from big providers are well
//! under 1 MB; receivers commonly refuse reports over 10 MB), so these caps leave ample room
//! while keeping a decompression bomb or a runaway file from exhausting the browser tab.

/// The largest input file read at all.
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// The largest JSON text of one report, as given or after decompression.
pub const MAX_REPORT_BYTES: u64 = 64 * 1024 * 1024;

/// How many layers of compression are unpacked (gzip inside gzip ...).
pub const MAX_LAYERS: usize = 3;

/// "64 MiB", "3.2 kB": sizes for messages.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit {
            let value = bytes as f64 / unit as f64;
            return if value >= 10.0 || bytes.is_multiple_of(unit) {
                format!("{value:.0} {name}")
            } else {
                format!("{value:.1} {name}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    #[test]
    fn sizes_read_naturally() {
        assert_eq!(super::human_size(0), "0 bytes");
        assert_eq!(super::human_size(1536), "1.5 KiB");
        assert_eq!(super::human_size(64 * 1024 * 1024), "64 MiB");
    }
}
