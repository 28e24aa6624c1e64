//! The plan's result model: what every output format renders and `check` judges. Numbers and
//! enums only; the renderers write the sentences.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::capacity::CapacityMode;
use crate::cost::Bill;
use crate::demand::TableDemand;
use crate::diagnostic::Diagnostic;
use crate::workload::model::CapacityChoice;

/// Bumped when a field changes meaning or disappears; adding fields keeps the version.
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct PlanReport {
    pub schema_version: u32,
    pub tool_version: &'static str,
    /// The spec's name as given (`specs/orders.yaml`, `<stdin>`).
    pub spec: String,
    pub region: String,
    pub month_hours: u32,
    pub tables: Vec<TableDemand>,
    /// Each table priced under every capacity mode.
    pub costs: Vec<TableCosts>,
    /// The workload's monthly cost with each table in its recommended mode; `None` when a
    /// table has no recommendation (a price is missing or every mode throttles), never a
    /// partial sum.
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
    /// The capacity this mode was priced with, for people.
    pub capacity: String,
    pub bill: Bill,
    /// Provisioned units of the table and each GSI in the home region (empty for
    /// on-demand), for headroom against peak demand.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provisioned: Vec<ProvisionedUnits>,
    /// Why this mode's capacity cannot carry the peak demand, when it cannot: such a mode is
    /// priced but never recommended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub throttles: Option<String>,
    /// Share of request units the simulator throttled in this mode, when it was run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub simulated_throttled: Option<Decimal>,
}

/// Read and write capacity units set on the table (`index: None`) or one GSI.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct ProvisionedUnits {
    pub index: Option<String>,
    pub read: Decimal,
    pub write: Decimal,
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
    /// Further advice with its reason and saving: table class, DAX.
    pub advice: Vec<String>,
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
