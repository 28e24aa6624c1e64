//! From a spec's table and its demand model to the lanes the simulator plays.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::autoscaling::TargetTracking;
use super::engine::{Job, LaneSpec, TableSetup};
use super::on_demand::Limits;
use super::partitions::{Layout, MAX_HOT_KEYS};
use super::retry::RetryPolicy;
use crate::capacity::partitions::{PARTITION_BYTES, PARTITION_READ_UNITS, PARTITION_WRITE_UNITS};
use crate::capacity::DEFAULT_TARGET_UTILIZATION as DEFAULT_TARGET;
use crate::capacity::WRITE_STEP_BYTES;
use crate::cost::capacity_at_target;
use crate::demand::skew::hot_shares;
use crate::demand::{Kind, TableDemand, Target, UnitRate};
use crate::quantity::Percent;
use crate::workload::model::{Autoscaling, SimulationSettings, Table};

/// Warm throughput of a new on-demand table: 12,000 read and 4,000 write units (§6 [WARMSC]).
const NEW_TABLE_WARM_READS: u64 = 12_000;
const NEW_TABLE_WARM_WRITES: u64 = 4_000;

fn f(value: Decimal) -> f64 {
    value.to_f64().unwrap_or(0.0)
}

/// Base-table write units of one item written by a batch job: 1 per KB started (§1.1).
pub fn write_units_per_item(demand: &TableDemand) -> f64 {
    demand.item_bytes.div_ceil(WRITE_STEP_BYTES).max(1) as f64
}

/// The simulator's view of `table`. Capacity the spec does not fix is sized as the plan sizes
/// it: the peak at the 70% default target (provisioned), the mean at the policy's target
/// (autoscaling's starting point).
pub fn table_setup(
    table: &Table,
    demand: &TableDemand,
    settings: &SimulationSettings,
) -> TableSetup {
    let table_writes = demand.targets.first().map_or(0.0, |t| f(t.writes.mean));
    let heat_minutes =
        u32::try_from(settings.split_for_heat_after.seconds.div_ceil(60)).unwrap_or(u32::MAX);
    let items = demand.items.max(1) as f64;
    let mut lanes = Vec::new();
    for (i, target) in demand.targets.iter().enumerate() {
        let index = match &target.target {
            Target::Table => None,
            Target::Gsi(name) => table.indexes.iter().find(|x| &x.value.name == name),
        };
        let fixed = index
            .map_or(table.provisioned.as_ref(), |x| x.value.provisioned.as_ref())
            .map(|p| p.value);
        let scaling = index
            .and_then(|x| x.value.autoscaling.as_ref())
            .or(table.autoscaling.as_ref())
            .map(|a| &a.value);
        let limits = table.on_demand.as_ref().filter(|_| index.is_none());
        let warm_throughput = index.map_or(table.warm_throughput, |x| x.value.warm_throughput);
        let skew = index.map_or(table.key_skew.as_ref(), |x| x.value.key_skew.as_ref());
        let hot_keys: Vec<f64> = skew.map_or(Vec::new(), |s| {
            hot_shares(&s.value, MAX_HOT_KEYS)
                .into_iter()
                .map(f)
                .collect()
        });
        for kind in [Kind::Read, Kind::Write] {
            let read = kind == Kind::Read;
            let pick = |r: Option<u64>, w: Option<u64>| if read { r } else { w };
            let rate = if read { target.reads } else { target.writes };
            let ceiling = if read {
                PARTITION_READ_UNITS
            } else {
                PARTITION_WRITE_UNITS
            };
            let fixed = fixed.and_then(|p| pick(Some(p.read), Some(p.write)));
            let known_warm = warm_throughput.and_then(|w| pick(w.read, w.write));
            let warm = known_warm.unwrap_or(if read {
                NEW_TABLE_WARM_READS
            } else {
                NEW_TABLE_WARM_WRITES
            });
            let max = limits.and_then(|l| pick(l.max_read, l.max_write));
            let feed = (i > 0 && kind == Kind::Write).then(|| {
                if table_writes > 0.0 {
                    f(rate.mean) / table_writes
                } else {
                    0.0
                }
            });
            lanes.push(LaneSpec {
                target: match &target.target {
                    Target::Table => "table".into(),
                    Target::Gsi(name) => name.clone(),
                },
                target_index: i,
                kind,
                mean: f(rate.mean),
                feed,
                layout: Layout::new(
                    partitions(known_warm, ceiling, target.storage_bytes, target.partitions),
                    &hot_keys,
                    ceiling as f64,
                    heat_minutes,
                ),
                storage_bytes: target.storage_bytes as f64,
                bytes_per_item: target.storage_bytes as f64 / items,
                provisioned: fixed_capacity(fixed, rate),
                policy: policy(scaling, kind, settings),
                on_demand: Limits {
                    warm: warm as f64,
                    max: max.map(|m| m as f64),
                    quota: settings.table_quota as f64,
                    sustain: usize::try_from(
                        settings.on_demand_peak_sustained.seconds.div_ceil(60),
                    )
                    .unwrap_or(usize::MAX)
                    .max(1),
                },
                history: None,
            });
        }
    }
    let jobs = jobs(table, demand, &mut lanes);
    TableSetup {
        name: table.name.clone(),
        jobs,
        lanes,
        burst_seconds: settings.burst_seconds as f64,
        retry: RetryPolicy::from_settings(settings),
    }
}

/// The scheduled patterns as jobs: their mean units leave the steady traffic of their lane
/// (the table's or the GSI's reads, or the table's writes, which feed the GSIs) and come back
/// as one day's work from the scheduled time. Validation guarantees a time of day; the demand
/// model has one pattern per access pattern of a valid spec.
fn jobs(table: &Table, demand: &TableDemand, lanes: &mut [LaneSpec]) -> Vec<Job> {
    let mut jobs = Vec::new();
    for (access, pattern) in table.access.iter().zip(&demand.patterns) {
        let Some(schedule) = &access.value.schedule else {
            continue;
        };
        let Some(start) = crate::time::time_of_day(&schedule.start.value) else {
            continue;
        };
        let target = match (&pattern.target, pattern.kind) {
            (Target::Gsi(name), Kind::Read) => name.as_str(),
            _ => "table",
        };
        let Some(lane) = lanes
            .iter()
            .position(|l| l.target == target && l.kind == pattern.kind)
        else {
            continue;
        };
        let mean = f(pattern.units.mean);
        lanes[lane].mean = (lanes[lane].mean - mean).max(0.0);
        jobs.push(Job {
            lane,
            start,
            units_per_day: mean * 86_400.0,
            speed: schedule.units_per_second.map(|u| u as f64),
        });
    }
    jobs
}

/// Partitions a lane starts on. §14 [WARM]: a table's or GSI's warm
/// throughput is what it absorbs at once, so when the spec gives it the table has enough
/// partitions for it (3,000 reads / 1,000 writes each, §4 [WARM][BPPK]) and for its data (10 GB
/// each, [PART]). Otherwise the demand model's `⌈RCU ÷ 3,000 + WCU ÷ 1,000⌉` and size reading.
fn partitions(warm: Option<u64>, ceiling: u64, storage_bytes: u64, estimated: u64) -> u32 {
    let count = warm.map_or(estimated, |w| {
        w.div_ceil(ceiling)
            .max(storage_bytes.div_ceil(PARTITION_BYTES))
    });
    u32::try_from(count).unwrap_or(u32::MAX).max(1)
}

/// The spec's fixed capacity, else the peak at the default target, at least 1 unit (§11.3).
fn fixed_capacity(fixed: Option<u64>, rate: UnitRate) -> f64 {
    let units = fixed.map_or_else(
        || capacity_at_target(rate.peak, Percent(DEFAULT_TARGET)),
        Decimal::from,
    );
    f(units).max(1.0)
}

/// The table's (or GSI's) policy with AWS's defaults: 70% target, minimum 1 unit (§11.3),
/// maximum the table quota.
pub fn policy(
    scaling: Option<&Autoscaling>,
    kind: Kind,
    settings: &SimulationSettings,
) -> TargetTracking {
    let (min, max) = match (scaling, kind) {
        (Some(a), Kind::Read) => (a.min_read, a.max_read),
        (Some(a), Kind::Write) => (a.min_write, a.max_write),
        (None, _) => (None, None),
    };
    let min = min.unwrap_or(1).max(1) as f64;
    TargetTracking {
        target: f(scaling.map_or(DEFAULT_TARGET, |a| a.target.value.0)),
        min,
        max: (max.unwrap_or(settings.table_quota) as f64).max(min),
        delay_minutes: settings.scaling_delay.seconds.div_ceil(60),
    }
}
