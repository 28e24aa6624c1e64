//! Runs the simulator over a spec and turns the runs into the report: throttling per model,
//! causes, utilization, scale events, the cost of the replayed capacity, and a recommendation.

use std::collections::BTreeMap;

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::engine::{run_model, ModelRun, Point, RunOptions, Source, TableSetup, Tally};
use super::metrics::{MetricSeries, Replay};
use super::setup::{table_setup, write_units_per_item};
use super::traffic::Generated;
use super::{Cause, Model};
use crate::cost::{self, Bill, TableUsage, Throughput};
use crate::demand::{Kind, TableDemand};
use crate::plan::SCHEMA_VERSION;
use crate::pricing::Catalog;
use crate::quantity::MonthHours;
use crate::workload::model::{self, Spec};

/// Minutes since the epoch of 2024-01-01 00:00 UTC, a Monday: where generated traffic starts.
pub const GENERATED_START_MINUTE: u64 = 28_401_120;
/// Autoscaling targets the recommendation search tries.
pub const SEARCH_TARGETS: [f64; 5] = [0.5, 0.6, 0.7, 0.8, 0.9];
/// Minimums the search tries besides the policy's own, as multiples of each lane's mean
/// demand. Capacity tracks demand ÷ target, so a minimum only matters where demand is low:
/// 0.5 and 1 lift the quiet hours a ramp starts from, 2 and 3 keep room (with burst credit)
/// for a spike the scaling delay leaves uncovered.
pub const SEARCH_MIN_FACTORS: [f64; 4] = [0.5, 1.0, 2.0, 3.0];

/// What to simulate.
#[derive(Debug, Clone, Default)]
pub struct SimOptions {
    /// Days to simulate: all of the metrics when replaying, 7 when generating if unset.
    pub days: Option<u64>,
    pub seed: u64,
    /// Keep per-minute series (for JSON `--series` and charts).
    pub series: bool,
    /// Search autoscaling targets and minimums for the cheapest within the throttling budget.
    pub search: bool,
    /// Simulate only these tables (all when empty).
    pub tables: Vec<String>,
    /// Simulate only these models (all when empty).
    pub models: Vec<Model>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SimReport {
    pub schema_version: u32,
    pub tool_version: &'static str,
    pub spec: String,
    /// `generated` or the metrics file replayed.
    pub traffic: String,
    pub seed: u64,
    /// UTC start of the simulated time, `YYYY-MM-DD HH:MM`.
    pub start: String,
    pub seconds: u64,
    pub tables: Vec<TableResult>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableResult {
    pub table: String,
    /// Largest acceptable throttled share: the table's `budget.max_throttled`, else the
    /// workload's, else 0.
    pub max_throttled: f64,
    pub models: Vec<ModelResult>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub search: Vec<SearchPoint>,
    pub recommendation: String,
}

impl SimReport {
    /// Forgets the per-minute series (kept for a chart, shown in JSON only on request).
    pub fn drop_series(&mut self) {
        for model in self.tables.iter_mut().flat_map(|t| t.models.iter_mut()) {
            for lane in &mut model.lanes {
                lane.series = Vec::new();
            }
        }
    }
}

/// One autoscaling policy tried by the search: a target for every lane and a minimum per lane,
/// given as the spec's `autoscaling` keys so that it can be copied.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPoint {
    pub target: f64,
    /// The multiple of each lane's mean demand the minimums are (rounded up, at least 1, at
    /// most the lane's maximum); `None` for the policies' own minimums.
    pub min_factor: Option<f64>,
    /// The table's minimums.
    pub min_read: u64,
    pub min_write: u64,
    /// Each GSI's minimums, in spec order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<IndexMinimums>,
    pub throttled_share: f64,
    pub monthly_cost: Option<Decimal>,
}

/// A GSI's minimums in a search point.
#[derive(Debug, Clone, Serialize)]
pub struct IndexMinimums {
    pub index: String,
    pub min_read: u64,
    pub min_write: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorstMinute {
    pub at: String,
    pub throttled_units: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelResult {
    pub model: Model,
    /// New client demand, in request units (retries excluded).
    pub demand_units: f64,
    /// Client request units offered, retries included: served + throttled.
    pub offered_units: f64,
    pub served_units: f64,
    pub throttled_units: f64,
    /// Throttled ÷ offered.
    pub throttled_share: f64,
    /// Units still throttled at the last attempt, and their share of the demand.
    pub failed_units: f64,
    pub failed_share: f64,
    pub throttled_seconds: u64,
    pub worst_minute: Option<WorstMinute>,
    /// Throttled client units by cause.
    pub causes: BTreeMap<&'static str, f64>,
    pub peak_utilization: f64,
    pub scale_outs: u32,
    pub scale_ins: u32,
    /// The capacity replayed (or the requests served, on-demand) priced for a month.
    pub monthly_cost: Option<Decimal>,
    pub lanes: Vec<LaneResult>,
    #[serde(skip)]
    pub spark: Vec<[f64; 2]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LaneResult {
    pub target: String,
    pub kind: Kind,
    pub capacity_min: f64,
    pub capacity_max: f64,
    pub capacity_average: f64,
    /// Provisioned capacity held over the run, in unit-hours (0 on-demand).
    pub unit_hours: f64,
    pub demand_units: f64,
    pub served_units: f64,
    pub throttled_units: f64,
    pub failed_units: f64,
    pub causes: BTreeMap<&'static str, f64>,
    pub throttled_seconds: u64,
    pub peak_utilization: f64,
    pub scale_outs: u32,
    pub scale_ins: u32,
    /// Partitions at the start and at the end of the run (they split, never merge).
    pub partitions_start: u32,
    pub partitions_end: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<Point>,
}

/// Rounds for output, so that JSON is short and stable.
fn r3(value: f64) -> f64 {
    (value * 1_000.0).round() / 1_000.0
}

fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        (part / whole * 1e6).round() / 1e6
    } else {
        0.0
    }
}

fn causes(throttled: &[f64]) -> BTreeMap<&'static str, f64> {
    Cause::ALL
        .iter()
        .zip(throttled)
        .filter(|(_, &u)| u > 0.0)
        .map(|(c, &u)| (c.name(), r3(u)))
        .collect()
}

/// `YYYY-MM-DD HH:MM` of minutes since the epoch (civil_from_days, Howard Hinnant).
pub fn format_minute(utc_minute: u64) -> String {
    let days = (utc_minute / 1_440) as i64 + 719_468;
    let era = days.div_euclid(146_097);
    let doe = days - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    let (h, mi) = ((utc_minute % 1_440) / 60, utc_minute % 60);
    format!("{y:04}-{m:02}-{d:02} {h:02}:{mi:02}")
}

fn decimal(value: f64) -> Decimal {
    Decimal::from_f64(value).unwrap_or_default().round_dp(6)
}

/// The month's bill for the capacity a run replayed: average provisioned units, or the
/// request units served on-demand scaled to a month. Only throughput; storage and the rest are
/// the plan's.
fn monthly_cost(
    run: &ModelRun,
    setup: &TableSetup,
    table: &model::Table,
    region: &str,
    catalog: &Catalog,
    month: MonthHours,
) -> Option<Decimal> {
    let seconds = run.seconds.max(1) as f64;
    let month_seconds = f64::from(month.0) * 3_600.0;
    let mut throughput: Vec<Throughput> = Vec::new();
    for (spec, tally) in setup.lanes.iter().zip(&run.lanes) {
        if throughput.len() <= spec.target_index {
            throughput.push(Throughput {
                index: (spec.target_index > 0).then(|| spec.target.clone()),
                ..Throughput::default()
            });
        }
        let t = &mut throughput[spec.target_index];
        let (provisioned, requests) = match spec.kind {
            Kind::Read => (&mut t.rcu, &mut t.read_request_units),
            Kind::Write => (&mut t.wcu, &mut t.write_request_units),
        };
        match run.model {
            Model::OnDemand => *requests = decimal(tally.total.served / seconds * month_seconds),
            _ => *provisioned = decimal(tally.total.capacity_seconds / seconds),
        }
    }
    let usage = TableUsage {
        name: table.name.clone(),
        region: region.to_string(),
        class: match table.table_class {
            model::TableClass::Standard => crate::pricing::TableClass::Standard,
            model::TableClass::StandardIa => crate::pricing::TableClass::StandardIa,
        },
        throughput,
        ..TableUsage::default()
    };
    let bill: Bill = match run.model {
        Model::OnDemand => cost::on_demand(&usage, catalog, month),
        _ => cost::provisioned(&usage, catalog, month),
    };
    bill.unpriced().is_empty().then(|| bill.total())
}

fn lane_result(spec: &super::LaneSpec, t: &Tally, seconds: u64, model: Model) -> LaneResult {
    let average = t.total.capacity_seconds / seconds.max(1) as f64;
    LaneResult {
        target: spec.target.clone(),
        kind: spec.kind,
        capacity_min: r3(if t.min_capacity.is_finite() {
            t.min_capacity
        } else {
            0.0
        }),
        capacity_max: r3(t.max_capacity),
        capacity_average: r3(average),
        unit_hours: match model {
            Model::OnDemand => 0.0,
            _ => r3(t.total.capacity_seconds / 3_600.0),
        },
        demand_units: r3(t.total.fresh),
        served_units: r3(t.total.served),
        throttled_units: r3(t.total.throttled_total()),
        failed_units: r3(t.total.failed),
        causes: causes(&t.total.throttled),
        throttled_seconds: t.total.throttled_seconds,
        peak_utilization: share(t.peak_utilization, 1.0),
        scale_outs: t.scale_outs,
        scale_ins: t.scale_ins,
        partitions_start: t.partitions[0],
        partitions_end: t.partitions[1],
        series: t.series.clone(),
    }
}

fn model_result(
    run: &ModelRun,
    setup: &TableSetup,
    start: u64,
    cost: Option<Decimal>,
) -> ModelResult {
    let clients: Vec<&Tally> = setup
        .lanes
        .iter()
        .zip(&run.lanes)
        .filter(|(s, _)| s.feed.is_none())
        .map(|(_, t)| t)
        .collect();
    let sum = |f: fn(&Tally) -> f64| clients.iter().map(|t| f(t)).sum::<f64>();
    let mut throttled = [0.0; super::CAUSES];
    for t in &clients {
        for (a, b) in throttled.iter_mut().zip(t.total.throttled) {
            *a += b;
        }
    }
    let (demand, offered, failed) = (
        sum(|t| t.total.fresh),
        sum(|t| t.total.offered),
        sum(|t| t.total.failed),
    );
    let throttled_units: f64 = throttled.iter().sum();
    ModelResult {
        model: run.model,
        demand_units: r3(demand),
        offered_units: r3(offered),
        served_units: r3(sum(|t| t.total.served)),
        throttled_units: r3(throttled_units),
        throttled_share: share(throttled_units, offered),
        failed_units: r3(failed),
        failed_share: share(failed, demand),
        throttled_seconds: run.throttled_seconds,
        worst_minute: run.worst_minute.map(|(m, units)| WorstMinute {
            at: format_minute(start + m),
            throttled_units: r3(units),
        }),
        causes: causes(&throttled),
        peak_utilization: share(
            run.lanes
                .iter()
                .map(|t| t.peak_utilization)
                .fold(0.0, f64::max),
            1.0,
        ),
        scale_outs: run.lanes.iter().map(|t| t.scale_outs).sum(),
        scale_ins: run.lanes.iter().map(|t| t.scale_ins).sum(),
        monthly_cost: cost,
        lanes: setup
            .lanes
            .iter()
            .zip(&run.lanes)
            .map(|(s, t)| lane_result(s, t, run.seconds, run.model))
            .collect(),
        spark: run.spark.clone(),
    }
}

/// A policy of the search: its run is `jobs[run]`.
struct Candidate {
    target: f64,
    min_factor: Option<f64>,
    run: usize,
}

/// The runs of one table: each model asked for, then with `search` the grid of minimums
/// (the policies' own, then each of `SEARCH_MIN_FACTORS`) × `SEARCH_TARGETS` under
/// autoscaling. A minimum that gives every lane the same minimums as one already tried is left
/// out, and a setup already run under the same model (the spec's own policy) runs once.
fn table_jobs(
    setup: &TableSetup,
    models: &[Model],
    search: bool,
) -> (Vec<(Model, TableSetup)>, Vec<Candidate>) {
    let mut jobs: Vec<(Model, TableSetup)> = models.iter().map(|&m| (m, setup.clone())).collect();
    let mut candidates = Vec::new();
    if !search {
        return (jobs, candidates);
    }
    let mut minimums: Vec<Vec<f64>> = Vec::new();
    for min_factor in std::iter::once(None).chain(SEARCH_MIN_FACTORS.map(Some)) {
        let mins: Vec<f64> = setup
            .lanes
            .iter()
            .map(|l| {
                min_factor.map_or(l.policy.min, |f| {
                    (f * l.mean).ceil().max(1.0).min(l.policy.max)
                })
            })
            .collect();
        if minimums.contains(&mins) {
            continue;
        }
        for target in SEARCH_TARGETS {
            let mut s = setup.clone();
            for (lane, &min) in s.lanes.iter_mut().zip(&mins) {
                lane.policy.target = target;
                lane.policy.min = min;
            }
            let job = (Model::Autoscaling, s);
            let run = jobs.iter().position(|j| *j == job).unwrap_or_else(|| {
                jobs.push(job);
                jobs.len() - 1
            });
            candidates.push(Candidate {
                target,
                min_factor,
                run,
            });
        }
        minimums.push(mins);
    }
    (jobs, candidates)
}

/// How many runs `simulate` makes with these options, for a progress bar.
pub fn run_count(spec: &Spec, demands: &[TableDemand], options: &SimOptions) -> u64 {
    let models = selected_models(options);
    spec.tables
        .iter()
        .zip(demands)
        .filter(|(t, _)| options.tables.is_empty() || options.tables.contains(&t.value.name))
        .map(|(t, d)| {
            let setup = table_setup(&t.value, d, &spec.settings.simulation);
            table_jobs(&setup, &models, options.search).0.len() as u64
        })
        .sum()
}

fn selected_models(options: &SimOptions) -> Vec<Model> {
    Model::ALL
        .into_iter()
        .filter(|m| options.models.is_empty() || options.models.contains(m))
        .collect()
}

/// The search point of `candidate`, whose run gave `result` with `setup`.
fn search_point(candidate: &Candidate, setup: &TableSetup, result: &ModelResult) -> SearchPoint {
    let min = |index: usize, kind: Kind| {
        setup
            .lanes
            .iter()
            .find(|l| l.target_index == index && l.kind == kind)
            .map_or(0, |l| l.policy.min as u64)
    };
    let indexes = (1..=setup
        .lanes
        .iter()
        .map(|l| l.target_index)
        .max()
        .unwrap_or(0))
        .filter_map(|i| {
            let lane = setup.lanes.iter().find(|l| l.target_index == i)?;
            Some(IndexMinimums {
                index: lane.target.clone(),
                min_read: min(i, Kind::Read),
                min_write: min(i, Kind::Write),
            })
        })
        .collect();
    SearchPoint {
        target: candidate.target,
        min_factor: candidate.min_factor,
        min_read: min(0, Kind::Read),
        min_write: min(0, Kind::Write),
        indexes,
        throttled_share: result.throttled_share,
        monthly_cost: result.monthly_cost,
    }
}

/// Runs every job on its own thread (the models of a table are independent).
fn run_jobs<'a>(
    jobs: Vec<(Model, TableSetup)>,
    source: &(dyn Fn() -> Box<dyn Source + 'a> + Sync),
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<(TableSetup, ModelRun)> {
    std::thread::scope(|scope| {
        let handles: Vec<_> = jobs
            .into_iter()
            .map(|(model, setup)| {
                scope.spawn(move || {
                    let run = run_model(&setup, model, source().as_mut(), options, progress);
                    (setup, run)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("a simulation thread panicked"))
            .collect()
    })
}

/// Seeds differ per table so that two tables' noise is independent.
fn table_seed(seed: u64, table: usize) -> u64 {
    seed ^ (table as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// Simulates the spec's tables under every model. `demands[i]` is `spec.tables[i]`'s demand;
/// `metrics` replaces generated traffic (one table only); `progress` hears of every simulated
/// hour of every run.
pub fn simulate(
    spec: &Spec,
    source_name: &str,
    demands: &[TableDemand],
    catalog: &Catalog,
    metrics: Option<(&MetricSeries, &str)>,
    options: &SimOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> anyhow::Result<SimReport> {
    let month = MonthHours(spec.settings.month_hours);
    let region = spec.region.value.as_str();
    let start = metrics.map_or(GENERATED_START_MINUTE, |(m, _)| m.start_utc_minute);
    let available = metrics.map_or(u64::MAX, |(m, _)| m.minutes() * 60);
    let seconds = options.days.map_or(
        if metrics.is_some() {
            available
        } else {
            7 * 86_400
        },
        |d| (d * 86_400).min(available),
    );
    let run_options = RunOptions {
        seconds,
        start_utc_minute: start,
        series: options.series,
    };
    let mut tables = Vec::new();
    for (i, (table, demand)) in spec.tables.iter().zip(demands).enumerate() {
        let table = &table.value;
        if !options.tables.is_empty() && !options.tables.contains(&table.name) {
            continue;
        }
        let setup = table_setup(table, demand, &spec.settings.simulation);
        let path = format!("tables[{i}].traffic");
        let generated = Generated::new(
            &table.traffic,
            write_units_per_item(demand),
            table_seed(options.seed, i),
            &path,
        )?;
        let source = || -> Box<dyn Source + '_> {
            match metrics {
                Some((series, _)) => Box::new(Replay::new(series)),
                None => Box::new(generated.clone()),
            }
        };
        let models = selected_models(options);
        let (jobs, candidates) = table_jobs(&setup, &models, options.search);
        let runs = run_jobs(jobs, &source, run_options, progress);
        let mut results: Vec<ModelResult> = runs
            .iter()
            .map(|(s, run)| {
                let cost = monthly_cost(run, s, table, region, catalog, month);
                model_result(run, s, start, cost)
            })
            .collect();
        let search: Vec<SearchPoint> = candidates
            .iter()
            .map(|c| search_point(c, &runs[c.run].0, &results[c.run]))
            .collect();
        results.truncate(models.len());
        let own_target = setup.lanes.first().map_or(0.0, |l| l.policy.target);
        let max_throttled = spec.max_throttled(table).map_or(0.0, |p| {
            rust_decimal::prelude::ToPrimitive::to_f64(&p).unwrap_or(0.0)
        });
        tables.push(TableResult {
            table: table.name.clone(),
            max_throttled,
            recommendation: recommend(&results, &search, own_target, max_throttled),
            models: results,
            search,
        });
    }
    Ok(SimReport {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        spec: source_name.to_string(),
        traffic: metrics.map_or("generated".into(), |(_, name)| name.to_string()),
        seed: options.seed,
        start: format_minute(start),
        seconds,
        tables,
        notes: notes(metrics.map(|(m, _)| m)),
    })
}

fn notes(metrics: Option<&MetricSeries>) -> Vec<String> {
    let mut notes = vec![
        "Units are request units (reads 4 KB, writes 1 KB); a throttled share of units is read as the share of requests.".to_string(),
        "Costs price the replayed capacity (or the on-demand requests served) for a month at the simulated average; storage and other lines are in the plan.".to_string(),
    ];
    if let Some(m) = metrics {
        notes.push(format!(
            "Replayed {} minutes; {} minutes without datapoints were replayed as no traffic; the metrics recorded {} throttled requests.",
            m.minutes(),
            m.gap_minutes,
            m.observed_throttled
        ));
    }
    notes
}

/// An option the recommendation weighs; `changes` counts the settings it changes in the spec.
struct Choice {
    name: String,
    throttled: f64,
    cost: Option<Decimal>,
    changes: u8,
}

/// How a search point reads in the recommendation: the keys to set in the table's (and each
/// GSI's) `autoscaling`.
fn describe(point: &SearchPoint) -> String {
    let mut text = format!(
        "autoscaling at target {}%, min_read {}, min_write {}",
        (point.target * 100.0).round(),
        point.min_read,
        point.min_write
    );
    if !point.indexes.is_empty() {
        let indexes: Vec<String> = point
            .indexes
            .iter()
            .map(|i| {
                format!(
                    "{}: min_read {}, min_write {}",
                    i.index, i.min_read, i.min_write
                )
            })
            .collect();
        text += &format!(" ({})", indexes.join("; "));
    }
    text
}

/// The cheapest model or searched autoscaling policy whose throttled share is within the
/// budget; on equal cost the one that throttles less, then the one changing fewer settings of
/// the spec (its own target and minimums), then the first tried. If none is within the budget,
/// the one that throttles least.
fn recommend(
    models: &[ModelResult],
    search: &[SearchPoint],
    own_target: f64,
    max_throttled: f64,
) -> String {
    let mut options: Vec<Choice> = models
        .iter()
        .map(|m| Choice {
            name: m.model.name().to_string(),
            throttled: m.throttled_share,
            cost: m.monthly_cost,
            changes: 0,
        })
        .collect();
    options.extend(search.iter().map(|p| Choice {
        name: describe(p),
        throttled: p.throttled_share,
        cost: p.monthly_cost,
        changes: u8::from(p.target != own_target) + u8::from(p.min_factor.is_some()),
    }));
    let pct = |s: f64| format!("{:.4}%", s * 100.0);
    let best = options
        .iter()
        .filter(|o| o.throttled <= max_throttled)
        .filter_map(|o| o.cost.map(|cost| (o, cost)))
        .min_by(|(a, a_cost), (b, b_cost)| {
            a_cost
                .cmp(b_cost)
                .then(a.throttled.total_cmp(&b.throttled))
                .then(a.changes.cmp(&b.changes))
        });
    match best {
        Some((o, cost)) => format!(
            "{}: the cheapest within the throttling budget ({} allowed, {} simulated), {} a month",
            o.name,
            pct(max_throttled),
            pct(o.throttled),
            cost::dollars(cost)
        ),
        None => match options.iter().min_by(|a, b| a.throttled.total_cmp(&b.throttled)) {
            Some(o) => format!(
                "no model stays within the throttling budget ({} allowed); {} throttles least ({}); raise capacity or fix the hot key",
                pct(max_throttled),
                o.name,
                pct(o.throttled)
            ),
            None => "nothing was simulated".into(),
        },
    }
}

/// `▁▂▃▄▅▆▇█` bars of `values` scaled to their maximum; `·` marks zero.
pub fn sparkline(values: impl Iterator<Item = f64> + Clone) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let max = values.clone().fold(0.0, f64::max);
    values
        .map(|v| {
            if v <= 0.0 || max <= 0.0 {
                '·'
            } else {
                BARS[((v / max * 7.0).round() as usize).min(7)]
            }
        })
        .collect()
}

/// The table view: one section per table with a row per model and sparklines.
pub fn render_table(report: &SimReport) -> String {
    use crate::quantity::group_digits;
    use crate::render::{Align, Section};
    let units = |v: f64| group_digits(Decimal::from_f64(v.round()).unwrap_or_default());
    let pct = |v: f64| format!("{:.3}%", v * 100.0);
    let mut sections = Vec::new();
    for table in &report.tables {
        let mut notes = Vec::new();
        if let Some(first) = table.models.first() {
            notes.push(format!(
                "demand      {}",
                sparkline(first.spark.iter().map(|s| s[0]))
            ));
        }
        for m in &table.models {
            notes.push(format!(
                "{:<11} {}",
                m.model.name(),
                sparkline(m.spark.iter().map(|s| s[1]))
            ));
        }
        notes.push(format!("Recommendation: {}", table.recommendation));
        sections.push(Section {
            title: format!(
                "{}: {} day(s) from {} UTC, traffic {}, seed {}",
                table.table,
                report.seconds as f64 / 86_400.0,
                report.start,
                report.traffic,
                report.seed
            ),
            columns: vec![
                ("model", Align::Left),
                ("throttled units", Align::Right),
                ("throttled", Align::Right),
                ("failed", Align::Right),
                ("throttled s", Align::Right),
                ("worst minute", Align::Left),
                ("causes", Align::Left),
                ("peak util", Align::Right),
                ("scale out/in", Align::Right),
                ("cost/month", Align::Right),
            ],
            rows: table
                .models
                .iter()
                .map(|m| {
                    vec![
                        m.model.name().to_string(),
                        units(m.throttled_units),
                        pct(m.throttled_share),
                        pct(m.failed_share),
                        group_digits(Decimal::from(m.throttled_seconds)),
                        m.worst_minute.as_ref().map_or("-".into(), |w| {
                            format!("{} ({})", w.at, units(w.throttled_units))
                        }),
                        m.causes.keys().copied().collect::<Vec<_>>().join(", "),
                        pct(m.peak_utilization),
                        format!("{}/{}", m.scale_outs, m.scale_ins),
                        m.monthly_cost.map_or("not priced".into(), cost::dollars),
                    ]
                })
                .collect(),
            notes,
        });
    }
    let mut out = crate::render::render_sections(&sections);
    for note in &report.notes {
        out.push_str(note);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minutes_format_as_utc() {
        assert_eq!(format_minute(GENERATED_START_MINUTE), "2024-01-01 00:00");
        assert_eq!(
            format_minute(GENERATED_START_MINUTE + 1_440 * 60 + 61),
            "2024-03-01 01:01"
        );
    }

    /// One write a second of a 1 KB item with a KEYS_ONLY GSI: the table and the GSI each
    /// write 1 unit a second and read nothing, so 0.5× and 1× the mean round up to the 1-unit
    /// minimum the policy already has and are dropped; 2× and 3× remain. The spec's own policy
    /// at 70% is the `autoscaling` model's run.
    #[test]
    fn the_search_drops_repeated_minimums_and_reuses_the_specs_own_run() {
        let workload = crate::workload::load(
            "region: us-east-1
tables:
  - name: things
    keys: { partition: id }
    items: { count: 1000, size: 1KB }
    access: [{ op: put, rate: 1/s }]
    indexes: [{ name: by_x, type: global, keys: { partition: x }, projection: keys_only }]
",
            "things.yaml",
            None,
        )
        .unwrap();
        let demand = &crate::demand::workload_demand(&workload)[0];
        let table = &workload.spec.tables[0].value;
        let setup = table_setup(table, demand, &workload.spec.settings.simulation);
        let means: Vec<f64> = setup.lanes.iter().map(|l| l.mean).collect();
        assert_eq!(means, [0.0, 1.0, 0.0, 1.0]);

        let (jobs, candidates) = table_jobs(&setup, &Model::ALL, true);
        let grid: Vec<(Option<f64>, f64)> = candidates
            .iter()
            .map(|c| (c.min_factor, c.target))
            .collect();
        let factors = [None, Some(2.0), Some(3.0)];
        let expected: Vec<(Option<f64>, f64)> = factors
            .iter()
            .flat_map(|&f| SEARCH_TARGETS.map(|t| (f, t)))
            .collect();
        assert_eq!(grid, expected);
        assert_eq!(jobs.len(), 3 + 15 - 1);
        assert_eq!(
            candidates[2].run, 1,
            "70% with the own minimums is the autoscaling run"
        );
        let minimums: Vec<f64> = jobs[candidates[14].run]
            .1
            .lanes
            .iter()
            .map(|l| l.policy.min)
            .collect();
        assert_eq!(minimums, [1.0, 3.0, 1.0, 3.0]);

        let (jobs, _) = table_jobs(&setup, &[Model::Provisioned], true);
        assert_eq!(jobs.len(), 1 + 15);
    }

    fn point(target: f64, min_factor: Option<f64>, throttled: f64, cost: i64) -> SearchPoint {
        SearchPoint {
            target,
            min_factor,
            min_read: 5,
            min_write: 7,
            indexes: vec![IndexMinimums {
                index: "gsi".into(),
                min_read: 1,
                min_write: 2,
            }],
            throttled_share: throttled,
            monthly_cost: Some(Decimal::from(cost)),
        }
    }

    /// Within a 1% budget: the cheapest wins; on equal cost less throttling, then fewer changed
    /// settings (the spec's target is 70%), whatever the order tried.
    #[test]
    fn the_recommendation_breaks_ties_by_throttling_then_changes() {
        let pick = |points: &[SearchPoint]| recommend(&[], points, 0.7, 0.01);
        let cheapest = pick(&[point(0.5, None, 0.0, 20), point(0.9, Some(2.0), 0.005, 10)]);
        assert!(
            cheapest.starts_with("autoscaling at target 90%, min_read 5, min_write 7 (gsi: min_read 1, min_write 2): the cheapest"),
            "{cheapest}"
        );
        let calmer = pick(&[point(0.5, None, 0.005, 10), point(0.9, Some(2.0), 0.0, 10)]);
        assert!(calmer.starts_with("autoscaling at target 90%"), "{calmer}");
        let simpler = pick(&[
            point(0.5, Some(2.0), 0.0, 10),
            point(0.7, Some(2.0), 0.0, 10),
        ]);
        assert!(
            simpler.starts_with("autoscaling at target 70%"),
            "{simpler}"
        );
        let over = pick(&[point(0.5, None, 0.02, 10), point(0.9, None, 0.03, 5)]);
        assert!(over.starts_with("no model stays within"), "{over}");
        assert!(over.contains("autoscaling at target 50%"), "{over}");
    }

    #[test]
    fn sparkline_scales_to_the_maximum() {
        assert_eq!(sparkline([0.0, 1.0, 7.0].into_iter()), "·▂█");
    }
}
