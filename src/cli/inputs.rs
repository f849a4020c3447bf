//! The command's inputs, as the page takes them: files, folders (recursively, in name order,
//! as the page reads a dropped folder; a Maildir's `tmp` is skipped, as mail is still being
//! written there), and `-` for standard input. Each is read by content, not by name.

use crate::ingest::{IngestJob, IngestNode};
use std::io::{Read, Seek};
use std::path::{Path, PathBuf};

/// One input to read: a file, or standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    StandardInput,
}

impl Input {
    /// The name the inputs list and the rows give it.
    pub fn name(&self) -> String {
        match self {
            Input::File(path) => path.to_string_lossy().into_owned(),
            Input::StandardInput => "standard input".to_string(),
        }
    }

    /// The input read: its reports, what was set aside and why.
    pub fn ingest(&self) -> IngestNode {
        let name = self.name();
        match self.open() {
            Ok(opened) => opened.job(&name).finish(),
            Err(unread) => IngestNode::rejected_file(name, unread.size, unread.reason),
        }
    }

    /// The input made ready to read: a zip archive as its file (read an entry at a time,
    /// never held whole), anything else as its bytes; or, past the limit for one input (a
    /// file not read at all, standard input not beyond it) or unreadable, why it is set aside.
    pub fn open(&self) -> Result<Opened, Unread> {
        let limit = crate::engine::present::MAX_INPUT_BYTES;
        let unreadable = |error: std::io::Error| Unread {
            size: 0,
            reason: format!("could not read it: {error}"),
        };
        match self {
            Input::File(path) => {
                let mut file = std::fs::File::open(path).map_err(unreadable)?;
                let size = file.metadata().map_err(unreadable)?.len();
                if size > limit {
                    return Err(Unread {
                        size,
                        reason: crate::ingest::too_big_reason(Some(size)),
                    });
                }
                // Enough of its start to tell a zip or a mailbox (which sniffing decides from
                // the first 512 bytes of text).
                let mut head = Vec::with_capacity(HEAD_BYTES as usize);
                (&mut file)
                    .take(HEAD_BYTES)
                    .read_to_end(&mut head)
                    .map_err(unreadable)?;
                file.rewind().map_err(unreadable)?;
                match crate::ingest::sniff(&head) {
                    crate::ingest::ContentKind::Zip => return Ok(Opened::Zip { size, file }),
                    crate::ingest::ContentKind::Mbox if sniffed_whole(&head, size) => {
                        return Ok(Opened::Mbox { size, file })
                    }
                    _ => {}
                }
                let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
                file.read_to_end(&mut bytes).map_err(unreadable)?;
                Ok(Opened::Bytes(bytes))
            }
            Input::StandardInput => {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .lock()
                    .take(limit + 1)
                    .read_to_end(&mut bytes)
                    .map_err(unreadable)?;
                if bytes.len() as u64 > limit {
                    return Err(Unread {
                        size: limit,
                        reason: crate::ingest::too_big_reason(None),
                    });
                }
                Ok(Opened::Bytes(bytes))
            }
        }
    }
}

/// The start of a file read to tell what it holds.
const HEAD_BYTES: u64 = 8192;

/// An input made ready to read (see [`Input::open`]).
pub enum Opened {
    Zip { size: u64, file: std::fs::File },
    Mbox { size: u64, file: std::fs::File },
    Bytes(Vec<u8>),
}

/// Whether `head` holds all that sniffing looks at (its first 512 bytes of text, after any
/// byte-order mark, 3 bytes, and blank start), so that it tells what the whole file would:
/// else the file is read whole.
fn sniffed_whole(head: &[u8], size: u64) -> bool {
    let text_start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    head.len() as u64 == size || text_start + 512 + 3 <= head.len()
}

impl Opened {
    /// The reading of a zip or a mailbox from its file, an entry or a message at a time; of
    /// anything else, from its bytes.
    pub fn job<'a>(&'a self, name: &str) -> IngestJob<'a> {
        match self {
            Opened::Zip { size, file } => {
                IngestJob::zip_file(name, *size, Box::new(std::io::BufReader::new(file)))
            }
            Opened::Mbox { size, file } => {
                IngestJob::mbox_file(name, *size, Box::new(std::io::BufReader::new(file)))
            }
            Opened::Bytes(bytes) => IngestJob::new(name, bytes),
        }
    }
}

/// Why an input is set aside before it is read, and its size when known.
pub struct Unread {
    pub size: u64,
    pub reason: String,
}

/// Every input the arguments name, folders walked.
pub fn collect(arguments: &[String]) -> Vec<Input> {
    let mut inputs = Vec::new();
    for argument in arguments {
        if argument == "-" {
            inputs.push(Input::StandardInput);
        } else {
            walk(Path::new(argument), &mut inputs);
        }
    }
    inputs
}

fn walk(path: &Path, inputs: &mut Vec<Input>) {
    if !path.is_dir() {
        inputs.push(Input::File(path.to_path_buf()));
        return;
    }
    let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .collect(),
        Err(_) => {
            // Unreadable: named, with the reason, like any file that cannot be read.
            inputs.push(Input::File(path.to_path_buf()));
            return;
        }
    };
    entries.sort();
    let maildir = is_maildir(path);
    for entry in entries {
        if maildir && entry.file_name().is_some_and(|name| name == "tmp") {
            continue;
        }
        walk(&entry, inputs);
    }
}

/// A Maildir: a folder holding `cur`, `new` and `tmp`.
fn is_maildir(path: &Path) -> bool {
    ["cur", "new", "tmp"]
        .iter()
        .all(|part| path.join(part).is_dir())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mailbox_is_streamed_only_when_its_start_was_sniffed_whole() {
        let mut head = b"From a@x 1\nSubject: s\n\n".to_vec();
        head.resize(HEAD_BYTES as usize, b'x');
        assert!(sniffed_whole(&head, 1 << 20));
        // Text starting past the head's last 512 bytes: sniffing the head is not sniffing
        // the file (a byte after the head could make it binary), so it is read whole.
        let mut late = vec![b' '; 7_900];
        late.extend_from_slice(b"From a@x 1\n");
        late.resize(HEAD_BYTES as usize, b'x');
        assert!(!sniffed_whole(&late, 1 << 20));
        // A file no longer than the head was sniffed whole.
        assert!(sniffed_whole(&late[..8_000], 8_000));
    }

    #[test]
    fn folders_are_walked_in_name_order_and_a_maildirs_tmp_is_skipped() {
        let dir = std::env::temp_dir().join(format!("tlsrpt-inputs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for part in ["box/cur", "box/new", "box/tmp", "other"] {
            std::fs::create_dir_all(dir.join(part)).unwrap();
        }
        for file in [
            "box/cur/2",
            "box/new/1",
            "box/tmp/partial",
            "other/b.json",
            "other/a.json",
        ] {
            std::fs::write(dir.join(file), b"{}").unwrap();
        }
        let names: Vec<String> = collect(&[dir.to_string_lossy().into_owned(), "-".into()])
            .iter()
            .map(|input| {
                input
                    .name()
                    .trim_start_matches(&*dir.to_string_lossy())
                    .to_string()
            })
            .collect();
        let _ = std::fs::remove_dir_all(&dir);
        assert_eq!(
            names,
            [
                "/box/cur/2",
                "/box/new/1",
                "/other/a.json",
                "/other/b.json",
                "standard input"
            ]
        );
    }
}
