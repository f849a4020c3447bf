//! The RFC 8460 report model, and a tolerant reader for the JSON that real providers send.
//!
//! Every field is optional where providers are known to omit it; values of an unexpected shape
//! are read where their meaning is clear and otherwise noted, never dropped silently: each
//! [`Report`] carries `notes` that say what was unusual about it, and unknown keys are kept in
//! `extra` maps.

mod fields;
pub mod instant;
mod name;
pub mod names;
mod parse;
pub mod policy_text;
mod result_type;
mod timestamp;
mod zoneless;

pub use fields::{MAX_LIST_ITEMS, MAX_POLICY_STRING, MAX_TEXT};
pub use name::{Name, NameTable};
pub use parse::{parse_report, ParseError};
pub use result_type::{ResultCategory, ResultType, REGISTERED_RESULT_TYPES};
pub use timestamp::Timestamp;

use crate::text::add_counts;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// One SMTP TLS report, as sent by one reporting organisation for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Report {
    pub organization_name: Option<Name>,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    pub contact_info: Option<Name>,
    pub report_id: Option<String>,
    pub policies: Vec<PolicyEntry>,
    /// Top-level keys that RFC 8460 does not define, kept verbatim.
    pub extra: Map<String, Value>,
    /// What was unusual about this report and how it was read, in plain language.
    pub notes: Vec<String>,
    /// The texts shown with their direction controls made visible, each with the text as
    /// given, so that the JSON export can write them as the report did.
    #[serde(skip)]
    pub given_texts: Vec<GivenText>,
}

/// A text of a report as shown ("[U+202E]moc.elgoog") and as given ("\u{202E}moc.elgoog").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenText {
    pub shown: String,
    pub given: String,
}

impl Report {
    /// Makes every name of the report share the table's copy of it: its organisation, contact
    /// and timestamps as written, and each entry's policy strings, policy domain, MX hosts,
    /// result types, addresses and HELO names.
    pub fn intern_names(&mut self, table: &mut NameTable) {
        fn intern(table: &mut NameTable, name: &mut Option<Name>) {
            if let Some(name) = name {
                table.intern(name);
            }
        }
        intern(table, &mut self.organization_name);
        intern(table, &mut self.contact_info);
        for timestamp in [&mut self.start, &mut self.end].into_iter().flatten() {
            table.intern(&mut timestamp.raw);
        }
        for entry in &mut self.policies {
            for text in &mut entry.policy_strings {
                table.intern(text);
            }
            intern(table, &mut entry.policy_domain);
            for host in &mut entry.mx_hosts {
                table.intern(host);
            }
            for detail in &mut entry.failure_details {
                intern(table, &mut detail.sending_mta_ip);
                intern(table, &mut detail.sending_ip_text);
                intern(table, &mut detail.receiving_mx_hostname);
                intern(table, &mut detail.receiving_mx_helo);
                intern(table, &mut detail.receiving_ip);
            }
        }
    }

    /// The UTC day the report's period starts, "2024-02-22", when it gives one.
    pub fn start_day(&self) -> Option<crate::text::Day> {
        self.start
            .as_ref()
            .and_then(|t| t.utc)
            .map(|instant| crate::text::Day::new(instant.date_naive()))
    }
}

/// The kind of policy a sender applied to a recipient domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PolicyType {
    Sts,
    Tlsa,
    NoPolicyFound,
    /// A value outside RFC 8460, kept verbatim.
    Other(String),
}

impl PolicyType {
    pub fn from_text(text: &str) -> Self {
        match text.trim().to_ascii_lowercase().as_str() {
            "sts" => PolicyType::Sts,
            "tlsa" => PolicyType::Tlsa,
            "no-policy-found" => PolicyType::NoPolicyFound,
            _ => PolicyType::Other(text.to_string()),
        }
    }

    /// The name as RFC 8460 spells it (or the verbatim unknown value).
    pub fn as_str(&self) -> &str {
        match self {
            PolicyType::Sts => "sts",
            PolicyType::Tlsa => "tlsa",
            PolicyType::NoPolicyFound => "no-policy-found",
            PolicyType::Other(text) => text,
        }
    }
}

/// One entry of a report's `policies` array: the policy applied, its session counts and the
/// failures behind them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PolicyEntry {
    pub policy_type: PolicyType,
    /// The policy lines (MTA-STS) or TLSA records, with Microsoft's JSON-in-a-string form expanded.
    pub policy_strings: Vec<Name>,
    pub policy_domain: Option<Name>,
    pub mx_hosts: Vec<Name>,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    pub failure_details: Vec<FailureDetail>,
    /// Keys of the entry, its `policy` and its `summary` objects that RFC 8460 does not define.
    pub extra: Map<String, Value>,
}

impl PolicyEntry {
    pub fn total_sessions(&self) -> u64 {
        add_counts(self.successful_sessions, self.failed_sessions)
    }

    /// The sum of `failed-session-count` over the failure details.
    pub fn itemised_failures(&self) -> u64 {
        self.failure_details
            .iter()
            .fold(0u64, |sum, d| add_counts(sum, d.failed_session_count))
    }

    /// How many more sessions the failure details count than the summary, from their exact
    /// sum: a sum past [`MAX_COUNT`](crate::text::MAX_COUNT) still shows that it exceeds a
    /// summary at the cap (the result stops at the cap).
    pub fn excess_itemised_failures(&self) -> u64 {
        let exact: u128 = self
            .failure_details
            .iter()
            .map(|d| u128::from(d.failed_session_count))
            .sum();
        let excess = exact.saturating_sub(u128::from(self.failed_sessions));
        u64::try_from(excess).map_or(crate::text::MAX_COUNT, |excess| add_counts(excess, 0))
    }
}

/// One row of `failure-details`. Written without `sending_ip`, and read back through
/// [`FailureDetailFields`], which reads it again from `sending_mta_ip`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", from = "FailureDetailFields")]
pub struct FailureDetail {
    /// Kept verbatim when outside the registry: it can grow and senders invent values.
    pub result_type: ResultType,
    /// As given; and read as an address once, here (None when absent or not an address:
    /// the report's notes say so).
    pub sending_mta_ip: Option<Name>,
    #[serde(skip)]
    pub sending_ip: Option<std::net::IpAddr>,
    /// The address's own text ("2001:db8::1") where the report wrote it another way
    /// ("2001:DB8:0::1", " 192.0.2.1"): see [`FailureDetail::sending_ip_key`].
    #[serde(skip)]
    pub sending_ip_text: Option<Name>,
    pub receiving_mx_hostname: Option<Name>,
    pub receiving_mx_helo: Option<Name>,
    pub receiving_ip: Option<Name>,
    pub failed_session_count: u64,
    pub additional_information: Option<String>,
    pub failure_reason_code: Option<String>,
    pub extra: Map<String, Value>,
}

impl FailureDetail {
    /// The sending IP as the tallies count it: an address by its own text, so that one
    /// address written two ways is one row (in the same order as the text, which is
    /// `summarize`'s); text that is not an address, as given.
    pub fn sending_ip_key(&self) -> Option<&Name> {
        self.sending_ip_text
            .as_ref()
            .or(self.sending_mta_ip.as_ref())
    }
}

/// `sending-mta-ip` read as an address (once, when the report is read), and the address's
/// own text when the report wrote it otherwise.
pub fn read_sending_ip(given: Option<&str>) -> (Option<std::net::IpAddr>, Option<Name>) {
    let Some(address) = given.and_then(|given| given.trim().parse::<std::net::IpAddr>().ok())
    else {
        return (None, None);
    };
    let text = address.to_string();
    let other = (Some(text.as_str()) != given).then(|| Name::from(text));
    (Some(address), other)
}

/// A [`FailureDetail`] as written: every field but the address read from the text.
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FailureDetailFields {
    result_type: ResultType,
    sending_mta_ip: Option<Name>,
    receiving_mx_hostname: Option<Name>,
    receiving_mx_helo: Option<Name>,
    receiving_ip: Option<Name>,
    failed_session_count: u64,
    additional_information: Option<String>,
    failure_reason_code: Option<String>,
    extra: Map<String, Value>,
}

impl From<FailureDetailFields> for FailureDetail {
    fn from(fields: FailureDetailFields) -> Self {
        let (sending_ip, sending_ip_text) = read_sending_ip(fields.sending_mta_ip.as_deref());
        FailureDetail {
            sending_ip,
            sending_ip_text,
            result_type: fields.result_type,
            sending_mta_ip: fields.sending_mta_ip,
            receiving_mx_hostname: fields.receiving_mx_hostname,
            receiving_mx_helo: fields.receiving_mx_helo,
            receiving_ip: fields.receiving_ip,
            failed_session_count: fields.failed_session_count,
            additional_information: fields.additional_information,
            failure_reason_code: fields.failure_reason_code,
            extra: fields.extra,
        }
    }
}
