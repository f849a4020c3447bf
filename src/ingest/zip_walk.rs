//! A zip archive's entries, walked once through its central directory with the zip crate's
//! `ZipIterable`, which holds one entry's metadata at a time: an archive of 50,000 reports
//! costs the same memory as one of five. (`ZipArchive` keeps every entry's metadata for the
//! archive's life, about 300 bytes each, and keeps only one entry of those sharing a name.)
//!
//! The walk borrows the archive it walks, and both must live as long as the reading of the
//! archive, a step at a time: [`ZipWalk`] holds the two together, with the one `unsafe` this
//! needs, explained where it is.

use std::cell::Cell;
use std::io::{Read, Seek};
use std::ptr::NonNull;
use zip::result::{ZipError, ZipResult};
use zip::unstable::read::{ZipIterable, ZipIterableFiles};
use zip::ZipReadOptions;

/// Where a zip archive is read from: its bytes in memory (the page), or its file (the
/// `tlsrpt` command, which then never holds the archive whole).
pub trait ZipSource: Read + Seek {}
impl<T: Read + Seek> ZipSource for T {}

type Source<'d> = Box<dyn ZipSource + 'd>;

/// One entry read: its name, whether it is a folder, its compressed size and method, and its
/// content read up to a cap (one byte more than the cap when it holds more).
pub struct ZipEntry {
    pub name: String,
    pub is_dir: bool,
    pub compressed_size: u64,
    pub stored: bool,
    pub content: Result<Vec<u8>, EntryError>,
}

/// Why an entry's content could not be read.
pub enum EntryError {
    /// Opening the entry failed (encrypted, an unknown method, a damaged local header).
    Open(ZipError),
    /// Its data could not be read or decompressed, after this many bytes (counted against the
    /// input's budget all the same: a damaged entry is no free decompression).
    Read(std::io::Error, u64),
}

/// The entries of one archive, in the order of its central directory, duplicates included.
pub struct ZipWalk<'d> {
    /// The walk over `archive`'s central directory; it points into `archive`'s allocation.
    files: NonNull<ZipIterableFiles<Source<'d>>>,
    /// The archive, owned here (made by `Box::into_raw`, freed in `drop`).
    archive: NonNull<ZipIterable<Source<'d>>>,
    len: usize,
    /// Entries not handed out yet: none once the central directory could not be read on.
    left: usize,
}

impl<'d> ZipWalk<'d> {
    /// Opens an archive: finds its end of central directory and no more.
    pub fn open(source: Source<'d>) -> ZipResult<Self> {
        let archive = ZipIterable::try_new(source, zip::read::Config::default())?;
        let len = archive.len();
        let archive = NonNull::from(Box::leak(Box::new(archive)));
        // SAFETY: `archive` was just made from a Box and is not aliased. The walk borrows it
        // for as long as `ZipWalk` lives: `archive` is never used again except to be freed in
        // `drop`, after which `files` is never read, so the borrow taken here is the only
        // access to the archive for its whole life.
        let files = match unsafe { &mut *archive.as_ptr() }.files() {
            Ok(files) => NonNull::from(files),
            Err(error) => {
                // SAFETY: as above; nothing borrows the archive once `files()` has failed.
                drop(unsafe { Box::from_raw(archive.as_ptr()) });
                return Err(error);
            }
        };
        Ok(ZipWalk {
            files,
            archive,
            len,
            left: len,
        })
    }

    /// The number of entries its central directory declares.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The entries not handed out yet (none after an error).
    pub fn left(&self) -> usize {
        self.left
    }

    /// The next entry, its content read up to `cap` bytes (and one more); None after the last,
    /// or once an entry of the central directory could not be read (the error is returned
    /// once, and the walk ends there: where the next entry starts is not known).
    pub fn next_entry(&mut self, cap: u64) -> Option<ZipResult<ZipEntry>> {
        // SAFETY: `files` points into the archive this walk owns, and `&mut self` makes this
        // the only access to it while the reference lives (see `open`).
        let files = unsafe { self.files.as_mut() };
        let entry = match files.next() {
            Some(Ok(entry)) => entry,
            Some(Err(error)) => {
                self.left = 0;
                return Some(Err(error));
            }
            None => {
                self.left = 0;
                return None;
            }
        };
        self.left = self.left.saturating_sub(1);
        let name = match entry.name() {
            Ok(name) => name.into_owned(),
            Err(_) => String::from_utf8_lossy(entry.name_raw()).into_owned(),
        };
        let is_dir = entry.is_dir();
        let compressed_size = entry.compressed_size();
        let stored = entry.compression() == zip::CompressionMethod::Stored;
        let content = if is_dir {
            Ok(Vec::new())
        } else {
            let done = Cell::new(false);
            let mut source = Stoppable {
                inner: files.reader_mut(),
                done: &done,
            };
            let opened = entry.with_reader(&mut source, ZipReadOptions::new());
            match opened {
                Ok(file) => {
                    let mut bytes = Vec::new();
                    let mut file = file.take(cap.saturating_add(1));
                    let read = file.read_to_end(&mut bytes);
                    // An entry stopped at the cap (or by an error) is not read on to its end
                    // when dropped, as the zip crate does for entries of a walk: its declared
                    // size could send that reading through the whole file, again and again.
                    done.set(true);
                    drop(file);
                    match read {
                        Ok(_) => Ok(bytes),
                        Err(error) => Err(EntryError::Read(error, bytes.len() as u64)),
                    }
                }
                Err(error) => Err(EntryError::Open(error)),
            }
        };
        Some(Ok(ZipEntry {
            name,
            is_dir,
            compressed_size,
            stored,
            content,
        }))
    }
}

/// The archive's reader, read as nothing once `done` is set.
struct Stoppable<'r, R> {
    inner: &'r mut R,
    done: &'r Cell<bool>,
}

impl<R: Read> Read for Stoppable<'_, R> {
    fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
        if self.done.get() {
            return Ok(0);
        }
        self.inner.read(buffer)
    }
}

impl<R: Seek> Seek for Stoppable<'_, R> {
    fn seek(&mut self, position: std::io::SeekFrom) -> std::io::Result<u64> {
        self.inner.seek(position)
    }
}

impl Drop for ZipWalk<'_> {
    fn drop(&mut self) {
        // SAFETY: `archive` came from `Box::leak` in `open` and is freed only here; `files`,
        // which points into it, is not used after this.
        drop(unsafe { Box::from_raw(self.archive.as_ptr()) });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in entries {
            writer
                .start_file(*name, zip::write::SimpleFileOptions::default())
                .unwrap();
            writer.write_all(data).unwrap();
        }
        writer.finish().unwrap().into_inner()
    }

    #[test]
    fn every_entry_in_order_duplicates_included_and_capped() {
        // A writer refuses a name twice: the third entry is renamed in both its headers.
        let mut data = zip_of(&[
            ("a.json", b"{}"),
            ("b.json", b"0123456789"),
            ("c.json", b"[]"),
        ]);
        for at in 0..data.len() - 6 {
            if &data[at..at + 6] == b"c.json" {
                data[at..at + 6].copy_from_slice(b"a.json");
            }
        }
        let mut walk = ZipWalk::open(Box::new(Cursor::new(&data[..]))).unwrap();
        assert_eq!(walk.len(), 3);
        let mut seen = Vec::new();
        while let Some(entry) = walk.next_entry(4) {
            let entry = entry.unwrap();
            let content = entry.content.ok().unwrap();
            seen.push((entry.name, content));
        }
        assert_eq!(
            seen,
            vec![
                ("a.json".to_string(), b"{}".to_vec()),
                ("b.json".to_string(), b"01234".to_vec()),
                ("a.json".to_string(), b"[]".to_vec()),
            ]
        );
    }
}
