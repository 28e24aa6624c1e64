//! How many bytes DynamoDB counts for an item (docs/sources.md §2).
//!
//! Item size = Σ over top-level attributes of (UTF-8 bytes of the name + size of the value).
//! Numbers follow AWS Labs' exact digit-pair rule (§2.2, [CALC]); the AWS documentation only
//! gives the approximation "1 byte per 2 significant digits + 1", which the rule refines.

use base64::Engine;
use serde::Serialize;
use serde_json::Value;

use super::MAX_ITEM_BYTES;

/// Every item stores 100 bytes more than its size, for indexing (§2.4 [SIZE]).
pub const STORAGE_OVERHEAD_BYTES: u64 = 100;
/// Partition key values are at most 2048 bytes (§2.3 [CONS]).
pub const MAX_PARTITION_KEY_BYTES: u64 = 2048;
/// Sort key values are at most 1024 bytes (§2.3 [CONS]).
pub const MAX_SORT_KEY_BYTES: u64 = 1024;
/// Documents nest at most 32 levels deep (§2.3 [CONS]).
pub const MAX_NESTING_DEPTH: usize = 32;
/// A number is at most 21 bytes (38 significant digits) (§2.2 [CALC]).
const MAX_NUMBER_BYTES: u64 = 21;

/// A DynamoDB attribute value, with only what its size depends on.
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeValue {
    S(String),
    /// The number as written; its size depends on the digits, not the value.
    N(String),
    /// Raw bytes (after base64 decoding).
    B(usize),
    Bool,
    Null,
    L(Vec<AttributeValue>),
    M(Vec<(String, AttributeValue)>),
    Ss(Vec<String>),
    Ns(Vec<String>),
    Bs(Vec<usize>),
}

impl AttributeValue {
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Bool => "BOOL",
            AttributeValue::Null => "NULL",
            AttributeValue::L(_) => "L",
            AttributeValue::M(_) => "M",
            AttributeValue::Ss(_) => "SS",
            AttributeValue::Ns(_) => "NS",
            AttributeValue::Bs(_) => "BS",
        }
    }
}

/// An item that is not a valid DynamoDB item, with the path of the bad attribute.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ItemError {
    pub path: String,
    pub message: String,
}

fn bad(path: &str, message: impl Into<String>) -> ItemError {
    ItemError {
        path: if path.is_empty() {
            "item".into()
        } else {
            path.into()
        },
        message: message.into(),
    }
}

/// The size of a Number (§2.2, AWS Labs rule): digits grouped in pairs around the decimal
/// point, leading and trailing all-zero pairs dropped, one byte per pair plus one, one more if
/// negative, at most 21 bytes; zero is 1 byte.
pub fn number_size(text: &str) -> Result<u64, String> {
    let digits = Decimal38::parse(text)?;
    if digits.significant.is_empty() {
        return Ok(1);
    }
    // Pairs are aligned on the decimal point: position p (power of ten) belongs to pair
    // floor(p / 2). Count the pairs from the most to the least significant digit.
    let high = digits.exponent_of_first;
    let low = high - (digits.significant.len() as i64 - 1);
    let pairs = (high.div_euclid(2) - low.div_euclid(2) + 1) as u64;
    let sign = u64::from(digits.negative);
    Ok((pairs + 1 + sign).min(MAX_NUMBER_BYTES))
}

/// A number reduced to its significant digits and the power of ten of the first one.
struct Decimal38 {
    negative: bool,
    significant: Vec<u8>,
    exponent_of_first: i64,
}

impl Decimal38 {
    fn parse(text: &str) -> Result<Self, String> {
        let trimmed = text.trim();
        let invalid = || format!("N value \"{text}\" is not a number");
        let (negative, rest) = match trimmed.as_bytes().first() {
            Some(b'-') => (true, &trimmed[1..]),
            Some(b'+') => (false, &trimmed[1..]),
            _ => (false, trimmed),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(i) => (
                &rest[..i],
                rest[i + 1..].parse::<i64>().map_err(|_| invalid())?,
            ),
            None => (rest, 0),
        };
        let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if (int.is_empty() && frac.is_empty())
            || !int.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit())
        {
            return Err(invalid());
        }
        let all: Vec<u8> = int.bytes().chain(frac.bytes()).map(|b| b - b'0').collect();
        let Some(first) = all.iter().position(|&d| d != 0) else {
            return Ok(Decimal38 {
                negative: false,
                significant: Vec::new(),
                exponent_of_first: 0,
            });
        };
        let last = all.iter().rposition(|&d| d != 0).unwrap_or(first);
        let significant = all[first..=last].to_vec();
        // Checked: an exponent near i64::MAX in the text must not overflow the sum.
        let exponent_of_first = (int.len() as i64 - 1 - first as i64).checked_add(exponent);
        if significant.len() > 38 {
            return Err(format!(
                "N value \"{text}\" has {} significant digits; DynamoDB keeps at most 38",
                significant.len()
            ));
        }
        let Some(exponent_of_first) = exponent_of_first.filter(|e| (-130..=125).contains(e)) else {
            return Err(format!(
                "N value \"{text}\" is outside DynamoDB's range (1E-130 to 9.99…E+125 in magnitude)"
            ));
        };
        Ok(Decimal38 {
            negative,
            significant,
            exponent_of_first,
        })
    }
}

/// The size of a value (§2.1): strings and binaries by their bytes, BOOL and NULL 1 byte,
/// lists and maps 3 bytes plus 1 byte per element plus the elements (map keys count like
/// names), sets the sum of their elements with no overhead.
pub fn value_size(value: &AttributeValue) -> u64 {
    match value {
        AttributeValue::S(s) => s.len() as u64,
        AttributeValue::N(n) => number_size(n).unwrap_or(MAX_NUMBER_BYTES),
        AttributeValue::B(len) => *len as u64,
        AttributeValue::Bool | AttributeValue::Null => 1,
        AttributeValue::L(items) => 3 + items.iter().map(|v| 1 + value_size(v)).sum::<u64>(),
        AttributeValue::M(entries) => {
            3 + entries
                .iter()
                .map(|(k, v)| 1 + k.len() as u64 + value_size(v))
                .sum::<u64>()
        }
        AttributeValue::Ss(items) => items.iter().map(|s| s.len() as u64).sum(),
        AttributeValue::Ns(items) => items
            .iter()
            .map(|n| number_size(n).unwrap_or(MAX_NUMBER_BYTES))
            .sum(),
        AttributeValue::Bs(items) => items.iter().map(|&b| b as u64).sum(),
    }
}

/// One top-level attribute and the bytes it adds to the item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AttributeSize {
    pub name: String,
    #[serde(rename = "type")]
    pub type_name: &'static str,
    pub name_bytes: u64,
    pub value_bytes: u64,
}

/// An item's size with its breakdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemSize {
    pub attributes: Vec<AttributeSize>,
}

impl ItemSize {
    pub fn bytes(&self) -> u64 {
        self.attributes
            .iter()
            .map(|a| a.name_bytes + a.value_bytes)
            .sum()
    }

    /// What the item occupies in storage: its size plus the 100-byte overhead (§2.4).
    pub fn storage_bytes(&self) -> u64 {
        self.bytes() + STORAGE_OVERHEAD_BYTES
    }

    /// Whether the item fits DynamoDB's 400 KB (409,600-byte) limit (§2.3).
    pub fn within_limit(&self) -> bool {
        self.bytes() <= MAX_ITEM_BYTES
    }
}

/// A parsed item: its attributes in document order.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    pub attributes: Vec<(String, AttributeValue)>,
}

impl Item {
    /// Reads an item from JSON: DynamoDB JSON (`{"a": {"S": "x"}}`, optionally wrapped in
    /// `{"Item": …}` as `aws dynamodb get-item` prints it) or plain JSON, marshalled as the
    /// AWS SDKs do (strings S, numbers N, booleans BOOL, null NULL, arrays L, objects M).
    pub fn from_json(text: &str) -> Result<Item, ItemError> {
        let value: Value =
            serde_json::from_str(text).map_err(|e| bad("", format!("not valid JSON ({e})")))?;
        let Value::Object(mut top) = value else {
            return Err(bad(
                "",
                "an item must be a JSON object of attribute names to values",
            ));
        };
        if top.len() == 1 {
            if let Some(Value::Object(inner)) = top.get("Item") {
                if is_dynamodb_json(inner) {
                    top = inner.clone();
                }
            }
        }
        let typed = is_dynamodb_json(&top);
        if !typed {
            lower_case_tag(&top, "")?;
        }
        let attributes = top
            .iter()
            .map(|(name, v)| {
                check_name(name, name)?;
                let value = if typed {
                    typed_value(v, name, 1)?
                } else {
                    plain_value(v, name, 1)?
                };
                Ok((name.clone(), value))
            })
            .collect::<Result<_, ItemError>>()?;
        Ok(Item { attributes })
    }

    pub fn size(&self) -> ItemSize {
        ItemSize {
            attributes: self
                .attributes
                .iter()
                .map(|(name, value)| AttributeSize {
                    name: name.clone(),
                    type_name: value.type_name(),
                    name_bytes: name.len() as u64,
                    value_bytes: value_size(value),
                })
                .collect(),
        }
    }

    /// Checks a key attribute: present, scalar S/N/B, non-empty, within its length limit
    /// (2048 bytes for a partition key, 1024 for a sort key, §2.3).
    pub fn check_key(&self, name: &str, sort_key: bool) -> Result<u64, ItemError> {
        let (role, limit) = if sort_key {
            ("sort key", MAX_SORT_KEY_BYTES)
        } else {
            ("partition key", MAX_PARTITION_KEY_BYTES)
        };
        let value = self
            .attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
            .ok_or_else(|| {
                bad(
                    name,
                    format!("the {role} attribute is missing from the item"),
                )
            })?;
        let bytes = match value {
            AttributeValue::S(_) | AttributeValue::N(_) | AttributeValue::B(_) => value_size(value),
            other => {
                return Err(bad(
                    name,
                    format!(
                        "a {role} must be a string, number or binary, not {}",
                        other.type_name()
                    ),
                ))
            }
        };
        if bytes == 0 {
            return Err(bad(name, format!("a {role} value cannot be empty")));
        }
        if bytes > limit {
            return Err(bad(
                name,
                format!("the {role} value is {bytes} bytes; DynamoDB allows at most {limit}"),
            ));
        }
        Ok(bytes)
    }
}

const TYPE_TAGS: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"];

fn is_dynamodb_json(map: &serde_json::Map<String, Value>) -> bool {
    !map.is_empty()
        && map.values().all(|v| match v {
            Value::Object(o) => o.len() == 1 && o.keys().all(|k| TYPE_TAGS.contains(&k.as_str())),
            _ => false,
        })
}

/// Refuses `{"n": "42"}`: a DynamoDB type tag written in lower case, whose value has the
/// tag's shape, is a typo for `{"N": "42"}`, not a map with one attribute `n`; read as a map
/// it would silently size the wrong item.
fn lower_case_tag(map: &serde_json::Map<String, Value>, path: &str) -> Result<(), ItemError> {
    let [(tag, value)] = map.iter().collect::<Vec<_>>()[..] else {
        return Ok(());
    };
    let upper = tag.to_ascii_uppercase();
    let shaped = match upper.as_str() {
        "S" | "N" | "B" => value.is_string(),
        "BOOL" | "NULL" => value.is_boolean(),
        "L" | "SS" | "NS" | "BS" => value.is_array(),
        "M" => value.is_object(),
        _ => false,
    };
    if *tag == upper || !shaped {
        return Ok(());
    }
    Err(bad(
        path,
        format!(
            "`{tag}` looks like a DynamoDB type tag, and type tags are upper-case: write \
             {{\"{upper}\": {value}}}; an item maps attribute names to values, e.g. \
             {{\"price\": {{\"{upper}\": {value}}}}}"
        ),
    ))
}

fn check_name(path: &str, name: &str) -> Result<(), ItemError> {
    if name.is_empty() {
        return Err(bad(path, "attribute names cannot be empty"));
    }
    Ok(())
}

fn check_depth(path: &str, depth: usize) -> Result<(), ItemError> {
    if depth > MAX_NESTING_DEPTH {
        return Err(bad(
            path,
            format!("nested more than {MAX_NESTING_DEPTH} levels deep, DynamoDB's limit"),
        ));
    }
    Ok(())
}

fn plain_value(value: &Value, path: &str, depth: usize) -> Result<AttributeValue, ItemError> {
    check_depth(path, depth)?;
    Ok(match value {
        Value::String(s) => AttributeValue::S(s.clone()),
        Value::Number(n) => {
            let text = n.to_string();
            number_size(&text).map_err(|m| bad(path, m))?;
            AttributeValue::N(text)
        }
        Value::Bool(_) => AttributeValue::Bool,
        Value::Null => AttributeValue::Null,
        Value::Array(items) => AttributeValue::L(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| plain_value(v, &format!("{path}[{i}]"), depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => AttributeValue::M({
            lower_case_tag(map, path)?;
            map.iter()
                .map(|(k, v)| {
                    let child = format!("{path}.{k}");
                    check_name(&child, k)?;
                    Ok((k.clone(), plain_value(v, &child, depth + 1)?))
                })
                .collect::<Result<_, ItemError>>()?
        }),
    })
}

fn typed_value(value: &Value, path: &str, depth: usize) -> Result<AttributeValue, ItemError> {
    check_depth(path, depth)?;
    let Value::Object(map) = value else {
        return Err(bad(
            path,
            "expected a typed value like {\"S\": \"text\"} or {\"N\": \"42\"}",
        ));
    };
    let mut entries = map.iter();
    let (Some((tag, inner)), None) = (entries.next(), entries.next()) else {
        return Err(bad(
            path,
            format!(
                "a typed value has exactly one type key ({}), found {}",
                TYPE_TAGS.join(", "),
                map.len()
            ),
        ));
    };
    let path = format!("{path}.{tag}");
    let path = path.as_str();
    let string = |v: &Value| -> Result<String, ItemError> {
        v.as_str()
            .map(str::to_owned)
            .ok_or_else(|| bad(path, format!("{tag} takes a JSON string")))
    };
    let number = |v: &Value| -> Result<String, ItemError> {
        let text = match v {
            Value::String(s) => s.clone(),
            _ => {
                return Err(bad(
                    path,
                    "N takes the number as a JSON string, like \"42\"",
                ))
            }
        };
        number_size(&text).map_err(|m| bad(path, m))?;
        Ok(text)
    };
    let binary = |v: &Value| -> Result<usize, ItemError> {
        let text = v.as_str().ok_or_else(|| bad(path, "B takes base64 text"))?;
        base64::engine::general_purpose::STANDARD
            .decode(text)
            .map(|raw| raw.len())
            .map_err(|e| bad(path, format!("B value is not valid base64 ({e})")))
    };
    let set = |kind: &str| -> Result<&Vec<Value>, ItemError> {
        match inner {
            Value::Array(items) if items.is_empty() => Err(bad(
                path,
                format!("{kind} is empty; DynamoDB does not store empty sets"),
            )),
            Value::Array(items) => Ok(items),
            _ => Err(bad(path, format!("{kind} takes a JSON array"))),
        }
    };
    let unique = |kind: &str, items: &[String]| -> Result<(), ItemError> {
        let mut seen = std::collections::HashSet::new();
        match items.iter().find(|item| !seen.insert(item.as_str())) {
            Some(dup) => Err(bad(
                path,
                format!("{kind} holds \"{dup}\" twice; sets cannot hold duplicates"),
            )),
            None => Ok(()),
        }
    };
    Ok(match tag.as_str() {
        "S" => AttributeValue::S(string(inner)?),
        "N" => AttributeValue::N(number(inner)?),
        "B" => AttributeValue::B(binary(inner)?),
        "BOOL" => match inner {
            Value::Bool(_) => AttributeValue::Bool,
            _ => return Err(bad(path, "BOOL takes true or false")),
        },
        "NULL" => match inner {
            Value::Bool(true) => AttributeValue::Null,
            _ => return Err(bad(path, "NULL takes true")),
        },
        "L" => match inner {
            Value::Array(items) => AttributeValue::L(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| typed_value(v, &format!("{path}[{i}]"), depth + 1))
                    .collect::<Result<_, _>>()?,
            ),
            _ => return Err(bad(path, "L takes a JSON array of typed values")),
        },
        "M" => match inner {
            Value::Object(map) => AttributeValue::M(
                map.iter()
                    .map(|(k, v)| {
                        let child = format!("{path}.{k}");
                        check_name(&child, k)?;
                        Ok((k.clone(), typed_value(v, &child, depth + 1)?))
                    })
                    .collect::<Result<_, ItemError>>()?,
            ),
            _ => return Err(bad(path, "M takes a JSON object of typed values")),
        },
        "SS" => {
            let items = set("SS")?
                .iter()
                .map(string)
                .collect::<Result<Vec<_>, _>>()?;
            unique("SS", &items)?;
            AttributeValue::Ss(items)
        }
        "NS" => {
            let items = set("NS")?
                .iter()
                .map(number)
                .collect::<Result<Vec<_>, _>>()?;
            unique("NS", &items)?;
            AttributeValue::Ns(items)
        }
        "BS" => AttributeValue::Bs(set("BS")?.iter().map(binary).collect::<Result<_, _>>()?),
        other => {
            return Err(bad(
                path,
                format!(
                    "unknown type `{other}`; use one of {}",
                    TYPE_TAGS.join(", ")
                ),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(json: &str) -> u64 {
        Item::from_json(json).unwrap().size().bytes()
    }

    #[test]
    fn aws_shirt_example_is_23_bytes() {
        // §2.1 [CONS]: shirt-color "R" and shirt-size "M" total 23 bytes (11+1 + 10+1).
        assert_eq!(size(r#"{"shirt-color": "R", "shirt-size": "M"}"#), 23);
        assert_eq!(
            size(r#"{"shirt-color": {"S": "R"}, "shirt-size": {"S": "M"}}"#),
            23
        );
    }

    #[test]
    fn ddb_calc_readme_item_is_137_bytes() {
        // [CALC] awslabs ddb-calc README: this item is 137 bytes (1 RCU, 1 WCU).
        let item = r#"{
            "Id": {"N": "101"}, "Title": {"S": "Book 101 Title"},
            "ISBN": {"S": "111-1111111111"}, "Authors": {"L": [{"S": "Author1"}]},
            "Price": {"N": "2"}, "Dimensions": {"S": "8.5 x 11.0 x 0.5"},
            "PageCount": {"N": "500"}, "InPublication": {"BOOL": true},
            "ProductCategory": {"S": "Book"}}"#;
        assert_eq!(size(item), 137);
    }

    #[test]
    fn huge_exponents_are_out_of_range_not_overflowed() {
        // "10e9223372036854775807" once overflowed i64 while locating the first digit.
        for text in ["10e9223372036854775807", "0.001e-9223372036854775808"] {
            let err = number_size(text).unwrap_err();
            assert!(err.contains("outside DynamoDB's range"), "{err}");
        }
    }

    #[test]
    fn number_digit_pairs() {
        // §2.2 [CALC]: pairs aligned on the decimal point, zero pairs trimmed, +1 byte,
        // +1 if negative, 0 is 1 byte, at most 21 bytes.
        assert_eq!(number_size("0").unwrap(), 1);
        assert_eq!(number_size("7").unwrap(), 2);
        assert_eq!(number_size("101").unwrap(), 3);
        assert_eq!(number_size("500").unwrap(), 2);
        assert_eq!(number_size("1000000").unwrap(), 2);
        assert_eq!(number_size("-7").unwrap(), 3);
        assert_eq!(number_size("0.05").unwrap(), 2);
        assert_eq!(number_size("0.0005").unwrap(), 2);
        assert_eq!(number_size("12.5").unwrap(), 3);
        assert_eq!(number_size("1.5").unwrap(), 3);
        assert_eq!(number_size("1E+5").unwrap(), 2);
        assert_eq!(
            number_size("12345678901234567890123456789012345678").unwrap(),
            20
        );
        assert_eq!(
            number_size("-1234567890123456789012345678901234567.8").unwrap(),
            21
        );
        assert!(number_size("123456789012345678901234567890123456789").is_err());
        assert!(number_size("1e200").is_err());
        assert!(number_size("12a").is_err());
    }

    #[test]
    fn documents_and_sets() {
        // §2.1 [SIZE][CALC]: L/M = 3 + Σ(1 + element); map keys count; sets no overhead.
        assert_eq!(size(r#"{"a": []}"#), 1 + 3);
        assert_eq!(size(r#"{"a": {}}"#), 1 + 3);
        assert_eq!(size(r#"{"a": ["xy", true]}"#), 1 + 3 + (1 + 2) + (1 + 1));
        assert_eq!(size(r#"{"a": {"k": "v"}}"#), 1 + 3 + (1 + 1 + 1));
        assert_eq!(size(r#"{"tags": {"SS": ["ab", "cde"]}}"#), 4 + 5);
        assert_eq!(size(r#"{"n": {"NS": ["1", "101"]}}"#), 1 + 2 + 3);
        assert_eq!(size(r#"{"b": {"B": "AAEC"}}"#), 1 + 3);
        assert_eq!(size(r#"{"b": {"BS": ["AAEC", "AA=="]}}"#), 1 + 3 + 1);
        assert_eq!(size(r#"{"z": null, "t": false}"#), 2 + 2);
        assert_eq!(size(r#"{"é": "ü"}"#), 2 + 2);
    }

    #[test]
    fn get_item_output_is_unwrapped() {
        assert_eq!(size(r#"{"Item": {"id": {"S": "abc"}}}"#), 5);
    }

    #[test]
    fn invalid_items_name_the_attribute() {
        let err = |json: &str| Item::from_json(json).unwrap_err().to_string();
        assert_eq!(
            err(r#"{"a": {"M": {"b": {"N": "x1"}}}}"#),
            r#"a.M.b.N: N value "x1" is not a number"#
        );
        assert!(err(r#"{"a": {"SS": []}}"#).contains("empty"));
        assert!(err(r#"{"a": {"SS": ["x", "x"]}}"#).contains("twice"));
        assert!(err(r#"{"a": {"B": "!!"}}"#).contains("base64"));
        assert!(err(r#"{"a": {"NULL": false}}"#).contains("NULL takes true"));
        assert!(err("[1]").contains("JSON object"));
        assert!(err("{").contains("not valid JSON"));
        let deep = format!("{{\"a\": {}1{}}}", "[".repeat(40), "]".repeat(40));
        assert!(err(&deep).contains("32 levels"));
    }

    #[test]
    fn key_limits() {
        // §2.3 [CONS]: partition key ≤ 2048 bytes, sort key ≤ 1024 bytes.
        let pk = |n: usize| format!(r#"{{"pk": "{}"}}"#, "x".repeat(n));
        let item = Item::from_json(&pk(2048)).unwrap();
        assert_eq!(item.check_key("pk", false).unwrap(), 2048);
        let item = Item::from_json(&pk(2049)).unwrap();
        assert!(item
            .check_key("pk", false)
            .unwrap_err()
            .to_string()
            .contains("at most 2048"));
        let item = Item::from_json(&pk(1025)).unwrap();
        assert!(item.check_key("pk", true).is_err());
        assert!(item.check_key("missing", false).is_err());
    }

    #[test]
    fn storage_adds_100_bytes_and_limit_is_409600() {
        // §2.4 [SIZE]: 100 bytes of overhead per item; §2.3 [CONS]: 400 KB = 409,600 bytes.
        let at_limit = format!(r#"{{"a": "{}"}}"#, "x".repeat(409_599));
        let size = Item::from_json(&at_limit).unwrap().size();
        assert_eq!(size.bytes(), 409_600);
        assert!(size.within_limit());
        assert_eq!(size.storage_bytes(), 409_700);
        let over = format!(r#"{{"a": "{}"}}"#, "x".repeat(409_600));
        assert!(!Item::from_json(&over).unwrap().size().within_limit());
    }
}
