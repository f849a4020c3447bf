//! How figures are written for people: thousands separators, dates, plurals, and the slugs
//! that make stable test ids. Pure, so that the page's formatting is tested natively.

pub use crate::text::{day, nonzero_parts, plural, thousands};
use chrono::{DateTime, Utc};

/// The UTC day a report's period starts, "2024-02-22", when it gives one.
pub fn start_day(report: &crate::report::Report) -> Option<String> {
    report.start_day().map(|day| day.to_string())
}

/// The first and last day a date range covers, and how many days that is. A range ends where
/// the next one starts, so an end at midnight (Mail.ru's) belongs to the day before.
pub fn covered_days(start: DateTime<Utc>, end: DateTime<Utc>) -> (String, String, usize) {
    let last = if end > start {
        end - chrono::TimeDelta::seconds(1)
    } else {
        start
    };
    let days = (last.date_naive() - start.date_naive()).num_days().max(0) + 1;
    (day(start), day(last), days as usize)
}

/// JSON text re-indented with two spaces, keys and values left exactly as written (in their
/// order, with their escapes). Text that is not JSON comes out re-indented as far as it goes.
pub fn pretty_json(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() * 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.push_str(&"  ".repeat(depth));
    };
    let mut chars = raw.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                out.push(c);
            }
            '{' | '[' => {
                out.push(c);
                // Keep empty containers on one line.
                while chars.peek().is_some_and(|n| n.is_whitespace()) {
                    chars.next();
                }
                if matches!(chars.peek(), Some('}') | Some(']')) {
                    if let Some(close) = chars.next() {
                        out.push(close);
                    }
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
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
    fn pretty_json_keeps_order_and_escapes() {
        assert_eq!(
            pretty_json("{\"b\":1,\"a\":[1, {\"x\":\"q\\\"{,}\"}],\"e\":{}}"),
            "{\n  \"b\": 1,\n  \"a\": [\n    1,\n    {\n      \"x\": \"q\\\"{,}\"\n    }\n  ],\n  \"e\": {}\n}"
        );
    }

    #[test]
    fn formats() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(5326), "5,326");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(slug("Google Inc."), "google-inc");
        assert_eq!(slug("2001:db8:abcd:0012::1"), "2001-db8-abcd-0012-1");
        assert_eq!(
            nonzero_parts(&[(0, "duplicate"), (3, "rejected")]),
            "3 rejected"
        );
        assert_eq!(nonzero_parts(&[(0, "duplicate")]), "");
    }

    #[test]
    fn date_ranges_cover_whole_days() {
        let at = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc)
        };
        let google = covered_days(at("2024-02-17T00:00:00Z"), at("2024-02-17T23:59:59Z"));
        assert_eq!(google, ("2024-02-17".into(), "2024-02-17".into(), 1));
        let mail_ru = covered_days(at("2024-02-22T00:00:00Z"), at("2024-02-23T00:00:00Z"));
        assert_eq!(mail_ru, ("2024-02-22".into(), "2024-02-22".into(), 1));
        let span = covered_days(at("2016-04-01T00:00:00Z"), at("2026-02-09T00:00:00Z"));
        assert_eq!(span, ("2016-04-01".into(), "2026-02-08".into(), 3601));
        let backwards = covered_days(at("2024-02-17T00:00:00Z"), at("2024-02-16T00:00:00Z"));
        assert_eq!(backwards.2, 1);
    }
}
