//! The plan pipeline: a loaded spec in, the report model out (spec → demand → cost → report).

mod costing;
mod model;

use crate::capacity::CapacityMode;
use crate::demand::{workload_demand, TableDemand};
use crate::diagnostic::{Code, Diagnostic, Position, Severity};
use crate::pricing::Catalog;
use crate::quantity::MonthHours;
use crate::workload::model::{CapacityChoice, Spec};
use crate::workload::Workload;

pub use costing::simulated_model;
pub use model::{
    chosen_mode, Advice, Blocks, CapacityUnit, ClassAdvice, DaxAdvice, InheritedMinimums, Limit,
    ModeCost, ModeMonthly, PlanReport, Reason, Recommendation, RegionReservation, Reservation,
    RunnerUp, Shortfall, TableCosts, TargetCapacity, SCHEMA_VERSION,
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

/// Plans with a simulated week of each table's generated traffic (seed 1), or the whole of
/// its `traffic.metrics`, weighed in, and returns the simulation too.
pub fn plan_simulated(
    workload: &Workload,
    catalog: &Catalog,
) -> anyhow::Result<(PlanReport, crate::sim::SimReport)> {
    let tables = workload_demand(workload);
    let week = crate::sim::SimOptions {
        seed: 1,
        models: simulated_models(&workload.spec),
        ..crate::sim::SimOptions::default()
    };
    let simulated = crate::sim::simulate(
        &workload.spec,
        &workload.source,
        &tables,
        catalog,
        &workload.measured(),
        &week,
        &|_| (),
    )?;
    let report = assemble(workload, catalog, tables, Some(&simulated));
    Ok((report, simulated))
}

/// The simulator's models the spec's modes need: a spec whose every table runs one mode is
/// played in that mode's model only; `compare` needs them all (an empty list).
fn simulated_models(spec: &Spec) -> Vec<crate::sim::Model> {
    let mut models = Vec::new();
    for table in &spec.tables {
        match chosen_mode(table.value.capacity) {
            Some(mode) => models.push(simulated_model(mode)),
            None => return Vec::new(),
        }
    }
    models.sort_by_key(|m| crate::sim::Model::ALL.iter().position(|x| x == m));
    models.dedup();
    models
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
    // Streams reads are free up to a monthly allowance in every Region, free tier or not.
    costing::apply_allowance(&mut costs, |_, lines| {
        crate::cost::streams_allowance_credits(lines, catalog)
    });
    // Reservations are pooled per account and Region: remainders of tables together may buy
    // a block none buys alone.
    costing::apply_allowance(&mut costs, |mode, lines| match mode {
        CapacityMode::Reserved => crate::cost::pooled_reservation_credits(lines, catalog, month),
        _ => Vec::new(),
    });
    if spec.settings.free_tier {
        costing::apply_allowance(&mut costs, |_, lines| {
            crate::cost::free_tier_credits(lines, catalog, month)
        });
    }
    let mut diagnostics = workload.warnings.clone();
    diagnostics.extend(fixed_global_tables(spec, &costs));
    diagnostics.extend(idle_reservations(spec, &costs));
    let mut tables = tables;
    for finding in diagnostics
        .iter_mut()
        .chain(tables.iter_mut().flat_map(|t| t.diagnostics.iter_mut()))
        .filter(|d| d.position.is_none())
    {
        finding.position = locate(spec, &workload.text, &finding.path);
    }
    let total_monthly = costs
        .iter()
        .map(|c| c.recommendation.as_ref().and_then(|r| r.complete_monthly()))
        .sum();
    PlanReport {
        total_monthly,
        schema_version: SCHEMA_VERSION,
        kind: "plan",
        tool_version: env!("CARGO_PKG_VERSION"),
        spec: workload.source.clone(),
        region: region.to_string(),
        month_hours: month.0,
        tables,
        costs,
        diagnostics,
        caveats: caveats(spec, simulated.is_some()),
    }
}

/// Where a finding raised without a place points, so the report shows its line as validation's
/// findings do: the most specific node of its `path` the spec records a place for
/// (`tables[0].indexes[1]`, `tables[0].access[2]`, else `tables[0]`), and under it the line
/// that sets the path's last key when there is one (`traffic:` for `tables[0].traffic`).
fn locate(spec: &Spec, text: &str, path: &str) -> Option<Position> {
    let index = |text: &str, name: &str| -> Option<(usize, usize)> {
        let rest = text.strip_prefix(name)?.strip_prefix('[')?;
        let (n, rest) = rest.split_once(']')?;
        Some((n.parse().ok()?, text.len() - rest.len()))
    };
    let (t, end) = index(path, "tables")?;
    let table = spec.tables.get(t)?;
    let rest = path[end..].strip_prefix('.').unwrap_or_default();
    let nested = match (index(rest, "indexes"), index(rest, "access")) {
        (Some((i, _)), _) => table.value.indexes.get(i).and_then(Position::of),
        (_, Some((a, _))) => table.value.access.get(a).and_then(Position::of),
        _ => None,
    };
    let at = nested.or_else(|| Position::of(table))?;
    let key = rest
        .rsplit('.')
        .next()
        .filter(|k| !k.is_empty() && !k.contains('['));
    Some(key.and_then(|key| key_under(text, at, key)).unwrap_or(at))
}

/// The line setting `key` in the mapping whose first key is at `at`: from `at`'s line to the
/// first line indented less than that key.
fn key_under(text: &str, at: Position, key: &str) -> Option<Position> {
    let indent = at.column.saturating_sub(1) as usize;
    let needle = format!("{key}:");
    text.lines()
        .enumerate()
        .skip(at.line.saturating_sub(1) as usize)
        .take_while(|&(n, line)| {
            n + 1 == at.line as usize
                || line.trim().is_empty()
                || line.trim_start().starts_with('#')
                || line.len() - line.trim_start().len() >= indent
        })
        .find_map(|(n, line)| {
            let column = line.find(&needle)?;
            Some(Position {
                line: n as u64 + 1,
                column: line[..column].chars().count() as u64 + 1,
            })
        })
}

/// A global table whose recommended mode is fixed capacity (provisioned, or reserved, which
/// reserves fixed capacity): AWS asks global tables to run on-demand or provisioned with auto
/// scaling ([GTBP][GTTHR]). A spec that fixes `capacity: provisioned` is warned at validation.
fn fixed_global_tables(spec: &Spec, costs: &[TableCosts]) -> Vec<Diagnostic> {
    spec.tables
        .iter()
        .zip(costs)
        .enumerate()
        .filter(|(_, (table, _))| table.value.global.is_some())
        .filter(|(_, (table, _))| table.value.capacity == CapacityChoice::Compare)
        .filter_map(|(i, (table, cost))| {
            let mode = cost.recommendation.as_ref()?.mode;
            matches!(mode, CapacityMode::Provisioned | CapacityMode::Reserved).then(|| Diagnostic {
                severity: Severity::Warning,
                code: Code::GlobalTableFixedCapacity,
                message: format!(
                    "global table `{}` is cheapest in {} mode, fixed capacity; AWS asks global tables to use on-demand or provisioned capacity with auto scaling, so replicated writes (TTL deletes included) never outrun a replica [GTBP][GTTHR]",
                    table.value.name,
                    mode.name()
                ),
                fix: "plan it with `capacity: autoscaling` or `capacity: on_demand`, or keep fixed capacity sized for every Region's writes".into(),
                path: format!("tables[{i}].global"),
                position: table.value.global.as_ref().and_then(Position::of),
            })
        })
        .collect()
}

/// Owned reserved blocks that the table's capacity cannot use, in its reserved mode: their fee
/// is paid for nothing (§7.2 [RECO]; rWCU are never covered, [GTFAQ]).
fn idle_reservations(spec: &Spec, costs: &[TableCosts]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    for (i, (table, cost)) in spec.tables.iter().zip(costs).enumerate() {
        let Some(reservation) = cost
            .modes
            .iter()
            .find(|m| m.mode == CapacityMode::Reserved)
            .and_then(|m| m.reservation.as_ref())
        else {
            continue;
        };
        for region in &reservation.regions {
            for (idle, what) in [(region.idle_read, "read"), (region.idle_write, "write")] {
                if idle.is_zero() {
                    continue;
                }
                found.push(Diagnostic {
                    severity: Severity::Warning,
                    code: Code::ReservedBlocksIdle,
                    message: format!(
                        "{} of table `{}`'s owned reserved {what} units in {} have no provisioned capacity to cover (replicated writes never can); their fee is paid in every mode",
                        crate::quantity::group_digits(idle),
                        table.value.name,
                        region.region
                    ),
                    fix: "plan the blocks for other tables in this Region, or own fewer".into(),
                    path: format!("tables[{i}].reserved"),
                    position: table.value.reserved.as_ref().and_then(Position::of),
                });
            }
        }
    }
    found
}

/// Where the report's figures rest on an estimate, or something is left to another command.
fn caveats(spec: &Spec, simulated: bool) -> Vec<String> {
    let tables = || spec.tables.iter().map(|t| &t.value);
    let mut caveats = vec![if simulated {
        "Autoscaling cost is the average capacity it held in the simulated week, as `capacity-plan simulate` prices it.".to_string()
    } else {
        "Autoscaling cost is a first estimate (mean demand ÷ target, within its minimum and maximum); `capacity-plan simulate` replays it second by second.".to_string()
    }];
    caveats.push("Database Savings Plans, which can cover on-demand DynamoDB usage (AWS on-demand pricing page [PRICE-OD]), are not modelled: the catalog has no sourced rates for them.".into());
    if tables().any(|t| t.global.is_some()) {
        caveats.push("Cross-Region replication transfer is priced at the catalog's one rate for the spec's Region, whatever the destination (AWS's rates vary by Region pair), and is unpriced where the catalog has none.".into());
    }
    if spec.budget.is_some() || tables().any(|t| t.budget.is_some()) {
        caveats.push(
            "Budgets are judged by `capacity-plan check`, which exits 3 when one is exceeded."
                .into(),
        );
    }
    caveats
}
