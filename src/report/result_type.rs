//! The STARTTLS validation result types of the IANA registry that RFC 8460 set up (section
//! 4.3): each one's name, group and plain-language meaning in one place, and any other value
//! kept as the report gives it.

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

/// A result type: one of the registry's, or another value as given. Written, read and ordered
/// as its text, so that tallies keyed by it list types as they always have (A to Z) and the
/// JSON and the CSVs give the text the report gave.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ResultType {
    StarttlsNotSupported,
    CertificateHostMismatch,
    CertificateExpired,
    CertificateNotTrusted,
    ValidationFailure,
    TlsaInvalid,
    DnssecInvalid,
    DaneRequired,
    StsPolicyFetchError,
    StsPolicyInvalid,
    StsWebpkiInvalid,
    /// Not in the registry: the text as the report gives it.
    Other(String),
}

/// Every registered result type, in the registry's order.
pub const REGISTERED_RESULT_TYPES: [ResultType; 11] = [
    ResultType::StarttlsNotSupported,
    ResultType::CertificateHostMismatch,
    ResultType::CertificateExpired,
    ResultType::CertificateNotTrusted,
    ResultType::ValidationFailure,
    ResultType::TlsaInvalid,
    ResultType::DnssecInvalid,
    ResultType::DaneRequired,
    ResultType::StsPolicyFetchError,
    ResultType::StsPolicyInvalid,
    ResultType::StsWebpkiInvalid,
];

impl ResultType {
    /// The type a report's text names (the registry's spelling exactly; anything else is
    /// `Other`, kept as given).
    pub fn from_text(text: &str) -> Self {
        REGISTERED_RESULT_TYPES
            .iter()
            .find(|known| known.as_str() == text)
            .cloned()
            .unwrap_or_else(|| ResultType::Other(text.to_string()))
    }

    /// The name as the registry spells it, or the text as given.
    pub fn as_str(&self) -> &str {
        match self {
            ResultType::StarttlsNotSupported => "starttls-not-supported",
            ResultType::CertificateHostMismatch => "certificate-host-mismatch",
            ResultType::CertificateExpired => "certificate-expired",
            ResultType::CertificateNotTrusted => "certificate-not-trusted",
            ResultType::ValidationFailure => "validation-failure",
            ResultType::TlsaInvalid => "tlsa-invalid",
            ResultType::DnssecInvalid => "dnssec-invalid",
            ResultType::DaneRequired => "dane-required",
            ResultType::StsPolicyFetchError => "sts-policy-fetch-error",
            ResultType::StsPolicyInvalid => "sts-policy-invalid",
            ResultType::StsWebpkiInvalid => "sts-webpki-invalid",
            ResultType::Other(text) => text,
        }
    }

    /// Its group; `Unknown` for a value outside the registry.
    pub fn category(&self) -> ResultCategory {
        match self {
            ResultType::StarttlsNotSupported
            | ResultType::CertificateHostMismatch
            | ResultType::CertificateExpired
            | ResultType::CertificateNotTrusted
            | ResultType::ValidationFailure => ResultCategory::Negotiation,
            ResultType::TlsaInvalid | ResultType::DnssecInvalid | ResultType::DaneRequired => {
                ResultCategory::DanePolicy
            }
            ResultType::StsPolicyFetchError
            | ResultType::StsPolicyInvalid
            | ResultType::StsWebpkiInvalid => ResultCategory::StsPolicy,
            ResultType::Other(_) => ResultCategory::Unknown,
        }
    }

    pub fn is_registered(&self) -> bool {
        !matches!(self, ResultType::Other(_))
    }

    /// What it means, in a sentence, for tooltips and legends.
    pub fn meaning(&self) -> &'static str {
        match self {
            ResultType::StarttlsNotSupported => "The MX did not offer STARTTLS, or something on the path stripped it.",
            ResultType::CertificateHostMismatch => "The MX's certificate does not name the MX hostname.",
            ResultType::CertificateExpired => "The MX's certificate has expired.",
            ResultType::CertificateNotTrusted => "The MX's certificate does not chain to a trusted root.",
            ResultType::ValidationFailure => "The MX's certificate failed validation for another reason.",
            ResultType::TlsaInvalid => "The TLSA records of the MX are invalid or do not match its certificate.",
            ResultType::DnssecInvalid => "DNSSEC validation of the MX's records failed.",
            ResultType::DaneRequired => "DANE is required but the sender could not use it.",
            ResultType::StsPolicyFetchError => "The MTA-STS policy could not be fetched from https://mta-sts.<domain>/.well-known/mta-sts.txt.",
            ResultType::StsPolicyInvalid => "The MTA-STS policy was fetched but could not be parsed.",
            ResultType::StsWebpkiInvalid => "The certificate of the MTA-STS policy host failed validation.",
            ResultType::Other(_) => "Not a registered result type: shown as the report gives it.",
        }
    }

    /// Its place in the registry (each has a colour of its own on the page), or None.
    pub fn registry_index(&self) -> Option<usize> {
        REGISTERED_RESULT_TYPES
            .iter()
            .position(|known| known == self)
    }
}

impl Ord for ResultType {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for ResultType {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Serialize for ResultType {
    fn serialize<S: serde::Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ResultType {
    fn deserialize<D: serde::Deserializer<'de>>(input: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(input)?;
        Ok(ResultType::from_text(&text))
    }
}

impl std::fmt::Display for ResultType {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        out.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_type_reads_back_as_itself() {
        for known in &REGISTERED_RESULT_TYPES {
            assert_eq!(&ResultType::from_text(known.as_str()), known);
            assert_ne!(known.category(), ResultCategory::Unknown);
            assert!(!known.meaning().starts_with("Not a registered"));
        }
        let other = ResultType::from_text("Certificate-Expired ");
        assert_eq!(other, ResultType::Other("Certificate-Expired ".to_string()));
        assert_eq!(other.as_str(), "Certificate-Expired ");
        assert_eq!(other.category(), ResultCategory::Unknown);
        assert_eq!(other.registry_index(), None);
        assert_eq!(ResultType::CertificateExpired.registry_index(), Some(2));
    }
}
