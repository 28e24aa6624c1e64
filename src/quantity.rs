//! Sizes, counts, rates and percentages as users write them (`4.5KB`, `50M`, `10M/month`, `40%`).
//!
//! Sizes use DynamoDB's binary units: 1 KB = 1024 B, 1 MB = 1024 KB, and so on
//! ([QUOTA][CONS]). Every number is exact: parsing goes through
//! `Decimal`, never through floats.

use std::fmt;
use std::str::FromStr;

use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::{Decimal, RoundingStrategy};
use thiserror::Error;

/// Why a quantity could not be read; the message says what would have been accepted.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{0}")]
pub struct QuantityError(String);

impl QuantityError {
    fn new(message: impl Into<String>) -> Self {
        Self(message.into())
    }
}

/// Reads a plain decimal number such as `4.5`, `0.248` or `1e3`, without a sign.
fn parse_number(text: &str, what: &str) -> Result<Decimal, QuantityError> {
    let text = text.trim();
    if text.starts_with('-') {
        return Err(QuantityError::new(format!(
            "{what} `{text}` is negative; it must be zero or more"
        )));
    }
    let text = text.strip_prefix('+').unwrap_or(text);
    let digits = text.replace('_', "");
    Decimal::from_str(&digits)
        .or_else(|_| Decimal::from_scientific(&digits))
        .map_err(|_| QuantityError::new(format!("{what} `{text}` is not a number")))
}

/// The largest amount read from a price file or `--price`: ten million, where a price per unit
/// is at most hundreds of dollars (a reserved block's upfront fee) and the largest free-tier
/// allowance is 2.5 million stream reads. With the
/// quantities bounded where they are read (`calc::MAX_PER_SECOND`, the spec bounds in
/// `workload::validate`), every amount stays below 10²¹, far inside `Decimal`'s 7.9 × 10²⁸,
/// whose arithmetic panics on overflow.
pub const MAX_PRICE: Decimal = rust_decimal::dec!(10_000_000);

/// A price per unit as written in a price file or `--price`: a decimal from 0 to [`MAX_PRICE`].
pub fn parse_price(text: &str) -> Result<Decimal, QuantityError> {
    check_price(parse_number(text, "price")?)
}

/// A non-negative price already read as a number: refused when over [`MAX_PRICE`].
pub fn check_price(amount: Decimal) -> Result<Decimal, QuantityError> {
    if amount > MAX_PRICE {
        return Err(QuantityError::new(format!(
            "price `{amount}` is over {} per unit, beyond any DynamoDB price; give USD per unit, e.g. \"0.00013\"",
            group_digits(MAX_PRICE)
        )));
    }
    Ok(amount)
}

/// A decimal of zero or more, e.g. a budget in USD or a headroom ratio; `what` names it in the
/// error.
pub fn parse_non_negative(text: &str, what: &str) -> Result<Decimal, QuantityError> {
    parse_number(text, what)
}

/// Splits `4.5KB` into (`4.5`, `KB`).
fn split_number_suffix(text: &str) -> (&str, &str) {
    let text = text.trim();
    let end = text
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || c == '.'
                || c == '_'
                || (i == 0 && (c == '-' || c == '+'))
                || ((c == 'e' || c == 'E')
                    && text[i + 1..].starts_with(|n: char| n.is_ascii_digit() || n == '-')))
        })
        .map_or(text.len(), |(i, _)| i);
    (&text[..end], text[end..].trim())
}

/// A size in bytes. Fractions of a byte round up: `0.248KB` is 253.952 B, stored as 254 B.
/// Rounding up at the byte cannot move a size across a 1 KB or 4 KB boundary, because those
/// boundaries are whole bytes, so unit math on the stored value is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Size {
    bytes: u64,
}

pub const KB: u64 = 1024;
pub const MB: u64 = 1024 * KB;
pub const GB: u64 = 1024 * MB;
pub const TB: u64 = 1024 * GB;

impl Size {
    pub const fn from_bytes(bytes: u64) -> Self {
        Self { bytes }
    }

    pub const fn bytes(self) -> u64 {
        self.bytes
    }

    /// The size in GB (1024³ bytes) as an exact decimal, for storage prices.
    pub fn gigabytes(self) -> Decimal {
        Decimal::from(self.bytes) / Decimal::from(GB)
    }
}

impl FromStr for Size {
    type Err = QuantityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (number, unit) = split_number_suffix(text);
        if number.is_empty() {
            return Err(QuantityError::new(format!(
                "size `{}` has no number; write it like `3500B`, `4.5KB` or `20GB`",
                text.trim()
            )));
        }
        let multiplier = match unit.to_ascii_lowercase().as_str() {
            "b" | "byte" | "bytes" => 1,
            "kb" | "kib" => KB,
            "mb" | "mib" => MB,
            "gb" | "gib" => GB,
            "tb" | "tib" => TB,
            "" => {
                return Err(QuantityError::new(format!(
                    "size `{}` has no unit; add one: B, KB, MB, GB or TB (KB = 1024 bytes)",
                    text.trim()
                )))
            }
            _ => {
                let known = "use B, KB, MB, GB or TB (KB = 1024 bytes)";
                return Err(QuantityError::new(format!(
                    "size `{}` has an unknown unit `{unit}`; {known}",
                    text.trim()
                )));
            }
        };
        let value = parse_number(number, "size")?;
        let exact = value
            .checked_mul(Decimal::from(multiplier))
            .ok_or_else(|| QuantityError::new(format!("size `{}` is too large", text.trim())))?;
        let bytes = exact
            .ceil()
            .to_u64()
            .ok_or_else(|| QuantityError::new(format!("size `{}` is too large", text.trim())))?;
        Ok(Self { bytes })
    }
}

impl fmt::Display for Size {
    /// Bytes, with the KB/MB/GB figure beside it when that reads better (`6,144 B (6 KB)`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let bytes = self.bytes;
        let (unit, name) = match bytes {
            b if b >= GB => (GB, "GB"),
            b if b >= MB => (MB, "MB"),
            b if b >= KB => (KB, "KB"),
            _ => return write!(f, "{} B", group_digits(Decimal::from(bytes))),
        };
        let scaled = (Decimal::from(bytes) / Decimal::from(unit)).round_dp(3);
        write!(
            f,
            "{} B ({} {name})",
            group_digits(Decimal::from(bytes)),
            group_digits(scaled.normalize())
        )
    }
}

/// A whole count such as `25`, `50M` or `2.5K` (K = 10³, M = 10⁶, B = 10⁹).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Count(pub u64);

fn count_multiplier(suffix: &str) -> Option<u64> {
    match suffix {
        "" => Some(1),
        "k" | "K" => Some(1_000),
        "M" | "m" => Some(1_000_000),
        "B" | "b" | "G" => Some(1_000_000_000),
        _ => None,
    }
}

/// Reads a number with an optional K/M/B suffix into an exact decimal.
fn parse_scaled(text: &str, what: &str) -> Result<Decimal, QuantityError> {
    let (number, suffix) = split_number_suffix(text);
    let multiplier = count_multiplier(suffix).ok_or_else(|| {
        QuantityError::new(format!(
            "{what} `{}` has an unknown suffix `{suffix}`; use K (thousand), M (million) or B (billion)",
            text.trim()
        ))
    })?;
    if number.is_empty() {
        return Err(QuantityError::new(format!(
            "{what} `{}` has no number",
            text.trim()
        )));
    }
    parse_number(number, what)?
        .checked_mul(Decimal::from(multiplier))
        .ok_or_else(|| QuantityError::new(format!("{what} `{}` is too large", text.trim())))
}

impl FromStr for Count {
    type Err = QuantityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let value = parse_scaled(text, "count")?;
        if !value.fract().is_zero() {
            return Err(QuantityError::new(format!(
                "count `{}` is not a whole number",
                text.trim()
            )));
        }
        value
            .to_u64()
            .map(Count)
            .ok_or_else(|| QuantityError::new(format!("count `{}` is too large", text.trim())))
    }
}

/// How long a month is for rates per month and for monthly bills. AWS's calculator and
/// Infracost use 730 hours ([INFRA][SCYLLA]); 720 and 744 are selectable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthHours(pub u32);

impl Default for MonthHours {
    fn default() -> Self {
        MonthHours(730)
    }
}

impl MonthHours {
    pub fn seconds(self) -> Decimal {
        Decimal::from(self.0) * Decimal::from(3600)
    }
}

/// The period a rate is counted over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
}

impl Period {
    pub fn seconds(self, month: MonthHours) -> Decimal {
        match self {
            Period::Second => Decimal::ONE,
            Period::Minute => Decimal::from(60),
            Period::Hour => Decimal::from(3600),
            Period::Day => Decimal::from(86_400),
            Period::Week => Decimal::from(604_800),
            Period::Month => month.seconds(),
        }
    }

    fn name(self) -> &'static str {
        match self {
            Period::Second => "s",
            Period::Minute => "min",
            Period::Hour => "h",
            Period::Day => "day",
            Period::Week => "week",
            Period::Month => "month",
        }
    }
}

impl FromStr for Period {
    type Err = QuantityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(match text.trim().to_ascii_lowercase().as_str() {
            "s" | "sec" | "second" => Period::Second,
            "m" | "min" | "minute" => Period::Minute,
            "h" | "hr" | "hour" => Period::Hour,
            "d" | "day" => Period::Day,
            "w" | "week" => Period::Week,
            "mo" | "month" => Period::Month,
            other => {
                return Err(QuantityError::new(format!(
                    "unknown period `{other}`; use s, min, h, day, week or month"
                )))
            }
        })
    }
}

/// A request rate such as `10/s`, `120/min`, `5M/day` or `10M/month`; a bare number is per second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub count: Decimal,
    pub per: Period,
}

impl Rate {
    pub fn per_second(value: Decimal) -> Self {
        Rate {
            count: value,
            per: Period::Second,
        }
    }

    /// Requests per second, exact; a month is `month` hours long.
    pub fn to_per_second(self, month: MonthHours) -> Decimal {
        self.count / self.per.seconds(month)
    }
}

impl FromStr for Rate {
    type Err = QuantityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        // `1000 per second` as people say it: point at how the spec writes it.
        if let Some((amount, per)) = text.split_once(" per ") {
            if let (Ok(_), Ok(period)) = (parse_scaled(amount, "rate"), per.parse::<Period>()) {
                return Err(QuantityError::new(format!(
                    "rate `{text}`: write it `{}/{}`",
                    amount.trim(),
                    period.name()
                )));
            }
        }
        let (amount, period) = match text.split_once('/') {
            Some((amount, period)) => (amount, period.parse::<Period>()?),
            None => (text, Period::Second),
        };
        let count = parse_scaled(amount, "rate")?;
        Ok(Rate { count, per: period })
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}/{}",
            group_digits(self.count.normalize()),
            self.per.name()
        )
    }
}

/// A share between 0 and 1, written `40%` or as a fraction `0.4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Percent(pub Decimal);

impl FromStr for Percent {
    type Err = QuantityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        let share = match text.strip_suffix('%') {
            Some(number) => parse_number(number, "percentage")? / Decimal::ONE_HUNDRED,
            None => parse_number(text, "share")?,
        };
        if share > Decimal::ONE {
            return Err(QuantityError::new(format!(
                "`{text}` is over 100%; write a percentage like `40%` or a fraction like `0.4`"
            )));
        }
        Ok(Percent(share))
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", (self.0 * Decimal::ONE_HUNDRED).normalize())
    }
}

/// A budget's allowed increase: dollars a month (`250`, `$250`) or a share of the baseline
/// (`10%`, which may exceed 100%).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Increase {
    Dollars(Decimal),
    Share(Decimal),
}

impl FromStr for Increase {
    type Err = QuantityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        Ok(match text.strip_suffix('%') {
            Some(number) => {
                Increase::Share(parse_number(number, "increase")? / Decimal::ONE_HUNDRED)
            }
            None => Increase::Dollars(parse_number(
                text.strip_prefix('$').unwrap_or(text),
                "increase",
            )?),
        })
    }
}

/// A number for people: thousands separated by commas, at most four decimals,
/// `≈` in front when digits were dropped.
pub fn group_digits(value: Decimal) -> String {
    let rounded = value.round_dp(4);
    let approx = if rounded == value { "" } else { "≈" };
    let text = rounded.normalize().abs().to_string();
    let (int, frac) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::with_capacity(text.len() + text.len() / 3);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if value.is_sign_negative() && !rounded.is_zero() {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{approx}{sign}{grouped}")
    } else {
        format!("{approx}{sign}{grouped}.{frac}")
    }
}

/// Decimal places a figure computed in floating point keeps when it becomes a `Decimal`
/// (a simulated share of requests, a rate measured from a metrics series): a millionth, finer
/// than any price or capacity step, and short of the binary noise in an `f64`'s expansion
/// (`0.1` is `0.1000000000000000055511151231257827…`).
pub const FLOAT_SCALE: u32 = 6;

/// A floating-point figure as a decimal of at most `scale` places, usually [`FLOAT_SCALE`]
/// (half to even); `None` for NaN, an infinity or a value beyond `Decimal`. The one place
/// floats become decimals, so no report carries a float's noise as if it were exact.
pub fn from_float(value: f64, scale: u32) -> Option<Decimal> {
    Decimal::from_f64(value).map(|d| d.round_dp(scale))
}

/// A count and its noun for people: `1 minute`, `2 minutes`, `142,858 write units`.
/// `many` is the plural; a count that is not exactly one takes it.
pub fn count(value: impl Into<Decimal>, one: &str, many: &str) -> String {
    let value = value.into();
    let noun = if value == Decimal::ONE { one } else { many };
    format!("{} {noun}", group_digits(value))
}

/// A span of seconds as people write it, the two largest parts: `19 h 36 min`,
/// `7 days`, `1 day 2 h`, `45 s`.
pub fn duration_words(seconds: u64) -> String {
    let parts = [
        (seconds / 86_400, "day", "days"),
        (seconds / 3_600 % 24, "h", "h"),
        (seconds / 60 % 60, "min", "min"),
        (seconds % 60, "s", "s"),
    ];
    let words: Vec<String> = parts
        .iter()
        .skip_while(|(n, ..)| *n == 0)
        .take(2)
        .filter(|(n, ..)| *n > 0)
        .map(|&(n, one, many)| count(n, one, many))
        .collect();
    if words.is_empty() {
        "0 s".into()
    } else {
        words.join(" ")
    }
}

/// A length of time such as `90d`, `24h`, `30min`, `45s` or `2w`, kept in whole seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration {
    pub seconds: u64,
}

impl FromStr for Duration {
    type Err = QuantityError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (number, unit) = split_number_suffix(text);
        if unit.is_empty() {
            return Err(QuantityError::new(format!(
                "duration `{}` has no unit; write it like `90d`, `24h`, `30min` or `45s`",
                text.trim()
            )));
        }
        let period: Period = unit.parse()?;
        let seconds = parse_number(number, "duration")? * period.seconds(MonthHours::default());
        seconds
            .ceil()
            .to_u64()
            .map(|seconds| Duration { seconds })
            .ok_or_else(|| QuantityError::new(format!("duration `{}` is too large", text.trim())))
    }
}

/// Quantities read from YAML or JSON: written as strings (`4.5KB`, `10/s`) or, where a bare
/// number is unambiguous, as numbers (a rate per second, a count, a fraction).
mod deserialize {
    use super::*;
    use serde::de::{self, Deserializer, Visitor};

    struct TextOrNumber<T>(std::marker::PhantomData<T>, &'static str, bool);

    impl<T: FromStr<Err = QuantityError>> Visitor<'_> for TextOrNumber<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.1)
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            text.parse().map_err(E::custom)
        }

        fn visit_u64<E: de::Error>(self, value: u64) -> Result<T, E> {
            self.number(&value.to_string())
        }

        fn visit_i64<E: de::Error>(self, value: i64) -> Result<T, E> {
            self.number(&value.to_string())
        }

        fn visit_f64<E: de::Error>(self, value: f64) -> Result<T, E> {
            self.number(&value.to_string())
        }
    }

    impl<T: FromStr<Err = QuantityError>> TextOrNumber<T> {
        fn number<E: de::Error>(&self, text: &str) -> Result<T, E> {
            if !self.2 {
                return Err(E::custom(format!("`{text}` needs a unit: {}", self.1)));
            }
            text.parse().map_err(E::custom)
        }
    }

    /// The schema of a quantity: text matching `pattern`, or also a plain number when the
    /// parser takes one, so editors accept exactly what the parser does.
    fn schema(
        expecting: &str,
        pattern: &str,
        number: Option<schemars::Schema>,
    ) -> schemars::Schema {
        let text = schemars::json_schema!({
            "type": "string",
            "pattern": pattern,
            "description": expecting,
        });
        match number {
            None => text,
            Some(number) => schemars::json_schema!({
                "description": expecting,
                "anyOf": [text, number],
            }),
        }
    }

    /// Deserialize from text (or also a number, when a number schema is given) and describe
    /// the same shape in the JSON Schema.
    macro_rules! text_or_number {
        ($type:ty, $expecting:literal, $pattern:expr) => {
            text_or_number!(@impl $type, $expecting, $pattern, false, None);
        };
        ($type:ty, $expecting:literal, $pattern:expr, $number:tt) => {
            text_or_number!(@impl $type, $expecting, $pattern, true, Some(schemars::json_schema!($number)));
        };
        (@impl $type:ty, $expecting:literal, $pattern:expr, $numbers:literal, $number:expr) => {
            impl<'de> serde::Deserialize<'de> for $type {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    deserializer.deserialize_any(TextOrNumber(
                        std::marker::PhantomData,
                        $expecting,
                        $numbers,
                    ))
                }
            }

            impl schemars::JsonSchema for $type {
                fn schema_name() -> std::borrow::Cow<'static, str> {
                    stringify!($type).into()
                }

                fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                    schema($expecting, $pattern, $number)
                }
            }
        };
    }

    /// An unsigned decimal as the parser reads it: `4.5`, `1_000`, `1e3`.
    macro_rules! number {
        () => {
            r"\s*\+?([0-9][0-9_]*(\.[0-9_]*)?|\.[0-9]+)([eE]-?[0-9]+)?\s*"
        };
    }
    /// The periods `Period::from_str` accepts.
    macro_rules! period {
        () => {
            r"([sS]|[sS]ec|[sS]econd|[mM]|[mM]in|[mM]inute|[hH]|[hH]r|[hH]our|[dD]|[dD]ay|[wW]|[wW]eek|[mM]o|[mM]onth)\s*"
        };
    }

    text_or_number!(
        Size,
        "a size like `1.2KB`, `3500B` or `20GB` (KB = 1024 bytes)",
        concat!(
            "^",
            number!(),
            r"([bB]([yY][tT][eE][sS]?)?|[kKmMgGtT][iI]?[bB])\s*$"
        )
    );
    text_or_number!(
        Rate,
        "a rate like `400/s`, `120/min`, `5M/day` or a number per second",
                concat!("^", number!(), r"[kKmMbBG]?\s*(/\s*", period!(), ")?$"),
        { "type": "number", "minimum": 0 }
    );
    text_or_number!(
        Count,
        "a count like `25`, `2M` or `50M`",
                concat!("^", number!(), r"[kKmMbBG]?\s*$"),
        { "type": "integer", "minimum": 0 }
    );
    text_or_number!(
        Percent,
        "a share like `40%` or `0.4`",
                concat!("^", number!(), r"%?\s*$"),
        { "type": "number", "minimum": 0, "maximum": 1 }
    );
    text_or_number!(
        Duration,
        "a duration like `90d`, `24h` or `30min`",
        concat!("^", number!(), period!(), "$")
    );
    text_or_number!(
        Increase,
        "dollars like `250` or `$250`, or a share like `10%`",
        concat!(r"^\s*\$?", number!(), r"%?\s*$"),
        { "type": "number", "minimum": 0 }
    );
}

/// Decimal places a quantity keeps in JSON; one under 1 keeps that many significant digits.
pub const QUANTITY_SCALE: u32 = 6;

/// Significant digits a quantity keeps in JSON at most: as many as a double holds exactly, so
/// the number a JSON reader parses prints back as the decimal written.
pub const QUANTITY_DIGITS: u32 = 15;

/// `value` as JSON writes a quantity (docs/report.md, "JSON conventions"): to
/// [`QUANTITY_SCALE`] places, or that many significant digits under 1 (a rate of one a month
/// in requests per second is 0.000000380517, not 0), and to [`QUANTITY_DIGITS`] significant
/// digits, never into the whole part: a whole number of units, as DynamoDB bills them, stays
/// exact. Half away from zero, without trailing zeros.
pub fn quantity(value: Decimal) -> Decimal {
    let value = value.normalize();
    if value.is_zero() {
        return Decimal::ZERO;
    }
    // Digits before the point, or minus the zeros after it for a value under 1.
    let digits = value.mantissa().unsigned_abs().to_string().len() as i64;
    let whole = digits - i64::from(value.scale());
    let places = if whole > 0 {
        (i64::from(QUANTITY_DIGITS) - whole).clamp(0, i64::from(QUANTITY_SCALE))
    } else {
        i64::from(QUANTITY_SCALE) - whole
    };
    value
        .round_dp_with_strategy(places as u32, RoundingStrategy::MidpointAwayFromZero)
        .normalize()
}

/// Serializes a quantity as a JSON number at the precision of [`quantity`]: a whole number as
/// an integer, exactly; any other as the double nearest the rounded decimal, which prints as it.
pub fn json_number<S: serde::Serializer>(
    value: &Decimal,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let rounded = quantity(*value);
    match rounded
        .fract()
        .is_zero()
        .then(|| rounded.to_i64())
        .flatten()
    {
        Some(whole) => serializer.serialize_i64(whole),
        None => serializer.serialize_f64(rounded.to_string().parse().unwrap_or(f64::NAN)),
    }
}

/// [`json_number`] for a quantity that may be absent (`null`).
pub fn json_number_option<S: serde::Serializer>(
    value: &Option<Decimal>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(value) => json_number(value, serializer),
        None => serializer.serialize_none(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn a_quantity_loses_its_noise_and_keeps_whole_units() {
        // (computed, as JSON writes it)
        let cases = [
            // A float-tainted monthly count: 854,305,266.875 read units, to 6 places.
            (dec!(854305266.8750000000000001476), "854305266.875"),
            // One item a day in items per second, 1/86,400: 6 significant digits.
            (dec!(0.0000115740740740740740740741), "0.0000115741"),
            (dec!(0.2765311846756384021601856161), "0.276531"),
            (dec!(1.0000005), "1.000001"),
            // Whole units stay whole and exact, however large.
            (dec!(200.0), "200"),
            (dec!(9007199254740993), "9007199254740993"),
            // A double holds 15 significant digits: a long whole part leaves fewer places.
            (dec!(123456789012.34567), "123456789012.346"),
            (dec!(0), "0"),
        ];
        for (value, written) in cases {
            assert_eq!(quantity(value).to_string(), written, "{value}");
            let mut json = Vec::new();
            json_number(&value, &mut serde_json::Serializer::new(&mut json)).unwrap();
            let number: serde_json::Value = serde_json::from_slice(&json).unwrap();
            assert!(number.is_number(), "{value}");
            let read: Decimal = serde_json::from_value(number).unwrap();
            assert_eq!(read, written.parse::<Decimal>().unwrap(), "{value}");
        }
    }

    #[test]
    fn sizes_use_binary_units() {
        // [QUOTA][CONS]: 1 KB = 1024 bytes.
        assert_eq!("3500B".parse::<Size>().unwrap().bytes(), 3500);
        assert_eq!("4.5KB".parse::<Size>().unwrap().bytes(), 4608);
        assert_eq!("1MB".parse::<Size>().unwrap().bytes(), 1_048_576);
        assert_eq!("20GB".parse::<Size>().unwrap().bytes(), 21_474_836_480);
        assert_eq!("2 KiB".parse::<Size>().unwrap().bytes(), 2048);
    }

    #[test]
    fn fractional_bytes_round_up() {
        // 0.248 KB = 253.952 B; an item has whole bytes, so 254.
        assert_eq!("0.248 KB".parse::<Size>().unwrap().bytes(), 254);
        assert_eq!("1.2KB".parse::<Size>().unwrap().bytes(), 1229);
    }

    #[test]
    fn bad_sizes_say_what_is_accepted() {
        let unknown = "4XB".parse::<Size>().unwrap_err().to_string();
        assert!(unknown.contains("unknown unit `XB`"), "{unknown}");
        let bare = "3500".parse::<Size>().unwrap_err().to_string();
        assert!(bare.contains("no unit"), "{bare}");
        let negative = "-1KB".parse::<Size>().unwrap_err().to_string();
        assert!(negative.contains("negative"), "{negative}");
        assert!("KB".parse::<Size>().is_err());
        assert!("1e30TB".parse::<Size>().is_err());
    }

    #[test]
    fn rates_convert_to_per_second() {
        let month = MonthHours::default();
        let per_second = |text: &str| text.parse::<Rate>().unwrap().to_per_second(month);
        assert_eq!(per_second("10/s"), dec!(10));
        assert_eq!(per_second("10"), dec!(10));
        assert_eq!(per_second("120/min"), dec!(2));
        assert_eq!(per_second("3600/h"), dec!(1));
        assert_eq!(per_second("8.64M/day"), dec!(100));
        // 730 h × 3600 s = 2,628,000 s in a month.
        assert_eq!(per_second("2.628M/month"), dec!(1));
        assert_eq!(
            "2628/month"
                .parse::<Rate>()
                .unwrap()
                .to_per_second(MonthHours(720)),
            dec!(2628) / dec!(2592000)
        );
    }

    #[test]
    fn bad_rates_are_rejected() {
        assert!("10/fortnight".parse::<Rate>().is_err());
        assert!("-5/s".parse::<Rate>().is_err());
        assert!("lots".parse::<Rate>().is_err());
        assert!("5X/s".parse::<Rate>().is_err());
    }

    /// `1/3` is 0.333… in binary floating point and `0.1` is 0.1000000000000000055…; either
    /// becomes the decimal a person would write, to the places asked, and a float that is no
    /// number is none.
    #[test]
    fn floats_become_decimals_to_a_fixed_scale() {
        assert_eq!(from_float(1.0 / 3.0, FLOAT_SCALE), Some(dec!(0.333333)));
        assert_eq!(from_float(0.1, FLOAT_SCALE), Some(dec!(0.1)));
        assert_eq!(from_float(2.0 / 3.0, 3), Some(dec!(0.667)));
        assert_eq!(from_float(117.5219999, 3), Some(dec!(117.522)));
        assert_eq!(from_float(f64::NAN, FLOAT_SCALE), None);
        assert_eq!(from_float(f64::INFINITY, FLOAT_SCALE), None);
    }

    #[test]
    fn counts_and_percents() {
        assert_eq!("50M".parse::<Count>().unwrap(), Count(50_000_000));
        assert_eq!("2.5K".parse::<Count>().unwrap(), Count(2_500));
        assert!("2.5".parse::<Count>().is_err());
        assert_eq!("40%".parse::<Percent>().unwrap(), Percent(dec!(0.4)));
        assert_eq!("0.85".parse::<Percent>().unwrap(), Percent(dec!(0.85)));
        assert!("140%".parse::<Percent>().is_err());
        assert_eq!(
            "150%".parse::<Increase>().unwrap(),
            Increase::Share(dec!(1.5))
        );
        assert_eq!(
            "$250".parse::<Increase>().unwrap(),
            Increase::Dollars(dec!(250))
        );
        assert_eq!(
            "250".parse::<Increase>().unwrap(),
            Increase::Dollars(dec!(250))
        );
    }

    #[test]
    fn durations() {
        assert_eq!("90d".parse::<Duration>().unwrap().seconds, 90 * 86_400);
        assert_eq!("30min".parse::<Duration>().unwrap().seconds, 1_800);
        assert!("90".parse::<Duration>().is_err());
        assert!("3 fortnights".parse::<Duration>().is_err());
    }

    #[test]
    fn counts_and_durations_for_people() {
        assert_eq!(count(1u64, "minute", "minutes"), "1 minute");
        assert_eq!(count(142_858u64, "RCU", "RCU"), "142,858 RCU");
        assert_eq!(
            count(dec!(0.5), "write unit", "write units"),
            "0.5 write units"
        );
        // 0.8166666666666667 day = 70,560 s = 19 h (68,400 s) + 36 min (2,160 s).
        assert_eq!(duration_words(70_560), "19 h 36 min");
        assert_eq!(duration_words(7 * 86_400), "7 days");
        assert_eq!(duration_words(86_400 + 7_200 + 59), "1 day 2 h");
        assert_eq!(duration_words(3_600 + 5), "1 h");
        assert_eq!(duration_words(45), "45 s");
        assert_eq!(duration_words(0), "0 s");
    }

    #[test]
    fn numbers_for_people() {
        assert_eq!(group_digits(dec!(1234567.5)), "1,234,567.5");
        assert_eq!(group_digits(dec!(0.5)), "0.5");
        assert_eq!(group_digits(dec!(2) / dec!(3)), "≈0.6667");
        assert_eq!(
            Size::from_bytes(6144).to_string(),
            "6,144 B (6 KB)".to_string()
        );
    }
}
