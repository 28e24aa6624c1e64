//! Provisioned capacity (dynamodb-rules.md §4): the table's units spread evenly over its
//! partitions, adaptive capacity lending unused units to partitions over their share, and burst
//! credit of up to 300 seconds of each partition's unused capacity.

use super::partitions::Layout;
use super::{Cause, Served};

/// One table or GSI, reads or writes, at a provisioned capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct Provisioned {
    /// Units per second of the whole table or GSI.
    pub capacity: f64,
    pub layout: Layout,
    burst_seconds: f64,
    /// Burst credit of the hot partition and of each other partition. Credit starts empty:
    /// a new table, or one that has been busy, has none banked.
    banks: [f64; 2],
    /// Unused capacity of each class in the last second, when it was served within shares.
    unused: Option<[f64; 2]>,
}

impl Provisioned {
    pub fn new(capacity: f64, layout: Layout, burst_seconds: f64) -> Self {
        Provisioned {
            capacity,
            layout,
            burst_seconds,
            banks: [0.0; 2],
            unused: None,
        }
    }

    /// A scaling change takes effect; partitions split to carry it.
    pub fn set_capacity(&mut self, capacity: f64) {
        self.capacity = capacity;
        self.layout.split_for(capacity);
    }

    /// The last second drew no credit and lent nothing: the same demand again changes only
    /// the banked credit.
    pub fn repeatable(&self) -> bool {
        self.unused.is_some()
    }

    /// Plays the last (repeatable) second `seconds` more times.
    pub fn repeat(&mut self, seconds: f64) {
        if let Some(unused) = self.unused {
            let limit = self.share() * self.burst_seconds;
            for (bank, unused) in self.banks.iter_mut().zip(unused) {
                bank_unused(bank, unused * seconds, limit);
            }
        }
    }

    /// Capacity of one partition.
    fn share(&self) -> f64 {
        self.capacity / f64::from(self.layout.partitions())
    }

    /// Serves one second of `demand` units.
    pub fn serve(&mut self, demand: f64) -> Served {
        let spread = self.layout.spread(demand);
        let count = [1.0, self.layout.cold_partitions()];
        let share = self.share();
        let want = [spread.hot, spread.cold];
        let (served, throttled) = if want[0] <= share && want[1] <= share {
            // Every partition within its share: nothing to lend, draw or throttle.
            let unused = want.map(|w| share - w);
            self.unused = Some(unused);
            self.repeat(1.0);
            (want[0] + count[1] * want[1], 0.0)
        } else {
            self.unused = None;
            self.serve_over_share(count, share, want)
        };
        let mut out = Served {
            served,
            ..Served::default()
        };
        out.throttled[Cause::KeyRange as usize] = spread.key_range;
        out.throttled[Cause::ProvisionedThroughput as usize] = throttled;
        out
    }

    /// Some partition wants more than its share: adaptive capacity, then burst credit.
    fn serve_over_share(&mut self, count: [f64; 2], share: f64, want: [f64; 2]) -> (f64, f64) {
        let base = want.map(|d| d.min(share));
        let unused = base.map(|b| share - b);
        let mut excess = [want[0] - base[0], want[1] - base[1]];
        let (lent, kept) = adaptive_capacity(&count, &unused, &mut excess);
        let (mut served, mut throttled) = (0.0, 0.0);
        for c in 0..2 {
            let drawn = burst(&mut self.banks[c], excess[c]);
            bank_unused(
                &mut self.banks[c],
                unused[c] * kept,
                share * self.burst_seconds,
            );
            served += count[c] * (base[c] + lent[c] + drawn);
            throttled += count[c] * (excess[c] - drawn);
        }
        (served, throttled)
    }
}

/// §4 [BURST][BPPK] adaptive capacity: unused capacity of the table this second is lent to
/// partitions over their share, in proportion to their excess, as long as the table total is
/// not exceeded (the partition ceiling was applied before). Returns the units lent to each
/// partition of each class and the share of the unused units not lent (left to bank).
fn adaptive_capacity(
    count: &[f64; 2],
    unused: &[f64; 2],
    excess: &mut [f64; 2],
) -> ([f64; 2], f64) {
    let pool = count[0] * unused[0] + count[1] * unused[1];
    let wanted = count[0] * excess[0] + count[1] * excess[1];
    if pool <= 0.0 || wanted <= 0.0 {
        return ([0.0; 2], 1.0);
    }
    let lent_total = pool.min(wanted);
    let ratio = lent_total / wanted;
    let lent = excess.map(|e| e * ratio);
    for c in 0..2 {
        excess[c] -= lent[c];
    }
    (lent, 1.0 - lent_total / pool)
}

/// §4 [BURST]: a partition over its capacity spends banked burst credit; what is not covered
/// is throttled. Returns the units drawn.
fn burst(bank: &mut f64, excess: f64) -> f64 {
    let drawn = excess.min(*bank);
    *bank -= drawn;
    drawn
}

/// §4 [BURST][RP-SPIKY]: unused capacity is banked, up to 300 seconds of the partition's share.
fn bank_unused(bank: &mut f64, unused: f64, limit: f64) {
    *bank = (*bank + unused).min(limit);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(capacity: f64, partitions: u32, ceiling: f64) -> Provisioned {
        let layout = Layout::new(partitions, 0.0, ceiling);
        Provisioned::new(capacity, layout, 300.0)
    }

    /// §4 [RP-SPIKY]: 150 RCU idle for 5 minutes banks 45,000 units; 200 RCU of demand then
    /// lasts 900 s on burst and throttles 50/s from the 901st second.
    #[test]
    fn burst_of_an_idle_table_lasts_900_seconds() {
        let mut t = table(150.0, 1, 3_000.0);
        for _ in 0..300 {
            t.serve(0.0);
        }
        assert_eq!(t.banks[0], 45_000.0);
        for second in 0..900 {
            let out = t.serve(200.0);
            assert_eq!(out.served, 200.0, "second {second}");
        }
        let out = t.serve(200.0);
        assert_eq!(out.served, 150.0);
        assert_eq!(out.throttled[Cause::ProvisionedThroughput as usize], 50.0);
    }

    /// §4: a 60 WCU table receiving 3,600 writes in one second serves 60 of them (no credit
    /// banked yet) although the minute's average, 60/s, equals its capacity; with 300 s of
    /// credit banked it still serves only 1,000, the partition ceiling.
    #[test]
    fn a_one_second_spike_throttles_though_the_minute_average_fits() {
        let mut t = table(60.0, 1, 1_000.0);
        let out = t.serve(3_600.0);
        assert_eq!(out.served, 60.0);
        assert_eq!(out.throttled[Cause::KeyRange as usize], 2_600.0);
        assert_eq!(out.throttled[Cause::ProvisionedThroughput as usize], 940.0);
        let rest: f64 = (1..60).map(|_| t.serve(0.0).served).sum();
        assert_eq!(rest, 0.0, "the other 59 seconds have nothing to serve");

        let mut banked = table(60.0, 1, 1_000.0);
        (0..300).for_each(|_| _ = banked.serve(0.0));
        let out = banked.serve(3_600.0);
        assert_eq!(out.served, 1_000.0);
        assert_eq!(out.throttled[Cause::KeyRange as usize], 2_600.0);
    }

    /// §4 [BURST] AWS example: 400 WCU over 4 partitions serves 150 WCU on one partition
    /// (its share is 100) by lending the others' unused capacity.
    #[test]
    fn adaptive_capacity_serves_a_hot_partition() {
        let layout = Layout::new(4, 150.0 / 300.0, 1_000.0);
        let mut t = Provisioned::new(400.0, layout, 300.0);
        let out = t.serve(300.0);
        assert_eq!(out.served, 300.0);
        assert_eq!(out.throttled.iter().sum::<f64>(), 0.0);
    }
}
