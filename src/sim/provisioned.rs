//! Provisioned capacity (docs/sources.md §4). Adaptive capacity is instant and lends the
//! table's unused capacity to any partition, so a table throttles only when its total demand
//! passes its capacity, or a partition (or key) its 3,000 / 1,000 units a second [BURST][BPPK].
//! Burst credit banks up to 300 seconds of the unused capacity.
//!
//! **Reading:** the credit is pooled per table or GSI, as AWS documents it ("retains up to five
//! minutes of unused read and write capacity"), not kept per partition: per-partition buckets
//! are not observable, and with them more capacity (so more, smaller partitions) could throttle
//! more, which nothing in AWS's documentation supports.

use super::partitions::Layout;

/// One table or GSI, reads or writes, at a provisioned capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct Provisioned {
    /// Units per second of the whole table or GSI.
    pub capacity: f64,
    /// Changing the capacity goes through `set_capacity`; the layout's own splits (size,
    /// heat) do not touch the credit.
    pub layout: Layout,
    burst_seconds: f64,
    /// Burst credit. It starts empty: a new table, or one that has been busy, has none banked.
    bank: f64,
    /// Seconds served within capacity since the bank was last brought up to date, and the
    /// units they served: each such second banks `capacity - served`, so the bank depends on
    /// these two sums alone and is updated lazily (exact: it only grows in such seconds).
    pending: (f64, f64),
    /// The units the last second served, when it was within capacity.
    last: Option<f64>,
    /// Credit the last second drew.
    drawn: f64,
}

impl Provisioned {
    /// A table with no credit banked: new, or busy up to now.
    pub fn new(capacity: f64, layout: Layout, burst_seconds: f64) -> Self {
        Provisioned {
            capacity,
            layout,
            burst_seconds,
            bank: 0.0,
            pending: (0.0, 0.0),
            last: None,
            drawn: 0.0,
        }
    }

    /// A table that has run under its capacity for at least `burst_seconds` before the start:
    /// it has banked the full credit (§4 [BURST]).
    pub fn rested(mut self) -> Self {
        self.bank = self.limit();
        self
    }

    /// A scaling change takes effect; partitions split to carry it. Credit above the new
    /// limit is lost, as banking each second would lose it.
    pub fn set_capacity(&mut self, capacity: f64) {
        self.settle();
        self.capacity = capacity;
        self.bank = self.bank.min(self.limit());
        self.layout.split_for(capacity);
    }

    fn limit(&self) -> f64 {
        self.capacity * self.burst_seconds
    }

    /// The last second was within capacity: the same demand again changes only the credit.
    pub fn repeatable(&self) -> bool {
        self.last.is_some()
    }

    /// Plays the last (repeatable) second `seconds` more times.
    pub fn repeat(&mut self, seconds: f64) {
        if let Some(served) = self.last {
            self.pending.0 += seconds;
            self.pending.1 += served * seconds;
        }
    }

    /// Brings the bank up to date before credit is drawn or the capacity changes.
    fn settle(&mut self) {
        let (seconds, served) = std::mem::take(&mut self.pending);
        if seconds > 0.0 {
            let limit = self.limit();
            bank_unused(&mut self.bank, seconds * self.capacity - served, limit);
        }
    }

    /// Serves one second of the `wanted` units the partition ceilings let through: up to the
    /// capacity, then from burst credit. Returns the units served; the rest is throttled as
    /// `ProvisionedThroughputExceeded`.
    pub fn serve(&mut self, wanted: f64) -> f64 {
        self.drawn = 0.0;
        if wanted <= self.capacity {
            self.last = Some(wanted);
            self.repeat(1.0);
            wanted
        } else {
            self.settle();
            self.last = None;
            self.drawn = burst(&mut self.bank, wanted - self.capacity);
            self.capacity + self.drawn
        }
    }

    /// Serves a second of each of `units`, every one within the capacity, as `serve` would.
    pub fn serve_within(&mut self, units: &[f64]) {
        debug_assert!(units.iter().all(|&u| u <= self.capacity));
        for &u in units {
            self.pending.1 += u;
        }
        // Whole seconds add exactly, in any grouping.
        self.pending.0 += units.len() as f64;
        self.drawn = 0.0;
        self.last = units.last().copied().or(self.last);
    }

    /// `units` of the last second's served ones were not written after all (a GSI refused
    /// their index entries, §3.3 [GSITHR]): the credit they drew goes back and the capacity
    /// they would have used is unused.
    pub fn refund(&mut self, units: f64) {
        match self.last {
            Some(served) => {
                self.pending.1 -= units;
                self.last = Some(served - units);
            }
            None => {
                let back = units.min(self.drawn);
                self.drawn -= back;
                self.bank += back;
                let limit = self.limit();
                bank_unused(&mut self.bank, units - back, limit);
            }
        }
    }
}

/// §4 [BURST]: demand over capacity spends banked burst credit; what is not covered is
/// throttled. Returns the units drawn.
fn burst(bank: &mut f64, excess: f64) -> f64 {
    let drawn = excess.min(*bank);
    *bank -= drawn;
    drawn
}

/// §4 [BURST][RP-SPIKY]: unused capacity is banked, up to 300 seconds of the capacity.
fn bank_unused(bank: &mut f64, unused: f64, limit: f64) {
    *bank = (*bank + unused).min(limit);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::partitions::Admitted;

    fn table(capacity: f64, partitions: u32, ceiling: f64) -> Provisioned {
        let layout = Layout::new(partitions, &[], ceiling, 5);
        Provisioned::new(capacity, layout, 300.0)
    }

    /// One second of `demand` through the ceilings and the capacity: served, key-range,
    /// uniform and capacity throttles.
    fn play(t: &mut Provisioned, demand: f64) -> (f64, f64, f64, f64) {
        let mut admitted = Admitted::default();
        t.layout.admit(demand, None, &mut admitted);
        let served = t.serve(admitted.total);
        (
            served,
            admitted.key_range,
            admitted.uniform,
            admitted.total - served,
        )
    }

    /// §4 [RP-SPIKY]: 150 RCU idle for 5 minutes banks 45,000 units; 200 RCU of demand then
    /// lasts 900 s on burst and throttles 50/s from the 901st second.
    #[test]
    fn burst_of_an_idle_table_lasts_900_seconds() {
        let mut t = table(150.0, 1, 3_000.0);
        for _ in 0..300 {
            t.serve(0.0);
        }
        t.settle();
        assert_eq!(t.bank, 45_000.0);
        for second in 0..900 {
            assert_eq!(t.serve(200.0), 200.0, "second {second}");
        }
        assert_eq!(play(&mut t, 200.0), (150.0, 0.0, 0.0, 50.0));
    }

    /// §4: a 60 WCU table receiving 3,600 writes in one second serves 60 of them (no credit
    /// banked yet) although the minute's average, 60/s, equals its capacity; with 300 s of
    /// credit banked it still serves only 1,000, the partition ceiling. The writes spread
    /// evenly over the keys, so the 2,600 over the partition are the capacity's to fix (more
    /// capacity, more partitions), `uniform`, not a hot key's.
    #[test]
    fn a_one_second_spike_throttles_though_the_minute_average_fits() {
        let mut t = table(60.0, 1, 1_000.0);
        assert_eq!(play(&mut t, 3_600.0), (60.0, 0.0, 2_600.0, 940.0));
        let rest: f64 = (1..60).map(|_| t.serve(0.0)).sum();
        assert_eq!(rest, 0.0, "the other 59 seconds have nothing to serve");

        let mut banked = table(60.0, 1, 1_000.0).rested();
        assert_eq!(play(&mut banked, 3_600.0), (1_000.0, 0.0, 2_600.0, 0.0));
    }

    /// §3.3 [GSITHR]: units refunded after a GSI refused them give back the credit they drew.
    #[test]
    fn a_refund_returns_the_credit() {
        let mut t = table(100.0, 1, 1_000.0).rested();
        assert_eq!(t.serve(150.0), 150.0);
        t.refund(50.0);
        t.settle();
        assert_eq!(t.bank, 30_000.0);
    }

    /// §4 [BURST] AWS example: 400 WCU over 4 partitions serves 150 WCU on one partition
    /// (its share is 100) by lending the others' unused capacity: a key with a third of 300
    /// WCU shares its partition with 50 of the rest, and each other partition has 50.
    #[test]
    fn adaptive_capacity_serves_a_hot_partition() {
        let layout = Layout::new(4, &[1.0 / 3.0], 1_000.0, 5);
        let mut t = Provisioned::new(400.0, layout, 300.0);
        let (served, key_range, uniform, over) = play(&mut t, 300.0);
        assert!((served - 300.0).abs() < 1e-9, "{served}");
        assert_eq!(key_range + uniform + over, 0.0);
    }
}
