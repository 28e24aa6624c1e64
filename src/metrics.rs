//! CloudWatch metrics to replay: `ConsumedReadCapacityUnits` and `ConsumedWriteCapacityUnits`
//! (Sum statistic) of a table and its GSIs, from a console or collector CSV, from
//! `aws cloudwatch get-metric-data` JSON (one page or several), or from `get-metric-statistics`
//! JSON. Formats and rules: docs/simulate.md.
//!
//! The period (1 minute, 5 minutes or 1 hour) is read from the spacing of the datapoints; each
//! datapoint's units are spread over the minutes of its period (evenly, or with a chosen
//! peak-to-mean in its first minute) and each minute's over its 60 seconds. A period missing
//! between the first and the last is a period without requests (CloudWatch publishes no
//! datapoint for a period with no traffic): it is replayed as zero demand and counted as a gap
//! of that series.

use serde_json::Value;

use crate::time::{digits, epoch_minute, parse_minute, MinuteReader};

/// Largest metrics file read: 30 days of per-minute CSV is about 2 MB.
pub const MAX_BYTES: u64 = 64 << 20;
/// Longest replay: one year of minutes.
pub const MAX_MINUTES: u64 = 366 * 1_440;
/// The periods CloudWatch exports that a replay reads, in minutes.
pub const PERIODS: [u64; 3] = [60, 5, 1];

/// A metrics file that cannot be replayed, with the place: `file:line: message` for CSV,
/// `file:line:column` or `file: path: message` for JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MetricsError(pub String);

/// How to read a metrics file.
#[derive(Debug, Clone, Default)]
pub struct MetricsOptions {
    /// The table to replay when the file holds several (a `Table Name` column, or
    /// `TableName=` in a JSON label).
    pub table: Option<String>,
    /// The table to replay when the file holds several and `table` is not set (a spec's
    /// `traffic.metrics` reads its own table's rows).
    pub default_table: Option<String>,
    /// Peak ÷ mean to assume inside a period longer than a minute: its first minute carries
    /// `peak_to_mean` × the period's mean, the others share the rest. 1 (the default) spreads
    /// it evenly. At most the period's minutes.
    pub period_peak_to_mean: Option<f64>,
}

/// Per-minute demand of one table and its GSIs, in units per second, from `start_utc_minute`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricSeries {
    /// Minutes since the Unix epoch of the first datapoint.
    pub start_utc_minute: u64,
    /// The table's reads and writes, one value per minute (zero where it had no series).
    pub reads: Vec<f64>,
    pub writes: Vec<f64>,
    /// GSIs with their own series, by name.
    pub indexes: Vec<IndexSeries>,
    /// Minutes per datapoint: 1, 5 or 60.
    pub period_minutes: u64,
    /// The peak-to-mean assumed inside each period (1 when the period is a minute).
    pub period_peak_to_mean: f64,
    /// Minutes with no consumed-capacity datapoint in any series, replayed as zero.
    pub gap_minutes: u64,
    /// Minutes without a datapoint, per series.
    pub gaps: Vec<SeriesGaps>,
    /// Throttled requests the metrics recorded (`ThrottledRequests`, `Read/WriteThrottleEvents`).
    pub observed_throttled: f64,
    /// The file ends with a `NextToken` (or a result is `PartialData`): CloudWatch had more.
    pub truncated: bool,
}

/// A GSI's own series; `None` where the file has none of that kind.
#[derive(Debug, Clone, PartialEq)]
pub struct IndexSeries {
    pub name: String,
    pub reads: Option<Vec<f64>>,
    pub writes: Option<Vec<f64>>,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SeriesGaps {
    /// `table reads`, `GSI by_status writes`.
    pub series: String,
    pub minutes: u64,
}

impl MetricSeries {
    pub fn minutes(&self) -> u64 {
        self.reads.len() as u64
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Metric {
    Reads,
    Writes,
    Throttled,
}

/// Which series a datapoint belongs to: the table (or a GSI), the metric, and the place it
/// came from for messages.
#[derive(Clone, PartialEq, Eq, Debug)]
struct Key {
    table: Option<String>,
    region: Option<String>,
    index: Option<String>,
    metric: Metric,
}

impl Key {
    fn name(&self) -> String {
        let kind = match self.metric {
            Metric::Reads => "reads",
            Metric::Writes => "writes",
            Metric::Throttled => "throttles",
        };
        match &self.index {
            Some(i) => format!("GSI {i} {kind}"),
            None => format!("table {kind}"),
        }
    }

    /// The same series, whatever the table it was read for.
    fn same_series(&self, other: &Key) -> bool {
        self.index == other.index && self.metric == other.metric
    }
}

/// One series as read: its key, where it was read, and its datapoints (minute, value, and
/// the place of the datapoint, a CSV line or a JSON index).
struct Raw {
    key: Key,
    /// `file:` for CSV lines, `file: MetricDataResults[2]` for JSON.
    place: String,
    points: Vec<(u64, f64, usize)>,
}

impl Raw {
    /// An earlier datapoint, as a message refers back to it.
    fn earlier(&self, i: usize) -> String {
        if self.place.ends_with(':') {
            format!("line {i}")
        } else if self.place.ends_with(ROW) {
            format!("{ROW}{i}")
        } else {
            format!("[{i}]")
        }
    }

    fn at(&self, i: usize) -> String {
        if self.place.ends_with(':') || self.place.ends_with(ROW) {
            format!("{}{i}", self.place)
        } else {
            format!("{}[{i}]", self.place)
        }
    }
}

/// How a Parquet row is named in messages: `lake.parquet: row 12`.
const ROW: &str = "row ";

/// Which metric a CSV header or a JSON label names (case and punctuation ignored), refusing a
/// statistic other than Sum.
fn metric(name: &str, at: &str) -> Result<Option<Metric>, MetricsError> {
    let key: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    let found = if key.contains("consumedreadcapacityunits") {
        Metric::Reads
    } else if key.contains("consumedwritecapacityunits") {
        Metric::Writes
    } else if key.contains("throttledrequests") || key.contains("throttleevents") {
        Metric::Throttled
    } else {
        return Ok(None);
    };
    // `TableName=…` words of a label are dimensions, not statistics.
    let words = name
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.contains('='))
        .flat_map(|w| w.split(|c: char| !c.is_ascii_alphanumeric() && c != '.'));
    for word in words {
        let w = word.to_ascii_lowercase();
        let percentile = w.len() > 1
            && w.starts_with('p')
            && w[1..].bytes().all(|b| b.is_ascii_digit() || b == b'.');
        let statistic = percentile
            || matches!(
                w.as_str(),
                "average" | "avg" | "maximum" | "max" | "minimum" | "min" | "samplecount"
            );
        if statistic {
            return Err(MetricsError(format!(
                "{at}: `{name}` holds the {word} statistic; a replay needs the units consumed in each period: \
                 export the metric with the Sum statistic"
            )));
        }
    }
    Ok(Some(found))
}

/// The largest Sum of consumed units a datapoint may hold: an hour at 10^12 units a second,
/// the most a spec may ask (`calc::MAX_PER_SECOND`). A larger figure is a corrupt export, and
/// would overflow to infinity once scaled into per-second demand.
const MAX_SUM: f64 = 3.6e15;

/// Whether a datapoint can be a Sum of consumed units: finite, non-negative, at most [`MAX_SUM`].
fn plausible_sum(value: f64) -> bool {
    value.is_finite() && (0.0..=MAX_SUM).contains(&value)
}

fn not_a_sum(value: impl std::fmt::Display) -> String {
    format!("`{value}` is not a Sum of consumed units (a number from 0 to {MAX_SUM:e}); export the metric's Sum statistic")
}

fn too_big(source: &str, bytes: u64) -> MetricsError {
    MetricsError(format!(
        "{source}: the file is {bytes} bytes; metrics files are limited to {} MiB",
        MAX_BYTES >> 20
    ))
}

/// Reads a metrics file's text: JSON when it starts with `{` or `[`, else CSV.
pub fn parse(
    text: &str,
    source: &str,
    options: &MetricsOptions,
) -> Result<MetricSeries, MetricsError> {
    let (raws, truncated) = raws(text, source)?;
    series(raws, truncated, source, options)
}

/// The series of `options`' table among `raws`.
fn series(
    raws: Vec<Raw>,
    truncated: bool,
    source: &str,
    options: &MetricsOptions,
) -> Result<MetricSeries, MetricsError> {
    let raws = choose_table(
        raws,
        source,
        options.table.as_deref(),
        options.default_table.as_deref(),
    )?;
    let mut series = assemble(raws, source, options.period_peak_to_mean)?;
    series.truncated = truncated;
    Ok(series)
}

/// Why a metrics file gave no series.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be read: missing, a directory, too big.
    Unreadable(MetricsError),
    /// What it holds is not metrics a replay reads.
    Invalid(MetricsError),
}

impl From<ReadError> for MetricsError {
    fn from(e: ReadError) -> Self {
        match e {
            ReadError::Unreadable(e) | ReadError::Invalid(e) => e,
        }
    }
}

/// Bytes of a CSV read at a time.
const BLOCK: usize = 64 << 10;

/// Reads and parses a metrics file into the series [`parse`] gives of its text.
pub fn read(
    path: &std::path::Path,
    source: &str,
    options: &MetricsOptions,
) -> Result<MetricSeries, ReadError> {
    let (raws, truncated) = read_raws(path, source)?;
    series(raws, truncated, source, options).map_err(ReadError::Invalid)
}

/// Each table's series of a file holding several tables' metrics (`tables`).
pub fn read_tables(path: &std::path::Path, source: &str) -> Result<Vec<TableSeries>, ReadError> {
    let (raws, truncated) = read_raws(path, source)?;
    tables(raws, truncated, source).map_err(ReadError::Invalid)
}

/// The series of a metrics file as read, and whether it was cut short. A CSV is read
/// [`BLOCK`] bytes of whole lines at a time, so its text is never held whole: a month of
/// per-minute rows is 1.4 MB, whose fresh pages were about a fifth of a replay's page faults,
/// and a fleet's export of many tables up to the 64 MiB limit. JSON is read whole.
fn read_raws(path: &std::path::Path, source: &str) -> Result<(Vec<Raw>, bool), ReadError> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| {
        ReadError::Unreadable(MetricsError(format!("{source}: cannot be read: {e}")))
    };
    let mut file = std::fs::File::open(path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > MAX_BYTES {
        return Err(ReadError::Unreadable(too_big(source, size)));
    }
    let mut buf = Vec::new();
    let mut total = 0;
    let mut csv = None;
    loop {
        let kept = buf.len();
        buf.resize(kept + BLOCK, 0);
        let n = file.read(&mut buf[kept..]).map_err(unreadable)?;
        buf.truncate(kept + n);
        total += n as u64;
        if total > MAX_BYTES {
            return Err(ReadError::Unreadable(too_big(source, total)));
        }
        let end = n == 0;
        let csv = match &mut csv {
            Some(csv) => csv,
            None => match starts_json(&buf) {
                None if !end => continue,
                Some(true) => {
                    file.read_to_end(&mut buf).map_err(unreadable)?;
                    let text = String::from_utf8(buf).map_err(|e| {
                        let valid = e.utf8_error().valid_up_to();
                        ReadError::Invalid(not_utf8(source, 0, e.as_bytes(), valid))
                    })?;
                    return raws(&text, source).map_err(ReadError::Invalid);
                }
                _ => csv.insert(Csv::new(source, size as usize)),
            },
        };
        // Whole lines only, but for the file's last.
        let whole = match buf.iter().rposition(|&b| b == b'\n') {
            _ if end => buf.len(),
            Some(newline) => newline + 1,
            None => continue,
        };
        let text = std::str::from_utf8(&buf[..whole])
            .map_err(|e| ReadError::Invalid(not_utf8(source, csv.lines, &buf, e.valid_up_to())))?;
        csv.block(text).map_err(ReadError::Invalid)?;
        if end {
            return Ok((csv.finish().map_err(ReadError::Invalid)?, false));
        }
        buf.drain(..whole);
    }
}

/// The error for `bytes`, which follow `lines_before` lines of the file and are UTF-8 up to
/// `valid`: it names the line and the byte.
fn not_utf8(source: &str, lines_before: usize, bytes: &[u8], valid: usize) -> MetricsError {
    let line = lines_before + 1 + bytes[..valid].iter().filter(|&&b| b == b'\n').count();
    let byte = bytes[valid];
    MetricsError(format!(
        "{source}:{line}: the file is not UTF-8 text (byte 0x{byte:02x}); export the metrics as UTF-8 CSV or JSON"
    ))
}

/// Every datapoint of a file's text, by series, and whether CloudWatch had more.
fn raws(text: &str, source: &str) -> Result<(Vec<Raw>, bool), MetricsError> {
    if text.len() as u64 > MAX_BYTES {
        return Err(too_big(source, text.len() as u64));
    }
    Ok(if starts_json(text.as_bytes()) == Some(true) {
        parse_json(text, source)?
    } else {
        (parse_csv(text, source)?, false)
    })
}

/// Whether a file whose text starts with `start` is JSON (its first byte but blanks is `{`
/// or `[`), or `None` while `start` is all blanks.
fn starts_json(start: &[u8]) -> Option<bool> {
    let first = start.iter().find(|b| !b.is_ascii_whitespace())?;
    Some(matches!(first, b'{' | b'['))
}

/// One table's series, or why it cannot be replayed.
pub type TableSeries = (String, Result<MetricSeries, MetricsError>);

/// Each table's series among `raws` of a file that holds several (a `Table Name` column,
/// `TableName=` in JSON labels), read in one pass: a fleet's one export, where reading the
/// file once per table would be quadratic. Tables in name order; one table's bad series is
/// its own error.
fn tables(raws: Vec<Raw>, truncated: bool, source: &str) -> Result<Vec<TableSeries>, MetricsError> {
    let mut tables: std::collections::BTreeMap<String, Vec<Raw>> = Default::default();
    for raw in raws {
        let Some(table) = raw.key.table.clone() else {
            return Err(MetricsError(format!(
                "{source}: {} has no table name; a file of several tables' metrics names each row's table (a `Table Name` column)",
                raw.key.name()
            )));
        };
        tables.entry(table).or_default().push(raw);
    }
    Ok(tables
        .into_iter()
        .map(|(table, raws)| {
            let series = assemble(raws, source, None).map(|mut s| {
                s.truncated = truncated;
                s
            });
            (table, series)
        })
        .collect())
}

/// A table of a metrics lake, where one name recurs across accounts and Regions.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LakeTable {
    pub account: String,
    pub region: String,
    pub table: String,
}

/// One lake table's series, or why it cannot be replayed.
pub type LakeSeries = (LakeTable, Result<MetricSeries, MetricsError>);

/// The long layout's columns, each by the names it is accepted under (docs/fleet.md).
const LAKE_ACCOUNT: &[&str] = &["account", "account_id"];
const LAKE_REGION: &[&str] = &["region"];
const LAKE_TABLE: &[&str] = &["table", "table_name"];
const LAKE_INDEX: &[&str] = &["index", "index_name"];
const LAKE_METRIC: &[&str] = &["metric", "metric_name"];
const LAKE_STATISTIC: &[&str] = &["statistic"];
const LAKE_PERIOD: &[&str] = &["period"];
const LAKE_TIME: &[&str] = &["timestamp"];
const LAKE_VALUE: &[&str] = &["value"];

impl From<crate::parquet::ParquetError> for MetricsError {
    fn from(e: crate::parquet::ParquetError) -> Self {
        MetricsError(e.0)
    }
}

/// The series of the tables `keep` accepts in a Parquet metrics lake in the long layout (one
/// datapoint a row: account, Region, table, index, metric, statistic, period, timestamp,
/// value). Rows of Sum consumed capacity and throttles are read, other metrics and
/// statistics skipped; row groups are decoded one at a time and only kept tables' datapoints
/// held, so a lake larger than memory can be read by shards. Tables in key order.
pub fn parse_lake(
    path: &std::path::Path,
    source: &str,
    keep: &dyn Fn(&str, &str, &str) -> bool,
) -> Result<Vec<LakeSeries>, MetricsError> {
    use crate::parquet::{Cell, File, Kind};
    let file = File::open(path, source)?;
    let text = |names, what| file.require(names, Kind::Text, what);
    let columns = [
        text(LAKE_ACCOUNT, "the table's AWS account ID")?,
        text(LAKE_REGION, "the table's Region, `us-east-1`")?,
        text(LAKE_TABLE, "the table's name")?,
        text(
            LAKE_METRIC,
            "the CloudWatch metric, `ConsumedReadCapacityUnits`",
        )?,
        text(LAKE_STATISTIC, "the statistic, `Sum`")?,
        file.require(
            LAKE_PERIOD,
            Kind::Number,
            "the period in seconds: 60, 300 or 3600",
        )?,
        file.require(LAKE_TIME, Kind::Time, "the start of the datapoint's period")?,
        file.require(LAKE_VALUE, Kind::Number, "the datapoint's value")?,
    ];
    let index = file.column(LAKE_INDEX, Kind::Text)?;
    let mut read: Vec<&crate::parquet::Column> = columns.iter().collect();
    read.extend(&index);
    let mut tables: std::collections::BTreeMap<LakeTable, Vec<Raw>> = Default::default();
    let place = format!("{source}: {ROW}");
    // A lake has few metric names and its rows come table by table: each name is read once,
    // and a table's key is built when the table changes, not for every datapoint.
    let mut names: Vec<(String, Option<Metric>)> = Vec::new();
    let mut last: Option<LakeTable> = None;
    file.rows(&read, |row, cells| {
        let at = || format!("{place}{row}");
        let text = |i: usize| match cells.get(i) {
            Some(Cell::Text(t)) => Some(*t),
            _ => None,
        };
        let (Some(metric_name), Some(statistic)) = (text(3), text(4)) else {
            return Ok(());
        };
        if !statistic.eq_ignore_ascii_case("Sum") {
            return Ok(());
        }
        let known = names.iter().find(|(n, _)| n == metric_name).map(|(_, m)| *m);
        let found = match known {
            Some(found) => found,
            None => {
                let found = metric(metric_name, &at())?;
                names.push((metric_name.to_string(), found));
                found
            }
        };
        let Some(metric) = found else {
            return Ok(());
        };
        let named = |i: usize| {
            text(i).filter(|t| !t.is_empty()).ok_or_else(|| {
                MetricsError(format!(
                    "{}: `{}` is empty; each row names the table's account, Region and name",
                    at(),
                    read[i].name
                ))
            })
        };
        let (account, region, table) = (named(0)?, named(1)?, named(2)?);
        if !keep(account, region, table) {
            return Ok(());
        }
        // The period itself is read from the datapoints' spacing, as in the other formats.
        if !matches!(cells[5], Cell::Number(p) if PERIODS.iter().any(|m| (m * 60) as f64 == p)) {
            return Err(MetricsError(format!(
                "{}: `{}` is {}; a replay reads CloudWatch periods of 60, 300 or 3600 seconds: export at one of them",
                at(),
                read[5].name,
                cells[5]
            )));
        }
        let minute = match cells[6] {
            Cell::Minute(m) => m,
            Cell::Text(t) => parse_minute(t).map_err(|m| MetricsError(format!("{}: {m}", at())))?,
            _ => {
                return Err(MetricsError(format!(
                    "{}: `{}` is empty; each datapoint has its timestamp",
                    at(),
                    read[6].name
                )))
            }
        };
        let value = match cells[7] {
            Cell::Number(v) if plausible_sum(v) => v,
            Cell::Number(v) => return Err(MetricsError(format!("{}: {}", at(), not_a_sum(v)))),
            _ => return Ok(()),
        };
        let index = text(8).filter(|i| !i.is_empty());
        let same = |k: &LakeTable| k.account == account && k.region == region && k.table == table;
        if !last.as_ref().is_some_and(same) {
            last = Some(LakeTable {
                account: account.to_string(),
                region: region.to_string(),
                table: table.to_string(),
            });
        }
        let key = last.as_ref().expect("set above");
        let raws = match tables.get_mut(key) {
            Some(raws) => raws,
            None => tables.entry(key.clone()).or_default(),
        };
        let r = match raws
            .iter()
            .position(|r| r.key.metric == metric && r.key.index.as_deref() == index)
        {
            Some(r) => r,
            None => {
                raws.push(Raw {
                    key: Key {
                        table: Some(table.to_string()),
                        region: Some(region.to_string()),
                        index: index.map(str::to_string),
                        metric,
                    },
                    place: place.clone(),
                    points: Vec::new(),
                });
                raws.len() - 1
            }
        };
        raws[r].points.push((minute, value, row as usize));
        Ok::<(), MetricsError>(())
    })?;
    Ok(tables
        .into_iter()
        .map(|(key, raws)| (key, assemble(raws, source, None)))
        .collect())
}

/// The lines of a text that are not blank, numbered on from `number` and without a final
/// `\r`. A line's end is found eight bytes at a time, as [`split_cells`] finds commas: for
/// rows of a few dozen bytes, `str::find` spent more setting up its search than searching.
struct CsvLines<'a> {
    rest: Option<&'a str>,
    /// The number of the line last read; once every line is, the text's line ends, one more.
    number: usize,
}

impl<'a> Iterator for CsvLines<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let current = self.rest?;
            let line = match find_byte(current.as_bytes(), b'\n') {
                Some(end) => {
                    self.rest = Some(&current[end + 1..]);
                    &current[..end]
                }
                None => {
                    self.rest = None;
                    current
                }
            };
            self.number += 1;
            let line = match line.as_bytes().last() {
                Some(b'\r') => &line[..line.len() - 1],
                _ => line,
            };
            if !line.bytes().all(|b| b.is_ascii_whitespace()) {
                return Some((self.number, line));
            }
        }
    }
}

/// The high bit set of each of the eight bytes of `word` that is `byte`, and no other bit.
fn bytes_that_are(word: &[u8], byte: u8) -> u64 {
    /// The low seven bits of each byte of a word.
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let mut eight = [0; 8];
    eight.copy_from_slice(word);
    // Zero where a byte is `byte`; then the high bit of exactly those bytes is set (no sum
    // carries out of a byte, since each is at most 0x7f + 0x7f).
    let x = u64::from_le_bytes(eight) ^ u64::from_le_bytes([byte; 8]);
    !(((x & LOW) + LOW) | x | LOW)
}

/// Where the first `byte` of `bytes` is, looked for eight bytes at a time.
fn find_byte(bytes: &[u8], byte: u8) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    for (n, word) in words.by_ref().enumerate() {
        let found = bytes_that_are(word, byte);
        if found != 0 {
            return Some(n * 8 + found.trailing_zeros() as usize / 8);
        }
    }
    let tail = bytes.len() - words.remainder().len();
    let at = words.remainder().iter().position(|&b| b == byte)?;
    Some(tail + at)
}

/// Fills `cells` with `line`'s cells. Commas are found eight bytes at a time: byte by byte,
/// finding them was the largest part of reading a row.
fn split_cells<'a>(line: &'a str, cells: &mut Vec<&'a str>) {
    cells.clear();
    let bytes = line.as_bytes();
    let mut start = 0;
    let mut split_at = |comma: usize| {
        cells.push(cell(&line[start..comma]));
        start = comma + 1;
    };
    let mut words = bytes.chunks_exact(8);
    for (n, word) in words.by_ref().enumerate() {
        let mut commas = bytes_that_are(word, b',');
        while commas != 0 {
            split_at(n * 8 + commas.trailing_zeros() as usize / 8);
            commas &= commas - 1;
        }
    }
    let tail = bytes.len() - words.remainder().len();
    for (i, &b) in words.remainder().iter().enumerate() {
        if b == b',' {
            split_at(tail + i);
        }
    }
    cells.push(cell(&line[start..]));
}

/// A cell's number. Whole numbers of up to 15 digits, the usual CloudWatch sums, are read
/// digit by digit (exactly, as `str::parse` would) at a fraction of its cost.
fn number(text: &str) -> Option<f64> {
    if text.len() <= 15 {
        if let Some(n) = digits(text.as_bytes(), 0..text.len()).filter(|_| !text.is_empty()) {
            return Some(n as f64);
        }
    }
    text.parse().ok()
}

/// A CSV cell without surrounding blanks and quotes (the console quotes every value).
/// Trimmed byte by byte: what is trimmed is ASCII, so either end stays a character boundary.
/// A cell with nothing to trim, as collectors write them, is returned without a search.
fn cell(text: &str) -> &str {
    let trimmed = |b: &u8| *b == b'"' || b.is_ascii_whitespace();
    let bytes = text.as_bytes();
    if !bytes.first().is_some_and(trimmed) && !bytes.last().is_some_and(trimmed) {
        return text;
    }
    let start = bytes
        .iter()
        .position(|b| !trimmed(b))
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !trimmed(b))
        .map_or(start, |e| e + 1);
    &text[start..end]
}

/// What a CSV column holds.
#[derive(Clone, Copy, PartialEq)]
enum Column {
    Time,
    Table,
    Region,
    Index,
    Metric(Metric),
    Other,
}

fn csv_column(header: &str, at: &str) -> Result<Column, MetricsError> {
    let key: String = header
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    Ok(match key.as_str() {
        "timestamp" | "time" | "date" | "datetime" => Column::Time,
        "tablename" | "table" => Column::Table,
        "region" => Column::Region,
        "gsi" | "gsiname" | "index" | "indexname" | "globalsecondaryindexname" => Column::Index,
        _ => metric(header, at)?.map_or(Column::Other, Column::Metric),
    })
}

fn parse_csv(text: &str, source: &str) -> Result<Vec<Raw>, MetricsError> {
    let mut csv = Csv::new(source, text.len());
    csv.block(text)?;
    csv.finish()
}

/// What a CSV's header says: where its timestamp, labels and metrics are.
struct Header {
    columns: usize,
    time: usize,
    table: Option<usize>,
    region: Option<usize>,
    index: Option<usize>,
    metrics: Vec<(usize, Metric)>,
}

impl Header {
    fn read(line_no: usize, header: &str, source: &str) -> Result<Header, MetricsError> {
        let err = |message: String| MetricsError(format!("{source}:{line_no}: {message}"));
        let place = format!("{source}:{line_no}");
        let headers: Vec<&str> = header.split(',').map(cell).collect();
        let mut columns = headers
            .iter()
            .map(|h| csv_column(h, &place))
            .collect::<Result<Vec<_>, _>>()?;
        if !columns.contains(&Column::Time) {
            columns[0] = Column::Time;
        }
        let find = |c: Column| columns.iter().position(|x| *x == c);
        let metrics: Vec<(usize, Metric)> = columns
            .iter()
            .enumerate()
            .filter_map(|(i, c)| match c {
                Column::Metric(m) => Some((i, *m)),
                _ => None,
            })
            .collect();
        if !metrics
            .iter()
            .any(|(_, m)| matches!(m, Metric::Reads | Metric::Writes))
        {
            return Err(err(format!(
                "no ConsumedReadCapacityUnits or ConsumedWriteCapacityUnits column in the header `{}`",
                header.trim()
            )));
        }
        for (n, (i, m)) in metrics.iter().enumerate() {
            if let Some((j, _)) = metrics[..n].iter().find(|(_, other)| other == m) {
                return Err(err(format!(
                    "columns `{}` and `{}` are the same series; keep one (two series are never summed)",
                    headers[*j], headers[*i]
                )));
            }
        }
        Ok(Header {
            columns: columns.len(),
            time: find(Column::Time).unwrap_or(0),
            table: find(Column::Table),
            region: find(Column::Region),
            index: find(Column::Index),
            metrics,
        })
    }

    /// Without label columns each metric column is one series with a datapoint a row.
    fn unlabelled(&self) -> bool {
        self.table.is_none() && self.region.is_none() && self.index.is_none()
    }
}

/// A CSV read a block of whole lines at a time, so a file's rows need not be held whole.
struct Csv<'s> {
    source: &'s str,
    /// The file's size, from which an unlabelled series reserves its rows.
    bytes: usize,
    /// Lines before the block being read.
    lines: usize,
    header: Option<Header>,
    raws: Vec<Raw>,
    place: String,
    /// The series each metric column fed last, for rows of the labels of the row before: rows
    /// of one series usually follow each other, so most rows compare their labels once.
    last: Vec<Option<usize>>,
    last_labels: Option<[Option<String>; 3]>,
    /// The most datapoints a series holds so far: a new series reserves as many (a GSI's
    /// series usually hold as many as the table's), and the first ones grow as they fill.
    most: usize,
    minutes: MinuteReader,
}

impl<'s> Csv<'s> {
    fn new(source: &'s str, bytes: usize) -> Self {
        Csv {
            source,
            bytes,
            lines: 0,
            header: None,
            raws: Vec::new(),
            place: format!("{source}:"),
            last: Vec::new(),
            last_labels: None,
            most: 0,
            minutes: MinuteReader::default(),
        }
    }

    /// Reads `text`, whole lines that follow those read before.
    fn block(&mut self, text: &str) -> Result<(), MetricsError> {
        let source = self.source;
        let err =
            |line: usize, message: String| MetricsError(format!("{source}:{line}: {message}"));
        let mut lines = CsvLines {
            rest: Some(text),
            number: self.lines,
        };
        let header = match &self.header {
            Some(header) => header,
            None => {
                let Some((line_no, line)) = lines.next() else {
                    self.lines = lines.number - 1;
                    return Ok(());
                };
                let header = Header::read(line_no, line, source)?;
                self.last = vec![None; header.metrics.len()];
                self.header.insert(header)
            }
        };
        let mut cells: Vec<&str> = Vec::with_capacity(header.columns);
        for (line_no, line) in lines.by_ref() {
            split_cells(line, &mut cells);
            if cells.len() != header.columns {
                return Err(err(
                    line_no,
                    format!("{} cells, the header has {}", cells.len(), header.columns),
                ));
            }
            let minute = self
                .minutes
                .read(cells[header.time])
                .map_err(|m| err(line_no, m))?;
            let label = |c: Option<usize>| c.map(|c| cells[c]).filter(|v| !v.is_empty());
            let labels = [
                label(header.table),
                label(header.region),
                label(header.index),
            ];
            let same = self
                .last_labels
                .as_ref()
                .is_some_and(|last| last.iter().zip(labels).all(|(a, b)| a.as_deref() == b));
            if !same {
                self.last.fill(None);
                self.last_labels = Some(labels.map(|l| l.map(str::to_string)));
            }
            let [table, region, index] = labels;
            for (&(column, metric), last) in header.metrics.iter().zip(&mut self.last) {
                let value = cells[column];
                if value.is_empty() {
                    continue;
                }
                let number = number(value)
                    .filter(|&v| plausible_sum(v))
                    .ok_or_else(|| err(line_no, not_a_sum(value)))?;
                // Compared as read, so a row allocates nothing unless it starts a series.
                let is_key = |raw: &Raw| {
                    raw.key.metric == metric
                        && raw.key.table.as_deref() == table
                        && raw.key.region.as_deref() == region
                        && raw.key.index.as_deref() == index
                };
                let r = match *last {
                    Some(r) => r,
                    None => match self.raws.iter().position(is_key) {
                        Some(r) => r,
                        None => {
                            // An unlabelled series reserves the rows the file's size suggests,
                            // an eighth more for rows longer than this one: growing by
                            // doubling copied a month's points about twice over.
                            let rows = if header.unlabelled() {
                                self.bytes / (line.len() + 1) * 9 / 8 + 1
                            } else {
                                self.most
                            };
                            self.raws.push(Raw {
                                key: Key {
                                    table: table.map(str::to_string),
                                    region: region.map(str::to_string),
                                    index: index.map(str::to_string),
                                    metric,
                                },
                                place: self.place.clone(),
                                points: Vec::with_capacity(rows),
                            });
                            self.raws.len() - 1
                        }
                    },
                };
                *last = Some(r);
                let points = &mut self.raws[r].points;
                points.push((minute, number, line_no));
                self.most = self.most.max(points.len());
            }
        }
        self.lines = lines.number - 1;
        Ok(())
    }

    /// The series read, once every block has been.
    fn finish(&mut self) -> Result<Vec<Raw>, MetricsError> {
        match self.header {
            Some(_) => Ok(std::mem::take(&mut self.raws)),
            None => Err(MetricsError(format!("{}: the file is empty", self.source))),
        }
    }
}

/// A JSON number or a numeric string.
fn json_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A timestamp: ISO 8601 text, or Unix seconds (milliseconds above 10^11, as the SDKs write).
fn json_minute(v: &Value) -> Result<u64, String> {
    match v {
        Value::String(s) if !s.trim().bytes().all(|b| b.is_ascii_digit() || b == b'.') => {
            parse_minute(s)
        }
        other => {
            let n = json_number(other).ok_or_else(|| format!("`{other}` is not a timestamp"))?;
            epoch_minute(if n > 1e11 { n / 1000.0 } else { n })
        }
    }
}

/// The table and GSI a get-metric-data label names with `TableName=…` and
/// `GlobalSecondaryIndexName=…` words (docs/simulate.md), as a dynamic label can write them.
fn label_dimensions(label: &str) -> (Option<String>, Option<String>) {
    let (mut table, mut index) = (None, None);
    for word in label.split(|c: char| c.is_whitespace() || c == ',') {
        if let Some((k, v)) = word.split_once('=') {
            let v = v.trim_matches('"').to_string();
            match k.to_ascii_lowercase().as_str() {
                "tablename" | "table" => table = Some(v),
                "globalsecondaryindexname" | "gsi" | "index" => index = Some(v),
                _ => {}
            }
        }
    }
    (table, index)
}

/// get-metric-data (one response, a list of responses, or responses one after another, as
/// several pages are saved) or get-metric-statistics.
fn parse_json(text: &str, source: &str) -> Result<(Vec<Raw>, bool), MetricsError> {
    let located =
        |e: serde_json::Error| MetricsError(format!("{source}:{}:{}: {e}", e.line(), e.column()));
    let mut pages = Vec::new();
    for doc in serde_json::Deserializer::from_str(text).into_iter::<Value>() {
        match doc.map_err(located)? {
            Value::Array(items) => pages.extend(items),
            other => pages.push(other),
        }
    }
    let mut raws: Vec<Raw> = Vec::new();
    let mut truncated = false;
    let mut found = false;
    for (p, page) in pages.iter().enumerate() {
        let prefix = if pages.len() > 1 {
            format!("{source}: page {}: ", p + 1)
        } else {
            format!("{source}: ")
        };
        truncated |= page
            .get("NextToken")
            .and_then(Value::as_str)
            .is_some_and(|t| !t.is_empty());
        if let Some(points) = page.get("Datapoints") {
            found = true;
            raws.extend(statistics(page, points, &prefix)?);
            continue;
        }
        let Some(results) = page.get("MetricDataResults").and_then(Value::as_array) else {
            return Err(MetricsError(format!(
                "{prefix}neither `MetricDataResults` (get-metric-data) nor `Datapoints` (get-metric-statistics)"
            )));
        };
        found = true;
        let first_of_page = raws.len();
        for (r, result) in results.iter().enumerate() {
            let at = format!("{prefix}MetricDataResults[{r}]");
            truncated |= result.get("StatusCode").and_then(Value::as_str) == Some("PartialData");
            let text = |k: &str| match result.get(k) {
                None | Some(Value::Null) => Ok(""),
                Some(Value::String(s)) => Ok(s.as_str()),
                Some(other) => Err(MetricsError(format!("{at}.{k}: `{other}` is not a string"))),
            };
            let (label, id) = (text("Label")?, text("Id")?);
            let Some(metric) = metric(label, &at)?.or(metric(id, &at)?) else {
                continue;
            };
            let (table, index) = label_dimensions(label);
            let key = Key {
                table,
                region: None,
                index,
                metric,
            };
            let list = |k: &str| {
                result
                    .get(k)
                    .and_then(Value::as_array)
                    .ok_or_else(|| MetricsError(format!("{at}: `{k}` is missing or not a list")))
            };
            let (times, values) = (list("Timestamps")?, list("Values")?);
            if times.len() != values.len() {
                return Err(MetricsError(format!(
                    "{at}: {} timestamps but {} values",
                    times.len(),
                    values.len()
                )));
            }
            let mut points = Vec::with_capacity(times.len());
            for (i, (t, v)) in times.iter().zip(values).enumerate() {
                let minute = json_minute(t)
                    .map_err(|m| MetricsError(format!("{at}.Timestamps[{i}]: {m}")))?;
                let value = json_number(v)
                    .filter(|&v| plausible_sum(v))
                    .ok_or_else(|| MetricsError(format!("{at}.Values[{i}]: {}", not_a_sum(v))))?;
                points.push((minute, value, i));
            }
            // The same series on a later page continues it; twice on one page is an error.
            if let Some(k) = raws.iter().position(|x| x.key == key) {
                if k >= first_of_page {
                    return Err(MetricsError(format!(
                        "{at}: a second series of {} (`{label}`); label each series once (two series are never summed)",
                        key.name()
                    )));
                }
                raws[k].points.extend(points);
            } else {
                raws.push(Raw {
                    key,
                    place: format!("{at}.Timestamps"),
                    points,
                });
            }
        }
    }
    if !found || !raws.iter().any(|r| r.key.metric != Metric::Throttled) {
        return Err(MetricsError(format!(
            "{source}: no series labelled ConsumedReadCapacityUnits or ConsumedWriteCapacityUnits (by Label or Id)"
        )));
    }
    Ok((raws, truncated))
}

/// get-metric-statistics: `Label` names the metric, each datapoint holds its statistics. Sum
/// is read; an Average with its SampleCount is converted exactly (Sum = Average × SampleCount,
/// CloudWatch's definition of the statistics); any other statistic is refused.
fn statistics(page: &Value, points: &Value, prefix: &str) -> Result<Vec<Raw>, MetricsError> {
    let label = page
        .get("Label")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let at = format!("{prefix}Datapoints");
    let Some(metric) = metric(label, &format!("{prefix}Label"))? else {
        return Err(MetricsError(format!(
            "{prefix}Label `{label}` is not ConsumedReadCapacityUnits or ConsumedWriteCapacityUnits"
        )));
    };
    let points = points
        .as_array()
        .ok_or_else(|| MetricsError(format!("{at}: is not a list")))?;
    let mut out = Vec::with_capacity(points.len());
    for (i, p) in points.iter().enumerate() {
        let here = format!("{at}[{i}]");
        let time = p
            .get("Timestamp")
            .ok_or_else(|| MetricsError(format!("{here}: has no Timestamp")))?;
        let minute =
            json_minute(time).map_err(|m| MetricsError(format!("{here}.Timestamp: {m}")))?;
        let stat = |k: &str| p.get(k).and_then(json_number);
        let value = match (stat("Sum"), stat("Average"), stat("SampleCount")) {
            (Some(sum), _, _) => sum,
            (None, Some(avg), Some(count)) => avg * count,
            _ => {
                let held = ["Average", "Maximum", "Minimum", "SampleCount"]
                    .into_iter()
                    .find(|k| p.get(*k).is_some())
                    .unwrap_or("no");
                return Err(MetricsError(format!(
                    "{here}: holds the {held} statistic, not Sum; a replay needs the units consumed in each period: \
                     run get-metric-statistics with --statistics Sum"
                )));
            }
        };
        if !plausible_sum(value) {
            return Err(MetricsError(format!("{here}: {}", not_a_sum(value))));
        }
        out.push((minute, value, i));
    }
    Ok(vec![Raw {
        key: Key {
            table: None,
            region: None,
            index: None,
            metric,
        },
        place: at,
        points: out,
    }])
}

/// The series of the chosen table: with several tables in the file, `table` (else
/// `default_table`) must name one.
fn choose_table(
    raws: Vec<Raw>,
    source: &str,
    table: Option<&str>,
    default_table: Option<&str>,
) -> Result<Vec<Raw>, MetricsError> {
    let mut names: Vec<&str> = raws.iter().filter_map(|r| r.key.table.as_deref()).collect();
    names.sort_unstable();
    names.dedup();
    let table = table.or(default_table.filter(|_| names.len() > 1));
    let chosen = match (table, &names[..]) {
        (_, []) => return Ok(raws),
        (None, [only]) => only.to_string(),
        (None, _) => {
            return Err(MetricsError(format!(
                "{source}: holds the metrics of {} tables ({}); choose one with --table",
                names.len(),
                names.join(", ")
            )))
        }
        (Some(t), _) if names.contains(&t) => t.to_string(),
        (Some(t), _) => {
            return Err(MetricsError(format!(
                "{source}: has no metrics for table `{t}`; it has {}",
                names.join(", ")
            )))
        }
    };
    Ok(raws
        .into_iter()
        .filter(|r| r.key.table.as_deref().is_none_or(|t| t == chosen))
        .collect())
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Lays every series out by minute over the span of all of them.
fn assemble(
    mut raws: Vec<Raw>,
    source: &str,
    peak_to_mean: Option<f64>,
) -> Result<MetricSeries, MetricsError> {
    for (n, raw) in raws.iter().enumerate() {
        if let Some(other) = raws[..n]
            .iter()
            .find(|o| o.key.same_series(&raw.key) && raw.key.metric != Metric::Throttled)
        {
            let region = |k: &Key| k.region.clone().unwrap_or_default();
            return Err(MetricsError(format!(
                "{source}: two series of {} (Regions `{}` and `{}`); give one table's metrics from one Region",
                raw.key.name(),
                region(&other.key),
                region(&raw.key)
            )));
        }
    }
    let mut spacing = 0;
    for raw in &mut raws {
        raw.points.sort_by_key(|p| p.0);
        for pair in raw.points.windows(2) {
            if pair[0].0 == pair[1].0 {
                return Err(MetricsError(format!(
                    "{}: the timestamp of {} repeats {}; each series has one datapoint per period",
                    raw.at(pair[1].2),
                    raw.key.name(),
                    raw.earlier(pair[0].2)
                )));
            }
            // Once 1, the spacing stays 1: no division per datapoint.
            if spacing != 1 {
                spacing = gcd(spacing, pair[1].0 - pair[0].0);
            }
        }
    }
    let period = if spacing == 0 {
        1
    } else {
        PERIODS.into_iter().find(|p| spacing % p == 0).unwrap_or(1)
    };
    let peak = peak_to_mean.unwrap_or(1.0);
    if !(peak.is_finite() && (1.0..=period as f64).contains(&peak)) {
        return Err(MetricsError(format!(
            "the peak-to-mean inside a period is {peak}; it runs from 1 (even) to the period's {period} minutes"
        )));
    }
    let consumed = raws.iter().filter(|r| r.key.metric != Metric::Throttled);
    let (Some(start), Some(last)) = (
        consumed
            .clone()
            .filter_map(|r| r.points.first())
            .map(|p| p.0)
            .min(),
        consumed.filter_map(|r| r.points.last()).map(|p| p.0).max(),
    ) else {
        return Err(MetricsError(format!("{source}: no datapoints to replay")));
    };
    let minutes = last - start + period;
    if minutes > MAX_MINUTES {
        return Err(MetricsError(format!(
            "{source}: the datapoints span more than {MAX_MINUTES} minutes; replay at most a year at a time"
        )));
    }
    let len = minutes as usize;
    // Shares of a period's units by minute: the first carries the assumed peak.
    let shares: Vec<f64> = (0..period)
        .map(|i| match (i, period) {
            (_, 1) => 1.0,
            (0, _) => peak / period as f64,
            _ => (period as f64 - peak) / ((period - 1) * period) as f64,
        })
        .collect();
    let mut series = MetricSeries {
        start_utc_minute: start,
        period_minutes: period,
        period_peak_to_mean: peak,
        ..MetricSeries::default()
    };
    let mut seen = vec![false; len.div_ceil(period as usize)];
    for raw in raws {
        if raw.key.metric == Metric::Throttled {
            series.observed_throttled += raw.points.iter().map(|p| p.1).sum::<f64>();
            continue;
        }
        let mut per_minute = vec![0.0; len];
        for &(minute, value, _) in &raw.points {
            // A point outside the consumed span cannot happen: the span is the union.
            let offset = (minute - start) as usize;
            // Per-minute data, the usual case, needs no division per datapoint.
            let slot = if period == 1 {
                offset
            } else {
                offset / period as usize
            };
            seen[slot] = true;
            for (i, share) in shares.iter().enumerate() {
                if let Some(m) = per_minute.get_mut(offset + i) {
                    *m += value * share / 60.0;
                }
            }
        }
        series.gaps.push(SeriesGaps {
            series: raw.key.name(),
            minutes: minutes - raw.points.len() as u64 * period,
        });
        let reads = raw.key.metric == Metric::Reads;
        match raw.key.index {
            None if reads => series.reads = per_minute,
            None => series.writes = per_minute,
            Some(name) => {
                let at = match series.indexes.iter().position(|i| i.name == name) {
                    Some(at) => at,
                    None => {
                        series.indexes.push(IndexSeries {
                            name,
                            reads: None,
                            writes: None,
                        });
                        series.indexes.len() - 1
                    }
                };
                let index = &mut series.indexes[at];
                if reads {
                    index.reads = Some(per_minute);
                } else {
                    index.writes = Some(per_minute);
                }
            }
        }
    }
    // Zeros only for a table series the file lacks: made up front, each was a month of
    // zeros to write and then drop.
    for table in [&mut series.reads, &mut series.writes] {
        if table.is_empty() {
            *table = vec![0.0; len];
        }
    }
    series.gap_minutes = seen.iter().filter(|s| !**s).count() as u64 * period;
    Ok(series)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, source: &str) -> Result<MetricSeries, MetricsError> {
        parse(text, source, &MetricsOptions::default())
    }

    #[test]
    fn csv_minutes_become_units_per_second_and_gaps_are_zero() {
        let csv = "Timestamp,ConsumedReadCapacityUnits (Sum),ConsumedWriteCapacityUnits (Sum)\n\
                   2026-11-01T00:00:00Z,600,60\n\
                   2026-11-01T00:02:00Z,1200,\n";
        let s = read(csv, "m.csv").unwrap();
        assert_eq!(s.period_minutes, 1);
        assert_eq!(s.reads, vec![10.0, 0.0, 20.0]);
        assert_eq!(s.writes, vec![1.0, 0.0, 0.0]);
        assert_eq!(s.gap_minutes, 1);
        assert_eq!(
            s.gaps,
            [
                SeriesGaps {
                    series: "table reads".into(),
                    minutes: 1
                },
                SeriesGaps {
                    series: "table writes".into(),
                    minutes: 2
                }
            ]
        );
    }

    /// Quoted cells (the console quotes every value), CRLF line ends and blank lines read as
    /// plain ones, commas are found wherever they fall in a line, and a bad row's number counts
    /// the blank lines. 600 units in a minute are 10 a second; 60 are 1.
    #[test]
    fn quoted_cells_crlf_blank_lines_and_long_rows() {
        let quoted = "\"Timestamp\",\"ConsumedReadCapacityUnits (Sum)\"\r\n\r\n\
                      \"2026-11-01T00:00:00Z\", \"600\" \r\n";
        assert_eq!(read(quoted, "m.csv").unwrap().reads, vec![10.0]);
        let labelled = "Timestamp,Region,Table Name,ConsumedReadCapacityUnits (Sum),ConsumedWriteCapacityUnits (Sum)\n\
                        2026-11-01T00:00:00Z,us-east-1,orders,600,60\n\
                        2026-11-01T00:01:00Z,us-east-1,orders,1200,120\n";
        let s = read(labelled, "m.csv").unwrap();
        assert_eq!((s.reads, s.writes), (vec![10.0, 20.0], vec![1.0, 2.0]));
        let short = "t,ConsumedReadCapacityUnits\n\n   \n2026-11-01T00:00:00Z,1,2\n";
        assert_eq!(
            read(short, "m.csv").unwrap_err().0,
            "m.csv:4: 3 cells, the header has 2"
        );
    }

    /// A cell is trimmed at either end alone, and one with nothing to trim comes back whole;
    /// a byte is found in the first word, a later one, or the bytes after the last whole word.
    /// A CSV fed in blocks of whole lines reads as its whole text does: rows of several
    /// series, CRLF line ends, a blank line and a quoted cell, cut after every line, and a
    /// first block with no row at all.
    #[test]
    fn a_csv_read_in_blocks_reads_as_whole() {
        let text = "Timestamp,Table,GSI,ConsumedReadCapacityUnits (Sum),ConsumedWriteCapacityUnits (Sum)\r\n\
            2026-11-01T00:00:00Z,orders,,60,6\r\n\
            \r\n\
            2026-11-01T00:01:00Z,orders,,120,\r\n\
            \"2026-11-01T00:00:00Z\",orders,by_status,30,3\r\n\
            2026-11-01T00:01:00Z,orders,by_status,90,9";
        let points = |raws: Vec<Raw>| {
            raws.into_iter()
                .map(|r| (r.key.name(), r.points))
                .collect::<Vec<_>>()
        };
        let whole = points(parse_csv(text, "m.csv").unwrap());
        assert_eq!(whole.len(), 4);
        // The table's writes: 6 at 2026-11-01T00:00:00Z (Unix seconds 1793491200), line 2.
        assert_eq!(whole[1].1, vec![(1_793_491_200 / 60, 6.0, 2)]);
        let lines: Vec<&str> = text.split_inclusive('\n').collect();
        for cut in 1..lines.len() {
            let mut csv = Csv::new("m.csv", text.len());
            csv.block(&lines[..cut].concat()).unwrap();
            csv.block(&lines[cut..].concat()).unwrap();
            assert_eq!(points(csv.finish().unwrap()), whole, "cut after line {cut}");
        }
        let mut csv = Csv::new("m.csv", text.len());
        csv.block("\n").unwrap();
        csv.block(text).unwrap();
        let later = points(parse_csv(&format!("\n{text}"), "m.csv").unwrap());
        assert_eq!(points(csv.finish().unwrap()), later);
    }

    proptest::proptest! {
        /// Any text of CSV-like lines (labelled or not, blank, CRLF, bad cells, repeated or
        /// out-of-order minutes) cut into two blocks at any line reads as the whole text
        /// does: the same series and points, or the same error.
        #[test]
        fn any_csv_cut_at_a_line_reads_as_whole(
            lines in proptest::collection::vec(proptest::sample::select(vec![
                "Timestamp,ConsumedReadCapacityUnits (Sum),ConsumedWriteCapacityUnits (Sum)",
                "Timestamp,Table,ConsumedReadCapacityUnits (Sum)",
                "2026-11-01T00:00:00Z,60,6",
                "2026-11-01T00:01:00Z,120,\r",
                "2026-11-01 00:02:00,orders,30",
                "2026-11-02T00:00:00Z,shop,x",
                "",
                "  \r",
                "2026-11-01T00:03:30Z,1,1",
                "\"2026-11-01T00:04:00Z\",\"7\",8",
            ]), 0..12),
            cut in 0usize..12,
        ) {
            let text = lines.join("\n");
            let points = |raws: Result<Vec<Raw>, MetricsError>| {
                raws.map(|raws| {
                    raws.into_iter()
                        .map(|r| (r.key.name(), r.points))
                        .collect::<Vec<_>>()
                })
                .map_err(|e| e.0)
            };
            let whole = points(parse_csv(&text, "m.csv"));
            let at = text
                .match_indices('\n')
                .nth(cut)
                .map_or(text.len(), |(i, _)| i + 1);
            let mut csv = Csv::new("m.csv", text.len());
            let blocks = csv
                .block(&text[..at])
                .and_then(|()| csv.block(&text[at..]))
                .and_then(|()| csv.finish());
            proptest::prop_assert_eq!(points(blocks), whole);
        }
    }

    /// A fleet's export of several tables is read a block at a time too, and gives each
    /// table's series as its whole text does: in name order, each Sum a minute over 60 s.
    #[test]
    fn an_export_of_several_tables_is_read_a_block_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("all.csv");
        let mut text = String::from("Timestamp,Table Name,Region,ConsumedReadCapacityUnits (Sum),ConsumedWriteCapacityUnits (Sum)\n");
        for table in ["orders", "sessions", "carts"] {
            for m in 0..1_440 {
                let (hour, minute) = (m / 60, m % 60);
                text += &format!(
                    "2026-11-02T{hour:02}:{minute:02}:00Z,{table},us-east-1,{},{}\n",
                    6_000 + m,
                    600 + m % 7
                );
            }
        }
        assert!(text.len() > 2 * BLOCK);
        std::fs::write(&path, &text).unwrap();
        let read = read_tables(&path, "all.csv").unwrap();
        let (raws, truncated) = raws(&text, "all.csv").unwrap();
        assert_eq!(read, tables(raws, truncated, "all.csv").unwrap());
        let names: Vec<&str> = read.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(names, ["carts", "orders", "sessions"]);
        let orders = read[1].1.as_ref().unwrap();
        assert_eq!(
            (orders.reads.len(), orders.reads[0], orders.writes[1]),
            (1_440, 100.0, 601.0 / 60.0)
        );
    }

    /// `read` takes a CSV a block at a time: a file of several blocks reads as its text does,
    /// and a bad cell or a byte that is not UTF-8 past the first block is named by its line.
    #[test]
    fn a_file_is_read_a_block_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("m.csv");
        let mut lines = vec!["Timestamp,ConsumedReadCapacityUnits (Sum)".to_string()];
        for i in 0..3 * BLOCK / 30 {
            let (day, hour, minute) = (1 + i / 1_440, i / 60 % 24, i % 60);
            lines.push(format!(
                "2026-11-{day:02}T{hour:02}:{minute:02}:00Z,{}",
                i % 997
            ));
        }
        let text = lines.join("\n");
        assert!(text.len() > 2 * BLOCK);
        let options = MetricsOptions::default();
        std::fs::write(&path, &text).unwrap();
        let series = super::read(&path, "m.csv", &options).unwrap();
        assert_eq!(series, read(&text, "m.csv").unwrap());
        assert_eq!(series.reads.len(), 6_553);

        let mut bad = lines.clone();
        bad[5_000] = "2026-11-04T11:19:00Z,abc".into();
        std::fs::write(&path, bad.join("\n")).unwrap();
        let err = MetricsError::from(super::read(&path, "m.csv", &options).unwrap_err());
        assert!(
            err.0.starts_with("m.csv:5001: `abc` is not a Sum"),
            "{}",
            err.0
        );

        let mut bytes = text.clone().into_bytes();
        let at = lines[..4_000].iter().map(|l| l.len() + 1).sum::<usize>() + 21;
        bytes[at] = 0xff;
        std::fs::write(&path, bytes).unwrap();
        let err = MetricsError::from(super::read(&path, "m.csv", &options).unwrap_err());
        assert_eq!(
            err.0,
            "m.csv:4001: the file is not UTF-8 text (byte 0xff); export the metrics as UTF-8 CSV or JSON"
        );
        // JSON is read whole, and named by its line too.
        std::fs::write(&path, b"{\"MetricDataResults\":\n[\xff]}").unwrap();
        let err = MetricsError::from(super::read(&path, "m.json", &options).unwrap_err());
        assert!(
            err.0
                .starts_with("m.json:2: the file is not UTF-8 text (byte 0xff)"),
            "{}",
            err.0
        );
    }

    #[test]
    fn cells_trim_either_end_and_bytes_are_found_anywhere() {
        for (text, want) in [
            ("600", "600"),
            ("\"600", "600"),
            ("600 ", "600"),
            (" \"by_status\"\t", "by_status"),
            ("a b", "a b"),
            ("\" \"", ""),
            ("", ""),
            ("6", "6"),
        ] {
            assert_eq!(cell(text), want, "{text:?}");
        }
        let bytes = b"0123456789abcdefghij";
        for (byte, want) in [
            (b'0', Some(0)),
            (b'7', Some(7)),
            (b'c', Some(12)),
            (b'j', Some(19)),
        ] {
            assert_eq!(find_byte(bytes, byte), want, "{}", byte as char);
        }
        assert_eq!(find_byte(bytes, b'\n'), None);
    }

    #[test]
    fn json_newest_first_is_accepted() {
        let json = r#"{"MetricDataResults":[{"Id":"w","Label":"ConsumedWriteCapacityUnits",
            "Timestamps":["2026-11-01T00:01:00Z","2026-11-01T00:00:00Z"],"Values":[120,60],
            "StatusCode":"Complete"}],"Messages":[]}"#;
        let s = read(json, "m.json").unwrap();
        assert_eq!(s.writes, vec![1.0, 2.0]);
        // No read series: the table's reads are zero for each minute of the span.
        assert_eq!(s.reads, vec![0.0, 0.0]);
        assert!(!s.truncated);
    }

    /// Unix seconds 1793491200 is 2026-11-01T00:00:00Z; milliseconds are read too. Two pages
    /// of one series continue it; a NextToken on the last page says CloudWatch had more.
    #[test]
    fn epoch_timestamps_pages_and_next_token() {
        let pages = r#"{"MetricDataResults":[{"Label":"ConsumedReadCapacityUnits",
              "Timestamps":[1793491260000],"Values":[120]}],"NextToken":"abc"}
            {"MetricDataResults":[{"Label":"ConsumedReadCapacityUnits",
              "Timestamps":[1793491200],"Values":[60]}],"NextToken":"more"}"#;
        let s = read(pages, "m.json").unwrap();
        assert_eq!(s.start_utc_minute, 1_793_491_200 / 60);
        assert_eq!(s.reads, vec![1.0, 2.0]);
        assert!(s.truncated);
    }

    /// A 5-minute Sum of 3,000 units is 10 units a second over each of its 5 minutes (3,000 ÷
    /// 300 s); with peak-to-mean 2 its first minute carries 2 × 10 and the other four share
    /// the rest, (5 − 2) ÷ 4 × 10 = 7.5. Either way the period's total stays 3,000.
    #[test]
    fn coarse_periods_are_spread_over_their_minutes() {
        let csv = "Timestamp,ConsumedReadCapacityUnits (Sum)\n\
                   2026-11-01T00:00:00Z,3000\n2026-11-01T00:10:00Z,3000\n";
        let s = read(csv, "m.csv").unwrap();
        assert_eq!(s.period_minutes, 5);
        assert_eq!(s.reads.len(), 15);
        assert_eq!(&s.reads[..5], &[10.0; 5]);
        assert_eq!(&s.reads[5..10], &[0.0; 5]);
        assert_eq!(s.gap_minutes, 5);
        let options = MetricsOptions {
            period_peak_to_mean: Some(2.0),
            ..MetricsOptions::default()
        };
        let s = parse(csv, "m.csv", &options).unwrap();
        assert_eq!(&s.reads[..5], &[20.0, 7.5, 7.5, 7.5, 7.5]);
        let total: f64 = s.reads.iter().map(|r| r * 60.0).sum();
        assert_eq!(total, 6000.0);
        let options = MetricsOptions {
            period_peak_to_mean: Some(6.0),
            ..MetricsOptions::default()
        };
        assert!(parse(csv, "m.csv", &options)
            .unwrap_err()
            .0
            .contains("runs from 1"));
    }

    /// get-metric-statistics returns datapoints in no order; Sum is read, an Average with
    /// its SampleCount is Average × SampleCount (60 × 2 = 120), a Maximum alone is refused.
    #[test]
    fn get_metric_statistics() {
        let json = r#"{"Label":"ConsumedReadCapacityUnits","Datapoints":[
            {"Timestamp":"2026-11-01T00:01:00Z","Average":60,"SampleCount":2,"Unit":"Count"},
            {"Timestamp":"2026-11-01T00:00:00Z","Sum":60,"Unit":"Count"}]}"#;
        assert_eq!(read(json, "s.json").unwrap().reads, vec![1.0, 2.0]);
        let max = r#"{"Label":"ConsumedReadCapacityUnits","Datapoints":[
            {"Timestamp":"2026-11-01T00:00:00Z","Maximum":60}]}"#;
        let err = read(max, "s.json").unwrap_err().0;
        assert!(
            err.contains("Maximum statistic") && err.contains("--statistics Sum"),
            "{err}"
        );
    }

    /// GSI series are named by a `GlobalSecondaryIndexName=` label and kept apart from the
    /// table's: never summed into its reads.
    #[test]
    fn gsi_series_stay_apart() {
        let json = r#"{"MetricDataResults":[
            {"Label":"ConsumedReadCapacityUnits","Timestamps":["2026-11-01T00:00:00Z"],"Values":[60]},
            {"Label":"GlobalSecondaryIndexName=by_status ConsumedReadCapacityUnits","Timestamps":["2026-11-01T00:00:00Z"],"Values":[120]}]}"#;
        let s = read(json, "m.json").unwrap();
        assert_eq!(s.reads, vec![1.0]);
        assert_eq!(s.indexes[0].name, "by_status");
        assert_eq!(s.indexes[0].reads, Some(vec![2.0]));
    }

    #[test]
    fn bad_files_are_located() {
        let cases = [
            ("", "m.csv: the file is empty"),
            (
                "Timestamp,Foo\n2026-11-01T00:00:00Z,1\n",
                "m.csv:1: no ConsumedRead",
            ),
            (
                "t,ConsumedReadCapacityUnits\n2026-11-01T00:00:00Z,abc\n",
                "m.csv:2: `abc` is not",
            ),
            (
                "t,ConsumedReadCapacityUnits\n2026-11-01T00:00:00Z,-1\n",
                "m.csv:2: `-1` is not a Sum of consumed units (a number from 0 to 3.6e15)",
            ),
            (
                "t,ConsumedReadCapacityUnits\n2026-11-01T00:01:00Z,1\n2026-11-01T00:01:00Z,1\n",
                "m.csv:3: the timestamp of table reads repeats line 2",
            ),
            (
                "t,ConsumedReadCapacityUnits\n2026-02-30T00:00:00Z,1\n",
                "m.csv:2: `2026-02-30T00:00:00Z` is not a timestamp",
            ),
            (
                "t,ConsumedReadCapacityUnits\n2026-11-01T00:00:00+99:00,1\n",
                "is not a timestamp",
            ),
            (
                "t,ConsumedReadCapacityUnits (Sum),ConsumedReadCapacityUnits\n2026-11-01T00:00:00Z,1,1\n",
                "are the same series",
            ),
            (
                "t,ConsumedReadCapacityUnits (Average)\n2026-11-01T00:00:00Z,1\n",
                "holds the Average statistic; a replay needs the units consumed in each period: export the metric with the Sum statistic",
            ),
            ("t,ConsumedReadCapacityUnits\n", "m.csv: no datapoints"),
            (
                "t,ConsumedReadCapacityUnits\n2026-11-01T00:00:00Z,1\n2028-11-01T00:00:00Z,1\n",
                "span",
            ),
        ];
        for (text, expected) in cases {
            let err = read(text, "m.csv").unwrap_err().to_string();
            assert!(err.contains(expected), "{err} should contain {expected}");
        }
        let far = r#"{"MetricDataResults":[
            {"Label":"ConsumedReadCapacityUnits","Timestamps":["2026-01-01T00:00:00Z"],"Values":[1]},
            {"Label":"ConsumedWriteCapacityUnits","Timestamps":["1990-01-01T00:00:00Z"],"Values":[1]}]}"#;
        let err = read(far, "m.json").unwrap_err().to_string();
        assert!(err.contains("span more than"), "{err}");
        let twice = r#"{"MetricDataResults":[
            {"Label":"ConsumedReadCapacityUnits","Timestamps":["2026-01-01T00:00:00Z"],"Values":[1]},
            {"Id":"ConsumedReadCapacityUnits","Timestamps":["2026-01-01T00:01:00Z"],"Values":[1]}]}"#;
        let err = read(twice, "m.json").unwrap_err().to_string();
        assert!(err.contains("a second series of table reads"), "{err}");
        let err = read("{\"MetricDataResults\": 3}", "m.json")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("m.json: "), "{err}");
        let err = read("{\"MetricDataResults\": [", "m.json")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("m.json:1:"), "{err}");
    }
}
