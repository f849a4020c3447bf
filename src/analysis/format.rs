//! How figures are written for people: thousands separators, dates, plurals, and the slugs
//! that make stable test ids. Pure, so that the page's formatting is tested natively.

use chrono::{DateTime, Utc};

/// 5326 → "5,326".
pub fn thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

pub fn day(instant: DateTime<Utc>) -> String {
    instant.format("%Y-%m-%d").to_string()
}

/// "1 report", "3 reports".
pub fn plural(count: usize, one: &str, many: &str) -> String {
    format!(
        "{} {}",
        thousands(count as u64),
        if count == 1 { one } else { many }
    )
}

/// "2 duplicate, 3 rejected": the parts whose count is not zero, joined.
pub fn nonzero_parts(parts: &[(usize, &str)]) -> String {
    parts
        .iter()
        .filter(|(count, _)| *count > 0)
        .map(|(count, what)| format!("{} {what}", thousands(*count as u64)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A stable, readable piece of a `data-testid`: "Google Inc." → "google-inc".
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(5326), "5,326");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(slug("Google Inc."), "google-inc");
        assert_eq!(
            nonzero_parts(&[(0, "duplicate"), (3, "rejected")]),
            "3 rejected"
        );
        assert_eq!(nonzero_parts(&[(0, "duplicate")]), "");
        assert_eq!(slug("2001:db8:abcd:0012::1"), "2001-db8-abcd-0012-1");
    }
}
