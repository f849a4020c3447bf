//! One input's pieces (reports as rows, and what was set aside) on their way from the thread
//! that reads the input to the writer, in order. The writer takes the inputs one after the
//! other; an input it has not reached yet keeps reading, its pieces held in memory up to
//! [`MEMORY_PER_INPUT`] bytes and then written to a temporary file (text rows only: Parquet's
//! rows wait instead). So two large archives are read on two cores at once, memory stays
//! bounded, and the output keeps the inputs' order. The input being written gives its pieces
//! through memory, at most [`PIECES_AT_ONCE`] ahead of the writer.

use super::piece::{Encoded, Piece, ReadReport};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::sync::{Condvar, Mutex, MutexGuard};

/// Bytes of pieces an input not yet being written holds in memory before it spills.
const MEMORY_PER_INPUT: usize = 1 << 20;
/// Pieces the input being written holds ahead of the writer.
const PIECES_AT_ONCE: usize = 64;

pub struct Spool {
    state: Mutex<State>,
    changed: Condvar,
    /// Where it spills, if it must: a new file of an unguessable name in the temporary folder
    /// (made with `create_new`, so never another's file nor a planted link).
    path: PathBuf,
}

#[derive(Default)]
struct State {
    memory: VecDeque<Piece>,
    memory_bytes: usize,
    spill: Option<BufWriter<File>>,
    /// The writer has reached this input.
    front: bool,
    /// The reader has sent every piece.
    done: bool,
    /// The writer stopped (an error): the reader stops too.
    abandoned: bool,
    /// Why the spill could not be written: the writer fails rather than skip pieces.
    failed: Option<String>,
}

impl Spool {
    pub fn new(index: usize) -> Self {
        Spool {
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
            path: std::env::temp_dir().join(format!(
                "tlsrpt-rows-{}-{index}-{:016x}.spool",
                std::process::id(),
                random()
            )),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Hands a piece on (the reader's side); false once the writer has stopped.
    pub fn push(&self, piece: Piece) -> bool {
        let mut state = self.lock();
        loop {
            if state.abandoned {
                return false;
            }
            if state.front {
                if state.memory.len() < PIECES_AT_ONCE {
                    state.memory.push_back(piece);
                    self.changed.notify_all();
                    return true;
                }
            } else if state.spill.is_none() && state.memory_bytes + piece.size() <= MEMORY_PER_INPUT
            {
                state.memory_bytes += piece.size();
                state.memory.push_back(piece);
                return true;
            } else if piece.spillable() {
                if state.spill.is_none() {
                    match File::options()
                        .write(true)
                        .create_new(true)
                        .open(&self.path)
                    {
                        Ok(file) => state.spill = Some(BufWriter::new(file)),
                        // No room to spill: wait for the writer instead.
                        Err(_) => {
                            state = self.wait(state);
                            continue;
                        }
                    }
                }
                if let Some(spill) = &mut state.spill {
                    match write_piece(spill, &piece) {
                        Ok(()) => return true,
                        Err(error) => {
                            state.failed = Some(format!(
                                "could not write a temporary file ({}): {error}",
                                self.path.display()
                            ));
                        }
                    }
                }
                state.abandoned = true;
                self.changed.notify_all();
                return false;
            }
            state = self.wait(state);
        }
    }

    fn wait<'a>(&self, state: MutexGuard<'a, State>) -> MutexGuard<'a, State> {
        self.changed
            .wait(state)
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Every piece is sent (the reader's side).
    pub fn finish(&self) {
        self.lock().done = true;
        self.changed.notify_all();
    }

    /// The writer stopped: the reader stops at its next piece.
    pub fn abandon(&self) {
        self.lock().abandoned = true;
        self.changed.notify_all();
    }

    /// Whether the writer stopped (then the input need not be read at all).
    pub fn abandoned(&self) -> bool {
        self.lock().abandoned
    }

    /// Takes every piece in order (the writer's side): those held in memory first, then
    /// those spilled, then the rest as the reader sends them.
    pub fn drain(&self, mut each: impl FnMut(Piece) -> std::io::Result<()>) -> std::io::Result<()> {
        let (held, spilled) = {
            let mut state = self.lock();
            state.front = true;
            state.memory_bytes = 0;
            let held = std::mem::take(&mut state.memory);
            let spilled = state.spill.take();
            self.changed.notify_all();
            (held, spilled)
        };
        for piece in held {
            each(piece)?;
        }
        if let Some(spill) = spilled {
            spill
                .into_inner()
                .map_err(|e| e.into_error())?
                .sync_data()?;
            let mut file = BufReader::new(File::open(&self.path)?);
            while let Some(piece) = read_piece(&mut file)? {
                each(piece)?;
            }
            let _ = std::fs::remove_file(&self.path);
        }
        loop {
            let (batch, finished) = {
                let mut state = self.lock();
                while state.memory.is_empty() && !state.done {
                    state = self.wait(state);
                }
                let batch = std::mem::take(&mut state.memory);
                self.changed.notify_all();
                if let Some(failed) = &state.failed {
                    return Err(std::io::Error::other(failed.clone()));
                }
                (batch, state.done)
            };
            let last = finished && batch.is_empty();
            for piece in batch {
                each(piece)?;
            }
            if last {
                return Ok(());
            }
        }
    }
}

/// A number no other run picks: the standard library's per-process random hash keys.
fn random() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish()
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

fn write_piece(out: &mut impl Write, piece: &Piece) -> std::io::Result<()> {
    let text = |out: &mut dyn Write, bytes: &[u8]| -> std::io::Result<()> {
        out.write_all(&(bytes.len() as u64).to_le_bytes())?;
        out.write_all(bytes)
    };
    match piece {
        Piece::SetAside(path, reason) => {
            out.write_all(&[0])?;
            text(out, path.as_bytes())?;
            text(out, reason.as_bytes())
        }
        Piece::Report(report) => {
            out.write_all(&[1])?;
            out.write_all(&report.key.to_le_bytes())?;
            for encoded in [&report.policy as &dyn Spilled, &report.failure] {
                let (bytes, rows) = encoded.text().unwrap_or((&[], 0));
                out.write_all(&(rows as u64).to_le_bytes())?;
                text(out, bytes)?;
            }
            Ok(())
        }
    }
}

fn number(input: &mut impl Read) -> std::io::Result<u64> {
    let mut bytes = [0u8; 8];
    input.read_exact(&mut bytes)?;
    Ok(u64::from_le_bytes(bytes))
}

fn bytes(input: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let length = usize::try_from(number(input)?).unwrap_or(usize::MAX);
    let mut bytes = vec![0u8; length];
    input.read_exact(&mut bytes)?;
    Ok(bytes)
}

fn encoded<R>(input: &mut impl Read) -> std::io::Result<Encoded<R>> {
    let rows = usize::try_from(number(input)?).unwrap_or(usize::MAX);
    Ok(Encoded::Text {
        bytes: bytes(input)?,
        rows,
    })
}

fn read_piece(input: &mut impl Read) -> std::io::Result<Option<Piece>> {
    let mut tag = [0u8; 1];
    if input.read(&mut tag)? == 0 {
        return Ok(None);
    }
    let lossy = |bytes: Vec<u8>| String::from_utf8_lossy(&bytes).into_owned();
    Ok(Some(match tag[0] {
        0 => Piece::SetAside(lossy(bytes(input)?), lossy(bytes(input)?)),
        _ => {
            let mut key = [0u8; 16];
            input.read_exact(&mut key)?;
            Piece::Report(ReadReport {
                key: u128::from_le_bytes(key),
                policy: encoded(input)?,
                failure: encoded(input)?,
            })
        }
    }))
}

/// A table's rows of a report, as written to a spill: their text.
trait Spilled {
    fn text(&self) -> Option<(&[u8], usize)>;
}

impl<R> Spilled for Encoded<R> {
    fn text(&self) -> Option<(&[u8], usize)> {
        match self {
            Encoded::Text { bytes, rows } => Some((bytes, *rows)),
            Encoded::Rows(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(number: u128, size: usize) -> Piece {
        Piece::Report(ReadReport {
            key: number,
            policy: Encoded::Text {
                bytes: vec![b'p'; size],
                rows: 1,
            },
            failure: Encoded::Text {
                bytes: number.to_string().into_bytes(),
                rows: 1,
            },
        })
    }

    #[test]
    fn pieces_come_out_in_order_from_memory_then_the_spill_then_memory_again() {
        let spool = std::sync::Arc::new(Spool::new(usize::MAX - 1));
        // Before the writer reaches it: a megabyte in memory, the rest spilled.
        for number in 0..40 {
            assert!(spool.push(report(number, 64 * 1024)));
        }
        assert!(spool.push(Piece::SetAside("x".into(), "why".into())));
        assert!(spool.lock().spill.is_some(), "past a megabyte it spills");
        assert!(spool.path.exists());
        // The writer reaches it while the reader goes on.
        let reader = {
            let spool = std::sync::Arc::clone(&spool);
            std::thread::spawn(move || {
                for number in 40..200 {
                    assert!(spool.push(report(number, 10)));
                }
                spool.finish();
            })
        };
        let mut seen = Vec::new();
        spool
            .drain(|piece| {
                seen.push(match piece {
                    Piece::Report(r) => {
                        let Encoded::Text { bytes, .. } = r.failure else {
                            panic!("text rows")
                        };
                        assert_eq!(String::from_utf8(bytes).unwrap(), r.key.to_string());
                        r.key as i64
                    }
                    Piece::SetAside(..) => -1,
                });
                Ok(())
            })
            .unwrap();
        reader.join().unwrap();
        let mut expected: Vec<i64> = (0..40).collect();
        expected.push(-1);
        expected.extend(40..200);
        assert_eq!(seen, expected);
        assert!(!spool.path.exists(), "the spill is removed once read");
    }

    #[test]
    fn an_abandoned_spool_stops_its_reader() {
        let spool = Spool::new(usize::MAX - 2);
        spool.abandon();
        assert!(!spool.push(report(1, 10)));
    }
}
