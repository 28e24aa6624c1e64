//! Worked answers to capacity questions: the numbers from the capacity engine and the steps a
//! student can follow to reach them. Used by `capacity-plan calc` and by the quiz.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::capacity::item_size::{Item, ItemError};
use crate::capacity::{
    self, index_write_units, lsi_fetch_charge, read_charge, sustained_requests, write_charge,
    CapacityError, Charge, Consistency, IndexEvent, Items, ReadOp, WriteOp, READ_STEP_BYTES,
    WRITE_STEP_BYTES,
};
use crate::quantity::{count as plural, group_digits, MonthHours, Rate, Size};

/// A read question: which call, how consistent, which items, how often.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadQuestion {
    pub op: ReadOp,
    pub consistency: Consistency,
    pub items: Items,
    pub rate: Option<Rate>,
}

/// A write question. `indexes` lists, per index, the entry size and what the write does to it.
#[derive(Debug, Clone, PartialEq)]
pub struct WriteQuestion {
    pub op: WriteOp,
    pub transactional: bool,
    pub items: Items,
    pub size_before: Option<u64>,
    pub rate: Option<Rate>,
    pub indexes: Vec<(u64, IndexEvent)>,
}

/// What a given capacity sustains for requests of one item size.
#[derive(Debug, Clone, PartialEq)]
pub struct ThroughputQuestion {
    pub capacity: Decimal,
    pub size: u64,
    pub access: AccessKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccessKind {
    Read(Consistency),
    Write { transactional: bool },
}

/// One index's share of a write, per request and per second.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexAnswer {
    pub entry_bytes: u64,
    pub event: IndexEvent,
    pub writes: u64,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub units_per_request: Decimal,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub units_per_second: Decimal,
}

/// A worked answer. Only the fields that fit the question are set; JSON omits the rest.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Answer {
    /// The short answer, e.g. `20 RCU`.
    pub answer: String,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::quantity::json_number_option"
    )]
    pub units_per_request: Option<Decimal>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::quantity::json_number_option"
    )]
    pub units_per_second: Option<Decimal>,
    /// Whole units to provision: the units per second rounded up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provisioned_units: Option<u64>,
    /// The size after rounding, summed over every rounded piece.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub charged_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<u64>,
    /// BatchGetItem calls needed when the items add up to more than the 16 MB one call returns.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calls: Option<u64>,
    /// Write units per request on each `--index`, in order.
    #[serde(skip_serializing_if = "Option::is_none", with = "decimal_list_option")]
    pub index_units: Option<Vec<Decimal>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indexes: Option<Vec<IndexAnswer>>,
    /// Item size in bytes (item-size).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Item size plus the 100-byte storage overhead (item-size).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub storage_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<capacity::item_size::AttributeSize>>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::quantity::json_number_option"
    )]
    pub requests_per_second: Option<Decimal>,
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::quantity::json_number_option"
    )]
    pub bytes_per_second: Option<Decimal>,
    pub steps: Vec<String>,
}

mod decimal_list_option {
    use rust_decimal::prelude::ToPrimitive;
    use rust_decimal::Decimal;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(
        value: &Option<Vec<Decimal>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        let floats: Option<Vec<f64>> = value.as_ref().map(|list| {
            list.iter()
                .map(|d| d.to_f64().unwrap_or(f64::NAN))
                .collect()
        });
        serde::Serialize::serialize(&floats, serializer)
    }
}

fn num(value: Decimal) -> String {
    group_digits(value)
}

/// "Item: 6,144 B rounds up to 8 KB = 2 read units." for every group of identical pieces.
fn rounding_steps(charge: &Charge, piece: &str, unit: &str) -> Vec<String> {
    let step_kb = charge.step_bytes / 1024;
    let units = |n: u64| plural(n, unit, &format!("{unit}s"));
    charge
        .roundings
        .iter()
        .map(|r| {
            let rounded = format!(
                "rounds up to {} KB = {}",
                group_digits((r.steps * step_kb).into()),
                units(r.steps)
            );
            if r.count == 1 {
                format!("{piece}: {} {rounded}.", Size::from_bytes(r.bytes))
            } else {
                format!(
                    "{} {}s of {}: each {rounded}, {} in all.",
                    group_digits(r.count.into()),
                    piece.to_lowercase(),
                    Size::from_bytes(r.bytes),
                    units(r.steps * r.count)
                )
            }
        })
        .collect()
}

/// The largest rate (requests/s) or capacity (units) a question may use: a trillion, far above
/// any DynamoDB quota, and low enough that every product below stays within `Decimal`, whose
/// arithmetic panics on overflow.
pub const MAX_PER_SECOND: Decimal = rust_decimal::dec!(1_000_000_000_000);

fn check_per_second(value: Decimal, what: &str) -> Result<(), CapacityError> {
    if value > MAX_PER_SECOND {
        return Err(CapacityError::NotAllowed(format!(
            "{what} of {} is beyond what capacity-plan computes (at most {})",
            num(value),
            num(MAX_PER_SECOND)
        )));
    }
    Ok(())
}

/// The per-second part of the working: the rate, the units per second, whole units.
fn per_second(
    steps: &mut Vec<String>,
    units: Decimal,
    rate: Option<Rate>,
    unit: &str,
) -> Result<(Decimal, u64), CapacityError> {
    let month = MonthHours::default();
    let (rate_per_second, rate_text) = match rate {
        Some(rate) => {
            let per_second = rate.to_per_second(month);
            check_per_second(per_second, "a rate (requests per second)")?;
            let text = if rate.count == per_second {
                format!("{}/s", num(per_second))
            } else {
                format!("{rate} = {}/s", num(per_second))
            };
            (per_second, text)
        }
        None => (Decimal::ONE, "1 request/s (no --rate given)".to_string()),
    };
    let units_per_second = units * rate_per_second;
    steps.push(format!(
        "At {rate_text}: {} × {} = {} {unit} per second.",
        num(units),
        num(rate_per_second),
        num(units_per_second)
    ));
    let provisioned = units_per_second.ceil();
    let whole = u64::try_from(provisioned).unwrap_or(u64::MAX);
    if provisioned != units_per_second {
        steps.push(format!(
            "Provisioned capacity is set in whole units: round {} up to {} {unit}.",
            num(units_per_second),
            num(provisioned)
        ));
    }
    Ok((units_per_second, whole))
}

/// Works out a read: the units per request, per second and to provision.
pub fn read(question: &ReadQuestion) -> Result<Answer, CapacityError> {
    read_fetching(question, None)
}

/// Works out a read that may also fetch table items: `fetch` is, for a query of a local
/// secondary index that needs attributes the index does not project, the size of the table
/// item fetched for each index entry read.
pub fn read_fetching(question: &ReadQuestion, fetch: Option<u64>) -> Result<Answer, CapacityError> {
    let mut charge = read_charge(question.op, question.consistency, &question.items)?;
    let op = match (question.op, question.consistency) {
        (ReadOp::Get, Consistency::Transactional) => ReadOp::TransactGet,
        (op, _) => op,
    };
    let mut steps = vec![describe_read(op, &question.items)];
    steps.push(format!(
        "Reads are charged in 4 KB ({} B) steps{}.",
        group_digits(READ_STEP_BYTES.into()),
        match op {
            ReadOp::Query | ReadOp::Scan => ", on the summed size of each page",
            ReadOp::Get => "",
            _ => ", every item rounded on its own",
        }
    ));
    let piece = match op {
        ReadOp::Query | ReadOp::Scan => "Page",
        _ => "Item",
    };
    steps.extend(rounding_steps(&charge, piece, "read unit"));
    if let Some(item) = fetch {
        let fetched = match (question.op, &question.items) {
            (ReadOp::Query | ReadOp::Scan, Items::Uniform { count, .. }) => *count,
            (ReadOp::Query | ReadOp::Scan, Items::Listed(sizes)) => sizes.len() as u64,
            _ => {
                return Err(CapacityError::NotAllowed(
                    "a fetch is for a query or scan of a local secondary index, with the entries it reads given as --items and --size (or --sizes)".into(),
                ))
            }
        };
        let fetch = lsi_fetch_charge(question.consistency, fetched, item)?;
        steps.push(format!(
            "The index does not project every attribute asked for, so each of the {} entries fetches its item from the table, every item rounded on its own.",
            group_digits(fetched.into())
        ));
        steps.extend(rounding_steps(&fetch, "Fetched item", "read unit"));
        charge.roundings.extend(fetch.roundings);
    }
    if charge.roundings.len() > 1 {
        steps.push(format!(
            "Together: {} = {}.",
            Size::from_bytes(charge.charged_bytes()),
            plural(charge.steps(), "read unit", "read units")
        ));
    }
    let units = charge.units();
    steps.push(format!(
        "{}: {} per read unit → {} × {} = {} RCU per request{}.",
        capitalize(question.consistency.name()),
        num(question.consistency.units_per_step()),
        num(charge.steps().into()),
        num(question.consistency.units_per_step()),
        num(units),
        if question.consistency == Consistency::Eventual {
            " (halved after rounding)"
        } else {
            ""
        }
    ));
    if let Some(calls) = charge.calls {
        steps.push(format!(
            "BatchGetItem returns at most 16 MB per call: {} come back over {} calls (the keys beyond 16 MB as UnprocessedKeys, asked for again); the units are the same, every item still read once.",
            Size::from_bytes(charge.bytes()),
            group_digits(calls.into())
        ));
    }
    let (units_per_second, provisioned) = per_second(&mut steps, units, question.rate, "RCU")?;
    steps.push("On-demand tables are billed the same count as read request units (RRU).".into());
    Ok(Answer {
        answer: format!("{} RCU ({} per request)", num(units_per_second), num(units)),
        units_per_request: Some(units),
        units_per_second: Some(units_per_second),
        provisioned_units: Some(provisioned),
        charged_bytes: Some(charge.charged_bytes()),
        pages: charge.pages,
        calls: charge.calls,
        steps,
        ..Answer::default()
    })
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn describe_items(items: &Items) -> String {
    match items {
        Items::Uniform { count: 1, size: 0 } => "an item that does not exist".into(),
        Items::Uniform { count: 1, size } => format!("one item of {}", Size::from_bytes(*size)),
        Items::Uniform { count, size } => format!(
            "{} items of {} each ({} in all)",
            group_digits((*count).into()),
            Size::from_bytes(*size),
            Size::from_bytes(count * size)
        ),
        Items::Listed(sizes) => format!(
            "{} of {}",
            plural(sizes.len() as u64, "item", "items"),
            sizes
                .iter()
                .map(|&s| Size::from_bytes(s).to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Items::Total(total) => format!("{} of items in all", Size::from_bytes(*total)),
    }
}

fn describe_read(op: ReadOp, items: &Items) -> String {
    let what = describe_items(items);
    match op {
        ReadOp::Get => format!("GetItem reads {what}; a missing item still costs one read unit."),
        ReadOp::BatchGet => format!("BatchGetItem reads {what}, each priced like its own GetItem."),
        ReadOp::TransactGet => format!(
            "TransactGetItems reads {what}; a transactional read costs 2 units per 4 KB (prepare + commit)."
        ),
        ReadOp::Query | ReadOp::Scan => format!(
            "{} evaluates {what}; a call reads at most 1 MB, measured before any filter, so filters do not lower the cost.",
            op.api_name()
        ),
    }
}

/// Works out a write on the table and on each index it touches.
pub fn write(question: &WriteQuestion) -> Result<Answer, CapacityError> {
    let charge = write_charge(
        question.op,
        question.transactional,
        &question.items,
        question.size_before,
    )?;
    let op = match question.op {
        WriteOp::Put | WriteOp::Update | WriteOp::Delete if question.transactional => {
            WriteOp::TransactWrite
        }
        op => op,
    };
    let mut steps = vec![describe_write(question, op)];
    steps.push(format!(
        "Writes are charged in 1 KB ({} B) steps{}.",
        group_digits(WRITE_STEP_BYTES.into()),
        if charge.roundings.len() > 1 || matches!(op, WriteOp::BatchWrite | WriteOp::TransactWrite)
        {
            ", every item rounded on its own"
        } else {
            ""
        }
    ));
    steps.extend(rounding_steps(&charge, "Item", "write unit"));
    let units = charge.units();
    let transactional = charge.units_per_step == Decimal::TWO;
    steps.push(if transactional {
        format!(
            "Transactional: 2 per write unit (prepare + commit) → {} × 2 = {} WCU per request.",
            num(charge.steps().into()),
            num(units)
        )
    } else {
        format!(
            "Standard write: 1 per write unit → {} WCU per request.",
            num(units)
        )
    });
    let (units_per_second, provisioned) = per_second(&mut steps, units, question.rate, "WCU")?;
    let rate = units_per_second / units;
    let items_written = match &question.items {
        Items::Uniform { count, .. } => *count,
        Items::Listed(sizes) => sizes.len() as u64,
        Items::Total(_) => 1,
    };
    let indexes: Vec<IndexAnswer> = question
        .indexes
        .iter()
        .enumerate()
        .map(|(i, &(entry_bytes, event))| {
            let per_item = index_write_units(entry_bytes, event);
            let per_request = Decimal::from(per_item * items_written);
            steps.push(format!(
                "Index {}: entry {} → {} per write; {} → {} WCU per request{}{}.",
                i + 1,
                Size::from_bytes(entry_bytes),
                plural(
                    entry_bytes.div_ceil(WRITE_STEP_BYTES).max(1),
                    "write unit",
                    "write units"
                ),
                event.describe(),
                num(per_request),
                if items_written > 1 {
                    format!(" ({} items)", items_written)
                } else {
                    String::new()
                },
                if transactional {
                    ", not doubled: the transactional 2x applies to the base-table write only"
                } else {
                    ""
                }
            ));
            IndexAnswer {
                entry_bytes,
                event,
                writes: event.writes() * items_written,
                units_per_request: per_request,
                units_per_second: per_request * rate,
            }
        })
        .collect();
    if !indexes.is_empty() {
        steps.push(
            "A GSI's writes consume the GSI's own write capacity; an LSI's consume the table's."
                .into(),
        );
    }
    steps.push("On-demand tables are billed the same count as write request units (WRU).".into());
    let has_indexes = !question.indexes.is_empty();
    Ok(Answer {
        answer: format!(
            "{} WCU ({} per request){}",
            num(units_per_second),
            num(units),
            if has_indexes {
                format!(
                    " + {} WCU on indexes",
                    num(indexes.iter().map(|i| i.units_per_second).sum())
                )
            } else {
                String::new()
            }
        ),
        units_per_request: Some(units),
        units_per_second: Some(units_per_second),
        provisioned_units: Some(provisioned),
        charged_bytes: Some(charge.charged_bytes()),
        index_units: Some(indexes.iter().map(|i| i.units_per_request).collect()),
        indexes: Some(indexes),
        steps,
        ..Answer::default()
    })
}

fn describe_write(question: &WriteQuestion, op: WriteOp) -> String {
    let what = describe_items(&question.items);
    let before = question
        .size_before
        .map(|b| format!(" The item was {} before.", Size::from_bytes(b)))
        .unwrap_or_default();
    match op {
        WriteOp::Put | WriteOp::Update => format!(
            "{} writes {what}; it is charged on the larger of the item before and after, the whole item even if one attribute changes.{before}",
            op.api_name()
        ),
        WriteOp::Delete => format!("DeleteItem removes {what}; it is charged on the deleted item's size (a missing item still costs 1)."),
        WriteOp::BatchWrite => format!("BatchWriteItem writes {what}, each priced like its own put or delete.{before}"),
        WriteOp::TransactWrite => format!("TransactWriteItems writes {what}; every item costs 2 units per 1 KB (prepare + commit).{before}"),
    }
}

/// Works out what a capacity sustains: requests per second and item bytes per second.
pub fn throughput(question: &ThroughputQuestion) -> Result<Answer, CapacityError> {
    check_per_second(question.capacity, "a capacity (units)")?;
    let items = Items::one(question.size);
    let (charge, unit, noun) = match question.access {
        AccessKind::Read(consistency) => (
            read_charge(ReadOp::Get, consistency, &items)?,
            "RCU",
            format!("{} read", consistency.name()),
        ),
        AccessKind::Write { transactional } => (
            write_charge(WriteOp::Put, transactional, &items, None)?,
            "WCU",
            if transactional {
                "transactional write".to_string()
            } else {
                "standard write".to_string()
            },
        ),
    };
    let units = charge.units();
    let requests = sustained_requests(question.capacity, units);
    let bytes = requests * Decimal::from(question.size);
    let mut steps = rounding_steps(&charge, "Each item", "unit");
    steps.push(format!(
        "Each {noun} costs {} per unit → {} {unit} per request.",
        num(charge.units_per_step),
        num(units)
    ));
    steps.push(format!(
        "{} {unit} ÷ {} = {} requests per second.",
        num(question.capacity),
        num(units),
        num(requests)
    ));
    steps.push(format!(
        "{} requests/s × {} B = {} B/s of item data.",
        num(requests),
        group_digits(question.size.into()),
        num(bytes)
    ));
    Ok(Answer {
        answer: format!("{} requests/s ({} B/s)", num(requests), num(bytes)),
        units_per_request: Some(units),
        charged_bytes: Some(charge.charged_bytes()),
        requests_per_second: Some(requests),
        bytes_per_second: Some(bytes),
        steps,
        ..Answer::default()
    })
}

/// Why an item-size question has no answer. The detail is the error's `source`, not part of
/// its message, so that a printed error chain (`{:#}`) says it once.
#[derive(Debug, thiserror::Error)]
pub enum ItemSizeError {
    #[error("invalid item")]
    Item(#[from] ItemError),
    #[error("the item breaks a DynamoDB limit")]
    Capacity { bytes: u64, source: CapacityError },
}

/// Works out an item's size from its JSON, attribute by attribute, and the units it costs.
/// `keys` names the partition key and optionally the sort key to check against their limits.
pub fn item_size(json: &str, keys: &[(&str, bool)]) -> Result<Answer, ItemSizeError> {
    let item = Item::from_json(json)?;
    for &(name, sort) in keys {
        item.check_key(name, sort)?;
    }
    let size = item.size();
    let bytes = size.bytes();
    if !size.within_limit() {
        return Err(ItemSizeError::Capacity {
            bytes,
            source: CapacityError::ItemTooLarge { bytes },
        });
    }
    let mut steps: Vec<String> = size
        .attributes
        .iter()
        .map(|a| {
            format!(
                "{} ({}): name {} B + value {} B = {} B.",
                a.name,
                a.type_name,
                a.name_bytes,
                a.value_bytes,
                a.name_bytes + a.value_bytes
            )
        })
        .collect();
    steps.push(format!(
        "Item size = Σ (name + value) = {}, within the 400 KB limit.",
        Size::from_bytes(bytes)
    ));
    steps.push(format!(
        "Stored as {} B: every item carries 100 bytes of overhead.",
        group_digits(size.storage_bytes().into())
    ));
    let reads = bytes.div_ceil(READ_STEP_BYTES).max(1);
    let writes = bytes.div_ceil(WRITE_STEP_BYTES).max(1);
    steps.push(format!(
        "One read: {} strong, {} eventual, {} transactional; one write: {} WCU standard, {} transactional.",
        plural(reads, "RCU", "RCU"),
        num(Decimal::from(reads) / Decimal::TWO),
        reads * 2,
        writes,
        writes * 2
    ));
    Ok(Answer {
        answer: format!("{} B", group_digits(bytes.into())),
        bytes: Some(bytes),
        storage_bytes: Some(size.storage_bytes()),
        attributes: Some(size.attributes),
        steps,
        ..Answer::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn six_kb_strong_at_ten_per_second_is_20_rcu() {
        // §1.1 [RW]: 6 KB rounds to 8 KB = 2 units; strong = 1 per unit; × 10/s = 20 RCU.
        let answer = read(&ReadQuestion {
            op: ReadOp::Get,
            consistency: Consistency::Strong,
            items: Items::one(6 * 1024),
            rate: Some("10/s".parse().unwrap()),
        })
        .unwrap();
        assert_eq!(answer.units_per_second, Some(dec!(20)));
        assert_eq!(answer.provisioned_units, Some(20));
        assert_eq!(answer.charged_bytes, Some(8192));
        assert!(
            answer.steps[2].contains("rounds up to 8 KB = 2 read units"),
            "{:?}",
            answer.steps
        );
    }

    #[test]
    fn fractional_units_round_up_to_provision() {
        // Eventual 4 KB reads at 3/s: 0.5 × 3 = 1.5 RCU → provision 2.
        let answer = read(&ReadQuestion {
            op: ReadOp::Get,
            consistency: Consistency::Eventual,
            items: Items::one(4096),
            rate: Some("3/s".parse().unwrap()),
        })
        .unwrap();
        assert_eq!(answer.units_per_second, Some(dec!(1.5)));
        assert_eq!(answer.provisioned_units, Some(2));
    }

    #[test]
    fn write_with_index_key_change() {
        // §3.2 [GSI]: a key change writes the index twice; transactional 2x is base-only.
        let answer = write(&WriteQuestion {
            op: WriteOp::Update,
            transactional: true,
            items: Items::one(1500),
            size_before: None,
            rate: Some("30/s".parse().unwrap()),
            indexes: vec![(300, IndexEvent::KeyChange)],
        })
        .unwrap();
        assert_eq!(answer.units_per_request, Some(dec!(4)));
        assert_eq!(answer.units_per_second, Some(dec!(120)));
        assert_eq!(answer.index_units, Some(vec![dec!(2)]));
        assert_eq!(
            answer.indexes.as_ref().unwrap()[0].units_per_second,
            dec!(60)
        );
    }

    #[test]
    fn absurd_rates_and_capacities_are_refused_not_overflowed() {
        // These used to panic inside Decimal multiplication or division.
        let rate = Some("79228162514264337593543950335/s".parse().unwrap());
        let err = read(&ReadQuestion {
            op: ReadOp::Get,
            consistency: Consistency::Strong,
            items: Items::one(6 * 1024),
            rate,
        })
        .unwrap_err();
        assert!(
            err.to_string().contains("at most 1,000,000,000,000"),
            "{err}"
        );
        let err = throughput(&ThroughputQuestion {
            capacity: Decimal::MAX,
            size: 1,
            access: AccessKind::Read(Consistency::Eventual),
        })
        .unwrap_err();
        assert!(err.to_string().contains("capacity"), "{err}");
    }

    #[test]
    fn throughput_of_100_rcu() {
        let answer = throughput(&ThroughputQuestion {
            capacity: dec!(100),
            size: 6 * 1024,
            access: AccessKind::Read(Consistency::Eventual),
        })
        .unwrap();
        assert_eq!(answer.requests_per_second, Some(dec!(100)));
        assert_eq!(answer.bytes_per_second, Some(dec!(614400)));
    }
}
