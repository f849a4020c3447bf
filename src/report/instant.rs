//! Instants in messages and JSON: written by chrono ("2024-02-16T00:00:00Z", with a fraction
//! when there is one), read back by a small reader of exactly that form. chrono's own reader
//! brings its general parsing machinery into the page's wasm, which only ever reads what the
//! engine wrote. Use with `#[serde(default, with = "crate::report::instant")]` on an
//! `Option<DateTime<Utc>>`.

use crate::text::digits;
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub fn serialize<S: Serializer>(
    instant: &Option<DateTime<Utc>>,
    out: S,
) -> Result<S::Ok, S::Error> {
    instant.serialize(out)
}

pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(input)? {
        None => Ok(None),
        Some(text) => read(&text).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!("not an instant as written: {text:?}"))
        }),
    }
}

/// "[±]YYYY-MM-DDTHH:MM:SS[.fraction]Z" (or "+00:00" for the "Z") to an instant.
pub fn read(text: &str) -> Option<DateTime<Utc>> {
    let text = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix("+00:00"))?;
    let (date, time) = text.split_once('T')?;
    let (sign, date) = match date.as_bytes().first()? {
        b'+' => (1, &date[1..]),
        b'-' => (-1, &date[1..]),
        _ => (1, date),
    };
    let mut parts = date.split('-');
    let year: i32 = digits(parts.next()?, 4..=6)?;
    let month = digits(parts.next()?, 2..=2)?;
    let day = digits(parts.next()?, 2..=2)?;
    if parts.next().is_some() {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(sign * year, month, day)?;
    let (clock, fraction) = match time.split_once('.') {
        Some((clock, fraction)) => (clock, Some(fraction)),
        None => (time, None),
    };
    let mut fields = clock.split(':');
    let hour = digits(fields.next()?, 2..=2)?;
    let minute = digits(fields.next()?, 2..=2)?;
    let second = digits(fields.next()?, 2..=2)?;
    if fields.next().is_some() {
        return None;
    }
    let mut nanos = match fraction {
        None => 0,
        Some(fraction) => {
            let value: u32 = digits(fraction, 1..=9)?;
            value * 10u32.pow(9 - fraction.len() as u32)
        }
    };
    // chrono writes a leap second as second 60; it keeps it as second 59 plus a second.
    let second = match second {
        60 => {
            nanos += 1_000_000_000;
            59
        }
        second => second,
    };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)?;
    Some(date.and_time(time).and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeDelta;

    #[test]
    fn reads_back_every_instant_chrono_writes() {
        let mut instants = vec![
            DateTime::<Utc>::MIN_UTC,
            DateTime::<Utc>::MAX_UTC,
            DateTime::UNIX_EPOCH,
            NaiveDate::from_ymd_opt(10000, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                .and_utc(),
            NaiveDate::from_ymd_opt(-1, 12, 31)
                .unwrap()
                .and_hms_opt(23, 59, 59)
                .unwrap()
                .and_utc(),
            NaiveDate::from_ymd_opt(2016, 12, 31)
                .unwrap()
                .and_hms_milli_opt(23, 59, 59, 1500)
                .unwrap()
                .and_utc(),
        ];
        let mut instant = NaiveDate::from_ymd_opt(1990, 1, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap()
            .and_utc();
        for step in 0..5000i64 {
            instant +=
                TimeDelta::seconds(86_413 * 7 + step) + TimeDelta::nanoseconds(step * step * 1_013);
            instants.push(instant);
        }
        for instant in instants {
            let json = serde_json::to_string(&Some(instant)).unwrap();
            let back = deserialize(&mut serde_json::Deserializer::from_str(&json)).unwrap();
            assert_eq!(back, Some(instant), "{json}");
        }
        let none = deserialize(&mut serde_json::Deserializer::from_str("null")).unwrap();
        assert_eq!(none, None);
    }

    #[test]
    fn refuses_what_it_did_not_write() {
        for wrong in [
            "",
            "2024-02-16",
            "2024-02-16T00:00:00",
            "2024-02-16T00:00:00+01:00",
            "2024-02-16 00:00:00Z",
            "2024-02-30T00:00:00Z",
            "2024-02-16T24:00:00Z",
            "2024-02-16T00:00:00.Z",
            "2024-02-16T00:00:00.1234567890Z",
            "2024-2-16T00:00:00Z",
            "2024-02-16T00:00Z",
        ] {
            assert_eq!(read(wrong), None, "{wrong}");
        }
    }
}
