//! Input bytes to reports. [`ingest_file`] recognises the content of a file (gzip, JSON, an
//! email, a mailbox, a zip archive, and what it cannot read, so that it gets a clear reason),
//! unpacks it within the limits of [`limits`], and parses every report inside. The result is
//! a tree of [`IngestNode`]s: file → message → attachment → report. It is pure and
//! serialisable, so that it can run in a Web Worker. [`IngestJob`] does the same work one
//! message or archive entry at a time, so that the page can stay responsive while a large
//! mailbox is read. [`ReportSet`] gathers the results, removing duplicate reports.

mod email;
mod fingerprint;
mod gzip;
pub mod limits;
mod mbox;
mod packed;
mod report_set;
mod sniff;
mod unpack;
mod zip_walk;

pub use email::{EmailInfo, REPORT_MEDIA_TYPES};
pub use packed::PackedText;
pub use report_set::{
    child_path, day_in_range, identity, InputCounts, InputRecord, LoadedReport, Outcome, ReportSet,
    EARLIEST_DAY, PATH_SEPARATOR,
};
pub use sniff::{sniff, ContentKind};

use crate::report::Report;
use limits::{human_size, MAX_INPUT_BYTES};
use serde::{Deserialize, Serialize};
use unpack::{Container, Reader};
pub use zip_walk::ZipSource;

/// What a node of the input tree is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// A file the user gave (or pasted text).
    File,
    /// An email: one message of a mailbox, or a message attached to another.
    Message,
    /// A part of an email that may hold a report.
    Attachment,
    /// A file inside a zip archive.
    Entry,
}

/// What one input, or one piece inside it, turned out to be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct IngestNode {
    pub name: String,
    pub role: Role,
    /// Its size as found: on disk, in the mailbox, or once the attachment was decoded.
    pub size: u64,
    /// The layers read, outermost first, such as "gzip → JSON".
    pub format: String,
    /// For an email: its subject, date and TLS-Report headers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailInfo>,
    /// For an email: the parts that are not reports ("text/plain body, 812 bytes").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_read: Vec<String>,
    pub content: NodeContent,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    rename_all = "kebab-case",
    rename_all_fields = "kebab-case",
    tag = "kind"
)]
pub enum NodeContent {
    Report {
        report: Box<Report>,
        /// A hash of the report as read, to tell true duplicates from reused report ids.
        #[serde(with = "fingerprint::as_hex")]
        fingerprint: u64,
        /// The JSON text as given, packed, for the report's detail view (when it packs to
        /// at most [`limits::MAX_PACKED_KEPT`]).
        #[serde(skip)]
        raw: Option<PackedText>,
    },
    Rejected {
        reason: String,
    },
    /// A mailbox, an email or an archive; what became of it is in its children.
    Unpacked {
        children: Vec<IngestNode>,
    },
}

impl IngestNode {
    pub fn new(name: String, role: Role, size: u64) -> Self {
        IngestNode {
            // A file, entry or attachment name can come from a forged email or archive: cut
            // to a length far above any real name, with its direction controls made visible.
            name: crate::text::visible_controls(
                &crate::text::cut(&name, crate::text::MAX_TEXT).unwrap_or(name),
            )
            .into_owned(),
            role,
            size,
            format: String::new(),
            email: None,
            not_read: Vec::new(),
            content: NodeContent::Rejected {
                reason: String::new(),
            },
        }
    }

    /// A node that says the rest of a container was not read because of the item limit
    /// (`limit` items, [`limits::MAX_ITEMS`] but where a test or a benchmark sets less).
    pub fn limit_reached(what: &str, limit: usize) -> Self {
        let mut node = IngestNode::new(what.to_string(), Role::Entry, 0);
        node.content = NodeContent::Rejected {
            reason: format!(
                "not read: this input already holds {} items (messages, attachments, archive \
                 entries), the limit for one input; split it into smaller files",
                crate::text::thousands(limit as u64)
            ),
        };
        node
    }

    /// A rejected input file, for a failure before its content is read.
    pub fn rejected_file(name: String, size: u64, reason: String) -> Self {
        let mut node = IngestNode::new(name, Role::File, size);
        node.format = "unknown".to_string();
        node.content = NodeContent::Rejected { reason };
        node
    }
}

/// Reads one input file. Never panics; every failure becomes a reason for the user.
pub fn ingest_file(name: &str, bytes: &[u8]) -> IngestNode {
    IngestJob::new(name, bytes).finish()
}

/// [`ingest_file`] with other limits than the defaults, to test them cheaply.
pub fn ingest_file_within(name: &str, bytes: &[u8], budget: limits::Budget) -> IngestNode {
    IngestJob::new(name, bytes).within(budget).finish()
}

/// The reading of one input, a step at a time: one message of a mailbox or one entry of an
/// archive per step, or the whole file when it is neither.
pub struct IngestJob<'a> {
    name: String,
    bytes: &'a [u8],
    /// The input's size: its bytes', or its file's.
    size: u64,
    reader: Reader,
    stage: Stage<'a>,
    /// Items of a mailbox or archive already handed out by [`IngestJob::take_read`].
    taken: usize,
}

enum Stage<'a> {
    Start,
    Container {
        container: Container<'a>,
        format: &'static str,
        children: Vec<IngestNode>,
    },
    Finished(IngestNode),
}

impl<'a> IngestJob<'a> {
    pub fn new(name: &str, bytes: &'a [u8]) -> Self {
        IngestJob {
            name: name.to_string(),
            bytes,
            size: bytes.len() as u64,
            reader: Reader::new(limits::Budget::default()),
            stage: Stage::Start,
            taken: 0,
        }
    }

    /// A zip archive read from its file rather than from memory (the `tlsrpt` command's
    /// way with large archives: only the entry being read is held), `size` bytes long. Read
    /// as [`IngestJob::new`] reads an archive's bytes, within the same limits.
    pub fn zip_file(name: &str, size: u64, source: Box<dyn ZipSource + 'a>) -> Self {
        Self::container_file(name, size, ContentKind::Zip, || Container::open_zip(source))
    }

    /// A mailbox read from its file rather than from memory (the `tlsrpt` command's way with
    /// large mailboxes: only the message being read is held), `size` bytes long, split and
    /// read as [`IngestJob::new`] reads a mailbox's bytes, within the same limits.
    pub fn mbox_file(name: &str, size: u64, source: Box<dyn std::io::BufRead + 'a>) -> Self {
        Self::container_file(name, size, ContentKind::Mbox, || {
            Ok(Container::open_mbox(source))
        })
    }

    /// A container of `kind` read from its file, opened by `open` unless it is too large.
    fn container_file(
        name: &str,
        size: u64,
        kind: ContentKind,
        open: impl FnOnce() -> Result<Container<'a>, String>,
    ) -> Self {
        let mut job = IngestJob::new(name, &[]);
        job.size = size;
        let format = kind_label(&kind);
        job.stage = if size > MAX_INPUT_BYTES {
            Stage::Finished(IngestNode::rejected_file(
                name.to_string(),
                size,
                too_big_reason(Some(size)),
            ))
        } else {
            match open() {
                Ok(container) => Stage::Container {
                    container,
                    format,
                    children: Vec::new(),
                },
                Err(reason) => {
                    let mut root = IngestNode::rejected_file(name.to_string(), size, reason);
                    root.format = format.to_string();
                    Stage::Finished(root)
                }
            }
        };
        job
    }

    /// The job with other limits than the defaults (to test them cheaply).
    pub fn within(mut self, budget: limits::Budget) -> Self {
        self.reader = Reader::new(budget);
        self
    }

    /// Does one step; false once the job is finished.
    pub fn step(&mut self) -> bool {
        match &mut self.stage {
            Stage::Start => self.stage = self.start(),
            Stage::Container {
                container,
                children,
                format,
            } => {
                if !self.reader.read_next(container, 1, children) {
                    let mut root = IngestNode::new(self.name.clone(), Role::File, self.size);
                    root.format = format.to_string();
                    root.content = if self.taken > 0 && children.is_empty() {
                        // Every item was handed out already: the container was not empty.
                        NodeContent::Unpacked {
                            children: Vec::new(),
                        }
                    } else {
                        container.content(std::mem::take(children))
                    };
                    self.stage = Stage::Finished(root);
                }
            }
            Stage::Finished(_) => {}
        }
        !matches!(self.stage, Stage::Finished(_))
    }

    fn start(&mut self) -> Stage<'a> {
        let size = self.size;
        if size > MAX_INPUT_BYTES {
            return Stage::Finished(IngestNode::rejected_file(
                self.name.clone(),
                size,
                too_big_reason(Some(size)),
            ));
        }
        let kind = sniff(self.bytes);
        if matches!(kind, ContentKind::Mbox | ContentKind::Zip) {
            // The input itself is not one of its items (see `Reader::read`).
            let format = kind_label(&kind);
            return match Container::open(&kind, self.bytes) {
                Ok(container) => Stage::Container {
                    container,
                    format,
                    children: Vec::new(),
                },
                Err(reason) => {
                    let mut root = IngestNode::rejected_file(self.name.clone(), size, reason);
                    root.format = format.to_string();
                    Stage::Finished(root)
                }
            };
        }
        Stage::Finished(
            self.reader
                .read(self.name.clone(), Role::File, self.bytes, 0),
        )
    }

    /// The items of a mailbox or archive read since the last call, handed out so that a
    /// reader that streams them (the `tlsrpt rows` command) keeps none of them: the finished
    /// node then holds only the items read after the last call. Empty for other inputs.
    pub fn take_read(&mut self) -> Vec<IngestNode> {
        match &mut self.stage {
            Stage::Container { children, .. } => {
                self.taken += children.len();
                std::mem::take(children)
            }
            _ => Vec::new(),
        }
    }

    /// Children read and children in all, for a progress bar; (0, 0) when not a container.
    pub fn progress(&self) -> (usize, usize) {
        match &self.stage {
            Stage::Container { container, .. } => {
                (container.len() - container.remaining(), container.len())
            }
            _ => (0, 0),
        }
    }

    /// The result; call once `step` has returned false.
    pub fn finish(mut self) -> IngestNode {
        while self.step() {}
        match self.stage {
            Stage::Finished(node) => node,
            // step() returns false only once finished; this keeps a panic out of reach.
            _ => IngestNode::rejected_file(
                self.name,
                self.size,
                "the reading stopped early; drop the file again".to_string(),
            ),
        }
    }
}

/// The reason for an input over [`MAX_INPUT_BYTES`], its size known or not (a download that
/// announced none is stopped at the limit).
pub fn too_big_reason(size: Option<u64>) -> String {
    let size = size.map_or(String::new(), |size| format!(" {},", human_size(size)));
    format!(
        "the file is{size} over the {} limit for one input; split the mailbox or archive into \
         smaller files",
        human_size(MAX_INPUT_BYTES)
    )
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
        ContentKind::DmarcXml => "XML",
        ContentKind::OtherContainer(_) => "other format",
        ContentKind::OtherText(_) => "text",
        ContentKind::OtherBinary(_) => "binary",
    }
}

/// The reason given for content that holds no report and no container of reports.
fn unsupported_reason(kind: &ContentKind) -> String {
    match kind {
        ContentKind::Empty => {
            "the file is empty; save it again if it should hold a report".to_string()
        }
        ContentKind::Pdf => "not a report: a PDF document; a TLS-RPT report is JSON, a .json.gz \
                             file, or an email carrying one"
            .to_string(),
        ContentKind::Utf16 => "UTF-16 text; a TLS-RPT report is UTF-8 JSON: open it in a text \
                               editor and save it as UTF-8"
            .to_string(),
        ContentKind::DmarcXml => "a DMARC aggregate report (XML), not a TLS-RPT report; DMARC \
                                  reports need a DMARC viewer"
            .to_string(),
        ContentKind::OtherContainer(name) if name.starts_with("an Outlook") => format!(
            "{name}, which is not read; save the message as .eml (Outlook: File › Save As), or \
             save its .json.gz attachment, and drop that"
        ),
        ContentKind::OtherContainer(name) => format!(
            "{name}, which is not read; unpack it and drop the files inside, or zip them instead"
        ),
        ContentKind::OtherText(start) => format!(
            "not a report: text starting with \"{start}\"; a TLS-RPT report is JSON, a .json.gz \
             file, or an email carrying one"
        ),
        ContentKind::OtherBinary(hex) => format!(
            "not a report: binary data starting with bytes {hex}, which is not gzip, zip or JSON"
        ),
        ContentKind::Gzip
        | ContentKind::Json
        | ContentKind::Zip
        | ContentKind::Email
        | ContentKind::Mbox => String::new(),
    }
}
