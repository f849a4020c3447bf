//! From report bytes to a [`Report`]: JSON syntax first, then the RFC 8460 shape, tolerantly.

use super::fields::{describe, Notes, ObjectReader};
use super::{
    FailureDetail, GivenText, Name, PolicyEntry, PolicyType, Report, ResultType, Timestamp,
};
use serde::de::IgnoredAny;
use serde_json::{Map, Value};
use std::fmt;

/// Why a byte string is not a readable report. The text is meant for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseError {
    Empty,
    InvalidUtf8 {
        offset: usize,
    },
    Syntax {
        line: usize,
        column: usize,
        detail: String,
    },
    TooDeep,
    NotAReport {
        why: String,
    },
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ParseError::Empty => write!(f, "the file is empty"),
            ParseError::InvalidUtf8 { offset } => write!(
                f,
                "not valid UTF-8 text (bad byte at offset {offset}); a TLS-RPT report is UTF-8 JSON"
            ),
            ParseError::Syntax { line, column, detail } => {
                write!(
                    f,
                    "JSON syntax error at line {line}, column {column}: {detail}; the report is \
                     damaged or cut off: save or download it again"
                )
            }
            ParseError::TooDeep => write!(
                f,
                "JSON nested too deeply (over 128 levels); a TLS-RPT report is at most 5 levels deep"
            ),
            ParseError::NotAReport { why } => {
                write!(f, "valid JSON but not a TLS-RPT report: {why}")
            }
        }
    }
}

/// Reads one report from UTF-8 JSON bytes (a leading byte-order mark is allowed).
pub fn parse_report(bytes: &[u8]) -> Result<Report, ParseError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ParseError::Empty);
    }
    if let Err(error) = std::str::from_utf8(bytes) {
        return Err(ParseError::InvalidUtf8 {
            offset: error.valid_up_to(),
        });
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace()).copied();
    if first != Some(b'{') {
        // Check the syntax without building the value: a huge array of junk costs no memory.
        serde_json::from_slice::<IgnoredAny>(bytes).map_err(syntax_error)?;
        let value_kind = match first {
            Some(b'[') => "a list",
            Some(b'"') => "text",
            _ => "a single value",
        };
        return Err(ParseError::NotAReport {
            why: format!("the top level is {value_kind}; a report is an object"),
        });
    }
    let (value, repaired) = match serde_json::from_slice(bytes) {
        Ok(value) => (value, false),
        Err(error) => match without_lone_surrogates(bytes) {
            // RFC 8259 allows an escape of half a UTF-16 pair ("\ud800"), which no string
            // can hold: serde_json refuses the whole text. Read it with U+FFFD in its place.
            Some(repaired) => (
                serde_json::from_slice(&repaired).map_err(|_| syntax_error(error))?,
                true,
            ),
            None => return Err(syntax_error(error)),
        },
    };
    match value {
        Value::Object(map) => {
            let mut report = read_report(map)?;
            if repaired {
                report.notes.push(
                    "the JSON escapes half of a UTF-16 pair (such as \\ud800) that no text can \
                     hold; read as U+FFFD (�)"
                        .to_string(),
                );
            }
            Ok(report)
        }
        other => Err(ParseError::NotAReport {
            why: format!(
                "the top level is {}; a report is an object",
                describe(&other)
            ),
        }),
    }
}

/// The JSON text with every `\uXXXX` escape of an unpaired UTF-16 surrogate written as
/// `\ufffd` (the same length), or `None` when it has none.
fn without_lone_surrogates(bytes: &[u8]) -> Option<Vec<u8>> {
    fn escape_at(bytes: &[u8], at: usize) -> Option<u16> {
        let hex = bytes.get(at..at + 6)?;
        if hex[0] != b'\\' || hex[1] != b'u' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    }
    let mut out: Option<Vec<u8>> = None;
    let (mut at, mut in_string) = (0, false);
    while at < bytes.len() {
        match bytes[at] {
            b'"' => in_string = !in_string,
            b'\\' if in_string => {
                let Some(unit) = escape_at(bytes, at) else {
                    at += 2; // an escaped character, such as \\ or \"
                    continue;
                };
                let paired = (0xD800..0xDC00).contains(&unit)
                    && escape_at(bytes, at + 6).is_some_and(|low| (0xDC00..0xE000).contains(&low));
                if paired {
                    at += 12;
                    continue;
                }
                if (0xD800..0xE000).contains(&unit) {
                    out.get_or_insert_with(|| bytes.to_vec())[at..at + 6]
                        .copy_from_slice(b"\\ufffd");
                }
                at += 6;
                continue;
            }
            _ => {}
        }
        at += 1;
    }
    out
}

fn syntax_error(error: serde_json::Error) -> ParseError {
    let text = error.to_string();
    if text.contains("recursion limit exceeded") {
        return ParseError::TooDeep;
    }
    // serde_json appends " at line L column C"; we say it our way.
    let detail = text.split(" at line ").next().unwrap_or(&text).to_string();
    ParseError::Syntax {
        line: error.line(),
        column: error.column(),
        detail,
    }
}

fn read_report(map: Map<String, Value>) -> Result<Report, ParseError> {
    let mut notes = Notes::default();
    let mut top = ObjectReader::new(map, "", &mut notes);
    let policies = match top.take("policies") {
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(ParseError::NotAReport {
                why: format!("\"policies\" is {}, not a list", describe(&other)),
            })
        }
        None => {
            return Err(ParseError::NotAReport {
                why: "no policies".to_string(),
            })
        }
    };
    let organization_name = top.text("organization-name").map(Name::from);
    let contact_info = top.text("contact-info").map(Name::from);
    let report_id = top.text("report-id");
    let (start, end, range_rest) = match top.object("date-range") {
        Some(range) => read_date_range(range, top.notes()),
        None => (None, None, Map::new()),
    };
    let mut extra = top.into_rest();
    for (key, value) in range_rest {
        extra.insert(format!("date-range.{key}"), value);
    }

    if organization_name.is_none() {
        notes.push("organization-name is missing".to_string());
    }
    if report_id.is_none() {
        notes.push("report-id is missing; duplicates are found by content instead".to_string());
    }
    if start.is_none() || end.is_none() {
        notes.push("date-range is missing or incomplete".to_string());
    }
    if policies.is_empty() {
        notes.push("policies is an empty list: the report counts no sessions".to_string());
    }
    let mut entries = Vec::with_capacity(policies.len());
    for (index, item) in policies.into_iter().enumerate() {
        let path = format!("policies[{index}]");
        match item {
            Value::Object(entry) => entries.push(read_policy_entry(entry, &path, &mut notes)),
            other => notes.push(format!(
                "{path} is {}, not a policy object; ignored",
                describe(&other)
            )),
        }
    }
    Ok(Report {
        organization_name,
        start,
        end,
        contact_info,
        report_id,
        policies: entries,
        extra,
        notes: notes.list,
        given_texts: notes.given,
    })
}

/// The start, the end, and the keys of the object that are not RFC 8460's.
fn read_date_range(
    range: Map<String, Value>,
    notes: &mut Notes,
) -> (Option<Timestamp>, Option<Timestamp>, Map<String, Value>) {
    let mut reader = ObjectReader::new(range, "date-range", notes);
    let mut read = |key: &str| {
        let stamp = Timestamp::parse(&reader.text(key)?);
        if stamp.utc.is_none() {
            reader.note(format!("{key} \"{}\" is not a date and time", stamp.raw));
        } else if stamp.zone_assumed {
            reader.note(format!(
                "{key} \"{}\" has no time zone; read as UTC",
                stamp.raw
            ));
        }
        Some(stamp)
    };
    let start = read("start-datetime");
    let end = read("end-datetime");
    (start, end, reader.into_rest())
}

fn read_policy_entry(entry: Map<String, Value>, path: &str, notes: &mut Notes) -> PolicyEntry {
    let mut reader = ObjectReader::new(entry, path, notes);
    let policy = reader.object("policy").unwrap_or_default();
    let summary = reader.object("summary");
    let details = reader.take("failure-details");
    let mut extra = reader.into_rest();

    let mut policy_reader = ObjectReader::new(policy, &format!("{path}.policy"), notes);
    let policy_type = match policy_reader.text("policy-type") {
        Some(text) => PolicyType::from_text(&text),
        None => {
            policy_reader.note("policy-type is missing; shown as \"unknown\"".to_string());
            PolicyType::Other("unknown".to_string())
        }
    };
    let raw_policy_strings = policy_reader.text_list("policy-string");
    let policy_strings = expand_json_policy_strings(raw_policy_strings, &mut policy_reader)
        .into_iter()
        .map(Name::from)
        .collect();
    let policy_domain = policy_reader.text("policy-domain").map(|given| {
        let name = policy_reader.host_name(&given);
        if name != given {
            policy_reader.note(format!("policy-domain \"{given}\" is read as {name}"));
        }
        Name::from(name)
    });
    let mx_hosts = policy_reader
        .text_list("mx-host")
        .iter()
        .map(|host| Name::from(policy_reader.host_name(host)))
        .collect();
    for (key, value) in policy_reader.into_rest() {
        extra.insert(format!("policy.{key}"), value);
    }
    if policy_domain.is_none() {
        notes.push(format!("{path}: policy-domain is missing"));
    }

    let (successful_sessions, failed_sessions) = match summary {
        Some(summary) => {
            let mut summary_reader = ObjectReader::new(summary, &format!("{path}.summary"), notes);
            let successful = summary_reader.count("total-successful-session-count");
            let failed = summary_reader.count("total-failure-session-count");
            for (key, value) in summary_reader.into_rest() {
                extra.insert(format!("summary.{key}"), value);
            }
            (successful, failed)
        }
        None => {
            notes.push(format!("{path}: summary is missing; sessions read as 0"));
            (0, 0)
        }
    };

    let failure_details = read_failure_details(details, path, notes);
    let entry = PolicyEntry {
        policy_type,
        policy_strings,
        policy_domain,
        mx_hosts,
        successful_sessions,
        failed_sessions,
        failure_details,
        extra,
    };
    let itemised = entry.itemised_failures();
    if !entry.failure_details.is_empty() && itemised != entry.failed_sessions {
        notes.push(format!(
            "{path}: the failure details add up to {itemised} sessions, the summary says {}",
            entry.failed_sessions
        ));
    }
    entry
}

/// Microsoft sends TLSA records as one string holding a JSON array of strings.
fn expand_json_policy_strings(strings: Vec<String>, reader: &mut ObjectReader) -> Vec<String> {
    if let [only] = strings.as_slice() {
        if only.trim_start().starts_with('[') {
            if let Ok(inner) = serde_json::from_str::<Vec<String>>(only) {
                reader.note(
                    "policy-string holds a JSON-encoded list in one string; read as its items"
                        .to_string(),
                );
                // The items were JSON-escaped inside the string: their direction controls
                // are made visible here, as every other text's are.
                return inner
                    .into_iter()
                    .map(|item| match crate::text::visible_controls(&item) {
                        std::borrow::Cow::Borrowed(_) => item,
                        std::borrow::Cow::Owned(shown) => {
                            reader.notes().given.push(GivenText {
                                shown: shown.clone(),
                                given: item,
                            });
                            shown
                        }
                    })
                    .collect();
            }
        }
    }
    strings
}

fn read_failure_details(
    details: Option<Value>,
    path: &str,
    notes: &mut Notes,
) -> Vec<FailureDetail> {
    let items = match details {
        None => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(other) => {
            notes.push(format!(
                "{path}: failure-details is {}, not a list; ignored",
                describe(&other)
            ));
            return Vec::new();
        }
    };
    let mut details = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let item_path = format!("{path}.failure-details[{index}]");
        let Value::Object(map) = item else {
            notes.push(format!(
                "{item_path} is {}, not an object; ignored",
                describe(&item)
            ));
            continue;
        };
        let mut reader = ObjectReader::new(map, &item_path, notes);
        let result_type = reader.text("result-type").unwrap_or_else(|| {
            reader.note("result-type is missing; shown as \"unknown\"".to_string());
            "unknown".to_string()
        });
        let sending_mta_ip = reader.text("sending-mta-ip");
        let (sending_ip, sending_ip_text) = super::read_sending_ip(sending_mta_ip.as_deref());
        if let (Some(given), None) = (&sending_mta_ip, sending_ip) {
            reader.note(format!(
                "sending-mta-ip \"{given}\" is not an IP address; kept as given, and no IP \
                 filter matches it"
            ));
        }
        details.push(FailureDetail {
            result_type: ResultType::from_text(&result_type),
            sending_mta_ip: sending_mta_ip.map(Name::from),
            sending_ip,
            sending_ip_text,
            receiving_mx_hostname: reader.text("receiving-mx-hostname").map(|given| {
                let name = reader.host_name(&given);
                if name != given {
                    reader.note(format!(
                        "receiving-mx-hostname \"{given}\" is read as {name}"
                    ));
                }
                Name::from(name)
            }),
            receiving_mx_helo: reader.text("receiving-mx-helo").map(Name::from),
            receiving_ip: reader.text("receiving-ip").map(Name::from),
            failed_session_count: reader.count("failed-session-count"),
            additional_information: reader.text("additional-information"),
            failure_reason_code: reader.text("failure-reason-code"),
            extra: reader.into_rest(),
        });
    }
    details
}
