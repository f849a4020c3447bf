//! Filters over the loaded reports: policy domain, date range, reporting organisation, policy
//! type, result type, sending IP or CIDR prefix, receiving MX host. A filter narrows the report
//! set before any view is computed, so it applies to every view at once. It reads from and
//! writes a URL fragment (a link made on request; see `ui::filters`). `Filter::apply` (in
//! `select`) copies the reports that pass, for tests and tools.
//!
//! Reports break successful sessions down by policy only, never by result type, sending IP
//! or MX host. A filter on one of those three therefore keeps the matching failure details
//! only, and counts the failed sessions they give (and no successful sessions).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::net::IpAddr;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Filter {
    pub domain: Option<String>,
    /// First and last day (UTC) of the reports' periods, inclusive.
    #[serde(default, with = "day_text")]
    pub from: Option<NaiveDate>,
    #[serde(default, with = "day_text")]
    pub to: Option<NaiveDate>,
    pub organization: Option<String>,
    pub policy_type: Option<String>,
    pub result_type: Option<String>,
    /// An IP address, or a CIDR prefix such as "192.0.2.0/24".
    pub sending_ip: Option<String>,
    pub mx_host: Option<String>,
}

/// A day as "2024-02-22" in messages and JSON, read by `text::parse_day` (chrono's own
/// reader brings its format-string machinery into the page).
mod day_text {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(day: &Option<NaiveDate>, out: S) -> Result<S::Ok, S::Error> {
        match day {
            Some(day) => out.serialize_some(&day.to_string()),
            None => out.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(input)? {
            None => Ok(None),
            Some(text) => crate::text::parse_day(&text)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom("not a day (YYYY-MM-DD)")),
        }
    }
}

/// The fragment keys, in the order they are written.
const KEYS: [&str; 8] = [
    "domain", "from", "to", "org", "policy", "result", "ip", "mx",
];

impl Filter {
    /// Whether the filter names only what a whole report has (its organisation and its
    /// days), nothing of its policies: a report without policies can match it.
    pub fn keeps_whole_reports(&self) -> bool {
        self.domain.is_none()
            && self.policy_type.is_none()
            && self.result_type.is_none()
            && self.sending_ip.is_none()
            && self.mx_host.is_none()
    }

    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// Whether the filter narrows what a domain's reports say: anything but the domain itself
    /// (an organisation, days, a policy type, failure details).
    pub fn narrows_reports(&self) -> bool {
        *self
            != Filter {
                domain: self.domain.clone(),
                ..Filter::default()
            }
    }

    /// Whether the filter narrows failure details (and so drops successful sessions).
    pub fn narrows_details(&self) -> bool {
        self.result_type.is_some() || self.sending_ip.is_some() || self.mx_host.is_some()
    }

    /// "domain=example.com&from=2026-11-01" (no leading "#").
    pub fn to_fragment(&self) -> String {
        let from = self.from.map(|d| d.to_string());
        let to = self.to.map(|d| d.to_string());
        let values = [
            self.domain.as_deref(),
            from.as_deref(),
            to.as_deref(),
            self.organization.as_deref(),
            self.policy_type.as_deref(),
            self.result_type.as_deref(),
            self.sending_ip.as_deref(),
            self.mx_host.as_deref(),
        ];
        KEYS.iter()
            .zip(values)
            .filter_map(|(key, value)| value.map(|v| format!("{key}={}", encode(v))))
            .collect::<Vec<_>>()
            .join("&")
    }

    /// Reads a fragment (with or without "#"); unknown keys and bad values are ignored. Every
    /// value reads back exactly as [`Filter::to_fragment`] wrote it (an organisation named
    /// "Acme Corp " keeps its space), so a bookmarked filter shows what it showed.
    pub fn from_fragment(fragment: &str) -> Self {
        let mut filter = Filter::default();
        for pair in fragment.trim_start_matches('#').split('&') {
            let Some((key, value)) = pair.split_once('=') else {
                continue;
            };
            let value = decode(value);
            if value.is_empty() {
                continue;
            }
            let day = crate::text::parse_day(value.trim());
            let text = Some(value);
            match key {
                "domain" => filter.domain = text,
                "from" => filter.from = day,
                "to" => filter.to = day,
                "org" => filter.organization = text,
                "policy" => filter.policy_type = text,
                "result" => filter.result_type = text,
                "ip" => filter.sending_ip = text,
                "mx" => filter.mx_host = text,
                _ => {}
            }
        }
        filter
    }
}

/// An address with a prefix length: "192.0.2.0/24", "2001:db8::/32", or one address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpPrefix {
    address: IpAddr,
    bits: u8,
}

impl IpPrefix {
    /// None when the text is neither an address nor a prefix.
    pub fn parse(text: &str) -> Option<Self> {
        let (address, bits) = match text.trim().split_once('/') {
            Some((address, bits)) => (address, Some(bits.parse::<u8>().ok()?)),
            None => (text.trim(), None),
        };
        let address: IpAddr = address.parse().ok()?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        let bits = bits.unwrap_or(max);
        (bits <= max).then_some(IpPrefix { address, bits })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.address, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX.checked_shl(32 - u32::from(self.bits)).unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.bits))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~:/@".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (bytes[index], bytes.get(index + 1), bytes.get(index + 2)) {
            (b'%', Some(&h), Some(&l)) if hex(h).is_some() && hex(l).is_some() => {
                out.push((hex(h).unwrap_or(0) * 16 + hex(l).unwrap_or(0)) as u8);
                index += 3;
            }
            (b'+', _, _) => {
                out.push(b' ');
                index += 1;
            }
            (byte, _, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_round_trip() {
        let filter = Filter {
            domain: Some("example.com".into()),
            from: NaiveDate::from_ymd_opt(2026, 11, 1),
            organization: Some("Google Inc.".into()),
            sending_ip: Some("192.0.2.0/24".into()),
            ..Filter::default()
        };
        let fragment = filter.to_fragment();
        assert_eq!(
            fragment,
            "domain=example.com&from=2026-11-01&org=Google%20Inc.&ip=192.0.2.0/24"
        );
        assert_eq!(Filter::from_fragment(&format!("#{fragment}")), filter);
        assert_eq!(
            Filter::from_fragment("#from=not-a-date&bogus=1&org="),
            Filter::default()
        );
    }

    #[test]
    fn odd_values_round_trip_exactly() {
        let odd = [
            "Acme Corp ",
            " leading",
            "example.com.",
            "a&b=c#d%e+f?g/h",
            "100%",
            "C++ Mail",
            "Ünïcødé 邮件",
            "tab\there",
            "\u{202E}evil",
            "=HYPERLINK(1)",
            "+",
            "%2B",
        ];
        for value in odd {
            let filter = Filter {
                domain: Some(value.into()),
                organization: Some(value.into()),
                policy_type: Some(value.into()),
                result_type: Some(value.into()),
                sending_ip: Some(value.into()),
                mx_host: Some(value.into()),
                ..Filter::default()
            };
            let fragment = filter.to_fragment();
            assert_eq!(
                Filter::from_fragment(&fragment),
                filter,
                "{value:?} as {fragment}"
            );
            assert_eq!(Filter::from_fragment(&fragment).to_fragment(), fragment);
        }
    }

    #[test]
    fn prefixes() {
        let net = IpPrefix::parse("192.0.2.0/24").unwrap();
        assert!(net.contains("192.0.2.77".parse().unwrap()));
        assert!(!net.contains("192.0.3.1".parse().unwrap()));
        assert!(IpPrefix::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        let six = IpPrefix::parse("2001:db8::/32").unwrap();
        assert!(six.contains("2001:db8:1::5".parse().unwrap()));
        assert!(!six.contains("192.0.2.1".parse().unwrap()));
        assert_eq!(IpPrefix::parse("192.0.2.1/33"), None);
        assert_eq!(IpPrefix::parse("mx.example.com"), None);
        assert!(IpPrefix::parse("192.0.2.1")
            .unwrap()
            .contains("192.0.2.1".parse().unwrap()));
    }
}
