//! The per-second engine: plays one table's demand against one capacity model and accounts for
//! every unit offered as served or throttled, with its cause.
//!
//! A table is a set of lanes: reads and writes of the table and of each GSI. Reads, and the
//! table's writes, are client streams with their own retries; a GSI's writes are fed by the
//! table's writes, and what the GSI cannot take throttles the base-table writes that feed it
//! (§3.3 [GSITHR] back-pressure).

use serde::Serialize;

use super::autoscaling::{DecreaseBudget, Scaler, TargetTracking};
use super::on_demand::{Limits, OnDemand};
use super::partitions::{Admitted, Layout};
use super::provisioned::Provisioned;
use super::retry::{Client, RetryPolicy};
use super::{Cause, Served, CAUSES};
use crate::demand::Kind;

/// The capacity models a table is simulated under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    Provisioned,
    Autoscaling,
    OnDemand,
}

impl Model {
    pub const ALL: [Model; 3] = [Model::Provisioned, Model::Autoscaling, Model::OnDemand];

    pub fn name(self) -> &'static str {
        match self {
            Model::Provisioned => "provisioned",
            Model::Autoscaling => "autoscaling",
            Model::OnDemand => "on_demand",
        }
    }
}

/// What the simulator needs of one lane, from the spec and its demand model.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneSpec {
    /// `table` or the GSI's name.
    pub target: String,
    /// 0 for the table, 1… for its GSIs in spec order.
    pub target_index: usize,
    pub kind: Kind,
    /// Mean demand in units per second (traffic shapes scale it).
    pub mean: f64,
    /// For a GSI's writes: index write units per base-table write unit.
    pub feed: Option<f64>,
    pub layout: Layout,
    /// Bytes the table or GSI holds at the start, and adds per item written to the table.
    pub storage_bytes: f64,
    pub bytes_per_item: f64,
    /// Fixed provisioned capacity.
    pub provisioned: f64,
    pub policy: TargetTracking,
    pub on_demand: Limits,
    /// What the traffic before the run left the table with; `None` starts a new table (or
    /// one just switched to this mode): no credit, autoscaling at mean ÷ target, on-demand at
    /// its warm throughput.
    pub history: Option<History>,
}

/// The state an existing table's traffic before the run leaves it in (docs/simulate.md,
/// "Warm start"), in units per second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct History {
    /// The highest level the traffic sustained: on-demand's previous peak (§6 [OD]).
    pub sustained_peak: f64,
    /// The highest per-minute level of the last 15 minutes: what target tracking has scaled
    /// to (it scales in only after 15 minutes below, §5.1 [AS]).
    pub recent: f64,
}

/// One table as the simulator sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSetup {
    pub name: String,
    pub lanes: Vec<LaneSpec>,
    pub burst_seconds: f64,
    pub retry: RetryPolicy,
    /// Scheduled patterns, whose work runs as a job a day on top of the lanes' traffic.
    pub jobs: Vec<Job>,
}

/// A pattern's day of work run as one job (a nightly scan or import): from `start` each UTC
/// day, `speed` units a second (its own rate limit), else as fast as the lane's capacity
/// allows, until the day's units are offered. Throttled units are retried as any request's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Job {
    /// The client lane it runs on (for writes, the table's: the GSIs follow).
    pub lane: usize,
    /// Second of the UTC day it starts.
    pub start: u64,
    pub units_per_day: f64,
    pub speed: Option<f64>,
}

impl TableSetup {
    fn targets(&self) -> usize {
        self.lanes
            .iter()
            .map(|l| l.target_index + 1)
            .max()
            .unwrap_or(0)
    }
}

/// Where demand comes from: each step fills the fresh demand of every lane (units per second,
/// ignored for GSI writes) and says for how many seconds it holds, or ends. `Send`: a table's
/// source is read on the pool while its models play what it gave (`run_models`).
pub trait Source: Send {
    fn next(&mut self, means: &[f64], fresh: &mut [f64]) -> Option<u32>;

    /// Items per second the last step added to the table, which grow its storage.
    fn new_items(&self) -> f64 {
        0.0
    }

    /// The traffic before the run, one entry a minute, oldest first: the fresh demand of every
    /// lane as `next` fills it. Empty when nothing is known of it.
    fn history(&self, means: &[f64]) -> Vec<Vec<f64>>;
}

/// Minutes of quiet target tracking waits before it scales in (§5.1 [AS]), so the capacity an
/// autoscaled table holds at the start follows the highest minute among them.
const RECENT_MINUTES: usize = 15;

/// Gives each lane of `setup` the state `history` (per-minute demand of each lane, oldest
/// first, as `Source::history` returns it) leaves an existing table in: a GSI's writes follow
/// the table's as always. An empty history leaves the lanes cold.
pub fn warm_start(setup: &mut TableSetup, history: &[Vec<f64>]) {
    if history.is_empty() {
        return;
    }
    let table_writes = setup
        .lanes
        .iter()
        .position(|l| l.kind == Kind::Write && l.target_index == 0);
    for i in 0..setup.lanes.len() {
        let lane = &setup.lanes[i];
        let (source, feed) = match (lane.feed, table_writes) {
            (Some(feed), Some(w)) => (w, feed),
            _ => (i, 1.0),
        };
        let minutes: Vec<f64> = history.iter().map(|m| m[source] * feed).collect();
        let recent = minutes[minutes.len().saturating_sub(RECENT_MINUTES)..]
            .iter()
            .copied()
            .fold(0.0, f64::max);
        let sustained_peak = super::on_demand::sustained_peak(&minutes, lane.on_demand.sustain);
        setup.lanes[i].history = Some(History {
            sustained_peak,
            recent,
        });
    }
}

/// Length of a run and what to keep of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    pub seconds: u64,
    /// Minutes since the Unix epoch at the start (UTC days and hours matter to scale-in).
    pub start_utc_minute: u64,
    /// Keep a series of one point per this many minutes (1, 5 or 60, docs/simulate.md
    /// "Series"); `None` keeps none.
    pub series: Option<u64>,
}

/// Buckets of the compact sparkline.
pub const SPARK_BUCKETS: usize = 48;

/// One point of a lane's series (a minute, or the minutes `RunOptions::series` says), in
/// average units per second over its seconds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Point {
    pub demand: f64,
    pub served: f64,
    pub throttled: f64,
    pub capacity: f64,
}

/// Sums of one lane over a stretch of time.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sums {
    /// New demand, before retries.
    pub fresh: f64,
    /// Demand including retries: `served + Σ throttled`.
    pub offered: f64,
    pub served: f64,
    pub throttled: [f64; CAUSES],
    /// Units still throttled at their last attempt.
    pub failed: f64,
    /// Capacity held, summed over seconds (unit-seconds).
    pub capacity_seconds: f64,
    pub throttled_seconds: u64,
    /// Some second added throttled units (however few): else `throttled` and `failed` are
    /// zero, and adding them to a total would change nothing.
    throttling: bool,
}

/// Throttled units within this share of what was offered (at least one unit) are float
/// rounding, not a throttle: two lanes of equal capacity, one fed by the other's credit, can
/// differ in the last bits of what they draw. Such units are still counted as throttled, but
/// make no second (or minute) a throttled one.
const ROUNDING: f64 = 1e-9;

fn throttles(throttled: f64, offered: f64) -> bool {
    throttled > ROUNDING * offered.max(1.0)
}

impl Sums {
    pub fn throttled_total(&self) -> f64 {
        self.throttled.iter().sum()
    }

    /// Counts `now` for `seconds` seconds (`k` of them as a float).
    fn add(&mut self, now: &Second, seconds: u64, k: f64, capacity: f64) {
        self.fresh += now.fresh * k;
        self.offered += now.offered * k;
        self.served += now.out.served * k;
        self.capacity_seconds += capacity * k;
        if now.throttled > 0.0 {
            self.throttling = true;
            self.failed += now.failed * k;
            if throttles(now.throttled, now.offered) {
                self.throttled_seconds += seconds;
            }
            for (sum, units) in self.throttled.iter_mut().zip(now.out.throttled) {
                *sum += units * k;
            }
        }
    }

    /// Adds these sums to `total` and starts them again from zero.
    fn drain_into(&mut self, total: &mut Sums) {
        total.fresh += std::mem::take(&mut self.fresh);
        total.offered += std::mem::take(&mut self.offered);
        total.served += std::mem::take(&mut self.served);
        total.capacity_seconds += std::mem::take(&mut self.capacity_seconds);
        if std::mem::take(&mut self.throttling) {
            total.throttling = true;
            for (sum, units) in total.throttled.iter_mut().zip(&mut self.throttled) {
                *sum += std::mem::take(units);
            }
            total.failed += std::mem::take(&mut self.failed);
            total.throttled_seconds += std::mem::take(&mut self.throttled_seconds);
        }
    }
}

/// One lane over the run: totals, capacity range, scaling and the optional series.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub total: Sums,
    pub min_capacity: f64,
    pub max_capacity: f64,
    pub peak_utilization: f64,
    pub scale_outs: u32,
    pub scale_ins: u32,
    /// Partitions at the start and at the end: splits for capacity, size and heat.
    pub partitions: [u32; 2],
    /// One point per `RunOptions::series` minutes, each the mean over its seconds.
    pub series: Vec<Point>,
    minute: Sums,
}

/// What a run of one table under one model produced.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelRun {
    pub model: Model,
    pub seconds: u64,
    pub lanes: Vec<Tally>,
    /// Seconds in which any client request was throttled.
    pub throttled_seconds: u64,
    /// Minute of the run with the most throttled client units, and those units.
    pub worst_minute: Option<(u64, f64)>,
    /// Client demand and throttled units in equal slices of the run.
    pub spark: Vec<[f64; 2]>,
}

enum Limit {
    Provisioned(Provisioned),
    OnDemand(OnDemand),
}

/// One second of one lane.
#[derive(Debug, Clone, Copy, Default)]
struct Second {
    fresh: f64,
    offered: f64,
    out: Served,
    /// `out.throttled_total()`, summed once.
    throttled: f64,
    failed: f64,
}

impl Second {
    /// `units` served this second are refused after all, for another index's back-pressure.
    /// Changed in place: a `Served` copied out, changed and back stalled on the stores that
    /// had just written it (store forwarding).
    fn refuse(&mut self, units: f64) {
        self.out.served -= units;
        self.out.throttled[Cause::GsiBackPressure as usize] += units;
        self.throttled = self.out.throttled_total();
        self.failed = 0.0;
    }
}

struct Lane {
    spec: LaneSpec,
    /// Bytes stored now.
    storage: f64,
    limit: Limit,
    scaler: Option<Scaler>,
    client: Option<Client>,
    now: Second,
    /// What the partition ceilings let through of the last second's units.
    admitted: Admitted,
    tally: Tally,
}

impl Lane {
    fn new(spec: &LaneSpec, model: Model, setup: &TableSetup) -> Self {
        let history = spec.history;
        let provisioned = |capacity: f64| {
            let mut layout = spec.layout.clone();
            layout.split_for(capacity);
            let table = Provisioned::new(capacity, layout, setup.burst_seconds);
            // §4 [BURST]: a table that ran under its capacity has its 300 s of credit banked.
            Limit::Provisioned(match history {
                Some(h) if h.recent <= capacity => table.rested(),
                _ => table,
            })
        };
        let (limit, scaler) = match model {
            Model::Provisioned => (provisioned(spec.provisioned), None),
            Model::Autoscaling => (
                provisioned(
                    spec.policy
                        .capacity_for(history.map_or(spec.mean, |h| h.recent)),
                ),
                Some(Scaler::new(spec.policy)),
            ),
            Model::OnDemand => (
                Limit::OnDemand(OnDemand::new(
                    spec.on_demand,
                    spec.layout.clone(),
                    history.map_or(0.0, |h| h.sustained_peak),
                )),
                None,
            ),
        };
        let mut lane = Lane {
            storage: spec.storage_bytes,
            client: spec
                .feed
                .is_none()
                .then(|| Client::new(&setup.retry, spec.layout.shares())),
            spec: spec.clone(),
            limit,
            scaler,
            now: Second::default(),
            admitted: Admitted::default(),
            tally: Tally {
                min_capacity: f64::INFINITY,
                ..Tally::default()
            },
        };
        let partitions = lane.layout().partitions();
        lane.tally.partitions = [partitions; 2];
        lane
    }

    fn layout(&mut self) -> &mut Layout {
        match &mut self.limit {
            Limit::Provisioned(p) => &mut p.layout,
            Limit::OnDemand(o) => &mut o.layout,
        }
    }

    fn capacity(&self) -> f64 {
        match &self.limit {
            Limit::Provisioned(p) => p.capacity,
            Limit::OnDemand(o) => o.capacity(),
        }
    }

    /// Serves `offered` units, split over the keys as the client's retries in flight say
    /// (else as the shares do), through the partition ceilings and the model's capacity, and
    /// records what was served and throttled by cause (`now`) and what the ceilings admitted.
    #[inline(always)]
    fn serve(&mut self, offered: f64) {
        let split_by_retries = self.client.as_ref().is_some_and(|c| c.load().is_some());
        if !split_by_retries && self.serve_in_full(offered) {
            return;
        }
        self.serve_limited(offered);
    }

    /// `serve` when retries split the load otherwise than the key shares, or a ceiling or
    /// the capacity binds.
    #[inline(never)]
    fn serve_limited(&mut self, offered: f64) {
        let load = self.client.as_ref().and_then(Client::load);
        let (served, cause) = match &mut self.limit {
            Limit::Provisioned(p) => {
                p.layout.admit(offered, load, &mut self.admitted);
                (p.serve(self.admitted.total), Cause::ProvisionedThroughput)
            }
            Limit::OnDemand(o) => {
                o.layout.admit(offered, load, &mut self.admitted);
                (o.serve(self.admitted.total), o.cause())
            }
        };
        // Written in place: a `Served` built on the stack and copied after its throttled
        // array was written at a run-time index stalled the copy (store forwarding) on every
        // lane and second.
        let (admitted, out) = (&self.admitted, &mut self.now.out);
        let by_model = admitted.uniform + (admitted.total - served);
        out.served = served;
        out.throttled = [0.0; CAUSES];
        out.throttled[Cause::KeyRange as usize] = admitted.key_range;
        out.throttled[cause as usize] += by_model;
        // `throttled_total` of those two non-negative causes, the key range's first, added
        // from registers: summing the array waited on the store at a run-time index.
        self.now.throttled = admitted.key_range + by_model;
        self.now.failed = 0.0;
    }

    /// Most seconds: with the load split as the key shares, `offered` is under every ceiling
    /// and the capacity, so all of it is served and nothing is throttled. Tells whether it
    /// was, having recorded it exactly as the general path would, without its per-key and
    /// per-cause work.
    #[inline(always)]
    fn serve_in_full(&mut self, offered: f64) -> bool {
        let served = match &mut self.limit {
            Limit::Provisioned(p)
                if offered <= p.layout.linear_up_to() && offered <= p.capacity =>
            {
                p.serve(offered)
            }
            Limit::OnDemand(o) if offered <= o.layout.linear_up_to() && offered <= o.capacity() => {
                o.serve(offered)
            }
            _ => return false,
        };
        self.admitted.total = offered;
        self.admitted.keys = None;
        let now = &mut self.now;
        now.out.served = served;
        if now.throttled != 0.0 {
            now.out.throttled = [0.0; CAUSES];
            now.throttled = 0.0;
        }
        now.failed = 0.0;
        true
    }

    /// The most units a second with no retry in flight serves in full (`serve_in_full`).
    fn fits(&self) -> f64 {
        match &self.limit {
            Limit::Provisioned(p) => p.layout.linear_up_to().min(p.capacity),
            Limit::OnDemand(o) => o.layout.linear_up_to().min(o.capacity()),
        }
    }

    /// `units` served in the last second were refused after all (§3.3 [GSITHR]).
    fn refund(&mut self, units: f64) {
        match &mut self.limit {
            Limit::Provisioned(p) => p.refund(units),
            Limit::OnDemand(o) => o.refund(units),
        }
    }

    /// Tells the client what this second throttled; it schedules the retries.
    #[inline(always)]
    fn settle(&mut self, second: u64) {
        if self.now.throttled > 0.0 {
            self.retry(second);
        } else {
            self.now.failed = 0.0;
        }
    }

    #[inline(never)]
    fn retry(&mut self, second: u64) {
        let client = self.client.as_mut().expect("client lanes have a client");
        let now = &self.now;
        self.now.failed = client.settle(second, now.offered, &self.admitted, now.out.served);
    }

    fn repeatable(&self) -> bool {
        match &self.limit {
            Limit::Provisioned(p) => p.repeatable(),
            // Within a minute, an on-demand lane's limits are fixed.
            Limit::OnDemand(_) => true,
        }
    }

    fn repeat(&mut self, seconds: f64) {
        match &mut self.limit {
            Limit::Provisioned(p) => p.repeat(seconds),
            Limit::OnDemand(o) => o.repeat(seconds),
        }
    }

    fn commit(&mut self, seconds: u64, k: f64) {
        // Heat is the application's demand (§4 [ATC22], see `Layout::note_heat`).
        let fresh = self.now.fresh;
        self.layout().note_heat(fresh);
        let capacity = self.capacity();
        self.tally.minute.add(&self.now, seconds, k, capacity);
    }
}

/// One table under one model.
pub struct TableSim {
    model: Model,
    lanes: Vec<Lane>,
    budgets: Vec<DecreaseBudget>,
    options: RunOptions,
    second: u64,
    means: Vec<f64>,
    throttled_seconds: u64,
    minute_demand: f64,
    minute_throttled: f64,
    worst_minute: Option<(u64, f64)>,
    spark: Vec<[f64; 2]>,
    jobs: Vec<Job>,
    /// Units each job has still to offer today.
    job_left: Vec<f64>,
    /// Fresh demand with the jobs' units added, for seconds a job runs.
    with_jobs: Vec<f64>,
    /// The lane of the table's writes, which feed the GSIs' writes.
    table_writes: Option<usize>,
    /// Each lane's busiest second of the minute ahead (`quiet`).
    busiest: Vec<f64>,
}

impl TableSim {
    pub fn new(setup: &TableSetup, model: Model, options: RunOptions) -> Self {
        let lanes: Vec<Lane> = setup
            .lanes
            .iter()
            .map(|spec| Lane::new(spec, model, setup))
            .collect();
        let mut sim = TableSim {
            model,
            means: setup.lanes.iter().map(|l| l.mean).collect(),
            lanes,
            budgets: vec![DecreaseBudget::default(); setup.targets()],
            options,
            second: 0,
            throttled_seconds: 0,
            minute_demand: 0.0,
            minute_throttled: 0.0,
            worst_minute: None,
            spark: vec![[0.0; 2]; SPARK_BUCKETS],
            jobs: setup.jobs.clone(),
            job_left: vec![0.0; setup.jobs.len()],
            with_jobs: vec![0.0; setup.lanes.len()],
            table_writes: setup
                .lanes
                .iter()
                .position(|l| l.feed.is_none() && l.kind == Kind::Write && l.target_index == 0),
            busiest: Vec::with_capacity(setup.lanes.len()),
        };
        sim.start_minute();
        sim
    }

    /// Lane means, for sources that scale them.
    pub fn means(&self) -> &[f64] {
        &self.means
    }

    pub fn second(&self) -> u64 {
        self.second
    }

    /// Each lane's last second as `[offered, served, throttled]` units, so that callers (and
    /// the conservation tests) can audit the accounting second by second.
    pub fn last_second(&self) -> Vec<[f64; 3]> {
        self.lanes
            .iter()
            .map(|l| [l.now.offered, l.now.out.served, l.now.throttled])
            .collect()
    }

    /// Serves `seconds` seconds of the same fresh demand. When a second leaves every lane
    /// repeatable (no credit drawn or lent, no retry in flight), the rest of the minute would
    /// repeat it exactly but for burst credit growing linearly, so it is counted at once:
    /// per-minute input costs a few steps per minute, not sixty.
    pub fn run(&mut self, fresh: &[f64], seconds: u32) {
        let mut left = u64::from(seconds).min(self.options.seconds - self.second);
        while left > 0 {
            let n = left.min(60 - self.second % 60);
            let calm_before = left > 1 && self.idle(self.second) && !self.job_runs(n);
            if self.jobs.is_empty() {
                self.serve_second(fresh);
            } else {
                self.add_jobs(fresh);
                let with_jobs = std::mem::take(&mut self.with_jobs);
                self.serve_second(&with_jobs);
                self.with_jobs = with_jobs;
            }
            if calm_before
                && n > 1
                && self.idle(self.second + 1)
                && self.lanes.iter().all(Lane::repeatable)
            {
                for lane in &mut self.lanes {
                    lane.repeat((n - 1) as f64);
                }
                self.commit::<false>(n);
                left -= n;
            } else {
                self.commit::<true>(1);
                left -= 1;
            }
        }
    }

    /// Serves a whole minute of generated demand, `minute[s * lanes + lane]` for second `s`,
    /// from a minute's start. A quiet minute, in which no retry is in flight, no job runs and
    /// every lane's busiest second is within what it serves in full, is counted lane by lane
    /// with the very additions second-by-second stepping makes, without its per-second
    /// bookkeeping; any other minute is stepped second by second.
    pub fn run_minute(&mut self, minute: &[f64]) {
        let lanes = self.lanes.len();
        assert_eq!(minute.len(), 60 * lanes, "a minute of every lane's demand");
        let whole_minute = self.second.is_multiple_of(60)
            && self.options.seconds.saturating_sub(self.second) >= 60;
        if !whole_minute || !self.quiet(minute) {
            for fresh in minute.chunks_exact(lanes) {
                self.run(fresh, 1);
            }
            return;
        }
        let w = self.table_writes.unwrap_or(0);
        let mut units = [0.0; 60];
        for (i, lane) in self.lanes.iter_mut().enumerate() {
            match lane.spec.feed {
                Some(feed) => {
                    for (s, u) in units.iter_mut().enumerate() {
                        *u = minute[s * lanes + w] * feed;
                    }
                }
                None => {
                    for (s, u) in units.iter_mut().enumerate() {
                        *u = minute[s * lanes + i];
                    }
                }
            }
            let capacity = lane.capacity();
            let layout = match &mut lane.limit {
                Limit::Provisioned(p) => {
                    p.serve_within(&units);
                    &mut p.layout
                }
                Limit::OnDemand(o) => {
                    o.serve_within(&units);
                    &mut o.layout
                }
            };
            if units.iter().any(|&u| u > layout.heat_up_to()) {
                for &u in &units {
                    layout.note_heat(u);
                }
            }
            let sums = &mut lane.tally.minute;
            for &u in &units {
                sums.fresh += u;
                sums.offered += u;
                sums.served += u;
                sums.capacity_seconds += capacity;
            }
            let units = units[59];
            if let Some(client) = &mut lane.client {
                client.offer(self.second + 59, units);
            }
            lane.admitted.total = units;
            lane.admitted.keys = None;
            lane.now = Second {
                fresh: units,
                offered: units,
                out: Served {
                    served: units,
                    throttled: [0.0; CAUSES],
                },
                throttled: 0.0,
                failed: 0.0,
            };
        }
        for fresh in minute.chunks_exact(lanes) {
            let mut demand = 0.0;
            for (lane, units) in self.lanes.iter().zip(fresh) {
                if lane.client.is_some() {
                    demand += units;
                }
            }
            self.minute_demand += demand;
        }
        self.second += 60;
        self.end_minute();
        self.start_minute();
    }

    /// Whether the minute ahead is quiet (`run_minute`).
    fn quiet(&mut self, minute: &[f64]) -> bool {
        if !self.idle(self.second) || self.job_runs(60) {
            return false;
        }
        let busiest = &mut self.busiest;
        busiest.clear();
        busiest.extend_from_slice(&minute[..self.lanes.len()]);
        for fresh in minute.chunks_exact(busiest.len()) {
            for (peak, &units) in busiest.iter_mut().zip(fresh) {
                if units > *peak {
                    *peak = units;
                }
            }
        }
        self.lanes.iter().zip(&self.busiest).all(|(lane, &peak)| {
            let peak = match (lane.spec.feed, self.table_writes) {
                (None, _) => peak,
                (Some(feed), Some(w)) => self.busiest[w] * feed,
                (Some(_), None) => return false,
            };
            peak <= lane.fits()
        })
    }

    /// `items` new items reach the table: the table and its GSIs store more, and partitions
    /// that fill split (§4 [PART]).
    pub fn add_items(&mut self, items: f64) {
        for lane in &mut self.lanes {
            lane.storage += items * lane.spec.bytes_per_item;
            let bytes = lane.storage;
            lane.layout().split_for_size(bytes);
        }
    }

    /// Second of the UTC day `second` of the run falls on.
    fn second_of_day(&self, second: u64) -> u64 {
        (self.options.start_utc_minute * 60 + second) % 86_400
    }

    /// Whether a job has work left or starts within the next `seconds` seconds.
    fn job_runs(&self, seconds: u64) -> bool {
        self.jobs.iter().zip(&self.job_left).any(|(job, &left)| {
            left > 0.0 || (job.start + 86_400 - self.second_of_day(self.second)) % 86_400 < seconds
        })
    }

    /// `fresh` with this second's job units added: a job due now gets its day's work, and
    /// offers what its speed, or the lane's capacity, allows.
    fn add_jobs(&mut self, fresh: &[f64]) {
        self.with_jobs.copy_from_slice(fresh);
        let now = self.second_of_day(self.second);
        for (job, left) in self.jobs.iter().zip(&mut self.job_left) {
            if now == job.start {
                *left += job.units_per_day;
            }
            if *left > 0.0 {
                let speed = job.speed.unwrap_or_else(|| self.lanes[job.lane].capacity());
                let units = left.min(speed.max(0.0));
                *left -= units;
                self.with_jobs[job.lane] += units;
            }
        }
    }

    fn idle(&self, second: u64) -> bool {
        self.lanes
            .iter()
            .all(|l| l.client.as_ref().is_none_or(|c| c.idle(second)))
    }

    /// One second: reads, then the table's writes, then the index entries of the writes it
    /// admitted (§14 [GSITHR]: a write the table throttles writes no index entry),
    /// whose refusal by a GSI throttles the base write (§3.3 [GSITHR] back-pressure).
    fn serve_second(&mut self, fresh: &[f64]) {
        let second = self.second;
        let mut table_writes = None;
        for (i, lane) in self.lanes.iter_mut().enumerate() {
            let Some(client) = lane.client.as_mut() else {
                continue;
            };
            lane.now.fresh = fresh[i];
            lane.now.offered = client.offer(second, fresh[i]);
            lane.serve(lane.now.offered);
            if lane.spec.kind == Kind::Write && lane.spec.target_index == 0 {
                table_writes = Some(i);
            } else {
                lane.settle(second);
            }
        }
        let Some(w) = table_writes else {
            return;
        };
        let written = self.lanes[w].now.out.served;
        // The share of admitted base writes whose entry some GSI could not take.
        let mut rejected = 0.0f64;
        for lane in self.lanes.iter_mut() {
            if let Some(feed) = lane.spec.feed {
                lane.now.fresh = written * feed;
                lane.now.offered = written * feed;
                lane.serve(lane.now.offered);
                if lane.now.throttled > 0.0 {
                    rejected = rejected.max(lane.now.throttled / lane.now.offered);
                }
            }
        }
        if rejected > 0.0 {
            // The writes refused write nothing: the GSIs that took their entries give them
            // back, as refused for another index's back-pressure.
            for lane in self.lanes.iter_mut().filter(|l| l.spec.feed.is_some()) {
                let refused = lane.now.offered * rejected - lane.now.throttled;
                if refused > 0.0 {
                    lane.refund(refused);
                    lane.now.refuse(refused);
                }
            }
            let lane = &mut self.lanes[w];
            let refused = written * rejected;
            lane.refund(refused);
            lane.now.refuse(refused);
        }
        self.lanes[w].settle(second);
    }

    /// Counts the last second `k` times and moves the clock on. Compiled apart for one
    /// second (`ONE`), as seconds that throttle or have retries in flight are counted:
    /// their products and quotient by `k`, exactly one, fold away.
    fn commit<const ONE: bool>(&mut self, k: u64) {
        let kf = if ONE { 1.0 } else { k as f64 };
        let (mut demand, mut offered, mut throttled) = (0.0, 0.0, 0.0);
        for lane in &mut self.lanes {
            lane.commit(k, kf);
            if lane.client.is_some() {
                demand += lane.now.fresh * kf;
                offered += lane.now.offered;
                throttled += lane.now.throttled * kf;
            }
        }
        if throttled > 0.0 && throttles(throttled / kf, offered) {
            self.throttled_seconds += k;
        }
        self.minute_demand += demand;
        self.minute_throttled += throttled;
        self.second += k;
        if self.second.is_multiple_of(60) || self.second == self.options.seconds {
            self.end_minute();
            self.start_minute();
        }
    }

    fn end_minute(&mut self) {
        let minute = (self.second - 1) / 60;
        let seconds = (self.second - minute * 60) as f64;
        for lane in &mut self.lanes {
            let capacity = lane.capacity();
            let t = &mut lane.tally;
            let m = &t.minute;
            let point = Point {
                demand: m.fresh / seconds,
                served: m.served / seconds,
                throttled: m.throttled_total() / seconds,
                capacity: m.capacity_seconds / seconds,
            };
            // Compared, not `f64::min`/`max`, whose NaN rule costs more: none is NaN.
            if point.capacity < t.min_capacity {
                t.min_capacity = point.capacity;
            }
            if point.capacity > t.max_capacity {
                t.max_capacity = point.capacity;
            }
            if point.capacity > 0.0 {
                let utilization = point.served / point.capacity;
                if utilization > t.peak_utilization {
                    t.peak_utilization = utilization;
                }
            }
            if let Some(minutes) = self.options.series {
                // A point sums its minutes' units while open and divides by its seconds at
                // its last minute (the run's last may be short). Sized once: a year of points
                // grown by doubling would hold up to twice what it keeps.
                if minute.is_multiple_of(minutes) {
                    if t.series.is_empty() {
                        let points = self.options.seconds.div_ceil(60 * minutes);
                        t.series.reserve_exact(points as usize);
                    }
                    t.series.push(Point::default());
                }
                let p = t
                    .series
                    .last_mut()
                    .expect("a point opens at its first minute");
                p.demand += m.fresh;
                p.served += m.served;
                p.throttled += m.throttled_total();
                p.capacity += m.capacity_seconds;
                if (minute + 1).is_multiple_of(minutes) || self.second == self.options.seconds {
                    let seconds = (self.second - (minute - minute % minutes) * 60) as f64;
                    p.demand /= seconds;
                    p.served /= seconds;
                    p.throttled /= seconds;
                    p.capacity /= seconds;
                }
            }
            t.minute.drain_into(&mut t.total);
            match &mut lane.limit {
                Limit::OnDemand(o) => o.end_minute(seconds),
                Limit::Provisioned(p) => {
                    p.layout.end_minute();
                    if let Some(s) = &mut lane.scaler {
                        let budget = &mut self.budgets[lane.spec.target_index];
                        s.decide(minute, point.served, capacity, budget);
                    }
                }
            }
        }
        let throttled = std::mem::take(&mut self.minute_throttled);
        let bucket = minute * 60 * SPARK_BUCKETS as u64 / self.options.seconds.max(1);
        let slot = &mut self.spark[(bucket as usize).min(SPARK_BUCKETS - 1)];
        let demand = std::mem::take(&mut self.minute_demand);
        slot[0] += demand;
        slot[1] += throttled;
        if throttles(throttled, demand) && self.worst_minute.is_none_or(|(_, w)| throttled > w) {
            self.worst_minute = Some((minute, throttled));
        }
    }

    /// A new minute: the decrease budgets move on and due scaling changes take effect.
    fn start_minute(&mut self) {
        let minute = self.second / 60;
        for budget in &mut self.budgets {
            budget.tick(self.options.start_utc_minute + minute);
        }
        for lane in &mut self.lanes {
            if let (Some(s), Limit::Provisioned(p)) = (&mut lane.scaler, &mut lane.limit) {
                if let Some(capacity) = s.due(minute, p.capacity) {
                    p.set_capacity(capacity);
                    lane.tally.scale_outs = s.scale_outs;
                    lane.tally.scale_ins = s.scale_ins;
                }
            }
        }
    }

    pub fn finish(self) -> ModelRun {
        ModelRun {
            model: self.model,
            seconds: self.second,
            lanes: self
                .lanes
                .into_iter()
                .map(|mut l| {
                    l.tally.partitions[1] = l.layout().partitions();
                    l.tally
                })
                .collect(),
            throttled_seconds: self.throttled_seconds,
            worst_minute: self.worst_minute,
            spark: self.spark,
        }
    }
}

/// What a table's traffic asks of a model's run, in order. It depends on the traffic and the
/// run's length alone, never on the model, so it is worked out once from the source and
/// played by every model of the table (`run_models`).
#[derive(Debug, Clone, Copy)]
enum Call {
    /// `run_minute` of the 60 one-second steps from this offset of the chunk's demand.
    Minute(usize),
    /// `steps` calls of `run` for `seconds`, the k-th of the step at `at + k × lanes`, each
    /// after `items` new items a second reach the table. Like steps follow each other as
    /// one call: a month of per-minute replay is one call, not 43,200 of 24 bytes.
    Run {
        at: usize,
        seconds: u32,
        steps: u32,
        items: f64,
    },
}

impl Chunk {
    /// Adds a step of `seconds` at `at`, into the call before when it is a like step just
    /// before this one.
    fn push_run(&mut self, lanes: usize, at: usize, seconds: u32, items: f64) {
        if let Some(Call::Run {
            at: first,
            seconds: s,
            steps,
            items: i,
        }) = self.calls.last_mut()
        {
            if *s == seconds && *i == items && *first + *steps as usize * lanes == at {
                *steps += 1;
                return;
            }
        }
        self.calls.push(Call::Run {
            at,
            seconds,
            steps: 1,
            items,
        });
    }
}

/// A stretch of the calls and the demand they read.
#[derive(Debug, Default)]
struct Chunk {
    demand: Vec<f64>,
    calls: Vec<Call>,
}

/// Demand values a chunk holds, 1.4 MB of them whatever the run's length: six hours of
/// per-second steps of an eight-lane table, a day of a two-lane one, and a month or more of
/// per-minute replay, which so reads its traffic in one go. The models wait for each other
/// once a chunk, few enough times that the pool's idle threads spend little looking for work.
const CHUNK_VALUES: usize = 8 * 6 * 3_600;

/// Works out the calls from the source, with the clock every run keeps (`TableSim::second`):
/// plain one-second steps from a minute's start are gathered into a minute, any other step is
/// stepped on its own after what was gathered.
struct Schedule<'a> {
    source: &'a mut dyn Source,
    means: Vec<f64>,
    seconds: u64,
    clock: u64,
    done: bool,
}

impl Schedule<'_> {
    /// Fills `chunk` with the next calls; tells whether any remain after them.
    fn fill(&mut self, chunk: &mut Chunk) -> bool {
        let lanes = self.means.len();
        chunk.demand.clear();
        chunk.calls.clear();
        // Room for the whole chunk at once: grown by doubling, a month of replay was copied
        // about twice over, and the copies' fresh pages were a tenth of the process's faults.
        // A stretch ends at a minute's start once it holds `CHUNK_VALUES`, so it holds at most
        // a minute more, and each call reads at least one value per lane.
        chunk.demand.reserve(CHUNK_VALUES + 60 * lanes);
        chunk.calls.reserve(CHUNK_VALUES / lanes + 60);
        // Seconds gathered of the minute being gathered, and where its demand starts.
        let mut gathered = 0;
        let mut minute = 0;
        while !self.done && self.clock < self.seconds {
            if gathered == 0 && chunk.demand.len() >= CHUNK_VALUES {
                return true;
            }
            let at = chunk.demand.len();
            chunk.demand.resize(at + lanes, 0.0);
            let Some(seconds) = self.source.next(&self.means, &mut chunk.demand[at..]) else {
                chunk.demand.truncate(at);
                self.done = true;
                break;
            };
            let items = self.source.new_items();
            if seconds == 1 && items == 0.0 && self.clock.is_multiple_of(60) {
                if gathered == 0 {
                    minute = at;
                }
                gathered += 1;
                if gathered < 60 {
                    continue;
                }
                chunk.calls.push(Call::Minute(minute));
                self.advance(60);
            } else {
                // Not a plain second: what was gathered is stepped first.
                self.step_gathered(chunk, minute, gathered);
                chunk.push_run(lanes, at, seconds, items);
                self.advance(u64::from(seconds));
            }
            gathered = 0;
        }
        self.step_gathered(chunk, minute, gathered);
        false
    }

    fn step_gathered(&mut self, chunk: &mut Chunk, minute: usize, gathered: usize) {
        let lanes = self.means.len();
        for s in 0..gathered {
            chunk.push_run(lanes, minute + s * lanes, 1, 0.0);
            self.advance(1);
        }
    }

    /// A run moves on by `seconds`, never past its end.
    fn advance(&mut self, seconds: u64) {
        self.clock = (self.clock + seconds).min(self.seconds);
    }
}

impl TableSim {
    /// Plays `chunk`'s calls; `progress` hears of every simulated hour.
    fn play(&mut self, chunk: &Chunk, progress: &(dyn Fn(u64) + Sync)) {
        let lanes = self.lanes.len();
        for &call in &chunk.calls {
            match call {
                Call::Minute(at) => {
                    let hour = self.second / 3_600;
                    self.run_minute(&chunk.demand[at..at + 60 * lanes]);
                    self.report_hours(hour, progress);
                }
                Call::Run {
                    at,
                    seconds,
                    steps,
                    items,
                } => {
                    for at in (at..).step_by(lanes).take(steps as usize) {
                        let hour = self.second / 3_600;
                        if items > 0.0 {
                            self.add_items(items * f64::from(seconds));
                        }
                        self.run(&chunk.demand[at..at + lanes], seconds);
                        self.report_hours(hour, progress);
                    }
                }
            }
        }
    }

    /// Tells `progress` of the hours crossed since `hour`: a step may cross several (a
    /// replayed gap), and each one counts.
    fn report_hours(&self, hour: u64, progress: &(dyn Fn(u64) + Sync)) {
        let crossed = self.second / 3_600 - hour;
        if crossed > 0 {
            progress(crossed * 3_600);
        }
    }
}

/// Plays `source` against each job's setup under its model, all for one run length: the
/// source is read once and every model plays what it gave, on the shared pool, while the next
/// stretch is read. `progress` hears of every simulated hour of every job.
pub fn run_models(
    jobs: &[(Model, &TableSetup, RunOptions)],
    source: &mut dyn Source,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<ModelRun> {
    use rayon::prelude::*;
    let mut sims: Vec<TableSim> = jobs
        .iter()
        .map(|&(model, setup, options)| TableSim::new(setup, model, options))
        .collect();
    let Some(first) = sims.first() else {
        return Vec::new();
    };
    debug_assert!(
        jobs.iter().all(|j| j.2.seconds == jobs[0].2.seconds),
        "one run length for every job"
    );
    let mut schedule = Schedule {
        means: first.means().to_vec(),
        seconds: first.options.seconds,
        source,
        clock: 0,
        done: false,
    };
    let (mut current, mut next) = (Chunk::default(), Chunk::default());
    let mut more = schedule.fill(&mut current);
    loop {
        // One model plays on this thread: the pool would keep another looking for work.
        let play = |sims: &mut Vec<TableSim>| match sims.as_mut_slice() {
            [sim] => sim.play(&current, progress),
            sims => sims
                .par_iter_mut()
                .for_each(|sim| sim.play(&current, progress)),
        };
        if !more {
            play(&mut sims);
            break;
        }
        (more, ()) = rayon::join(|| schedule.fill(&mut next), || play(&mut sims));
        std::mem::swap(&mut current, &mut next);
    }
    sims.into_iter().map(TableSim::finish).collect()
}
