//! Counts and days: the one cap every session count and sum holds to, and how counts and days
//! are written for people (thousands separators, plurals, "2024-02-22"). The bottom layer:
//! every other layer may use it, and it uses none of them.

use chrono::{DateTime, NaiveDate, Timelike, Utc};

/// The UTC day of an instant, "2024-02-22". (Written by hand rather than with chrono's
/// `format`: its format-string machinery is a sizeable part of the wasm.)
pub fn day(instant: DateTime<Utc>) -> String {
    Day(instant.date_naive()).to_string()
}

/// An instant to the second, "2024-02-22 13:05:09".
pub fn day_and_time(instant: DateTime<Utc>) -> String {
    let time = instant.time();
    format!(
        "{} {:02}:{:02}:{:02}",
        instant.date_naive(),
        time.hour(),
        time.minute(),
        time.second()
    )
}

/// "2024-02-22" (or "2024-2-2") to a date; anything else, including an impossible date, is
/// `None`.
pub fn parse_day(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('-');
    let mut number = |widths| digits::<u32>(parts.next()?, widths);
    let (year, month, day) = (number(4..=4)?, number(1..=2)?, number(1..=2)?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// A calendar day (UTC): the day a report's period starts, a day of the timeline, the ends of
/// a filter's period. Read once from its text, compared and counted as a date, and written
/// back as chrono writes a date ("2024-02-22"; "+10000-01-01" past year 9999), which is also
/// how it crosses to the page and appears in `summarize`'s JSON and the CSVs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Day(NaiveDate);

impl Day {
    pub fn new(date: NaiveDate) -> Self {
        Day(date)
    }

    /// "2024-02-22", or a day as [`Day`] writes it past year 9999 ("+10000-01-01"); anything
    /// else is `None`.
    pub fn parse(text: &str) -> Option<Day> {
        if let Some(date) = parse_day(text) {
            return Some(Day(date));
        }
        // chrono's form of a year outside 0 to 9999: a sign, then five digits or more.
        let (sign, rest) = match text.as_bytes().first()? {
            b'+' => (1, &text[1..]),
            b'-' => (-1, &text[1..]),
            _ => return None,
        };
        let mut parts = rest.split('-');
        let year: i32 = digits(parts.next()?, 4..=6)?;
        let month = digits(parts.next()?, 2..=2)?;
        let day = digits(parts.next()?, 2..=2)?;
        if parts.next().is_some() {
            return None;
        }
        NaiveDate::from_ymd_opt(sign * year, month, day).map(Day)
    }

    pub fn date(self) -> NaiveDate {
        self.0
    }

    /// Days since 1 January of year 1 (counting on from it): for spans and bins.
    pub fn number(self) -> i64 {
        use chrono::Datelike;
        i64::from(self.0.num_days_from_ce())
    }
}

impl std::fmt::Display for Day {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(&self.0, out)
    }
}

impl From<NaiveDate> for Day {
    fn from(date: NaiveDate) -> Self {
        Day(date)
    }
}

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        out.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(input: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(input)?;
        Day::parse(&text).ok_or_else(|| serde::de::Error::custom("not a day (YYYY-MM-DD)"))
    }
}

/// The text with a full stop at its end, unless it ends with one already (a sentence that
/// ends on "Google Inc." takes no other).
pub fn full_stop(mut text: String) -> String {
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// A number written with plain ASCII digits only (no sign, no space), as many as `widths`
/// allows: the fields of a day or an instant.
pub fn digits<T: std::str::FromStr>(
    text: &str,
    widths: std::ops::RangeInclusive<usize>,
) -> Option<T> {
    let plain = widths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    plain.then(|| text.parse().ok()).flatten()
}

/// The most sessions a count, or a sum of counts, holds: the largest whole number a
/// JavaScript number keeps exactly (2^53 − 1). A report that gives more is read as this, with
/// a note; a sum stops here rather than wrap; and a figure at the cap is written "(capped)".
pub const MAX_COUNT: u64 = (1 << 53) - 1;

/// `a + b` for session counts: it stops at [`MAX_COUNT`].
pub fn add_counts(a: u64, b: u64) -> u64 {
    a.saturating_add(b).min(MAX_COUNT)
}

/// 5326 → "5,326"; a count at [`MAX_COUNT`] or over says it is capped.
pub fn thousands(value: u64) -> String {
    if value >= MAX_COUNT {
        return format!("{} (capped)", separated(value));
    }
    separated(value)
}

fn separated(value: u64) -> String {
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

/// The longest name or text the app reads from a report, an email header, a file or an
/// archive entry, in characters: far above anything real (a DNS name has at most 253), and
/// short enough that a forged 15 MB name is not repeated in every view model.
pub const MAX_TEXT: usize = 1024;

/// The text cut to its first `max` characters and an ellipsis, or `None` when it fits.
pub fn cut(text: &str, max: usize) -> Option<String> {
    let (end, _) = text.char_indices().nth(max)?;
    let mut cut = String::with_capacity(end + 3);
    cut.push_str(&text[..end]);
    cut.push('…');
    Some(cut)
}

/// Text from a report or an email with its direction controls made visible: a right-to-left
/// override (U+202E) and the other bidirectional controls would let a forged name show as
/// something else ("moc.elgoog" as "google.com"), on the page and in a spreadsheet. Each is
/// written as "[U+202E]".
pub fn visible_controls(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(is_direction_control) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if is_direction_control(c) {
                format!("[U+{:04X}]", c as u32)
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// The Unicode bidirectional controls (UAX #9): marks, embeddings, overrides and isolates.
pub fn is_direction_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// The app's own English text with its first letter a capital ("each MX host…" → "Each MX
/// host…"). ASCII only: Unicode's case tables would add 15 KB to the worker for no text of
/// ours.
pub fn capitalised(text: &str) -> String {
    let mut text = text.to_string();
    if let Some(first) = text.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    text
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
    #[test]
    fn a_day_is_written_as_chrono_writes_a_date_and_read_back() {
        use super::Day;
        use chrono::NaiveDate;
        for (year, text) in [
            (2024, "2024-02-22"),
            (10000, "+10000-02-22"),
            (-1, "-0001-02-22"),
        ] {
            let day = Day::new(NaiveDate::from_ymd_opt(year, 2, 22).unwrap());
            assert_eq!(day.to_string(), text);
            assert_eq!(day.to_string(), day.date().to_string());
            assert_eq!(Day::parse(text), Some(day));
            let json = serde_json::to_string(&day).unwrap();
            assert_eq!(json, format!("\"{text}\""));
            assert_eq!(serde_json::from_str::<Day>(&json).unwrap(), day);
        }
        for wrong in [
            "2024-02-30",
            "24-02-22",
            "+2024-2-22",
            "2024-02-22x",
            "",
            "+",
            "-1-01-01",
        ] {
            assert_eq!(Day::parse(wrong), None, "{wrong}");
        }
        assert!(serde_json::from_str::<Day>("\"2024-13-01\"").is_err());
    }

    use super::*;

    #[test]
    fn sessions_beyond_u32_are_written_whole() {
        assert_eq!(
            plural(5_000_000_000u64, "session", "sessions"),
            "5,000,000,000 sessions"
        );
        assert_eq!(plural(1usize, "report", "reports"), "1 report");
    }

    #[test]
    fn direction_controls_are_shown_not_obeyed() {
        assert_eq!(visible_controls("google.com"), "google.com");
        assert_eq!(visible_controls("\u{202E}moc.elgoog"), "[U+202E]moc.elgoog");
        let all = "\u{061C}\u{200E}\u{200F}\u{202A}\u{202B}\u{202C}\u{202D}\u{202E}\u{2066}\u{2067}\u{2068}\u{2069}";
        let shown = visible_controls(all);
        assert_eq!(shown.matches("[U+").count(), 12, "{shown}");
        assert!(!shown.chars().any(is_direction_control));
        // Right-to-left text itself is not a control: Arabic and Hebrew names stay as written.
        assert_eq!(visible_controls("بريد עברית"), "بريد עברית");
    }

    #[test]
    fn days_are_read_and_written_as_chrono_did() {
        let day = NaiveDate::from_ymd_opt(2024, 2, 9).unwrap();
        assert_eq!(parse_day("2024-02-09"), Some(day));
        assert_eq!(parse_day("2024-2-9"), Some(day));
        for wrong in [
            "",
            "2024",
            "2024-02",
            "2024-02-30",
            "2024-13-01",
            "24-02-09",
            "2024-02-09-1",
            "2024-02-0x",
            "+2024-02-09",
            "2024-002-09",
        ] {
            assert_eq!(parse_day(wrong), None, "{wrong}");
        }
        let instant = day.and_hms_opt(13, 5, 9).unwrap().and_utc();
        assert_eq!(super::day(instant), instant.format("%Y-%m-%d").to_string());
        assert_eq!(
            day_and_time(instant),
            instant.format("%Y-%m-%d %H:%M:%S").to_string()
        );
        let late = instant + chrono::TimeDelta::milliseconds(250);
        assert_eq!(day_and_time(late), "2024-02-09 13:05:09");
    }
}
