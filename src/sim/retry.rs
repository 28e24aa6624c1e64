//! Client retries as the AWS SDKs' standard mode makes them (docs/sources.md §11.2): a
//! throttled request is tried again after an exponential backoff with full jitter, up to a
//! number of attempts, and fails only after the last one.
//!
//! Requests are not sampled one by one: the throttled units of each attempt are spread over the
//! following seconds in proportion to the jitter's uniform distribution, so the expected load of
//! the retries is exact and the work per second does not depend on the request count.

use super::partitions::{Admitted, KeyLoad, KEY_GROUPS, OTHER_KEYS};
use crate::workload::model::SimulationSettings;

/// Retry timing: attempts and the backoff of each retry.
#[derive(Debug, Clone, PartialEq)]
pub struct RetryPolicy {
    /// Attempts per request, the first included (at least 1).
    pub attempts: u32,
    /// Backoff base and cap, in seconds.
    pub base: f64,
    pub cap: f64,
}

impl RetryPolicy {
    pub fn from_settings(settings: &SimulationSettings) -> Self {
        RetryPolicy {
            attempts: settings.retry_attempts.max(1),
            base: settings.retry_base_ms as f64 / 1_000.0,
            cap: settings.retry_max_backoff_ms as f64 / 1_000.0,
        }
    }

    /// §11.2 [RETRY][RUSTRETRY]: retry `n` (1-based) waits random(0,1) × min(cap, base × 2^(n-1)).
    /// Returns the share of those retries arriving 1, 2, … seconds after the throttled second.
    fn arrivals(&self, retry: u32) -> Vec<f64> {
        let longest = (self.base * 2f64.powi(retry as i32 - 1)).min(self.cap);
        if longest <= 1.0 {
            return vec![1.0];
        }
        let slots = longest.ceil() as usize;
        (0..slots)
            .map(|j| ((j + 1) as f64).min(longest) - j as f64)
            .map(|overlap| overlap / longest)
            .collect()
    }
}

/// The retries one stream of requests has in flight, by key group: a retry is the same request,
/// so it goes back to the key (and partition) that throttled it (§4 [BURST]).
///
/// Only the key groups with a share of the demand are visited (`groups`): the others never
/// carry a unit, and a lane with no hot key has one group, so a throttled second costs a ninth
/// of the work. The sums visit the groups in order, so they are the sums over every group.
#[derive(Debug, Clone)]
pub struct Client {
    /// `arrivals[a]`: how the retries that make attempt `a + 1` spread over the next seconds.
    arrivals: Vec<Vec<f64>>,
    /// `ring[a * len + second % len]`: units by key group arriving that second as attempt
    /// `a + 1` (a ≥ 1). `len` is a power of two, so that `second % len` is a mask, not a
    /// division, on every second with retries.
    ring: Vec<KeyLoad>,
    len: usize,
    /// How fresh demand splits over the key groups, and the groups it reaches.
    shares: KeyLoad,
    groups: Groups,
    /// Units offered this second by key group, per attempt (0 = first attempt).
    offered: Vec<KeyLoad>,
    /// All units offered this second by key group, when `retrying`.
    load: KeyLoad,
    /// Retries arrive this second.
    retrying: bool,
    /// Fresh units this second.
    fresh: f64,
    /// `second % len` of the second offered: its slot of the ring.
    slot: usize,
    /// First second from which no retry is scheduled.
    free_from: u64,
}

impl Client {
    pub fn new(policy: &RetryPolicy, shares: KeyLoad) -> Self {
        let arrivals: Vec<Vec<f64>> = (1..policy.attempts).map(|n| policy.arrivals(n)).collect();
        let len = (arrivals.iter().map(Vec::len).max().unwrap_or(0) + 1).next_power_of_two();
        let attempts = policy.attempts as usize;
        Client {
            ring: vec![[0.0; KEY_GROUPS]; len * attempts],
            len,
            groups: Groups::of(&shares),
            shares,
            offered: vec![[0.0; KEY_GROUPS]; attempts],
            load: [0.0; KEY_GROUPS],
            retrying: false,
            fresh: 0.0,
            arrivals,
            slot: 0,
            free_from: 0,
        }
    }

    /// No retry is pending at `second` or later.
    pub fn idle(&self, second: u64) -> bool {
        second >= self.free_from
    }

    /// The units offered in `second`: the fresh demand plus the retries that arrive now.
    /// Inlined: most seconds it returns `fresh` at once, and a call cost more than that.
    #[inline]
    pub fn offer(&mut self, second: u64, fresh: f64) -> f64 {
        if self.groups.others_only() {
            self.offer_in::<true>(second, fresh)
        } else {
            self.offer_in::<false>(second, fresh)
        }
    }

    /// `offer`, compiled apart for the lanes with no hot key (`ONE`), whose one key group is
    /// `OTHER_KEYS`: their loops over the groups are then a single step at a known index.
    #[inline(always)]
    fn offer_in<const ONE: bool>(&mut self, second: u64, fresh: f64) -> f64 {
        self.fresh = fresh;
        self.retrying = !self.idle(second);
        if !self.retrying {
            return fresh;
        }
        let slot = self.slot_of(second);
        self.slot = slot;
        let groups = self.groups.slice::<ONE>();
        let load = &mut self.load;
        for &g in groups {
            self.offered[0][g] = self.shares[g] * fresh;
            load[g] = self.offered[0][g];
        }
        for a in 1..self.offered.len() {
            let arriving = &mut self.ring[a * self.len + slot];
            for &g in groups {
                self.offered[a][g] = std::mem::take(&mut arriving[g]);
                load[g] += self.offered[a][g];
            }
        }
        groups.iter().map(|&g| load[g]).sum()
    }

    /// `second % len`: the slot of the ring `second` takes.
    fn slot_of(&self, second: u64) -> usize {
        (second & (self.len as u64 - 1)) as usize
    }

    /// The units offered this second by key group, when retries make them split otherwise
    /// than the key shares: never on a lane of one key group, whose every load splits as
    /// its shares do, so that its retries take the paths of fresh demand.
    pub fn load(&self) -> Option<&KeyLoad> {
        (self.retrying && self.groups.len > 1).then_some(&self.load)
    }

    /// Schedules the retries of the units `second` throttled, and returns the units that
    /// failed on their last attempt. Of the `offered` units, the ceilings admitted `admitted`
    /// and the capacity served `served` of those, in proportion; what a key group was offered
    /// less what it was served is throttled, every attempt on the key in the same proportion.
    pub fn settle(&mut self, second: u64, offered: f64, admitted: &Admitted, served: f64) -> f64 {
        if self.groups.others_only() {
            self.settle_in::<true>(second, offered, admitted, served)
        } else {
            self.settle_in::<false>(second, offered, admitted, served)
        }
    }

    /// `settle`, compiled apart for one key group as `offer_in` is.
    #[inline(always)]
    fn settle_in<const ONE: bool>(
        &mut self,
        second: u64,
        offered: f64,
        admitted: &Admitted,
        served: f64,
    ) -> f64 {
        let groups = self.groups.slice::<ONE>();
        // Units offered by key group, every attempt together, and the attempts that had any:
        // with no retry arriving this second, the first attempt's split as the shares.
        let split_by_retries = self.load().is_some();
        let attempts = if self.retrying {
            self.offered.len()
        } else {
            self.slot = self.slot_of(second);
            for &g in groups {
                self.offered[0][g] = self.shares[g] * self.fresh;
            }
            1
        };
        let by_key = if self.retrying {
            &self.load
        } else {
            &self.offered[0]
        };
        let kept = if admitted.total > 0.0 {
            served / admitted.total
        } else {
            0.0
        };
        let mut share = [0.0; KEY_GROUPS];
        for &g in groups {
            let on_key = if split_by_retries {
                self.load[g]
            } else {
                self.shares[g] * offered
            };
            let let_through = admitted
                .keys
                .map_or(self.shares[g] * admitted.total, |keys| keys[g]);
            let throttled = (on_key - let_through * kept).max(0.0);
            if by_key[g] > 0.0 && throttled > 0.0 {
                share[g] = (throttled / by_key[g]).min(1.0);
            }
        }
        let len = self.len;
        for (a, arrivals) in self.arrivals.iter().enumerate().take(attempts) {
            let offered = &self.offered[a];
            if groups.iter().all(|&g| offered[g] * share[g] <= 0.0) {
                continue;
            }
            // Arrivals span fewer seconds than the ring holds: one wrap at most.
            let mut at = self.slot;
            for weight in arrivals {
                at = (at + 1) & (len - 1);
                let slot = &mut self.ring[(a + 1) * len + at];
                for &g in groups {
                    slot[g] += offered[g] * share[g] * weight;
                }
            }
            self.free_from = self.free_from.max(second + arrivals.len() as u64 + 1);
        }
        if attempts < self.offered.len() {
            return 0.0;
        }
        let last = &self.offered[attempts - 1];
        groups.iter().map(|&g| last[g] * share[g]).sum()
    }
}

/// The key groups a lane's demand reaches, in order: its hot keys, then the others.
#[derive(Debug, Clone, Copy)]
struct Groups {
    list: [usize; KEY_GROUPS],
    len: usize,
}

impl Groups {
    fn of(shares: &KeyLoad) -> Self {
        let mut groups = Groups {
            list: [0; KEY_GROUPS],
            len: 0,
        };
        for (g, &share) in shares.iter().enumerate() {
            if share > 0.0 {
                groups.list[groups.len] = g;
                groups.len += 1;
            }
        }
        groups
    }

    fn as_slice(&self) -> &[usize] {
        &self.list[..self.len]
    }

    /// Only the keys no hot key follows: a lane with no hot key.
    fn others_only(&self) -> bool {
        self.as_slice() == [OTHER_KEYS]
    }

    /// `as_slice`, known to be `[OTHER_KEYS]` when `ONE` (`others_only`): a constant index
    /// needs no bounds check.
    #[inline(always)]
    fn slice<const ONE: bool>(&self) -> &[usize] {
        if ONE {
            &[OTHER_KEYS]
        } else {
            self.as_slice()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(attempts: u32) -> RetryPolicy {
        RetryPolicy {
            attempts,
            base: 1.0,
            cap: 20.0,
        }
    }

    /// §11.2: the first retry waits under 1 s, the second under 2 s, the 6th is capped at 20 s.
    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = policy(8);
        assert_eq!(p.arrivals(1), vec![1.0]);
        assert_eq!(p.arrivals(2), vec![0.5, 0.5]);
        assert_eq!(p.arrivals(3).len(), 4);
        assert_eq!(p.arrivals(7).len(), 20);
        assert!((p.arrivals(7).iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    /// `units` let through, split over the key groups as `keys` says (else as the shares).
    fn admitted(total: f64, keys: Option<KeyLoad>) -> Admitted {
        Admitted {
            total,
            keys,
            ..Admitted::default()
        }
    }

    /// Retries in flight split a lane's load otherwise than its shares only when it has more
    /// than one key group: with a hot key at 30%, 100 units all throttled on that key (its
    /// ceiling lets none through) come back on it alone; with no hot key, 30 of 100 units
    /// throttled by the capacity come back split as the shares (so `load` is `None`).
    #[test]
    fn retries_split_the_load_only_over_several_key_groups() {
        let mut hot = [0.0; KEY_GROUPS];
        hot[0] = 0.3;
        hot[OTHER_KEYS] = 0.7;
        let mut client = Client::new(&policy(3), hot);
        client.offer(0, 100.0);
        let mut others_only = [0.0; KEY_GROUPS];
        others_only[OTHER_KEYS] = 70.0;
        client.settle(0, 100.0, &admitted(70.0, Some(others_only)), 70.0);
        assert_eq!(client.offer(1, 100.0), 130.0);
        let load = client.load().expect("a retry on the hot key");
        assert_eq!((load[0], load[OTHER_KEYS]), (60.0, 70.0));

        let mut others = [0.0; KEY_GROUPS];
        others[OTHER_KEYS] = 1.0;
        let mut client = Client::new(&policy(3), others);
        client.offer(0, 100.0);
        client.settle(0, 100.0, &admitted(100.0, None), 70.0);
        assert_eq!(client.offer(1, 100.0), 130.0);
        assert!(client.load().is_none());
    }

    /// Three attempts: 100 units always throttled come back as 100 then 50 + 50, and fail at
    /// the third attempt: on the keys no hot key follows (the one-group path) and all on one
    /// hot key alike (§11.2).
    #[test]
    fn always_throttled_units_fail_after_the_last_attempt() {
        for group in [OTHER_KEYS, 0] {
            let mut shares = [0.0; KEY_GROUPS];
            shares[group] = 1.0;
            let mut client = Client::new(&policy(3), shares);
            let mut failed = 0.0;
            let mut offered = Vec::new();
            for second in 0..6 {
                let units = client.offer(second, if second == 0 { 100.0 } else { 0.0 });
                offered.push(units);
                failed += client.settle(second, units, &admitted(units, None), 0.0);
            }
            assert_eq!(
                offered,
                vec![100.0, 100.0, 50.0, 50.0, 0.0, 0.0],
                "group {group}"
            );
            assert_eq!(failed, 100.0, "group {group}");
            assert!(client.idle(6), "group {group}");
        }
    }
}
