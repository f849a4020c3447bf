//! Counts written for people: thousands separators and plurals. The bottom layer: every
//! other layer may use it, and it uses none of them.

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

/// "1 report", "3 reports".
pub fn plural(count: impl Count, one: &str, many: &str) -> String {
    let count = count.as_u64();
    format!(
        "{} {}",
        thousands(count),
        if count == 1 { one } else { many }
    )
}

/// A count of things: sessions are `u64`, lengths `usize`; both are written whole, never
/// truncated (a `u64` cast to `usize` would wrap on wasm32).
pub trait Count: Copy {
    fn as_u64(self) -> u64;
}

impl Count for u64 {
    fn as_u64(self) -> u64 {
        self
    }
}

impl Count for usize {
    fn as_u64(self) -> u64 {
        self as u64
    }
}

impl Count for u32 {
    fn as_u64(self) -> u64 {
        u64::from(self)
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_beyond_u32_are_written_whole() {
        assert_eq!(
            plural(5_000_000_000u64, "session", "sessions"),
            "5,000,000,000 sessions"
        );
        assert_eq!(plural(1usize, "report", "reports"), "1 report");
    }
}
