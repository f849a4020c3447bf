//! Domain and host names, written one way everywhere: trimmed, ASCII lower-case, without a
//! trailing dot. Internationalised names are kept as given (A-label or U-label): reports carry
//! whichever the sender wrote, and converting would need tables this app does not ship.
//! Applied once, when a report is read; the original spelling is kept in the report's notes.

/// "Example.COM." → "example.com".
pub fn host_name(text: &str) -> String {
    text.trim().trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::host_name;

    #[test]
    fn one_spelling() {
        assert_eq!(host_name(" Example.COM. "), "example.com");
        assert_eq!(host_name("mx1.example.com"), "mx1.example.com");
        assert_eq!(host_name("*.Example.com"), "*.example.com");
        assert_eq!(host_name("bücher.Example"), "bücher.example");
    }
}
