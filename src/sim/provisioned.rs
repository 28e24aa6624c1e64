//! Provisioned capacity (dynamodb-rules.md §4): the table's units spread evenly over its
//! partitions, adaptive capacity lending unused units to partitions over their share, and burst
//! credit of up to 300 seconds of each partition's unused capacity.

use super::partitions::{Layout, MAX_CLASSES};
use super::{Cause, Served};

/// One table or GSI, reads or writes, at a provisioned capacity.
#[derive(Debug, Clone, PartialEq)]
pub struct Provisioned {
    /// Units per second of the whole table or GSI.
    pub capacity: f64,
    layout: Layout,
    burst_seconds: f64,
    /// Burst credit of one partition of each class. Credit starts empty: a new table, or one
    /// that has been busy, has none banked. A partition split off keeps its parent's.
    banks: [f64; MAX_CLASSES],
    /// Seconds served within every share since the banks were last brought up to date, and
    /// the demand they carried. Within shares each class banks `share - demand × its share`
    /// a second, so the banks depend on these two sums alone and are updated lazily.
    pending: (f64, f64),
    /// The last second's demand, when serving it again would change nothing but the banks.
    last: Option<f64>,
    /// Every bank is full at this limit (and `pending` is empty): a second whose excess is
    /// all lent then changes nothing, for no bank gains or gives credit.
    full: Option<f64>,
}

impl Provisioned {
    pub fn new(capacity: f64, layout: Layout, burst_seconds: f64) -> Self {
        Provisioned {
            capacity,
            layout,
            burst_seconds,
            banks: [0.0; MAX_CLASSES],
            pending: (0.0, 0.0),
            last: None,
            full: None,
        }
    }

    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// A scaling change takes effect; partitions split to carry it.
    pub fn set_capacity(&mut self, capacity: f64) {
        self.settle();
        self.capacity = capacity;
        self.layout.split_for(capacity);
        self.check_full();
    }

    /// Ends a minute: a partition hot for long enough splits, and both halves keep its burst
    /// credit (as partitions split for capacity do), up to the new limit.
    pub fn end_minute(&mut self) {
        self.settle();
        let splits = self.layout.end_minute();
        if !splits.is_empty() {
            for (from, to) in splits {
                self.banks[to] = self.banks[from];
            }
            let limit = self.limit();
            for bank in &mut self.banks {
                *bank = bank.min(limit);
            }
            self.check_full();
        }
    }

    /// The application sends `demand` this second (for splits for heat).
    pub fn note_heat(&mut self, demand: f64) {
        self.layout.note_heat(demand);
    }

    /// The table or GSI now holds `bytes`; full partitions split.
    pub fn split_for_size(&mut self, bytes: f64) {
        self.settle();
        self.layout.split_for_size(bytes);
        self.check_full();
    }

    fn limit(&self) -> f64 {
        self.share() * self.burst_seconds
    }

    fn check_full(&mut self) {
        let limit = self.limit();
        let full = self.layout.classes().all(|(c, _)| self.banks[c] >= limit);
        self.full = full.then_some(limit);
    }

    /// The last second was within every share: the same demand again changes only the
    /// banked credit.
    pub fn repeatable(&self) -> bool {
        self.last.is_some()
    }

    /// Plays the last (repeatable) second `seconds` more times.
    pub fn repeat(&mut self, seconds: f64) {
        if let Some(demand) = self.last {
            if self.full != Some(self.limit()) {
                self.pending.0 += seconds;
                self.pending.1 += demand * seconds;
            }
        }
    }

    /// Brings the banks up to date, before the shares or the classes change or credit is
    /// drawn. Exact: within shares no bank shrinks, so capping once equals capping each second.
    fn settle(&mut self) {
        let (seconds, demand) = std::mem::take(&mut self.pending);
        if seconds == 0.0 {
            return;
        }
        let share = self.share();
        let limit = share * self.burst_seconds;
        for (c, _) in self.layout.classes() {
            let unused = seconds * share - demand * self.layout.class_share(c);
            bank_unused(&mut self.banks[c], unused, limit);
        }
        self.check_full();
    }

    /// Capacity of one partition.
    fn share(&self) -> f64 {
        self.capacity / f64::from(self.layout.partitions())
    }

    /// Serves one second of `demand` units.
    pub fn serve(&mut self, demand: f64) -> Served {
        let share = self.share();
        let linear = demand <= self.layout.linear_up_to();
        // Under the ceilings, and either every partition within its share (nothing to lend,
        // draw or throttle) or the excess all lent with every bank full: most seconds.
        if linear
            && (demand * self.layout.max_share() <= share
                || (demand <= self.capacity && self.full == Some(self.limit())))
        {
            self.last = Some(demand);
            self.repeat(1.0);
            return Served {
                served: demand,
                ..Served::default()
            };
        }
        self.settle();
        self.last = None;
        let spread = self.layout.spread(demand);
        let (served, throttled) = self.serve_over_share(share, &spread.want);
        self.check_full();
        let mut out = Served {
            served,
            ..Served::default()
        };
        out.throttled[Cause::KeyRange as usize] = spread.key_range;
        out.throttled[Cause::ProvisionedThroughput as usize] = throttled;
        out
    }

    /// Some partition wants more than its share, or reaches the ceiling: adaptive capacity,
    /// then burst credit.
    fn serve_over_share(&mut self, share: f64, want: &[f64; MAX_CLASSES]) -> (f64, f64) {
        // §4 [BURST][BPPK] adaptive capacity: unused capacity of the table this second is lent
        // to partitions over their share, in proportion to their excess, as long as the table
        // total is not exceeded (the partition ceiling was applied before).
        let (mut pool, mut wanted) = (0.0, 0.0);
        for (c, count) in self.layout.classes() {
            pool += count * (share - want[c]).max(0.0);
            wanted += count * (want[c] - share).max(0.0);
        }
        let lent = if pool > 0.0 { pool.min(wanted) } else { 0.0 };
        let ratio = if wanted > 0.0 { lent / wanted } else { 0.0 };
        // The share of the unused units not lent, left to bank.
        let kept = if pool > 0.0 { 1.0 - lent / pool } else { 1.0 };
        let limit = share * self.burst_seconds;
        let (mut served, mut throttled) = (0.0, 0.0);
        for (c, count) in self.layout.classes() {
            let base = want[c].min(share);
            let excess = (want[c] - base) * (1.0 - ratio);
            let drawn = burst(&mut self.banks[c], excess);
            bank_unused(&mut self.banks[c], (share - base) * kept, limit);
            served += count * (want[c] - excess + drawn);
            throttled += count * (excess - drawn);
        }
        (served, throttled)
    }
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
        let layout = Layout::new(partitions, &[], ceiling, 5);
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
        t.settle();
        assert_eq!(t.banks[MAX_CLASSES - 1], 45_000.0);
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
    /// (its share is 100) by lending the others' unused capacity: a key with a third of 300
    /// WCU shares its partition with 50 of the rest, and each other partition has 50.
    #[test]
    fn adaptive_capacity_serves_a_hot_partition() {
        let layout = Layout::new(4, &[1.0 / 3.0], 1_000.0, 5);
        let mut t = Provisioned::new(400.0, layout, 300.0);
        let out = t.serve(300.0);
        assert!((out.served - 300.0).abs() < 1e-9, "{out:?}");
        assert_eq!(out.throttled.iter().sum::<f64>(), 0.0);
    }
}
