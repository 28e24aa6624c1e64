//! CloudWatch metrics to replay: per-minute `ConsumedReadCapacityUnits` and
//! `ConsumedWriteCapacityUnits` (Sum statistic, 60-second period), from a console CSV export or
//! from `aws cloudwatch get-metric-data` JSON. Formats and rules: docs/simulate.md.
//!
//! Each minute's units are spread evenly over its 60 seconds. A minute missing between the first
//! and the last is a minute without requests (CloudWatch publishes no datapoint for a period
//! with no traffic), so it is replayed as zero demand and counted in `gap_minutes`.

use serde::Deserialize;

use super::engine::Source;
use super::{TABLE_READS, TABLE_WRITES};
use crate::time::{digits, parse_minute};

/// Largest metrics file read: 30 days of per-minute CSV is about 2 MB.
pub const MAX_BYTES: u64 = 64 << 20;
/// Longest replay: one year of minutes.
pub const MAX_MINUTES: u64 = 366 * 1_440;

/// A metrics file that cannot be replayed, with the place: `file:line: message` for CSV,
/// `file:line:column` or `file: path: message` for JSON.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct MetricsError(pub String);

/// Per-minute demand of one table, in units per second, from `start_utc_minute` on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MetricSeries {
    /// Minutes since the Unix epoch of the first datapoint.
    pub start_utc_minute: u64,
    pub reads: Vec<f64>,
    pub writes: Vec<f64>,
    /// Minutes with no datapoint between the first and last, replayed as zero.
    pub gap_minutes: u64,
    /// Throttled requests the metrics recorded (`ThrottledRequests`, `Read/WriteThrottleEvents`).
    pub observed_throttled: f64,
}

impl MetricSeries {
    pub fn minutes(&self) -> u64 {
        self.reads.len() as u64
    }
}

#[derive(Clone, Copy)]
enum Column {
    Reads,
    Writes,
    Throttled,
}

/// Which metric a CSV header or a JSON label names (case and punctuation ignored).
fn column(name: &str) -> Option<Column> {
    let key: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase();
    if key.contains("consumedreadcapacityunits") {
        Some(Column::Reads)
    } else if key.contains("consumedwritecapacityunits") {
        Some(Column::Writes)
    } else if key.contains("throttledrequests") || key.contains("throttleevents") {
        Some(Column::Throttled)
    } else {
        None
    }
}

/// Datapoints laid out by minute from the first to the last, as they arrive.
struct Points<'a> {
    source: &'a str,
    series: MetricSeries,
    seen: Vec<bool>,
}

impl<'a> Points<'a> {
    fn new(source: &'a str) -> Self {
        Points {
            source,
            series: MetricSeries::default(),
            seen: Vec::new(),
        }
    }

    fn reserve(&mut self, minutes: usize) {
        self.series.reads.reserve(minutes);
        self.series.writes.reserve(minutes);
        self.seen.reserve(minutes);
    }

    /// Adds one datapoint (units per minute, or a count of throttled requests).
    fn add(&mut self, minute: u64, column: Column, value: f64) -> Result<(), MetricsError> {
        let s = &mut self.series;
        if self.seen.is_empty() {
            s.start_utc_minute = minute;
        }
        let len = self.seen.len() as u64;
        let span = match minute.checked_sub(s.start_utc_minute) {
            Some(offset) => len.max(offset + 1),
            None => s.start_utc_minute - minute + len,
        };
        if span > MAX_MINUTES {
            return Err(MetricsError(format!(
                "{}: the datapoints span more than {MAX_MINUTES} minutes; replay at most a year at a time",
                self.source
            )));
        }
        if minute < s.start_utc_minute {
            // Only when a later JSON result starts earlier: one shift per result.
            let shift = (s.start_utc_minute - minute) as usize;
            for v in [&mut s.reads, &mut s.writes] {
                v.splice(0..0, std::iter::repeat_n(0.0, shift));
            }
            self.seen.splice(0..0, std::iter::repeat_n(false, shift));
            s.start_utc_minute = minute;
        }
        let i = (minute - s.start_utc_minute) as usize;
        if i >= self.seen.len() {
            s.reads.resize(i + 1, 0.0);
            s.writes.resize(i + 1, 0.0);
            self.seen.resize(i + 1, false);
        }
        self.seen[i] = true;
        match column {
            Column::Reads => s.reads[i] += value / 60.0,
            Column::Writes => s.writes[i] += value / 60.0,
            Column::Throttled => s.observed_throttled += value,
        }
        Ok(())
    }

    fn series(mut self) -> Result<MetricSeries, MetricsError> {
        if self.seen.is_empty() {
            return Err(MetricsError(format!(
                "{}: no datapoints to replay",
                self.source
            )));
        }
        self.series.gap_minutes = self.seen.iter().filter(|s| !**s).count() as u64;
        Ok(self.series)
    }
}

/// Reads a metrics file's text: JSON when it starts with `{`, else CSV.
pub fn parse(text: &str, source: &str) -> Result<MetricSeries, MetricsError> {
    if text.len() as u64 > MAX_BYTES {
        return Err(MetricsError(format!(
            "{source}: the file is {} bytes; metrics files are limited to {} MiB",
            text.len(),
            MAX_BYTES >> 20
        )));
    }
    if text.trim_start().starts_with('{') {
        parse_json(text, source)
    } else {
        parse_csv(text, source)
    }
}

/// `text` split at an ASCII `byte`, by a plain byte scan: `str::split` and `str::lines` cost
/// more per call than the rest of a row's parsing, and a month has 43,200 rows.
fn split_bytes(text: &str, byte: u8) -> impl Iterator<Item = &str> {
    let mut rest = Some(text);
    std::iter::from_fn(move || {
        let current = rest?;
        match current.bytes().position(|b| b == byte) {
            Some(end) => {
                rest = Some(&current[end + 1..]);
                Some(&current[..end])
            }
            None => {
                rest = None;
                Some(current)
            }
        }
    })
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
fn cell(text: &str) -> &str {
    text.trim_matches(|c: char| c == '"' || c.is_ascii_whitespace())
}

fn parse_csv(text: &str, source: &str) -> Result<MetricSeries, MetricsError> {
    let err = |line: usize, message: String| MetricsError(format!("{source}:{line}: {message}"));
    let mut lines = split_bytes(text, b'\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .enumerate()
        .filter(|(_, l)| !l.bytes().all(|b| b.is_ascii_whitespace()));
    let Some((header_at, header)) = lines.next() else {
        return Err(MetricsError(format!("{source}: the file is empty")));
    };
    let columns: Vec<Option<Column>> = header.split(',').map(|h| column(cell(h))).collect();
    if !columns
        .iter()
        .any(|c| matches!(c, Some(Column::Reads | Column::Writes)))
    {
        return Err(err(
            header_at + 1,
            format!("no ConsumedReadCapacityUnits or ConsumedWriteCapacityUnits column in the header `{}`", header.trim()),
        ));
    }
    let mut points = Points::new(source);
    // About one row per 40 bytes: room for every minute at once, not regrown as rows come.
    points.reserve(text.len() / 40);
    let mut previous: Option<u64> = None;
    let mut cells: Vec<&str> = Vec::with_capacity(columns.len());
    for (at, line) in lines {
        let line_no = at + 1;
        cells.clear();
        cells.extend(split_bytes(line, b',').map(cell));
        if cells.len() != columns.len() {
            return Err(err(
                line_no,
                format!("{} cells, the header has {}", cells.len(), columns.len()),
            ));
        }
        let time = cells[0];
        let minute = parse_minute(time).map_err(|m| err(line_no, m))?;
        if let Some(prev) = previous {
            if minute == prev {
                return Err(err(
                    line_no,
                    format!("timestamp `{time}` repeats the previous row"),
                ));
            }
            if minute < prev {
                return Err(err(
                    line_no,
                    format!(
                        "timestamp `{time}` is earlier than the previous row; sort the rows by time"
                    ),
                ));
            }
        }
        previous = Some(minute);
        for (value, column) in cells[1..].iter().zip(&columns[1..]) {
            let Some(column) = column else { continue };
            if value.is_empty() {
                continue;
            }
            let number = number(value)
                .filter(|v| v.is_finite() && *v >= 0.0)
                .ok_or_else(|| err(line_no, format!("`{value}` is not a non-negative number")))?;
            points.add(minute, *column, number)?;
        }
    }
    points.series()
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetricDataResult {
    #[serde(default)]
    id: String,
    #[serde(default)]
    label: String,
    timestamps: Vec<String>,
    values: Vec<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct MetricData {
    metric_data_results: Vec<MetricDataResult>,
}

fn parse_json(text: &str, source: &str) -> Result<MetricSeries, MetricsError> {
    let data: MetricData = serde_json::from_str(text)
        .map_err(|e| MetricsError(format!("{source}:{}:{}: {e}", e.line(), e.column())))?;
    let mut points = Points::new(source);
    let mut found = false;
    for (r, result) in data.metric_data_results.iter().enumerate() {
        let at = format!("{source}: MetricDataResults[{r}]");
        let Some(column) = column(&result.label).or_else(|| column(&result.id)) else {
            continue;
        };
        found |= !matches!(column, Column::Throttled);
        if result.timestamps.len() != result.values.len() {
            return Err(MetricsError(format!(
                "{at}: {} timestamps but {} values",
                result.timestamps.len(),
                result.values.len()
            )));
        }
        let minutes = result
            .timestamps
            .iter()
            .enumerate()
            .map(|(i, t)| {
                parse_minute(t).map_err(|m| MetricsError(format!("{at}.Timestamps[{i}]: {m}")))
            })
            .collect::<Result<Vec<u64>, _>>()?;
        // get-metric-data returns the newest first unless ScanBy says otherwise: either order
        // is fine, a mixed order or a repeat is not.
        let rising = minutes.first() <= minutes.last();
        for (i, pair) in minutes.windows(2).enumerate() {
            let ordered = if rising {
                pair[0] < pair[1]
            } else {
                pair[0] > pair[1]
            };
            if !ordered {
                let what = if pair[0] == pair[1] {
                    "repeats"
                } else {
                    "is out of order after"
                };
                return Err(MetricsError(format!(
                    "{at}.Timestamps[{}]: `{}` {what} the one before",
                    i + 1,
                    result.timestamps[i + 1]
                )));
            }
        }
        let mut datapoints: Vec<(usize, (&u64, &f64))> =
            minutes.iter().zip(&result.values).enumerate().collect();
        if !rising {
            datapoints.reverse();
        }
        for (i, (&minute, &value)) in datapoints {
            if !value.is_finite() || value < 0.0 {
                return Err(MetricsError(format!(
                    "{at}.Values[{i}]: `{value}` is not a non-negative number"
                )));
            }
            points.add(minute, column, value)?;
        }
    }
    if !found {
        return Err(MetricsError(format!(
            "{source}: no MetricDataResults labelled ConsumedReadCapacityUnits or ConsumedWriteCapacityUnits (by Label or Id)"
        )));
    }
    points.series()
}

/// Plays a metric series: one step per minute; GSI reads follow the table's reads in the demand
/// model's proportion.
pub struct Replay<'a> {
    series: &'a MetricSeries,
    minute: usize,
}

impl<'a> Replay<'a> {
    pub fn new(series: &'a MetricSeries) -> Self {
        Replay { series, minute: 0 }
    }
}

impl Source for Replay<'_> {
    /// The day before the metrics is taken to be like their first day.
    fn history(&self, means: &[f64]) -> Vec<Vec<f64>> {
        let mut first_day = Replay::new(self.series);
        let mut minutes = Vec::new();
        let mut fresh = vec![0.0; means.len()];
        while minutes.len() < 1_440 && first_day.next(means, &mut fresh).is_some() {
            minutes.push(fresh.clone());
        }
        minutes
    }

    fn next(&mut self, means: &[f64], fresh: &mut [f64]) -> Option<u32> {
        let m = self.minute;
        let (reads, writes) = (*self.series.reads.get(m)?, self.series.writes[m]);
        self.minute += 1;
        let scale = if means[TABLE_READS] > 0.0 {
            reads / means[TABLE_READS]
        } else {
            0.0
        };
        for (f, mean) in fresh.iter_mut().zip(means) {
            *f = mean * scale;
        }
        fresh[TABLE_READS] = reads;
        fresh[TABLE_WRITES] = writes;
        Some(60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_minutes_become_units_per_second_and_gaps_are_zero() {
        let csv = "Timestamp,ConsumedReadCapacityUnits (Sum),ConsumedWriteCapacityUnits (Sum)\n\
                   2026-11-01T00:00:00Z,600,60\n\
                   2026-11-01T00:02:00Z,1200,\n";
        let s = parse(csv, "m.csv").unwrap();
        assert_eq!(s.reads, vec![10.0, 0.0, 20.0]);
        assert_eq!(s.writes, vec![1.0, 0.0, 0.0]);
        assert_eq!(s.gap_minutes, 1);
    }

    #[test]
    fn json_newest_first_is_accepted() {
        let json = r#"{"MetricDataResults":[{"Id":"w","Label":"ConsumedWriteCapacityUnits",
            "Timestamps":["2026-11-01T00:01:00Z","2026-11-01T00:00:00Z"],"Values":[120,60],
            "StatusCode":"Complete"}],"Messages":[]}"#;
        let s = parse(json, "m.json").unwrap();
        assert_eq!(s.writes, vec![1.0, 2.0]);
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
                "t,ConsumedReadCapacityUnits\n2026-11-01T00:01:00Z,1\n2026-11-01T00:00:00Z,1\n",
                "m.csv:3: timestamp",
            ),
            (
                "t,ConsumedReadCapacityUnits\n2026-11-01T00:01:00Z,1\n2026-11-01T00:01:00Z,1\n",
                "m.csv:3: timestamp `2026-11-01T00:01:00Z` repeats",
            ),
            ("t,ConsumedReadCapacityUnits\n", "m.csv: no datapoints"),
            (
                "t,ConsumedReadCapacityUnits\n2026-11-01T00:00:00Z,1\n2028-11-01T00:00:00Z,1\n",
                "span",
            ),
        ];
        for (text, expected) in cases {
            let err = parse(text, "m.csv").unwrap_err().to_string();
            assert!(err.contains(expected), "{err} should contain {expected}");
        }
        let far = r#"{"MetricDataResults":[
            {"Label":"ConsumedReadCapacityUnits","Timestamps":["2026-01-01T00:00:00Z"],"Values":[1]},
            {"Label":"ConsumedWriteCapacityUnits","Timestamps":["1990-01-01T00:00:00Z"],"Values":[1]}]}"#;
        let err = parse(far, "m.json").unwrap_err().to_string();
        assert!(err.contains("span more than"), "{err}");
        let err = parse("{\"MetricDataResults\": 3}", "m.json")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("m.json:1:"), "{err}");
    }
}
