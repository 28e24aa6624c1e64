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
use crate::pricing::Catalog;
use crate::quantity::MonthHours;
use crate::report::SCHEMA_VERSION;
use crate::spec::model::{self, Spec};

/// Minutes since the epoch of 2024-01-01 00:00 UTC, a Monday: where generated traffic starts.
pub const GENERATED_START_MINUTE: u64 = 28_401_120;
/// Autoscaling targets the recommendation search tries.
pub const SEARCH_TARGETS: [f64; 5] = [0.5, 0.6, 0.7, 0.8, 0.9];

/// What to simulate.
#[derive(Debug, Clone, Default)]
pub struct SimOptions {
    /// Days to simulate: all of the metrics when replaying, 7 when generating if unset.
    pub days: Option<u64>,
    pub seed: u64,
    /// Keep per-minute series (for JSON `--series` and charts).
    pub series: bool,
    /// Search autoscaling targets for the cheapest without throttling.
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
    /// Largest acceptable throttled share from the spec's budget (0 when unset).
    pub max_throttled: f64,
    pub tables: Vec<TableResult>,
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableResult {
    pub table: String,
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

/// One autoscaling target tried by the search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPoint {
    pub target: f64,
    pub throttled_share: f64,
    pub monthly_cost: Option<Decimal>,
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
    let max_throttled = spec
        .budget
        .as_ref()
        .and_then(|b| b.value.max_throttled)
        .map_or(0.0, |p| {
            rust_decimal::prelude::ToPrimitive::to_f64(&p.0).unwrap_or(0.0)
        });
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
        let models: Vec<Model> = Model::ALL
            .into_iter()
            .filter(|m| options.models.is_empty() || options.models.contains(m))
            .collect();
        let mut jobs: Vec<(Model, TableSetup)> =
            models.iter().map(|&m| (m, setup.clone())).collect();
        if options.search {
            jobs.extend(SEARCH_TARGETS.iter().map(|&target| {
                let mut s = setup.clone();
                s.lanes.iter_mut().for_each(|l| l.policy.target = target);
                (Model::Autoscaling, s)
            }));
        }
        let runs = run_jobs(jobs, &source, run_options, progress);
        let priced: Vec<(ModelResult, &TableSetup)> = runs
            .iter()
            .map(|(s, run)| {
                let cost = monthly_cost(run, s, table, region, catalog, month);
                (model_result(run, s, start, cost), s)
            })
            .collect();
        let search: Vec<SearchPoint> = priced[models.len()..]
            .iter()
            .zip(SEARCH_TARGETS)
            .map(|((r, _), target)| SearchPoint {
                target,
                throttled_share: r.throttled_share,
                monthly_cost: r.monthly_cost,
            })
            .collect();
        let models: Vec<ModelResult> = priced
            .into_iter()
            .take(models.len())
            .map(|(r, _)| r)
            .collect();
        tables.push(TableResult {
            table: table.name.clone(),
            recommendation: recommend(&models, &search, max_throttled),
            models,
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
        max_throttled,
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

/// The cheapest model (or searched autoscaling target) whose throttled share is within the
/// budget; if none is, the one that throttles least.
fn recommend(models: &[ModelResult], search: &[SearchPoint], max_throttled: f64) -> String {
    let mut options: Vec<(String, f64, Option<Decimal>)> = models
        .iter()
        .map(|m| {
            (
                m.model.name().to_string(),
                m.throttled_share,
                m.monthly_cost,
            )
        })
        .collect();
    options.extend(search.iter().map(|p| {
        (
            format!("autoscaling at a {}% target", (p.target * 100.0).round()),
            p.throttled_share,
            p.monthly_cost,
        )
    }));
    let within: Vec<&(String, f64, Option<Decimal>)> = options
        .iter()
        .filter(|o| o.1 <= max_throttled && o.2.is_some())
        .collect();
    let pct = |s: f64| format!("{:.4}%", s * 100.0);
    match within.iter().min_by_key(|o| o.2) {
        Some((name, throttled, Some(cost))) => format!(
            "{name}: the cheapest within the throttling budget ({} allowed, {} simulated), {} a month",
            pct(max_throttled),
            pct(*throttled),
            cost::dollars(*cost)
        ),
        _ => match options.iter().min_by(|a, b| a.1.total_cmp(&b.1)) {
            Some((name, throttled, _)) => format!(
                "no model stays within the throttling budget ({} allowed); {name} throttles least ({}); raise capacity or fix the hot key",
                pct(max_throttled),
                pct(*throttled)
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
    use crate::report::{Align, Section};
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
    let mut out = crate::report::render_sections(&sections);
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

    #[test]
    fn sparkline_scales_to_the_maximum() {
        assert_eq!(sparkline([0.0, 1.0, 7.0].into_iter()), "·▂█");
    }
}
