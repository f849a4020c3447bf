//! The zone-less timestamps a report may give, read exactly as chrono's `parse_from_str` reads
//! them with the formats "%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M" and "%Y-%m-%d": the text is
//! scanned here as chrono's `format::parse` scans those items, and chrono's own [`Parsed`]
//! checks each field and makes the date and time of them. chrono's generic parser (every
//! format item it knows, from RFC 2822 to weekday names) was some 16 KB of the worker's wasm
//! for these three formats; the tests compare the two on many texts.

use chrono::format::Parsed;
use chrono::{NaiveDate, NaiveDateTime};

/// "%Y-%m-%dT%H:%M:%S%.f", then "%Y-%m-%dT%H:%M", as `NaiveDateTime::parse_from_str` reads them.
pub fn date_time(text: &str) -> Option<NaiveDateTime> {
    [&WITH_SECONDS[..], WITH_MINUTES]
        .into_iter()
        .find_map(|steps| parsed(text, steps)?.to_naive_datetime_with_offset(0).ok())
}

/// "%Y-%m-%d", as `NaiveDate::parse_from_str` reads it.
pub fn date(text: &str) -> Option<NaiveDate> {
    parsed(text, DATE)?.to_naive_date().ok()
}

/// One item of a format: a number field, a literal, or the optional fraction of a second.
#[derive(Clone, Copy)]
enum Step {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    /// `%.f`: nothing, or "." and digits.
    Fraction,
    Literal(&'static str),
}

use Step::*;

/// "%Y-%m-%dT%H:%M:%S%.f"; its first 9 steps are "%Y-%m-%dT%H:%M", its first 5 "%Y-%m-%d".
const WITH_SECONDS: [Step; 12] = [
    Year,
    Literal("-"),
    Month,
    Literal("-"),
    Day,
    Literal("T"),
    Hour,
    Literal(":"),
    Minute,
    Literal(":"),
    Second,
    Fraction,
];
const WITH_MINUTES: &[Step] = WITH_SECONDS.split_at(9).0;
const DATE: &[Step] = WITH_SECONDS.split_at(5).0;

/// The fields of `text` read by `steps`, if every step reads and nothing is left over.
fn parsed(text: &str, steps: &[Step]) -> Option<Parsed> {
    let mut parsed = Parsed::new();
    let mut rest = text;
    for step in steps {
        rest = step.read(rest, &mut parsed)?;
    }
    rest.is_empty().then_some(parsed)
}

impl Step {
    /// Reads this item at the start of `text` into `parsed`; what follows it.
    fn read<'t>(self, text: &'t str, parsed: &mut Parsed) -> Option<&'t str> {
        match self {
            Literal(literal) => text.strip_prefix(literal),
            Fraction => match text.strip_prefix('.') {
                None => Some(text),
                Some(digits) => {
                    let (rest, nanoseconds) = fraction(digits)?;
                    parsed.set_nanosecond(nanoseconds).ok()?;
                    Some(rest)
                }
            },
            Year => {
                // chrono skips white space before a number; a sign allows any number of digits.
                let text = text.trim_start();
                let (rest, year) = match (text.strip_prefix('-'), text.strip_prefix('+')) {
                    (Some(digits), _) => {
                        let (rest, value) = number(digits, usize::MAX)?;
                        (rest, 0i64.checked_sub(value)?)
                    }
                    (None, Some(digits)) => number(digits, usize::MAX)?,
                    (None, None) => number(text, 4)?,
                };
                parsed.set_year(year).ok()?;
                Some(rest)
            }
            Month | Day | Hour | Minute | Second => {
                let (rest, value) = number(text.trim_start(), 2)?;
                let set = match self {
                    Month => Parsed::set_month,
                    Day => Parsed::set_day,
                    Hour => Parsed::set_hour,
                    Minute => Parsed::set_minute,
                    _ => Parsed::set_second,
                };
                set(parsed, value).ok()?;
                Some(rest)
            }
        }
    }
}

/// At least one and at most `max` ASCII digits, as a number (None when it overflows).
fn number(text: &str, max: usize) -> Option<(&str, i64)> {
    let digits = text
        .bytes()
        .take(max)
        .take_while(u8::is_ascii_digit)
        .count();
    if digits == 0 {
        return None;
    }
    let value = text[..digits].bytes().try_fold(0i64, |value, digit| {
        value.checked_mul(10)?.checked_add(i64::from(digit - b'0'))
    })?;
    Some((&text[digits..], value))
}

/// A fraction of a second as nanoseconds: its first nine digits count, the rest are skipped.
fn fraction(text: &str) -> Option<(&str, i64)> {
    let (rest, value) = number(text, 9)?;
    let digits = text.len() - rest.len();
    let nanoseconds = value * 10i64.pow(9 - digits as u32);
    Some((
        rest.trim_start_matches(|c: char| c.is_ascii_digit()),
        nanoseconds,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts around the three formats: signs, white space, short and long fields, fractions,
    /// out-of-range fields, leap seconds, impossible dates, and text left over.
    fn texts() -> Vec<String> {
        let years = [
            "2024",
            "24",
            "0",
            "99999",
            "+2024",
            "-44",
            "+",
            " 2024",
            "\u{3000}2024",
        ];
        let months = ["02", "2", "13", "00", " 3", "x"];
        let days = ["29", "30", "1", "31", "00", "4 "];
        let times = [
            "",
            "T23:59:59",
            "T23:59:60",
            "T24:00:00",
            "T1:2:3",
            "T12:30",
            "T12:30:",
            "T 7:05",
            "T12:30:45.5",
            "T12:30:45.123456789",
            "T12:30:45.1234567891234",
            "T12:30:45.",
            "T12:30:60.5",
            "T12:30:45Z",
            "t12:30:45",
            "T12:30:45.12x",
            "T12:30:45 ",
        ];
        let mut texts = Vec::new();
        for year in years {
            for month in months {
                for day in days {
                    for time in times {
                        texts.push(format!("{year}-{month}-{day}{time}"));
                    }
                }
            }
        }
        texts.extend(
            [
                "",
                "2024",
                "2024-02",
                "2024-02-",
                "9223372036854775808-01-01",
                "+9223372036854775807-01-01",
            ]
            .map(String::from),
        );
        texts
    }

    #[test]
    fn reads_as_chrono_reads() {
        let texts = texts();
        let read = |parse: fn(&str) -> bool| texts.iter().filter(|text| parse(text)).count();
        assert!(read(|text| date_time(text).is_some()) > 500);
        assert!(read(|text| date(text).is_some()) > 50);
        for text in texts.iter() {
            let chrono_time = ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"]
                .into_iter()
                .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok());
            assert_eq!(date_time(text), chrono_time, "{text:?}");
            let chrono_date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            assert_eq!(date(text), chrono_date, "{text:?}");
        }
    }
}
