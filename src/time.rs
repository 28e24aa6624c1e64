//! Time on the ground floor: UTC minutes since the Unix epoch, civil dates and times of day.
//! Generated traffic, replayed CloudWatch metrics and the reports all count in these minutes.

/// Minutes since the epoch of 2024-01-01 00:00 UTC, a Monday: where generated traffic starts.
pub const GENERATED_START_MINUTE: u64 = 28_401_120;

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The number written in ASCII digits at `bytes[range]`.
pub fn digits(bytes: &[u8], range: std::ops::Range<usize>) -> Option<i64> {
    let field = bytes.get(range)?;
    field.iter().try_fold(0i64, |n, &b| {
        b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
    })
}

/// Minutes since the epoch of `2026-11-01T00:05:00Z`, `2026-11-01 00:05:00`, with optional
/// seconds (fractional too) and a `Z` or `±HH:MM` offset; the time must be on a whole minute.
/// Read by position, as CloudWatch writes it: a month of rows parses in a few milliseconds.
pub fn parse_minute(text: &str) -> Result<u64, String> {
    if let Some(minute) = utc_whole_minute(text.as_bytes()) {
        return Ok(minute);
    }
    let text = text.trim();
    let bad = || {
        format!(
            "`{text}` is not a timestamp like 2026-11-01T00:05:00Z (UTC, or with an offset like +02:00)"
        )
    };
    let b = text.as_bytes();
    let separators = b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && matches!(b.get(10), Some(b'T' | b' '))
        && b.get(13) == Some(&b':');
    if !separators {
        return Err(bad());
    }
    let (y, mo, d, h, mi) = date_time_fields(b).ok_or_else(bad)?;
    let mut rest = &text[16..];
    let mut seconds = 0.0;
    if let Some(after) = rest.strip_prefix(':') {
        let end = after.find(['Z', '+', '-']).unwrap_or(after.len());
        seconds = after[..end].parse::<f64>().map_err(|_| bad())?;
        rest = &after[end..];
    }
    let offset = match rest {
        "" | "Z" => 0,
        _ => {
            let o = rest.as_bytes();
            let sign = match o[0] {
                b'+' => 1,
                b'-' => -1,
                _ => return Err(bad()),
            };
            let minutes = match o.len() {
                3 => digits(o, 1..3).map(|h| (h, 0)),
                5 => digits(o, 1..3).zip(digits(o, 3..5)),
                6 if o[3] == b':' => digits(o, 1..3).zip(digits(o, 4..6)),
                _ => None,
            }
            // Real UTC offsets run from -12:00 to +14:00.
            .filter(|&(h, m)| h <= 14 && m < 60)
            .map(|(h, m)| h * 60 + m);
            sign * minutes.ok_or_else(bad)?
        }
    };
    if !(1..=12).contains(&mo)
        || d < 1
        || d > days_in_month(y, mo as u32)
        || h > 23
        || mi > 59
        || !(0.0..60.0).contains(&seconds)
    {
        return Err(bad());
    }
    if seconds != 0.0 {
        return Err(format!(
            "`{text}` is not on a whole minute; export 1-minute datapoints (period 60)"
        ));
    }
    let minutes = days_from_civil(y, mo as u32, d as u32) * 1_440 + h * 60 + mi - offset;
    u64::try_from(minutes).map_err(|_| format!("`{text}` is before 1970"))
}

/// The forms exports write, `2026-11-01T00:05:00Z` and `2026-11-01 00:05:00+00:00` (or with
/// neither `Z` nor offset), read in one pass without parsing the seconds as a float; `None`
/// leaves anything else, a bad value included, to [`parse_minute`], which words the error.
fn utc_whole_minute(b: &[u8]) -> Option<u64> {
    if !utc_shape(b) {
        return None;
    }
    let (y, mo, d, h, mi) = date_time_fields(b)?;
    let valid = (1..=12).contains(&mo)
        && (1..=days_in_month(y, mo as u32)).contains(&d)
        && h <= 23
        && mi <= 59;
    let minutes = days_from_civil(y, mo as u32, d as u32) * 1_440 + h * 60 + mi;
    valid.then(|| u64::try_from(minutes).ok()).flatten()
}

/// Whether `b` is laid out as [`utc_whole_minute`] reads, its digits not yet checked.
fn utc_shape(b: &[u8]) -> bool {
    let utc = match b.len() {
        19 => true,
        20 => b[19] == b'Z',
        25 => b[19..] == *b"+00:00",
        _ => false,
    };
    // Byte by byte: a slice comparison calls `memcmp`, which costs more than the whole test.
    utc && b[4] == b'-'
        && b[7] == b'-'
        && matches!(b[10], b'T' | b' ')
        && b[13] == b':'
        && b[16] == b':'
        && b[17] == b'0'
        && b[18] == b'0'
}

/// Reads the timestamps of rows one after another, as [`parse_minute`] does. Rows come minute
/// by minute, so one in the form exports write whose date (`2026-11-01T`) is that of the
/// last such row reads only its hour and minute: the date is checked and counted once a day.
#[derive(Debug, Default)]
pub struct MinuteReader {
    /// The date of the last row read in that form, and the minute its day starts.
    day: Option<([u8; 11], u64)>,
}

impl MinuteReader {
    pub fn read(&mut self, text: &str) -> Result<u64, String> {
        let b = text.as_bytes();
        if !utc_shape(b) {
            return parse_minute(text);
        }
        let Some(&date) = b.first_chunk::<11>() else {
            return parse_minute(text);
        };
        let d = |i: usize| b[i].wrapping_sub(b'0');
        let clock = [11, 12, 14, 15].iter().all(|&i| d(i) <= 9).then(|| {
            let (h, m) = (d(11) * 10 + d(12), d(14) * 10 + d(15));
            (h <= 23 && m <= 59).then_some(u64::from(h) * 60 + u64::from(m))
        });
        let Some(clock) = clock.flatten() else {
            return parse_minute(text);
        };
        match self.day {
            Some((day, start)) if day == date => Ok(start + clock),
            _ => {
                let minute = parse_minute(text)?;
                self.day = Some((date, minute - clock));
                Ok(minute)
            }
        }
    }
}

/// Year, month, day, hour and minute of `YYYY-MM-DD?HH:MM…`, read by position.
fn date_time_fields(b: &[u8]) -> Option<(i64, i64, i64, i64, i64)> {
    let field = |range| digits(b, range);
    Some((
        field(0..4)?,
        field(5..7)?,
        field(8..10)?,
        field(11..13)?,
        field(14..16)?,
    ))
}

/// Days in month `m` of year `y` (Gregorian leap years).
fn days_in_month(y: i64, m: u32) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Minutes since the epoch of a Unix time in seconds (as the AWS SDKs and `--output json`
/// of some tools write timestamps); it must be on a whole minute.
pub fn epoch_minute(seconds: f64) -> Result<u64, String> {
    if !seconds.is_finite() || !(0.0..=1e13).contains(&seconds) {
        return Err(format!("`{seconds}` is not a Unix time in seconds"));
    }
    if seconds % 60.0 != 0.0 {
        return Err(format!(
            "`{seconds}` (Unix seconds) is not on a whole minute; export datapoints of 1, 5 or 60 minutes"
        ));
    }
    Ok((seconds / 60.0) as u64)
}

/// A UTC minute in a report: people read `2024-01-01 00:00` (its `Display`), programs an
/// ISO-8601 UTC timestamp, `2024-01-01T00:00:00Z` (its JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct UtcMinute(pub u64);

impl std::fmt::Display for UtcMinute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (y, m, d, h, mi) = civil(self.0);
        write!(f, "{y:04}-{m:02}-{d:02} {h:02}:{mi:02}")
    }
}

impl serde::Serialize for UtcMinute {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (y, m, d, h, mi) = civil(self.0);
        serializer.collect_str(&format_args!("{y:04}-{m:02}-{d:02}T{h:02}:{mi:02}:00Z"))
    }
}

/// The minutes since the epoch as a [`UtcMinute`], shown as `YYYY-MM-DD HH:MM`.
pub fn format_minute(utc_minute: u64) -> UtcMinute {
    UtcMinute(utc_minute)
}

/// Year, month, day, hour and minute of minutes since the epoch (civil_from_days, Howard
/// Hinnant).
fn civil(utc_minute: u64) -> (i64, i64, i64, u64, u64) {
    let days = (utc_minute / 1_440) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi) = ((utc_minute % 1_440) / 60, utc_minute % 60);
    (y, m, d, h, mi)
}

/// Seconds after midnight of a 24-hour `HH:MM` (`00:00` to `23:59`; `2:00` is read too).
pub fn time_of_day(text: &str) -> Option<u64> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u64, u64) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 3_600 + m * 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(parse_minute("1970-01-01T00:01:00Z"), Ok(1));
        assert_eq!(parse_minute("2024-01-01 00:00:00"), Ok(1_704_067_200 / 60));
        assert_eq!(
            parse_minute("2024-01-01T02:00:00+02:00"),
            Ok(1_704_067_200 / 60)
        );
        assert!(parse_minute("2024-01-01T00:00:30Z")
            .unwrap_err()
            .contains("whole minute"));
        assert!(parse_minute("yesterday").is_err());
    }

    /// The forms exports write (the awslabs collector's `2025-02-19 00:00:00+00:00`, 2025-02-19
    /// being Unix day 20,138 = 1,739,923,200 s) read the same with or without the offset, and
    /// the bad values of that shape still get the full reader's messages.
    #[test]
    fn export_forms_read_alike() {
        for form in [
            "2025-02-19 00:00:00+00:00",
            "2025-02-19T00:00:00Z",
            "2025-02-19 00:00:00",
        ] {
            assert_eq!(parse_minute(form), Ok(1_739_923_200 / 60), "{form}");
        }
        assert!(parse_minute("1969-12-31T23:59:00Z")
            .unwrap_err()
            .contains("before 1970"));
        assert!(parse_minute("2025-02-19T00:00:30Z")
            .unwrap_err()
            .contains("whole minute"));
        assert!(parse_minute("2025-13-01T00:00:00Z")
            .unwrap_err()
            .contains("is not a timestamp"));
    }

    /// Rows read one after another read as each alone: within a day and across days, and with
    /// the forms the day's shortcut does not read (fractional seconds, an offset, a lowercase
    /// `z`) and bad values among them, which get the same messages.
    #[test]
    fn minute_reader_reads_as_parse_minute() {
        let rows = [
            "2026-11-01T00:00:00Z",
            "2026-11-01T00:01:00Z",
            "2026-11-01T23:59:00Z",
            "2026-11-01T24:00:00Z",
            "2026-11-01T12:60:00Z",
            "2026-11-01T1a:00:00Z",
            "2026-11-01T00:02:30Z",
            "2026-11-01 00:03:00",
            "2026-11-01 00:04:00+00:00",
            "2026-11-01T00:05:00.000Z",
            "2026-11-01T01:05:00+01:00",
            "2026-11-01T00:06:00z",
            "2026-11-02T00:00:00Z",
            "2026-11-01T00:07:00Z",
            "2026-02-29T00:00:00Z",
            "2026-02-29T00:01:00Z",
            "1969-12-31T23:59:00Z",
            "1969-12-31T23:58:00Z",
            "2024-02-29T00:00:00Z",
            "2024-02-29T23:00:00Z",
        ];
        let mut reader = MinuteReader::default();
        for row in rows {
            assert_eq!(reader.read(row), parse_minute(row), "{row}");
        }
        let mut reader = MinuteReader::default();
        assert_eq!(reader.read("2026-11-01T00:00:00Z"), Ok(29_891_520));
        assert_eq!(reader.read("2026-11-01T23:59:00Z"), Ok(29_891_520 + 1_439));
        assert!(reader.read("2026-11-01T24:00:00Z").is_err());
        assert!(reader.read("2026-11-01T00:00:30Z").is_err());
    }

    /// February has 28 days (29 in leap years: 2024, 2000, not 1900) and UTC offsets run
    /// from -12:00 to +14:00 (ISO 8601 / IANA time zones).
    #[test]
    fn impossible_dates_and_offsets_are_refused() {
        for bad in [
            "2026-02-29T00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-04-31T00:00:00Z",
            "1900-02-29T00:00:00Z",
            "2026-01-01T00:00:00+99:00",
            "2026-01-01T00:00:00+15:00",
            "2026-01-01T00:00:00+01:60",
        ] {
            assert!(parse_minute(bad).is_err(), "{bad}");
        }
        assert!(parse_minute("2024-02-29T00:00:00Z").is_ok());
        assert!(parse_minute("2000-02-29T00:00:00Z").is_ok());
        assert_eq!(
            parse_minute("2024-01-01T05:30:00+0530"),
            Ok(1_704_067_200 / 60)
        );
        assert_eq!(
            parse_minute("2024-01-01T00:00:00-12:00"),
            Ok(1_704_067_200 / 60 + 720)
        );
    }

    #[test]
    fn epoch_seconds_are_minutes() {
        assert_eq!(epoch_minute(1_704_067_200.0), Ok(1_704_067_200 / 60));
        assert!(epoch_minute(1_704_067_230.0)
            .unwrap_err()
            .contains("whole minute"));
        assert!(epoch_minute(-60.0).is_err());
        assert!(epoch_minute(f64::NAN).is_err());
    }

    #[test]
    fn minutes_format_as_utc() {
        let start = format_minute(GENERATED_START_MINUTE);
        assert_eq!(start.to_string(), "2024-01-01 00:00");
        assert_eq!(
            serde_json::to_string(&start).unwrap(),
            "\"2024-01-01T00:00:00Z\""
        );
        // 2024 is a leap year: 31 + 29 days after 1 January is 1 March.
        let later = format_minute(GENERATED_START_MINUTE + 1_440 * 60 + 61);
        assert_eq!(later.to_string(), "2024-03-01 01:01");
        assert_eq!(
            serde_json::to_string(&later).unwrap(),
            "\"2024-03-01T01:01:00Z\""
        );
    }

    #[test]
    fn times_of_day_are_24_hour_clock_times() {
        assert_eq!(time_of_day("00:00"), Some(0));
        assert_eq!(time_of_day("02:30"), Some(9_000));
        assert_eq!(time_of_day("23:59"), Some(86_340));
        assert_eq!(time_of_day("2:00"), Some(7_200));
        for bad in ["24:00", "25:00", "12:60", "noon", "12:00:00", "-1:00", ""] {
            assert_eq!(time_of_day(bad), None, "{bad}");
        }
    }
}
