//! The recursive reader: one piece of bytes becomes an [`IngestNode`], unpacking gzip, zip
//! archives, mailboxes and emails down to the reports inside, within the limits of a
//! [`Budget`]. Mailboxes and archives are [`Container`]s, read one child at a time so that
//! the page can yield between children of a large file.

use super::email::{self, EmailInfo, Part};
use super::limits::{human_size, over_cap_reason, Budget, MAX_NESTING};
use super::mbox::{self, MboxMessage, MboxStream};
use super::sniff::{sniff, ContentKind};
use super::zip_walk::{EntryError, ZipSource, ZipWalk};
use super::{
    fingerprint, kind_label, unsupported_reason, IngestNode, NodeContent, PackedText, Role,
};
use crate::report::parse_report;
use mail_parser::{Message, MessageParser};
use std::borrow::Cow;
use std::io::Cursor;
use zip::result::ZipError;

/// Reads the pieces of one input, sharing its budget.
pub struct Reader {
    pub budget: Budget,
    parser: MessageParser,
}

impl Reader {
    pub fn new(budget: Budget) -> Self {
        Reader {
            budget,
            parser: MessageParser::new(),
        }
    }

    /// Reads one piece found at nesting `depth` (0 for an input file).
    pub fn read(&mut self, name: String, role: Role, bytes: &[u8], depth: usize) -> IngestNode {
        let mut node = IngestNode::new(name, role, bytes.len() as u64);
        // The input itself is not one of the items it holds: a zip of exactly
        // `limits::MAX_ITEMS` entries is read whole.
        if depth > 0 {
            self.budget.take_item();
        }
        if let Some(reason) = platform_clutter_reason(&node.name) {
            node.format = "system file".to_string();
            node.content = NodeContent::Rejected { reason };
            return node;
        }
        let mut layers: Vec<&'static str> = Vec::new();
        let mut data: Cow<'_, [u8]> = Cow::Borrowed(bytes);
        // The gzip data the current `data` was inflated from, if it was.
        let mut gzipped: Option<Cow<'_, [u8]>> = None;
        let content = loop {
            let inside = if layers.contains(&"gzip") {
                "inside the gzip data: "
            } else {
                ""
            };
            let kind = sniff(&data);
            layers.push(kind_label(&kind));
            let level = depth + layers.len();
            let nests = matches!(
                kind,
                ContentKind::Gzip | ContentKind::Zip | ContentKind::Email | ContentKind::Mbox
            );
            if nests && level > MAX_NESTING {
                break rejected(format!(
                    "{inside}nested more than {MAX_NESTING} levels deep (archives, mailboxes, \
                     emails and compression together); a report email nests 3 at most, so \
                     unpack the outer layers and drop what is inside"
                ));
            }
            match kind {
                ContentKind::Gzip => match super::gzip::gunzip(&data, &mut self.budget) {
                    Ok(inflated) => gzipped = Some(std::mem::replace(&mut data, inflated.into())),
                    Err(reason) => break rejected(format!("{inside}{reason}")),
                },
                ContentKind::Json => {
                    break json_content(&data, gzipped.as_deref(), inside, self.budget.max_member())
                }
                ContentKind::Email => break self.email(&data, level, &mut node),
                ContentKind::Mbox | ContentKind::Zip => {
                    break match Container::open(&kind, &data) {
                        Ok(container) => self.read_all(container, level),
                        Err(reason) => rejected(format!("{inside}{reason}")),
                    }
                }
                other => break rejected(format!("{inside}{}", unsupported_reason(&other))),
            }
        };
        node.format = layers.join(" → ");
        node.content = content;
        node
    }

    /// Reads every child of a container nested inside something else.
    fn read_all(&mut self, mut container: Container<'_>, depth: usize) -> NodeContent {
        let mut children = Vec::new();
        while self.read_next(&mut container, depth, &mut children) {}
        container.content(children)
    }

    /// Reads the container's next child into `children`; false once it has no more.
    pub fn read_next(
        &mut self,
        container: &mut Container<'_>,
        depth: usize,
        children: &mut Vec<IngestNode>,
    ) -> bool {
        if container.remaining() == 0 {
            return false;
        }
        if self.budget.items_left() == 0 {
            children.extend(container.rest_not_read(self.budget.item_limit()));
            return false;
        }
        if let Some(child) = container.next_child(self, depth) {
            children.push(child);
        }
        container.remaining() > 0
    }

    fn email(&mut self, data: &[u8], depth: usize, node: &mut IngestNode) -> NodeContent {
        match self.parser.parse(data) {
            Some(message) => self.message_content(&message, depth, node),
            None => rejected(
                "an email that could not be read: it has no header lines; save the message \
                 again from your mail program, or save its report attachment and drop that",
            ),
        }
    }

    /// The reports attached to a parsed message; notes the other parts on `node`.
    fn message_content(
        &mut self,
        message: &Message<'_>,
        depth: usize,
        node: &mut IngestNode,
    ) -> NodeContent {
        node.email = Some(EmailInfo::of(message));
        let mut children = Vec::new();
        for part in email::parts(message) {
            if self.budget.items_left() == 0 {
                children.push(IngestNode::limit_reached(
                    "the rest of this email",
                    self.budget.item_limit(),
                ));
                break;
            }
            match part {
                Part::Candidate {
                    name,
                    media_type,
                    bytes,
                } => children.push(self.attachment(name, &media_type, &bytes, depth)),
                Part::Forwarded(inner) => children.push(self.forwarded(inner, depth)),
                Part::Other { description, size } => node
                    .not_read
                    .push(format!("{description}, {}", human_size(size))),
            }
        }
        if children.is_empty() {
            let parts = if node.not_read.is_empty() {
                "it has no parts at all".to_string()
            } else {
                format!("it holds only {}", node.not_read.join("; "))
            };
            return rejected(format!(
                "email has no TLS-RPT attachment: {parts}. A report email carries a .json or \
                 .json.gz attachment; if this message should have one, forward the original \
                 from your mail program as an attachment"
            ));
        }
        NodeContent::Unpacked { children }
    }

    fn attachment(
        &mut self,
        name: String,
        media_type: &str,
        bytes: &[u8],
        depth: usize,
    ) -> IngestNode {
        let (cap, which) = self.budget.member_cap();
        self.budget.spend(bytes.len() as u64);
        let mut node = if bytes.len() as u64 > cap {
            let mut node = IngestNode::new(name, Role::Attachment, bytes.len() as u64);
            self.budget.take_item();
            node.content = rejected(over_cap_reason("the attachment holds", cap, which, false));
            node
        } else {
            self.read(name, Role::Attachment, bytes, depth)
        };
        node.format = if node.format.is_empty() {
            media_type.to_string()
        } else {
            format!("{media_type} → {}", node.format)
        };
        node
    }

    fn forwarded(&mut self, inner: &Message<'_>, depth: usize) -> IngestNode {
        let raw = inner.raw_message();
        let mut node = IngestNode::new(
            "attached message".to_string(),
            Role::Message,
            raw.len() as u64,
        );
        self.budget.take_item();
        node.format = "message/rfc822 → email".to_string();
        node.content = if depth + 1 > MAX_NESTING {
            rejected(format!(
                "nested more than {MAX_NESTING} levels deep; save the attached message and drop it"
            ))
        } else {
            self.message_content(inner, depth + 1, &mut node)
        };
        node
    }
}

/// The report in `data`, and its text kept packed: as the gzip data it came from, if any.
fn json_content(data: &[u8], gzipped: Option<&[u8]>, inside: &str, max: u64) -> NodeContent {
    if data.len() as u64 > max {
        return rejected(format!(
            "{inside}the JSON text is {}, over the {} limit for one report (real reports are a \
             few kilobytes)",
            human_size(data.len() as u64),
            human_size(max)
        ));
    }
    match parse_report(data) {
        Ok(report) => NodeContent::Report {
            fingerprint: fingerprint::fingerprint(&report),
            report: Box::new(report),
            raw: {
                let packed = match gzipped {
                    Some(compressed) => PackedText::gzipped(compressed),
                    None => PackedText::pack(data),
                };
                (packed.packed_len() <= super::limits::MAX_PACKED_KEPT).then_some(packed)
            },
        },
        Err(error) => rejected(format!("{inside}{error}")),
    }
}

fn rejected(reason: impl Into<String>) -> NodeContent {
    NodeContent::Rejected {
        reason: reason.into(),
    }
}

/// Files that operating systems add to folders and archives, which users never chose.
fn platform_clutter_reason(name: &str) -> Option<String> {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    if base == ".DS_Store" {
        Some("macOS folder settings (.DS_Store), not a report; nothing to do".to_string())
    } else if name.starts_with("__MACOSX/") || name.contains("/__MACOSX/") || base.starts_with("._")
    {
        Some("macOS file metadata (AppleDouble), not a report; nothing to do".to_string())
    } else if base.eq_ignore_ascii_case("Thumbs.db") || base.eq_ignore_ascii_case("desktop.ini") {
        Some(format!(
            "Windows folder settings ({base}), not a report; nothing to do"
        ))
    } else {
        None
    }
}

/// A mailbox or a zip archive, read one child at a time.
pub enum Container<'d> {
    Mbox {
        data: &'d [u8],
        messages: Vec<MboxMessage>,
        next: usize,
    },
    /// A mailbox read from its file (the `tlsrpt` command), a message at a time.
    MboxStream {
        stream: MboxStream<'d>,
        next: usize,
        /// Whether the reading error that stopped the stream, if any, was reported.
        error_reported: bool,
    },
    Zip {
        walk: ZipWalk<'d>,
        next: usize,
    },
}

impl<'d> Container<'d> {
    /// Opens a mailbox or an archive; the reason when it cannot be read.
    pub fn open(kind: &ContentKind, data: &'d [u8]) -> Result<Self, String> {
        match kind {
            ContentKind::Mbox => Ok(Container::Mbox {
                data,
                messages: mbox::split(data),
                next: 0,
            }),
            ContentKind::Zip => Self::open_zip(Box::new(Cursor::new(data))),
            _ => Err(unsupported_reason(kind)),
        }
    }

    /// Opens a mailbox read from `source`, split as [`Container::open`] splits its bytes.
    pub fn open_mbox(source: Box<dyn std::io::BufRead + 'd>) -> Self {
        Container::MboxStream {
            stream: MboxStream::new(source),
            next: 0,
            error_reported: false,
        }
    }

    /// Opens a zip archive read from `source`; the reason when it cannot be read.
    pub fn open_zip(source: Box<dyn ZipSource + 'd>) -> Result<Self, String> {
        match ZipWalk::open(source) {
            Ok(walk) => Ok(Container::Zip { walk, next: 0 }),
            Err(error) => Err(format!(
                "a damaged zip archive ({}); download or create the archive again",
                zip_error_text(&error)
            )),
        }
    }

    /// The children: all of them, or for a streamed mailbox those read so far and the next.
    pub fn len(&self) -> usize {
        match self {
            Container::Mbox { messages, .. } => messages.len(),
            Container::MboxStream { next, .. } => next + self.remaining(),
            Container::Zip { walk, .. } => walk.len(),
        }
    }

    pub fn remaining(&self) -> usize {
        match self {
            Container::Mbox { next, .. } | Container::Zip { next, .. } => self.len() - next,
            Container::MboxStream {
                stream,
                error_reported,
                ..
            } => usize::from(stream.has_next() || (stream.error.is_some() && !error_reported)),
        }
    }

    /// What stays unread once the item limit is reached: a notice of how many children, and
    /// for a streamed mailbox that stopped on an error, that error too. Nothing is left after.
    fn rest_not_read(&mut self, limit: usize) -> Vec<IngestNode> {
        let notice = |what: &str, rest: usize| {
            IngestNode::limit_reached(
                &format!("{} more {what}", crate::text::thousands(rest as u64)),
                limit,
            )
        };
        let len = self.len();
        let what = match self {
            Container::Zip { .. } => "archive entries",
            _ => "messages",
        };
        match self {
            Container::Mbox { next, .. } | Container::Zip { next, .. } => {
                let rest = len - *next;
                *next = len;
                vec![notice(what, rest)]
            }
            Container::MboxStream {
                stream,
                next,
                error_reported,
            } => {
                // Counted by reading on, keeping nothing.
                let rest = stream.count_rest();
                let mut nodes = Vec::new();
                if rest > 0 {
                    nodes.push(notice(what, rest));
                }
                *error_reported = true;
                if let Some(error) = &stream.error {
                    nodes.push(stream_error_node(*next + rest + 1, error));
                }
                nodes
            }
        }
    }

    /// Reads the next child; None for an entry that holds nothing (a folder in a zip).
    fn next_child(&mut self, reader: &mut Reader, depth: usize) -> Option<IngestNode> {
        match self {
            Container::Mbox {
                data,
                messages,
                next,
            } => {
                let message = &messages[*next];
                *next += 1;
                let text = mbox::unescape(&data[message.range.clone()]);
                let mut node = reader.read(format!("message {next}"), Role::Message, &text, depth);
                node.size = message.range.len() as u64;
                Some(node)
            }
            Container::MboxStream {
                stream,
                next,
                error_reported,
            } => match stream.next_message() {
                Some(message) => {
                    *next += 1;
                    let text = mbox::unescape(&message.text);
                    let mut node =
                        reader.read(format!("message {next}"), Role::Message, &text, depth);
                    node.size = message.text.len() as u64;
                    Some(node)
                }
                None => {
                    *error_reported = true;
                    let error = stream.error.as_ref()?;
                    reader.budget.take_item();
                    Some(stream_error_node(*next + 1, error))
                }
            },
            Container::Zip { walk, next } => {
                let child = zip_entry(walk, reader, depth);
                // All read once the walk ends early: the rest is named in the reason.
                *next = walk.len() - walk.left();
                child
            }
        }
    }

    /// What the container became once every child is read.
    pub fn content(&self, children: Vec<IngestNode>) -> NodeContent {
        if !children.is_empty() {
            return NodeContent::Unpacked { children };
        }
        rejected(match self {
            Container::Mbox { .. } | Container::MboxStream { .. } => {
                "a mailbox with no messages in it: no line starts a message with \"From \"; \
                 save the mailbox again from your mail program"
            }
            Container::Zip { .. } => {
                "an empty zip archive: it holds no files; zip the reports again, or drop them \
                 as they are"
            }
        })
    }
}

/// Where a mailbox read from its file stopped on a reading error (message `number` on).
fn stream_error_node(number: usize, error: &std::io::Error) -> IngestNode {
    let mut node = IngestNode::new(format!("message {number}"), Role::Message, 0);
    node.content = rejected(format!(
        "the rest of the mailbox could not be read ({error}); check that the file is still \
         there and read it again"
    ));
    node
}

/// Reads the next entry of a walk: the node it makes (none for a folder, or after the last).
fn zip_entry(walk: &mut ZipWalk<'_>, reader: &mut Reader, depth: usize) -> Option<IngestNode> {
    let unreadable = |reader: &mut Reader, name: String, size: u64, reason: String| {
        reader.budget.take_item();
        let mut node = IngestNode::new(name, Role::Entry, size);
        node.format = "zip entry".to_string();
        node.content = rejected(reason);
        Some(node)
    };
    let number = walk.len() - walk.left() + 1;
    let (cap, which) = reader.budget.member_cap();
    let entry = match walk.next_entry(cap)? {
        Ok(entry) => entry,
        Err(error) => {
            let rest = walk.len() + 1 - number;
            let reason =
                format!(
                "a damaged zip archive: its list of files cannot be read from here ({}), so {} \
                 not read; download or create the archive again",
                zip_error_text(&error),
                if rest > 1 {
                    format!("this entry and {} more are", crate::text::thousands(rest as u64 - 1))
                } else {
                    "this entry is".to_string()
                }
            );
            return unreadable(reader, format!("entry {number}"), 0, reason);
        }
    };
    if entry.is_dir {
        return None;
    }
    match entry.content {
        Err(EntryError::Open(error)) => unreadable(reader, entry.name, 0, zip_entry_reason(&error)),
        Err(EntryError::Read(error, read)) => {
            reader.budget.spend(read);
            unreadable(
                reader,
                entry.name,
                entry.compressed_size,
                format!("a damaged zip entry ({error}); download or create the archive again"),
            )
        }
        Ok(bytes) => {
            reader.budget.spend(bytes.len() as u64);
            if bytes.len() as u64 > cap {
                unreadable(
                    reader,
                    entry.name,
                    entry.compressed_size,
                    if entry.stored {
                        over_cap_reason("the zip entry holds", cap, which, false)
                    } else {
                        over_cap_reason("the zip entry decompresses", cap, which, true)
                    },
                )
            } else {
                Some(reader.read(entry.name, Role::Entry, &bytes, depth))
            }
        }
    }
}

fn zip_entry_reason(error: &ZipError) -> String {
    match error {
        ZipError::UnsupportedArchive(message) if message.contains("assword") => {
            "an encrypted zip entry; unzip the archive with its password and drop the reports \
             inside"
                .to_string()
        }
        ZipError::CompressionMethodNotSupported(method) => format!(
            "a zip entry compressed with method {method}, which is not supported; unzip the \
             archive and drop the reports, or zip them again with standard (deflate) compression"
        ),
        other => format!(
            "a damaged zip entry ({}); download or create the archive again",
            zip_error_text(other)
        ),
    }
}

fn zip_error_text(error: &ZipError) -> String {
    error.to_string()
}
