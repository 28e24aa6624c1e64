//! Pricing a table's demand under every capacity mode: demand becomes per-region usage (a
//! global table's replicas receive every write as replicated writes), the catalog prices it.

use super::model::{
    Advice, Blocks, CapacityUnit, ClassAdvice, DaxAdvice, Limit, ModeCost, ModeMonthly, Reason,
    Recommendation, Reservation, RunnerUp, Shortfall, TableCosts, TargetCapacity,
};
use rust_decimal::Decimal;

use crate::capacity::TableClass;
use crate::cost::{
    self, capacity_at_target, Bill, CostLine, DaxCluster, ReservationQuestion, TableUsage,
    Throughput,
};
use crate::demand::{Kind, TableDemand, Target, UnitRate};
use crate::pricing::{Capacity, Catalog, PriceKey, Term};
use crate::quantity::{MonthHours, Percent, Size};
use crate::sim::{Model, TableResult};
use crate::workload::model::{self, Autoscaling, Table};

use crate::capacity::CapacityMode as Mode;
use crate::capacity::DEFAULT_TARGET_UTILIZATION as DEFAULT_TARGET;

/// The free tier is per account and region, across all tables (§7.2 [FREE]): its credits
/// are taken once per mode from the lines of every table priced in that mode (a Standard-IA
/// table has no reserved mode), and shown on the first of those tables.
pub(super) fn apply_free_tier(costs: &mut [TableCosts], catalog: &Catalog, month: MonthHours) {
    for mode in Mode::ALL {
        let priced_in = |c: &TableCosts| c.modes.iter().position(|m| m.mode == mode);
        let lines: Vec<_> = costs
            .iter()
            .filter_map(|c| priced_in(c).map(|m| &c.modes[m].bill.lines))
            .flatten()
            .cloned()
            .collect();
        let credits = cost::free_tier_credits(&lines, catalog, month);
        if let Some(first) = costs.iter_mut().find(|c| priced_in(c).is_some()) {
            let m = priced_in(first).unwrap_or_default();
            first.modes[m].bill.lines.extend(credits);
        }
    }
}

/// One table's demand and what prices it: the inputs every costing step shares.
#[derive(Clone, Copy)]
struct Pricing<'a> {
    table: &'a Table,
    class: TableClass,
    demand: &'a TableDemand,
    region: &'a str,
    catalog: &'a Catalog,
    month: MonthHours,
}

pub(super) fn table_costs(
    table: &Table,
    demand: &TableDemand,
    region: &str,
    catalog: &Catalog,
    month: MonthHours,
    simulated: Option<(&TableResult, Decimal)>,
) -> TableCosts {
    let pricing = Pricing {
        table,
        class: table.table_class,
        demand,
        region,
        catalog,
        month,
    };
    let mut modes = pricing.price_modes();
    if let Some((result, budget)) = simulated {
        pricing.simulated_autoscaling(&mut modes, result);
        weigh_simulation(&mut modes, result, budget);
    }
    let recommendation = recommend(&modes);
    let mut advice: Vec<Advice> = pricing.class_advice(&modes).into_iter().collect();
    advice.extend(pricing.dax_advice().map(Advice::Dax));
    TableCosts {
        table: demand.name.clone(),
        capacity_choice: table.capacity,
        modes,
        recommendation,
        advice,
    }
}

/// Records each mode's simulated share of requests failed throttled after their retries, the
/// figure `max_throttled` bounds (reserved capacity throttles like fixed provisioned
/// capacity), and marks a mode over the table's budget as one that throttles, so it is never
/// recommended.
fn weigh_simulation(modes: &mut [ModeCost], result: &TableResult, budget: Decimal) {
    for mode in modes {
        let model = simulated_model(mode.mode);
        let Some(share) = result
            .models
            .iter()
            .find(|m| m.model == model)
            .and_then(|m| Decimal::from_f64_retain(m.failed_share))
        else {
            continue;
        };
        let share = share.round_dp(6);
        mode.simulated_throttled = Some(share);
        mode.over_throttle_budget = (share > budget).then_some(budget);
    }
}

/// The simulator's model of a mode's capacity: reserved capacity throttles like the fixed
/// provisioned capacity it is bought for.
pub fn simulated_model(mode: Mode) -> Model {
    match mode {
        Mode::OnDemand => Model::OnDemand,
        Mode::Autoscaling => Model::Autoscaling,
        Mode::Provisioned | Mode::Reserved => Model::Provisioned,
    }
}

/// Modes a recommendation may choose: fully priced, and able to carry the peak.
fn eligible(modes: &[ModeCost]) -> impl Iterator<Item = &ModeCost> {
    modes.iter().filter(|m| m.bill.complete() && !m.throttles())
}

fn cheapest(modes: &[ModeCost]) -> Option<&ModeCost> {
    eligible(modes).min_by_key(|m| m.bill.total())
}

impl Pricing<'_> {
    /// Once a week has been simulated, autoscaling is priced at the capacity it held on
    /// average (as `simulate` prices it) rather than at mean ÷ target: each target's read and
    /// write units, the same write units in every replica Region.
    fn simulated_autoscaling(&self, modes: &mut [ModeCost], result: &TableResult) {
        let Some(run) = result.models.iter().find(|m| m.model == Model::Autoscaling) else {
            return;
        };
        let Some(mode) = modes.iter_mut().find(|m| m.mode == Mode::Autoscaling) else {
            return;
        };
        let average = |index: &Option<String>, kind: Kind| {
            let target = index.as_deref().unwrap_or("table");
            run.lanes
                .iter()
                .find(|l| l.target == target && l.kind == kind)
                .and_then(|l| Decimal::from_f64_retain(l.capacity_average))
                .map(|units| units.round_dp(3))
        };
        let mut usages = self.usages(Mode::Autoscaling);
        for (i, usage) in usages.iter_mut().enumerate() {
            for t in &mut usage.throughput {
                if i == 0 {
                    t.rcu = average(&t.index, Kind::Read).unwrap_or(t.rcu);
                }
                t.wcu = average(&t.index, Kind::Write).unwrap_or(t.wcu);
            }
        }
        let (catalog, month) = (self.catalog, self.month);
        mode.capacity = capacity_of(&usages, Mode::Autoscaling);
        mode.bill = Bill::new(
            usages
                .iter()
                .flat_map(|usage| cost::provisioned(usage, catalog, month).lines),
        );
    }

    /// Every capacity mode for the table's class; reserved capacity only where it can be bought.
    fn price_modes(&self) -> Vec<ModeCost> {
        let Pricing { catalog, month, .. } = *self;
        let mut modes: Vec<ModeCost> = [Mode::OnDemand, Mode::Provisioned, Mode::Autoscaling]
            .into_iter()
            .map(|mode| {
                let usages = self.usages(mode);
                let capacity = capacity_of(&usages, mode);
                let lines = usages.iter().flat_map(|usage| match mode {
                    Mode::OnDemand => cost::on_demand(usage, catalog, month).lines,
                    _ => cost::provisioned(usage, catalog, month).lines,
                });
                ModeCost {
                    mode,
                    capacity,
                    reservation: None,
                    bill: Bill::new(lines),
                    shortfalls: Vec::new(),
                    simulated_throttled: None,
                    over_throttle_budget: None,
                }
            })
            .collect();
        let home = self.usages(Mode::Provisioned);
        if let Some(reserved) = self.reserved_mode(&home[0], &modes[1]) {
            modes.push(reserved);
        }
        for mode in &mut modes {
            mode.shortfalls = self.shortfalls(mode);
        }
        modes
    }

    /// Where a mode's capacity falls short of the peak: fixed or capped provisioned units
    /// below the table's or a GSI's peak units (burst credit covers at most 300 s, §4), or an
    /// on-demand maximum throughput below the peak (MaxOnDemandThroughputExceeded, §6).
    fn shortfalls(&self, mode: &ModeCost) -> Vec<Shortfall> {
        let units = |u: Option<u64>| u.map(Decimal::from);
        // Each limit the mode sets, with its read and write units.
        let limits: Vec<(Target, Limit, Option<Decimal>, Option<Decimal>)> = match mode.mode {
            Mode::OnDemand => {
                let max = self.table.on_demand.as_ref();
                vec![(
                    Target::Table,
                    Limit::OnDemandMax,
                    units(max.and_then(|m| m.max_read)),
                    units(max.and_then(|m| m.max_write)),
                )]
            }
            // Autoscaling follows demand up to its maximum; only a maximum below the peak
            // throttles.
            Mode::Autoscaling => self
                .demand
                .targets
                .iter()
                .map(|t| {
                    let scaling = self.scaling(&t.target);
                    (
                        t.target.clone(),
                        Limit::AutoscalingMax,
                        units(scaling.and_then(|s| s.max_read)),
                        units(scaling.and_then(|s| s.max_write)),
                    )
                })
                .collect(),
            Mode::Provisioned | Mode::Reserved => mode
                .capacity_in(self.region)
                .map(|c| {
                    let target = c.index.clone().map_or(Target::Table, Target::Gsi);
                    (target, Limit::Provisioned, Some(c.read), Some(c.write))
                })
                .collect(),
        };
        limits
            .into_iter()
            .flat_map(|(target, limit, read, write)| {
                let demand = self.demand.target(&target);
                [
                    (Kind::Read, read, demand.map(|d| d.reads.peak)),
                    (Kind::Write, write, demand.map(|d| d.writes.peak)),
                ]
                .into_iter()
                .filter_map(move |(kind, have, need)| {
                    let (have, need) = (have?, need?);
                    (have < need).then(|| Shortfall {
                        target: target.clone(),
                        limit,
                        kind,
                        have,
                        need,
                    })
                })
            })
            .collect()
    }

    /// Fixed provisioned capacity with the cheapest reservation on top of the blocks the spec
    /// says are owned (§7.2): the reservable capacity lines are replaced by the reservation's
    /// fees and the capacity above it. Standard class only; a global table's own writes are
    /// replicated writes and cannot be reserved.
    fn reserved_mode(&self, home: &TableUsage, provisioned: &ModeCost) -> Option<ModeCost> {
        let Pricing {
            table,
            catalog,
            month,
            ..
        } = *self;
        if home.class != TableClass::Standard {
            return None;
        }
        let owned = table.reserved.as_ref().map(|r| &r.value);
        let term = match owned.map(|r| r.term) {
            Some(model::ReservedTerm::ThreeYears) => Term::ThreeYears,
            _ => Term::OneYear,
        };
        let (rcu, wcu) = cost::reservable_units(home);
        let hours = month.0 as usize;
        let mut lines: Vec<CostLine> = provisioned
            .bill
            .lines
            .iter()
            .filter(|l| {
                !(l.region == home.region
                    && matches!(
                        l.price_name,
                        PriceKey::ProvisionedRcuHour(TableClass::Standard)
                            | PriceKey::ProvisionedWcuHour(TableClass::Standard)
                    ))
            })
            .cloned()
            .collect();
        let mut blocks = Vec::new();
        for (capacity, units, owned_units) in [
            (Capacity::Rcu, rcu, owned.map_or(0, |r| r.read)),
            (Capacity::Wcu, wcu, owned.map_or(0, |r| r.write)),
        ] {
            let plan = cost::plan_reservation(
                &ReservationQuestion {
                    region: home.region.clone(),
                    capacity,
                    term,
                    hourly_units: vec![units; hours],
                    owned_blocks: owned_units / cost::BLOCK_UNITS,
                },
                catalog,
            )
            .ok()?;
            blocks.push(Blocks {
                total: plan.owned_blocks + plan.new_blocks,
                owned: plan.owned_blocks,
            });
            lines.extend(plan.lines);
        }
        Some(ModeCost {
            mode: Mode::Reserved,
            capacity: provisioned.capacity.clone(),
            reservation: Some(Reservation {
                term,
                read: blocks[0],
                write: blocks[1],
            }),
            bill: Bill::new(lines),
            shortfalls: Vec::new(),
            simulated_throttled: None,
            over_throttle_budget: None,
        })
    }

    /// Standard-IA trades 60% cheaper storage for about 25% dearer throughput (§7.2 [TC]); the
    /// only sure way to know which class wins for this table is to price both.
    fn class_advice(&self, modes: &[ModeCost]) -> Option<Advice> {
        let other = self.class.other();
        let mut alternative = Pricing {
            class: other,
            ..*self
        }
        .price_modes();
        // Throttling does not depend on the class: a mode judged to throttle stays judged so.
        for alt in &mut alternative {
            if let Some(same) = modes.iter().find(|m| m.mode == alt.mode) {
                if alt.shortfalls.is_empty() {
                    alt.shortfalls.clone_from(&same.shortfalls);
                }
                alt.over_throttle_budget = same.over_throttle_budget;
            }
        }
        let monthly = |m: &ModeCost| ModeMonthly {
            mode: m.mode,
            monthly: m.bill.total(),
        };
        let best = monthly(cheapest(modes)?);
        let other_best = cheapest(&alternative).map(monthly);
        Some(Advice::TableClass(ClassAdvice {
            class: self.class,
            saving: other_best.as_ref().map(|o| best.monthly - o.monthly),
            best,
            other,
            other_best,
        }))
    }

    /// What DAX costs against the read units its cache hits take off the table, priced both
    /// on-demand and provisioned (at the default 70% target).
    fn dax_advice(&self) -> Option<DaxAdvice> {
        let Pricing {
            table,
            class,
            demand,
            region,
            catalog,
            month,
        } = *self;
        let dax = table.dax.as_ref()?;
        let offload = demand.dax_offload;
        let node = catalog.get(region, &PriceKey::DaxNodeHour(dax.value.node_type.clone()))?;
        let nodes = node.amount * Decimal::from(dax.value.nodes) * Decimal::from(month.0);
        let on_demand =
            catalog.get(region, &PriceKey::OnDemandRead(class))?.amount * offload * month.seconds();
        let provisioned = catalog
            .get(region, &PriceKey::ProvisionedRcuHour(class))?
            .amount
            * capacity_at_target(offload, Percent(DEFAULT_TARGET))
            * Decimal::from(month.0);
        let workload = self.dax_workload(dax.value.nodes, dax.value.hit_ratio.0);
        let sizing = cost::dax::size_cluster(&workload);
        let smallest_node_type = sizing.options.first().map(|o| o.node_type.name.to_string());
        Some(DaxAdvice {
            nodes: dax.value.nodes,
            node_type: dax.value.node_type.clone(),
            monthly: nodes,
            offload,
            saves_on_demand: on_demand,
            saves_provisioned: provisioned,
            pays_for_itself: nodes < on_demand.max(provisioned),
            sizing_target_rps: sizing.target_rps,
            sizing_warnings: if smallest_node_type.is_none() {
                sizing.warnings
            } else {
                Vec::new()
            },
            smallest_node_type,
        })
    }

    /// The cluster's traffic for AWS's DAX sizing method ([DAXCALC]): cache hits and
    /// misses of eventually consistent reads (strong and transactional reads pass through,
    /// like misses) and write-through writes, in items per second.
    fn dax_workload(&self, nodes: u32, hit_ratio: Decimal) -> cost::dax::DaxWorkload {
        let (mut hits, mut misses, mut writes) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for p in &self.demand.patterns {
            let items = p.requests_per_second * Decimal::from(p.items_per_request);
            match p.kind {
                Kind::Write => writes += items,
                Kind::Read if !p.dax_offload.is_zero() => {
                    hits += items * hit_ratio;
                    misses += items * (Decimal::ONE - hit_ratio);
                }
                Kind::Read => misses += items,
            }
        }
        cost::dax::DaxWorkload {
            hits_per_second: hits,
            misses_per_second: misses,
            writes_per_second: writes,
            item_size: Size::from_bytes(self.demand.item_bytes),
            nodes,
            target_utilization: DEFAULT_TARGET,
            dataset: None,
        }
    }
}

fn recommend(modes: &[ModeCost]) -> Option<Recommendation> {
    let cheapest = cheapest(modes)?;
    let runner_up = eligible(modes)
        .filter(|m| m.mode != cheapest.mode)
        .min_by_key(|m| m.bill.total())
        .map(|next| RunnerUp {
            mode: next.mode,
            monthly: next.bill.total(),
            saving: next.bill.total() - cheapest.bill.total(),
        });
    Some(Recommendation {
        mode: cheapest.mode,
        monthly: cheapest.bill.total(),
        reason: match runner_up {
            Some(_) => Reason::Cheapest,
            None => Reason::OnlyFullyPriced,
        },
        runner_up,
    })
}

/// The capacity a mode is priced with, per Region and target.
fn capacity_of(usages: &[TableUsage], mode: Mode) -> Vec<TargetCapacity> {
    usages
        .iter()
        .flat_map(|usage| {
            usage.throughput.iter().map(|t| {
                let (unit, read, write) = match mode {
                    Mode::OnDemand => (
                        CapacityUnit::RequestUnitsPerMonth,
                        t.read_request_units,
                        t.write_request_units,
                    ),
                    _ => (CapacityUnit::CapacityUnits, t.rcu, t.wcu),
                };
                TargetCapacity {
                    region: usage.region.clone(),
                    index: t.index.clone(),
                    unit,
                    read,
                    write,
                }
            })
        })
        .collect()
}

/// Provisioned units for one target in a mode: the spec's own numbers when it fixes them,
/// else the peak at the target utilization; autoscaling follows demand, so it averages the
/// mean at the target, within its minimum and maximum.
fn provisioned_units(
    mode: Mode,
    fixed: Option<u64>,
    demand: UnitRate,
    scaling: Option<&Autoscaling>,
    (min, max): (Option<u64>, Option<u64>),
) -> Decimal {
    let target = Percent(scaling.map_or(DEFAULT_TARGET, |a| a.target.value.0));
    let units = match (mode, fixed) {
        (Mode::Provisioned | Mode::Reserved, Some(fixed)) => Decimal::from(fixed),
        (Mode::Provisioned | Mode::Reserved, None) => capacity_at_target(demand.peak, target),
        _ => {
            let at_target = capacity_at_target(demand.mean, target);
            let capped = max.map_or(at_target, |max| at_target.min(Decimal::from(max)));
            capped.max(Decimal::from(min.unwrap_or(1)))
        }
    };
    units.max(Decimal::ONE)
}

impl Pricing<'_> {
    /// The index of a GSI target, or none for the table.
    fn index(&self, target: &Target) -> Option<&model::Index> {
        match target {
            Target::Table => None,
            Target::Gsi(name) => self
                .table
                .indexes
                .iter()
                .find(|i| &i.value.name == name)
                .map(|i| &i.value),
        }
    }

    /// A target's autoscaling policy: a GSI's own, else the table's.
    fn scaling(&self, target: &Target) -> Option<&Autoscaling> {
        self.index(target)
            .and_then(|i| i.autoscaling.as_ref())
            .or(self.table.autoscaling.as_ref())
            .map(|a| &a.value)
    }

    fn throughput(&self, target: &Target, mode: Mode, writes_only: bool) -> Option<Throughput> {
        let Pricing {
            table,
            demand,
            month,
            ..
        } = *self;
        let t = demand.target(target)?;
        let index = self.index(target);
        let fixed = index
            .map_or(table.provisioned.as_ref(), |i| i.provisioned.as_ref())
            .map(|p| p.value);
        let scaling = self.scaling(target);
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
                    reads,
                    scaling,
                    (
                        scaling.and_then(|s| s.min_read),
                        scaling.and_then(|s| s.max_read),
                    ),
                ),
                provisioned_units(
                    mode,
                    fixed.map(|p| p.write),
                    t.writes,
                    scaling,
                    (
                        scaling.and_then(|s| s.min_write),
                        scaling.and_then(|s| s.max_write),
                    ),
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
    fn usages(&self, mode: Mode) -> Vec<TableUsage> {
        let Pricing {
            table,
            class,
            demand,
            region,
            month,
            ..
        } = *self;
        let seconds = month.seconds();
        let targets: Vec<Target> = demand.targets.iter().map(|t| t.target.clone()).collect();
        let storage: u64 = demand.targets.iter().map(|t| t.storage_bytes).sum();
        // PITR and on-demand backups are billed on the table with its LSIs, not GSIs [BKBILL].
        let backed_up: u64 = demand
            .targets
            .iter()
            .filter(|t| t.target == Target::Table)
            .map(|t| t.storage_bytes)
            .sum();
        let backups = table.backups.as_ref();
        let per_month = |size: Option<Size>| size.unwrap_or_default();
        let home = TableUsage {
            name: table.name.clone(),
            region: region.to_string(),
            class,
            global_table: table.global.is_some(),
            throughput: targets
                .iter()
                .filter_map(|t| self.throughput(t, mode, false))
                .collect(),
            storage: Size::from_bytes(storage),
            pitr: Size::from_bytes(if backups.is_some_and(|b| b.pitr) {
                backed_up
            } else {
                0
            }),
            backup: backups
                .and_then(|b| b.on_demand.as_ref())
                .map(|o| {
                    let one = o.size.map_or(backed_up, Size::bytes);
                    Size::from_bytes(one.saturating_mul(u64::from(o.retained)))
                })
                .unwrap_or_default(),
            restored: per_month(backups.and_then(|b| b.restored_per_month)),
            exported: per_month(backups.and_then(|b| b.exported_per_month)),
            imported: per_month(backups.and_then(|b| b.imported_per_month)),
            // Only application readers' GetRecords calls: the demand model leaves out Lambda
            // triggers and replication, whose reads AWS never charges (§7.2 [STRCOST]).
            billed_stream_reads: demand
                .streams
                .as_ref()
                .map_or(Decimal::ZERO, |s| s.billed_requests_per_second * seconds),
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
                    .filter_map(|t| self.throughput(t, mode, true))
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
                    class,
                    global_table: true,
                    throughput,
                    storage: Size::from_bytes(storage),
                    ..TableUsage::default()
                });
            }
        }
        usages
    }
}
