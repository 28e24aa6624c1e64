//! How a lane's demand spreads over partitions, the per-partition and per-key ceilings that
//! apply in every capacity mode, and how partitions split (docs/sources.md §4).
//!
//! Partitions are simulated by class; the members of a class see identical demand and evolve
//! identically. A class is a partition that holds hot keys among others (a *slot*), a hot key
//! split onto a partition of its own, or the rest, which share the other keys evenly.
//! Simulating one member of each class is exact for this layout and keeps the work per second
//! independent of the partition count.

use crate::capacity::partitions::PARTITION_BYTES;

/// Hottest keys followed one by one; the others are spread with the rest.
pub const MAX_HOT_KEYS: usize = 8;
/// Groups of keys a lane's units are counted by: each followed key, then all the others.
pub const KEY_GROUPS: usize = MAX_HOT_KEYS + 1;
/// The group of the keys not followed one by one.
pub const OTHER_KEYS: usize = MAX_HOT_KEYS;
/// Units per second on each followed key (hottest first) and, at `OTHER_KEYS`, on the others.
/// A retry goes back to its own key (§4 [BURST]: a request is retried against the same item's
/// primary key), so retries in flight change how a lane's units split over its keys.
pub type KeyLoad = [f64; KEY_GROUPS];
/// Slots, isolated keys and the rest.
const MAX_CLASSES: usize = 2 * MAX_HOT_KEYS + 1;
const REST: usize = MAX_CLASSES - 1;
/// Keys with a smaller share of requests than this are spread with the rest: at 0.1%, keeping
/// them apart would change no partition's load by more than a thousandth of the lane's.
const MIN_KEY_SHARE: f64 = 0.001;

/// The partition layout of one table or GSI for reads or writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Units per second one partition, and one key, can serve: 3,000 reads or 1,000 writes.
    ceiling: f64,
    /// Partitions that share the keys not split off (at least 1).
    spread: u32,
    /// Shares of requests on the hottest keys, hottest first, and how many there are.
    keys: [f64; MAX_HOT_KEYS],
    key_count: usize,
    /// The slot each key shares while it does; `None` once split onto a partition of its own.
    slot: [Option<u8>; MAX_HOT_KEYS],
    /// Slots in use: key `i` starts on slot `i mod spread`, as hashing would place it.
    slots: usize,
    /// Share of requests on all other keys, spread evenly over the `spread` partitions.
    rest: f64,
    /// Consecutive minutes a partition must be over the ceiling before it splits for heat.
    heat_minutes: u32,
    /// Partitions heat is judged on: those the table starts with (`partitions` of `new`), key
    /// `i` on partition `i mod heat_spread` until it splits off. Fixed, so that splits for
    /// heat come at the same minutes whatever capacity is simulated.
    heat_spread: u32,
    /// Per partition heat is judged on: consecutive minutes over the ceiling, and whether
    /// this minute was.
    heat: [u32; MAX_HOT_KEYS],
    hot: [bool; MAX_HOT_KEYS],
    /// Partitions the evenly spread keys' heat is judged on: those the table starts with,
    /// doubled each time even demand alone has kept them over the ceiling for `heat_minutes`
    /// (at least one), however many partitions capacity has added. Fixed by demand, so that
    /// these splits too come at the same minutes whatever capacity is simulated.
    uniform_spread: u32,
    uniform_heat: u32,
    uniform_hot: bool,
    /// Members of each class (by class id), and the ids in use.
    count: [f64; MAX_CLASSES],
    active: [u8; MAX_CLASSES],
    active_len: usize,
    /// The demand up to which no key or partition reaches the ceiling: below it every unit
    /// is served as far as the ceilings go, checked in one comparison. The same for the
    /// partitions heat is judged on.
    linear_up_to: f64,
    heat_up_to: f64,
}

/// What the per-key and per-partition ceilings let through of a second's units, and why they
/// throttled the rest.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Admitted {
    /// Units let through to the table's capacity.
    pub total: f64,
    /// The same by key group; `None` when they split as the lane's key shares do.
    pub keys: Option<KeyLoad>,
    /// Throttled because a key, or a partition holding a hot key, is over its ceiling
    /// (`KeyRangeThroughputExceeded`): more capacity would not help.
    pub key_range: f64,
    /// Throttled because evenly spread traffic is over what the partitions carry: they split
    /// when capacity grows, so the cause is the capacity model's (provisioned throughput, the
    /// on-demand ramp, its maximum or the quota), never a hot key.
    pub uniform: f64,
}

impl Layout {
    /// `partitions` to begin with, the shares of the hottest keys (any order), the per-partition
    /// ceiling, and the minutes before a split for heat: with `0` every hot key starts on a
    /// partition of its own, a table long adapted to its keys.
    pub fn new(partitions: u32, hot_keys: &[f64], ceiling: f64, heat_minutes: u32) -> Self {
        let mut keys = [0.0; MAX_HOT_KEYS];
        let mut sorted: Vec<f64> = hot_keys
            .iter()
            .copied()
            .filter(|&s| s >= MIN_KEY_SHARE)
            .collect();
        sorted.sort_by(|a, b| b.total_cmp(a));
        sorted.truncate(MAX_HOT_KEYS);
        keys[..sorted.len()].copy_from_slice(&sorted);
        let mut layout = Layout {
            ceiling,
            spread: partitions.max(1),
            keys,
            key_count: sorted.len(),
            slot: [(heat_minutes > 0).then_some(0); MAX_HOT_KEYS],
            slots: 0,
            rest: (1.0 - sorted.iter().sum::<f64>()).max(0.0),
            heat_minutes,
            heat_spread: partitions.max(1),
            heat: [0; MAX_HOT_KEYS],
            hot: [false; MAX_HOT_KEYS],
            uniform_spread: partitions.max(1),
            uniform_heat: 0,
            uniform_hot: false,
            count: [0.0; MAX_CLASSES],
            active: [0; MAX_CLASSES],
            active_len: 0,
            linear_up_to: 0.0,
            heat_up_to: 0.0,
        };
        layout.place_keys();
        layout
    }

    /// Puts key `i`, unless split off, on partition `i mod spread`, as hashing spreads keys,
    /// and derives the classes. Called again when partitions split: a split divides the keys.
    fn place_keys(&mut self) {
        let spread = self.spread as usize;
        self.slots = 0;
        for (i, slot) in self.slot[..self.key_count].iter_mut().enumerate() {
            if let Some(s) = slot {
                *s = (i % spread) as u8;
                self.slots = self.slots.max(usize::from(*s) + 1);
            }
        }
        self.derive_classes();
    }

    /// All partitions: the spread ones and one per key split off.
    pub fn partitions(&self) -> u32 {
        self.spread.saturating_add(self.isolated() as u32)
    }

    fn isolated(&self) -> usize {
        self.slot[..self.key_count]
            .iter()
            .filter(|s| s.is_none())
            .count()
    }

    /// §4 [PART]: partitions are added when throughput is raised beyond what the current ones
    /// carry, so there are at least enough for `units` per second. Partitions are never merged
    /// (widely reported, uncertain).
    pub fn split_for(&mut self, units: f64) {
        // A hair under a whole number of partitions is that number: `2 × 2,000.000…02` units
        // from float arithmetic need 4 write partitions, not 5.
        let needed = (units / self.ceiling * (1.0 - 1e-12)).ceil().max(1.0);
        self.split_to(needed.min(f64::from(u32::MAX)) as u32);
    }

    /// §4 [PART][CONS]: a partition that fills its 10 GB splits, so `bytes` of data need at
    /// least `⌈bytes ÷ 10 GB⌉` partitions.
    pub fn split_for_size(&mut self, bytes: f64) {
        let needed = (bytes / PARTITION_BYTES as f64).ceil();
        self.split_to(needed.min(f64::from(u32::MAX)) as u32);
    }

    /// At least `partitions` share the keys not split off: a key on a partition of its own
    /// carries neither the others' throughput nor their data.
    fn split_to(&mut self, partitions: u32) {
        if partitions > self.spread {
            self.spread = partitions;
            self.place_keys();
        }
    }

    /// Classes: each slot, each key split off, and the spread partitions without a hot key.
    fn derive_classes(&mut self) {
        self.count = [0.0; MAX_CLASSES];
        self.active_len = 0;
        let add = |layout: &mut Layout, class: usize, members: f64| {
            layout.count[class] = members;
            layout.active[layout.active_len] = class as u8;
            layout.active_len += 1;
        };
        for s in 0..self.slots {
            add(self, s, 1.0);
        }
        for i in 0..self.key_count {
            if self.slot[i].is_none() {
                add(self, MAX_HOT_KEYS + i, 1.0);
            }
        }
        let others = self.spread as usize - self.slots;
        if others > 0 {
            add(self, REST, others as f64);
        }
        // The largest share of the lane's demand on one partition sets where the ceilings
        // start to bind.
        let even = self.rest / f64::from(self.spread);
        let mut share = [0.0; MAX_CLASSES];
        for i in 0..self.key_count {
            share[self.slot[i].map_or(MAX_HOT_KEYS + i, usize::from)] += self.keys[i];
        }
        let mut largest: f64 = 0.0;
        for &c in &self.active[..self.active_len] {
            let c = usize::from(c);
            if c < MAX_HOT_KEYS || c == REST {
                share[c] += even;
            }
            largest = largest.max(share[c]);
        }
        self.linear_up_to = self.ceiling / largest;
        let n = self.heat_spread as usize;
        let mut heat = [self.rest / f64::from(self.heat_spread); MAX_HOT_KEYS];
        for i in (0..self.key_count).filter(|&i| self.slot[i].is_some()) {
            heat[i % n % MAX_HOT_KEYS] += self.keys[i];
        }
        let uniform = self.rest / f64::from(self.uniform_spread);
        self.heat_up_to = self.ceiling / heat.into_iter().fold(uniform, f64::max);
    }

    /// The demand up to which no key or partition reaches its ceiling, when it splits as the
    /// key shares do.
    #[inline]
    pub fn linear_up_to(&self) -> f64 {
        self.linear_up_to
    }

    /// The demand up to which `note_heat` finds no partition over its ceiling.
    #[inline]
    pub fn heat_up_to(&self) -> f64 {
        self.heat_up_to
    }

    /// The lane's key shares: how fresh demand splits over the key groups.
    pub fn shares(&self) -> KeyLoad {
        let mut shares = [0.0; KEY_GROUPS];
        shares[..MAX_HOT_KEYS].copy_from_slice(&self.keys);
        shares[OTHER_KEYS] = self.rest;
        shares
    }

    /// Writes into `admitted` what the ceilings let through of `demand` units, split over the
    /// keys as `load` says (retries in flight) or else as the key shares do. Below the demand
    /// at which any key or partition reaches its ceiling (most seconds) that is all of it,
    /// found in one comparison. Inlined into the hot loop: called out of line it cost the
    /// month-long autoscaling run half again (324 ms against 511 ms). Written field by field,
    /// not returned: a returned `Admitted` was built on the stack and copied in wider moves
    /// than its stores, which stalled every throttled second (store forwarding).
    #[inline]
    pub fn admit(&self, demand: f64, load: Option<&KeyLoad>, admitted: &mut Admitted) {
        if load.is_none() && demand <= self.linear_up_to {
            admitted.total = demand;
            admitted.keys = None;
            admitted.key_range = 0.0;
            admitted.uniform = 0.0;
            return;
        }
        let load = load
            .copied()
            .unwrap_or_else(|| self.shares().map(|s| s * demand));
        *admitted = self.spread(&load);
    }

    /// Notes which of the partitions heat is judged on the application's `demand` takes over
    /// their ceiling this second. A hot key's heat is measured on the traffic the application
    /// sends, before retries and GSI back-pressure, and on the partitions the table starts
    /// with: so neither moves with the capacity simulated, and more capacity never delays a
    /// split. Even demand heats the partitions alike, judged on `uniform_spread`.
    #[inline]
    pub fn note_heat(&mut self, demand: f64) {
        // Most lane-seconds heat nothing; checked inline, so that they make no call.
        if demand > self.heat_up_to {
            self.heat(demand);
        }
    }

    /// `note_heat` of demand that may take a partition over its ceiling.
    #[inline(never)]
    fn heat(&mut self, demand: f64) {
        let n = self.heat_spread as usize;
        let mut load = [0.0; MAX_HOT_KEYS];
        for i in (0..self.key_count).filter(|&i| self.slot[i].is_some()) {
            load[i % n % MAX_HOT_KEYS] += (demand * self.keys[i]).min(self.ceiling);
        }
        let even = demand * self.rest / f64::from(self.heat_spread);
        for (hot, load) in self.hot.iter_mut().zip(load).take(self.key_count.min(n)) {
            *hot |= load + even > self.ceiling;
        }
        self.uniform_hot |= demand * self.rest / f64::from(self.uniform_spread) > self.ceiling;
    }

    /// Applies the ceilings of §4 [BPPK][BURST][THRDIAG]: a single key serves at most
    /// `ceiling` units per second, and so does a partition, whatever the table's capacity or
    /// mode. A partition over its ceiling serves each of its keys in proportion.
    #[inline(never)]
    fn spread(&self, load: &KeyLoad) -> Admitted {
        let class_of = |i: usize| self.slot[i].map_or(MAX_HOT_KEYS + i, usize::from);
        let mut want = [0.0; MAX_CLASSES];
        let mut keys = [0.0; KEY_GROUPS];
        let (mut key_range, mut uniform) = (0.0, 0.0);
        for i in 0..self.key_count {
            let over = (load[i] - self.ceiling).max(0.0);
            key_range += over;
            keys[i] = load[i] - over;
            want[class_of(i)] += keys[i];
        }
        let even = load[OTHER_KEYS] / f64::from(self.spread);
        let mut kept = [1.0; MAX_CLASSES];
        for &c in &self.active[..self.active_len] {
            let c = usize::from(c);
            let holds_others = c < MAX_HOT_KEYS || c == REST;
            if holds_others {
                want[c] += even;
            }
            let over = want[c] - self.ceiling;
            if over > 0.0 {
                kept[c] = self.ceiling / want[c];
                let even_over = if holds_others {
                    (even - self.ceiling).clamp(0.0, over)
                } else {
                    0.0
                };
                uniform += even_over * self.count[c];
                key_range += (over - even_over) * self.count[c];
            }
            if holds_others {
                keys[OTHER_KEYS] += even * kept[c] * self.count[c];
            }
        }
        for (i, units) in keys[..self.key_count].iter_mut().enumerate() {
            *units *= kept[class_of(i)];
        }
        Admitted {
            total: keys.iter().sum(),
            keys: Some(keys),
            key_range,
            uniform,
        }
    }

    /// Ends a minute. §4 [ATC22] split for heat (timing uncertain): a partition over its
    /// ceiling in each of the last `heat_minutes` minutes splits, its hottest key moving to a
    /// partition of its own, when it holds other traffic to part from; even demand over the
    /// ceiling of every partition that long splits each of them in two.
    #[inline]
    pub fn end_minute(&mut self) {
        // Most lane-minutes: no hot key to follow and nothing over a ceiling, now or lately.
        // Checked inline, so that they make no call.
        if self.key_count == 0 && !self.uniform_hot && self.uniform_heat == 0 {
            return;
        }
        self.follow_heat();
    }

    /// `end_minute` of a layout with hot keys, or heat now or lately.
    #[inline(never)]
    fn follow_heat(&mut self) {
        let mut split = false;
        self.uniform_heat = if std::mem::take(&mut self.uniform_hot) {
            self.uniform_heat + 1
        } else {
            0
        };
        if self.uniform_heat >= self.heat_minutes.max(1) {
            self.uniform_heat = 0;
            self.uniform_spread = self.uniform_spread.saturating_mul(2);
            self.spread = self.spread.max(self.uniform_spread);
            split = true;
        }
        let n = self.heat_spread as usize;
        for s in 0..self.key_count.min(n) {
            self.heat[s] = if std::mem::take(&mut self.hot[s]) {
                self.heat[s] + 1
            } else {
                0
            };
            if self.heat[s] < self.heat_minutes {
                continue;
            }
            self.heat[s] = 0;
            let sharing: Vec<usize> = (0..self.key_count)
                .filter(|&i| self.slot[i].is_some() && i % n == s)
                .collect();
            if let Some(&hottest) = sharing.first() {
                if sharing.len() > 1 || self.rest > 0.0 {
                    self.slot[hottest] = None;
                    split = true;
                }
            }
        }
        if split {
            self.place_keys();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classes in use as `(class id, members)`.
    fn classes(layout: &Layout) -> Vec<(usize, f64)> {
        layout.active[..layout.active_len]
            .iter()
            .map(|&c| (usize::from(c), layout.count[usize::from(c)]))
            .collect()
    }

    fn spread(layout: &Layout, demand: f64) -> Admitted {
        layout.spread(&layout.shares().map(|s| s * demand))
    }

    fn throttled_per_partition(layout: &Layout, demand: f64) -> f64 {
        spread(layout, demand).key_range
    }

    /// §4 [BURST]: one key at 1,500 WCU throttles 500/s whatever the table's capacity.
    #[test]
    fn one_hot_key_is_capped_at_1000_writes() {
        for partitions in [1, 4, 40] {
            for heat in [0, 5] {
                let layout = Layout::new(partitions, &[1.0], 1_000.0, heat);
                let spread = spread(&layout, 1_500.0);
                assert_eq!(spread.key_range, 500.0, "{partitions} partitions");
                assert_eq!(spread.keys.unwrap()[0], 1_000.0);
                assert_eq!(spread.total, 1_000.0);
            }
        }
    }

    /// Even traffic over what its partitions carry is the capacity's to fix, not a hot key's:
    /// 4,400 WU/s on 4 partitions serves 4,000 and throttles 400 as `uniform`.
    #[test]
    fn even_spread_conserves_demand() {
        let layout = Layout::new(4, &[], 1_000.0, 5);
        let spread = spread(&layout, 4_400.0);
        assert_eq!(spread.total, 4_000.0);
        assert_eq!(spread.keys.unwrap()[OTHER_KEYS], 4_000.0);
        assert_eq!(spread.uniform, 400.0);
        assert_eq!(spread.key_range, 0.0);
        assert_eq!(classes(&layout), vec![(REST, 4.0)]);
    }

    /// Two keys of 40% and 30% on a 2-partition lane at 2,000 WU/s: key 1 shares slot 0 with
    /// 15% of the rest (800 + 300 = 1,100), key 2 slot 1 (600 + 300 = 900). Slot 0 throttles
    /// 100/s until it has been over its ceiling for 5 minutes; then key 1 splits off onto a
    /// third partition (800) and slot 0 keeps 300: nothing throttles.
    #[test]
    fn a_hot_partition_splits_for_heat_after_its_minutes() {
        let mut layout = Layout::new(2, &[0.3, 0.4], 1_000.0, 5);
        for minute in 0..5 {
            assert!((throttled_per_partition(&layout, 2_000.0) - 100.0).abs() < 1e-9);
            layout.note_heat(2_000.0);
            layout.end_minute();
            let expected = if minute < 4 { 2 } else { 3 };
            assert_eq!(layout.partitions(), expected, "minute {minute}");
        }
        assert_eq!(layout.partitions(), 3);
        let spread = spread(&layout, 2_000.0);
        assert_eq!(spread.key_range, 0.0);
        let keys = spread.keys.unwrap();
        assert!((keys[0] - 800.0).abs() < 1e-9);
        assert!((keys[1] - 600.0).abs() < 1e-9);
        assert!((keys[OTHER_KEYS] - 600.0).abs() < 1e-9);
    }

    /// A minute under the ceiling resets the count; a key alone on its slot with no other
    /// traffic has nothing to split from.
    #[test]
    fn heat_must_be_sustained_and_splittable() {
        let mut layout = Layout::new(2, &[0.3, 0.4], 1_000.0, 2);
        for demand in [2_000.0, 1_000.0, 2_000.0] {
            layout.note_heat(demand);
            layout.end_minute();
            assert_eq!(layout.partitions(), 2, "after {demand}");
        }

        let mut alone = Layout::new(1, &[1.0], 1_000.0, 1);
        alone.note_heat(5_000.0);
        alone.end_minute();
        assert_eq!(alone.partitions(), 1);
    }

    /// `0` minutes: hot keys start on partitions of their own, beside the spread ones.
    #[test]
    fn adapted_tables_start_with_keys_apart() {
        let layout = Layout::new(2, &[0.4, 0.3], 1_000.0, 0);
        assert_eq!(layout.partitions(), 4);
        let spread = spread(&layout, 2_000.0);
        assert_eq!(spread.key_range + spread.uniform, 0.0);
        assert!((spread.keys.unwrap()[OTHER_KEYS] - 600.0).abs() < 1e-9);
    }

    /// §4 [ATC22]: even traffic of 1,500 writes a second on one partition keeps it over its
    /// 1,000 for 5 minutes: it splits in two, which then carry it.
    #[test]
    fn even_heat_splits_partitions_in_two() {
        let mut layout = Layout::new(1, &[], 1_000.0, 5);
        for minute in 0..5 {
            assert_eq!(spread(&layout, 1_500.0).uniform, 500.0, "minute {minute}");
            layout.note_heat(1_500.0);
            layout.end_minute();
        }
        assert_eq!(layout.partitions(), 2);
        let mut admitted = Admitted::default();
        layout.admit(1_500.0, None, &mut admitted);
        assert_eq!(admitted.total, 1_500.0);
    }

    /// §4 [PART][CONS]: 25 GB needs 3 partitions; capacity for 4,400 writes needs 5; neither
    /// ever merges them.
    #[test]
    fn partitions_split_for_size_and_capacity() {
        let mut layout = Layout::new(1, &[0.5], 1_000.0, 5);
        layout.split_for_size(25.0 * (1u64 << 30) as f64);
        assert_eq!(layout.partitions(), 3);
        layout.split_for(4_400.0);
        assert_eq!(layout.partitions(), 5);
        layout.split_for(100.0);
        layout.split_for_size(0.0);
        assert_eq!(layout.partitions(), 5);
        // The key's slot is one partition, the other four share the rest evenly.
        assert_eq!(classes(&layout), vec![(0, 1.0), (REST, 4.0)]);
    }
}
