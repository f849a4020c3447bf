//! Unix mailboxes (mbox): splitting into messages and undoing "From " escaping.
//!
//! Each message starts with a "From " separator line. Writers escape body lines that would
//! look like one: mboxo turns "From " into ">From ", mboxrd also adds a ">" to lines that
//! already start with ">From ". Reading both the same way (remove one ">" from a line of
//! ">"s followed by "From ") gives back the mboxrd original exactly and the mboxo one as well
//! as the format allows. Thunderbird, Apple Mail and mutt exports all read this way.

use std::borrow::Cow;
use std::ops::Range;

/// One message of a mailbox: where its text lies, without the separator line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MboxMessage {
    /// The separator line, such as "From MAILER-DAEMON Fri Jul  8 12:08:34 2011".
    pub separator: String,
    pub range: Range<usize>,
}

/// Finds the messages of a mailbox. A "From " line separates messages when it starts the
/// file, follows a blank line, or is followed by a header line, so that an unescaped "From "
/// in a body (as some writers leave) rarely splits a message.
pub fn split(bytes: &[u8]) -> Vec<MboxMessage> {
    let lines = line_starts(bytes);
    let mut messages: Vec<MboxMessage> = Vec::new();
    let mut previous_blank = true;
    for (index, &start) in lines.iter().enumerate() {
        let end = lines.get(index + 1).copied().unwrap_or(bytes.len());
        let line = &bytes[start..end];
        let next_line = lines
            .get(index + 1)
            .map(|&next| &bytes[next..lines.get(index + 2).copied().unwrap_or(bytes.len())]);
        let is_separator = is_separator(line, previous_blank, next_line);
        if is_separator {
            if let Some(last) = messages.last_mut() {
                last.range.end = start;
            }
            messages.push(MboxMessage {
                separator: String::from_utf8_lossy(trim_line_end(line)).into_owned(),
                range: end..bytes.len(),
            });
        }
        previous_blank = trim_line_end(line).is_empty();
    }
    messages
}

/// Whether `line` starts a message, given whether the line before it was blank and the line
/// after it (the one rule of [`split`] and [`MboxStream`]).
fn is_separator(line: &[u8], previous_blank: bool, next_line: Option<&[u8]>) -> bool {
    line.starts_with(b"From ") && (previous_blank || next_line.is_some_and(is_header_line))
}

/// One message read from a stream: its text (escaped as stored), without its separator line.
pub struct StreamedMessage {
    pub text: Vec<u8>,
}

/// A mailbox read from a stream (the `tlsrpt` command's file), one message at a time, split
/// exactly as [`split`] splits its bytes: only the message being handed out and the one
/// after it are held.
pub struct MboxStream<'d> {
    source: Box<dyn std::io::BufRead + 'd>,
    /// The line read ahead (the rule looks one line past a "From " line).
    ahead: Option<Vec<u8>>,
    previous_blank: bool,
    /// Whether a message's separator was read, and its lines come next.
    started: bool,
    /// The next message, read whole.
    ready: Option<StreamedMessage>,
    /// Why reading stopped before the end, if it did.
    pub error: Option<std::io::Error>,
}

impl<'d> MboxStream<'d> {
    pub fn new(source: Box<dyn std::io::BufRead + 'd>) -> Self {
        let mut stream = MboxStream {
            source,
            ahead: None,
            previous_blank: true,
            started: false,
            ready: None,
            error: None,
        };
        stream.ahead = stream.read_line();
        // Lines before the first separator belong to no message.
        while !stream.started && stream.next_line(None).is_some() {}
        stream.ready = stream.read_message();
        stream
    }

    /// Whether a message is left.
    pub fn has_next(&self) -> bool {
        self.ready.is_some()
    }

    /// The next message.
    pub fn next_message(&mut self) -> Option<StreamedMessage> {
        let message = self.ready.take()?;
        self.ready = self.read_message();
        Some(message)
    }

    /// The messages left, counted and not kept.
    pub fn count_rest(&mut self) -> usize {
        let mut count = usize::from(self.ready.take().is_some());
        while std::mem::take(&mut self.started) {
            count += 1;
            while !self.started && self.next_line(None).is_some() {}
        }
        count
    }

    /// The message started, read to the next separator or the end.
    fn read_message(&mut self) -> Option<StreamedMessage> {
        if !std::mem::take(&mut self.started) {
            return None;
        }
        let mut text = Vec::new();
        while !self.started && self.next_line(Some(&mut text)).is_some() {}
        Some(StreamedMessage { text })
    }

    /// Takes the next line: a separator starts the next message; any other line goes to
    /// `text`. None at the end.
    fn next_line(&mut self, text: Option<&mut Vec<u8>>) -> Option<()> {
        let line = self.ahead.take()?;
        self.ahead = self.read_line();
        let separator = is_separator(&line, self.previous_blank, self.ahead.as_deref());
        self.previous_blank = trim_line_end(&line).is_empty();
        if separator {
            self.started = true;
        } else if let Some(text) = text {
            text.extend_from_slice(&line);
        }
        Some(())
    }

    fn read_line(&mut self) -> Option<Vec<u8>> {
        if self.error.is_some() {
            return None;
        }
        let mut line = Vec::new();
        match self.source.read_until(b'\n', &mut line) {
            Ok(0) => None,
            Ok(_) => Some(line),
            Err(error) => {
                self.error = Some(error);
                None
            }
        }
    }
}

/// The message's text with one ">" removed from each escaped "From " line.
pub fn unescape(message: &[u8]) -> Cow<'_, [u8]> {
    let escaped = |line: &[u8]| {
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        quotes > 0 && line[quotes..].starts_with(b"From ")
    };
    let lines = line_starts(message);
    if !lines.iter().any(|&start| escaped(&message[start..])) {
        return Cow::Borrowed(message);
    }
    let mut out = Vec::with_capacity(message.len());
    for (index, &start) in lines.iter().enumerate() {
        let end = lines.get(index + 1).copied().unwrap_or(message.len());
        let line = &message[start..end];
        out.extend_from_slice(if escaped(line) { &line[1..] } else { line });
    }
    Cow::Owned(out)
}

fn line_starts(bytes: &[u8]) -> Vec<usize> {
    let mut starts = vec![0];
    starts.extend(
        bytes
            .iter()
            .enumerate()
            .filter(|(index, &b)| b == b'\n' && index + 1 < bytes.len())
            .map(|(index, _)| index + 1),
    );
    if bytes.is_empty() {
        starts.clear();
    }
    starts
}

fn trim_line_end(line: &[u8]) -> &[u8] {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// "Return-Path: <...>", "X-Mozilla-Status: 0001".
fn is_header_line(line: &[u8]) -> bool {
    match line.iter().position(|&b| b == b':') {
        Some(colon) if colon > 0 => line[..colon]
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'-'),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(mailbox: &[u8]) -> Vec<String> {
        split(mailbox)
            .into_iter()
            .map(|m| String::from_utf8(unescape(&mailbox[m.range]).into_owned()).unwrap())
            .collect()
    }

    #[test]
    fn splits_on_separator_lines() {
        let mailbox = b"From a@x Fri Jul  8 12:08:34 2011\nSubject: one\n\nbody\n\n\
                        From b@x Fri Jul  8 12:09:00 2011\r\nSubject: two\r\n\r\nbody\r\n";
        let messages = split(mailbox);
        assert_eq!(messages.len(), 2);
        assert_eq!(messages[0].separator, "From a@x Fri Jul  8 12:08:34 2011");
        assert_eq!(
            texts(mailbox),
            ["Subject: one\n\nbody\n\n", "Subject: two\r\n\r\nbody\r\n"]
        );
    }

    #[test]
    fn an_unescaped_from_inside_a_paragraph_does_not_split() {
        let mailbox =
            b"From a@x Fri Jul  8 12:08:34 2011\nSubject: one\n\nhello\nFrom here on\nbye\n";
        assert_eq!(split(mailbox).len(), 1);
    }

    #[test]
    fn undoes_mboxo_and_mboxrd_escaping() {
        assert_eq!(
            &*unescape(b"a\n>From me\n>>From you\n> From no\n"),
            b"a\nFrom me\n>From you\n> From no\n"
        );
        assert!(matches!(unescape(b"plain\n"), Cow::Borrowed(_)));
    }

    /// The messages of `mailbox` as the stream gives them, read through a tiny buffer.
    fn streamed(mailbox: &[u8]) -> Vec<Vec<u8>> {
        let reader = std::io::BufReader::with_capacity(3, mailbox);
        let mut stream = MboxStream::new(Box::new(reader));
        let mut out = Vec::new();
        while let Some(message) = stream.next_message() {
            out.push(message.text);
        }
        out
    }

    #[test]
    fn the_stream_splits_as_split_does() {
        let mailboxes: [&[u8]; 7] = [
            b"From a@x Fri Jul  8 12:08:34 2011\nSubject: one\n\nbody\n\n\
              From b@x Fri Jul  8 12:09:00 2011\r\nSubject: two\r\n\r\nbody\r\n",
            b"From a@x Fri Jul  8 12:08:34 2011\nSubject: one\n\nhello\nFrom here on\nbye\n",
            b"preamble\n\nFrom a@x 1\nX: y\nFrom b@x 2\nX-Mozilla-Status: 1\n\nz",
            b"From a@x 1\n",
            b"From a@x 1",
            b"",
            b"Subject: no separator\n",
        ];
        for mailbox in mailboxes {
            let whole: Vec<Vec<u8>> = split(mailbox)
                .into_iter()
                .map(|m| mailbox[m.range].to_vec())
                .collect();
            assert_eq!(
                streamed(mailbox),
                whole,
                "{}",
                String::from_utf8_lossy(mailbox)
            );
            let mut stream = MboxStream::new(Box::new(std::io::BufReader::new(mailbox)));
            assert_eq!(stream.count_rest(), whole.len());
        }
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert!(split(b"").is_empty());
        assert!(split(b"Subject: no separator\n").is_empty());
    }
}
