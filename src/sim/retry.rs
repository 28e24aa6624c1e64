//! Client retries as the AWS SDKs' standard mode makes them (docs/sources.md §11.2): a
//! throttled request is tried again after an exponential backoff with full jitter, up to a
//! number of attempts, and fails only after the last one.
//!
//! Requests are not sampled one by one: the throttled units of each attempt are spread over the
//! following seconds in proportion to the jitter's uniform distribution, so the expected load of
//! the retries is exact and the work per second does not depend on the request count.

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

/// The retries one stream of requests has in flight.
#[derive(Debug, Clone)]
pub struct Client {
    /// `arrivals[a]`: how the retries that make attempt `a + 1` spread over the next seconds.
    arrivals: Vec<Vec<f64>>,
    /// `ring[a][second % len]`: units arriving that second as attempt `a + 1` (a ≥ 1).
    ring: Vec<Vec<f64>>,
    /// Units offered this second, per attempt (0 = first attempt).
    offered: Vec<f64>,
    /// Last second any retry is scheduled for.
    busy_until: Option<u64>,
}

impl Client {
    pub fn new(policy: &RetryPolicy) -> Self {
        let arrivals: Vec<Vec<f64>> = (1..policy.attempts).map(|n| policy.arrivals(n)).collect();
        let len = arrivals.iter().map(Vec::len).max().unwrap_or(0) + 1;
        Client {
            ring: vec![vec![0.0; len]; policy.attempts as usize],
            offered: vec![0.0; policy.attempts as usize],
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
        self.offered[0] = fresh;
        if self.idle(second) {
            self.offered[1..].fill(0.0);
            return fresh;
        }
        let slot = (second % self.ring[0].len() as u64) as usize;
        for a in 1..self.ring.len() {
            self.offered[a] = std::mem::take(&mut self.ring[a][slot]);
        }
        self.offered.iter().sum()
    }

    /// Schedules the retries of the units throttled in `second` (every attempt is throttled in
    /// the same proportion) and returns the units that failed on their last attempt.
    pub fn settle(&mut self, second: u64, throttled: f64) -> f64 {
        if throttled <= 0.0 {
            return 0.0;
        }
        let offered: f64 = self.offered.iter().sum();
        if offered <= 0.0 {
            return 0.0;
        }
        let share = (throttled / offered).min(1.0);
        let len = self.ring[0].len() as u64;
        for a in 0..self.arrivals.len() {
            let units = self.offered[a] * share;
            if units <= 0.0 {
                continue;
            }
            for (j, weight) in self.arrivals[a].iter().enumerate() {
                let at = second + 1 + j as u64;
                self.ring[a + 1][(at % len) as usize] += units * weight;
                self.busy_until = Some(self.busy_until.map_or(at, |b| b.max(at)));
            }
        }
        self.offered.last().copied().unwrap_or(0.0) * share
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

    /// Three attempts: 100 units always throttled come back as 100 then 50 + 50, and fail at
    /// the third attempt.
    #[test]
    fn always_throttled_units_fail_after_the_last_attempt() {
        let mut client = Client::new(&policy(3));
        let mut failed = 0.0;
        let mut offered = Vec::new();
        for second in 0..6 {
            let units = client.offer(second, if second == 0 { 100.0 } else { 0.0 });
            offered.push(units);
            failed += client.settle(second, units);
        }
        assert_eq!(offered, vec![100.0, 100.0, 50.0, 50.0, 0.0, 0.0]);
        assert_eq!(failed, 100.0);
        assert!(client.idle(6));
    }
}
