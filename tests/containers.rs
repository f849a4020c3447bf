//! Reports as they arrive: inside emails (with every media type seen in the wild), mailboxes
//! (mboxo and mboxrd), zip archives, and any nesting of those, within the size limits.

mod common;

use base64::Engine;
use common::*;
use flate2::{write::GzEncoder, Compression};
use std::io::{Cursor, Write};
use tlsrpt_viewer::ingest::limits::Budget;
use tlsrpt_viewer::ingest::{
    ingest_file, ingest_file_within, IngestNode, NodeContent, Outcome, ReportSet, Role,
};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const RFC_JSON: &str = "real/parsedmarc/rfc8460.json";
const GOOGLE_GZ: &str = "attachments/isseis-tlsrpt-digest/tlsrpt_success_google_1.json.gz";

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// One MIME part of a test email.
struct Attach<'a> {
    media_type: &'a str,
    name: Option<&'a str>,
    encoding: &'a str,
    body: Vec<u8>,
}

impl<'a> Attach<'a> {
    fn base64(media_type: &'a str, name: Option<&'a str>, body: Vec<u8>) -> Self {
        Attach {
            media_type,
            name,
            encoding: "base64",
            body,
        }
    }
}

#[derive(Clone, Copy)]
struct Shape {
    crlf: bool,
    closing_boundary: bool,
    html_body: bool,
}

const PLAIN: Shape = Shape {
    crlf: false,
    closing_boundary: true,
    html_body: false,
};

/// A report email like Google's, with folded headers, around the given parts.
fn email(parts: &[Attach], shape: Shape) -> Vec<u8> {
    let mut text = String::from(
        "From: noreply-smtp-tls-reporting@google.com\n\
         To: tlsrpt@example.com\n\
         Subject: Report Domain: example.com\n Submitter: google.com\n Report-ID: <2026.11.26T00.00.00Z+example.com@google.com>\n\
         Date: Thu, 26 Nov 2026 10:00:00 +0000\n\
         TLS-Report-Domain: example.com\n\
         TLS-Report-Submitter:\n google.com\n\
         Message-ID: <test-1@google.com>\n\
         MIME-Version: 1.0\n\
         Content-Type: multipart/report; report-type=tlsrpt;\n\tboundary=\"BOUNDARY-x\"\n\
         \n\
         This is a multipart message in MIME format.\n\
         \n\
         --BOUNDARY-x\n",
    );
    if shape.html_body {
        text.push_str(
            "Content-Type: text/html; charset=\"us-ascii\"\nContent-Transfer-Encoding: quoted-printable\n\n\
             <div>This is an aggregate TLS report from google.com =3D see the attachment</div>\n",
        );
    } else {
        text.push_str(
            "Content-Type: text/plain; charset=UTF-8\n\nThis is an aggregate TLS report from google.com\n",
        );
    }
    for part in parts {
        text.push_str("--BOUNDARY-x\n");
        match part.name {
            Some(name) => text.push_str(&format!(
                "Content-Type: {}; name=\"{name}\"\nContent-Disposition: attachment;\n filename=\"{name}\"\n",
                part.media_type
            )),
            None => text.push_str(&format!(
                "Content-Type: {}\nContent-Disposition: attachment\n",
                part.media_type
            )),
        }
        text.push_str(&format!(
            "Content-Transfer-Encoding: {}\n\n{}\n",
            part.encoding,
            encode(part.encoding, &part.body)
        ));
    }
    if shape.closing_boundary {
        text.push_str("--BOUNDARY-x--\n");
    }
    if shape.crlf {
        text = text.replace('\n', "\r\n");
    }
    text.into_bytes()
}

fn encode(encoding: &str, body: &[u8]) -> String {
    match encoding {
        "base64" => {
            let encoded = base64::engine::general_purpose::STANDARD.encode(body);
            let lines: Vec<&str> = encoded
                .as_bytes()
                .chunks(76)
                .map(|chunk| std::str::from_utf8(chunk).unwrap())
                .collect();
            lines.join("\n")
        }
        "quoted-printable" => {
            let escaped = String::from_utf8(body.to_vec())
                .unwrap()
                .replace('=', "=3D");
            // Soft line breaks every 70 characters, as mail programs write them.
            let chars: Vec<char> = escaped.replace('\n', " ").chars().collect();
            chars
                .chunks(70)
                .map(|chunk| chunk.iter().collect::<String>())
                .collect::<Vec<_>>()
                .join("=\n")
        }
        _ => String::from_utf8(body.to_vec()).unwrap(),
    }
}

fn rfc_json() -> Vec<u8> {
    sample(RFC_JSON)
}

fn rfc_report() -> tlsrpt_viewer::report::Report {
    report(RFC_JSON)
}

/// The one attachment of a test email, which must hold the RFC example report.
fn assert_carries_rfc_report(name: &str, bytes: &[u8]) -> IngestNode {
    let node = ingest_file(name, bytes);
    assert_eq!(
        reports_in(&node),
        vec![rfc_report()],
        "{name}: {:#?}",
        rejections_in(&node)
    );
    node
}

#[test]
fn every_media_type_seen_in_the_wild() {
    let cases = [
        ("application/tlsrpt+gzip", Some("r.json.gz"), "base64", true),
        ("application/tlsrpt+json", Some("r.json"), "7bit", false),
        ("application/tlsrpt+json", None, "base64", false),
        ("application/gzip", Some("r.json.gz"), "base64", true),
        ("application/x-gzip", None, "base64", true),
        (
            "application/octet-stream",
            Some("r.json.gz"),
            "base64",
            true,
        ),
        ("application/json", Some("r.json"), "base64", false),
        ("application/json", None, "quoted-printable", false),
        ("text/plain", Some("r.json"), "7bit", false),
    ];
    for (media_type, name, encoding, gzipped) in cases {
        let body = if gzipped {
            gzip(&rfc_json())
        } else {
            rfc_json()
        };
        let part = Attach {
            media_type,
            name,
            encoding,
            body,
        };
        let label = format!("{media_type} {name:?} {encoding}");
        let node = assert_carries_rfc_report(&label, &email(&[part], PLAIN));
        let attachment = only_child(&node);
        assert_eq!(attachment.role, Role::Attachment);
        let inner = if gzipped { "gzip → JSON" } else { "JSON" };
        assert_eq!(
            attachment.format,
            format!("{media_type} → {inner}"),
            "{label}"
        );
        if let Some(name) = name {
            assert_eq!(attachment.name, name);
        }
    }
}

#[test]
fn headers_are_kept_unfolded() {
    let part = Attach::base64(
        "application/tlsrpt+gzip",
        Some("r.json.gz"),
        gzip(&rfc_json()),
    );
    let node = assert_carries_rfc_report("folded.eml", &email(&[part], PLAIN));
    let info = node.email.expect("email headers");
    assert_eq!(
        info.subject.as_deref(),
        Some(
            "Report Domain: example.com Submitter: google.com Report-ID: \
             <2026.11.26T00.00.00Z+example.com@google.com>"
        )
    );
    assert_eq!(info.report_domain.as_deref(), Some("example.com"));
    assert_eq!(info.report_submitter.as_deref(), Some("google.com"));
    assert_eq!(info.date.as_deref(), Some("2026-11-26T10:00:00Z"));
    assert_eq!(
        info.from.as_deref(),
        Some("noreply-smtp-tls-reporting@google.com")
    );
    assert_eq!(info.message_id.as_deref(), Some("test-1@google.com"));
    assert_eq!(node.not_read, ["text/plain body, 47 bytes"]);
}

#[test]
fn line_endings_boundaries_and_html_bodies_do_not_matter() {
    for crlf in [false, true] {
        for closing_boundary in [false, true] {
            for html_body in [false, true] {
                let shape = Shape {
                    crlf,
                    closing_boundary,
                    html_body,
                };
                let part = Attach::base64(
                    "application/tlsrpt+gzip",
                    Some("r.json.gz"),
                    gzip(&rfc_json()),
                );
                let label = format!("crlf {crlf}, closed {closing_boundary}, html {html_body}");
                let node = assert_carries_rfc_report(&label, &email(&[part], shape));
                let body = if html_body {
                    "text/html body"
                } else {
                    "text/plain body"
                };
                assert!(
                    node.not_read[0].starts_with(body),
                    "{label}: {:?}",
                    node.not_read
                );
            }
        }
    }
}

#[test]
fn an_email_without_a_report_says_so() {
    let logo = Attach::base64(
        "image/png",
        Some("logo.png"),
        vec![0x89, b'P', b'N', b'G', 0, 1],
    );
    let reason = rejection("newsletter.eml", &email(&[logo], PLAIN));
    assert_eq!(
        reason,
        "email has no TLS-RPT attachment: it holds only text/plain body, 47 bytes; image/png \
         attachment \"logo.png\", 6 bytes. A report email carries a .json or .json.gz \
         attachment; if this message should have one, forward the original from your mail \
         program as an attachment"
    );
    let reason = rejection(
        "hello.eml",
        b"Subject: hi\nFrom: a@example.com\n\nJust text.\n",
    );
    assert!(reason.starts_with("email has no TLS-RPT attachment: it holds only text/plain body"));
}

#[test]
fn a_broken_attachment_is_rejected_and_the_good_one_kept() {
    let whole = gzip(&rfc_json());
    let parts = [
        Attach::base64(
            "application/tlsrpt+gzip",
            Some("cut.json.gz"),
            whole[..40].to_vec(),
        ),
        Attach::base64("application/tlsrpt+gzip", Some("good.json.gz"), whole),
    ];
    let node = ingest_file("two.eml", &email(&parts, PLAIN));
    assert_eq!(reports_in(&node), vec![rfc_report()]);
    let rejections = rejections_in(&node);
    assert_eq!(rejections.len(), 1);
    assert_eq!(rejections[0].0, "cut.json.gz");
    assert!(
        rejections[0].1.starts_with("truncated gzip"),
        "{:?}",
        rejections
    );
}

#[test]
fn a_forwarded_report_email_is_read() {
    let original = sample("real/isseis-tlsrpt-digest/tlsrpt_success_microsoft.eml");
    let part = Attach {
        media_type: "message/rfc822",
        name: None,
        encoding: "7bit",
        body: original.clone(),
    };
    let node = ingest_file("fwd.eml", &email(&[part], PLAIN));
    let forwarded = only_child(&node);
    assert_eq!(forwarded.role, Role::Message);
    assert_eq!(
        forwarded
            .email
            .as_ref()
            .unwrap()
            .report_submitter
            .as_deref(),
        Some("microsoft.com")
    );
    assert_eq!(
        reports_in(&node),
        reports_in(&ingest_file("m.eml", &original))
    );
}

/// A mailbox of the six real report emails and one message without a report, with a body
/// line that mbox writers must escape.
fn mailbox(rd: bool, thunderbird: bool) -> Vec<u8> {
    let mut messages: Vec<Vec<u8>> = sample_files("real", ".eml")
        .iter()
        .map(|file| sample(file))
        .collect();
    messages.push(
        b"From: admin@example.com\nSubject: about the reports\n\nHello,\n\nFrom now on the reports\n>From the old server are gone.\n"
            .to_vec(),
    );
    let mut mailbox = Vec::new();
    for message in messages {
        let separator = if thunderbird {
            "From - Thu Nov 26 10:00:00 2026\nX-Mozilla-Status: 0001\nX-Mozilla-Status2: 00000000\n"
        } else {
            "From MAILER-DAEMON Thu Nov 26 10:00:00 2026\n"
        };
        mailbox.extend_from_slice(separator.as_bytes());
        let text = String::from_utf8(message).unwrap();
        for line in text.split_inclusive('\n') {
            let quotes = line.chars().take_while(|&c| c == '>').count();
            let escape = line[quotes..].starts_with("From ") && (rd || quotes == 0);
            if escape {
                mailbox.push(b'>');
            }
            mailbox.extend_from_slice(line.as_bytes());
        }
        if !mailbox.ends_with(b"\n") {
            mailbox.push(b'\n');
        }
        mailbox.push(b'\n');
    }
    if thunderbird {
        mailbox = String::from_utf8(mailbox)
            .unwrap()
            .replace("\r\n", "\n")
            .replace('\n', "\r\n")
            .into_bytes();
    }
    mailbox
}

#[test]
fn a_mailbox_read_from_its_file_gives_what_its_bytes_give() {
    // The tlsrpt command reads a mailbox from its file, a message at a time: the same tree,
    // message for message, as the page's reading of its bytes, in every escaping, after blank
    // lines, with an empty message, and when the item cap stops it half-way. (The command
    // reads a file this way when its start is a mailbox's, as the page's sniffing says.)
    let mut preamble = b"\r\n\n".to_vec();
    preamble.extend(mailbox(false, false));
    let cases: Vec<(Vec<u8>, Budget)> = vec![
        (mailbox(true, false), Budget::default()),
        (mailbox(false, true), Budget::default()),
        (preamble, Budget::default()),
        (b"From nobody\n".to_vec(), Budget::default()),
        (mailbox(true, false), Budget::new(1 << 20, 64 << 20, 3)),
    ];
    for (index, (bytes, budget)) in cases.into_iter().enumerate() {
        let from_bytes = tlsrpt_viewer::ingest::IngestJob::new("Inbox.mbox", &bytes)
            .within(budget.clone())
            .finish();
        let from_file = tlsrpt_viewer::ingest::IngestJob::mbox_file(
            "Inbox.mbox",
            bytes.len() as u64,
            Box::new(std::io::BufReader::with_capacity(
                7,
                Cursor::new(bytes.clone()),
            )),
        )
        .within(budget)
        .finish();
        assert_eq!(
            serde_json::to_value(&from_file).unwrap(),
            serde_json::to_value(&from_bytes).unwrap(),
            "case {index}"
        );
        if index == 4 {
            let text = serde_json::to_string(&from_file).unwrap();
            assert!(
                text.contains("\"5 more messages\""),
                "the cap stops it: {text}"
            );
            // The notice gives the limit that was reached, not the default one.
            assert!(
                text.contains("already holds 3 items (messages"),
                "the limit said: {text}"
            );
        }
    }
}

/// Its bytes, then a reading error.
struct FailsAfter(Cursor<Vec<u8>>);

impl std::io::Read for FailsAfter {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        match self.0.read(buffer)? {
            0 => Err(std::io::Error::other("the disk went away")),
            read => Ok(read),
        }
    }
}

#[test]
fn a_mailbox_whose_file_fails_midway_keeps_what_was_read_and_says_why() {
    let bytes = mailbox(true, false);
    let cut = bytes.len() / 2;
    let source = std::io::BufReader::new(FailsAfter(Cursor::new(bytes[..cut].to_vec())));
    let node = tlsrpt_viewer::ingest::IngestJob::mbox_file(
        "Inbox.mbox",
        bytes.len() as u64,
        Box::new(source),
    )
    .finish();
    assert!(!reports_in(&node).is_empty());
    let rejections = rejections_in(&node);
    let last = rejections.last().unwrap();
    assert_eq!(
        last.1,
        "the rest of the mailbox could not be read (the disk went away); check that the file is \
         still there and read it again"
    );
    // With the item limit reached on the way, the error is still said, after the notice.
    let source = std::io::BufReader::new(FailsAfter(Cursor::new(bytes[..cut].to_vec())));
    let node = tlsrpt_viewer::ingest::IngestJob::mbox_file(
        "Inbox.mbox",
        bytes.len() as u64,
        Box::new(source),
    )
    .within(Budget::new(1 << 20, 64 << 20, 2))
    .finish();
    let rejections = rejections_in(&node);
    assert!(
        rejections
            .last()
            .unwrap()
            .1
            .starts_with("the rest of the mailbox could not be read"),
        "{rejections:#?}"
    );
}

#[test]
fn a_mailbox_in_every_escaping_gives_every_report() {
    // The oracle: the attachments of the six emails, loaded as files.
    let mut expected = ReportSet::new();
    for file in sample_files("attachments", ".json.gz") {
        expected.add(ingest_sample(&file));
    }
    let expected_counts = expected.counts();
    assert_eq!(expected_counts.files, 6);

    let mut trees = Vec::new();
    for (rd, thunderbird) in [(false, false), (true, false), (true, true)] {
        let label = format!("mboxrd {rd}, thunderbird {thunderbird}");
        let mut set = ReportSet::new();
        set.add(ingest_file("Inbox.mbox", &mailbox(rd, thunderbird)));
        let mailbox = &set.inputs[0];
        assert_eq!(mailbox.format, "mailbox", "{label}");
        assert_eq!(mailbox.children.len(), 7, "{label}");
        assert!(mailbox.children.iter().all(|m| m.role == Role::Message));
        let counts = set.counts();
        assert_eq!(counts.messages, 7, "{label}");
        assert_eq!(counts.messages_without_report, 1, "{label}");
        assert_eq!(counts.loaded, expected_counts.loaded, "{label}");
        assert_eq!(counts.duplicates, expected_counts.duplicates, "{label}");
        assert_eq!(counts.rejected, 1, "{label}");
        let reports: Vec<_> = set.reports.iter().map(|r| r.report.clone()).collect();
        let oracle: Vec<_> = expected.reports.iter().map(|r| r.report.clone()).collect();
        assert_eq!(reports, oracle, "{label}");
        assert_eq!(
            mailbox.detail(),
            format!(
                "7 messages: {}; 1 message without a report",
                expected_counts.outcome_summary()
            )
        );
        // Sources name the message and the attachment.
        assert!(set.reports[0].source.starts_with("Inbox.mbox › message "));
        assert!(set.reports[0]
            .email
            .as_ref()
            .unwrap()
            .report_domain
            .is_some());
        let last = &mailbox.children[6];
        assert_eq!(
            last.email.as_ref().unwrap().subject.as_deref(),
            Some("about the reports")
        );
        trees.push(
            mailbox
                .children
                .iter()
                .map(|m| (m.describe(), m.email.clone()))
                .collect::<Vec<_>>(),
        );
    }
    // The reports and headers read alike. The body of the last message shows the escaping:
    // mboxrd gives back the original 64 bytes (">From" kept), while mboxo cannot tell an
    // escaped "From " from a quoted ">From ", so that line loses its ">" (63 bytes).
    assert_eq!(trees[0][..6], trees[1][..6]);
    assert!(
        trees[1][6].0.contains("text/plain body, 64 bytes"),
        "{:?}",
        trees[1][6]
    );
    assert!(
        trees[0][6].0.contains("text/plain body, 63 bytes"),
        "{:?}",
        trees[0][6]
    );
}

fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (index, (name, bytes)) in entries.iter().enumerate() {
        if name.ends_with('/') {
            writer
                .add_directory(*name, SimpleFileOptions::default())
                .unwrap();
            continue;
        }
        let method = if index % 2 == 0 {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        writer
            .start_file(
                *name,
                SimpleFileOptions::default().compression_method(method),
            )
            .unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn a_zip_read_from_its_file_gives_what_its_bytes_give() {
    // The tlsrpt command reads a zip from its file, an entry at a time: the same tree, entry
    // for entry, as the page's reading of its bytes, nested archive, clutter and damage alike.
    let inner = zip_of(&[("d.json", &sample("real/parsedmarc/mail.ru.json"))]);
    let archive = zip_of(&[
        ("reports/", b""),
        ("reports/a.json", &rfc_json()),
        ("reports/b.json.gz", &sample(GOOGLE_GZ)),
        ("inner.zip", &inner),
        ("README.txt", b"Reports for example.com\n"),
    ]);
    let from_bytes = ingest_file("reports.zip", &archive);
    let from_file = tlsrpt_viewer::ingest::IngestJob::zip_file(
        "reports.zip",
        archive.len() as u64,
        Box::new(Cursor::new(archive.clone())),
    )
    .finish();
    assert_eq!(
        serde_json::to_value(&from_file).unwrap(),
        serde_json::to_value(&from_bytes).unwrap()
    );
    // A damaged archive is rejected with the same reason.
    let damaged = &archive[..archive.len() / 2];
    let from_file = tlsrpt_viewer::ingest::IngestJob::zip_file(
        "cut.zip",
        damaged.len() as u64,
        Box::new(Cursor::new(damaged.to_vec())),
    )
    .finish();
    assert_eq!(
        serde_json::to_value(&from_file).unwrap(),
        serde_json::to_value(ingest_file("cut.zip", damaged)).unwrap()
    );
}

#[test]
fn a_zip_archive_with_reports_emails_and_clutter() {
    let inner = zip_of(&[(
        "d.json",
        &sample("real/phi-ag-mta-sts-exporter/microsoft.json"),
    )]);
    let archive = zip_of(&[
        ("reports/", b""),
        ("reports/a.json", &rfc_json()),
        ("reports/b.json.gz", &sample(GOOGLE_GZ)),
        (
            "reports/c.eml",
            &sample("real/parsedmarc/google.com_smtp_tls_report.eml"),
        ),
        ("inner.zip", &inner),
        ("README.txt", b"Reports for example.com\n"),
        ("__MACOSX/reports/._a.json", &[0, 5, 22, 7, 0, 2, 0, 0]),
    ]);
    let node = ingest_file("reports.zip", &archive);
    assert_eq!(node.format, "zip");
    let NodeContent::Unpacked { children } = &node.content else {
        panic!("{node:#?}");
    };
    let names: Vec<&str> = children.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "reports/a.json",
            "reports/b.json.gz",
            "reports/c.eml",
            "inner.zip",
            "README.txt",
            "__MACOSX/reports/._a.json"
        ],
        "the folder entry holds nothing and is not listed"
    );
    assert!(children.iter().all(|c| c.role == Role::Entry));
    assert_eq!(children[2].format, "email");
    assert_eq!(children[3].format, "zip");
    assert_eq!(reports_in(&node).len(), 4);
    let rejections = rejections_in(&node);
    assert_eq!(rejections.len(), 2, "{rejections:#?}");
    assert!(rejections[0]
        .1
        .starts_with("not a report: text starting with \"Reports for"));
    assert_eq!(
        rejections[1].1,
        "macOS file metadata (AppleDouble), not a report; nothing to do"
    );
    let mut set = ReportSet::new();
    set.add(node);
    assert_eq!(
        set.inputs[0].detail(),
        "6 files: 4 reports loaded, 2 rejected"
    );
    assert_eq!(set.reports[3].source, "reports.zip › inner.zip › d.json");
}

#[test]
fn damaged_and_encrypted_archives_say_what_to_do() {
    let archive = zip_of(&[("a.json", &rfc_json())]);
    let reason = rejection("cut.zip", &archive[..archive.len() - 30]);
    assert!(reason.starts_with("a damaged zip archive ("), "{reason}");
    assert!(
        reason.ends_with("download or create the archive again"),
        "{reason}"
    );

    // Mark the entry as encrypted in both of its headers, as a password-protected zip does.
    let mut encrypted = zip_of(&[("b.json", &rfc_json())]);
    let local = find(&encrypted, b"PK\x03\x04");
    let central = find(&encrypted, b"PK\x01\x02");
    encrypted[local + 6] |= 1;
    encrypted[central + 8] |= 1;
    let node = ingest_file("secret.zip", &encrypted);
    let rejections = rejections_in(&node);
    assert_eq!(rejections.len(), 1, "{node:#?}");
    assert_eq!(
        rejections[0].1,
        "an encrypted zip entry; unzip the archive with its password and drop the reports inside"
    );
}

#[test]
fn a_central_directory_damaged_midway_keeps_the_entries_before_and_names_the_rest() {
    let google = sample("real/cry-inc-dmarc-report-viewer/google.json");
    let mut archive = zip_of(&[
        ("a.json", &rfc_json()),
        ("b.json", &google),
        ("c.json", b"{}"),
    ]);
    // The second entry of the central directory loses its signature.
    let first = find(&archive, b"PK\x01\x02");
    let second = first + 4 + find(&archive[first + 4..], b"PK\x01\x02");
    archive[second] = b'X';
    let node = ingest_file("half.zip", &archive);
    assert_eq!(reports_in(&node), vec![rfc_report()]);
    let rejections = rejections_in(&node);
    assert_eq!(rejections.len(), 1, "{node:#?}");
    assert_eq!(rejections[0].0, "entry 2");
    assert!(
        rejections[0]
            .1
            .starts_with("a damaged zip archive: its list of files cannot be read from here ("),
        "{}",
        rejections[0].1
    );
    assert!(
        rejections[0].1.ends_with(
            "), so this entry and 1 more are not read; download or create the archive again"
        ),
        "{}",
        rejections[0].1
    );
}

/// A reader that counts the bytes read from it.
struct Counted<R> {
    inner: R,
    read: std::rc::Rc<std::cell::Cell<u64>>,
}

impl<R: std::io::Read> std::io::Read for Counted<R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        let read = self.inner.read(buffer)?;
        self.read.set(self.read.get() + read as u64);
        Ok(read)
    }
}

impl<R: std::io::Seek> std::io::Seek for Counted<R> {
    fn seek(&mut self, position: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(position)
    }
}

#[test]
fn an_entry_over_the_cap_is_not_read_on_to_its_end() {
    // Stored (the second entry of zip_of is), so reading it whole would read all its bytes:
    // stopped at the cap, the archive is read little further than the cap.
    let big = vec![b' '; 4 << 20];
    let archive = zip_of(&[("a.json", &rfc_json()), ("big.json", &big)]);
    let read = std::rc::Rc::new(std::cell::Cell::new(0));
    let source = Counted {
        inner: Cursor::new(archive.clone()),
        read: read.clone(),
    };
    let node = tlsrpt_viewer::ingest::IngestJob::zip_file(
        "big.zip",
        archive.len() as u64,
        Box::new(source),
    )
    .within(Budget::new(64 << 10, 64 << 20, 100))
    .finish();
    assert_eq!(reports_in(&node), vec![rfc_report()]);
    assert!(
        rejections_in(&node)[0]
            .1
            .starts_with("the zip entry holds more than 64 KiB"),
        "{node:#?}"
    );
    assert!(
        read.get() < 1 << 20,
        "{} bytes read of a {} byte archive",
        read.get(),
        archive.len()
    );
}

#[test]
fn damaged_entries_count_against_the_input_budget() {
    // Entries whose checksum is wrong are read whole before the damage shows: what they
    // expanded to counts, so the input's budget ends the reading as it does for good ones.
    let filler = vec![b'x'; 3 << 10];
    let names: Vec<String> = (0..10).map(|i| format!("{i}.json")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &filler[..])).collect();
    let mut archive = zip_of(&entries);
    let mut at = 0;
    while let Some(found) = archive[at..].windows(4).position(|w| w == b"PK\x01\x02") {
        // The CRC-32 of each entry in the central directory, which the reader checks.
        archive[at + found + 16] ^= 0xff;
        at += found + 4;
    }
    let node = ingest_file_within("crc.zip", &archive, Budget::new(4 << 10, 10 << 10, 100));
    let rejections = rejections_in(&node);
    assert_eq!(rejections.len(), 10, "{node:#?}");
    assert!(
        rejections[0].1.starts_with("a damaged zip entry ("),
        "{}",
        rejections[0].1
    );
    assert!(
        rejections
            .iter()
            .any(|(_, reason)| reason.starts_with("not read: this input has already expanded")),
        "{rejections:#?}"
    );
}

#[test]
fn entries_sharing_a_name_are_each_read() {
    // Zip tools refuse to write a name twice, but an archive can hold it (appended to, or made
    // by hand): both entries are read, the walk holding one entry at a time.
    let google = sample("real/cry-inc-dmarc-report-viewer/google.json");
    let mut archive = zip_of(&[("a.json", &rfc_json()), ("b.json", &google)]);
    let mut at = 0;
    while let Some(found) = archive[at..].windows(6).position(|w| w == b"b.json") {
        archive[at + found..at + found + 6].copy_from_slice(b"a.json");
        at += found + 6;
    }
    let node = ingest_file("twice.zip", &archive);
    assert_eq!(reports_in(&node).len(), 2, "{node:#?}");
    assert!(rejections_in(&node).is_empty());
}

fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
        .unwrap()
}

#[test]
fn a_zip_bomb_entry_is_capped_and_the_others_read() {
    let zeros = vec![b' '; 17 << 20];
    let archive = zip_of(&[("bomb.json", &zeros), ("fine.json", &rfc_json())]);
    assert!(archive.len() < 200_000);
    let node = ingest_file("bomb.zip", &archive);
    assert_eq!(reports_in(&node), vec![rfc_report()]);
    let rejections = rejections_in(&node);
    assert_eq!(rejections[0].0, "bomb.json");
    assert!(
        rejections[0].1.starts_with(
            "the zip entry decompresses to more than 16 MiB, the limit for one report"
        ),
        "{rejections:?}"
    );
}

#[test]
fn a_large_decoded_attachment_is_capped() {
    let part = Attach::base64(
        "application/tlsrpt+gzip",
        Some("big.json.gz"),
        vec![0x1f; 3000],
    );
    let node = ingest_file_within(
        "big.eml",
        &email(&[part], PLAIN),
        Budget::new(2000, 1 << 20, 100),
    );
    let rejections = rejections_in(&node);
    assert_eq!(
        rejections,
        [(
            "big.json.gz".to_string(),
            "the attachment holds more than 2.0 KiB, the limit for one report (real reports are \
             a few kilobytes), so it was not read: base64 is no compression, and this is no \
             decompression bomb"
                .replace(
                    ": base64 is no compression, and this is no decompression bomb",
                    ""
                )
        )]
    );
}

#[test]
fn the_total_expansion_cap_stops_reading_and_says_so() {
    // 5 KiB in all: the first attachments fit, later ones are refused, all are listed.
    let node = ingest_file_within(
        "Inbox.mbox",
        &mailbox(true, false),
        Budget::new(4 << 10, 5 << 10, 1000),
    );
    let loaded = reports_in(&node).len();
    let rejections = rejections_in(&node);
    assert!((1..6).contains(&loaded), "{loaded} loaded");
    assert_eq!(loaded + rejections.len(), 7, "every message accounted for");
    let refused = rejections
        .iter()
        .filter(|(_, reason)| reason.starts_with("not read: this input has already expanded"))
        .count();
    assert!(refused >= 1, "{rejections:#?}");
}

#[test]
fn the_item_cap_stops_reading_and_says_how_many_were_left() {
    let node = ingest_file_within(
        "Inbox.mbox",
        &mailbox(true, false),
        Budget::new(1 << 20, 1 << 30, 6),
    );
    let NodeContent::Unpacked { children } = &node.content else {
        panic!("{node:#?}");
    };
    let last = children.last().unwrap();
    assert!(last.name.ends_with("more messages"), "{}", last.name);
    let NodeContent::Rejected { reason } = &last.content else {
        panic!("{last:#?}");
    };
    assert!(
        reason.starts_with("not read: this input already holds"),
        "{reason}"
    );
    let read = children.len() - 1;
    let left: usize = last.name.split(' ').next().unwrap().parse().unwrap();
    assert_eq!(read + left, 7, "read and not read add up to the mailbox");
    // Thousands are separated in the name of what was left.
    let many: String = (0..1206)
        .map(|i| {
            format!(
                "From sender{i}@example.com Sat Nov 28 05:10:22 2026\nSubject: {i}\n\nhello\n\n"
            )
        })
        .collect();
    let node = ingest_file_within(
        "Big.mbox",
        many.as_bytes(),
        Budget::new(1 << 20, 1 << 30, 6),
    );
    let NodeContent::Unpacked { children } = &node.content else {
        panic!("{node:#?}");
    };
    assert_eq!(children.last().unwrap().name, "1,200 more messages");
}

#[test]
fn an_archive_of_exactly_the_item_cap_is_read_whole() {
    // The input file is not one of its items: 6 entries within a cap of 6 are all read.
    let report = sample("real/parsedmarc/rfc8460.json");
    let names: Vec<String> = (0..7).map(|i| format!("r{i}.json")).collect();
    let entries: Vec<(&str, &[u8])> = names[..6]
        .iter()
        .map(|n| (n.as_str(), report.as_slice()))
        .collect();
    let node = ingest_file_within(
        "six.zip",
        &zip_of(&entries),
        Budget::new(1 << 20, 1 << 30, 6),
    );
    let NodeContent::Unpacked { children } = &node.content else {
        panic!("{node:#?}");
    };
    assert_eq!(
        children.len(),
        6,
        "{:?}",
        children.iter().map(|c| &c.name).collect::<Vec<_>>()
    );
    assert!(children.iter().all(|c| !c.name.contains("more")));
    let seven: Vec<(&str, &[u8])> = names
        .iter()
        .map(|n| (n.as_str(), report.as_slice()))
        .collect();
    let node = ingest_file_within(
        "seven.zip",
        &zip_of(&seven),
        Budget::new(1 << 20, 1 << 30, 6),
    );
    let NodeContent::Unpacked { children } = &node.content else {
        panic!("{node:#?}");
    };
    assert_eq!(children.last().unwrap().name, "1 more archive entries");
}

#[test]
fn the_input_size_cap() {
    let huge = vec![b' '; (256 << 20) + 1];
    assert_eq!(
        rejection("huge.mbox", &huge),
        "the file is 256 MiB, over the 256 MiB limit for one input; split the mailbox or \
         archive into smaller files"
    );
}

#[test]
fn nesting_is_limited() {
    let mut data = rfc_json();
    for level in 0..7 {
        data = zip_of(&[(&format!("level{level}.zip"), &data)]);
    }
    let node = ingest_file("deep.zip", &data);
    assert!(reports_in(&node).is_empty());
    let rejections = rejections_in(&node);
    assert_eq!(rejections.len(), 1);
    assert!(
        rejections[0]
            .1
            .starts_with("nested more than 6 levels deep"),
        "{rejections:?}"
    );
    // Five levels are fine.
    let mut data = rfc_json();
    for level in 0..4 {
        data = zip_of(&[(&format!("level{level}.zip"), &data)]);
    }
    assert_carries_rfc_report("ok.zip", &gzip(&data));
}

#[test]
fn one_report_in_every_container_counts_once() {
    let gz = sample(GOOGLE_GZ);
    let eml = sample("real/isseis-tlsrpt-digest/tlsrpt_success_google_1.eml");
    let mut set = ReportSet::new();
    set.add(ingest_file("r.json.gz", &gz));
    set.add(ingest_file("r.eml", &eml));
    set.add(ingest_file(
        "r.zip",
        &zip_of(&[("r.eml", &eml), ("r.json.gz", &gz)]),
    ));
    let mut mbox = b"From x Thu Nov 26 10:00:00 2026\n".to_vec();
    mbox.extend_from_slice(&eml);
    set.add(ingest_file("r.mbox", &mbox));
    let counts = set.counts();
    assert_eq!((counts.loaded, counts.duplicates), (1, 4));
    let first = &set.inputs[3].children[0].children[0];
    assert_eq!(
        first.outcome,
        Outcome::Duplicate {
            first_source: "r.json.gz".to_string(),
            report_id: "2026-05-11T00:00:00Z_example.com".to_string(),
            same_content: true
        },
        "{first:#?}"
    );
}

/// Every reason shown for a rejected piece says what to do about it, or that nothing needs
/// doing.
#[test]
fn every_reason_is_actionable() {
    let mut reasons: Vec<String> = Vec::new();
    let mut collect = |name: &str, bytes: &[u8]| {
        reasons.extend(
            rejections_in(&ingest_file(name, bytes))
                .into_iter()
                .map(|r| r.1),
        );
    };
    let archive = zip_of(&[("a.json", &rfc_json())]);
    collect("cut.zip", &archive[..archive.len() - 30]);
    collect("empty.zip", &zip_of(&[("folder/", b"")]));
    collect("newsletter.eml", b"Subject: hi\n\ntext\n");
    collect("no-messages.mbox", b"From \n");
    collect(
        "clutter.zip",
        &zip_of(&[(".DS_Store", b"\0\0\0\x01Bud1"), ("Thumbs.db", b"x")]),
    );
    collect("x.pdf", b"%PDF-1.7");
    collect("x.msg", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0");
    collect("x.7z", b"7z\xBC\xAF\x27\x1C\0\0");
    collect("x.txt", b"hello");
    collect(
        "dmarc.xml",
        b"<?xml version=\"1.0\"?>\n<feedback>\n<report_metadata>",
    );
    collect("x.bin", &[1, 2, 3]);
    collect("empty", b"");
    collect("cut.gz", &gzip(&rfc_json())[..30]);
    collect("list.json", b"[1]");
    collect("broken.json", b"{\"policies\": [,]}");
    let mut deep = rfc_json();
    for level in 0..7 {
        deep = zip_of(&[(&format!("l{level}.zip"), &deep)]);
    }
    collect("deep.zip", &deep);
    assert!(reasons.len() >= 13, "{reasons:#?}");
    let guidance = [
        "drop",
        "save",
        "split",
        "unzip",
        "download",
        "forward",
        "nothing to do",
        "open it",
        "a report is",
        "a TLS-RPT report is",
        "not a TLS-RPT report",
        "report email carries",
    ];
    for reason in &reasons {
        assert!(
            guidance.iter().any(|words| reason.contains(words)),
            "no guidance in: {reason}"
        );
    }
}

#[test]
fn an_unclosed_last_part_is_decoded_whatever_its_encoding() {
    for (media_type, encoding, body) in [
        ("application/tlsrpt+gzip", "base64", gzip(&rfc_json())),
        ("application/tlsrpt+json", "base64", rfc_json()),
        ("application/tlsrpt+json", "quoted-printable", rfc_json()),
        ("application/tlsrpt+json", "7bit", rfc_json()),
    ] {
        let part = Attach {
            media_type,
            name: Some("r"),
            encoding,
            body,
        };
        let shape = Shape {
            closing_boundary: false,
            ..PLAIN
        };
        assert_carries_rfc_report(&format!("{media_type} {encoding}"), &email(&[part], shape));
    }
}
