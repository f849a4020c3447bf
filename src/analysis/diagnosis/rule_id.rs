//! The rules' ids: one variant per rule, written as the stable text the exports, the page and
//! the README use ("result/certificate-expired", "sts/mode-none"). They sort by that text.

use crate::report::ResultType;
use serde::{Deserialize, Serialize};

/// Which family a rule belongs to: the part of its id before the "/".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuleFamily {
    Result,
    Sts,
    Tlsa,
    Policy,
    Time,
    Data,
    Other,
}

/// A rule's id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(from = "String", into = "String")]
pub enum RuleId {
    /// A registered result type's failures ("result/certificate-expired").
    Result(ResultType),
    ResultUnknownType,
    ResultWithoutDetails,
    StsModeNone,
    StsReadyToEnforce,
    StsMaxAgeShort,
    StsMaxAgeTooLong,
    StsMxNotInPolicy,
    StsPolicyDiffers,
    TlsaRecordMalformed,
    PolicyNotFoundBySome,
    TimeReporterStopped,
    TimeFailureSpike,
    TimeNewResultType,
    /// The rules over time, grouped as one finding per domain.
    TimeChanges,
    DataDetailsExceedSummary,
    DataTimestampsWithoutZone,
    DataDateOutOfRange,
    DataReportIdReused,
    DataNoPolicyDomain,
    /// An id this version does not know (read back from elsewhere), kept as given.
    Other(String),
}

/// The ids that are one fixed text each (every one but a result type's and `Other`).
const FIXED: [(RuleId, &str); 19] = [
    (RuleId::ResultUnknownType, "result/unknown-type"),
    (RuleId::ResultWithoutDetails, "result/without-details"),
    (RuleId::StsModeNone, "sts/mode-none"),
    (RuleId::StsReadyToEnforce, "sts/ready-to-enforce"),
    (RuleId::StsMaxAgeShort, "sts/max-age-short"),
    (RuleId::StsMaxAgeTooLong, "sts/max-age-too-long"),
    (RuleId::StsMxNotInPolicy, "sts/mx-not-in-policy"),
    (RuleId::StsPolicyDiffers, "sts/policy-differs"),
    (RuleId::TlsaRecordMalformed, "tlsa/record-malformed"),
    (RuleId::PolicyNotFoundBySome, "policy/not-found-by-some"),
    (RuleId::TimeReporterStopped, "time/reporter-stopped"),
    (RuleId::TimeFailureSpike, "time/failure-spike"),
    (RuleId::TimeNewResultType, "time/new-result-type"),
    (RuleId::TimeChanges, "time/changes"),
    (
        RuleId::DataDetailsExceedSummary,
        "data/details-exceed-summary",
    ),
    (
        RuleId::DataTimestampsWithoutZone,
        "data/timestamps-without-zone",
    ),
    (RuleId::DataDateOutOfRange, "data/date-out-of-range"),
    (RuleId::DataReportIdReused, "data/report-id-reused"),
    (RuleId::DataNoPolicyDomain, "data/no-policy-domain"),
];

impl RuleId {
    /// The rule for failures of `result_type`: its own for a registered type, else
    /// `result/unknown-type`.
    pub fn for_result(result_type: ResultType) -> Self {
        match result_type {
            ResultType::Other(_) => RuleId::ResultUnknownType,
            known => RuleId::Result(known),
        }
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        match self {
            RuleId::Result(result_type) => match result_type {
                ResultType::StarttlsNotSupported => "result/starttls-not-supported",
                ResultType::CertificateHostMismatch => "result/certificate-host-mismatch",
                ResultType::CertificateExpired => "result/certificate-expired",
                ResultType::CertificateNotTrusted => "result/certificate-not-trusted",
                ResultType::ValidationFailure => "result/validation-failure",
                ResultType::TlsaInvalid => "result/tlsa-invalid",
                ResultType::DnssecInvalid => "result/dnssec-invalid",
                ResultType::DaneRequired => "result/dane-required",
                ResultType::StsPolicyFetchError => "result/sts-policy-fetch-error",
                ResultType::StsPolicyInvalid => "result/sts-policy-invalid",
                ResultType::StsWebpkiInvalid => "result/sts-webpki-invalid",
                ResultType::Other(_) => "result/unknown-type",
            },
            RuleId::Other(text) => text,
            fixed => FIXED
                .iter()
                .find(|(id, _)| id == fixed)
                .map_or("", |(_, text)| text),
        }
    }

    pub fn family(&self) -> RuleFamily {
        match self.as_str().split('/').next() {
            Some("result") => RuleFamily::Result,
            Some("sts") => RuleFamily::Sts,
            Some("tlsa") => RuleFamily::Tlsa,
            Some("policy") => RuleFamily::Policy,
            Some("time") => RuleFamily::Time,
            Some("data") => RuleFamily::Data,
            _ => RuleFamily::Other,
        }
    }

    /// Whether its fault is the domain's policy host rather than the receiving MX hosts (such
    /// findings are never grouped across domains).
    pub fn is_policy_host(&self) -> bool {
        matches!(
            self,
            RuleId::Result(
                ResultType::StsPolicyFetchError
                    | ResultType::StsPolicyInvalid
                    | ResultType::StsWebpkiInvalid
            )
        )
    }

    /// What the rule finds, in a few words, for a group across domains.
    pub fn label(&self) -> String {
        let fixed = match self {
            RuleId::Result(result_type) => return format!("Failures of type {result_type}"),
            RuleId::ResultUnknownType => "Failures of an unregistered type",
            RuleId::ResultWithoutDetails => "Failed sessions without failure details",
            RuleId::TimeChanges => "Changes over time",
            RuleId::TimeReporterStopped => "Reporters that stopped reporting",
            RuleId::TimeFailureSpike => "Days when failures jumped",
            RuleId::TimeNewResultType => "Result types that began partway",
            RuleId::StsModeNone => "MTA-STS policy switched off (mode: none)",
            RuleId::StsReadyToEnforce => "MTA-STS policy ready to enforce",
            RuleId::StsMaxAgeShort => "MTA-STS max_age under a day",
            RuleId::StsMaxAgeTooLong => "MTA-STS max_age over a year",
            RuleId::StsMxNotInPolicy => "MX hosts the MTA-STS policy does not name",
            RuleId::StsPolicyDiffers => "Senders saw different MTA-STS policies",
            RuleId::TlsaRecordMalformed => "Malformed TLSA records",
            RuleId::PolicyNotFoundBySome => "Policy not found by some senders",
            RuleId::DataDetailsExceedSummary => {
                "Reports that itemise more failures than they count"
            }
            RuleId::DataTimestampsWithoutZone => "Reports with times without a time zone",
            RuleId::DataReportIdReused => "Report ids reused with other content",
            RuleId::DataNoPolicyDomain => "Policy entries that name no policy domain",
            RuleId::DataDateOutOfRange | RuleId::Other(_) => return self.as_str().to_string(),
        };
        fixed.to_string()
    }
}

impl From<String> for RuleId {
    fn from(text: String) -> Self {
        if let Some((id, _)) = FIXED.iter().find(|(_, fixed)| *fixed == text) {
            return id.clone();
        }
        match text.strip_prefix("result/").map(ResultType::from_text) {
            Some(result_type) if result_type.is_registered() => RuleId::Result(result_type),
            _ => RuleId::Other(text),
        }
    }
}

impl From<RuleId> for String {
    fn from(id: RuleId) -> Self {
        id.as_str().to_string()
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, out: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        out.write_str(self.as_str())
    }
}

/// Ids sort by their text, as they always have (the findings' order depends on it).
impl Ord for RuleId {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl PartialOrd for RuleId {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq<str> for RuleId {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for RuleId {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::REGISTERED_RESULT_TYPES;

    #[test]
    fn every_id_reads_back_from_its_text() {
        let mut all: Vec<RuleId> = FIXED.iter().map(|(id, _)| id.clone()).collect();
        all.extend(REGISTERED_RESULT_TYPES.iter().cloned().map(RuleId::Result));
        for id in all {
            assert_eq!(RuleId::from(id.to_string()), id, "{id}");
            assert_ne!(id.family(), RuleFamily::Other, "{id}");
        }
        assert_eq!(
            RuleId::for_result(ResultType::from_text("made-up")),
            RuleId::ResultUnknownType
        );
        assert_eq!(
            RuleId::from("x/y".to_string()),
            RuleId::Other("x/y".to_string())
        );
        assert!(RuleId::Result(ResultType::StsPolicyInvalid).is_policy_host());
        assert!(!RuleId::Result(ResultType::CertificateExpired).is_policy_host());
    }
}
