//! DynamoDB's capacity-unit math: what each operation consumes, how big an item is, what an
//! index write costs and what a given capacity sustains. Pure functions, no I/O.
//!
//! Every rule cites its source tag (docs/sources.md); docs/rules.md gives the readings we chose.

pub mod item_size;
mod mode;
mod operations;
pub mod partitions;

pub use mode::{CapacityMode, TableClass};
pub use operations::{
    index_write_units, lsi_fetch_charge, read_charge, sustained_requests, write_charge, Charge,
    Consistency, IndexEvent, Items, ReadOp, Rounding, WriteOp,
};

use crate::quantity::{KB, MB};

/// Reads are charged in 4 KB steps (§1.1).
pub const READ_STEP_BYTES: u64 = 4 * KB;
/// Writes are charged in 1 KB steps (§1.1).
pub const WRITE_STEP_BYTES: u64 = KB;
/// A Query or Scan call reads at most 1 MB, before any filter (§1.2).
pub const PAGE_LIMIT_BYTES: u64 = MB;
/// The most a single Query or Scan question may read in all: 1 EB (2^60 bytes), far above any
/// real table, so that unit sums stay exact in `u64` and `Decimal`.
pub const MAX_READ_VOLUME_BYTES: u64 = 1 << 60;
/// The largest item, attribute names included (§2.3): 400 KB = 409,600 bytes.
pub const MAX_ITEM_BYTES: u64 = 400 * KB;
/// BatchGetItem takes at most 100 keys (§11.3).
pub const MAX_BATCH_GET_ITEMS: u64 = 100;
/// BatchWriteItem takes at most 25 puts or deletes (§11.3).
pub const MAX_BATCH_WRITE_ITEMS: u64 = 25;
/// TransactGetItems and TransactWriteItems take at most 100 items (§9).
pub const MAX_TRANSACTION_ITEMS: u64 = 100;
/// The items of one transaction add up to at most 4 MB (§9 [TX], "The aggregate size of the
/// items in the transaction cannot exceed 4 MB"); over it DynamoDB answers ValidationException.
pub const MAX_TRANSACTION_BYTES: u64 = 4 * MB;
/// A BatchWriteItem request is at most 16 MB (§11.3 [QUOTA]). 25 items of at most 400 KB add up
/// to 10,000 KB, so the item limits already keep every batch under it.
pub const MAX_BATCH_WRITE_BYTES: u64 = 16 * MB;
/// A BatchGetItem call returns at most 16 MB (§11.3 [QUOTA]); the keys beyond come back as
/// UnprocessedKeys and take further calls, each charged for what it reads.
pub const BATCH_GET_RESPONSE_BYTES: u64 = 16 * MB;

/// Target utilization when a spec sets none: AWS's recommended and console default for
/// autoscaling, also used to size fixed provisioned capacity from a peak (§5.1 [PROV]).
pub const DEFAULT_TARGET_UTILIZATION: rust_decimal::Decimal =
    rust_decimal::Decimal::from_parts(7, 0, 0, false, 1);

/// Why an operation cannot be priced as asked; each message names the limit and the fix.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CapacityError {
    #[error(
        "{op} takes at most {limit} items, not {got} (DynamoDB limit); split it into several calls"
    )]
    TooManyItems {
        op: &'static str,
        limit: u64,
        got: u64,
    },
    #[error("an item of {bytes} bytes is over DynamoDB's 400 KB item limit (409,600 bytes, attribute names included)")]
    ItemTooLarge { bytes: u64 },
    #[error(
        "{op} items add up to {}, over DynamoDB's {} aggregate limit: the call fails with a ValidationException rather than costing units; split it into several calls",
        crate::quantity::Size::from_bytes(*bytes),
        crate::quantity::Size::from_bytes(*limit)
    )]
    RequestTooLarge {
        op: &'static str,
        limit: u64,
        bytes: u64,
    },
    #[error("{0}")]
    NotAllowed(String),
}
