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

/// What a result type means, in a sentence, for tooltips and legends.
pub fn result_type_meaning(result_type: &str) -> &'static str {
    match result_type {
        "starttls-not-supported" => "The MX did not offer STARTTLS, or something on the path stripped it.",
        "certificate-host-mismatch" => "The MX's certificate does not name the MX hostname.",
        "certificate-expired" => "The MX's certificate has expired.",
        "certificate-not-trusted" => "The MX's certificate does not chain to a trusted root.",
        "validation-failure" => "The MX's certificate failed validation for another reason.",
        "tlsa-invalid" => "The TLSA records of the MX are invalid or do not match its certificate.",
        "dnssec-invalid" => "DNSSEC validation of the MX's records failed.",
        "dane-required" => "DANE is required but the sender could not use it.",
        "sts-policy-fetch-error" => "The MTA-STS policy could not be fetched from https://mta-sts.<domain>/.well-known/mta-sts.txt.",
        "sts-policy-invalid" => "The MTA-STS policy was fetched but could not be parsed.",
        "sts-webpki-invalid" => "The certificate of the MTA-STS policy host failed validation.",
        _ => "Not a registered result type: shown as the report gives it.",
    }
}
