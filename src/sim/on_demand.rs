//! On-demand capacity (docs/sources.md §6): the table serves at once up to twice its previous
//! peak (or its warm throughput), beyond that it throttles until a higher level has been
//! sustained and 30 minutes have passed; a configured maximum and the per-table quota cap it.
//!
//! **Reading:** AWS: "If your application sustains traffic of 100,000 reads per second, that
//! peak becomes your new previous peak" [OD], without saying for how long. A level is
//! *sustained* when every minute of a window of `sustain` minutes (the
//! `on_demand_peak_sustained` setting, 5 by default) averages at least that much; the previous
//! peak is the highest sustained level whose window ended at least 30 minutes ago. A one-minute
//! blip is no peak.

use super::partitions::Layout;
use super::Cause;

/// Minutes a sustained level takes to become the "previous peak" (§6 [OD][RP-OD]).
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
    /// Minutes a level must be held to count as a peak (at least 1).
    pub sustain: usize,
}

/// One table or GSI, reads or writes, in on-demand mode.
#[derive(Debug, Clone, PartialEq)]
pub struct OnDemand {
    pub layout: Layout,
    limits: Limits,
    /// The previous peak: the highest sustained level whose window ended 30 minutes ago.
    settled_peak: f64,
    /// Average served in each of the last `sustain` minutes, and sustained level at the end
    /// of each of the last 30: rings, written at `minutes` modulo their length.
    window: Vec<f64>,
    recent: Vec<f64>,
    /// Minutes ended.
    minutes: usize,
    /// Units served this minute so far, and in the last second.
    minute_served: f64,
    last: f64,
    /// The binding limit, fixed within a minute.
    limit: (f64, Cause),
}

impl OnDemand {
    /// A table whose previous peak is `previous_peak` (0 for a new table).
    pub fn new(limits: Limits, layout: Layout, previous_peak: f64) -> Self {
        let mut lane = OnDemand {
            layout,
            limits,
            settled_peak: previous_peak,
            window: vec![0.0; limits.sustain.max(1)],
            recent: vec![0.0; PEAK_SETTLES_MINUTES],
            minutes: 0,
            minute_served: 0.0,
            last: 0.0,
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

    /// The cause of throttles beyond the binding limit this minute.
    pub fn cause(&self) -> Cause {
        self.limit.1
    }

    /// Serves one second of the `wanted` units the partition ceilings let through; returns
    /// the units served.
    pub fn serve(&mut self, wanted: f64) -> f64 {
        self.last = wanted.min(self.limit.0);
        self.minute_served += self.last;
        self.last
    }

    /// Serves a second of each of `units`, every one within the limit, as `serve` would.
    pub fn serve_within(&mut self, units: &[f64]) {
        debug_assert!(units.iter().all(|&u| u <= self.limit.0));
        for &u in units {
            self.minute_served += u;
        }
        self.last = units.last().copied().unwrap_or(self.last);
    }

    /// The last second again, `seconds` more times (its limits are fixed within a minute).
    pub fn repeat(&mut self, seconds: f64) {
        self.minute_served += self.last * seconds;
    }

    /// `units` of the last second's served ones were not written after all (a GSI refused
    /// their index entries, §3.3 [GSITHR]).
    pub fn refund(&mut self, units: f64) {
        self.last -= units;
        self.minute_served -= units;
    }

    /// Ends a minute of `seconds` seconds: the level sustained through the window is noted, one
    /// noted 30 minutes ago becomes the previous peak if higher, and a partition hot for long
    /// enough splits.
    pub fn end_minute(&mut self, seconds: f64) {
        self.layout.end_minute();
        let minute = self.minutes;
        self.minutes += 1;
        let sustain = self.window.len();
        self.window[minute % sustain] = std::mem::take(&mut self.minute_served) / seconds.max(1.0);
        let sustained = if self.minutes < sustain {
            0.0
        } else {
            // Compared, not folded with `f64::min`, whose NaN rule took half of this call's
            // work: the levels are never NaN, and for them both give the same minimum.
            self.window.iter().fold(
                f64::INFINITY,
                |low, &level| if level < low { level } else { low },
            )
        };
        // The level noted 30 minutes ago settles as it is overwritten.
        let slot = &mut self.recent[minute % PEAK_SETTLES_MINUTES];
        let settled = std::mem::replace(slot, sustained);
        // The limits and partitions follow the previous peak alone: unchanged, it leaves
        // them as they are (splits for heat only add partitions).
        if minute >= PEAK_SETTLES_MINUTES && settled > self.settled_peak {
            self.settled_peak = settled;
            self.settle();
        }
    }

    /// The limits and partitions for the next minute.
    fn settle(&mut self) {
        self.limit = self.binding_limit();
        self.layout.split_for(self.instant_ceiling());
    }
}

/// The highest level held through `sustain` consecutive minutes of `minutes` (per-minute
/// averages): the previous peak that traffic leaves an existing on-demand table.
pub fn sustained_peak(minutes: &[f64], sustain: usize) -> f64 {
    minutes
        .windows(sustain.max(1))
        .map(|w| w.iter().copied().fold(f64::INFINITY, f64::min))
        .fold(0.0, f64::max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::partitions::Admitted;

    fn limits(warm: f64, max: Option<f64>, quota: f64, sustain: usize) -> Limits {
        Limits {
            warm,
            max,
            quota,
            sustain,
        }
    }

    /// Serves `demand` for `minutes`, returning the last second's served units.
    fn run(t: &mut OnDemand, demand: f64, minutes: u32) -> f64 {
        let (mut last, mut admitted) = (0.0, Admitted::default());
        for _ in 0..minutes {
            for _ in 0..60 {
                t.layout.admit(demand, None, &mut admitted);
                last = t.serve(admitted.total);
            }
            t.end_minute(60.0);
        }
        last
    }

    /// §6 [OD]: a table whose previous peak was 25,000 reads/s serves 50,000 at once, throttles
    /// 100,000 within 30 minutes, and serves 100,000 once 50,000 has been held 30 minutes
    /// (quota raised so that it does not bind; a level held one minute counts).
    #[test]
    fn twice_the_previous_peak_at_once_more_after_30_minutes() {
        let layout = Layout::new(1, &[], 3_000.0, 5);
        let mut t = OnDemand::new(limits(12_000.0, None, 1e9, 1), layout, 25_000.0);
        assert_eq!(run(&mut t, 50_000.0, 10), 50_000.0);
        // The partitions split for 50,000 (17 × 3,000) bind just before the ramp does.
        assert_eq!(run(&mut t, 100_000.0, 1), 50_000.0);
        assert_eq!(t.cause(), Cause::OnDemandRamp);
        run(&mut t, 50_000.0, 20);
        assert_eq!(run(&mut t, 100_000.0, 1), 100_000.0);
    }

    /// The reading of "sustains" (§6 [OD]): with a 5-minute window, a table holding 3,000
    /// writes/s whose traffic blips to 7,800 for one minute keeps 3,000 as its previous peak,
    /// so 30 minutes on it still serves at most 6,000 at once. Held for 5 minutes, 6,000
    /// becomes the peak 30 minutes after the window ends: 12,000 is then served.
    #[test]
    fn a_blip_is_no_peak() {
        let layout = Layout::new(1, &[], 1_000.0, 5);
        let mut t = OnDemand::new(limits(4_000.0, None, 1e9, 5), layout, 3_000.0);
        run(&mut t, 3_000.0, 60);
        assert_eq!(run(&mut t, 7_800.0, 1), 6_000.0);
        run(&mut t, 3_000.0, 60);
        assert_eq!(t.instant_ceiling(), 6_000.0);
        // Sustained from the surge's 5th minute; the peak 30 minutes later, at its 36th.
        assert_eq!(run(&mut t, 12_000.0, 35), 6_000.0);
        assert_eq!(run(&mut t, 12_000.0, 1), 12_000.0);
        assert_eq!(sustained_peak(&[3.0, 7.8, 3.0, 6.0, 6.0], 2), 6.0);
    }

    /// §6 [MAXTP], §11.3 [QUOTA]: the lower of a configured maximum and the quota binds.
    #[test]
    fn maximum_and_quota_bind() {
        let layout = Layout::new(100, &[], 1_000.0, 5);
        let mut t = OnDemand::new(
            limits(4_000.0, Some(500.0), 40_000.0, 5),
            layout.clone(),
            1e6,
        );
        assert_eq!((t.serve(800.0), t.cause()), (500.0, Cause::MaxOnDemand));
        let mut t = OnDemand::new(limits(4_000.0, None, 40_000.0, 5), layout, 1e6);
        assert_eq!(
            (t.serve(50_000.0), t.cause()),
            (40_000.0, Cause::TableQuota)
        );
    }
}
