//! How a lane's demand spreads over partitions, and the per-partition and per-key ceilings that
//! apply in every capacity mode (dynamodb-rules.md §4).
//!
//! Partitions are grouped into two classes whose members see identical demand and so evolve
//! identically: the partition holding the hottest key, and the others. Simulating one member of
//! each class is exact for this layout and keeps the work per second independent of the count.

/// The partition layout of one table or GSI for reads or writes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Layout {
    /// Partitions of the table or index (at least 1).
    partitions: u32,
    /// Share of the lane's requests on its hottest key (0 when the spec gives no skew).
    hot_key: f64,
    /// Units per second one partition, and one key, can serve: 3,000 reads or 1,000 writes.
    pub ceiling: f64,
    /// Shares of demand on the hot partition and on each other one, and how many others:
    /// derived from the fields above once, not every second.
    hot_share: f64,
    cold_share: f64,
    cold_partitions: f64,
}

/// Demand on each class after the key-range ceilings, and what those ceilings throttled.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    /// Demand on the hottest key's partition.
    pub hot: f64,
    /// Demand on each of the other `partitions - 1` partitions.
    pub cold: f64,
    /// Units throttled by the per-key or per-partition ceiling (`KeyRangeThroughputExceeded`).
    pub key_range: f64,
}

impl Layout {
    pub fn new(partitions: u32, hot_key: f64, ceiling: f64) -> Self {
        let mut layout = Layout {
            partitions: partitions.max(1),
            hot_key,
            ceiling,
            hot_share: 1.0,
            cold_share: 0.0,
            cold_partitions: 0.0,
        };
        layout.derive_shares();
        layout
    }

    pub fn partitions(&self) -> u32 {
        self.partitions
    }

    /// §4 [PART]: partitions are added when throughput is raised beyond what the current ones
    /// carry, so there are at least enough for `units` per second. They are never merged
    /// (widely reported, uncertain), and each keeps its burst credit.
    pub fn split_for(&mut self, units: f64) {
        let needed = (units / self.ceiling).ceil().max(1.0) as u32;
        if needed > self.partitions {
            self.partitions = needed;
            self.derive_shares();
        }
    }

    /// Partitions other than the hottest key's.
    pub fn cold_partitions(&self) -> f64 {
        self.cold_partitions
    }

    /// Adaptive capacity isolates a key hotter than an even share on a partition of its own
    /// (§4 [BURST] hot-item isolation); otherwise the partitions share demand evenly. A single
    /// partition takes everything.
    fn derive_shares(&mut self) {
        let n = f64::from(self.partitions);
        self.cold_partitions = n - 1.0;
        if self.partitions == 1 {
            self.hot_share = 1.0;
            self.cold_share = 0.0;
        } else {
            self.hot_share = self.hot_key.max(1.0 / n);
            self.cold_share = (1.0 - self.hot_share) / self.cold_partitions;
        }
    }

    /// Applies the ceilings of §4 [BPPK][BURST][THRDIAG]: a single key serves at most
    /// `ceiling` units per second, and so does a partition, whatever the table's capacity or mode.
    pub fn spread(&self, demand: f64) -> Spread {
        let key_excess = (demand * self.hot_key - self.ceiling).max(0.0);
        let hot = demand * self.hot_share - key_excess;
        let hot_excess = (hot - self.ceiling).max(0.0);
        let cold = demand * self.cold_share;
        let cold_excess = (cold - self.ceiling).max(0.0);
        Spread {
            hot: hot - hot_excess,
            cold: cold - cold_excess,
            key_range: key_excess + hot_excess + cold_excess * self.cold_partitions,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// §4 [BURST]: one key at 1,500 WCU throttles 500/s whatever the table's capacity.
    #[test]
    fn one_hot_key_is_capped_at_1000_writes() {
        for partitions in [1, 4, 40] {
            let layout = Layout::new(partitions, 1.0, 1_000.0);
            let spread = layout.spread(1_500.0);
            assert_eq!(spread.key_range, 500.0, "{partitions} partitions");
            assert_eq!(spread.hot, 1_000.0);
        }
    }

    #[test]
    fn even_spread_conserves_demand() {
        let layout = Layout::new(4, 0.0, 1_000.0);
        let spread = layout.spread(4_400.0);
        assert_eq!(spread.hot, 1_000.0);
        assert_eq!(spread.cold, 1_000.0);
        assert_eq!(spread.key_range, 400.0);
    }
}
