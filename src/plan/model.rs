//! The plan's result model: what every output format renders and `check` judges. Numbers and
//! enums only; the renderers write the sentences.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::capacity::{CapacityMode, TableClass};
use crate::cost::{Bill, Commitment};
use crate::demand::{Kind, TableDemand, Target};
use crate::diagnostic::Diagnostic;
use crate::pricing::Term;
use crate::workload::model::CapacityChoice;

/// Bumped when a field changes meaning or disappears; adding fields keeps the version. 3 writes
/// quantities as JSON numbers, where 2 wrote decimal strings.
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct PlanReport {
    pub schema_version: u32,
    /// Always `plan`: tells this report from a simulation or a check when files are mixed.
    pub kind: &'static str,
    pub tool_version: &'static str,
    /// The spec's name as given (`specs/orders.yaml`, `<stdin>`).
    pub spec: String,
    pub region: String,
    pub month_hours: u32,
    pub tables: Vec<TableDemand>,
    /// Each table priced under every capacity mode.
    pub costs: Vec<TableCosts>,
    /// The workload's monthly cost with each table in its recommended mode; `None` when a
    /// table has no recommendation (every mode throttles) or only a partial one (a price is
    /// missing), never a partial sum.
    pub total_monthly: Option<Decimal>,
    /// Spec-level warnings; each table carries its own too.
    pub diagnostics: Vec<Diagnostic>,
    /// Where a figure rests on an estimate the reader should know about.
    pub caveats: Vec<String>,
}

impl PlanReport {
    /// Every finding: the spec's, then each table's.
    pub fn findings(&self) -> impl Iterator<Item = &Diagnostic> {
        crate::demand::findings(&self.diagnostics, &self.tables)
    }
}

/// A capacity mode priced for one table.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ModeCost {
    pub mode: CapacityMode,
    /// The capacity priced, for the table and each GSI in the home Region and then in each
    /// replica Region.
    pub capacity: Vec<TargetCapacity>,
    /// The reserved capacity bought (reserved mode only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reservation: Option<Reservation>,
    pub bill: Bill,
    /// Where this mode's capacity cannot carry the peak demand: such a mode is priced but
    /// never recommended.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub shortfalls: Vec<Shortfall>,
    /// Share of request units the simulator throttled in this mode, when it was run.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::quantity::json_number_option"
    )]
    pub simulated_throttled: Option<Decimal>,
    /// The table's `max_throttled` budget, when the simulated share exceeds it: such a mode
    /// is never recommended either.
    #[serde(
        skip_serializing_if = "Option::is_none",
        serialize_with = "crate::quantity::json_number_option"
    )]
    pub over_throttle_budget: Option<Decimal>,
}

impl ModeCost {
    /// Whether the mode throttles: short of the peak, or over the simulated budget.
    pub fn throttles(&self) -> bool {
        !self.shortfalls.is_empty() || self.over_throttle_budget.is_some()
    }

    /// The capacity set in one Region (the home Region for provisioned units).
    pub fn capacity_in<'a>(&'a self, region: &'a str) -> impl Iterator<Item = &'a TargetCapacity> {
        self.capacity.iter().filter(move |c| c.region == region)
    }
}

/// The capacity a mode was priced with on the table (`index: None`) or one GSI, in one
/// Region: request units a month in on-demand mode, provisioned units otherwise (a fixed
/// setting, or the month's average under autoscaling).
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct TargetCapacity {
    pub region: String,
    pub index: Option<String>,
    pub unit: CapacityUnit,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub read: Decimal,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub write: Decimal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CapacityUnit {
    /// RRU and WRU a month.
    RequestUnitsPerMonth,
    /// RCU and WCU held.
    CapacityUnits,
}

/// Reserved capacity in blocks of 100 units ("Reserved capacity", DynamoDB pricing page), the
/// owned blocks included. Other modes pay the owned blocks too, as lines of their bill.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Reservation {
    pub term: Term,
    /// Blocks in all Regions.
    pub read: Blocks,
    pub write: Blocks,
    /// Blocks per Region: reservations are bought and applied in one Region.
    pub regions: Vec<RegionReservation>,
    /// What buying the blocks not owned commits to, in all Regions.
    pub commitment: Commitment,
}

#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct RegionReservation {
    pub region: String,
    pub read: Blocks,
    pub write: Blocks,
    /// Owned units above the reservable capacity (Standard RCU and WCU, not rWCU): paid for
    /// and unused.
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub idle_read: Decimal,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub idle_write: Decimal,
}

#[derive(Debug, Clone, Copy, Serialize)]
pub struct Blocks {
    /// Blocks held in all, owned ones included.
    pub total: u64,
    /// Blocks the spec says are already owned.
    pub owned: u64,
}

/// One capacity limit below the peak demand it must carry.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Shortfall {
    pub target: Target,
    pub limit: Limit,
    pub kind: Kind,
    /// The limit's units (per second).
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub have: Decimal,
    /// The peak units per second.
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub need: Decimal,
}

/// Which setting falls short.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Limit {
    /// Fixed provisioned units (RCU, WCU): burst credit covers at most 300 s.
    Provisioned,
    /// An autoscaling maximum (RCU, WCU).
    AutoscalingMax,
    /// An on-demand maximum throughput (RRU/s, WRU/s): MaxOnDemandThroughputExceeded.
    OnDemandMax,
}

#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct TableCosts {
    pub table: String,
    /// The spec's `capacity:` choice, which decides the mode budgets apply to.
    pub capacity_choice: CapacityChoice,
    pub modes: Vec<ModeCost>,
    /// The capacity mode to run, when any mode is fully priced and carries the peak.
    pub recommendation: Option<Recommendation>,
    /// Further advice with its numbers: table class, DAX.
    pub advice: Vec<Advice>,
}

/// Advice beyond the capacity mode, each with the figures behind it.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Advice {
    TableClass(ClassAdvice),
    Dax(DaxAdvice),
    InheritedMinimums(InheritedMinimums),
}

/// A GSI with no autoscaling policy of its own follows the table's, minimums included, so a
/// small index is held at the table's floor: what that floor adds over its own demand.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct InheritedMinimums {
    pub index: String,
    pub min_read: Option<u64>,
    pub min_write: Option<u64>,
    /// Units held above what the index's demand needs at the policy's target.
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub extra_read: Decimal,
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub extra_write: Decimal,
    /// Those units' month in autoscaling mode, in the home Region.
    pub monthly: Decimal,
}

/// The table's class against the other, each in its cheapest recommendable mode.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ClassAdvice {
    pub class: TableClass,
    pub best: ModeMonthly,
    pub other: TableClass,
    /// `None` when the catalog lacks the other class's prices in this Region.
    pub other_best: Option<ModeMonthly>,
    /// `best` less `other_best`: above zero, switching saves that much a month.
    pub saving: Option<Decimal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModeMonthly {
    pub mode: CapacityMode,
    pub monthly: Decimal,
}

/// A DAX cluster's cost against the table reads its cache hits save, and AWS's sizing of it.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct DaxAdvice {
    pub nodes: u32,
    pub node_type: String,
    pub monthly: Decimal,
    /// Read units per second the cache takes off the table.
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub offload: Decimal,
    /// What those reads would cost on-demand, and provisioned at a 70% target.
    pub saves_on_demand: Decimal,
    pub saves_provisioned: Decimal,
    /// The cluster costs less than the reads it saves in at least one mode.
    pub pays_for_itself: bool,
    /// Normalized requests per second AWS's sizing method asks at a 70% target.
    #[serde(serialize_with = "crate::quantity::json_number")]
    pub sizing_target_rps: Decimal,
    /// The smallest node type that carries the load; `None` when none does.
    pub smallest_node_type: Option<String>,
    /// Why no node type fits, when none does.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sizing_warnings: Vec<String>,
}

/// The mode the plan recommends and what it saves over the next best.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Recommendation {
    pub mode: CapacityMode,
    pub monthly: Decimal,
    pub reason: Reason,
    /// The next cheapest mode that could be chosen; `None` when it is the only one.
    pub runner_up: Option<RunnerUp>,
    /// A partial comparison only: the prices, by Region (`us-west-2 pitr_gb_month`), that every
    /// compared mode lacks, so every compared total leaves those lines out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub unpriced: Vec<String>,
    /// A partial comparison only: modes that carry the peak but lack a price the compared
    /// ones have (each mode's bill names it), so they could not be ranked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub not_compared: Vec<CapacityMode>,
}

impl Recommendation {
    /// The monthly cost when it is the whole bill; `None` for a partial comparison, whose
    /// figure leaves unpriced lines out and so must never be summed or judged as a total.
    pub fn complete_monthly(&self) -> Option<Decimal> {
        (self.reason != Reason::PartialComparison).then_some(self.monthly)
    }
}

#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct RunnerUp {
    pub mode: CapacityMode,
    pub monthly: Decimal,
    /// The runner-up's monthly cost less the recommended mode's.
    pub saving: Decimal,
}

/// Why the recommended mode won. Only fully priced modes that carry the peak (and stay within
/// a simulated `max_throttled` budget) compete.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// The cheapest of several that compete.
    Cheapest,
    /// The only one that competes: every other mode is unpriced in part or throttles.
    OnlyFullyPriced,
    /// No mode is fully priced: the cheapest of the modes whose only missing prices are ones
    /// every mode lacks (lines such as storage or backups, which cost the same in every mode),
    /// ranked on the lines that are priced.
    PartialComparison,
}

/// The mode a `capacity:` choice runs; `None` for `compare`, which prices them all.
pub fn chosen_mode(choice: CapacityChoice) -> Option<CapacityMode> {
    match choice {
        CapacityChoice::OnDemand => Some(CapacityMode::OnDemand),
        CapacityChoice::Provisioned => Some(CapacityMode::Provisioned),
        CapacityChoice::Autoscaling => Some(CapacityMode::Autoscaling),
        CapacityChoice::Compare => None,
    }
}
