//! What the engine answers: serialisable view models that the page renders as they are, and
//! the requests that ask for them. They cross the Web Worker boundary (the answers as JSON
//! text, the requests through serde-wasm-bindgen), so they carry counts and pages, never the
//! whole report set.

// The lower types that are part of the model, re-exported: the page imports the engine's
// model only (tests/layers.rs holds it to that).
pub use crate::analysis::diagnosis::{
    DomainHealth, Evidence, FilteredSessions, Finding, FindingPart, NamesLeftOut, Severity,
    StsPolicy, VerdictStatus,
};
pub use crate::analysis::{
    Bar, BarSpan, DayColumn, DayRow, Filter, Granularity, MxColumn, MxDomain, MxRow, Overview,
    Quiet, ResultColumn, ResultRow, RowOrder, SourceColumn, SourceGroup, SourceRow, TypeCount,
    COUNTING_RULE,
};
pub use crate::engine::DRILL_JSON_CHARS;
pub use crate::ingest::{EmailInfo, InputCounts, InputRecord, Outcome, Role};
pub use crate::report::{FailureDetail, PolicyEntry, Report, Timestamp};
pub use crate::text::Day;
use serde::{Deserialize, Serialize};

/// Rows of a list sent at once; the page asks for more with a larger limit.
pub const PAGE_ROWS: usize = 200;

/// Findings sent at once: each carries its explanation and fix, and few fit on a screen.
pub const FINDINGS_PAGE: usize = 50;

/// Rows of the table by result sent at once (the page asks for more).
pub const RESULT_ROWS: usize = 500;

/// Bars the Timeline chart draws at most: past this, a bar is a week, then a month, then a
/// year, then a run of days.
pub const TIMELINE_BARS: usize = 180;

/// Rows of the Timeline's table sent at once.
pub const TABLE_ROWS: usize = RESULT_ROWS;

/// Rows of the view by sending source sent at once: the organisations and IPs that fail most
/// come first, and "since when?" is answered in the first screenfuls.
pub const SOURCE_ROWS: usize = 50;

/// Health lines sent at once (the page asks for more).
pub const HEALTH_PAGE: usize = 50;

/// Over this many domains, the page shows the table of domains instead of health lines.
pub const DOMAIN_LINES_MAX: usize = 5;

/// Rows of the table of domains sent at once (the page asks for more).
pub const DOMAIN_ROWS: usize = 50;

/// Points of a domain's trend over the loaded period.
pub const TREND_POINTS: usize = 30;

/// Columns of the coverage grid are days up to this many days, else wider (a year fits).
pub const COVERAGE_DAYS: usize = 400;

/// The coverage grid never has more columns than this, whatever the span of the reports'
/// days (a forged report dated 0001-01-01 beside one dated 9999-12-31 spans 3.6 million days).
pub const COVERAGE_COLUMNS: usize = 600;

/// Reporters (rows of the coverage grid) and cells of its table sent at once.
pub const COVERAGE_ROWS: usize = 50;
pub const COVERAGE_CELLS: usize = 500;

/// Names listed in the overview (the counts are whole; the table of domains lists every domain):
/// more would push the tabs below the first screen.
pub const NAMES_SHOWN: usize = 10;

/// Values of one filter's choice list, and domains in the Problems view's choice: past this,
/// the page offers a field to type in rather than a list of tens of thousands.
pub const CHOICES_SHOWN: usize = 500;

/// Children of a mailbox or an archive sent for the Inputs view (the CSV lists them all).
pub const CHILDREN_SHOWN: usize = PAGE_ROWS;

/// Rows of a grouped finding (its members) sent per finding.
pub const PARTS_SHOWN: usize = 50;

/// Evidence rows sent per finding.
pub const EVIDENCE_ROWS: usize = 100;

/// The open tab: which parts of the model the page needs now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "kebab-case")]
pub enum Tab {
    #[default]
    Problems,
    Timeline,
    Results,
    Sources,
    Mx,
    Coverage,
    Compare,
    Inputs,
}

impl Tab {
    /// Every tab, in the page's order.
    pub const ALL: [Tab; 8] = [
        Tab::Problems,
        Tab::Timeline,
        Tab::Results,
        Tab::Sources,
        Tab::Mx,
        Tab::Coverage,
        Tab::Compare,
        Tab::Inputs,
    ];

    /// Its name on its button, without figures ("By source").
    pub fn title(self) -> &'static str {
        match self {
            Tab::Problems => "Problems",
            Tab::Timeline => "Timeline",
            Tab::Results => "By result",
            Tab::Sources => "By source",
            Tab::Mx => "By MX",
            Tab::Coverage => "Coverage",
            Tab::Compare => "Compare",
            Tab::Inputs => "Inputs",
        }
    }

    /// Its name in ids and test ids ("problems", "mx"), as serde writes it.
    pub fn slug(self) -> &'static str {
        match self {
            Tab::Problems => "problems",
            Tab::Timeline => "timeline",
            Tab::Results => "results",
            Tab::Sources => "sources",
            Tab::Mx => "mx",
            Tab::Coverage => "coverage",
            Tab::Compare => "compare",
            Tab::Inputs => "inputs",
        }
    }
}

/// What the page shows now: the filter, the tab and how far each list is paged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ViewRequest {
    pub filter: Filter,
    pub tab: Tab,
    /// Top-level inputs sent for the Inputs view.
    pub inputs_limit: usize,
    /// The Problems view: its severity choices (critical, warning, info), how many findings
    /// it draws, and the findings open (only those come with their evidence). Its domain is
    /// the filter's: the page has one domain choice.
    pub severities: [bool; 3],
    pub findings_limit: usize,
    pub open_findings: Vec<String>,
    /// The findings one per rule across domains (true) or per domain (false); None chooses:
    /// across domains for more than [`DOMAIN_LINES_MAX`] domains with none chosen.
    #[serde(default)]
    pub problems_by_rule: Option<bool>,
    /// Health lines sent.
    pub health_limit: usize,
    /// The table by result: its order (sorted by the worker, over every row) and how many
    /// rows are sent.
    pub results_order: Option<RowOrder<ResultColumn>>,
    pub results_limit: usize,
    /// The table of domains: its search text, its order and how many rows are sent.
    pub domains_search: String,
    pub domains_order: Option<RowOrder<DomainColumn>>,
    /// The MX view's order (by default most failures first) and the comparison's (by domain).
    #[serde(default)]
    pub mx_order: Option<RowOrder<MxColumn>>,
    #[serde(default)]
    pub compare_order: Option<RowOrder<CompareColumn>>,
    pub domains_limit: usize,
    /// The two periods of the comparison (None: the loaded days cut in two).
    pub compare: Option<ComparePeriods>,
    /// The coverage grid: reporters drawn, and cells listed in its table.
    pub coverage_rows: usize,
    pub coverage_cells: usize,
    /// The view by sending source: its order (within each organisation, sorted by the
    /// worker over every row) and how many rows (IPs, and organisations without any) are sent.
    #[serde(default)]
    pub sources_order: Option<RowOrder<SourceColumn>>,
    #[serde(default = "source_rows")]
    pub sources_limit: usize,
    /// The Timeline's table: its order (sorted by the worker over every day) and how many
    /// days are sent.
    #[serde(default)]
    pub timeline_order: Option<RowOrder<DayColumn>>,
    #[serde(default = "table_rows")]
    pub timeline_limit: usize,
    /// The Timeline chart's finest bar: a day, a week or a month.
    #[serde(default)]
    pub timeline_granularity: crate::analysis::Granularity,
}

fn table_rows() -> usize {
    TABLE_ROWS
}

fn source_rows() -> usize {
    SOURCE_ROWS
}

/// Who reported when: reporters by days (or weeks), each cell the reports of that reporter
/// that start in it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Coverage {
    /// The first and last day with reports (none while no report gives a day).
    pub first: Option<Day>,
    pub last: Option<Day>,
    /// Days per column: 1, or wider past [`COVERAGE_DAYS`] days (see
    /// `engine::coverage::column_days`), never more than [`COVERAGE_COLUMNS`] columns.
    pub column_days: usize,
    pub columns: usize,
    /// The first `request.coverage_rows` reporters, most reports first, and how many there are.
    pub rows: Vec<CoverageRow>,
    pub total_rows: usize,
    /// The non-empty cells of those rows, for the table (the first `request.coverage_cells`).
    pub cells: Vec<CoverageCell>,
    pub total_cells: usize,
}

impl Coverage {
    /// What a column is, in words: "day", "week", "4 weeks", "52 weeks" or "6,085 days".
    pub fn column_unit(&self) -> String {
        match self.column_days {
            0 | 1 => "day".to_string(),
            7 => "week".to_string(),
            days if days % 7 == 0 => format!("{} weeks", days / 7),
            days => format!("{} days", crate::text::thousands(days as u64)),
        }
    }
}

/// One reporter's row of the grid.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CoverageRow {
    pub reporter: String,
    pub reports: usize,
    /// Columns with reports, and columns without any between its first and last (gaps).
    pub active: usize,
    pub gaps: usize,
    /// Copies received again of its reports (identical resends and reused report-ids).
    pub duplicates: usize,
    pub first_column: usize,
    pub last_column: usize,
    /// Reports per column, and copies received again per column.
    pub cells: Vec<u32>,
    pub resent: Vec<u32>,
}

/// One non-empty cell: a reporter's reports starting on a day (or in the week from it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CoverageCell {
    pub reporter: String,
    pub day: Day,
    pub reports: u32,
    pub resent: u32,
}

/// Inputs set aside that the page names while no report is loaded.
pub const SET_ASIDE_SHOWN: usize = 5;

/// An input (or a piece of one: an attachment, an archive entry) that was not a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SetAside {
    /// The file, and the piece within it ("reports.zip › notes.txt").
    pub name: String,
    pub reason: String,
}

/// A range of days, 2026-03-01 to 2026-03-09, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DayRange {
    pub from: Day,
    pub to: Day,
}

/// The periods compared: before a change, and after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ComparePeriods {
    pub before: DayRange,
    pub after: DayRange,
}

/// Two periods side by side, per domain (the first rows by domain, and how many there are).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Comparison {
    /// The periods compared (none while no report gives a day).
    pub before: Option<DayRange>,
    pub after: Option<DayRange>,
    pub before_reports: usize,
    pub after_reports: usize,
    pub rows: Vec<CompareRow>,
    pub total: usize,
}

/// One domain in both periods: its figures, and what appeared or vanished between them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CompareRow {
    pub domain: String,
    pub before: PeriodFigures,
    pub after: PeriodFigures,
    pub types_appeared: Vec<String>,
    pub types_vanished: Vec<String>,
    pub reporters_appeared: Vec<String>,
    pub reporters_vanished: Vec<String>,
}

/// A domain's sessions over one period (the counting rule applied), and its reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PeriodFigures {
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    pub reports: usize,
}

/// The sortable columns of the comparison (its lists are not sorted by).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CompareColumn {
    Domain,
    SessionsBefore,
    RateBefore,
    SessionsAfter,
    RateAfter,
    Change,
}

/// The sortable columns of the table of domains (its trend is not sorted by).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DomainColumn {
    Domain,
    Reports,
    Sessions,
    Failed,
    SuccessRate,
    Policy,
    Verdict,
    Critical,
    Problems,
    Notes,
}

impl Default for ViewRequest {
    fn default() -> Self {
        ViewRequest {
            filter: Filter::default(),
            tab: Tab::Problems,
            inputs_limit: PAGE_ROWS,
            severities: [true; 3],
            findings_limit: FINDINGS_PAGE,
            problems_by_rule: None,
            open_findings: Vec::new(),
            health_limit: HEALTH_PAGE,
            results_order: None,
            results_limit: RESULT_ROWS,
            domains_search: String::new(),
            domains_order: None,
            mx_order: None,
            compare_order: None,
            domains_limit: DOMAIN_ROWS,
            compare: None,
            coverage_rows: COVERAGE_ROWS,
            coverage_cells: COVERAGE_CELLS,
            sources_order: None,
            sources_limit: SOURCE_ROWS,
            timeline_order: None,
            timeline_limit: TABLE_ROWS,
            timeline_granularity: crate::analysis::Granularity::Days,
        }
    }
}

/// Everything the page draws, for one request: what every tab shares (the overview, the
/// filters' choices, the counts), and the open tab's own model.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct PageModel {
    /// Grows with every change of the session's reports or filter (a new session after Clear
    /// starts again from 0).
    pub generation: u64,
    /// The request this model answers, and its id (see [`ToWorker::View`]; 0 before the
    /// first): the page draws no answer to a request it has since replaced, and knows it is up
    /// to date when the request equals its own.
    pub request: ViewRequest,
    pub answers: u64,
    /// Every input given, whatever the filter.
    pub counts: InputCounts,
    /// Reports loaded in the session (the overview counts those the filter keeps).
    pub session_reports: usize,
    /// When any input was set aside, or no report is loaded: the first inputs set aside (at
    /// most [`SET_ASIDE_SHOWN`]), each with why, so that the page says so on its first screen.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set_aside: Vec<SetAside>,
    /// The figures under the filter, with the first [`NAMES_SHOWN`] domains and organisations
    /// named, and how many there are.
    pub overview: Overview,
    pub domain_count: usize,
    pub organization_count: usize,
    /// The findings per severity (critical, warning, info), for every tab's header.
    pub findings_by_severity: [usize; 3],
    /// Whether the findings are from an earlier point of a load still running.
    pub diagnosis_pending: bool,
    /// The values each filter can take, over the whole session.
    pub choices: Choices,
    /// What the open tab shows (the variant of `request.tab`).
    pub tab: TabModel,
}

/// The open tab's part of the model: one variant per tab, each with only what it draws.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
// Externally tagged, as every message type (see `Trace`).
#[serde(rename_all = "kebab-case")]
pub enum TabModel {
    Problems(Box<ProblemsModel>),
    Timeline(TimelineModel),
    Results(ResultsModel),
    Sources(SourcesModel),
    Mx(MxModel),
    Coverage(Coverage),
    Compare(Comparison),
    Inputs(InputsModel),
}

impl Default for TabModel {
    fn default() -> Self {
        TabModel::Problems(Box::default())
    }
}

/// The Problems view: the health lines (or, past [`DOMAIN_LINES_MAX`] domains, the table of
/// domains), the findings its choices keep, and the first rows by result for the printout.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ProblemsModel {
    /// The first `request.health_limit` health lines, how many there are, and the reports
    /// behind each.
    pub health: Vec<DomainHealth>,
    pub health_total: usize,
    pub domain_reports: std::collections::BTreeMap<String, usize>,
    /// With more than [`DOMAIN_LINES_MAX`] domains: the table of domains (its first
    /// `request.domains_limit` rows under its search and order), and how many rows match.
    pub domain_rows: Vec<DomainRow>,
    pub domain_rows_total: usize,
    /// The findings drawn (their evidence for the open ones only), how many the view's
    /// choices keep, the domains that have any, and whether they are one per rule.
    pub findings: Vec<Finding>,
    pub findings_kept: usize,
    pub finding_domains: Vec<String>,
    pub findings_by_rule: bool,
    /// The table by result, as printed with the findings.
    pub results: ResultsModel,
}

/// The Timeline: the chart's bars for its domain choice (at most [`TIMELINE_BARS`], binned
/// by the worker), and its table: the first `request.timeline_limit` days in its order, and
/// how many days there are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct TimelineModel {
    pub bars: Vec<Bar>,
    pub rows: Vec<DayRow>,
    pub rows_total: usize,
}

/// The table by result: the first `request.results_limit` rows in its order, how many there
/// are, and whether any row (sent or not) has sessions counted under its other policy type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ResultsModel {
    pub rows: Vec<ResultRow>,
    pub total: usize,
    pub counted_elsewhere: bool,
}

/// The view by sending source: each organisation with its first rows (IPs, and each
/// organisation without any: `request.sources_limit` in all), and how many rows there are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct SourcesModel {
    pub groups: Vec<SourceGroup>,
    pub rows_total: usize,
}

/// The MX view: the first [`PAGE_ROWS`] hosts in its order, and how many there are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct MxModel {
    pub rows: Vec<MxRow>,
    pub total: usize,
}

/// The Inputs view: the first `request.inputs_limit` inputs, and how many there are.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct InputsModel {
    pub inputs: Vec<InputRow>,
    pub total: usize,
}

impl PageModel {
    /// The open tab's model, when it is that tab's.
    pub fn problems(&self) -> Option<&ProblemsModel> {
        match &self.tab {
            TabModel::Problems(model) => Some(model),
            _ => None,
        }
    }

    pub fn timeline(&self) -> Option<&TimelineModel> {
        match &self.tab {
            TabModel::Timeline(model) => Some(model),
            _ => None,
        }
    }

    /// The rows by result: the Results tab's, or those printed with the Problems view.
    pub fn results(&self) -> Option<&ResultsModel> {
        match &self.tab {
            TabModel::Results(model) => Some(model),
            TabModel::Problems(model) => Some(&model.results),
            _ => None,
        }
    }

    pub fn sources(&self) -> Option<&SourcesModel> {
        match &self.tab {
            TabModel::Sources(model) => Some(model),
            _ => None,
        }
    }

    pub fn mx(&self) -> Option<&MxModel> {
        match &self.tab {
            TabModel::Mx(model) => Some(model),
            _ => None,
        }
    }

    pub fn coverage(&self) -> Option<&Coverage> {
        match &self.tab {
            TabModel::Coverage(model) => Some(model),
            _ => None,
        }
    }

    pub fn comparison(&self) -> Option<&Comparison> {
        match &self.tab {
            TabModel::Compare(model) => Some(model),
            _ => None,
        }
    }

    pub fn inputs(&self) -> Option<&InputsModel> {
        match &self.tab {
            TabModel::Inputs(model) => Some(model),
            _ => None,
        }
    }
}

/// One row of the table of domains.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct DomainRow {
    pub domain: String,
    pub reports: usize,
    pub successful_sessions: u64,
    pub failed_sessions: u64,
    /// The success rate over equal stretches of the loaded period, oldest first, in tenths
    /// of a percent (`None`: no sessions in that stretch).
    pub trend: Vec<Option<u64>>,
    /// "MTA-STS testing", "MTA-STS enforce + DANE", "DANE", "none seen".
    pub policy: String,
    pub verdict_status: crate::analysis::diagnosis::VerdictStatus,
    pub verdict: String,
    pub verdict_figures: Vec<String>,
    pub problems: usize,
    /// Of the problems, the critical findings.
    #[serde(default)]
    pub critical: usize,
    pub notes: usize,
    pub worst: Option<crate::analysis::Severity>,
    /// Under a filter that narrows the domain's reports, its sessions under it (the figures
    /// above are over all of its reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filtered: Option<FilteredSessions>,
}

/// One top-level input, with the report line of each loaded node below it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct InputRow {
    pub record: InputRecord,
    /// For loaded reports under this input: (report index, summary).
    pub loaded: Vec<(usize, ReportSummary)>,
    /// Containers whose children were cut to [`CHILDREN_SHOWN`].
    pub cut: Vec<CutChildren>,
}

/// A mailbox or an archive sent with its first children only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct CutChildren {
    /// The node's path as the Inputs view writes it ("3-0": the first child of input 3).
    pub path: String,
    /// How many children it has in all, and what became of them (over all of them).
    pub children: usize,
    pub detail: String,
}

/// The values the filters can take.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct Choices {
    pub domains: Vec<String>,
    pub organizations: Vec<String>,
    pub policy_types: Vec<String>,
    pub result_types: Vec<String>,
    pub mx_hosts: Vec<String>,
    /// How many values each list has in all (domains, organisations, policy types, result
    /// types, MX hosts); each list holds at most [`CHOICES_SHOWN`].
    pub totals: [usize; 5],
}

/// The figure a drill-down starts from: it names the row, and the engine finds its reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
// Externally tagged, as every message type: an internally tagged enum buffers its fields
// and costs several times the code to read.
#[serde(rename_all = "kebab-case")]
pub enum Trace {
    /// Every report the filter keeps.
    All,
    /// A policy domain's reports.
    Domain { domain: String },
    /// A row of the view per result.
    Result { domain: String, policy_type: String },
    /// A reporting organisation of the view per source.
    Organization { organization: String },
    /// A sending IP (or the failures without one) of an organisation.
    Source {
        organization: String,
        ip: Option<String>,
    },
    /// A day of the timeline, for all domains or one.
    Day { day: Day, domain: Option<String> },
    /// Days of the timeline, first and last included (a bar of a week or a month).
    Days {
        from: Day,
        to: Day,
        domain: Option<String>,
    },
}

/// A report in a list: enough to recognise it and open it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ReportSummary {
    pub index: usize,
    pub organization: String,
    pub report_id: String,
    pub day: Option<Day>,
    pub source: String,
    pub notes: Vec<String>,
}

/// The answer to a drill-down.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DrillAnswer {
    /// The reports behind a figure: the first `limit`, and how many in all.
    Reports {
        trace: Trace,
        total: usize,
        reports: Vec<ReportSummary>,
    },
    /// One report, every field, and its JSON as given.
    Report {
        index: usize,
        detail: Option<Box<ReportDetail>>,
    },
}

/// One report as the drill-down shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct ReportDetail {
    pub report: Report,
    pub source: String,
    pub email: Option<EmailInfo>,
    /// Part `json_part` (from 0) of the JSON as given, re-indented, cut in `json_parts` parts
    /// of at most [`crate::engine::DRILL_JSON_CHARS`] characters. Empty, with `raw_kept`
    /// false, when the text did not pack small enough to keep (see `ingest::limits`): the
    /// page says so and never shows anything else in its place.
    pub json: String,
    pub raw_kept: bool,
    #[serde(default)]
    pub json_part: usize,
    #[serde(default)]
    pub json_parts: usize,
    /// The fields outside RFC 8460, as JSON ("" when there are none).
    pub extra_json: String,
}

/// What the page asks of the worker. Files travel beside the message, in the same order as
/// `names`.
// Externally tagged: an internally tagged enum would make serde buffer the whole message
// before reading it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ToWorker {
    /// A load starts: this many files will follow in [`ToWorker::Bytes`] messages with the
    /// same `load` number (the progress bar counts them from the start).
    Expect { load: u64, files: usize },
    /// Files of a load, read by the page: their contents travel beside the message (moved,
    /// not copied), in the order of `names`; `errors` holds the reason for a file the
    /// browser could not read (and no content for it).
    Bytes {
        load: u64,
        names: Vec<String>,
        errors: Vec<Option<String>>,
    },
    /// Read the demo reports bundled with the app.
    LoadDemo,
    /// Stop the running load; keep what was read so far.
    Cancel,
    /// Stop any load and empty the session.
    Clear,
    /// What the page shows now; the worker answers with a [`PageModel`] that carries the
    /// same `id`. Requests that arrive while an answer is due replace it: only the latest is
    /// answered (typing into a search sends one per key).
    View { id: u64, request: Box<ViewRequest> },
    /// The reports behind a figure (the first `limit`), or one report.
    DrillReports { trace: Trace, limit: usize },
    DrillReport {
        index: usize,
        /// Which part of a long JSON text to send (see [`ReportDetail::json`]).
        #[serde(default)]
        part: usize,
    },
    /// The open view as CSV, or the analysis as JSON.
    Export { what: Export },
    /// The rows of `tlsrpt rows` for what the filter selects: two NDJSON files.
    ExportRows,
}

/// The downloads the page offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Export {
    Csv(Tab),
    AnalysisJson,
}

/// The first item of the message that carries a download: `[DOWNLOAD_MESSAGE, file name,
/// Blob]`. It is not a [`FromWorker`] text: the worker makes the file a Blob, and the page
/// hands it to the browser without reading it.
pub const DOWNLOAD_MESSAGE: &str = "download";

/// What the worker tells the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FromWorker {
    /// The worker listens: messages sent before this were kept by the page until now.
    Ready,
    /// Where the running load stands, or `None` once no load runs; and the bytes taken from
    /// the page so far (all loads together), so that the page sends no faster than it is read.
    Progress {
        progress: Option<LoadProgress>,
        consumed: u64,
    },
    Model {
        model: Box<PageModel>,
    },
    Drill {
        answer: DrillAnswer,
    },
    /// A load ended before its end: "Stopped after 4,213 of 10,000 files".
    Stopped {
        text: String,
    },
    /// A load ended (read in full or stopped), with its figures, its diagnosis done.
    Finished {
        load: LoadProgress,
    },
}

impl FromWorker {
    /// The message as the worker posts it: JSON text. The page reads a string with serde_json
    /// several times faster than serde-wasm-bindgen walks the JS objects of a large model (a
    /// 20,000-domain report's model took 25 ms on the page's thread, now 5), and any u64
    /// count crosses exactly.
    pub fn to_text(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    /// A message as the page receives it. Without serde_json's limit of 128 levels: a report
    /// nested up to that limit (its unknown fields are kept) sits a few levels deeper inside a
    /// drill-down answer. The depth stays bounded: the worker only sends what it parsed under
    /// the limit, wrapped in a few levels of its own.
    pub fn from_text(text: &str) -> Result<Self, serde_json::Error> {
        let mut reader = serde_json::Deserializer::from_str(text);
        reader.disable_recursion_limit();
        let message = <Self as Deserialize>::deserialize(&mut reader)?;
        reader.end()?;
        Ok(message)
    }

    /// A message read without the readers of a model or a drill-down: `None` for those two,
    /// which the page reads with [`FromWorker::from_text`] in its second module (the first
    /// paint needs none of their code). The others are read here.
    pub fn brief_from_text(text: &str) -> Option<Result<Self, serde_json::Error>> {
        /// The messages of [`FromWorker`] that carry neither, named alike.
        #[derive(Deserialize)]
        #[serde(rename_all = "kebab-case")]
        enum Brief {
            Ready,
            Progress {
                progress: Option<LoadProgress>,
                consumed: u64,
            },
            Stopped {
                text: String,
            },
            Finished {
                load: LoadProgress,
            },
        }
        // Written by serde_json as `{"model":…}` and `{"drill":…}`.
        if text.starts_with("{\"model\":") || text.starts_with("{\"drill\":") {
            return None;
        }
        Some(serde_json::from_str(text).map(|brief| match brief {
            Brief::Ready => FromWorker::Ready,
            Brief::Progress { progress, consumed } => FromWorker::Progress { progress, consumed },
            Brief::Stopped { text } => FromWorker::Stopped { text },
            Brief::Finished { load } => FromWorker::Finished { load },
        }))
    }
}

/// The progress of a load: files and bytes done out of total, reports so far, time taken.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub struct LoadProgress {
    pub files_done: usize,
    pub files_total: usize,
    /// Bytes read so far, and in all when known (the demo reports; the page learns the size of
    /// a file only by reading it).
    pub bytes_done: u64,
    pub bytes_total: u64,
    /// Reports loaded in the session so far.
    pub reports: usize,
    pub elapsed_ms: f64,
    /// The worker's own work so far, in milliseconds: moving the bytes into its memory,
    /// ingest and indexing (what `bench_engine` times natively as "session"); and the
    /// diagnosis runs. The rest of `elapsed_ms` is waiting for the page's files, posting
    /// progress and figures, and yielding.
    pub work_ms: f64,
    pub diagnosis_ms: f64,
    /// Where the reading of a large mailbox or archive stands ("300 of 5,000 items in x").
    pub inside: Option<String>,
}

impl LoadProgress {
    /// The time left, in seconds, from the files read so far (none until a second has passed
    /// or a tenth of the files are read).
    pub fn seconds_left(&self) -> Option<f64> {
        let share = if self.files_total > 0 {
            self.files_done as f64 / self.files_total as f64
        } else {
            return None;
        };
        (share > 0.0 && (self.elapsed_ms > 1000.0 || share > 0.1))
            .then(|| self.elapsed_ms / 1000.0 * (1.0 - share) / share)
    }
}
