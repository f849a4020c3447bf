//! The STARTTLS validation result types of the IANA registry that RFC 8460 set up.

use serde::{Deserialize, Serialize};

/// The group a result type belongs to (RFC 8460, section 4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResultCategory {
    Negotiation,
    DanePolicy,
    StsPolicy,
    /// Not in the registry: shown verbatim.
    Unknown,
}

/// Every registered result type, with its group.
pub const KNOWN_RESULT_TYPES: [(&str, ResultCategory); 11] = [
    ("starttls-not-supported", ResultCategory::Negotiation),
    ("certificate-host-mismatch", ResultCategory::Negotiation),
    ("certificate-expired", ResultCategory::Negotiation),
    ("certificate-not-trusted", ResultCategory::Negotiation),
    ("validation-failure", ResultCategory::Negotiation),
    ("tlsa-invalid", ResultCategory::DanePolicy),
    ("dnssec-invalid", ResultCategory::DanePolicy),
    ("dane-required", ResultCategory::DanePolicy),
    ("sts-policy-fetch-error", ResultCategory::StsPolicy),
    ("sts-policy-invalid", ResultCategory::StsPolicy),
    ("sts-webpki-invalid", ResultCategory::StsPolicy),
];

/// The group of a result type as written in a report; unregistered values are `Unknown`.
pub fn result_type_category(result_type: &str) -> ResultCategory {
    KNOWN_RESULT_TYPES
        .iter()
        .find(|(name, _)| *name == result_type)
        .map_or(ResultCategory::Unknown, |(_, category)| *category)
}
