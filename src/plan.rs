//! The plan pipeline: a loaded spec in, the report model out (spec → demand → cost → report).

use rust_decimal::Decimal;
use serde::Serialize;

use crate::cost::{
    self, capacity_at_target, Bill, DaxCluster, StreamReader, StreamReads, TableUsage, Throughput,
};
use crate::demand::{table_demand, ResolvedSizes, TableDemand, Target};
use crate::pricing::{Catalog, TableClass};
use crate::quantity::{MonthHours, Percent, Size};
use crate::report::{PlanReport, SCHEMA_VERSION};
use crate::spec::model::{self, Autoscaling, Spec, Table};

/// Target utilization when the spec sets none: AWS's recommended and console default (§5.1).
pub(crate) const DEFAULT_TARGET: Decimal = Decimal::from_parts(7, 0, 0, false, 1);

/// A capacity mode priced for one table.
#[derive(Debug, Clone, Serialize)]
pub struct ModeCost {
    pub mode: &'static str,
    /// The capacity this mode was priced with, for people.
    pub capacity: String,
    pub bill: Bill,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableCosts {
    pub table: String,
    pub modes: Vec<ModeCost>,
    /// The cheapest fully priced mode and why.
    pub recommendation: Option<String>,
}

/// Plans every table. `sizes[i]` holds the resolved sizes of `spec.tables[i]`.
pub fn plan(spec: &Spec, source: &str, sizes: &[ResolvedSizes], catalog: &Catalog) -> PlanReport {
    let month = MonthHours(spec.settings.month_hours);
    let region = spec.region.value.as_str();
    let tables: Vec<TableDemand> = spec
        .tables
        .iter()
        .zip(sizes)
        .enumerate()
        .map(|(i, (table, sizes))| table_demand(table, &format!("tables[{i}]"), sizes, month))
        .collect();
    let mut costs: Vec<TableCosts> = spec
        .tables
        .iter()
        .zip(&tables)
        .map(|(table, demand)| table_costs(&table.value, demand, region, catalog, month))
        .collect();
    if spec.settings.free_tier {
        apply_free_tier(&mut costs, catalog, month);
    }
    PlanReport {
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        spec: source.to_string(),
        region: region.to_string(),
        month_hours: month.0,
        tables,
        costs,
        diagnostics: Vec::new(),
        not_priced: vec![
            "Reserved capacity: `capacity-plan calc cost` prices reservations; the plan does not apply them yet.".into(),
            "Autoscaling is a first estimate (mean demand ÷ target); the simulator will replay it.".into(),
        ],
    }
}

/// The free tier is per account and region, across all tables (§7.2 [FREE]): its credits
/// are taken once per mode from the lines of every table, and shown on the first table.
fn apply_free_tier(costs: &mut [TableCosts], catalog: &Catalog, month: MonthHours) {
    let Some(modes) = costs.first().map(|c| c.modes.len()) else {
        return;
    };
    for m in 0..modes {
        let lines: Vec<_> = costs
            .iter()
            .flat_map(|c| c.modes[m].bill.lines.iter().cloned())
            .collect();
        let credits = cost::free_tier_credits(&lines, catalog, month);
        costs[0].modes[m].bill.lines.extend(credits);
    }
}

fn class(table: &Table) -> TableClass {
    match table.table_class {
        model::TableClass::Standard => TableClass::Standard,
        model::TableClass::StandardIa => TableClass::StandardIa,
    }
}

/// How a mode turns demand into billed throughput for the table or one GSI.
#[derive(Clone, Copy)]
enum Mode {
    OnDemand,
    Provisioned,
    Autoscaling,
}

fn table_costs(
    table: &Table,
    demand: &TableDemand,
    region: &str,
    catalog: &Catalog,
    month: MonthHours,
) -> TableCosts {
    let modes: Vec<ModeCost> = [Mode::OnDemand, Mode::Provisioned, Mode::Autoscaling]
        .into_iter()
        .map(|mode| {
            let usages = usages(table, demand, region, mode, month);
            let capacity = describe_capacity(&usages[0], mode);
            let lines = usages.iter().flat_map(|usage| match mode {
                Mode::OnDemand => cost::on_demand(usage, catalog, month).lines,
                _ => cost::provisioned(usage, catalog, month).lines,
            });
            ModeCost {
                mode: match mode {
                    Mode::OnDemand => "on_demand",
                    Mode::Provisioned => "provisioned",
                    Mode::Autoscaling => "autoscaling",
                },
                capacity,
                bill: Bill::new(lines),
            }
        })
        .collect();
    let recommendation = recommend(&modes);
    TableCosts {
        table: demand.name.clone(),
        modes,
        recommendation,
    }
}

fn recommend(modes: &[ModeCost]) -> Option<String> {
    let priced: Vec<&ModeCost> = modes
        .iter()
        .filter(|m| m.bill.unpriced().is_empty())
        .collect();
    let cheapest = priced.iter().min_by_key(|m| m.bill.total())?;
    let next = priced
        .iter()
        .filter(|m| m.mode != cheapest.mode)
        .min_by_key(|m| m.bill.total());
    Some(match next {
        Some(next) => format!(
            "{} is cheapest: {} a month less than {}",
            cheapest.mode,
            cost::dollars(next.bill.total() - cheapest.bill.total()),
            next.mode
        ),
        None => format!("{} is the only fully priced mode", cheapest.mode),
    })
}

fn describe_capacity(usage: &TableUsage, mode: Mode) -> String {
    let table = usage.throughput.first();
    match (mode, table) {
        (Mode::OnDemand, Some(t)) => format!(
            "{} RRU + {} WRU a month",
            crate::quantity::group_digits(t.read_request_units.round()),
            crate::quantity::group_digits(t.write_request_units.round())
        ),
        (_, Some(t)) => format!("table {} RCU / {} WCU", t.rcu, t.wcu),
        (_, None) => String::new(),
    }
}

/// Provisioned units for one target in a mode: the spec's own numbers when it fixes them,
/// else the peak at the target utilization; autoscaling follows demand, so it averages the
/// mean at the target, never below its minimum.
fn provisioned_units(
    mode: Mode,
    fixed: Option<u64>,
    mean: Decimal,
    peak: Decimal,
    scaling: Option<&Autoscaling>,
    min: Option<u64>,
) -> Decimal {
    let target = Percent(scaling.map_or(DEFAULT_TARGET, |a| a.target.value.0));
    let units = match (mode, fixed) {
        (Mode::Provisioned, Some(fixed)) => Decimal::from(fixed),
        (Mode::Provisioned, None) => capacity_at_target(peak, target),
        _ => capacity_at_target(mean, target).max(Decimal::from(min.unwrap_or(1))),
    };
    units.max(Decimal::ONE)
}

fn throughput(
    table: &Table,
    demand: &TableDemand,
    target: &Target,
    mode: Mode,
    month: MonthHours,
    writes_only: bool,
) -> Option<Throughput> {
    let t = demand.target(target)?;
    let index = match target {
        Target::Table => None,
        Target::Gsi(name) => table
            .indexes
            .iter()
            .find(|i| &i.value.name == name)
            .map(|i| &i.value),
    };
    let fixed = index
        .map_or(table.provisioned.as_ref(), |i| i.provisioned.as_ref())
        .map(|p| p.value);
    let scaling = index
        .and_then(|i| i.autoscaling.as_ref())
        .or(table.autoscaling.as_ref())
        .map(|a| &a.value);
    let seconds = month.seconds();
    let reads = if writes_only {
        Default::default()
    } else {
        t.reads
    };
    let (rcu, wcu, rru, wru) = match mode {
        Mode::OnDemand => (
            Decimal::ZERO,
            Decimal::ZERO,
            reads.mean * seconds,
            t.writes.mean * seconds,
        ),
        _ => (
            provisioned_units(
                mode,
                fixed.map(|p| p.read),
                reads.mean,
                reads.peak,
                scaling,
                scaling.and_then(|s| s.min_read),
            ),
            provisioned_units(
                mode,
                fixed.map(|p| p.write),
                t.writes.mean,
                t.writes.peak,
                scaling,
                scaling.and_then(|s| s.min_write),
            ),
            Decimal::ZERO,
            Decimal::ZERO,
        ),
    };
    Some(Throughput {
        index: index.map(|i| i.name.clone()),
        read_request_units: rru,
        write_request_units: wru,
        rcu,
        wcu,
    })
}

/// What the table uses in its own region and, for a global table, in every replica Region:
/// replicas receive every write as a replicated write and hold the same data, while reads,
/// backups, streams and DAX stay with the home region as the spec describes them.
fn usages(
    table: &Table,
    demand: &TableDemand,
    region: &str,
    mode: Mode,
    month: MonthHours,
) -> Vec<TableUsage> {
    let seconds = month.seconds();
    let targets: Vec<Target> = demand.targets.iter().map(|t| t.target.clone()).collect();
    let storage: u64 = demand.targets.iter().map(|t| t.storage_bytes).sum();
    let backups = table.backups.as_ref();
    let per_month = |size: Option<Size>| size.unwrap_or_default();
    let mut stream_reads = Vec::new();
    if let Some(streams) = &demand.streams {
        stream_reads.push(StreamReads {
            reader: StreamReader::Other,
            requests: streams.billed_requests_per_second * seconds,
        });
    }
    let home = TableUsage {
        name: table.name.clone(),
        region: region.to_string(),
        class: class(table),
        global_table: table.global.is_some(),
        throughput: targets
            .iter()
            .filter_map(|t| throughput(table, demand, t, mode, month, false))
            .collect(),
        storage: Size::from_bytes(storage),
        pitr: backups.is_some_and(|b| b.pitr),
        backup: backups
            .and_then(|b| b.on_demand.as_ref())
            .map(|o| {
                let one = o.size.map_or(storage, Size::bytes);
                Size::from_bytes(one.saturating_mul(u64::from(o.retained)))
            })
            .unwrap_or_default(),
        restored: per_month(backups.and_then(|b| b.restored_per_month)),
        exported: per_month(backups.and_then(|b| b.exported_per_month)),
        imported: per_month(backups.and_then(|b| b.imported_per_month)),
        stream_reads,
        cdc_units: demand
            .streams
            .as_ref()
            .map_or(Decimal::ZERO, |s| s.kinesis_units_per_second * seconds),
        transfer_out: per_month(table.data_transfer.as_ref().and_then(|d| d.out_per_month)),
        cross_region_transfer: Size::default(),
        dax: table.dax.as_ref().map(|d| DaxCluster {
            node_type: d.value.node_type.clone(),
            nodes: d.value.nodes,
        }),
    };
    let mut usages = vec![home];
    if let Some(replication) = &demand.replication {
        for replica in &replication.regions {
            let mut throughput: Vec<Throughput> = targets
                .iter()
                .filter_map(|t| throughput(table, demand, t, mode, month, true))
                .collect();
            if let Some(own) = throughput.first_mut() {
                own.write_request_units = match mode {
                    Mode::OnDemand => replication.units_per_region.mean * seconds,
                    _ => Decimal::ZERO,
                };
            }
            usages.push(TableUsage {
                name: format!("{} ({replica} replica)", table.name),
                region: replica.clone(),
                class: class(table),
                global_table: true,
                throughput,
                storage: Size::from_bytes(storage),
                ..TableUsage::default()
            });
        }
    }
    usages
}
