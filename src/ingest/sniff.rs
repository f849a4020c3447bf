//! Recognises what a byte string holds by its content, not by its file name.

/// What the first bytes of an input say it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ContentKind {
    Empty,
    Gzip,
    Json,
    Zip,
    Pdf,
    /// An RFC 5322 message (starts with header lines).
    Email,
    /// A Unix mailbox (starts with a "From " line).
    Mbox,
    /// UTF-16 text (with a byte-order mark, or ASCII with zero bytes between).
    Utf16,
    /// A DMARC aggregate report (XML with a `<feedback>` element), often confused with TLS-RPT.
    DmarcXml,
    /// A known format that is not read: an Outlook .msg, a tar, 7-Zip, RAR, bzip2, xz or
    /// Zstandard archive. Carries its name.
    OtherContainer(&'static str),
    /// Text that is none of the above; carries its first characters.
    OtherText(String),
    /// Binary data that is none of the above; carries its first bytes in hex.
    OtherBinary(String),
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub fn sniff(bytes: &[u8]) -> ContentKind {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        return ContentKind::Gzip;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return ContentKind::Zip;
    }
    if bytes.starts_with(b"%PDF") {
        return ContentKind::Pdf;
    }
    if let Some(name) = other_container(bytes) {
        return ContentKind::OtherContainer(name);
    }
    if looks_like_utf16(bytes) {
        return ContentKind::Utf16;
    }
    let text = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    let Some(start) = text.iter().position(|b| !b.is_ascii_whitespace()) else {
        return ContentKind::Empty;
    };
    let text = &text[start..];
    if text.starts_with(b"{") || text.starts_with(b"[") {
        return ContentKind::Json;
    }
    let head = &text[..text.len().min(512)];
    if head.contains(&0) || std::str::from_utf8(valid_prefix(head)).is_err() {
        return ContentKind::OtherBinary(hex_preview(bytes));
    }
    if text.starts_with(b"From ") {
        return ContentKind::Mbox;
    }
    if looks_like_header_line(head) {
        return ContentKind::Email;
    }
    if text.starts_with(b"<") && head.windows(9).any(|window| window == b"<feedback") {
        return ContentKind::DmarcXml;
    }
    ContentKind::OtherText(text_preview(head))
}

/// Formats people save reports in that are not read, by their magic bytes.
fn other_container(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 6] = [
        (
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
            "an Outlook message (.msg)",
        ),
        (b"7z\xBC\xAF\x27\x1C", "a 7-Zip archive"),
        (b"Rar!\x1A\x07", "a RAR archive"),
        (b"BZh", "bzip2-compressed data"),
        (b"\xFD7zXZ\x00", "xz-compressed data"),
        (b"\x28\xB5\x2F\xFD", "Zstandard-compressed data"),
    ];
    if bytes.len() > 262 && &bytes[257..262] == b"ustar" {
        return Some("a tar archive");
    }
    MAGIC
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, name)| *name)
}

/// A UTF-16 byte-order mark, or "{" / "[" followed or preceded by a zero byte.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xff, 0xfe])
        || bytes.starts_with(&[0xfe, 0xff])
        || matches!(bytes, [b'{' | b'[', 0, ..] | [0, b'{' | b'[', ..])
}

/// The head of the data cut at a UTF-8 boundary, so that a character split at byte 512 is
/// not mistaken for binary data.
fn valid_prefix(head: &[u8]) -> &[u8] {
    match std::str::from_utf8(head) {
        Ok(_) => head,
        Err(error) if error.error_len().is_none() => &head[..error.valid_up_to()],
        Err(_) => head,
    }
}

/// "Received: ...", "Return-Path: <...>", "X-Mozilla-Status: 0001".
fn looks_like_header_line(head: &[u8]) -> bool {
    let line_end = head.iter().position(|&b| b == b'\n').unwrap_or(head.len());
    let line = &head[..line_end];
    match line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => line[..colon]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-'),
        _ => false,
    }
}

fn hex_preview(bytes: &[u8]) -> String {
    bytes
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn text_preview(head: &[u8]) -> String {
    let text = String::from_utf8_lossy(head);
    let line = text.lines().next().unwrap_or("").trim();
    let mut preview: String = line.chars().take(40).collect();
    if line.chars().count() > 40 {
        preview.push('…');
    }
    preview
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_by_content() {
        assert_eq!(sniff(b""), ContentKind::Empty);
        assert_eq!(sniff(b" \n\t"), ContentKind::Empty);
        assert_eq!(sniff(b"\x1f\x8b\x08\x00"), ContentKind::Gzip);
        assert_eq!(sniff(b"\xEF\xBB\xBF  {\"a\":1}"), ContentKind::Json);
        assert_eq!(sniff(b"[1,2]"), ContentKind::Json);
        assert_eq!(sniff(b"PK\x03\x04rest"), ContentKind::Zip);
        assert_eq!(
            sniff(b"From MAILER-DAEMON Fri Jul  8 12:08:34 2011\n"),
            ContentKind::Mbox
        );
        assert_eq!(
            sniff(b"Received: from x\r\nSubject: y\r\n"),
            ContentKind::Email
        );
        assert_eq!(
            sniff(b"\x00\x01\x02\x03\x04"),
            ContentKind::OtherBinary("00 01 02 03 04".into())
        );
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<feedback>"),
            ContentKind::DmarcXml
        );
        assert_eq!(
            sniff(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0"),
            ContentKind::OtherContainer("an Outlook message (.msg)")
        );
        let mut tar = vec![0u8; 600];
        tar[257..262].copy_from_slice(b"ustar");
        assert_eq!(sniff(&tar), ContentKind::OtherContainer("a tar archive"));
        assert_eq!(
            sniff(b"hello world\n"),
            ContentKind::OtherText("hello world".into())
        );
    }
}
