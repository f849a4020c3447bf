//! Rows for the engines operators already run (DuckDB, ClickHouse, BigQuery): schema v1, as
//! `docs/rows.md` describes it. A report gives one `tlsrpt_policy` row per policy (one row with
//! no policy when it has none, so that every report is counted) and one `tlsrpt_failure` row
//! per failure detail, which repeats its policy's key columns so that no join is needed. Field
//! names follow parsedmarc's where it has them. The `tlsrpt` command writes them as it reads
//! (see `cli::rows`), and the page exports the same rows for what it has loaded.

use crate::analysis::counted_entries;
use crate::report::policy_text::StsPolicy;
use crate::report::{PolicyType, Report, Timestamp};
use serde::Serialize;
use serde_json::{Map, Value};

/// The schema's version, written on every row.
pub const SCHEMA_VERSION: u32 = 1;

/// The two tables, by name.
pub const POLICY_TABLE: &str = "tlsrpt_policy";
pub const FAILURE_TABLE: &str = "tlsrpt_failure";

/// One report × policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyRow {
    pub schema_version: u32,
    pub report_key: String,
    pub organization_name: Option<String>,
    pub contact_info: Option<String>,
    pub report_id: Option<String>,
    pub begin_date: Option<String>,
    pub end_date: Option<String>,
    /// The policy's place in the report's `policies`, from 0; None on the one row of a report
    /// without policies.
    pub policy_index: Option<u32>,
    pub policy_domain: Option<String>,
    pub policy_type: Option<String>,
    pub policy_strings: Vec<String>,
    pub mx_host_patterns: Vec<String>,
    pub sts_mode: Option<String>,
    pub successful_session_count: u64,
    pub failed_session_count: u64,
    /// False for the policy that the tlsa-and-sts rule leaves out of the totals (see
    /// [`crate::analysis::COUNTING_RULE`]), and on a report's row without a policy.
    pub counted_in_totals: bool,
    pub source_name: String,
    /// Keys of the policy entry that RFC 8460 does not define, as a JSON object ("{}" if none).
    pub extra_json: String,
    /// Top-level keys of the report that RFC 8460 does not define, as a JSON object.
    pub report_extra_json: String,
}

/// One report × policy × failure detail.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FailureRow {
    pub schema_version: u32,
    pub report_key: String,
    pub organization_name: Option<String>,
    pub report_id: Option<String>,
    pub begin_date: Option<String>,
    pub end_date: Option<String>,
    pub policy_index: u32,
    pub policy_domain: Option<String>,
    pub policy_type: String,
    pub counted_in_totals: bool,
    pub source_name: String,
    pub detail_index: u32,
    pub result_type: String,
    /// This detail's count.
    pub failed_session_count: u64,
    pub sending_mta_ip: Option<String>,
    pub receiving_ip: Option<String>,
    pub receiving_mx_hostname: Option<String>,
    pub receiving_mx_helo: Option<String>,
    pub additional_info_uri: Option<String>,
    pub failure_reason_code: Option<String>,
    /// Keys of the detail that RFC 8460 does not define, as a JSON object ("{}" if none).
    pub extra_json: String,
}

/// A report's rows, `source` being where it was read ("inbox.mbox › message 3 › r.json.gz")
/// and `fingerprint` the hash of its content (which tells reports without a report-id apart).
pub fn report_rows(
    report: &Report,
    source: &str,
    fingerprint: u64,
) -> (Vec<PolicyRow>, Vec<FailureRow>) {
    let key = report_key(report, fingerprint);
    let organization_name = report.organization_name.as_deref().map(str::to_string);
    let begin_date = instant(report.start.as_ref());
    let end_date = instant(report.end.as_ref());
    let counted = counted_entries(report);
    let report_extra_json = json_object(&report.extra);
    let mut policies = Vec::with_capacity(report.policies.len().max(1));
    let mut failures = Vec::new();
    for (index, entry) in report.policies.iter().enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let counted_in_totals = counted.get(index as usize).copied().unwrap_or(true);
        let policy_domain = entry.policy_domain.as_deref().map(str::to_string);
        let strings: Vec<String> = entry.policy_strings.iter().map(|s| s.to_string()).collect();
        let sts_mode = (entry.policy_type == PolicyType::Sts)
            .then(|| StsPolicy::parse(&strings).mode)
            .flatten()
            .map(|mode| mode.as_str().to_string());
        for (detail_index, detail) in entry.failure_details.iter().enumerate() {
            failures.push(FailureRow {
                schema_version: SCHEMA_VERSION,
                report_key: key.clone(),
                organization_name: organization_name.clone(),
                report_id: report.report_id.clone(),
                begin_date: begin_date.clone(),
                end_date: end_date.clone(),
                policy_index: index,
                policy_domain: policy_domain.clone(),
                policy_type: entry.policy_type.as_str().to_string(),
                counted_in_totals,
                source_name: source.to_string(),
                detail_index: u32::try_from(detail_index).unwrap_or(u32::MAX),
                result_type: detail.result_type.as_str().to_string(),
                failed_session_count: detail.failed_session_count,
                sending_mta_ip: detail.sending_mta_ip.as_deref().map(str::to_string),
                receiving_ip: detail.receiving_ip.as_deref().map(str::to_string),
                receiving_mx_hostname: detail.receiving_mx_hostname.as_deref().map(str::to_string),
                receiving_mx_helo: detail.receiving_mx_helo.as_deref().map(str::to_string),
                additional_info_uri: detail.additional_information.clone(),
                failure_reason_code: detail.failure_reason_code.clone(),
                extra_json: json_object(&detail.extra),
            });
        }
        policies.push(PolicyRow {
            schema_version: SCHEMA_VERSION,
            report_key: key.clone(),
            organization_name: organization_name.clone(),
            contact_info: report.contact_info.as_deref().map(str::to_string),
            report_id: report.report_id.clone(),
            begin_date: begin_date.clone(),
            end_date: end_date.clone(),
            policy_index: Some(index),
            policy_domain,
            policy_type: Some(entry.policy_type.as_str().to_string()),
            policy_strings: strings,
            mx_host_patterns: entry.mx_hosts.iter().map(|h| h.to_string()).collect(),
            sts_mode,
            successful_session_count: entry.successful_sessions,
            failed_session_count: entry.failed_sessions,
            counted_in_totals,
            source_name: source.to_string(),
            extra_json: json_object(&entry.extra),
            report_extra_json: report_extra_json.clone(),
        });
    }
    if report.policies.is_empty() {
        policies.push(PolicyRow {
            schema_version: SCHEMA_VERSION,
            report_key: key,
            organization_name,
            contact_info: report.contact_info.as_deref().map(str::to_string),
            report_id: report.report_id.clone(),
            begin_date,
            end_date,
            policy_index: None,
            policy_domain: None,
            policy_type: None,
            policy_strings: Vec::new(),
            mx_host_patterns: Vec::new(),
            sts_mode: None,
            successful_session_count: 0,
            failed_session_count: 0,
            counted_in_totals: false,
            source_name: source.to_string(),
            extra_json: "{}".to_string(),
            report_extra_json,
        });
    }
    (policies, failures)
}

/// A UTC instant as RFC 3339 ("2026-03-01T00:00:00Z"); None when absent or not readable as
/// one (the engines' timestamp columns take nothing else).
fn instant(timestamp: Option<&Timestamp>) -> Option<String> {
    let utc = timestamp?.utc?;
    Some(utc.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
}

/// The instant, or the text as given when it is not readable as one: what the key hashes.
fn instant_or_text(timestamp: Option<&Timestamp>) -> Option<String> {
    instant(timestamp).or_else(|| timestamp.map(|t| t.raw.to_string()))
}

fn json_object(map: &Map<String, Value>) -> String {
    serde_json::to_string(map).unwrap_or_else(|_| "{}".to_string())
}

/// A hash of the organisation, the report-id (or, without one, the report's content, as the
/// viewer tells such reports apart) and the period (report-ids repeat across periods), as 32
/// hex digits: FNV-1a over 128 bits, the same on every platform and release.
pub fn report_key(report: &Report, fingerprint: u64) -> String {
    let mut hash = identity_fnv(report, fingerprint);
    hash.field(instant_or_text(report.start.as_ref()).as_deref());
    hash.field(instant_or_text(report.end.as_ref()).as_deref());
    format!("{:032x}", hash.0)
}

/// The viewer's identity of a report (organisation and report-id, or its content without an
/// id; see [`crate::ingest::identity`]) hashed to 128 bits: all a deduplication that keeps no
/// report needs to keep of it.
pub fn identity_hash(report: &Report, fingerprint: u64) -> u128 {
    identity_fnv(report, fingerprint).0
}

fn identity_fnv(report: &Report, fingerprint: u64) -> Fnv128 {
    let (organization, id) = crate::ingest::identity(report, fingerprint);
    let mut hash = Fnv128::new();
    hash.field(organization.as_deref());
    hash.field(Some(&id));
    hash
}

struct Fnv128(u128);

impl Fnv128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn new() -> Self {
        Fnv128(Self::OFFSET)
    }

    fn bytes(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u128::from(*byte);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    /// A field, told apart from an absent one and from its neighbours.
    fn field(&mut self, value: Option<&str>) {
        match value {
            Some(text) => {
                self.bytes(&[1]);
                self.bytes(text.as_bytes());
            }
            None => self.bytes(&[0]),
        }
        self.bytes(&[0xff]);
    }
}

/// Writes rows as NDJSON: one JSON object a line.
pub fn write_ndjson<W: std::io::Write, R: Serialize>(
    out: &mut W,
    rows: &[R],
) -> std::io::Result<()> {
    for row in rows {
        serde_json::to_writer(&mut *out, row)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The columns of each table, in order (the CSV header).
pub fn columns(table: &str) -> &'static [&'static str] {
    match table {
        FAILURE_TABLE => &[
            "schema_version",
            "report_key",
            "organization_name",
            "report_id",
            "begin_date",
            "end_date",
            "policy_index",
            "policy_domain",
            "policy_type",
            "counted_in_totals",
            "source_name",
            "detail_index",
            "result_type",
            "failed_session_count",
            "sending_mta_ip",
            "receiving_ip",
            "receiving_mx_hostname",
            "receiving_mx_helo",
            "additional_info_uri",
            "failure_reason_code",
            "extra_json",
        ],
        _ => &[
            "schema_version",
            "report_key",
            "organization_name",
            "contact_info",
            "report_id",
            "begin_date",
            "end_date",
            "policy_index",
            "policy_domain",
            "policy_type",
            "policy_strings",
            "mx_host_patterns",
            "sts_mode",
            "successful_session_count",
            "failed_session_count",
            "counted_in_totals",
            "source_name",
            "extra_json",
            "report_extra_json",
        ],
    }
}

/// A row's fields as CSV cells, in [`columns`] order: absent values are empty cells, lists are
/// JSON arrays, booleans `true`/`false`. For engines, not spreadsheets: cells are not guarded
/// against formulas (the page's own CSVs are).
pub fn csv_cells<R: Serialize>(row: &R, table: &str) -> Vec<String> {
    let Ok(Value::Object(mut fields)) = serde_json::to_value(row) else {
        return Vec::new();
    };
    // The object's keys come sorted: the cells follow the header's order instead.
    columns(table)
        .iter()
        .map(|column| match fields.remove(*column) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(text)) => text,
            Some(other) => other.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::parse_report;

    fn report(json: &str) -> Report {
        parse_report(json.as_bytes()).unwrap()
    }

    #[test]
    fn microsofts_two_policies_for_one_domain_count_once_and_details_keep_their_policy() {
        let r = report(
            r#"{"organization-name":"Microsoft Corporation","report-id":"r1",
            "date-range":{"start-datetime":"2026-03-01T00:00:00Z","end-datetime":"2026-03-01T23:59:59Z"},
            "x-vendor":"kept",
            "policies":[
              {"policy":{"policy-type":"tlsa","policy-domain":"Example.COM.","policy-string":["3 1 1 AB"]},
               "summary":{"total-successful-session-count":10,"total-failure-session-count":2},
               "failure-details":[{"result-type":"dane-required","failed-session-count":2,"receiving-mx-hostname":"mx.example.com","x-note":1}]},
              {"policy":{"policy-type":"sts","policy-domain":"example.com","policy-string":["version: STSv1","mode: enforce","mx: mx.example.com"],"mx-host":["mx.example.com"]},
               "summary":{"total-successful-session-count":10,"total-failure-session-count":2}}]}"#,
        );
        let (policies, failures) = report_rows(&r, "a.json", 1);
        assert_eq!(policies.len(), 2);
        assert_eq!(policies[0].policy_domain.as_deref(), Some("example.com"));
        assert!(policies[0].counted_in_totals, "tlsa wins the tie");
        assert!(!policies[1].counted_in_totals);
        assert_eq!(policies[1].sts_mode.as_deref(), Some("enforce"));
        assert_eq!(policies[1].mx_host_patterns, vec!["mx.example.com"]);
        assert_eq!(
            policies[0].begin_date.as_deref(),
            Some("2026-03-01T00:00:00Z")
        );
        assert_eq!(policies[0].report_extra_json, r#"{"x-vendor":"kept"}"#);
        assert_eq!(failures.len(), 1);
        assert_eq!(failures[0].policy_type, "tlsa");
        assert_eq!(failures[0].report_key, policies[0].report_key);
        assert_eq!(failures[0].extra_json, r#"{"x-note":1}"#);
        assert_eq!(failures[0].sending_mta_ip, None);
        // The CSV cells follow the columns, value for value.
        let cells = csv_cells(&policies[0], POLICY_TABLE);
        assert_eq!(cells.len(), columns(POLICY_TABLE).len());
        let cell = |name: &str| {
            &cells[columns(POLICY_TABLE)
                .iter()
                .position(|c| *c == name)
                .unwrap()]
        };
        assert_eq!(cell("report_key"), &policies[0].report_key);
        assert_eq!(cell("organization_name"), "Microsoft Corporation");
        assert_eq!(cell("policy_strings"), r#"["3 1 1 AB"]"#);
        assert_eq!(cell("counted_in_totals"), "true");
        assert_eq!(cell("sts_mode"), "");
        let cells = csv_cells(&failures[0], FAILURE_TABLE);
        assert_eq!(cells.len(), columns(FAILURE_TABLE).len());
        assert_eq!(cells[0], "1");
        assert_eq!(cells[1], failures[0].report_key);
        assert_eq!(cells[12], "dane-required");
    }

    #[test]
    fn a_report_without_policies_is_one_row_that_counts_nothing() {
        let r = report(r#"{"organization-name":"X","report-id":"empty","policies":[]}"#);
        let (policies, failures) = report_rows(&r, "e.json", 2);
        assert_eq!(policies.len(), 1);
        assert_eq!(policies[0].policy_index, None);
        assert!(!policies[0].counted_in_totals);
        assert!(failures.is_empty());
    }

    #[test]
    fn the_key_tells_periods_and_absent_fields_apart() {
        let one = report(
            r#"{"organization-name":"X","report-id":"1","date-range":{"start-datetime":"2026-03-01T00:00:00Z","end-datetime":"2026-03-01T23:59:59Z"},"policies":[]}"#,
        );
        let two = report(
            r#"{"organization-name":"X","report-id":"1","date-range":{"start-datetime":"2026-03-02T00:00:00Z","end-datetime":"2026-03-02T23:59:59Z"},"policies":[]}"#,
        );
        let none = report(r#"{"report-id":"X1","policies":[]}"#);
        let split = report(r#"{"organization-name":"X","report-id":"1","policies":[]}"#);
        let keys = [&one, &two, &none, &split].map(|r| report_key(r, 7));
        assert_eq!(keys[0].len(), 32);
        for i in 0..keys.len() {
            for j in i + 1..keys.len() {
                assert_ne!(keys[i], keys[j]);
            }
        }
        assert_eq!(
            report_key(&one, 7),
            report_key(&one.clone(), 8),
            "an id: content aside"
        );
        // Without a report-id, two reports are told apart by their content, as the viewer does.
        let no_id = report(r#"{"organization-name":"X","policies":[]}"#);
        assert_ne!(report_key(&no_id, 7), report_key(&no_id, 8));
    }
}
