//! Client retries as the AWS SDKs' standard mode makes them (docs/sources.md §11.2): a
//! throttled request is tried again after an exponential backoff with full jitter, up to a
//! number of attempts, and fails only after the last one.
//!
//! Requests are not sampled one by one: the throttled units of each attempt are spread over the
//! following seconds in proportion to the jitter's uniform distribution, so the expected load of
//! the retries is exact and the work per second does not depend on the request count.

use super::partitions::{KeyLoad, KEY_GROUPS};
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
#[derive(Debug, Clone)]
pub struct Client {
    /// `arrivals[a]`: how the retries that make attempt `a + 1` spread over the next seconds.
    arrivals: Vec<Vec<f64>>,
    /// `ring[a][second % len]`: units by key group arriving that second as attempt `a + 1`
    /// (a ≥ 1).
    ring: Vec<Vec<KeyLoad>>,
    /// How fresh demand splits over the key groups.
    shares: KeyLoad,
    /// Units offered this second by key group, per attempt (0 = first attempt).
    offered: Vec<KeyLoad>,
    /// All units offered this second by key group, when retries are among them.
    load: Option<KeyLoad>,
    /// Fresh units this second.
    fresh: f64,
    /// Last second any retry is scheduled for.
    busy_until: Option<u64>,
}

impl Client {
    pub fn new(policy: &RetryPolicy, shares: KeyLoad) -> Self {
        let arrivals: Vec<Vec<f64>> = (1..policy.attempts).map(|n| policy.arrivals(n)).collect();
        let len = arrivals.iter().map(Vec::len).max().unwrap_or(0) + 1;
        Client {
            ring: vec![vec![[0.0; KEY_GROUPS]; len]; policy.attempts as usize],
            shares,
            offered: vec![[0.0; KEY_GROUPS]; policy.attempts as usize],
            load: None,
            fresh: 0.0,
            arrivals,
            busy_until: None,
        }
    }

    /// No retry is pending at `second` or later.
    pub fn idle(&self, second: u64) -> bool {
        self.busy_until.is_none_or(|until| until < second)
    }

    /// The units offered in `second`: the fresh demand plus the retries that arrive now.
    pub fn offer(&mut self, second: u64, fresh: f64) -> f64 {
        self.fresh = fresh;
        if self.idle(second) {
            self.load = None;
            return fresh;
        }
        self.offered[0] = self.shares.map(|s| s * fresh);
        let slot = (second % self.ring[0].len() as u64) as usize;
        let mut load = self.offered[0];
        for a in 1..self.ring.len() {
            self.offered[a] = std::mem::take(&mut self.ring[a][slot]);
            for (l, units) in load.iter_mut().zip(self.offered[a]) {
                *l += units;
            }
        }
        self.load = Some(load);
        load.iter().sum()
    }

    /// The units offered this second by key group, when retries make them split otherwise
    /// than the key shares.
    pub fn load(&self) -> Option<&KeyLoad> {
        self.load.as_ref()
    }

    /// Schedules the retries of the units throttled in `second`, `throttled[g]` on key group
    /// `g` (every attempt on a key is throttled in the same proportion), and returns the units
    /// that failed on their last attempt.
    pub fn settle(&mut self, second: u64, throttled: &KeyLoad) -> f64 {
        if self.load.is_none() {
            // No retry arrived this second: the first attempt's units split as the shares.
            self.offered[0] = self.shares.map(|s| s * self.fresh);
            for o in &mut self.offered[1..] {
                *o = [0.0; KEY_GROUPS];
            }
        }
        let mut share = [0.0; KEY_GROUPS];
        for (g, s) in share.iter_mut().enumerate() {
            let offered: f64 = self.offered.iter().map(|o| o[g]).sum();
            if offered > 0.0 && throttled[g] > 0.0 {
                *s = (throttled[g] / offered).min(1.0);
            }
        }
        let len = self.ring[0].len() as u64;
        for a in 0..self.arrivals.len() {
            let units =
                std::array::from_fn::<f64, KEY_GROUPS, _>(|g| self.offered[a][g] * share[g]);
            if units.iter().all(|&u| u <= 0.0) {
                continue;
            }
            for (j, weight) in self.arrivals[a].iter().enumerate() {
                let at = second + 1 + j as u64;
                for (r, u) in self.ring[a + 1][(at % len) as usize].iter_mut().zip(units) {
                    *r += u * weight;
                }
                self.busy_until = Some(self.busy_until.map_or(at, |b| b.max(at)));
            }
        }
        self.offered
            .last()
            .map_or(0.0, |o| o.iter().zip(share).map(|(u, s)| u * s).sum())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::partitions::OTHER_KEYS;

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

    /// Three attempts: 100 units always throttled come back as 100 then 50 + 50, and fail at
    /// the third attempt.
    #[test]
    fn always_throttled_units_fail_after_the_last_attempt() {
        let mut others = [0.0; KEY_GROUPS];
        others[OTHER_KEYS] = 1.0;
        let mut client = Client::new(&policy(3), others);
        let mut failed = 0.0;
        let mut offered = Vec::new();
        for second in 0..6 {
            let units = client.offer(second, if second == 0 { 100.0 } else { 0.0 });
            offered.push(units);
            let mut throttled = [0.0; KEY_GROUPS];
            throttled[OTHER_KEYS] = units;
            failed += client.settle(second, &throttled);
        }
        assert_eq!(offered, vec![100.0, 100.0, 50.0, 50.0, 0.0, 0.0]);
        assert_eq!(failed, 100.0);
        assert!(client.idle(6));
    }
}
