//! The CI gate: budgets judged against a plan (`check`) and two plans compared (`diff`), in one
//! versioned report (docs/check.md) that every output format renders; and a plan set beside the
//! bill (`reconcile`, docs/reconcile.md).

mod budget;
mod diff;
mod reconcile;
mod snapshot;

use rust_decimal::Decimal;
use serde::Serialize;

pub use budget::{
    evaluate, show, BudgetKind, Budgets, Measure, Status, TableBudget, UnpricedBudget, Verdict,
};
pub use diff::{
    diff, signed_dollars, signed_share, Change, Diff, LineChange, TableChange, WarningChange,
};
pub use reconcile::{reconcile, running_mode, LineReconciliation, Side, TableReconciliation};
pub use snapshot::{
    BillSnapshot, LineSnapshot, ModeSnapshot, Snapshot, SnapshotError, TableSnapshot, Warning,
};

use crate::capacity::CapacityMode;
use crate::plan::PlanReport;
use crate::pricing::Term;
use crate::workload::model::CapacityChoice;

/// Bumped when a field of the check report changes meaning or disappears; adding fields keeps
/// it. Independent of the plan report's version. 2 writes quantities as JSON numbers, where 1
/// wrote decimal strings.
pub const CHECK_SCHEMA_VERSION: u32 = 2;

/// Which command wrote the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Comparison {
    Check,
    Diff,
}

/// Whether a table is in both plans compared, only the new one, or only the baseline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Both,
    Added,
    Removed,
}

/// The mode a table's cost budgets apply to, and that cost.
#[derive(Debug, Clone, Serialize)]
pub struct TableCost {
    pub table: String,
    /// The spec's `capacity:` choice (the baseline's, for a table the new plan removed).
    pub capacity: CapacityChoice,
    /// The budgeted mode: the choice itself, or for `compare` the cheapest fully priced mode;
    /// `None` for a removed table.
    pub mode: Option<CapacityMode>,
    /// The baseline's budgeted mode; `None` without a baseline or for an added table.
    pub mode_before: Option<CapacityMode>,
    /// Against a baseline, which plans hold the table; `None` without one.
    pub presence: Option<Presence>,
    /// A side without the table counts as $0, as in the diff's total.
    pub monthly: Change,
    pub complete: bool,
    /// A `compare` table budgeted at the reserved mode: the term of blocks its cost assumes
    /// buying, a commitment the spec never made.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commitment: Option<Term>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub schema_version: u32,
    pub kind: Comparison,
    pub tool_version: &'static str,
    /// The spec (or report) judged, as named on the command line.
    pub spec: String,
    pub baseline: Option<String>,
    /// One line: the verdicts' tally for `check`, the diff's summary for `diff`.
    pub headline: String,
    /// Whether throttling was simulated (a week of traffic, on either side): only when a
    /// throttle budget or `--simulate` asks for it, or a saved report holds simulated figures.
    pub simulated: bool,
    /// The budgeted mode and monthly cost of each table (against the baseline when given).
    pub costs: Vec<TableCost>,
    pub total: Change,
    pub verdicts: Vec<Verdict>,
    pub diff: Option<Diff>,
}

impl CheckReport {
    /// A budget failed: the run should exit 3 unless told not to.
    pub fn exceeded(&self) -> bool {
        self.verdicts.iter().any(|v| v.status == Status::Fail)
    }

    /// `check`: every budget judged against `report`, compared with `baseline` when given.
    pub fn check(
        report: &PlanReport,
        budgets: &Budgets,
        baseline: Option<&Snapshot>,
    ) -> Result<CheckReport, UnpricedBudget> {
        let verdicts = evaluate(report, budgets, baseline)?;
        let now = Snapshot::of(report);
        let count = |status| verdicts.iter().filter(|v| v.status == status).count();
        let (fail, open) = (count(Status::Fail), count(Status::NotEvaluated));
        let mut headline = match (verdicts.len(), fail) {
            (0, _) => "no budgets set (add `budget:` to the spec or pass --max-monthly, --max-increase, …)".to_string(),
            (n, 0) => {
                let held = n - open;
                let verb = if held == 1 { "holds" } else { "hold" };
                format!("{held} of {} {verb}", budget_count(n))
            }
            (n, fail) => format!("{fail} of {} exceeded", budget_count(n)),
        };
        if open > 0 {
            headline.push_str(&format!(", {open} not evaluated"));
        }
        Ok(Self::new(
            Comparison::Check,
            &now,
            baseline,
            headline,
            verdicts,
        ))
    }

    /// `diff`: `after` compared with `before`, no budgets.
    pub fn diff(before: &Snapshot, after: &Snapshot) -> CheckReport {
        Self::new(
            Comparison::Diff,
            after,
            Some(before),
            String::new(),
            Vec::new(),
        )
    }

    fn new(
        kind: Comparison,
        now: &Snapshot,
        baseline: Option<&Snapshot>,
        headline: String,
        verdicts: Vec<Verdict>,
    ) -> CheckReport {
        let diff = baseline.map(|b| diff(b, now));
        let cost = |t: &TableSnapshot| t.budgeted().map_or(Decimal::ZERO, |m| m.bill.total);
        // The plan's tables in its order, then those the baseline had and the plan removed.
        let removed = baseline
            .into_iter()
            .flat_map(|b| &b.tables)
            .filter(|t| now.table(&t.name).is_none());
        let costs: Vec<TableCost> = now
            .tables
            .iter()
            .map(|t| {
                let old = baseline.map(|b| b.table(&t.name));
                let mode = t.budgeted();
                TableCost {
                    table: t.name.clone(),
                    capacity: t.choice,
                    mode: mode.map(|m| m.mode),
                    mode_before: old
                        .flatten()
                        .and_then(TableSnapshot::budgeted)
                        .map(|m| m.mode),
                    presence: old.map(|o| match o {
                        Some(_) => Presence::Both,
                        None => Presence::Added,
                    }),
                    monthly: Change::new(old.map(|o| o.map_or(Decimal::ZERO, cost)), Some(cost(t))),
                    complete: mode.is_some_and(|m| m.bill.complete),
                    commitment: mode
                        .filter(|_| t.choice == CapacityChoice::Compare)
                        .and_then(|m| m.term),
                }
            })
            .chain(removed.map(|t| {
                let mode = t.budgeted();
                TableCost {
                    table: t.name.clone(),
                    capacity: t.choice,
                    mode: None,
                    mode_before: mode.map(|m| m.mode),
                    presence: Some(Presence::Removed),
                    monthly: Change::new(Some(cost(t)), Some(Decimal::ZERO)),
                    complete: mode.is_some_and(|m| m.bill.complete),
                    commitment: None,
                }
            }))
            .collect();
        let total = match &diff {
            Some(diff) => diff.total,
            None => Change::new(
                None,
                Some(costs.iter().filter_map(|c| c.monthly.after).sum()),
            ),
        };
        let headline = match (&diff, kind) {
            (Some(diff), Comparison::Diff) => diff.summary.clone(),
            _ => headline,
        };
        CheckReport {
            schema_version: CHECK_SCHEMA_VERSION,
            kind,
            tool_version: env!("CARGO_PKG_VERSION"),
            spec: now.spec.clone(),
            baseline: baseline.map(|b| b.spec.clone()),
            headline,
            simulated: now.simulated() || baseline.is_some_and(Snapshot::simulated),
            costs,
            total,
            verdicts,
            diff,
        }
    }
}

/// `1 budget`, `4 budgets`.
fn budget_count(n: usize) -> String {
    crate::quantity::count(n as u64, "budget", "budgets")
}
