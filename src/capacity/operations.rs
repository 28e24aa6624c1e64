//! Units consumed per request, operation by operation (docs/sources.md §1.2, §3.2, §9).

use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    CapacityError, BATCH_GET_RESPONSE_BYTES, MAX_BATCH_GET_ITEMS, MAX_BATCH_WRITE_BYTES,
    MAX_BATCH_WRITE_ITEMS, MAX_ITEM_BYTES, MAX_READ_VOLUME_BYTES, MAX_TRANSACTION_BYTES,
    MAX_TRANSACTION_ITEMS, PAGE_LIMIT_BYTES, READ_STEP_BYTES, WRITE_STEP_BYTES,
};

/// How a read is made; decides the units per 4 KB step (§1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Consistency {
    /// Eventually consistent: half a unit per 4 KB step, halved after rounding.
    Eventual,
    /// Strongly consistent: one unit per 4 KB step.
    Strong,
    /// TransactGetItems: two units per 4 KB step (prepare and commit).
    Transactional,
}

impl Consistency {
    /// Read units per 4 KB step (§1.1).
    pub fn units_per_step(self) -> Decimal {
        match self {
            Consistency::Eventual => Decimal::new(5, 1),
            Consistency::Strong => Decimal::ONE,
            Consistency::Transactional => Decimal::TWO,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Consistency::Eventual => "eventually consistent",
            Consistency::Strong => "strongly consistent",
            Consistency::Transactional => "transactional",
        }
    }
}

/// Write units per 1 KB step: 1 standard, 2 transactional (§1.1, §9).
pub fn write_units_per_step(transactional: bool) -> Decimal {
    if transactional {
        Decimal::TWO
    } else {
        Decimal::ONE
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadOp {
    Get,
    BatchGet,
    Query,
    Scan,
    TransactGet,
}

impl ReadOp {
    pub fn api_name(self) -> &'static str {
        match self {
            ReadOp::Get => "GetItem",
            ReadOp::BatchGet => "BatchGetItem",
            ReadOp::Query => "Query",
            ReadOp::Scan => "Scan",
            ReadOp::TransactGet => "TransactGetItems",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteOp {
    Put,
    Update,
    Delete,
    BatchWrite,
    TransactWrite,
}

impl WriteOp {
    pub fn api_name(self) -> &'static str {
        match self {
            WriteOp::Put => "PutItem",
            WriteOp::Update => "UpdateItem",
            WriteOp::Delete => "DeleteItem",
            WriteOp::BatchWrite => "BatchWriteItem",
            WriteOp::TransactWrite => "TransactWriteItems",
        }
    }
}

/// The items one request touches. A size of 0 is an item that does not exist: DynamoDB still
/// charges the minimum of one step for it (§1.2, GetItem on a missing item; DeleteItem of a
/// missing item, [GHDEL]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Items {
    /// `count` items of `size` bytes each.
    Uniform { count: u64, size: u64 },
    /// One size per item, in the order DynamoDB reads them.
    Listed(Vec<u64>),
    /// Query/Scan only: the summed size of every item evaluated, before any filter.
    Total(u64),
}

impl Items {
    pub fn one(size: u64) -> Self {
        Items::Uniform { count: 1, size }
    }

    fn count(&self) -> u64 {
        match self {
            Items::Uniform { count, .. } => *count,
            Items::Listed(sizes) => sizes.len() as u64,
            Items::Total(_) => 1,
        }
    }

    fn largest(&self) -> u64 {
        match self {
            Items::Uniform { size, .. } => *size,
            Items::Listed(sizes) => sizes.iter().copied().max().unwrap_or(0),
            Items::Total(_) => 0,
        }
    }
}

/// `count` pieces of `bytes` each, every piece rounded up on its own to `steps` unit steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rounding {
    pub bytes: u64,
    pub steps: u64,
    pub count: u64,
}

/// What one request consumes, with the roundings that produced it so the working can be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Charge {
    /// 4,096 for reads, 1,024 for writes.
    pub step_bytes: u64,
    /// Units per step: 0.5, 1 or 2.
    pub units_per_step: Decimal,
    /// Pieces rounded separately: items (Get, Batch, Transact, Put...) or pages (Query, Scan).
    pub roundings: Vec<Rounding>,
    /// Pages a Query or Scan needs under the 1 MB limit; `None` for other operations.
    pub pages: Option<u64>,
    /// Calls a BatchGetItem takes when its items add up to more than the 16 MB one call
    /// returns (the rest comes back as UnprocessedKeys); `None` when one call serves it.
    pub calls: Option<u64>,
}

impl Charge {
    fn new(
        step_bytes: u64,
        units_per_step: Decimal,
        pieces: impl IntoIterator<Item = u64>,
    ) -> Self {
        let mut roundings: Vec<Rounding> = Vec::new();
        for bytes in pieces {
            let steps = steps(bytes, step_bytes);
            match roundings.last_mut() {
                Some(last) if last.bytes == bytes => last.count += 1,
                _ => roundings.push(Rounding {
                    bytes,
                    steps,
                    count: 1,
                }),
            }
        }
        Charge {
            step_bytes,
            units_per_step,
            roundings,
            pages: None,
            calls: None,
        }
    }

    fn grouped(step_bytes: u64, units_per_step: Decimal, groups: &[(u64, u64)]) -> Self {
        let roundings = groups
            .iter()
            .filter(|&&(_, count)| count > 0)
            .map(|&(bytes, count)| Rounding {
                bytes,
                steps: steps(bytes, step_bytes),
                count,
            })
            .collect();
        Charge {
            step_bytes,
            units_per_step,
            roundings,
            pages: None,
            calls: None,
        }
    }

    /// Unit steps after rounding, before the consistency or transaction multiplier.
    pub fn steps(&self) -> u64 {
        self.roundings.iter().map(|r| r.steps * r.count).sum()
    }

    /// The size DynamoDB charges for: every piece rounded up to whole steps, summed.
    pub fn charged_bytes(&self) -> u64 {
        self.steps() * self.step_bytes
    }

    /// The size actually read or written, summed.
    pub fn bytes(&self) -> u64 {
        self.roundings.iter().map(|r| r.bytes * r.count).sum()
    }

    /// Capacity units per request: steps × units per step.
    pub fn units(&self) -> Decimal {
        Decimal::from(self.steps()) * self.units_per_step
    }
}

/// Rounds a size up to whole unit steps; an absent item (0 bytes) still costs one step (§1.2).
fn steps(bytes: u64, step_bytes: u64) -> u64 {
    bytes.div_ceil(step_bytes).max(1)
}

fn check_count(op: &'static str, items: &Items, limit: u64) -> Result<(), CapacityError> {
    let got = items.count();
    if got > limit {
        return Err(CapacityError::TooManyItems { op, limit, got });
    }
    Ok(())
}

/// Refuses a request whose items add up to more than `limit` bytes (§9 [TX], §11.3 [QUOTA]).
fn check_aggregate(op: &'static str, sizes: &[u64], limit: u64) -> Result<(), CapacityError> {
    let bytes = sizes.iter().sum();
    if bytes > limit {
        return Err(CapacityError::RequestTooLarge { op, limit, bytes });
    }
    Ok(())
}

/// Calls a BatchGetItem needs when each returns at most 16 MB (§11.3 [QUOTA]): items fill a
/// call in order while they fit; `None` when one call returns them all.
fn batch_get_calls(sizes: &[u64]) -> Option<u64> {
    let mut calls = 1;
    let mut call = 0u64;
    for &size in sizes {
        if call + size > BATCH_GET_RESPONSE_BYTES {
            calls += 1;
            call = 0;
        }
        call += size;
    }
    (calls > 1).then_some(calls)
}

fn check_item_sizes(items: &Items) -> Result<(), CapacityError> {
    let largest = items.largest();
    if largest > MAX_ITEM_BYTES {
        return Err(CapacityError::ItemTooLarge { bytes: largest });
    }
    Ok(())
}

fn each_item(items: &Items) -> Result<Vec<u64>, CapacityError> {
    match items {
        Items::Uniform { count, size } => Ok(vec![*size; *count as usize]),
        Items::Listed(sizes) => Ok(sizes.clone()),
        Items::Total(_) => Err(CapacityError::NotAllowed(
            "a total size only makes sense for query and scan, which round the summed size; give the item sizes instead".into(),
        )),
    }
}

fn single_item(op: ReadOrWrite, items: &Items) -> Result<u64, CapacityError> {
    match items {
        Items::Uniform { count: 1, size } => Ok(*size),
        Items::Listed(sizes) if sizes.len() == 1 => Ok(sizes[0]),
        _ => Err(CapacityError::NotAllowed(format!(
            "{} works on one item; use {} for several",
            op.name, op.batch
        ))),
    }
}

struct ReadOrWrite {
    name: &'static str,
    batch: &'static str,
}

/// Units one read request consumes (§1.2):
/// - GetItem: the item rounded up to 4 KB (a missing item still costs one step);
/// - BatchGetItem and TransactGetItems: every item rounded on its own (≤ 100 items);
/// - Query and Scan: sizes summed, rounded up to 4 KB once per page of at most 1 MB, the
///   limit applied before any filter. Items are packed into a page while they fit within
///   1 MB ("a result set that fits within the 1 MB size limit").
///
/// A transactional GetItem is a TransactGetItems call of one item.
pub fn read_charge(
    op: ReadOp,
    consistency: Consistency,
    items: &Items,
) -> Result<Charge, CapacityError> {
    let op = match (op, consistency) {
        (ReadOp::Get, Consistency::Transactional) => ReadOp::TransactGet,
        (ReadOp::TransactGet, Consistency::Transactional) => ReadOp::TransactGet,
        (ReadOp::TransactGet, other) => {
            return Err(CapacityError::NotAllowed(format!(
                "TransactGetItems reads are always transactional (2 units per 4 KB), not {}; drop the consistency or use op get",
                other.name()
            )))
        }
        (other, Consistency::Transactional) => {
            return Err(CapacityError::NotAllowed(format!(
                "{} cannot read transactionally; transactional reads are TransactGetItems (op transact-get)",
                other.api_name()
            )))
        }
        (other, _) => other,
    };
    check_item_sizes(items)?;
    let per_step = consistency.units_per_step();
    match op {
        ReadOp::Get => {
            let size = single_item(
                ReadOrWrite {
                    name: "GetItem",
                    batch: "batch-get",
                },
                items,
            )?;
            Ok(Charge::new(READ_STEP_BYTES, per_step, [size]))
        }
        ReadOp::BatchGet => {
            check_count("BatchGetItem", items, MAX_BATCH_GET_ITEMS)?;
            let sizes = each_item(items)?;
            let mut charge = Charge::new(READ_STEP_BYTES, per_step, sizes.iter().copied());
            charge.calls = batch_get_calls(&sizes);
            Ok(charge)
        }
        ReadOp::TransactGet => {
            check_count("TransactGetItems", items, MAX_TRANSACTION_ITEMS)?;
            let sizes = each_item(items)?;
            check_aggregate("TransactGetItems", &sizes, MAX_TRANSACTION_BYTES)?;
            Ok(Charge::new(READ_STEP_BYTES, per_step, sizes))
        }
        ReadOp::Query | ReadOp::Scan => {
            check_read_volume(op, items)?;
            Ok(paged_read(per_step, items))
        }
    }
}

/// Units a Query or Scan of a local secondary index pays on top of the index read when it asks
/// for attributes the index does not project: DynamoDB fetches each matching item from the
/// table, and each fetch is rounded up to 4 KB on its own ([LSI]: 4 entries of 200 B read
/// 4 KB, plus 4 fetched items of 300 B read 4 × 4 KB = 16 KB, 20 KB in all).
pub fn lsi_fetch_charge(
    consistency: Consistency,
    fetched: u64,
    item_bytes: u64,
) -> Result<Charge, CapacityError> {
    if consistency == Consistency::Transactional {
        return Err(CapacityError::NotAllowed(
            "an index query cannot read transactionally".into(),
        ));
    }
    check_item_sizes(&Items::one(item_bytes))?;
    let items = Items::Uniform {
        count: fetched,
        size: item_bytes,
    };
    check_read_volume(ReadOp::Query, &items)?;
    Ok(Charge::grouped(
        READ_STEP_BYTES,
        consistency.units_per_step(),
        &[(item_bytes, fetched)],
    ))
}

/// Refuses a Query or Scan over 1 EB, so that the page and unit sums cannot overflow; no real
/// table comes near it, and `--items` × `--size` can otherwise wrap around.
fn check_read_volume(op: ReadOp, items: &Items) -> Result<(), CapacityError> {
    let total = match items {
        Items::Uniform { count, size } => count.checked_mul(*size),
        Items::Listed(sizes) => sizes.iter().try_fold(0u64, |sum, &s| sum.checked_add(s)),
        Items::Total(total) => Some(*total),
    };
    match total {
        Some(total) if total <= MAX_READ_VOLUME_BYTES => Ok(()),
        _ => Err(CapacityError::NotAllowed(format!(
            "a {} of more than 1 EB ({} bytes) is beyond what capacity-plan computes",
            op.api_name(),
            crate::quantity::group_digits(MAX_READ_VOLUME_BYTES.into())
        ))),
    }
}

/// Splits what a Query or Scan evaluates into pages of at most 1 MB and rounds each page.
fn paged_read(per_step: Decimal, items: &Items) -> Charge {
    let mut charge = match *items {
        Items::Total(total) => {
            let full = total / PAGE_LIMIT_BYTES;
            let rest = total % PAGE_LIMIT_BYTES;
            let last = if rest > 0 || total == 0 { 1 } else { 0 };
            Charge::grouped(
                READ_STEP_BYTES,
                per_step,
                &[(PAGE_LIMIT_BYTES, full), (rest, last)],
            )
        }
        Items::Uniform { count, size } => {
            let per_page = PAGE_LIMIT_BYTES.checked_div(size).unwrap_or(count.max(1));
            let full = count / per_page;
            let rest = count % per_page;
            let last = if rest > 0 || count == 0 { 1 } else { 0 };
            Charge::grouped(
                READ_STEP_BYTES,
                per_step,
                &[(per_page * size, full), (rest * size, last)],
            )
        }
        Items::Listed(ref sizes) => {
            let mut pages = Vec::new();
            let mut page = 0u64;
            for &size in sizes {
                if page + size > PAGE_LIMIT_BYTES {
                    pages.push(page);
                    page = 0;
                }
                page += size;
            }
            pages.push(page);
            Charge::new(READ_STEP_BYTES, per_step, pages)
        }
    };
    charge.pages = Some(charge.roundings.iter().map(|r| r.count).sum());
    charge
}

/// Units one write request consumes on the table (§1.2, §9):
/// - PutItem and UpdateItem: the larger of the item before and after, rounded up to 1 KB;
/// - DeleteItem: the deleted item rounded up to 1 KB (a missing item still costs 1);
/// - BatchWriteItem: every item rounded on its own (≤ 25 puts or deletes, never transactional);
/// - TransactWriteItems: 2 units per 1 KB step of every item (≤ 100 items).
///
/// A transactional Put, Update or Delete is a TransactWriteItems call of one item.
/// `size_before` is the existing item's size, when there is one.
pub fn write_charge(
    op: WriteOp,
    transactional: bool,
    items: &Items,
    size_before: Option<u64>,
) -> Result<Charge, CapacityError> {
    check_item_sizes(items)?;
    if let Some(before) = size_before {
        check_item_sizes(&Items::one(before))?;
    }
    let image = |size: u64| size.max(size_before.unwrap_or(0));
    let single = |name| {
        single_item(
            ReadOrWrite {
                name,
                batch: "batch-write or transact-write",
            },
            items,
        )
        .map(image)
    };
    match op {
        WriteOp::Put | WriteOp::Update | WriteOp::Delete => {
            let size = single(op.api_name())?;
            Ok(Charge::new(
                WRITE_STEP_BYTES,
                write_units_per_step(transactional),
                [size],
            ))
        }
        WriteOp::BatchWrite if transactional => Err(CapacityError::NotAllowed(
            "BatchWriteItem is not transactional; use op transact-write for a transaction".into(),
        )),
        WriteOp::BatchWrite | WriteOp::TransactWrite => {
            let batch = op == WriteOp::BatchWrite;
            let (max_items, max_bytes) = if batch {
                (MAX_BATCH_WRITE_ITEMS, MAX_BATCH_WRITE_BYTES)
            } else {
                (MAX_TRANSACTION_ITEMS, MAX_TRANSACTION_BYTES)
            };
            check_count(op.api_name(), items, max_items)?;
            let sizes = each_item(items)?;
            check_aggregate(op.api_name(), &sizes, max_bytes)?;
            Ok(Charge::new(
                WRITE_STEP_BYTES,
                write_units_per_step(!batch),
                sizes.into_iter().map(image),
            ))
        }
    }
}

/// What a base-table write does to one index entry (§3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexEvent {
    /// The item newly carries the index key: one put.
    Insert,
    /// The entry stays under the same key but a projected attribute changes: one write.
    Update,
    /// The index key value changes: delete the old entry and put the new one, two writes.
    KeyChange,
    /// The item loses the index key: one delete.
    Remove,
    /// Neither key nor projected attributes change, or the item is not in the index: nothing.
    Untouched,
}

impl IndexEvent {
    /// Index writes for one base-table write (§3.2).
    pub fn writes(self) -> u64 {
        match self {
            IndexEvent::Insert | IndexEvent::Update | IndexEvent::Remove => 1,
            IndexEvent::KeyChange => 2,
            IndexEvent::Untouched => 0,
        }
    }

    /// What a write usually does to an index entry when nothing more is said: a put inserts
    /// it, an update rewrites it in place, a delete removes it.
    pub fn for_op(op: WriteOp) -> Self {
        match op {
            WriteOp::Put | WriteOp::BatchWrite | WriteOp::TransactWrite => IndexEvent::Insert,
            WriteOp::Update => IndexEvent::Update,
            WriteOp::Delete => IndexEvent::Remove,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            IndexEvent::Insert => "insert",
            IndexEvent::Update => "update",
            IndexEvent::KeyChange => "key-change",
            IndexEvent::Remove => "remove",
            IndexEvent::Untouched => "untouched",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            IndexEvent::Insert => "insert: one put of the new entry",
            IndexEvent::Update => "update in place: one write of the entry",
            IndexEvent::KeyChange => "key change: delete of the old entry + put of the new one",
            IndexEvent::Remove => "remove: one delete of the entry",
            IndexEvent::Untouched => "untouched: no index write",
        }
    }
}

/// Write units one base-table write costs an index: writes × the entry rounded up to 1 KB
/// (§3.2). Index writes are standard writes even when the base write is transactional: the
/// 2x applies to the base-table write only (the reading documented in docs/rules.md; AWS's
/// agent toolkit verified it against ReturnConsumedCapacity).
pub fn index_write_units(entry_bytes: u64, event: IndexEvent) -> u64 {
    event.writes() * steps(entry_bytes, WRITE_STEP_BYTES)
}

/// Requests per second a capacity sustains when each request costs `units_per_request`.
pub fn sustained_requests(capacity_units: Decimal, units_per_request: Decimal) -> Decimal {
    capacity_units / units_per_request
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::KB;
    use rust_decimal::dec;

    fn kb(x: Decimal) -> u64 {
        use rust_decimal::prelude::ToPrimitive;
        (x * Decimal::from(KB)).ceil().to_u64().unwrap()
    }

    #[test]
    fn aws_8kb_read_example() {
        // §1.1 [PRICE-PROV][RW]: an 8 KB item costs 2 units strong, 1 eventual, 4 transactional.
        let item = Items::one(8 * KB);
        let units = |c| read_charge(ReadOp::Get, c, &item).unwrap().units();
        assert_eq!(units(Consistency::Strong), dec!(2));
        assert_eq!(units(Consistency::Eventual), dec!(1));
        assert_eq!(units(Consistency::Transactional), dec!(4));
    }

    #[test]
    fn aws_3kb_write_example() {
        // §1.1 [PRICE-PROV][RW]: a 3 KB write costs 3 WCU, or 6 WCU transactionally.
        let item = Items::one(3 * KB);
        assert_eq!(
            write_charge(WriteOp::Put, false, &item, None)
                .unwrap()
                .units(),
            dec!(3)
        );
        assert_eq!(
            write_charge(WriteOp::Put, true, &item, None)
                .unwrap()
                .units(),
            dec!(6)
        );
    }

    #[test]
    fn missing_items_cost_the_minimum() {
        // §1.2 [RW][OD2023]: GetItem of a missing item is still 1 (strong) or 0.5 (eventual);
        // [GHDEL]: DeleteItem of a missing item is 1 WCU.
        let missing = Items::one(0);
        assert_eq!(
            read_charge(ReadOp::Get, Consistency::Strong, &missing)
                .unwrap()
                .units(),
            dec!(1)
        );
        assert_eq!(
            read_charge(ReadOp::Get, Consistency::Eventual, &missing)
                .unwrap()
                .units(),
            dec!(0.5)
        );
        assert_eq!(
            write_charge(WriteOp::Delete, false, &missing, None)
                .unwrap()
                .units(),
            dec!(1)
        );
    }

    #[test]
    fn batch_get_rounds_each_item() {
        // §1.2 [RW][CONS]: 1.5 KB + 6.5 KB = 4 KB + 8 KB = 12 KB, not 8 KB.
        let items = Items::Listed(vec![kb(dec!(1.5)), kb(dec!(6.5))]);
        let charge = read_charge(ReadOp::BatchGet, Consistency::Strong, &items).unwrap();
        assert_eq!(charge.charged_bytes(), 12 * KB);
        assert_eq!(charge.units(), dec!(3));
    }

    #[test]
    fn query_rounds_the_summed_size() {
        // §1.2 [RW]: 10 items totalling 40.8 KB round to 44 KB; 1500 × 64 B = 96 KB.
        let total = Items::Total(kb(dec!(40.8)));
        let charge = read_charge(ReadOp::Query, Consistency::Strong, &total).unwrap();
        assert_eq!(charge.charged_bytes(), 44 * KB);
        assert_eq!(charge.units(), dec!(11));
        assert_eq!(charge.pages, Some(1));
        let small = Items::Uniform {
            count: 1500,
            size: 64,
        };
        let charge = read_charge(ReadOp::Query, Consistency::Strong, &small).unwrap();
        assert_eq!(charge.charged_bytes(), 96 * KB);
        assert_eq!(charge.units(), dec!(24));
    }

    #[test]
    fn eventual_query_of_80kb_is_10_units() {
        // §1.1 [RW2023]: an eventually consistent read of 80 KB total is 10 units.
        let charge =
            read_charge(ReadOp::Query, Consistency::Eventual, &Items::Total(80 * KB)).unwrap();
        assert_eq!(charge.units(), dec!(10));
    }

    #[test]
    fn scan_pages_at_one_megabyte() {
        // §1.2 [QF][CONS]: a call reads at most 1 MB; a 20 GB table is 20,480 pages of 256 steps.
        let charge =
            read_charge(ReadOp::Scan, Consistency::Eventual, &Items::Total(20 << 30)).unwrap();
        assert_eq!(charge.pages, Some(20_480));
        assert_eq!(charge.steps(), 20_480 * 256);
        assert_eq!(charge.units(), dec!(2621440));
        // 3,000-byte items: 349 fit in 1 MB (1,047,000 B = 256 steps), so 1,000 items take
        // 3 pages: 349 + 349 + 302 items.
        let items = Items::Uniform {
            count: 1000,
            size: 3000,
        };
        let charge = read_charge(ReadOp::Scan, Consistency::Strong, &items).unwrap();
        assert_eq!(charge.pages, Some(3));
        assert_eq!(charge.steps(), 256 + 256 + 222);
    }

    #[test]
    fn listed_sizes_fill_pages_in_order() {
        // 300 + 300 + 300 KB fit in one 1 MB page; the next 200 KB item starts a second.
        let items = Items::Listed(vec![300 * KB, 300 * KB, 300 * KB, 200 * KB]);
        let charge = read_charge(ReadOp::Query, Consistency::Strong, &items).unwrap();
        assert_eq!(charge.pages, Some(2));
        assert_eq!(charge.steps(), 225 + 50);
    }

    #[test]
    fn empty_query_still_costs_one_step() {
        // §1.2 [RW]: a Query that finds nothing is still charged; the minimum is one step.
        let charge = read_charge(ReadOp::Query, Consistency::Eventual, &Items::Total(0)).unwrap();
        assert_eq!(charge.units(), dec!(0.5));
        assert_eq!(charge.pages, Some(1));
    }

    #[test]
    fn put_and_update_use_the_larger_image() {
        // §1.2 [RW]: PutItem/UpdateItem charge max(old, new); 300 KB → 310 KB is 310 WCU.
        let charge = write_charge(
            WriteOp::Update,
            false,
            &Items::one(300 * KB),
            Some(310 * KB),
        )
        .unwrap();
        assert_eq!(charge.units(), dec!(310));
        let charge = write_charge(WriteOp::Put, false, &Items::one(2 * KB), Some(500)).unwrap();
        assert_eq!(charge.units(), dec!(2));
    }

    #[test]
    fn batch_write_rounds_each_item() {
        // §1.2 [RW][CONS]: 500 B + 3.5 KB = 1 KB + 4 KB = 5 KB.
        let items = Items::Listed(vec![500, kb(dec!(3.5))]);
        let charge = write_charge(WriteOp::BatchWrite, false, &items, None).unwrap();
        assert_eq!(charge.units(), dec!(5));
        assert_eq!(charge.charged_bytes(), 5 * KB);
    }

    #[test]
    fn transactions_cost_two_per_item() {
        // §9 [TX]: 1 tx/s writing three 500-byte items needs 6 WCU; reading them needs 6 RCU.
        let items = Items::Uniform {
            count: 3,
            size: 500,
        };
        assert_eq!(
            write_charge(WriteOp::TransactWrite, true, &items, None)
                .unwrap()
                .units(),
            dec!(6)
        );
        assert_eq!(
            read_charge(ReadOp::TransactGet, Consistency::Transactional, &items)
                .unwrap()
                .units(),
            dec!(6)
        );
    }

    #[test]
    fn limits_are_enforced_with_their_numbers() {
        let many = |count| Items::Uniform { count, size: 100 };
        let err = write_charge(WriteOp::BatchWrite, false, &many(26), None).unwrap_err();
        assert!(err.to_string().contains("at most 25"), "{err}");
        let err = read_charge(ReadOp::BatchGet, Consistency::Strong, &many(101)).unwrap_err();
        assert!(err.to_string().contains("at most 100"), "{err}");
        let err = write_charge(WriteOp::TransactWrite, true, &many(101), None).unwrap_err();
        assert!(err.to_string().contains("at most 100"), "{err}");
        let err =
            read_charge(ReadOp::Get, Consistency::Strong, &Items::one(400 * KB + 1)).unwrap_err();
        assert!(err.to_string().contains("400 KB"), "{err}");
        assert!(read_charge(ReadOp::Get, Consistency::Strong, &Items::one(400 * KB)).is_ok());
        let err = read_charge(ReadOp::TransactGet, Consistency::Strong, &many(2)).unwrap_err();
        assert!(err.to_string().contains("always transactional"), "{err}");
        let err = read_charge(ReadOp::Query, Consistency::Transactional, &many(2)).unwrap_err();
        assert!(err.to_string().contains("transact-get"), "{err}");
        assert!(write_charge(WriteOp::BatchWrite, true, &many(2), None).is_err());
    }

    #[test]
    fn oversized_query_is_refused_not_overflowed() {
        // u64::MAX items of 400 KB used to overflow the byte and step sums.
        let huge = Items::Uniform {
            count: u64::MAX,
            size: 400 * KB,
        };
        let err = read_charge(ReadOp::Query, Consistency::Strong, &huge).unwrap_err();
        assert!(err.to_string().contains("1 EB"), "{err}");
        assert!(read_charge(ReadOp::Scan, Consistency::Strong, &Items::Total(1 << 60)).is_ok());
    }

    #[test]
    fn index_writes_by_event() {
        // §3.2 [GSI][LSI]: insert 1, in-place update 1, key change 2, remove 1, untouched 0;
        // each write sized by the index entry rounded up to 1 KB.
        assert_eq!(index_write_units(300, IndexEvent::Insert), 1);
        assert_eq!(index_write_units(300, IndexEvent::Update), 1);
        assert_eq!(index_write_units(300, IndexEvent::KeyChange), 2);
        assert_eq!(index_write_units(300, IndexEvent::Remove), 1);
        assert_eq!(index_write_units(300, IndexEvent::Untouched), 0);
        assert_eq!(index_write_units(1500, IndexEvent::KeyChange), 4);
    }

    #[test]
    fn throughput_sustained() {
        // 100 RCU of strongly consistent 6 KB reads (2 units each) sustain 50 reads/s.
        assert_eq!(sustained_requests(dec!(100), dec!(2)), dec!(50));
    }
}
