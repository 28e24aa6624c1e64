//! Parquet files read a row group at a time, only the columns asked for: a metrics lake or a
//! Cost and Usage Report can be far larger than memory, and each reader keeps only what it
//! sums. Columns are found by name, case-insensitively; cells come typed as text, numbers or
//! epoch minutes. A file that is not Parquet, is cut short, or lacks a column or holds it in
//! another type is an error naming the file, the column and the fix.

use std::path::Path;

use ::parquet::basic::{LogicalType, Type as Physical};
use ::parquet::file::reader::{FileReader, SerializedFileReader};
use ::parquet::record::Field;
use ::parquet::schema::types::Type;

/// The bytes every Parquet file starts (and ends) with.
pub const MAGIC: &[u8; 4] = b"PAR1";

/// A Parquet file that cannot be read as asked, with the file (and column or row) named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ParquetError(pub String);

/// Whether `path` names a Parquet file: its first bytes are [`MAGIC`], or, for a file that
/// cannot be read, its extension is `.parquet` (so the reader says why it cannot be read).
pub fn is_parquet(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0; 4];
    let magic = std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == MAGIC);
    magic
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// What a column must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// UTF-8 strings.
    Text,
    /// Integers, floating point or decimals.
    Number,
    /// Timestamps (milliseconds, microseconds or nanoseconds, or INT96), or ISO 8601 text.
    Time,
}

impl Kind {
    /// Whether `column` holds this kind, and for a timestamp its units in a minute. Read by
    /// converted type, as the row decoder converts cells (one it cannot convert it would not
    /// read).
    fn accepts(self, column: &Type) -> Option<i64> {
        use ::parquet::basic::ConvertedType as C;
        let converted = column.get_basic_info().converted_type();
        match (self, column.get_physical_type(), converted) {
            (Kind::Text | Kind::Time, Physical::BYTE_ARRAY, C::UTF8 | C::ENUM | C::JSON) => Some(0),
            (
                Kind::Number,
                Physical::INT32
                | Physical::INT64
                | Physical::FIXED_LEN_BYTE_ARRAY
                | Physical::BYTE_ARRAY,
                C::DECIMAL,
            ) => Some(0),
            (
                Kind::Number,
                Physical::INT32,
                C::NONE | C::INT_8 | C::INT_16 | C::INT_32 | C::UINT_8 | C::UINT_16 | C::UINT_32,
            )
            | (Kind::Number, Physical::INT64, C::NONE | C::INT_64 | C::UINT_64)
            | (Kind::Number, Physical::FLOAT | Physical::DOUBLE, _) => Some(0),
            (Kind::Time, Physical::INT96, _)
            | (Kind::Time, Physical::INT64, C::TIMESTAMP_MILLIS) => Some(60_000),
            (Kind::Time, Physical::INT64, C::TIMESTAMP_MICROS) => Some(60_000_000),
            (Kind::Time, Physical::INT64, C::NONE) => match column
                .get_basic_info()
                .logical_type_ref()
            {
                Some(LogicalType::Timestamp(t)) if t.unit == ::parquet::basic::TimeUnit::NANOS => {
                    Some(60_000_000_000)
                }
                _ => None,
            },
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Text => "a string",
            Kind::Number => "a number (INT32, INT64, FLOAT, DOUBLE or DECIMAL)",
            Kind::Time => "a timestamp (or ISO 8601 text)",
        }
    }
}

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Null,
    Text(&'a str),
    Number(f64),
    /// Minutes since the Unix epoch, from a timestamp column.
    Minute(u64),
}

/// A cell as a message quotes it: `` `120` ``, or `empty`.
impl std::fmt::Display for Cell<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Cell::Null => write!(f, "empty"),
            Cell::Text(t) => write!(f, "`{t}`"),
            Cell::Number(n) => write!(f, "`{n}`"),
            Cell::Minute(m) => write!(f, "minute {m} of the epoch"),
        }
    }
}

/// An open Parquet file.
pub struct File {
    reader: SerializedFileReader<std::fs::File>,
    source: String,
}

/// A column to read: its place among the file's top-level fields, its name and kind.
#[derive(Debug, Clone)]
pub struct Column {
    field: usize,
    pub name: String,
    kind: Kind,
    /// A timestamp column's units in a minute.
    per_minute: i64,
}

impl File {
    /// Opens `path` (`source` names it in messages) and reads its footer.
    pub fn open(path: &Path, source: &str) -> Result<File, ParquetError> {
        let file = std::fs::File::open(path)
            .map_err(|e| ParquetError(format!("{source}: cannot be read: {e}")))?;
        let unreadable = |e: String| {
            ParquetError(format!(
                "{source}: is not a readable Parquet file ({e}); give the file as the export wrote it, whole, or a CSV with a .csv name"
            ))
        };
        let reader = guarded(|| SerializedFileReader::new(file))
            .map_err(unreadable)?
            .map_err(|e| unreadable(e.to_string()))?;
        Ok(File {
            reader,
            source: source.to_string(),
        })
    }

    fn fields(&self) -> &[std::sync::Arc<Type>] {
        self.reader
            .metadata()
            .file_metadata()
            .schema_descr()
            .root_schema()
            .get_fields()
    }

    /// The column first of `names` (case ignored) that the file has, if it has one; one of
    /// another type is an error, so it is never read as missing.
    pub fn column(&self, names: &[&str], kind: Kind) -> Result<Option<Column>, ParquetError> {
        let fields = self.fields();
        let Some((field, found)) = names.iter().find_map(|want| {
            fields
                .iter()
                .enumerate()
                .find(|(_, f)| f.name().eq_ignore_ascii_case(want))
        }) else {
            return Ok(None);
        };
        let per_minute = found.is_primitive().then(|| kind.accepts(found)).flatten();
        let Some(per_minute) = per_minute else {
            return Err(ParquetError(format!(
                "{}: column `{}` holds {}; it must hold {}: write the column as that type",
                self.source,
                found.name(),
                describe(found),
                kind.name()
            )));
        };
        Ok(Some(Column {
            field,
            name: found.name().to_string(),
            kind,
            per_minute,
        }))
    }

    /// As [`File::column`], for a column the reader cannot do without: `what` says what it
    /// holds, for the fix.
    pub fn require(&self, names: &[&str], kind: Kind, what: &str) -> Result<Column, ParquetError> {
        self.column(names, kind)?.ok_or_else(|| {
            let has: Vec<&str> = self.fields().iter().map(|f| f.name()).collect();
            ParquetError(format!(
                "{}: no `{}` column ({what}); it has {}. Add the column, or rename it to `{}`",
                self.source,
                names.join("` or `"),
                if has.is_empty() {
                    "none".to_string()
                } else {
                    format!("`{}`", has.join("`, `"))
                },
                names[0]
            ))
        })
    }

    /// Calls `row` with each row's cells of `columns` (in their order) and its number from 1,
    /// one row group decoded at a time, reading only those columns.
    pub fn rows<E: From<ParquetError>>(
        &self,
        columns: &[&Column],
        mut row: impl FnMut(u64, &[Cell]) -> Result<(), E>,
    ) -> Result<(), E> {
        let fields = self.fields();
        let mut chosen: Vec<usize> = columns.iter().map(|c| c.field).collect();
        chosen.sort_unstable();
        chosen.dedup();
        let projection = Type::group_type_builder("schema")
            .with_fields(chosen.iter().map(|&f| fields[f].clone()).collect())
            .build()
            .map_err(|e| self.error(format!("cannot select the columns: {e}")))?;
        // Where each asked-for column lands in a projected row.
        let at: Vec<usize> = columns
            .iter()
            .map(|c| chosen.binary_search(&c.field).unwrap_or_default())
            .collect();
        let mut number = 0u64;
        for group in 0..self.reader.num_row_groups() {
            let place = || format!("row group {}", group + 1);
            let reader = guarded(|| self.reader.get_row_group(group))
                .map_err(|e| self.damaged(place(), e))?
                .map_err(|e| self.decoding(place(), e))?;
            let mut iter = guarded(|| reader.get_row_iter(Some(projection.clone())))
                .map_err(|e| self.damaged(place(), e))?
                .map_err(|e| self.decoding(place(), e))?;
            while let Some(read) = guarded(|| iter.next())
                .map_err(|e| self.damaged(format!("row {}", number + 1), e))?
            {
                number += 1;
                let read = read.map_err(|e| self.decoding(format!("row {number}"), e))?;
                let values: Vec<&Field> = read.get_column_iter().map(|(_, f)| f).collect();
                let cells = columns
                    .iter()
                    .zip(&at)
                    .map(|(column, &i)| {
                        let field = values.get(i).copied().unwrap_or(&Field::Null);
                        self.cell(field, column, number)
                    })
                    .collect::<Result<Vec<_>, _>>()?;
                row(number, &cells)?;
            }
        }
        Ok(())
    }

    fn cell<'a>(
        &self,
        field: &'a Field,
        column: &Column,
        row: u64,
    ) -> Result<Cell<'a>, ParquetError> {
        let minute = |n: i64, per_minute: i64| u64::try_from(n.div_euclid(per_minute)).ok();
        let cell = match (column.kind, field) {
            (_, Field::Null) => Some(Cell::Null),
            (Kind::Text | Kind::Time, Field::Str(s)) => Some(Cell::Text(s)),
            (Kind::Time, Field::TimestampMillis(ms)) => minute(*ms, 60_000).map(Cell::Minute),
            (Kind::Time, Field::TimestampMicros(us)) => minute(*us, 60_000_000).map(Cell::Minute),
            (Kind::Time, Field::Long(ns)) => minute(*ns, column.per_minute).map(Cell::Minute),
            (Kind::Number, Field::Byte(n)) => Some(Cell::Number(f64::from(*n))),
            (Kind::Number, Field::Short(n)) => Some(Cell::Number(f64::from(*n))),
            (Kind::Number, Field::Int(n)) => Some(Cell::Number(f64::from(*n))),
            (Kind::Number, Field::Long(n)) => Some(Cell::Number(*n as f64)),
            (Kind::Number, Field::UByte(n)) => Some(Cell::Number(f64::from(*n))),
            (Kind::Number, Field::UShort(n)) => Some(Cell::Number(f64::from(*n))),
            (Kind::Number, Field::UInt(n)) => Some(Cell::Number(f64::from(*n))),
            (Kind::Number, Field::ULong(n)) => Some(Cell::Number(*n as f64)),
            (Kind::Number, Field::Float(n)) => Some(Cell::Number(f64::from(*n))),
            (Kind::Number, Field::Double(n)) => Some(Cell::Number(*n)),
            (Kind::Number, Field::Decimal(d)) => decimal(d).map(Cell::Number),
            _ => None,
        };
        cell.ok_or_else(|| {
            self.error(format!(
                "row {row}: column `{}` holds `{field}`, not {}",
                column.name,
                column.kind.name()
            ))
        })
    }

    /// A part of the file that cannot be decoded, with the fix: a codec left out of this
    /// build is named by the decoder.
    fn decoding(&self, at: String, e: ::parquet::errors::ParquetError) -> ParquetError {
        let fix = if e.to_string().contains("Disabled feature") {
            "rewrite the file with Snappy, GZIP or ZSTD compression"
        } else {
            "the file is damaged: export it again"
        };
        self.error(format!("{at}: {e}; {fix}"))
    }

    /// The reader failed on the data itself (`guarded`).
    fn damaged(&self, at: String, failure: String) -> ParquetError {
        self.error(format!(
            "{at}: the file is damaged ({failure}); export it again"
        ))
    }

    fn error(&self, message: String) -> ParquetError {
        ParquetError(format!("{}: {message}", self.source))
    }
}

/// Runs a call into the Parquet library, turning a panic into an error: its decoders still
/// assert on some damaged data rather than return an error (apache/arrow-rs issues 7102,
/// 9705), and a damaged file must be a message naming it, not a crash. The panic's own report
/// is kept off stderr while the call runs; any other thread's is printed as ever.
fn guarded<T>(call: impl FnOnce() -> T) -> Result<T, String> {
    use std::cell::Cell;
    thread_local!(static QUIET: Cell<bool> = const { Cell::new(false) });
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    QUIET.with(|q| q.set(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(call));
    QUIET.with(|q| q.set(false));
    result.map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|m| m.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the reader stopped".into())
    })
}

/// A DECIMAL's value: its unscaled big-endian integer over 10^scale.
fn decimal(d: &::parquet::data_type::Decimal) -> Option<f64> {
    let bytes = d.data();
    if bytes.is_empty() || bytes.len() > 16 {
        return None;
    }
    let negative = bytes[0] & 0x80 != 0;
    let mut full = [if negative { 0xff } else { 0 }; 16];
    full[16 - bytes.len()..].copy_from_slice(bytes);
    let unscaled = i128::from_be_bytes(full) as f64;
    Some(unscaled / 10f64.powi(d.scale()))
}

/// A column's type as a message names it: `INT64 (TIMESTAMP)`.
fn describe(column: &Type) -> String {
    if !column.is_primitive() {
        return "a group (nested columns)".into();
    }
    let info = column.get_basic_info();
    match info.logical_type_ref() {
        Some(logical) => format!("{} ({logical:?})", column.get_physical_type()),
        None => column.get_physical_type().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A library call that panics (as its decoders do on some damaged pages) is an error with
    /// the panic's message, and the thread carries on.
    #[test]
    fn a_panic_in_the_reader_is_an_error() {
        let failed = guarded(|| -> u32 { panic!("assertion failed: end <= remainder.len()") });
        assert_eq!(
            failed,
            Err("assertion failed: end <= remainder.len()".to_string())
        );
        assert_eq!(guarded(|| 7), Ok(7));
    }
}
