//! The per-second engine: plays one table's demand against one capacity model and accounts for
//! every unit offered as served or throttled, with its cause.
//!
//! A table is a set of lanes: reads and writes of the table and of each GSI. Reads, and the
//! table's writes, are client streams with their own retries; a GSI's writes are fed by the
//! table's writes, and what the GSI cannot take throttles the base-table writes that feed it
//! (§3.3 [GSITHR] back-pressure).

use serde::Serialize;

use super::autoscaling::{DecreaseBudget, Policy, Scaler};
use super::on_demand::{Limits, OnDemand};
use super::partitions::Layout;
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
    pub policy: Policy,
    pub on_demand: Limits,
}

/// One table as the simulator sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct TableSetup {
    pub name: String,
    pub lanes: Vec<LaneSpec>,
    pub burst_seconds: f64,
    pub retry: RetryPolicy,
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
/// ignored for GSI writes) and says for how many seconds it holds, or ends.
pub trait Source {
    fn next(&mut self, means: &[f64], fresh: &mut [f64]) -> Option<u32>;

    /// Items per second the last step added to the table, which grow its storage.
    fn new_items(&self) -> f64 {
        0.0
    }
}

/// Length of a run and what to keep of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOptions {
    pub seconds: u64,
    /// Minutes since the Unix epoch at the start (UTC days and hours matter to scale-in).
    pub start_utc_minute: u64,
    /// Keep the per-minute series.
    pub series: bool,
}

/// Buckets of the compact sparkline.
pub const SPARK_BUCKETS: usize = 48;

/// One minute of one lane, in average units per second.
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
}

impl Sums {
    pub fn throttled_total(&self) -> f64 {
        self.throttled.iter().sum()
    }

    fn add(&mut self, now: &Second, k: f64, capacity: f64) {
        self.fresh += now.fresh * k;
        self.offered += now.offered * k;
        self.served += now.out.served * k;
        self.capacity_seconds += capacity * k;
        if now.throttled > 0.0 {
            self.failed += now.failed * k;
            self.throttled_seconds += k as u64;
            for (sum, units) in self.throttled.iter_mut().zip(now.out.throttled) {
                *sum += units * k;
            }
        }
    }

    fn merge(&mut self, other: &Sums) {
        self.fresh += other.fresh;
        self.offered += other.offered;
        self.served += other.served;
        for (sum, units) in self.throttled.iter_mut().zip(other.throttled) {
            *sum += units;
        }
        self.failed += other.failed;
        self.capacity_seconds += other.capacity_seconds;
        self.throttled_seconds += other.throttled_seconds;
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
    /// Records what the lane did with `offered` units.
    fn served(&mut self, out: Served) {
        self.throttled = out.throttled_total();
        self.out = out;
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
    tally: Tally,
}

impl Lane {
    fn new(spec: &LaneSpec, model: Model, setup: &TableSetup) -> Self {
        let provisioned = |capacity: f64| {
            let mut layout = spec.layout.clone();
            layout.split_for(capacity);
            Limit::Provisioned(Provisioned::new(capacity, layout, setup.burst_seconds))
        };
        let (limit, scaler) = match model {
            Model::Provisioned => (provisioned(spec.provisioned), None),
            Model::Autoscaling => (
                provisioned(spec.policy.capacity_for(spec.mean)),
                Some(Scaler::new(spec.policy)),
            ),
            Model::OnDemand => (
                Limit::OnDemand(OnDemand::new(spec.on_demand, spec.layout.clone(), 0.0)),
                None,
            ),
        };
        let mut lane = Lane {
            storage: spec.storage_bytes,
            client: spec.feed.is_none().then(|| Client::new(&setup.retry)),
            spec: spec.clone(),
            limit,
            scaler,
            now: Second::default(),
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

    fn serve(&mut self, demand: f64) -> Served {
        match &mut self.limit {
            Limit::Provisioned(p) => p.serve(demand),
            Limit::OnDemand(o) => o.serve(demand),
        }
    }

    fn repeatable(&self) -> bool {
        match &self.limit {
            Limit::Provisioned(p) => p.repeatable(),
            // Within a minute, an on-demand lane's limits are fixed.
            Limit::OnDemand(_) => true,
        }
    }

    fn repeat(&mut self, seconds: f64) {
        if let Limit::Provisioned(p) = &mut self.limit {
            p.repeat(seconds);
        }
    }

    fn commit(&mut self, k: f64) {
        // Heat is the application's demand (§4 [ATC22], see `Layout::note_heat`).
        let fresh = self.now.fresh;
        self.layout().note_heat(fresh);
        let capacity = self.capacity();
        self.tally.minute.add(&self.now, k, capacity);
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
            let calm_before = left > 1 && self.idle(self.second);
            self.serve_second(fresh);
            let n = left.min(60 - self.second % 60);
            let k = if calm_before
                && n > 1
                && self.idle(self.second + 1)
                && self.lanes.iter().all(Lane::repeatable)
            {
                for lane in &mut self.lanes {
                    lane.repeat((n - 1) as f64);
                }
                n
            } else {
                1
            };
            self.commit(k);
            left -= k;
        }
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

    fn idle(&self, second: u64) -> bool {
        self.lanes
            .iter()
            .all(|l| l.client.as_ref().is_none_or(|c| c.idle(second)))
    }

    /// One second: reads, then the GSIs' writes, then the table's writes they admit.
    fn serve_second(&mut self, fresh: &[f64]) {
        let second = self.second;
        let mut table_writes = None;
        for (i, lane) in self.lanes.iter_mut().enumerate() {
            if lane.spec.feed.is_some() {
                continue;
            }
            let client = lane.client.as_mut().expect("client lanes have a client");
            lane.now.fresh = fresh[i];
            lane.now.offered = client.offer(second, fresh[i]);
            if lane.spec.kind == Kind::Write && lane.spec.target_index == 0 {
                table_writes = Some(i);
                continue;
            }
            let out = lane.serve(lane.now.offered);
            lane.now.served(out);
            let client = lane.client.as_mut().expect("client lanes have a client");
            lane.now.failed = client.settle(second, lane.now.throttled);
        }
        let Some(w) = table_writes else { return };
        let base = (self.lanes[w].now.fresh, self.lanes[w].now.offered);
        // The share of base writes whose update some GSI could not take.
        let mut rejected = 0.0f64;
        for lane in self.lanes.iter_mut() {
            if let Some(feed) = lane.spec.feed {
                lane.now.fresh = base.0 * feed;
                lane.now.offered = base.1 * feed;
                let out = lane.serve(lane.now.offered);
                lane.now.served(out);
                if lane.now.throttled > 0.0 {
                    rejected = rejected.max(lane.now.throttled / lane.now.offered);
                }
            }
        }
        let lane = &mut self.lanes[w];
        let mut out = lane.serve(base.1 * (1.0 - rejected));
        out.throttled[Cause::GsiBackPressure as usize] = base.1 * rejected;
        lane.now.served(out);
        let client = lane.client.as_mut().expect("client lanes have a client");
        lane.now.failed = client.settle(second, lane.now.throttled);
    }

    /// Counts the last second `k` times and moves the clock on.
    fn commit(&mut self, k: u64) {
        let kf = k as f64;
        let (mut demand, mut throttled) = (0.0, 0.0);
        for lane in &mut self.lanes {
            lane.commit(kf);
            if lane.client.is_some() {
                demand += lane.now.fresh * kf;
                throttled += lane.now.throttled * kf;
            }
        }
        if throttled > 0.0 {
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
            let m = std::mem::take(&mut lane.tally.minute);
            let point = Point {
                demand: m.fresh / seconds,
                served: m.served / seconds,
                throttled: m.throttled_total() / seconds,
                capacity: m.capacity_seconds / seconds,
            };
            let t = &mut lane.tally;
            t.total.merge(&m);
            t.min_capacity = t.min_capacity.min(point.capacity);
            t.max_capacity = t.max_capacity.max(point.capacity);
            if point.capacity > 0.0 {
                t.peak_utilization = t.peak_utilization.max(point.served / point.capacity);
            }
            if self.options.series {
                t.series.push(point);
            }
            match &mut lane.limit {
                Limit::OnDemand(o) => o.end_minute(),
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
        slot[0] += std::mem::take(&mut self.minute_demand);
        slot[1] += throttled;
        if throttled > 0.0 && self.worst_minute.is_none_or(|(_, w)| throttled > w) {
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

/// Plays `source` against `setup` under `model`; `progress` hears of every simulated hour.
pub fn run_model(
    setup: &TableSetup,
    model: Model,
    source: &mut dyn Source,
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> ModelRun {
    let mut sim = TableSim::new(setup, model, options);
    let means = sim.means().to_vec();
    let mut fresh = vec![0.0; means.len()];
    while sim.second() < options.seconds {
        let Some(seconds) = source.next(&means, &mut fresh) else {
            break;
        };
        let hour = sim.second() / 3_600;
        let items = source.new_items();
        if items > 0.0 {
            sim.add_items(items * f64::from(seconds));
        }
        sim.run(&fresh, seconds);
        // A step may cross several hours (a replayed gap); count each one.
        let crossed = sim.second() / 3_600 - hour;
        if crossed > 0 {
            progress(crossed * 3_600);
        }
    }
    sim.finish()
}
