//! The reports loaded so far, with what became of every input and of every piece inside it.
//! A report counts once however often it is given, as a file or inside an email or an
//! archive: its identity is (organization-name, report-id), as RFC 8460 section 4.4 makes
//! report-id unique per reporting organisation.

use super::{EmailInfo, IngestNode, NodeContent, Role};
use crate::report::{Name, NameTable, Report};
use crate::text::{nonzero_parts, plural};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// How the path to a piece inside an input is written: "inbox.mbox › message 3 › r.json.gz".
pub const PATH_SEPARATOR: &str = " › ";

/// The path of a piece named `name` inside the piece at `parent` ("" for an input itself).
pub fn child_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}{PATH_SEPARATOR}{name}")
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LoadedReport {
    pub report: Report,
    /// Where the report came from: the file, and the message and attachment inside it.
    pub source: String,
    #[serde(with = "super::fingerprint::as_hex")]
    pub fingerprint: u64,
    /// The email that carried the report, if it came in one (shared with its input record).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<Arc<EmailInfo>>,
    /// The JSON text as given (when not over the size kept), compressed.
    #[serde(skip)]
    pub raw: Option<super::PackedText>,
    /// The UTC day the report's period starts, worked out once.
    #[serde(skip)]
    pub day: Option<crate::text::Day>,
    /// Whether that day is before [`EARLIEST_DAY`] or more than a day past the set's today:
    /// the report is loaded and shown, flagged, and left out of the verdict and the rules
    /// over time (a forged date must not turn them).
    #[serde(skip)]
    pub day_out_of_range: bool,
}

/// No real TLS report is dated before this day (RFC 8460 is from 2018; 1990 leaves room for a
/// reporter's wrong clock without trusting a forged "0001-01-01").
pub const EARLIEST_DAY: (i32, u32, u32) = (1990, 1, 1);

/// Whether a report's start day can be true, `today` being the day it is read.
pub fn day_in_range(day: chrono::NaiveDate, today: chrono::NaiveDate) -> bool {
    let (year, month, date) = EARLIEST_DAY;
    let earliest =
        chrono::NaiveDate::from_ymd_opt(year, month, date).unwrap_or(chrono::NaiveDate::MIN);
    let latest = today.succ_opt().unwrap_or(today);
    day >= earliest && day <= latest
}

/// What became of one input, or one piece inside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(
    rename_all = "kebab-case",
    rename_all_fields = "kebab-case",
    tag = "kind",
    try_from = "OutcomeFields"
)]
pub enum Outcome {
    Loaded {
        report_index: usize,
    },
    Duplicate {
        /// Where the report was first loaded from.
        first_source: String,
        report_id: String,
        /// False when the report-id repeats but the content differs (the first copy is kept).
        same_content: bool,
    },
    Rejected {
        reason: String,
    },
    /// A mailbox, an email or an archive: its children say what became of its content.
    Unpacked,
}

/// [`Outcome`] as read back: its fields side by side, for a plain struct's reader. An
/// internally tagged enum's derived reader buffers every field first, and costs the page's
/// wasm several times the code (the page reads an outcome in every row of the Inputs view).
#[derive(Deserialize)]
#[serde(rename_all = "kebab-case")]
struct OutcomeFields {
    kind: String,
    report_index: Option<usize>,
    first_source: Option<String>,
    report_id: Option<String>,
    same_content: Option<bool>,
    reason: Option<String>,
}

impl TryFrom<OutcomeFields> for Outcome {
    type Error = String;

    fn try_from(fields: OutcomeFields) -> Result<Self, String> {
        let missing = |field: &str| format!("outcome {}: no {field}", fields.kind);
        Ok(match fields.kind.as_str() {
            "loaded" => Outcome::Loaded {
                report_index: fields.report_index.ok_or_else(|| missing("report-index"))?,
            },
            "duplicate" => Outcome::Duplicate {
                first_source: fields
                    .first_source
                    .clone()
                    .ok_or_else(|| missing("first-source"))?,
                report_id: fields
                    .report_id
                    .clone()
                    .ok_or_else(|| missing("report-id"))?,
                same_content: fields.same_content.ok_or_else(|| missing("same-content"))?,
            },
            "rejected" => Outcome::Rejected {
                reason: fields.reason.clone().ok_or_else(|| missing("reason"))?,
            },
            "unpacked" => Outcome::Unpacked,
            other => return Err(format!("unknown outcome kind {other:?}")),
        })
    }
}

/// One node of the Inputs tree: file → message → attachment → report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct InputRecord {
    pub name: String,
    pub role: Role,
    pub size: u64,
    pub format: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<Arc<EmailInfo>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_read: Vec<String>,
    pub outcome: Outcome,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<InputRecord>,
}

/// How the inputs, or the pieces under one node, ended.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct InputCounts {
    pub files: usize,
    pub messages: usize,
    pub messages_without_report: usize,
    pub loaded: usize,
    pub duplicates: usize,
    /// Pieces rejected: files, messages, attachments or entries.
    pub rejected: usize,
}

impl InputCounts {
    pub fn add(&mut self, other: InputCounts) {
        self.files += other.files;
        self.messages += other.messages;
        self.messages_without_report += other.messages_without_report;
        self.loaded += other.loaded;
        self.duplicates += other.duplicates;
        self.rejected += other.rejected;
    }

    /// "10 reports loaded, 1 duplicate, 2 rejected"; messages without a report are left to
    /// the caller, who says so separately.
    pub fn outcome_summary(&self) -> String {
        let reports = plural(self.loaded, "report loaded", "reports loaded");
        let rejected = self.rejected - self.messages_without_report;
        let rest = nonzero_parts(&[(self.duplicates, "duplicate"), (rejected, "rejected")]);
        match (self.loaded, rest.is_empty()) {
            (_, true) => reports,
            (0, false) => rest,
            _ => format!("{reports}, {rest}"),
        }
    }
}

impl InputRecord {
    /// The outcome in a sentence, as `summarize` prints it: "rejected: the file is empty".
    pub fn describe(&self) -> String {
        match &self.outcome {
            Outcome::Loaded { .. } => "1 report loaded".to_string(),
            Outcome::Duplicate { .. } => format!("duplicate: {}", self.detail()),
            Outcome::Rejected { .. } => format!("rejected: {}", self.detail()),
            Outcome::Unpacked => self.detail(),
        }
    }

    /// What the page shows beside the outcome's badge: the reason, the first copy, or what a
    /// mailbox, email or archive held.
    pub fn detail(&self) -> String {
        match &self.outcome {
            Outcome::Loaded { .. } => String::new(),
            Outcome::Duplicate {
                first_source,
                report_id,
                same_content: true,
            } => format!("report {report_id} was already loaded from {first_source}"),
            Outcome::Duplicate {
                first_source,
                report_id,
                same_content: false,
            } => format!(
                "report-id {report_id} was already loaded from {first_source}, with different \
                 content; the first copy is kept"
            ),
            Outcome::Rejected { reason } => reason.clone(),
            Outcome::Unpacked => self.contents_summary(),
        }
    }

    /// "12 messages: 10 reports loaded, 1 duplicate; 2 messages without a report".
    fn contents_summary(&self) -> String {
        let counts = self.counts_below();
        let held = match self.children.first().map(|child| child.role) {
            Some(Role::Message) if self.role != Role::Message => {
                plural(self.children.len(), "message", "messages")
            }
            Some(Role::Entry) => plural(self.children.len(), "file", "files"),
            _ => plural(self.children.len(), "attachment", "attachments"),
        };
        let mut summary = format!("{held}: {}", counts.outcome_summary());
        if counts.messages_without_report > 0 {
            summary.push_str(&format!(
                "; {} without a report",
                plural(counts.messages_without_report, "message", "messages")
            ));
        }
        summary
    }

    /// An email: a message of a mailbox, an attached message, or a file holding one.
    pub fn is_message(&self) -> bool {
        self.role == Role::Message || self.email.is_some()
    }

    /// The counts of this node and everything under it.
    pub fn counts(&self) -> InputCounts {
        let mut counts = InputCounts {
            files: usize::from(self.role == Role::File),
            messages: usize::from(self.is_message()),
            ..InputCounts::default()
        };
        match self.outcome {
            Outcome::Loaded { .. } => counts.loaded += 1,
            Outcome::Duplicate { .. } => counts.duplicates += 1,
            Outcome::Rejected { .. } => {
                counts.rejected += 1;
                counts.messages_without_report += usize::from(self.is_message());
            }
            Outcome::Unpacked => counts.add(self.counts_below()),
        }
        counts
    }

    fn counts_below(&self) -> InputCounts {
        let mut counts = InputCounts::default();
        self.children
            .iter()
            .for_each(|child| counts.add(child.counts()));
        counts
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ReportSet {
    pub reports: Vec<LoadedReport>,
    /// One tree per input given, in the order given.
    pub inputs: Vec<InputRecord>,
    #[serde(skip)]
    by_identity: HashMap<(Option<Name>, String), usize>,
    /// Every distinct name of the loaded reports, kept once.
    #[serde(skip)]
    names: NameTable,
    /// How many more times a report was given (an identical resend or a reused report-id),
    /// by the index of the copy kept.
    #[serde(skip)]
    pub resent: HashMap<usize, u32>,
    /// Report-ids given again with other content: the index of the copy kept, and the names
    /// of the copies given again, in the order the first of them came. Kept as they come, so
    /// that the diagnosis never walks the inputs for them (it runs many times a load).
    #[serde(skip)]
    pub reused: Vec<(usize, Vec<String>)>,
    /// Where each report of [`ReportSet::reused`] is in it.
    #[serde(skip)]
    reused_at: HashMap<usize, usize>,
    /// The reports whose id the input being added gives again with other content.
    #[serde(skip)]
    reused_now: Vec<usize>,
    /// The day the reports are read on, against which their dates are judged (`None`: no
    /// date is judged).
    #[serde(skip)]
    pub today: Option<chrono::NaiveDate>,
}

impl ReportSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// A set of already deduplicated reports with no inputs: a filtered view of another set.
    pub fn from_reports(reports: Vec<LoadedReport>) -> Self {
        let by_identity = reports
            .iter()
            .enumerate()
            .map(|(index, loaded)| (identity(&loaded.report, loaded.fingerprint), index))
            .collect();
        ReportSet {
            reports,
            inputs: Vec::new(),
            by_identity,
            names: NameTable::default(),
            resent: HashMap::new(),
            reused: Vec::new(),
            reused_at: HashMap::new(),
            reused_now: Vec::new(),
            today: None,
        }
    }

    /// Adds the result of reading one input, deciding for each report whether it is new.
    pub fn add(&mut self, ingest: IngestNode) {
        self.add_input(ingest);
    }

    /// [`ReportSet::add`], and the reports loaded earlier whose report-id the input gives
    /// again with other content (each once, in the order met).
    pub fn add_input(&mut self, ingest: IngestNode) -> Vec<usize> {
        let record = self.record(ingest, "", None);
        self.inputs.push(record);
        let mut reused = std::mem::take(&mut self.reused_now);
        let mut seen = std::collections::HashSet::new();
        reused.retain(|index| seen.insert(*index));
        reused
    }

    fn record(
        &mut self,
        node: IngestNode,
        parent: &str,
        email: Option<&Arc<EmailInfo>>,
    ) -> InputRecord {
        let path = child_path(parent, &node.name);
        let own_email = node.email.map(Arc::new);
        let email = own_email.as_ref().or(email).cloned();
        let mut children = Vec::new();
        let outcome = match node.content {
            NodeContent::Rejected { reason } => Outcome::Rejected { reason },
            NodeContent::Report {
                report,
                fingerprint,
                raw,
            } => self.add_report(*report, &node.name, path, fingerprint, email, raw),
            NodeContent::Unpacked { children: nodes } => {
                // Pushed into a Vec of its own size: collecting would reuse the (larger)
                // allocation of the nodes and keep it for the session's life.
                children = Vec::with_capacity(nodes.len());
                for child in nodes {
                    children.push(self.record(child, &path, email.as_ref()));
                }
                Outcome::Unpacked
            }
        };
        InputRecord {
            name: node.name,
            role: node.role,
            size: node.size,
            format: node.format,
            email: own_email,
            not_read: node.not_read,
            outcome,
            children,
        }
    }

    fn add_report(
        &mut self,
        mut report: Report,
        name: &str,
        source: String,
        fingerprint: u64,
        email: Option<Arc<EmailInfo>>,
        raw: Option<super::PackedText>,
    ) -> Outcome {
        let identity = identity(&report, fingerprint);
        if let Some(&first) = self.by_identity.get(&identity) {
            *self.resent.entry(first).or_default() += 1;
            let original = &self.reports[first];
            let same_content = original.fingerprint == fingerprint;
            let outcome = Outcome::Duplicate {
                first_source: original.source.clone(),
                report_id: report
                    .report_id
                    .clone()
                    .unwrap_or_else(|| "(none)".to_string()),
                same_content,
            };
            if !same_content {
                self.note_reused(first, name);
            }
            return outcome;
        }
        let report_index = self.reports.len();
        self.by_identity.insert(identity, report_index);
        report.intern_names(&mut self.names);
        let day = report.start_day();
        let day_out_of_range = match (self.today, day) {
            (Some(today), Some(day)) => !day_in_range(day.date(), today),
            _ => false,
        };
        self.reports.push(LoadedReport {
            report,
            source,
            fingerprint,
            email,
            raw,
            day,
            day_out_of_range,
        });
        Outcome::Loaded { report_index }
    }

    fn note_reused(&mut self, first: usize, copy: &str) {
        match self.reused_at.get(&first) {
            Some(&at) => self.reused[at].1.push(copy.to_string()),
            None => {
                self.reused_at.insert(first, self.reused.len());
                self.reused.push((first, vec![copy.to_string()]));
            }
        }
        self.reused_now.push(first);
    }

    /// How many distinct names the loaded reports hold (each is kept once).
    pub fn distinct_names(&self) -> usize {
        self.names.len()
    }

    /// The counts over every input and everything inside them.
    pub fn counts(&self) -> InputCounts {
        let mut counts = InputCounts::default();
        self.inputs
            .iter()
            .for_each(|input| counts.add(input.counts()));
        counts
    }
}

/// (organization-name, report-id); a report without an id is identified by its content. A
/// second report with the same identity is a duplicate, and the first is kept.
pub fn identity(report: &Report, fingerprint: u64) -> (Option<Name>, String) {
    let organization = report.organization_name.clone();
    match &report.report_id {
        Some(id) => (organization, id.clone()),
        None => (organization, format!("content:{fingerprint:016x}")),
    }
}

#[cfg(test)]
mod tests {
    use super::Outcome;

    #[test]
    fn outcomes_keep_their_json_and_read_back() {
        let outcomes = [
            Outcome::Loaded { report_index: 7 },
            Outcome::Duplicate {
                first_source: "a.json".into(),
                report_id: "r1".into(),
                same_content: false,
            },
            Outcome::Rejected {
                reason: "not a report".into(),
            },
            Outcome::Unpacked,
        ];
        let json = serde_json::to_string(&outcomes).unwrap();
        assert_eq!(
            json,
            r#"[{"kind":"loaded","report-index":7},{"kind":"duplicate","first-source":"a.json","report-id":"r1","same-content":false},{"kind":"rejected","reason":"not a report"},{"kind":"unpacked"}]"#
        );
        let back: Vec<Outcome> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, outcomes);
        for wrong in [
            r#"{"kind":"loaded"}"#,
            r#"{"kind":"lost"}"#,
            r#"{"reason":"x"}"#,
        ] {
            assert!(serde_json::from_str::<Outcome>(wrong).is_err(), "{wrong}");
        }
    }
}
