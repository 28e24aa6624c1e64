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
    pub partitions: u32,
    /// Share of the lane's requests on its hottest key (0 when the spec gives no skew).
    pub hot_key: f64,
    /// Units per second one partition, and one key, can serve: 3,000 reads or 1,000 writes.
    pub ceiling: f64,
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
    /// §4 [PART]: partitions are added when throughput is raised beyond what the current ones
    /// carry, so there are at least enough for `units` per second. They are never merged
    /// (widely reported, uncertain), and each keeps its burst credit.
    pub fn split_for(&mut self, units: f64) {
        let needed = (units / self.ceiling).ceil().max(1.0) as u32;
        self.partitions = self.partitions.max(needed);
    }

    /// Partitions other than the hottest key's.
    pub fn cold_partitions(&self) -> f64 {
        f64::from(self.partitions.max(1) - 1)
    }

    /// Share of demand on the hot partition. Adaptive capacity isolates a key hotter than an
    /// even share on a partition of its own (§4 [BURST] hot-item isolation); otherwise the
    /// partitions share demand evenly. A single partition takes everything.
    pub fn hot_share(&self) -> f64 {
        if self.partitions <= 1 {
            1.0
        } else {
            self.hot_key.max(1.0 / f64::from(self.partitions))
        }
    }

    /// Applies the ceilings of §4 [BPPK][BURST][THRDIAG]: a single key serves at most
    /// `ceiling` units per second, and so does a partition, whatever the table's capacity or mode.
    pub fn spread(&self, demand: f64) -> Spread {
        let hot_share = self.hot_share();
        let cold_share = if self.partitions <= 1 {
            0.0
        } else {
            (1.0 - hot_share) / self.cold_partitions()
        };
        let key_excess = (demand * self.hot_key - self.ceiling).max(0.0);
        let hot = demand * hot_share - key_excess;
        let hot_excess = (hot - self.ceiling).max(0.0);
        let cold = demand * cold_share;
        let cold_excess = (cold - self.ceiling).max(0.0);
        Spread {
            hot: hot - hot_excess,
            cold: cold - cold_excess,
            key_range: key_excess + hot_excess + cold_excess * self.cold_partitions(),
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
            let layout = Layout {
                partitions,
                hot_key: 1.0,
                ceiling: 1_000.0,
            };
            let spread = layout.spread(1_500.0);
            assert_eq!(spread.key_range, 500.0, "{partitions} partitions");
            assert_eq!(spread.hot, 1_000.0);
        }
    }

    #[test]
    fn even_spread_conserves_demand() {
        let layout = Layout {
            partitions: 4,
            hot_key: 0.0,
            ceiling: 1_000.0,
        };
        let spread = layout.spread(4_400.0);
        assert_eq!(spread.hot, 1_000.0);
        assert_eq!(spread.cold, 1_000.0);
        assert_eq!(spread.key_range, 400.0);
    }
}
