//! Input bytes to reports. [`ingest_file`] recognises the content (gzip, JSON, and the formats
//! that are not read yet, so that they get a clear reason), unpacks it within the limits of
//! [`limits`], and parses it. It is a pure function with a serialisable result, so that it can
//! run in a Web Worker. [`ReportSet`] gathers the results, removing duplicate reports.

mod fingerprint;
mod gzip;
pub mod limits;
mod report_set;
mod sniff;

pub use report_set::{InputCounts, InputRecord, LoadedReport, Outcome, ReportSet};
pub use sniff::{sniff, ContentKind};

use crate::report::{parse_report, Report};
use limits::{human_size, MAX_INPUT_BYTES, MAX_LAYERS, MAX_REPORT_BYTES};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;

/// What one input file turned out to be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct FileIngest {
    pub name: String,
    pub size: u64,
    /// The layers read, outermost first, such as "gzip → JSON".
    pub format: String,
    pub content: FileContent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    rename_all = "kebab-case",
    rename_all_fields = "kebab-case",
    tag = "kind"
)]
pub enum FileContent {
    Report {
        report: Box<Report>,
        /// A hash of the report as read, to tell true duplicates from reused report ids.
        #[serde(with = "fingerprint::as_hex")]
        fingerprint: u64,
    },
    Rejected {
        reason: String,
    },
}

/// Reads one input file. Never panics; every failure becomes a reason for the user.
pub fn ingest_file(name: &str, bytes: &[u8]) -> FileIngest {
    let mut layers: Vec<&str> = Vec::new();
    let content = read_layers(bytes, &mut layers);
    FileIngest {
        name: name.to_string(),
        size: bytes.len() as u64,
        format: if layers.is_empty() {
            "unknown".to_string()
        } else {
            layers.join(" → ")
        },
        content: match content {
            Ok(report) => FileContent::Report {
                fingerprint: fingerprint::fingerprint(&report),
                report: Box::new(report),
            },
            Err(reason) => FileContent::Rejected { reason },
        },
    }
}

fn read_layers<'a>(bytes: &'a [u8], layers: &mut Vec<&'static str>) -> Result<Report, String> {
    if bytes.len() as u64 > MAX_INPUT_BYTES {
        return Err(format!(
            "the file is {}, over the {} limit for one input",
            human_size(bytes.len() as u64),
            human_size(MAX_INPUT_BYTES)
        ));
    }
    let mut data: Cow<'a, [u8]> = Cow::Borrowed(bytes);
    loop {
        let inside = if layers.is_empty() {
            ""
        } else {
            "inside the gzip data: "
        };
        let kind = sniff(&data);
        layers.push(kind_label(&kind));
        match kind {
            ContentKind::Gzip if layers.len() > MAX_LAYERS => {
                return Err(format!(
                    "more than {MAX_LAYERS} layers of gzip compression; a report is compressed once"
                ))
            }
            ContentKind::Gzip => data = Cow::Owned(gzip::gunzip_capped(&data)?),
            ContentKind::Json => {
                if data.len() as u64 > MAX_REPORT_BYTES {
                    return Err(format!(
                        "{inside}the JSON text is {}, over the {} limit for one report",
                        human_size(data.len() as u64),
                        human_size(MAX_REPORT_BYTES)
                    ));
                }
                return parse_report(&data).map_err(|error| format!("{inside}{error}"));
            }
            other => return Err(format!("{inside}{}", unsupported_reason(&other))),
        }
    }
}

/// How the Inputs view names each layer of a file ("gzip → JSON").
fn kind_label(kind: &ContentKind) -> &'static str {
    match kind {
        ContentKind::Empty => "empty",
        ContentKind::Gzip => "gzip",
        ContentKind::Json => "JSON",
        ContentKind::Zip => "zip",
        ContentKind::Pdf => "PDF",
        ContentKind::Email => "email",
        ContentKind::Mbox => "mailbox",
        ContentKind::Utf16 => "UTF-16 text",
        ContentKind::OtherText(_) => "text",
        ContentKind::OtherBinary(_) => "binary",
    }
}

/// The reason given for content that is not a gzip-compressed or plain JSON report.
fn unsupported_reason(kind: &ContentKind) -> String {
    match kind {
        ContentKind::Empty => "the file is empty".to_string(),
        ContentKind::Zip => "a zip archive; archives are not read yet: unzip it and drop the \
                             .json or .json.gz reports inside"
            .to_string(),
        ContentKind::Email => "an email message; emails are not read yet: save its .json.gz \
                               attachment and drop that"
            .to_string(),
        ContentKind::Mbox => "a mailbox file; mailboxes are not read yet: save the .json.gz \
                              attachments of the report emails and drop those"
            .to_string(),
        ContentKind::Pdf => "not gzip or JSON: a PDF document, not a TLS-RPT report".to_string(),
        ContentKind::Utf16 => "UTF-16 text; a TLS-RPT report is UTF-8 JSON: open it in a text \
                               editor and save it as UTF-8"
            .to_string(),
        ContentKind::OtherText(start) => {
            format!("not gzip or JSON: text starting with \"{start}\"; a TLS-RPT report is JSON")
        }
        ContentKind::OtherBinary(hex) => {
            format!("not gzip or JSON: binary data starting with bytes {hex}")
        }
        ContentKind::Gzip | ContentKind::Json => String::new(),
    }
}
