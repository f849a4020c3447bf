//! Report emails (RFC 5322 messages with MIME parts): what the message says about itself, and
//! which of its parts may hold a report. MIME decoding (base64, quoted-printable, folded
//! headers, CRLF or LF, a missing closing boundary) is mail-parser's work.
//!
//! RFC 8460 section 5.3 labels the attachment `application/tlsrpt+gzip` or
//! `application/tlsrpt+json`. Reporters also send `application/gzip`, `application/json` or
//! `application/octet-stream`, so any attachment is judged by its content (gzip, JSON, zip)
//! and its name (.json, .gz, .zip) as well as its label.

use super::sniff::{sniff, ContentKind};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;
use mail_parser::{Message, MessagePart, MimeHeaders, PartType};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// The media types RFC 8460 gives report attachments.
pub const REPORT_MEDIA_TYPES: [&str; 2] = ["application/tlsrpt+gzip", "application/tlsrpt+json"];

/// What a report email says about itself, shown beside the reports it carries.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct EmailInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// The Date header, as RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    /// The TLS-Report-Domain header (RFC 8460 section 5.3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_domain: Option<String>,
    /// The TLS-Report-Submitter header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub report_submitter: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message_id: Option<String>,
}

impl EmailInfo {
    pub fn of(message: &Message<'_>) -> Self {
        let header = |name: &str| message.header_raw(name).and_then(clean);
        EmailInfo {
            subject: message.subject().and_then(clean),
            // Kept as written when it does not parse ("Fri, May 09 2017 16:54:30 -0800").
            date: match message.date() {
                Some(date) if date.is_valid() => Some(date.to_rfc3339()),
                _ => header("Date"),
            },
            from: message
                .from()
                .and_then(|from| from.first())
                .and_then(|addr| addr.address())
                .and_then(clean),
            report_domain: header("TLS-Report-Domain"),
            report_submitter: header("TLS-Report-Submitter"),
            message_id: message.message_id().and_then(clean),
        }
    }
}

/// Unfolds a header value and drops it when empty.
fn clean(value: &str) -> Option<String> {
    let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let value = crate::text::cut(&value, crate::text::MAX_TEXT).unwrap_or(value);
    let value = crate::text::visible_controls(&value).into_owned();
    (!value.is_empty()).then_some(value)
}

/// One part of a message, sorted by what to do with it.
pub enum Part<'m> {
    /// A part that may hold a report.
    Candidate {
        name: String,
        media_type: String,
        bytes: Cow<'m, [u8]>,
    },
    /// A message attached to this one (a forwarded report email).
    Forwarded(&'m Message<'m>),
    /// Anything else, described for the Inputs view: "text/plain body, 812 bytes".
    Other { description: String, size: u64 },
}

/// Every leaf part of the message, in order.
pub fn parts<'m>(message: &'m Message<'m>) -> Vec<Part<'m>> {
    message
        .parts
        .iter()
        .enumerate()
        .filter_map(|(index, part)| classify(index, part))
        .collect()
}

fn classify<'m>(index: usize, part: &'m MessagePart<'m>) -> Option<Part<'m>> {
    let media_type = media_type(part);
    let name = part.attachment_name().and_then(clean);
    let (bytes, is_body_text): (&[u8], bool) = match &part.body {
        PartType::Multipart(_) => return None,
        PartType::Message(inner) => return Some(Part::Forwarded(inner)),
        PartType::Text(text) | PartType::Html(text) => (text.as_bytes(), name.is_none()),
        PartType::Binary(bytes) | PartType::InlineBinary(bytes) => (bytes, false),
    };
    let bytes = still_encoded(part, bytes).map_or(Cow::Borrowed(bytes), Cow::Owned);
    let bytes_for_sniff: &[u8] = &bytes;
    let labelled_as_report = REPORT_MEDIA_TYPES.contains(&media_type.as_str());
    let looks_like_report = matches!(
        sniff(bytes_for_sniff),
        ContentKind::Gzip | ContentKind::Json | ContentKind::Zip
    ) || name.as_deref().is_some_and(has_report_extension);
    if labelled_as_report || (!is_body_text && looks_like_report) {
        return Some(Part::Candidate {
            name: name.unwrap_or_else(|| format!("part {} ({media_type})", index + 1)),
            media_type,
            bytes,
        });
    }
    let what = match &name {
        Some(name) => format!("attachment \"{name}\""),
        None if is_body_text => "body".to_string(),
        None => "attachment".to_string(),
    };
    Some(Part::Other {
        description: format!("{media_type} {what}"),
        size: bytes.len() as u64,
    })
}

/// mail-parser keeps a part undecoded when it cannot find where it ends (the last part of a
/// message without its closing boundary, as in the RFC 8460 example). A base64 or
/// quoted-printable part is then decoded here.
fn still_encoded(part: &MessagePart<'_>, bytes: &[u8]) -> Option<Vec<u8>> {
    if !part.is_encoding_problem {
        return None;
    }
    let encoding = part
        .content_transfer_encoding()?
        .trim()
        .to_ascii_lowercase();
    match encoding.as_str() {
        "base64" => decode_base64(bytes),
        "quoted-printable" => Some(decode_quoted_printable(bytes)),
        _ => None,
    }
}

/// Base64 over several lines, ignoring line breaks and anything after the base64 text.
fn decode_base64(bytes: &[u8]) -> Option<Vec<u8>> {
    let text: Vec<u8> = bytes
        .split(|&b| b == b'\n')
        .map(|line| line.trim_ascii())
        .take_while(|line| {
            line.iter()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(b))
        })
        .flatten()
        .copied()
        .collect();
    const TOLERANT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    TOLERANT.decode(text).ok()
}

/// Quoted-printable (RFC 2045 section 6.7): "=XX" is a byte, "=" at a line end joins lines.
/// A stray "=" is kept as it is.
fn decode_quoted_printable(bytes: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let byte = bytes[index];
        if byte != b'=' {
            out.push(byte);
            index += 1;
            continue;
        }
        let rest = &bytes[index + 1..];
        if rest.starts_with(b"\r\n") {
            index += 3;
        } else if rest.starts_with(b"\n") {
            index += 2;
        } else if let [high, low, ..] = rest {
            match (hex(*high), hex(*low)) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    index += 3;
                }
                _ => {
                    out.push(byte);
                    index += 1;
                }
            }
        } else {
            out.push(byte);
            index += 1;
        }
    }
    out
}

fn media_type(part: &MessagePart<'_>) -> String {
    let media_type = match part.content_type() {
        Some(content_type) => match content_type.subtype() {
            Some(subtype) => format!("{}/{}", content_type.ctype(), subtype),
            None => content_type.ctype().to_string(),
        },
        None => "text/plain".to_string(),
    }
    .to_ascii_lowercase();
    // A forged header is shown ("not reports: …"): its direction controls made visible.
    crate::text::visible_controls(&media_type).into_owned()
}

fn has_report_extension(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    [".json", ".gz", ".gzip", ".zip"]
        .iter()
        .any(|extension| name.ends_with(extension))
}

#[cfg(test)]
mod tests {
    use super::decode_quoted_printable;

    #[test]
    fn quoted_printable() {
        assert_eq!(
            decode_quoted_printable(b"{\"a\"=3D1,=\r\n\"b\": 2}=\n= =4"),
            b"{\"a\"=1,\"b\": 2}= =4"
        );
    }
}
