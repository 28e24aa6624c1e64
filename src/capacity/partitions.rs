//! Partition limits and the partition-count heuristic (docs/sources.md §4).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::quantity::GB;

/// A partition, and a single key, serve at most 3,000 read units per second (§4 [BPPK]).
pub const PARTITION_READ_UNITS: u64 = 3_000;
/// A partition, and a single key, serve at most 1,000 write units per second (§4 [BPPK]).
pub const PARTITION_WRITE_UNITS: u64 = 1_000;
/// A partition holds about 10 GB (§4 [CONS][LSI]); so does an LSI item collection.
pub const PARTITION_BYTES: u64 = 10 * GB;
/// Default per-table (and per-GSI) throughput quota, reads and writes each (§11.3 [QUOTA]).
pub const TABLE_QUOTA_UNITS: u64 = 40_000;

/// Partitions a table or index needs: `max(⌈RCU/3000 + WCU/1000⌉, ⌈GB/10⌉)`, at least 1.
/// This is the heuristic from a 2016 AWS talk ([HOULIHAN], uncertain): DynamoDB no longer
/// documents its partitioning, so the figure is an estimate for hot-spot analysis, not a fact.
pub fn partitions_needed(read_units: Decimal, write_units: Decimal, bytes: u64) -> u64 {
    let throughput = (read_units / Decimal::from(PARTITION_READ_UNITS)
        + write_units / Decimal::from(PARTITION_WRITE_UNITS))
    .ceil()
    .to_u64()
    .unwrap_or(u64::MAX);
    throughput.max(bytes.div_ceil(PARTITION_BYTES)).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::dec;

    #[test]
    fn houlihan_partition_heuristic() {
        // §4 [HOULIHAN]: max(ceil(RCU/3000 + WCU/1000), ceil(GB/10)).
        assert_eq!(partitions_needed(dec!(0), dec!(0), 0), 1);
        assert_eq!(partitions_needed(dec!(6000), dec!(1000), 0), 3);
        assert_eq!(partitions_needed(dec!(1000), dec!(500), 25 * GB), 3);
        assert_eq!(partitions_needed(dec!(3000), dec!(0), 10 * GB), 1);
    }
}
