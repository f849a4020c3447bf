//! Report timestamps: RFC 3339 as the RFC asks, and the zone-less form Microsoft sends.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A timestamp as written in the report, with the instant it was read as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Timestamp {
    pub raw: super::Name,
    /// `None` when the text could not be read as a date and time.
    #[serde(default, with = "super::instant")]
    pub utc: Option<DateTime<Utc>>,
    /// True when the text had no time zone and was read as UTC.
    pub zone_assumed: bool,
}

impl Timestamp {
    pub fn parse(raw: &str) -> Self {
        let text = raw.trim();
        if let Ok(with_zone) = DateTime::parse_from_rfc3339(text) {
            return Self::read(raw, with_zone.with_timezone(&Utc), false);
        }
        // Lower-case separators and a space instead of "T" are allowed by RFC 3339's note.
        let normalised = text.replacen(' ', "T", 1).to_ascii_uppercase();
        if let Ok(with_zone) = DateTime::parse_from_rfc3339(&normalised) {
            return Self::read(raw, with_zone.with_timezone(&Utc), false);
        }
        if let Some(naive) = super::zoneless::date_time(&normalised) {
            return Self::read(raw, naive.and_utc(), true);
        }
        if let Some(date) = super::zoneless::date(text) {
            return Self::read(raw, date.and_time(chrono::NaiveTime::MIN).and_utc(), true);
        }
        Timestamp {
            raw: raw.into(),
            utc: None,
            zone_assumed: false,
        }
    }

    fn read(raw: &str, utc: DateTime<Utc>, zone_assumed: bool) -> Self {
        Timestamp {
            raw: raw.into(),
            utc: Some(utc),
            zone_assumed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc3339_with_zone_and_offset() {
        let z = Timestamp::parse("2024-02-16T00:00:00Z");
        assert_eq!(z.utc.unwrap().to_rfc3339(), "2024-02-16T00:00:00+00:00");
        assert!(!z.zone_assumed);
        let offset = Timestamp::parse("2024-02-16T02:00:00+02:00");
        assert_eq!(offset.utc, z.utc);
    }

    #[test]
    fn reads_microsoft_timestamps_without_zone_as_utc() {
        let t = Timestamp::parse("2024-03-26T23:59:59");
        assert_eq!(t.utc.unwrap().to_rfc3339(), "2024-03-26T23:59:59+00:00");
        assert!(t.zone_assumed);
    }

    #[test]
    fn keeps_unreadable_text() {
        let t = Timestamp::parse("yesterday");
        assert_eq!(t.utc, None);
        assert_eq!(t.raw, "yesterday");
    }
}
