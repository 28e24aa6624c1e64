//! The plan pipeline: a loaded spec in, the report model out (spec → demand → cost → report).

mod costing;
mod model;

use crate::demand::{workload_demand, TableDemand};
use crate::pricing::Catalog;
use crate::quantity::MonthHours;
use crate::workload::model::Spec;
use crate::workload::Workload;

pub use costing::simulated_model;
pub use model::{
    chosen_mode, Advice, Blocks, CapacityUnit, ClassAdvice, DaxAdvice, Limit, ModeCost,
    ModeMonthly, PlanReport, Reason, Recommendation, Reservation, RunnerUp, Shortfall, TableCosts,
    TargetCapacity, SCHEMA_VERSION,
};

/// When a plan simulates a week of traffic to weigh each mode's throttling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Simulate {
    Never,
    /// Only when the spec sets a `max_throttled` budget, which needs simulated figures.
    #[default]
    IfBudgeted,
    Always,
}

/// How to plan: the decisions a caller makes, separate from the spec and the prices.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct PlanOptions {
    pub simulate: Simulate,
}

impl PlanOptions {
    pub fn simulating(simulate: Simulate) -> PlanOptions {
        PlanOptions { simulate }
    }
}

/// Plans a workload as `options` ask: simulated when they say so, or when they leave it to
/// the spec and it sets a throttling budget.
pub fn plan_with(
    workload: &Workload,
    catalog: &Catalog,
    options: &PlanOptions,
) -> anyhow::Result<PlanReport> {
    let simulate = match options.simulate {
        Simulate::Never => false,
        Simulate::IfBudgeted => asks_for_throttling(&workload.spec),
        Simulate::Always => true,
    };
    Ok(if simulate {
        plan_simulated(workload, catalog)?.0
    } else {
        plan(workload, catalog)
    })
}

/// Whether the spec sets a throttling budget, which the plan can only weigh by simulating.
fn asks_for_throttling(spec: &Spec) -> bool {
    let tables = spec.tables.iter().filter_map(|t| t.value.budget.as_ref());
    spec.budget
        .iter()
        .chain(tables)
        .any(|b| b.value.max_throttled.is_some())
}

/// Plans every table of a loaded, valid workload.
pub fn plan(workload: &Workload, catalog: &Catalog) -> PlanReport {
    assemble(workload, catalog, workload_demand(workload), None)
}

/// Plans with a simulated week of each table's generated traffic (seed 1) weighed in, and
/// returns the simulation too.
pub fn plan_simulated(
    workload: &Workload,
    catalog: &Catalog,
) -> anyhow::Result<(PlanReport, crate::sim::SimReport)> {
    let tables = workload_demand(workload);
    let week = crate::sim::SimOptions {
        seed: 1,
        ..crate::sim::SimOptions::default()
    };
    let simulated = crate::sim::simulate(
        &workload.spec,
        &workload.source,
        &tables,
        catalog,
        None,
        &week,
        &|_| (),
    )?;
    let report = assemble(workload, catalog, tables, Some(&simulated));
    Ok((report, simulated))
}

/// Prices each table's demand into the report; with `simulated` figures, a mode that throttles
/// more than the table's `max_throttled` budget is never recommended.
fn assemble(
    workload: &Workload,
    catalog: &Catalog,
    tables: Vec<TableDemand>,
    simulated: Option<&crate::sim::SimReport>,
) -> PlanReport {
    let spec = &workload.spec;
    let month = MonthHours(spec.settings.month_hours);
    let region = spec.region.value.as_str();
    let mut costs: Vec<TableCosts> = spec
        .tables
        .iter()
        .zip(&tables)
        .map(|(table, demand)| {
            let simulated = simulated
                .and_then(|r| r.tables.iter().find(|t| t.table == demand.name))
                .map(|result| (result, spec.max_throttled(&table.value)));
            costing::table_costs(&table.value, demand, region, catalog, month, simulated)
        })
        .collect();
    if spec.settings.free_tier {
        costing::apply_free_tier(&mut costs, catalog, month);
    }
    let total_monthly = costs
        .iter()
        .map(|c| c.recommendation.as_ref().map(|r| r.monthly))
        .sum();
    PlanReport {
        total_monthly,
        schema_version: SCHEMA_VERSION,
        tool_version: env!("CARGO_PKG_VERSION"),
        spec: workload.source.clone(),
        region: region.to_string(),
        month_hours: month.0,
        tables,
        costs,
        diagnostics: workload.warnings.clone(),
        caveats: caveats(spec, simulated.is_some()),
    }
}

/// Where the report's figures rest on an estimate, or something is left to another command.
fn caveats(spec: &Spec, simulated: bool) -> Vec<String> {
    let tables = || spec.tables.iter().map(|t| &t.value);
    let mut caveats = vec![if simulated {
        "Autoscaling cost is the average capacity it held in the simulated week, as `capacity-plan simulate` prices it.".to_string()
    } else {
        "Autoscaling cost is a first estimate (mean demand ÷ target, within its minimum and maximum); `capacity-plan simulate` replays it second by second.".to_string()
    }];
    if tables().any(|t| t.global.is_some()) {
        caveats.push("Cross-Region replication traffic of global tables is not priced: the catalog has no confirmed figure for it.".into());
    }
    if spec.budget.is_some() || tables().any(|t| t.budget.is_some()) {
        caveats.push(
            "Budgets are judged by `capacity-plan check`, which exits 3 when one is exceeded."
                .into(),
        );
    }
    caveats
}
