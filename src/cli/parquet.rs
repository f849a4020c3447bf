//! `tlsrpt rows --format parquet` (built with `--features parquet`): the two tables of schema
//! v1 as Parquet files, Snappy-compressed, written a row group at a time through the parquet
//! crate's column writer (no Arrow). Texts are UTF-8 strings, counts 64-bit integers, the
//! dates UTC timestamps in milliseconds, and the lists Parquet LISTs of strings, never null.

use crate::engine::rows::{FailureRow, PolicyRow};
use parquet::basic::Compression;
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::parser::parse_message_type;
use std::fs::File;
use std::sync::Arc;

/// Rows buffered before they are written as a row group.
const ROW_GROUP: usize = 4_096;

/// One column's values for a row group, as the column writer takes them.
pub enum Cell<'a> {
    Int32(Option<i32>),
    Int64(Option<i64>),
    Bool(bool),
    Text(Option<&'a str>),
    List(&'a [String]),
}

/// A table Parquet can hold: its schema, and each row's cells in the schema's leaf order.
pub trait ParquetRow {
    const SCHEMA: &'static str;
    fn cells(&self) -> Vec<Cell<'_>>;
}

fn text(value: &Option<String>) -> Cell<'_> {
    Cell::Text(value.as_deref())
}

/// "2026-03-01T00:00:00Z" as milliseconds since 1970 (UTC).
fn millis(value: &Option<String>) -> Cell<'_> {
    Cell::Int64(
        value
            .as_deref()
            .and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok())
            .map(|t| t.timestamp_millis()),
    )
}

fn count(value: u64) -> Cell<'static> {
    Cell::Int64(Some(i64::try_from(value).unwrap_or(i64::MAX)))
}

fn index(value: u32) -> Option<i32> {
    Some(i32::try_from(value).unwrap_or(i32::MAX))
}

impl ParquetRow for PolicyRow {
    const SCHEMA: &'static str = "message tlsrpt_policy {
        required int32 schema_version;
        required binary report_key (UTF8);
        optional binary organization_name (UTF8);
        optional binary contact_info (UTF8);
        optional binary report_id (UTF8);
        optional int64 begin_date (TIMESTAMP(MILLIS,true));
        optional int64 end_date (TIMESTAMP(MILLIS,true));
        optional int32 policy_index;
        optional binary policy_domain (UTF8);
        optional binary policy_type (UTF8);
        required group policy_strings (LIST) { repeated group list { required binary element (UTF8); } }
        required group mx_host_patterns (LIST) { repeated group list { required binary element (UTF8); } }
        optional binary sts_mode (UTF8);
        required int64 successful_session_count;
        required int64 failed_session_count;
        required boolean counted_in_totals;
        required binary source_name (UTF8);
        required binary extra_json (UTF8);
        required binary report_extra_json (UTF8);
    }";

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::Int32(Some(self.schema_version as i32)),
            Cell::Text(Some(&self.report_key)),
            text(&self.organization_name),
            text(&self.contact_info),
            text(&self.report_id),
            millis(&self.begin_date),
            millis(&self.end_date),
            Cell::Int32(self.policy_index.and_then(index)),
            text(&self.policy_domain),
            text(&self.policy_type),
            Cell::List(&self.policy_strings),
            Cell::List(&self.mx_host_patterns),
            text(&self.sts_mode),
            count(self.successful_session_count),
            count(self.failed_session_count),
            Cell::Bool(self.counted_in_totals),
            Cell::Text(Some(&self.source_name)),
            Cell::Text(Some(&self.extra_json)),
            Cell::Text(Some(&self.report_extra_json)),
        ]
    }
}

impl ParquetRow for FailureRow {
    const SCHEMA: &'static str = "message tlsrpt_failure {
        required int32 schema_version;
        required binary report_key (UTF8);
        optional binary organization_name (UTF8);
        optional binary report_id (UTF8);
        optional int64 begin_date (TIMESTAMP(MILLIS,true));
        optional int64 end_date (TIMESTAMP(MILLIS,true));
        required int32 policy_index;
        optional binary policy_domain (UTF8);
        required binary policy_type (UTF8);
        required boolean counted_in_totals;
        required binary source_name (UTF8);
        required int32 detail_index;
        required binary result_type (UTF8);
        required int64 failed_session_count;
        optional binary sending_mta_ip (UTF8);
        optional binary receiving_ip (UTF8);
        optional binary receiving_mx_hostname (UTF8);
        optional binary receiving_mx_helo (UTF8);
        optional binary additional_info_uri (UTF8);
        optional binary failure_reason_code (UTF8);
        required binary extra_json (UTF8);
    }";

    fn cells(&self) -> Vec<Cell<'_>> {
        vec![
            Cell::Int32(Some(self.schema_version as i32)),
            Cell::Text(Some(&self.report_key)),
            text(&self.organization_name),
            text(&self.report_id),
            millis(&self.begin_date),
            millis(&self.end_date),
            Cell::Int32(index(self.policy_index)),
            text(&self.policy_domain),
            Cell::Text(Some(&self.policy_type)),
            Cell::Bool(self.counted_in_totals),
            Cell::Text(Some(&self.source_name)),
            Cell::Int32(index(self.detail_index)),
            Cell::Text(Some(&self.result_type)),
            count(self.failed_session_count),
            text(&self.sending_mta_ip),
            text(&self.receiving_ip),
            text(&self.receiving_mx_hostname),
            text(&self.receiving_mx_helo),
            text(&self.additional_info_uri),
            text(&self.failure_reason_code),
            Cell::Text(Some(&self.extra_json)),
        ]
    }
}

/// A Parquet file being written: rows buffered, and written a row group at a time.
pub struct ParquetSink<R: ParquetRow> {
    writer: SerializedFileWriter<File>,
    buffer: Vec<R>,
}

fn error(e: parquet::errors::ParquetError) -> std::io::Error {
    std::io::Error::other(e)
}

impl<R: ParquetRow> ParquetSink<R> {
    pub fn create(path: &std::path::Path) -> std::io::Result<Self> {
        let schema = Arc::new(parse_message_type(R::SCHEMA).map_err(error)?);
        let properties = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .build(),
        );
        let writer =
            SerializedFileWriter::new(File::create(path)?, schema, properties).map_err(error)?;
        Ok(ParquetSink {
            writer,
            buffer: Vec::with_capacity(ROW_GROUP),
        })
    }

    pub fn push(&mut self, rows: impl IntoIterator<Item = R>) -> std::io::Result<()> {
        for row in rows {
            self.buffer.push(row);
            if self.buffer.len() >= ROW_GROUP {
                self.flush_group()?;
            }
        }
        Ok(())
    }

    /// Writes what is buffered, then the file's footer.
    pub fn close(mut self) -> std::io::Result<()> {
        self.flush_group()?;
        self.writer.close().map_err(error)?;
        Ok(())
    }

    fn flush_group(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let rows: Vec<Vec<Cell<'_>>> = self.buffer.iter().map(ParquetRow::cells).collect();
        let mut group = self.writer.next_row_group().map_err(error)?;
        let mut column = 0;
        while let Some(mut writer) = group.next_column().map_err(error)? {
            write_column(writer.untyped(), rows.iter().map(|cells| &cells[column]))?;
            writer.close().map_err(error)?;
            column += 1;
        }
        group.close().map_err(error)?;
        drop(rows);
        self.buffer.clear();
        Ok(())
    }
}

/// The levels, for a column whose schema has any (a required column takes none).
fn levels(max: i16, levels: &[i16]) -> Option<&[i16]> {
    (max > 0).then_some(levels)
}

/// One column of a row group: its values, and the definition and repetition levels of the
/// optional values and the lists.
fn write_column<'a>(
    writer: &mut ColumnWriter<'_>,
    cells: impl Iterator<Item = &'a Cell<'a>>,
) -> std::io::Result<()> {
    let mut definitions: Vec<i16> = Vec::new();
    let mut repetitions: Vec<i16> = Vec::new();
    let (mut int32s, mut int64s, mut bools, mut texts) = (vec![], vec![], vec![], vec![]);
    let optional = |present: bool, definitions: &mut Vec<i16>| {
        definitions.push(i16::from(present));
        present
    };
    for cell in cells {
        match cell {
            Cell::Int32(value) => {
                if optional(value.is_some(), &mut definitions) {
                    int32s.extend(*value);
                }
            }
            Cell::Int64(value) => {
                if optional(value.is_some(), &mut definitions) {
                    int64s.extend(*value);
                }
            }
            Cell::Bool(value) => bools.push(*value),
            Cell::Text(value) => {
                if optional(value.is_some(), &mut definitions) {
                    texts.extend(value.map(ByteArray::from));
                }
            }
            Cell::List(items) => {
                if items.is_empty() {
                    definitions.push(0);
                    repetitions.push(0);
                }
                for (place, item) in items.iter().enumerate() {
                    definitions.push(1);
                    repetitions.push(i16::from(place > 0));
                    texts.push(ByteArray::from(item.as_str()));
                }
            }
        }
    }
    let written = match writer {
        ColumnWriter::Int32ColumnWriter(w) => {
            let max = w.get_descriptor().max_def_level();
            w.write_batch(&int32s, levels(max, &definitions), None)
        }
        ColumnWriter::Int64ColumnWriter(w) => {
            let max = w.get_descriptor().max_def_level();
            w.write_batch(&int64s, levels(max, &definitions), None)
        }
        ColumnWriter::BoolColumnWriter(w) => w.write_batch(&bools, None, None),
        ColumnWriter::ByteArrayColumnWriter(w) => {
            let (max_definition, max_repetition) = (
                w.get_descriptor().max_def_level(),
                w.get_descriptor().max_rep_level(),
            );
            w.write_batch(
                &texts,
                levels(max_definition, &definitions),
                levels(max_repetition, &repetitions),
            )
        }
        _ => return Err(std::io::Error::other("a column of an unexpected type")),
    };
    written.map(|_| ()).map_err(error)
}
