//! Filters over the loaded reports: policy domain, date range, reporting organisation, policy
//! type, result type, sending IP or CIDR prefix, receiving MX host. A filter narrows the report
//! set before any view is computed, so it applies to every view at once. It reads from and
//! writes to the page's URL fragment, which carries the filters and never any report data.
//!
//! Reports break successful sessions down by policy only, never by result type, sending IP
//! or MX host. A filter on one of those three therefore keeps the matching failure details
//! only, and counts the failed sessions they give (and no successful sessions).

use crate::ingest::{LoadedReport, ReportSet};
use crate::report::{PolicyEntry, Report};
use chrono::NaiveDate;
use serde::Serialize;
use std::net::IpAddr;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub struct Filter {
    pub domain: Option<String>,
    /// First and last day (UTC) of the reports' periods, inclusive.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub organization: Option<String>,
    pub policy_type: Option<String>,
    pub result_type: Option<String>,
    /// An IP address, or a CIDR prefix such as "192.0.2.0/24".
    pub sending_ip: Option<String>,
    pub mx_host: Option<String>,
}

/// The fragment keys, in the order they are written.
const KEYS: [&str; 8] = [
    "domain", "from", "to", "org", "policy", "result", "ip", "mx",
];

impl Filter {
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
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

    /// Reads a fragment (with or without "#"); unknown keys and bad values are ignored.
    pub fn from_fragment(fragment: &str) -> Self {
        let mut filter = Filter::default();
        for pair in fragment.trim_start_matches('#').split('&') {
            let Some((key, value)) = pair.split_once('=') else {
                continue;
            };
            let value = decode(value);
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            let text = Some(value.to_string());
            match key {
                "domain" => filter.domain = text,
                "from" => filter.from = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok(),
                "to" => filter.to = NaiveDate::parse_from_str(value, "%Y-%m-%d").ok(),
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

    /// The reports that pass, narrowed to the matching policies and failure details. The
    /// result lists no inputs: the Inputs view always shows everything given.
    pub fn apply(&self, set: &ReportSet) -> ReportSet {
        if self.is_empty() {
            return set.clone();
        }
        let prefix = self.sending_ip.as_deref().map(IpPrefix::parse);
        let reports = set
            .reports
            .iter()
            .filter_map(|loaded| self.narrow(loaded, prefix.as_ref()))
            .collect();
        ReportSet::from_reports(reports)
    }

    fn narrow(
        &self,
        loaded: &LoadedReport,
        prefix: Option<&Option<IpPrefix>>,
    ) -> Option<LoadedReport> {
        let report = &loaded.report;
        if let Some(org) = &self.organization {
            if report.organization_name.as_deref() != Some(org.as_str()) {
                return None;
            }
        }
        if self.from.is_some() || self.to.is_some() {
            let day = report.start.as_ref().and_then(|t| t.utc)?.date_naive();
            if self.from.is_some_and(|from| day < from) || self.to.is_some_and(|to| day > to) {
                return None;
            }
        }
        let policies: Vec<PolicyEntry> = report
            .policies
            .iter()
            .filter(|entry| self.keeps_entry(entry))
            .filter_map(|entry| self.narrow_details(entry, prefix))
            .collect();
        if policies.is_empty() {
            return None;
        }
        Some(LoadedReport {
            report: Report {
                policies,
                ..report.clone()
            },
            ..loaded.clone()
        })
    }

    fn keeps_entry(&self, entry: &PolicyEntry) -> bool {
        let domain_ok = self.domain.as_ref().is_none_or(|wanted| {
            entry
                .policy_domain
                .as_deref()
                .is_some_and(|d| d.eq_ignore_ascii_case(wanted))
        });
        let type_ok = self
            .policy_type
            .as_ref()
            .is_none_or(|wanted| entry.policy_type.as_str() == wanted);
        domain_ok && type_ok
    }

    fn narrow_details(
        &self,
        entry: &PolicyEntry,
        prefix: Option<&Option<IpPrefix>>,
    ) -> Option<PolicyEntry> {
        if !self.narrows_details() {
            return Some(entry.clone());
        }
        let details: Vec<_> = entry
            .failure_details
            .iter()
            .filter(|d| {
                self.result_type
                    .as_ref()
                    .is_none_or(|t| &d.result_type == t)
            })
            .filter(|d| {
                self.mx_host.as_ref().is_none_or(|mx| {
                    d.receiving_mx_hostname.as_deref().is_some_and(|h| {
                        h.trim_end_matches('.')
                            .eq_ignore_ascii_case(mx.trim_end_matches('.'))
                    })
                })
            })
            .filter(|d| match prefix {
                None => true,
                Some(None) => false,
                Some(Some(prefix)) => d
                    .sending_mta_ip
                    .as_deref()
                    .and_then(|ip| ip.trim().parse::<IpAddr>().ok())
                    .is_some_and(|ip| prefix.contains(ip)),
            })
            .cloned()
            .collect();
        if details.is_empty() {
            return None;
        }
        let failed = details.iter().map(|d| d.failed_session_count).sum();
        Some(PolicyEntry {
            successful_sessions: 0,
            failed_sessions: failed,
            failure_details: details,
            ..entry.clone()
        })
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
