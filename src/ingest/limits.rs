//! Size limits, and the budget that enforces them while one input is unpacked.
//!
//! Real TLS-RPT reports are small: the samples in this repository are 0.6 to 2.1 KB of JSON,
//! and report emails 1.8 to 15 KB. A large provider's report for a busy domain lists at most a
//! few hundred policies and failure details, well under 1 MB, and receivers commonly refuse
//! report emails over 10 MB. So the caps below sit 16 times or more above anything real, and
//! still keep a decompression bomb or a runaway file from exhausting the browser tab.

/// The largest input file read at all (a mailbox export can be big).
pub const MAX_INPUT_BYTES: u64 = 256 * 1024 * 1024;

/// The largest single member once decoded or decompressed: one report's JSON text, one
/// attachment after base64, one zip entry, one gzip stream's output.
pub const MAX_MEMBER_BYTES: u64 = 16 * 1024 * 1024;

/// The most bytes one input may expand to in total, counting every gzip and zip output and
/// every decoded email attachment, at every level of nesting.
pub const MAX_EXPANDED_BYTES: u64 = 1024 * 1024 * 1024;

/// How deep containers and compression may nest: a zip holding a mailbox holding an email
/// with a forwarded email whose attachment is gzip is 5 levels.
pub const MAX_NESTING: usize = 6;

/// How many items (messages, attachments, zip entries, reports) one input may hold.
pub const MAX_ITEMS: usize = 100_000;

/// The most bytes a report's JSON as given may take once compressed to be kept for the
/// report's detail view. Every real report is far below it (a 647 KB report of 4,000 failure
/// details packs to 13 KB); only megabytes of incompressible text pass it, and the view then
/// says the text was not kept.
pub const MAX_PACKED_KEPT: usize = 4 * 1024 * 1024;

/// What is left of the limits while one input is read.
#[derive(Debug, Clone)]
pub struct Budget {
    member: u64,
    expanded_left: u64,
    items_left: usize,
    /// The item limit it started with, for the notice that says it was reached.
    items: usize,
}

/// Which cap a piece of data ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    Member,
    Input,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(MAX_MEMBER_BYTES, MAX_EXPANDED_BYTES, MAX_ITEMS)
    }
}

impl Budget {
    /// Other limits than the defaults, so that tests and benchmarks can reach them cheaply.
    pub fn new(member: u64, expanded: u64, items: usize) -> Self {
        Budget {
            member,
            expanded_left: expanded,
            items_left: items,
            items,
        }
    }

    /// The most items one input may hold (messages, attachments, archive entries).
    pub fn item_limit(&self) -> usize {
        self.items
    }

    /// The most bytes the next member may expand to, and which cap sets that.
    pub fn member_cap(&self) -> (u64, Cap) {
        if self.expanded_left < self.member {
            (self.expanded_left, Cap::Input)
        } else {
            (self.member, Cap::Member)
        }
    }

    /// The largest report text read.
    pub fn max_member(&self) -> u64 {
        self.member
    }

    /// Counts expanded bytes against the input's total.
    pub fn spend(&mut self, bytes: u64) {
        self.expanded_left = self.expanded_left.saturating_sub(bytes);
    }

    /// Counts one item (a message, an attachment, an entry, a report) read.
    pub fn take_item(&mut self) {
        self.items_left = self.items_left.saturating_sub(1);
    }

    /// How many more items may be read; containers stop reading at zero.
    pub fn items_left(&self) -> usize {
        self.items_left
    }
}

/// The reason given when a member would expand past `cap`. Only what was compressed can be a
/// decompression bomb: a plain attachment or a stored zip entry is merely too large.
pub fn over_cap_reason(what: &str, cap: u64, which: Cap, compressed: bool) -> String {
    match which {
        Cap::Member if compressed => format!(
            "{what} to more than {}, the limit for one report (real reports are a few \
             kilobytes); this looks like a decompression bomb and was not read further",
            human_size(cap)
        ),
        Cap::Member => format!(
            "{what} more than {}, the limit for one report (real reports are a few \
             kilobytes), so it was not read",
            human_size(cap)
        ),
        Cap::Input => "not read: this input has already expanded to its limit in total \
                       (gzip, zip and email attachments together); split it into smaller files \
                       and drop those"
            .to_string(),
    }
}

/// "64 MiB", "3.2 kB": sizes for messages.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [(u64, &str); 3] = [(1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")];
    for (unit, name) in UNITS {
        if bytes >= unit {
            let value = bytes as f64 / unit as f64;
            return if value >= 10.0 || bytes.is_multiple_of(unit) {
                format!("{value:.0} {name}")
            } else {
                format!("{value:.1} {name}")
            };
        }
    }
    format!("{bytes} bytes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(0), "0 bytes");
        assert_eq!(human_size(1536), "1.5 KiB");
        assert_eq!(human_size(64 * 1024 * 1024), "64 MiB");
    }

    #[test]
    fn the_input_cap_takes_over_when_little_is_left() {
        let mut budget = Budget::default();
        assert_eq!(budget.member_cap(), (MAX_MEMBER_BYTES, Cap::Member));
        budget.spend(MAX_EXPANDED_BYTES - 10);
        assert_eq!(budget.member_cap(), (10, Cap::Input));
        budget.spend(100);
        assert_eq!(budget.member_cap(), (0, Cap::Input));
    }
}
