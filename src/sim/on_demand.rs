//! On-demand capacity (docs/sources.md §6): the table serves at once up to twice its previous
//! peak (or its warm throughput), beyond that it throttles until a higher level has been held
//! for 30 minutes; a configured maximum and the per-table quota cap it.

use std::collections::VecDeque;

use super::partitions::Layout;
use super::{Cause, Served};

/// Minutes a served level takes to become the "previous peak" (§6 [OD][RP-OD]).
const PEAK_SETTLES_MINUTES: usize = 30;

/// Limits of one on-demand table or GSI, reads or writes, in units per second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// Warm throughput: served at once (new table: 12,000 reads, 4,000 writes; §6 [WARMSC]).
    pub warm: f64,
    /// Configured maximum throughput, if any (§6 [MAXTP]).
    pub max: Option<f64>,
    /// Per-table quota (§11.3 [QUOTA], 40,000 by default).
    pub quota: f64,
}

/// One table or GSI, reads or writes, in on-demand mode.
#[derive(Debug, Clone, PartialEq)]
pub struct OnDemand {
    pub layout: Layout,
    limits: Limits,
    /// The previous peak: the highest level served at least 30 minutes ago.
    settled_peak: f64,
    /// Peak served in each of the last 30 minutes, oldest first.
    recent: VecDeque<f64>,
    minute_peak: f64,
    /// The binding limit, fixed within a minute.
    limit: (f64, Cause),
}

impl OnDemand {
    pub fn new(limits: Limits, layout: Layout, previous_peak: f64) -> Self {
        let mut lane = OnDemand {
            layout,
            limits,
            settled_peak: previous_peak,
            recent: VecDeque::with_capacity(PEAK_SETTLES_MINUTES + 1),
            minute_peak: 0.0,
            limit: (0.0, Cause::OnDemandRamp),
        };
        lane.settle();
        lane
    }

    /// §6 [OD]: served at once: up to twice the previous peak, and at least the warm throughput.
    pub fn instant_ceiling(&self) -> f64 {
        self.limits.warm.max(2.0 * self.settled_peak)
    }

    /// The binding limit and the cause of throttles beyond it (§11.1 [THR] causes).
    fn binding_limit(&self) -> (f64, Cause) {
        let mut ceiling = (self.instant_ceiling(), Cause::OnDemandRamp);
        for limit in [
            self.limits.max.map(|max| (max, Cause::MaxOnDemand)),
            Some((self.limits.quota, Cause::TableQuota)),
        ]
        .into_iter()
        .flatten()
        {
            if limit.0 < ceiling.0 {
                ceiling = limit;
            }
        }
        ceiling
    }

    /// What the table serves at most right now (for charts and utilization).
    pub fn capacity(&self) -> f64 {
        self.limit.0
    }

    pub fn serve(&mut self, demand: f64) -> Served {
        let (wanted, key_range) = self.layout.admit(demand);
        let (ceiling, cause) = self.limit;
        let served = wanted.min(ceiling);
        self.minute_peak = self.minute_peak.max(served);
        let mut out = Served {
            served,
            ..Served::default()
        };
        out.throttled[Cause::KeyRange as usize] = key_range;
        out.throttled[cause as usize] = wanted - served;
        out
    }

    /// Ends a minute: a level served 30 minutes ago becomes the previous peak, and a partition
    /// hot for long enough splits.
    pub fn end_minute(&mut self) {
        self.layout.end_minute();
        self.recent.push_back(std::mem::take(&mut self.minute_peak));
        if self.recent.len() > PEAK_SETTLES_MINUTES {
            let settled = self.recent.pop_front().unwrap_or(0.0);
            self.settled_peak = self.settled_peak.max(settled);
        }
        self.settle();
    }

    /// The limits and partitions for the next minute.
    fn settle(&mut self) {
        self.limit = self.binding_limit();
        self.layout.split_for(self.instant_ceiling());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// §6 [OD]: a table whose previous peak was 25,000 reads/s serves 50,000 at once, throttles
    /// 100,000 within 30 minutes, and serves 100,000 once 50,000 has been held 30 minutes
    /// (quota raised so that it does not bind).
    #[test]
    fn twice_the_previous_peak_at_once_more_after_30_minutes() {
        let limits = Limits {
            warm: 12_000.0,
            max: None,
            quota: 1e9,
        };
        let layout = Layout::new(1, &[], 3_000.0, 5);
        let mut t = OnDemand::new(limits, layout, 25_000.0);
        let run = |t: &mut OnDemand, demand: f64, minutes: u32| {
            let mut last = Served::default();
            for _ in 0..minutes {
                for _ in 0..60 {
                    last = t.serve(demand);
                }
                t.end_minute();
            }
            last
        };
        assert_eq!(run(&mut t, 50_000.0, 10).served, 50_000.0);
        let out = run(&mut t, 100_000.0, 1);
        assert_eq!(out.served, 50_000.0);
        // The partitions split for 50,000 (17 × 3,000) bind just before the ramp does.
        assert!((out.throttled_total() - 50_000.0).abs() < 1e-6);
        assert!(out.throttled[Cause::OnDemandRamp as usize] > 0.0);
        run(&mut t, 50_000.0, 20);
        assert_eq!(run(&mut t, 100_000.0, 1).served, 100_000.0);
    }

    /// §6 [MAXTP], §11.3 [QUOTA]: the lower of a configured maximum and the quota binds.
    #[test]
    fn maximum_and_quota_bind() {
        let layout = Layout::new(100, &[], 1_000.0, 5);
        let limits = Limits {
            warm: 4_000.0,
            max: Some(500.0),
            quota: 40_000.0,
        };
        let out = OnDemand::new(limits, layout.clone(), 1e6).serve(800.0);
        assert_eq!(out.throttled[Cause::MaxOnDemand as usize], 300.0);
        let limits = Limits {
            max: None,
            ..limits
        };
        let out = OnDemand::new(limits, layout, 1e6).serve(50_000.0);
        assert_eq!(out.throttled[Cause::TableQuota as usize], 10_000.0);
    }
}
