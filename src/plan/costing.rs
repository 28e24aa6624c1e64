//! Pricing a table's demand under every capacity mode: demand becomes per-region usage (a
//! global table's replicas receive every write as replicated writes), the catalog prices it.

use std::collections::BTreeSet;

use super::model::{
    Advice, Blocks, CapacityUnit, ClassAdvice, DaxAdvice, InheritedMinimums, Limit, ModeCost,
    ModeMonthly, Reason, Recommendation, RegionReservation, Reservation, RunnerUp, Shortfall,
    TableCosts, TargetCapacity,
};
use rust_decimal::Decimal;

use crate::capacity::TableClass;
use crate::cost::{
    self, capacity_at_target, Bill, Commitment, CostLine, DaxCluster, ReservationQuestion,
    TableUsage, Throughput,
};
use crate::demand::{Kind, TableDemand, Target, UnitRate};
use crate::pricing::{Capacity, Catalog, PriceKey, Term};
use crate::quantity::{from_float, MonthHours, Percent, Size, FLOAT_SCALE};
use crate::sim::{Model, TableResult};
use crate::workload::model::{self, Autoscaling, Table};

use crate::capacity::CapacityMode as Mode;
use crate::capacity::DEFAULT_TARGET_UTILIZATION as DEFAULT_TARGET;

/// Allowances are per account and region, across all tables (§7.2 [FREE][STRCOST]): `credits`
/// are taken once per mode from the lines of every table priced in that mode (a Standard-IA
/// table has no reserved mode), and shown on the first of those tables, whose recommendation
/// is then weighed again on the credited bills.
pub(super) fn apply_allowance(
    costs: &mut [TableCosts],
    credits: impl Fn(Mode, &[CostLine]) -> Vec<CostLine>,
) {
    for mode in Mode::ALL {
        let priced_in = |c: &TableCosts| c.modes.iter().position(|m| m.mode == mode);
        let lines: Vec<_> = costs
            .iter()
            .filter_map(|c| priced_in(c).map(|m| &c.modes[m].bill.lines))
            .flatten()
            .cloned()
            .collect();
        let credits = credits(mode, &lines);
        if let Some(first) = costs.iter_mut().find(|c| priced_in(c).is_some()) {
            let m = priced_in(first).unwrap_or_default();
            first.modes[m].bill.lines.extend(credits);
            first.recommendation = recommend(&first.modes);
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
    advice.extend(pricing.inherited_minimums().map(Advice::InheritedMinimums));
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
            .and_then(|m| from_float(m.failed_share, FLOAT_SCALE))
        else {
            continue;
        };
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
                // To a thousandth of a unit: the figure priced per unit-hour.
                .and_then(|l| from_float(l.capacity_average, 3))
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
        let lines = usages
            .iter()
            .flat_map(|usage| cost::provisioned(usage, catalog, month).lines)
            .collect();
        // Owned blocks cover the simulated capacity as they cover the estimate (§7.2 [RECO]).
        let Some((lines, reservation)) = self.reserve(&usages, lines, Mode::Autoscaling) else {
            return;
        };
        mode.capacity = capacity_of(&usages, Mode::Autoscaling);
        mode.reservation = reservation;
        mode.bill = Bill::new(lines);
    }

    /// Every capacity mode for the table's class; reserved capacity only where it can be bought.
    /// Blocks the spec owns are paid in every mode, and cover provisioned capacity in its
    /// Region whatever mode buys it (§7.2 [RECO]).
    fn price_modes(&self) -> Vec<ModeCost> {
        let Pricing { catalog, month, .. } = *self;
        let mut modes: Vec<ModeCost> = Mode::ALL
            .into_iter()
            .filter_map(|mode| {
                let usages = self.usages(mode);
                let capacity = capacity_of(&usages, mode);
                let lines: Vec<CostLine> = usages
                    .iter()
                    .flat_map(|usage| match mode {
                        Mode::OnDemand => cost::on_demand(usage, catalog, month).lines,
                        _ => cost::provisioned(usage, catalog, month).lines,
                    })
                    .collect();
                let (lines, reservation) = self.reserve(&usages, lines, mode)?;
                Some(ModeCost {
                    mode,
                    capacity,
                    reservation,
                    bill: Bill::new(lines),
                    shortfalls: Vec::new(),
                    simulated_throttled: None,
                    over_throttle_budget: None,
                })
            })
            .collect();
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
                // A global table's write settings are alike in every Region, so they must
                // carry the busiest one's writes ([GTBP][GTTHR]).
                let reads = self.demand.target(&target).map(|d| d.reads.peak);
                let writes = self.demand.sized_writes(&target).map(|w| w.peak);
                [(Kind::Read, read, reads), (Kind::Write, write, writes)]
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

    /// Reserved capacity in a mode's `lines`, Region by Region (reservations are bought and
    /// applied per Region, §7.2 [RECO]). In the reserved mode every Region gets the cheapest
    /// number of blocks on top of those the spec owns in its own Region; in the other modes the
    /// owned blocks alone, whose fee is paid whatever the mode and which cover provisioned
    /// capacity, but never on-demand request units. The reservable lines (Standard RCU and WCU,
    /// not a global table's rWCU: reserved capacity is not sold for replicated writes) are
    /// replaced by the blocks and the capacity above them. `None` for a reserved mode that
    /// cannot be bought: a Standard-IA table, or no reserved prices in the home Region.
    fn reserve(
        &self,
        usages: &[TableUsage],
        mut lines: Vec<CostLine>,
        mode: Mode,
    ) -> Option<(Vec<CostLine>, Option<Reservation>)> {
        let Pricing {
            table,
            catalog,
            month,
            region: home,
            ..
        } = *self;
        let buy = mode == Mode::Reserved;
        if buy && self.class != TableClass::Standard {
            return None;
        }
        let owned = table.reserved.as_ref().map(|r| &r.value);
        let term = match owned.map(|r| r.term) {
            Some(model::ReservedTerm::ThreeYears) => Term::ThreeYears,
            _ => Term::OneYear,
        };
        let hours = month.0 as usize;
        let mut regions = Vec::new();
        let mut commitment = Commitment::default();
        for usage in usages {
            let at_home = usage.region == home;
            let owned_units = |units: fn(&model::Reserved) -> u64| {
                owned.filter(|_| at_home).map_or(0, units) / cost::BLOCK_UNITS
            };
            let owned_blocks = [owned_units(|r| r.read), owned_units(|r| r.write)];
            if !buy && owned_blocks == [0, 0] {
                continue;
            }
            let (rcu, wcu) = match mode {
                Mode::OnDemand => (Decimal::ZERO, Decimal::ZERO),
                _ => cost::reservable_units(usage),
            };
            let mut planned = Vec::new();
            let mut blocks = Vec::new();
            let mut bought = Commitment::default();
            for (capacity, units, owned_blocks) in [
                (Capacity::Rcu, rcu, owned_blocks[0]),
                (Capacity::Wcu, wcu, owned_blocks[1]),
            ] {
                let question = ReservationQuestion {
                    region: usage.region.clone(),
                    capacity,
                    term,
                    hourly_units: vec![units; hours],
                    owned_blocks,
                    buy,
                };
                match cost::plan_reservation(&question, catalog) {
                    Ok(plan) => {
                        bought = bought + plan.commitment;
                        blocks.push(Blocks {
                            total: plan.owned_blocks + plan.new_blocks,
                            owned: plan.owned_blocks,
                        });
                        planned.extend(plan.lines.into_iter().map(|mut line| {
                            line.name = format!("{}: {}", usage.name, line.name);
                            line
                        }));
                    }
                    // Nothing to buy where the catalog has no reserved prices, except at home.
                    Err(_) if buy && !at_home => break,
                    Err(_) if buy => return None,
                    // Owned blocks are paid even when the catalog cannot price them.
                    Err(missing) => {
                        blocks.push(Blocks {
                            total: owned_blocks,
                            owned: owned_blocks,
                        });
                        planned.push(CostLine::priced(
                            catalog,
                            &usage.region,
                            missing.key,
                            format!(
                                "{}: reserved {} {}: owned blocks",
                                usage.name,
                                term.name(),
                                capacity.name().to_uppercase()
                            ),
                            Decimal::from(owned_blocks),
                            format!("{owned_blocks} owned blocks"),
                        ));
                    }
                }
            }
            if blocks.len() < 2 {
                continue;
            }
            commitment = commitment + bought;
            lines.retain(|l| {
                !(l.region == usage.region
                    && matches!(
                        l.price_name,
                        PriceKey::ProvisionedRcuHour(TableClass::Standard)
                            | PriceKey::ProvisionedWcuHour(TableClass::Standard)
                    ))
            });
            lines.extend(planned);
            // Owned units no provisioned capacity here can use: paid for nothing.
            let idle = |owned: u64, units: Decimal| {
                (Decimal::from(owned * cost::BLOCK_UNITS) - units).max(Decimal::ZERO)
            };
            regions.push(RegionReservation {
                region: usage.region.clone(),
                read: blocks[0],
                write: blocks[1],
                idle_read: idle(owned_blocks[0], rcu),
                idle_write: idle(owned_blocks[1], wcu),
            });
        }
        let sum = |of: fn(&RegionReservation) -> Blocks| {
            regions
                .iter()
                .map(of)
                .fold(Blocks { total: 0, owned: 0 }, |a, b| Blocks {
                    total: a.total + b.total,
                    owned: a.owned + b.owned,
                })
        };
        // The other modes carry the owned blocks in their bill lines only.
        let (read, write) = (sum(|r| r.read), sum(|r| r.write));
        let reservation = buy.then_some(Reservation {
            term,
            read,
            write,
            regions,
            commitment,
        });
        Some((lines, reservation))
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

    /// GSIs held at the table's autoscaling minimums, which they inherit without a policy of
    /// their own, and what those units above their own demand cost a month.
    fn inherited_minimums(&self) -> impl Iterator<Item = InheritedMinimums> + '_ {
        let policy = self
            .table
            .autoscaling
            .as_ref()
            .map(|a| &a.value)
            .filter(|p| p.min_read.is_some() || p.min_write.is_some());
        let price = |key| self.catalog.get(self.region, &key).map(|p| p.amount);
        self.table
            .indexes
            .iter()
            .map(|i| &i.value)
            .filter(move |i| policy.is_some() && i.autoscaling.is_none())
            .filter_map(move |index| {
                let policy = policy?;
                let demand = self.demand.target(&Target::Gsi(index.name.clone()))?;
                let extra = |rate, min: Option<u64>, max| {
                    let held = |min| {
                        provisioned_units(Mode::Autoscaling, None, rate, Some(policy), (min, max))
                    };
                    held(min) - held(None)
                };
                let extra_read = extra(demand.reads, policy.min_read, policy.max_read);
                let extra_write = extra(demand.writes, policy.min_write, policy.max_write);
                if extra_read.is_zero() && extra_write.is_zero() {
                    return None;
                }
                let rcu = price(PriceKey::ProvisionedRcuHour(self.class))?;
                let wcu = price(PriceKey::ProvisionedWcuHour(self.class))?;
                Some(InheritedMinimums {
                    index: index.name.clone(),
                    min_read: policy.min_read,
                    min_write: policy.min_write,
                    extra_read,
                    extra_write,
                    monthly: cost::money(
                        (extra_read * rcu + extra_write * wcu) * Decimal::from(self.month.0),
                    ),
                })
            })
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
            monthly: cost::money(nodes),
            offload,
            saves_on_demand: cost::money(on_demand),
            saves_provisioned: cost::money(provisioned),
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

/// The cheapest fully priced mode that carries the peak; when no mode is fully priced, the
/// cheapest of the partly priced ones that can still be ranked ([`partially_comparable`]), so
/// the advice is labelled partial rather than dropped.
fn recommend(modes: &[ModeCost]) -> Option<Recommendation> {
    if let Some(recommendation) = rank(eligible(modes).collect(), Reason::Cheapest) {
        return Some(match recommendation.runner_up {
            Some(_) => recommendation,
            None => Recommendation {
                reason: Reason::OnlyFullyPriced,
                ..recommendation
            },
        });
    }
    let (compared, unpriced) = partially_comparable(modes);
    let not_compared = modes
        .iter()
        .filter(|m| !m.throttles() && !compared.iter().any(|c| c.mode == m.mode))
        .map(|m| m.mode)
        .collect();
    Some(Recommendation {
        unpriced,
        not_compared,
        ..rank(compared, Reason::PartialComparison)?
    })
}

/// The cheapest of `candidates` and the next cheapest.
fn rank(candidates: Vec<&ModeCost>, reason: Reason) -> Option<Recommendation> {
    let best = candidates.iter().min_by_key(|m| m.bill.total())?;
    let runner_up = candidates
        .iter()
        .filter(|m| m.mode != best.mode)
        .min_by_key(|m| m.bill.total())
        .map(|next| RunnerUp {
            mode: next.mode,
            monthly: next.bill.total(),
            saving: next.bill.total() - best.bill.total(),
        });
    Some(Recommendation {
        mode: best.mode,
        monthly: best.bill.total(),
        reason,
        runner_up,
        unpriced: Vec::new(),
        not_compared: Vec::new(),
    })
}

/// The modes that carry the peak and lack only prices that every such mode lacks, with those
/// prices: their missing lines would add the same to each total, so the priced lines still
/// rank them. A mode missing a price of its own (on-demand request units, say) cannot be.
fn partially_comparable(modes: &[ModeCost]) -> (Vec<&ModeCost>, Vec<String>) {
    let carrying: Vec<(&ModeCost, BTreeSet<String>)> = modes
        .iter()
        .filter(|m| !m.throttles())
        .map(|m| (m, m.bill.unpriced().into_iter().collect()))
        .collect();
    let common = carrying
        .iter()
        .map(|(_, missing)| missing.clone())
        .reduce(|a, b| &a & &b)
        .unwrap_or_default();
    let compared = carrying
        .into_iter()
        .filter(|(_, missing)| *missing == common)
        .map(|(m, _)| m)
        .collect();
    (compared, common.into_iter().collect())
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

    /// A target's throughput in one mode, in the home Region or in a replica. A replica takes
    /// the replicated writes (TTL deletes included) and none of the spec's reads. Fixed
    /// provisioned write capacity is identical in every Region ([GTBP]), so it is sized for the
    /// busiest; auto-scaled capacity floats with each Region's own writes ([GTTHR]).
    fn throughput(&self, target: &Target, mode: Mode, replica: bool) -> Option<Throughput> {
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
        let (reads, writes) = if replica {
            (
                UnitRate::default(),
                demand.replica_writes(target).unwrap_or_default(),
            )
        } else {
            (t.reads, t.writes)
        };
        let (rcu, wcu, rru, wru) = match mode {
            Mode::OnDemand => (
                Decimal::ZERO,
                Decimal::ZERO,
                reads.mean * seconds,
                writes.mean * seconds,
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
                    match mode {
                        Mode::Autoscaling => writes,
                        _ => demand.sized_writes(target).unwrap_or(writes),
                    },
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
            // Priced in the Region the data leaves ([GTBILL]): every replica is sent each write.
            cross_region_transfer: demand.replication.as_ref().map_or_else(Size::default, |r| {
                let bytes =
                    r.transfer_bytes_per_second * seconds * Decimal::from(r.regions.len() as u64);
                Size::from_bytes(u64::try_from(bytes.ceil()).unwrap_or(u64::MAX))
            }),
            dax: table.dax.as_ref().map(|d| DaxCluster {
                node_type: d.value.node_type.clone(),
                nodes: d.value.nodes,
            }),
        };
        let mut usages = vec![home];
        if let Some(replication) = &demand.replication {
            for replica in &replication.regions {
                let throughput: Vec<Throughput> = targets
                    .iter()
                    .filter_map(|t| self.throughput(t, mode, true))
                    .collect();
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
