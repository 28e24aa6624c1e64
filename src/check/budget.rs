//! Budgets and their verdicts: a pure function of the plan, the limits, an optional baseline
//! and the simulator's throttled shares. A figure that is not known yields `not_evaluated`,
//! never a pass; a cost budget whose price is missing is an error, never a verdict.

use rust_decimal::Decimal;
use serde::Serialize;

use super::diff::{share_of, signed_dollars};
use super::snapshot::{Snapshot, TableSnapshot};
use crate::capacity::partitions::{PARTITION_READ_UNITS, PARTITION_WRITE_UNITS};
use crate::capacity::CapacityMode;
use crate::cost::dollars;
use crate::demand::{TableDemand, Target};
use crate::diagnostic::Position;
use crate::plan::TableCosts;
use crate::plan::{chosen_mode, PlanReport};
use crate::quantity::{group_digits, Increase};
use crate::workload::model::{Budget, Spec};

/// Limits combined from the spec's `budget:` blocks and the command line.
impl Budget {
    /// Each limit set here, else the one in `other`.
    fn or(&self, other: &Budget) -> Budget {
        Budget {
            monthly: self.monthly.or(other.monthly),
            max_increase: self.max_increase.or(other.max_increase),
            max_throttled: self.max_throttled.or(other.max_throttled),
            min_headroom: self.min_headroom.or(other.min_headroom),
            max_hot_key: self.max_hot_key.or(other.max_hot_key),
        }
    }

    /// These limits less those `other` sets.
    fn without(&self, other: &Budget) -> Budget {
        fn keep<T: Copy>(mine: Option<T>, theirs: Option<T>) -> Option<T> {
            mine.filter(|_| theirs.is_none())
        }
        Budget {
            monthly: keep(self.monthly, other.monthly),
            max_increase: keep(self.max_increase, other.max_increase),
            max_throttled: keep(self.max_throttled, other.max_throttled),
            min_headroom: keep(self.min_headroom, other.min_headroom),
            max_hot_key: keep(self.max_hot_key, other.max_hot_key),
        }
    }

    /// A per-table limit (throttling, headroom, hot key) as a number; `None` for cost limits.
    fn table_limit(&self, budget: BudgetKind) -> Option<Decimal> {
        match budget {
            BudgetKind::MaxThrottled => self.max_throttled.map(|p| p.0),
            BudgetKind::MinHeadroom => self.min_headroom,
            BudgetKind::MaxHotKey => self.max_hot_key.map(|p| p.0),
            BudgetKind::Monthly | BudgetKind::MaxIncrease => None,
        }
    }
}

/// A table's own limits and where to point at it in the spec.
#[derive(Debug, Clone)]
pub struct TableBudget {
    pub name: String,
    pub limits: Budget,
    /// The table's `budget:` block.
    pub budget_at: Option<Position>,
    /// The table itself, for limits it inherits.
    pub table_at: Option<Position>,
}

/// Every limit a check evaluates.
#[derive(Debug, Clone)]
pub struct Budgets {
    /// The workload's: cost limits on the total, the others for each table without its own.
    pub workload: Budget,
    pub workload_at: Option<Position>,
    pub tables: Vec<TableBudget>,
}

impl Budgets {
    /// Whether any limit needs simulated throttling figures.
    pub fn need_throttling(&self) -> bool {
        self.workload.max_throttled.is_some()
            || self.tables.iter().any(|t| t.limits.max_throttled.is_some())
    }

    /// The spec's budgets, with each limit `flags` sets replacing the spec's of that name at
    /// every level: cost flags then judge the workload total, the others every table.
    pub fn new(spec: &Spec, flags: &Budget) -> Budgets {
        let workload = spec.budget.as_ref();
        Budgets {
            workload: flags.or(&workload.map(|b| b.value.clone()).unwrap_or_default()),
            workload_at: workload.and_then(Position::of),
            tables: spec
                .tables
                .iter()
                .map(|t| TableBudget {
                    name: t.value.name.clone(),
                    limits: t
                        .value
                        .budget
                        .as_ref()
                        .map(|b| b.value.without(flags))
                        .unwrap_or_default(),
                    budget_at: t.value.budget.as_ref().and_then(Position::of),
                    table_at: Position::of(t),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetKind {
    Monthly,
    MaxIncrease,
    MaxThrottled,
    MinHeadroom,
    MaxHotKey,
}

impl BudgetKind {
    /// The name used in specs and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            BudgetKind::Monthly => "monthly",
            BudgetKind::MaxIncrease => "max_increase",
            BudgetKind::MaxThrottled => "max_throttled",
            BudgetKind::MinHeadroom => "min_headroom",
            BudgetKind::MaxHotKey => "max_hot_key",
        }
    }
}

/// What a limit and its value measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// US dollars a month.
    Usd,
    /// A fraction, shown as a percentage.
    Share,
    /// Provisioned ÷ peak demand.
    Ratio,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    NotEvaluated,
}

/// One budget judged. JSON writes its limit and value as money (a decimal string) or as a
/// quantity (a number), by its unit.
#[derive(Debug, Clone)]
pub struct Verdict {
    pub budget: BudgetKind,
    /// The table judged; `None` for the workload as a whole.
    pub table: Option<String>,
    pub unit: Measure,
    pub limit: Decimal,
    /// `None` when the figure is not known (e.g. no simulation, no baseline); else rounded as
    /// its unit is in reports ([`Measure::round`]).
    pub value: Option<Decimal>,
    pub status: Status,
    pub message: String,
    /// The spec line of the budget, or of the table when its limit is inherited or a flag.
    pub position: Option<Position>,
}

impl Serialize for Verdict {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut verdict = serializer.serialize_struct("Verdict", 8)?;
        verdict.serialize_field("budget", &self.budget)?;
        verdict.serialize_field("table", &self.table)?;
        verdict.serialize_field("unit", &self.unit)?;
        verdict.serialize_field("limit", &Figure(self.unit, self.limit))?;
        verdict.serialize_field("value", &self.value.map(|v| Figure(self.unit, v)))?;
        verdict.serialize_field("status", &self.status)?;
        verdict.serialize_field("message", &self.message)?;
        match &self.position {
            Some(position) => verdict.serialize_field("position", position)?,
            None => verdict.skip_field("position")?,
        }
        verdict.end()
    }
}

/// A limit or value in its unit, as JSON writes it: dollars as money, anything else as a
/// quantity.
struct Figure(Measure, Decimal);

impl Serialize for Figure {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Measure::Usd => Serialize::serialize(&self.1, serializer),
            Measure::Share | Measure::Ratio => crate::quantity::json_number(&self.1, serializer),
        }
    }
}

/// A cost budget needs a price the price data lacks: no verdict is possible.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UnpricedBudget(pub String);

impl Measure {
    /// `value` as precise as reports give the measure: dollars to money's scale, a share or
    /// a ratio to a millionth, as every share in a report.
    fn round(self, value: Decimal) -> Decimal {
        match self {
            Measure::Usd => crate::cost::money(value),
            Measure::Share | Measure::Ratio => value
                .round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
                .normalize(),
        }
    }
}

/// A limit in the unit people read it in.
pub fn show(unit: Measure, amount: Decimal) -> String {
    match unit {
        Measure::Usd => dollars(amount),
        Measure::Share => format!(
            "{}%",
            group_digits((amount * Decimal::ONE_HUNDRED).round_dp(2))
        ),
        Measure::Ratio => format!("{}×", group_digits(amount.round_dp(2))),
    }
}

/// The budgeted monthly cost of one table, or why it is not known.
fn cost(table: &TableSnapshot, whose: &str, budget: BudgetKind) -> Result<Decimal, UnpricedBudget> {
    let mode = table.budgeted().filter(|m| m.bill.complete);
    mode.map(|m| m.bill.total).ok_or_else(|| {
        let missing = table.budgeted().map_or_else(
            || "the table's capacity mode".into(),
            |m| format!("{} in {} mode", m.bill.unpriced.join(", "), m.mode),
        );
        UnpricedBudget(format!(
            "the {} budget needs the monthly cost of {whose}table {}, but the price data has no price for {missing} (add it with --prices FILE)",
            budget.name(),
            table.name,
        ))
    })
}

fn sum_costs(
    snapshot: &Snapshot,
    whose: &str,
    budget: BudgetKind,
) -> Result<Decimal, UnpricedBudget> {
    snapshot.tables.iter().map(|t| cost(t, whose, budget)).sum()
}

/// Whose cost budgets are judged (the workload or one table), named and located for people.
struct Scope<'a> {
    table: Option<&'a str>,
    label: String,
    position: Option<Position>,
}

/// Judges every budget in `budgets` against `report`, in a stable order: the workload's cost
/// budgets, then per table its cost budgets and its throttling, headroom and hot-key budgets.
pub fn evaluate(
    report: &PlanReport,
    budgets: &Budgets,
    baseline: Option<&Snapshot>,
) -> Result<Vec<Verdict>, UnpricedBudget> {
    let now = Snapshot::of(report);
    let mut verdicts = Vec::new();
    let workload = Scope {
        table: None,
        label: "workload total".into(),
        position: budgets.workload_at,
    };
    cost_verdicts(&mut verdicts, &budgets.workload, &workload, &now, baseline)?;
    for (i, table) in budgets.tables.iter().enumerate() {
        let scope = Scope {
            table: Some(&table.name),
            label: table.name.clone(),
            position: table.budget_at.or(table.table_at),
        };
        cost_verdicts(&mut verdicts, &table.limits, &scope, &now, baseline)?;
        let own = &table.limits;
        let limits = own.or(&budgets.workload);
        for budget in [
            BudgetKind::MaxThrottled,
            BudgetKind::MinHeadroom,
            BudgetKind::MaxHotKey,
        ] {
            let Some(limit) = limits.table_limit(budget) else {
                continue;
            };
            let (unit, judged) = match budget {
                BudgetKind::MaxThrottled => (
                    Measure::Share,
                    match now.tables[i].throttled() {
                        Some(share) => Judged::Measured(share, String::new()),
                        None => Judged::Unknown("not evaluated (run with simulation)".into()),
                    },
                ),
                BudgetKind::MinHeadroom => (
                    Measure::Ratio,
                    headroom(&report.tables[i], &report.costs[i], &report.region),
                ),
                _ => (Measure::Share, hot_key(&report.tables[i])),
            };
            let (value, status, message) = judged.verdict(budget, unit, limit);
            verdicts.push(Verdict {
                budget,
                table: Some(table.name.clone()),
                unit,
                limit: limit.normalize(),
                value,
                status,
                message: format!("{}: {message}", table.name),
                // An inherited or flag-set limit points at the table, its own at its budget.
                position: match own.table_limit(budget) {
                    Some(_) => table.budget_at.or(table.table_at),
                    None => table.table_at,
                },
            });
        }
    }
    Ok(verdicts)
}

/// A measured figure with what it measured, or why there is none.
enum Judged {
    Measured(Decimal, String),
    /// A share of nothing: a cost where the baseline had none.
    Unbounded(String),
    Unknown(String),
}

impl Judged {
    /// Compares the figure with `limit`: headroom is a minimum, every other budget a maximum.
    fn verdict(
        self,
        budget: BudgetKind,
        unit: Measure,
        limit: Decimal,
    ) -> (Option<Decimal>, Status, String) {
        let name = budget.name();
        let (value, what) = match self {
            Judged::Unknown(why) => return (None, Status::NotEvaluated, format!("{name} {why}")),
            Judged::Unbounded(what) => {
                let message = format!("{name} ({what}) is over {}", show(unit, limit));
                return (None, Status::Fail, message);
            }
            // Judged as reported, so that the value a reader sees agrees with the status.
            Judged::Measured(value, what) => (unit.round(value), what),
        };
        let holds = match budget {
            BudgetKind::MinHeadroom => value >= limit,
            _ => value <= limit,
        };
        let relation = match (holds, budget) {
            (true, BudgetKind::MinHeadroom) => "at least",
            (false, BudgetKind::MinHeadroom) => "below the minimum",
            (true, _) => "within",
            (false, _) => "over",
        };
        let what = if what.is_empty() {
            what
        } else {
            format!(" ({what})")
        };
        let message = format!(
            "{name} {}{what} is {relation} {}",
            show(unit, value),
            show(unit, limit)
        );
        (
            Some(value),
            if holds { Status::Pass } else { Status::Fail },
            message,
        )
    }
}

fn cost_verdicts(
    verdicts: &mut Vec<Verdict>,
    limits: &Budget,
    scope: &Scope,
    now: &Snapshot,
    baseline: Option<&Snapshot>,
) -> Result<(), UnpricedBudget> {
    let current = |snapshot: &Snapshot, whose: &str, budget| match scope.table {
        None => sum_costs(snapshot, whose, budget),
        Some(name) => snapshot
            .table(name)
            .map_or(Ok(Decimal::ZERO), |t| cost(t, whose, budget)),
    };
    let mut push = |budget, unit, limit, judged: Judged| {
        let (value, status, message) = judged.verdict(budget, unit, limit);
        verdicts.push(Verdict {
            budget,
            table: scope.table.map(str::to_string),
            unit,
            limit: limit.normalize(),
            value,
            status,
            message: format!("{}: {message}", scope.label),
            position: scope.position,
        });
    };
    if let Some(limit) = limits.monthly {
        let value = current(now, "", BudgetKind::Monthly)?;
        push(
            BudgetKind::Monthly,
            Measure::Usd,
            limit,
            Judged::Measured(value, String::new()),
        );
    }
    let Some(increase) = limits.max_increase else {
        return Ok(());
    };
    let budget = BudgetKind::MaxIncrease;
    let (unit, limit) = match increase {
        Increase::Dollars(d) => (Measure::Usd, d),
        Increase::Share(s) => (Measure::Share, s),
    };
    let judged = match baseline {
        None => Judged::Unknown(
            "not evaluated (no baseline: give --baseline SPEC or --baseline-json REPORT)".into(),
        ),
        Some(baseline) => {
            let after = current(now, "", budget)?;
            let before = current(baseline, "the baseline's ", budget)?;
            let change = after - before;
            let what = format!("{} → {}", dollars(before), dollars(after));
            match unit {
                Measure::Usd => Judged::Measured(change, what),
                _ if before.is_zero() && change <= Decimal::ZERO => {
                    Judged::Measured(Decimal::ZERO, what)
                }
                _ => match share_of(change, before) {
                    Some(share) => {
                        Judged::Measured(share, format!("{what}, {}", signed_dollars(change)))
                    }
                    // From zero, or from a fraction of a cent: beyond any share.
                    None => Judged::Unbounded(what),
                },
            }
        }
    };
    push(budget, unit, limit, judged);
    Ok(())
}

/// Provisioned ÷ peak demand, the lowest over reads and writes of the table and each GSI,
/// in the provisioned mode (the spec's units, or peak ÷ target utilization).
fn headroom(demand: &TableDemand, costs: &TableCosts, region: &str) -> Judged {
    if let Some(mode @ (CapacityMode::OnDemand | CapacityMode::Autoscaling)) =
        chosen_mode(costs.capacity_choice)
    {
        return Judged::Unknown(format!(
            "not evaluated: the table runs {mode}, which has no fixed provisioned capacity"
        ));
    }
    let mut worst: Option<(Decimal, String)> = None;
    let provisioned = costs
        .modes
        .iter()
        .filter(|m| m.mode == CapacityMode::Provisioned);
    for units in provisioned.flat_map(|m| m.capacity_in(region)) {
        let (target, name) = match &units.index {
            None => (Target::Table, "table".to_string()),
            Some(index) => (Target::Gsi(index.clone()), format!("GSI {index}")),
        };
        let Some(peak) = demand.target(&target) else {
            continue;
        };
        for (units, peak, what) in [
            (units.read, peak.reads.peak, "reads"),
            (units.write, peak.writes.peak, "writes"),
        ] {
            if peak.is_zero() || worst.as_ref().is_some_and(|(w, _)| *w <= units / peak) {
                continue;
            }
            let shown = format!("{} units/s", group_digits(peak.round_dp(2)));
            let why = format!(
                "{name} {what}: {} units ÷ {shown} at peak",
                group_digits(units)
            );
            worst = Some((units / peak, why));
        }
    }
    match worst {
        Some((ratio, why)) => Judged::Measured(ratio, why),
        None => Judged::Unknown("not evaluated: no peak demand to measure against".into()),
    }
}

/// The hottest key's peak units as a share of the per-key limit, reads or writes, whichever
/// is higher.
fn hot_key(demand: &TableDemand) -> Judged {
    let Some(hot) = &demand.hot_key else {
        return Judged::Unknown(
            "not evaluated: the spec gives no key_skew to find the hottest key".into(),
        );
    };
    let reads = hot.read_units / Decimal::from(PARTITION_READ_UNITS);
    let writes = hot.write_units / Decimal::from(PARTITION_WRITE_UNITS);
    let (share, what) = if reads >= writes {
        (
            reads,
            format!(
                "{} of {} read units/s",
                group_digits(hot.read_units),
                group_digits(PARTITION_READ_UNITS.into())
            ),
        )
    } else {
        (
            writes,
            format!(
                "{} of {} write units/s",
                group_digits(hot.write_units),
                group_digits(PARTITION_WRITE_UNITS.into())
            ),
        )
    };
    Judged::Measured(share, what)
}
