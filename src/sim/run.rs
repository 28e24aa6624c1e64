//! Runs the simulator over a spec: each table's models and the policy search, their runs
//! summed into the result (throttling per model, causes, utilization, scale events, the cost
//! of the replayed capacity) and the recommendation.

use std::collections::BTreeMap;

use rayon::prelude::*;
use rust_decimal::Decimal;

use super::budget::TableWork;
use super::engine::{run_models, warm_start, ModelRun, RunOptions, Source, TableSetup, Tally};
use super::recommend::recommend;
use super::replay::Replay;
use super::result::{
    IndexMinimums, LaneResult, ModelResult, Policy, Replayed, SearchPoint, SimReport, StartState,
    TableResult, WorstMinute, SCHEMA_VERSION,
};
use super::setup::{table_setup, write_units_per_item};
use super::traffic::Generated;
use super::{Cause, Model};
use crate::cost::{self, Bill, TableUsage, Throughput};
use crate::demand::{Kind, TableDemand};
use crate::metrics::MetricSeries;
use crate::pricing::Catalog;
use crate::quantity::MonthHours;
use crate::time::{format_minute, GENERATED_START_MINUTE};
use crate::workload::model::{self, Spec};
use crate::yaml::Spanned;

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
    /// Start every table cold, as new (or just switched to the model), whatever the spec's
    /// `cold_start` says.
    pub cold: bool,
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

fn decimal(value: f64) -> Decimal {
    crate::quantity::from_float(value, crate::quantity::FLOAT_SCALE).unwrap_or_default()
}

/// The month's bill for the capacity a run replayed: average provisioned units, or the
/// request units served on-demand scaled to a month, in the table's Region and in each
/// replica Region of a global table, which writes what the table wrote (replicated writes for
/// the table's own, §8 [GTFAQ]; write capacity is the same in every replica [GTHOW]). Only
/// throughput; storage and the rest are the plan's.
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
    let home = TableUsage {
        name: table.name.clone(),
        region: region.to_string(),
        class: table.table_class,
        global_table: table.global.is_some(),
        throughput,
        ..TableUsage::default()
    };
    // A replica takes none of the spec's reads, which are the home Region's; its read
    // capacity is the table's unless overridden ([GTHOW]: write capacity is synced, read
    // capacity can be overridden per replica). As the plan prices it: fixed read capacity is
    // the same in the replica, capacity sized to demand is sized to the replica's own (none,
    // so 1 unit), and auto scaling on no reads of its own holds the policy's minimum.
    let fixed_read = |t: &Throughput| {
        let fixed = match &t.index {
            None => table.provisioned.as_ref(),
            Some(name) => table
                .indexes
                .iter()
                .find(|i| &i.value.name == name)
                .and_then(|i| i.value.provisioned.as_ref()),
        };
        fixed.map_or(Decimal::ONE, |p| Decimal::from(p.value.read))
    };
    let replica_reads = |t: &Throughput, target: usize| match run.model {
        Model::Provisioned => fixed_read(t),
        Model::Autoscaling => setup
            .lanes
            .iter()
            .find(|l| l.target_index == target && l.kind == Kind::Read)
            .map_or(Decimal::ZERO, |l| decimal(l.policy.min)),
        Model::OnDemand => Decimal::ZERO,
    };
    let replicas = table.global.iter().flat_map(|g| &g.value.replicas);
    let replicas: Vec<TableUsage> = replicas
        .map(|replica| TableUsage {
            name: format!("{} ({replica} replica)", table.name),
            region: replica.clone(),
            throughput: home
                .throughput
                .iter()
                .enumerate()
                .map(|(target, t)| Throughput {
                    rcu: replica_reads(t, target),
                    read_request_units: Decimal::ZERO,
                    ..t.clone()
                })
                .collect(),
            ..home.clone()
        })
        .collect();
    let mut total = Decimal::ZERO;
    for usage in std::iter::once(&home).chain(&replicas) {
        let bill: Bill = match run.model {
            Model::OnDemand => cost::on_demand(usage, catalog, month),
            _ => cost::provisioned(usage, catalog, month),
        };
        if !bill.unpriced().is_empty() {
            return None;
        }
        total += bill.total();
    }
    Some(total)
}

/// The lane's result, taking its series (the report's is the one copy kept).
fn lane_result(spec: &super::LaneSpec, t: &mut Tally, seconds: u64, model: Model) -> LaneResult {
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
        series: std::mem::take(&mut t.series),
    }
}

fn model_result(
    run: &mut ModelRun,
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
            .zip(&mut run.lanes)
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
    table_work(spec, demands, options)
        .iter()
        .map(|t| t.runs)
        .sum()
}

/// Lanes and runs of each selected table, for the progress bar and the budget.
fn table_work(spec: &Spec, demands: &[TableDemand], options: &SimOptions) -> Vec<TableWork> {
    let models = selected_models(options);
    spec.tables
        .iter()
        .zip(demands)
        .filter(|(t, _)| options.tables.is_empty() || options.tables.contains(&t.value.name))
        .map(|(t, d)| {
            let setup = table_setup(&t.value, d, &spec.settings.simulation);
            TableWork {
                lanes: setup.lanes.len() as u64,
                runs: table_jobs(&setup, &models, options.search).0.len() as u64,
            }
        })
        .collect()
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
        policy: Policy {
            target: candidate.target,
            min_read: min(0, Kind::Read),
            min_write: min(0, Kind::Write),
            indexes,
        },
        min_factor: candidate.min_factor,
        throttled_share: result.throttled_share,
        failed_share: result.failed_share,
        monthly_cost: result.monthly_cost,
    }
}

/// Runs a table's jobs on the shared pool (the models of a table are independent, and play
/// one reading of its traffic), in order. Only the first `models` keep a series: a search
/// candidate's is never reported.
fn run_jobs<'a>(
    jobs: Vec<(Model, TableSetup)>,
    models: usize,
    source: &(dyn Fn() -> Box<dyn Source + 'a> + Sync),
    options: RunOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> Vec<(TableSetup, ModelRun)> {
    let plays: Vec<(Model, &TableSetup, RunOptions)> = jobs
        .iter()
        .enumerate()
        .map(|(i, (model, setup))| {
            let options = RunOptions {
                series: options.series.filter(|_| i < models),
                ..options
            };
            (*model, setup, options)
        })
        .collect();
    let runs = run_models(&plays, source().as_mut(), progress);
    jobs.into_iter().map(|(_, setup)| setup).zip(runs).collect()
}

/// Seeds differ per table so that two tables' noise is independent.
fn table_seed(seed: u64, table: usize) -> u64 {
    seed ^ (table as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The metrics one table replays, and the file they came from as reports name it.
pub type Measured<'a> = Option<(&'a MetricSeries, &'a str)>;

/// The minutes every replayed table has metrics for: (first minute, minutes). Tables replay
/// one window so that their minutes line up in the report and the chart; `None` when no table
/// replays.
fn replay_window(replays: &[(&str, &MetricSeries, &str)]) -> anyhow::Result<Option<(u64, u64)>> {
    let start = replays.iter().map(|r| r.1.start_utc_minute).max();
    let end = replays
        .iter()
        .map(|r| r.1.start_utc_minute + r.1.minutes())
        .min();
    let (Some(start), Some(end)) = (start, end) else {
        return Ok(None);
    };
    if end <= start {
        let spans: Vec<String> = replays
            .iter()
            .map(|(table, m, file)| {
                format!(
                    "`{table}` ({file}) from {} to {}",
                    format_minute(m.start_utc_minute),
                    format_minute(m.start_utc_minute + m.minutes())
                )
            })
            .collect();
        anyhow::bail!(
            "the tables' metrics do not overlap in time: {}; export the same period for every table, or simulate them one at a time with --table",
            spans.join(", ")
        );
    }
    Ok(Some((start, end - start)))
}

/// What the replayed metrics held, for the report: one table's as they are; several tables'
/// together, each gap named by its table.
fn replayed(replays: &[(&str, &MetricSeries, &str)], minutes: u64) -> Option<Replayed> {
    let several = replays.len() > 1;
    let mut all: Option<Replayed> = None;
    for (table, m, _) in replays {
        let gaps = m.gaps.iter().map(|g| crate::metrics::SeriesGaps {
            series: if several {
                format!("{table} {}", g.series)
            } else {
                g.series.clone()
            },
            minutes: g.minutes,
        });
        let one = all.get_or_insert_with(|| Replayed {
            minutes,
            period_minutes: 1,
            period_peak_to_mean: 1.0,
            gap_minutes: 0,
            gaps: Vec::new(),
            observed_throttled: 0.0,
            truncated: false,
            index_writes_ignored: Vec::new(),
        });
        one.period_minutes = one.period_minutes.max(m.period_minutes);
        one.period_peak_to_mean = one.period_peak_to_mean.max(m.period_peak_to_mean);
        one.gap_minutes += m.gap_minutes;
        one.gaps.extend(gaps);
        one.observed_throttled += m.observed_throttled;
        one.truncated |= m.truncated;
        one.index_writes_ignored.extend(
            m.indexes
                .iter()
                .filter(|i| i.writes.is_some())
                .map(|i| i.name.clone()),
        );
    }
    all
}

/// The selected tables that replay metrics: (table, series, file).
fn replays<'a>(
    spec: &'a Spec,
    metrics: &[Measured<'a>],
    options: &SimOptions,
) -> Vec<(&'a str, &'a MetricSeries, &'a str)> {
    spec.tables
        .iter()
        .zip(metrics)
        .filter(|(t, _)| options.tables.is_empty() || options.tables.contains(&t.value.name))
        .filter_map(|(t, m)| m.map(|(series, file)| (t.value.name.as_str(), series, file)))
        .collect()
}

/// The replay window (first minute, minutes) and the seconds a run plays: `--days` of it, all
/// of it by default, or 7 days of generated traffic.
fn span(
    replays: &[(&str, &MetricSeries, &str)],
    options: &SimOptions,
) -> anyhow::Result<(Option<(u64, u64)>, u64)> {
    let window = replay_window(replays)?;
    let seconds = match (window, options.days) {
        (Some((_, minutes)), Some(d)) => (d * 86_400).min(minutes * 60),
        (Some((_, minutes)), None) => minutes * 60,
        (None, days) => days.unwrap_or(7) * 86_400,
    };
    Ok((window, seconds))
}

/// The seconds each run of `simulate` plays with these metrics and options, for a progress
/// bar; fails as `simulate` would on metrics that share no minute.
pub fn run_seconds(spec: &Spec, metrics: &[Measured], options: &SimOptions) -> anyhow::Result<u64> {
    Ok(span(&replays(spec, metrics, options), options)?.1)
}

/// Simulates the spec's tables under every model. `demands[i]` is `spec.tables[i]`'s demand
/// and `metrics[i]` the metrics it replays instead of generated traffic (none past the end
/// of the slice); replayed tables play the minutes all their metrics cover. `progress` hears
/// of every simulated hour of every run.
pub fn simulate(
    spec: &Spec,
    source_name: &str,
    demands: &[TableDemand],
    catalog: &Catalog,
    metrics: &[Measured],
    options: &SimOptions,
    progress: &(dyn Fn(u64) + Sync),
) -> anyhow::Result<SimReport> {
    let month = MonthHours(spec.settings.month_hours);
    let region = spec.region.value.as_str();
    let selected =
        |name: &str| options.tables.is_empty() || options.tables.iter().any(|t| t == name);
    let metrics_of = |i: usize| metrics.get(i).copied().flatten();
    let replays = replays(spec, metrics, options);
    let (window, seconds) = span(&replays, options)?;
    let start = window.map_or(GENERATED_START_MINUTE, |w| w.0);
    let models = selected_models(options);
    let series_runs = options.series.then_some(models.len() as u64);
    let series = super::budget::check(seconds, series_runs, &table_work(spec, demands, options))?;
    let run_options = RunOptions {
        seconds,
        start_utc_minute: start,
        series,
    };
    let start_state = if options.cold || spec.settings.simulation.cold_start {
        StartState::Cold
    } else {
        StartState::Warm
    };
    let run_table = |(i, (table, demand)): (usize, (&Spanned<model::Table>, &TableDemand))| {
        let table = &table.value;
        let mut setup = table_setup(table, demand, &spec.settings.simulation);
        let path = format!("tables[{i}].traffic");
        let generated = Generated::new(
            &table.traffic,
            write_units_per_item(demand),
            table_seed(options.seed, i),
            &path,
        )?;
        let replay = metrics_of(i)
            .map(|(series, name)| {
                let first = (start - series.start_utc_minute) as usize;
                Replay::new(series, first, &setup.lanes, name)
            })
            .transpose()?;
        let source = || -> Box<dyn Source + '_> {
            match &replay {
                Some(replay) => Box::new(replay.clone()),
                None => Box::new(generated.clone()),
            }
        };
        if start_state == StartState::Warm {
            let means: Vec<f64> = setup.lanes.iter().map(|l| l.mean).collect();
            warm_start(&mut setup, &source().history(&means));
        }
        let (jobs, candidates) = table_jobs(&setup, &models, options.search);
        let mut runs = run_jobs(jobs, models.len(), &source, run_options, progress);
        let mut results: Vec<ModelResult> = runs
            .iter_mut()
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
        let max_throttled =
            rust_decimal::prelude::ToPrimitive::to_f64(&spec.max_throttled(table)).unwrap_or(0.0);
        Ok(TableResult {
            table: table.name.clone(),
            max_throttled,
            recommendation: recommend(&results, &search, own_target, max_throttled),
            models: results,
            search,
        })
    };
    // Tables, and each table's jobs, share one work-stealing pool; every result lands in its
    // table's place, so the report does not depend on the thread count. One table runs on
    // the calling thread: handed to the pool, it kept a second thread looking for work that
    // never came (about a twelfth of a month's one-model replay in CPU, two fifths of its
    // system time).
    let chosen: Vec<_> = spec
        .tables
        .iter()
        .zip(demands)
        .enumerate()
        .filter(|(_, (table, _))| selected(&table.value.name))
        .collect();
    let results: Vec<anyhow::Result<TableResult>> = if chosen.len() > 1 {
        chosen.into_par_iter().map(run_table).collect()
    } else {
        chosen.into_iter().map(run_table).collect()
    };
    // The first error in spec order, whichever thread met it first.
    let tables = results.into_iter().collect::<anyhow::Result<Vec<_>>>()?;
    Ok(SimReport {
        schema_version: SCHEMA_VERSION,
        kind: "simulation",
        tool_version: env!("CARGO_PKG_VERSION"),
        spec: source_name.to_string(),
        traffic: match &replays[..] {
            [] => "generated".into(),
            several => {
                let mut files: Vec<&str> = several.iter().map(|r| r.2).collect();
                files.dedup();
                files.join(", ")
            }
        },
        seed: options.seed,
        start: format_minute(start),
        start_state,
        seconds,
        series_minutes: series,
        tables,
        replay: window.and_then(|(_, minutes)| replayed(&replays, minutes)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
