//! What `check` and `diff` compare: a plan made now, or a plan report saved earlier as JSON
//! (schema 1, 2 or 3), reduced to the same figures.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::capacity::CapacityMode;
use crate::diagnostic::{Diagnostic, Position, Severity};
use crate::plan::{chosen_mode, PlanReport, SCHEMA_VERSION};
use crate::pricing::Term;
use crate::workload::model::CapacityChoice;

/// A report that cannot serve as a baseline; the message says how to get one that can.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {reason}")]
pub struct SnapshotError {
    pub source_name: String,
    pub reason: String,
}

/// One plan, reduced to the figures budgets and diffs use.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    /// The spec the plan came from, as named when it was planned.
    pub spec: String,
    pub tables: Vec<TableSnapshot>,
    /// Spec-level warnings.
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableSnapshot {
    pub name: String,
    pub choice: CapacityChoice,
    pub modes: Vec<ModeSnapshot>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ModeSnapshot {
    pub mode: CapacityMode,
    pub bill: BillSnapshot,
    /// Whether the mode cannot carry the peak or went over the simulated throttling budget.
    pub throttles: bool,
    /// Share of requests failed throttled after their retries in a simulated week, when one ran.
    pub simulated_throttled: Option<Decimal>,
    /// The reserved mode's term: its cost assumes buying blocks for that long.
    pub term: Option<Term>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct BillSnapshot {
    pub total: Decimal,
    pub complete: bool,
    #[serde(default)]
    pub unpriced: Vec<String>,
    pub lines: Vec<LineSnapshot>,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct LineSnapshot {
    pub name: String,
    pub region: String,
    /// `None` when the price data has no price for the line.
    pub amount: Option<Decimal>,
}

/// A diagnostic as the report carries it; a diff tells a changed one from a new one by its
/// severity, code and path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub severity: String,
    pub code: String,
    pub path: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
}

/// The plan report's JSON fields a snapshot reads; others are ignored.
#[derive(Deserialize)]
struct RawReport {
    spec: String,
    tables: Vec<RawTable>,
    costs: Vec<RawCosts>,
    #[serde(default)]
    diagnostics: Vec<Warning>,
}

#[derive(Deserialize)]
struct RawTable {
    name: String,
    #[serde(default)]
    diagnostics: Vec<Warning>,
}

#[derive(Deserialize)]
struct RawCosts {
    table: String,
    #[serde(default)]
    capacity_choice: CapacityChoice,
    modes: Vec<RawMode>,
}

/// A mode as either schema writes it: schema 1 gives why it throttles as `throttles`, schema
/// 2 as `shortfalls` and `over_throttle_budget`.
#[derive(Deserialize)]
struct RawMode {
    mode: CapacityMode,
    bill: BillSnapshot,
    #[serde(default)]
    throttles: Option<String>,
    #[serde(default)]
    shortfalls: Vec<serde::de::IgnoredAny>,
    #[serde(default)]
    over_throttle_budget: Option<Decimal>,
    #[serde(default)]
    simulated_throttled: Option<Decimal>,
    #[serde(default)]
    reservation: Option<RawReservation>,
}

/// The reserved mode's blocks, of which a snapshot keeps the term (`1y`, `3y`).
#[derive(Deserialize)]
struct RawReservation {
    term: String,
}

/// The largest amount a baseline may hold, in USD a month: 10²¹, the bound the spec and price
/// limits keep every plan's amounts under (`quantity::MAX_PRICE`), so that differences and
/// shares against it stay within `Decimal`.
const MAX_BASELINE_AMOUNT: Decimal = rust_decimal::dec!(1_000_000_000_000_000_000_000);

impl RawReport {
    /// What a report capacity-plan wrote always holds: costs for each table once, amounts
    /// from zero to [`MAX_BASELINE_AMOUNT`], and each bill's total the sum of its priced lines
    /// (to the cent), complete exactly when every line is priced. The error names the place.
    fn check(&self) -> Result<(), String> {
        if self.costs.is_empty() {
            return Err("the report has no costs (`costs` is empty), so there is nothing to compare against".into());
        }
        let mut seen = std::collections::BTreeSet::new();
        for (c, costs) in self.costs.iter().enumerate() {
            if !seen.insert(costs.table.as_str()) {
                return Err(format!("costs[{c}]: table `{}` appears twice", costs.table));
            }
            for (m, mode) in costs.modes.iter().enumerate() {
                let at = format!(
                    "costs[{c}].modes[{m}].bill (table `{}`, {})",
                    costs.table,
                    mode.mode.name()
                );
                let bill = &mode.bill;
                if bill.total.is_sign_negative() && !bill.total.is_zero() {
                    return Err(format!("{at}: the total {} is negative", bill.total));
                }
                // Lines may be credits (the free tier), so only their size is bounded.
                let mut sum = Decimal::ZERO;
                for amount in bill
                    .lines
                    .iter()
                    .filter_map(|l| l.amount)
                    .chain([bill.total])
                {
                    if amount.abs() > MAX_BASELINE_AMOUNT {
                        return Err(format!(
                            "{at}: the amount {amount} is over 10²¹ USD a month"
                        ));
                    }
                }
                for amount in bill.lines.iter().filter_map(|l| l.amount) {
                    sum = sum.checked_add(amount).ok_or_else(|| {
                        format!("{at}: its lines add up to more than any bill holds")
                    })?;
                }
                if crate::cost::cents(sum) != crate::cost::cents(bill.total) {
                    return Err(format!(
                        "{at}: the total {} is not the sum of its lines ({})",
                        bill.total.normalize(),
                        sum.normalize()
                    ));
                }
                if bill.complete != bill.lines.iter().all(|l| l.amount.is_some()) {
                    return Err(format!(
                        "{at}: `complete` is {} but {} line is unpriced",
                        bill.complete,
                        if bill.complete { "a" } else { "no" }
                    ));
                }
            }
        }
        Ok(())
    }
}

impl From<RawMode> for ModeSnapshot {
    fn from(raw: RawMode) -> Self {
        ModeSnapshot {
            mode: raw.mode,
            bill: raw.bill,
            throttles: raw.throttles.is_some()
                || !raw.shortfalls.is_empty()
                || raw.over_throttle_budget.is_some(),
            simulated_throttled: raw.simulated_throttled,
            term: raw.reservation.and_then(|r| match r.term.as_str() {
                "1y" => Some(Term::OneYear),
                "3y" => Some(Term::ThreeYears),
                _ => None,
            }),
        }
    }
}

impl From<&Diagnostic> for Warning {
    fn from(d: &Diagnostic) -> Self {
        Warning {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            }
            .to_string(),
            code: d.code.as_str().to_string(),
            path: d.path.clone(),
            message: d.message.clone(),
            position: d.position,
        }
    }
}

impl Snapshot {
    /// A plan made now.
    pub fn of(report: &PlanReport) -> Snapshot {
        let warnings = |ds: &[Diagnostic]| ds.iter().map(Warning::from).collect();
        Snapshot {
            spec: report.spec.clone(),
            tables: report
                .tables
                .iter()
                .zip(&report.costs)
                .map(|(table, costs)| TableSnapshot {
                    name: costs.table.clone(),
                    choice: costs.capacity_choice,
                    modes: costs
                        .modes
                        .iter()
                        .map(|m| ModeSnapshot {
                            mode: m.mode,
                            bill: BillSnapshot {
                                total: m.bill.total(),
                                complete: m.bill.complete(),
                                unpriced: m.bill.unpriced(),
                                lines: m
                                    .bill
                                    .lines
                                    .iter()
                                    .map(|l| LineSnapshot {
                                        name: l.name.clone(),
                                        region: l.region.clone(),
                                        amount: l.amount,
                                    })
                                    .collect(),
                            },
                            throttles: m.throttles(),
                            simulated_throttled: m.simulated_throttled,
                            term: m.reservation.as_ref().map(|r| r.term),
                        })
                        .collect(),
                    warnings: warnings(&table.diagnostics),
                })
                .collect(),
            warnings: warnings(&report.diagnostics),
        }
    }

    /// A report saved with `capacity-plan SPEC --format json`, named `source_name` in errors.
    pub fn from_json(text: &str, source_name: &str) -> Result<Snapshot, SnapshotError> {
        let error = |reason: String| SnapshotError {
            source_name: source_name.to_string(),
            reason,
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| error(format!("not JSON: {e}")))?;
        // A plan report names its kind since the field was added within schema 2; earlier
        // ones have none.
        if let Some(kind) = value
            .get("kind")
            .and_then(|k| k.as_str())
            .filter(|k| *k != "plan")
        {
            return Err(error(format!(
                "this is a `capacity-plan {kind}` report; a baseline is a plan report, written by `capacity-plan SPEC --format json`"
            )));
        }
        match value.get("schema_version").and_then(|v| v.as_u64()) {
            None => Err(error(
                "not a capacity-plan plan report (no `schema_version`); write one with `capacity-plan SPEC --format json`".into(),
            )),
            // Schema 2 kept every field a snapshot reads from schema 1, so both read alike;
            // schema 3 writes quantities as numbers, and a decimal reads from a string or a
            // number alike (money stays a string in every schema).
            Some(version) if !(1..=u64::from(SCHEMA_VERSION)).contains(&version) => Err(error(format!(
                "the report has schema version {version}, and this capacity-plan reads versions 1 to {SCHEMA_VERSION}; regenerate it from its spec with this version (`capacity-plan SPEC --format json`), or pass the spec itself with --baseline"
            ))),
            Some(_) => {
                let raw: RawReport = serde_json::from_value(value).map_err(|e| {
                    error(format!("does not match report schema version {SCHEMA_VERSION}: {e}"))
                })?;
                raw.check().map_err(|reason| {
                    error(format!("{reason}; a baseline must be a report as capacity-plan wrote it: regenerate it with `capacity-plan SPEC --format json`, or pass the spec with --baseline"))
                })?;
                Ok(Self::from_raw(raw))
            }
        }
    }

    fn from_raw(raw: RawReport) -> Snapshot {
        let mut warnings: BTreeMap<String, Vec<Warning>> = raw
            .tables
            .into_iter()
            .map(|t| (t.name, t.diagnostics))
            .collect();
        Snapshot {
            spec: raw.spec,
            tables: raw
                .costs
                .into_iter()
                .map(|c| TableSnapshot {
                    warnings: warnings.remove(&c.table).unwrap_or_default(),
                    name: c.table,
                    choice: c.capacity_choice,
                    modes: c.modes.into_iter().map(ModeSnapshot::from).collect(),
                })
                .collect(),
            warnings: raw.diagnostics,
        }
    }

    /// Whether any mode holds simulated throttling figures.
    pub fn simulated(&self) -> bool {
        self.tables
            .iter()
            .flat_map(|t| &t.modes)
            .any(|m| m.simulated_throttled.is_some())
    }

    pub fn table(&self, name: &str) -> Option<&TableSnapshot> {
        self.tables.iter().find(|t| t.name == name)
    }
}

impl TableSnapshot {
    /// Share of requests the budgeted mode throttled in a simulated week, when one ran.
    pub fn throttled(&self) -> Option<Decimal> {
        self.budgeted()?.simulated_throttled
    }

    /// The mode budgets apply to: the spec's `capacity:` choice, or for `compare` the mode
    /// the plan recommends, the cheapest fully priced one that carries the peak. When none is
    /// complete (`check` then refuses it as unpriced), the one missing the fewest prices, as
    /// the plan's partial comparison ranks them, so the refusal names the mode and the prices
    /// the plan would have recommended.
    pub fn budgeted(&self) -> Option<&ModeSnapshot> {
        match chosen_mode(self.choice) {
            Some(chosen) => self.modes.iter().find(|m| m.mode == chosen),
            None => self.modes.iter().min_by_key(|m| {
                let missing = m.bill.unpriced.len();
                (!m.bill.complete, m.throttles, missing, m.bill.total)
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{plan_with, PlanOptions, Simulate};
    use crate::pricing::Catalog;

    /// A plan compared now and the same plan saved as JSON and read back as a baseline must
    /// agree, or `check --baseline-json` would report changes nobody made.
    #[test]
    fn a_plan_and_its_saved_report_are_the_same_snapshot() {
        let catalog = Catalog::builtin().unwrap();
        let options = PlanOptions {
            simulate: Simulate::Always,
        };
        let mut throttling = Vec::new();
        for spec in [
            "specs/ecommerce-orders.yaml",
            "specs/global-catalog.yaml",
            "specs/session-store.yaml",
            "tests/fixtures/issue-sketch.yaml",
            // Free-tier credits are negative lines, which a baseline may hold.
            "tests/fixtures/free-tier-mixed.yaml",
        ] {
            let workload = crate::workload::load_path(spec).unwrap();
            let report = plan_with(&workload, &catalog, &options).unwrap();
            let saved = serde_json::to_string(&report).unwrap();
            let read = Snapshot::from_json(&saved, spec).unwrap();
            assert_eq!(Snapshot::of(&report), read, "{spec}");
            let modes = read.tables.iter().flat_map(|t| &t.modes);
            throttling.extend(modes.map(|m| m.throttles));
        }
        // Both sides of the throttling flag were compared.
        assert!(throttling.contains(&true) && throttling.contains(&false));
    }

    /// A saved report of either schema says which modes throttle (schema 1 as a `throttles`
    /// sentence, schema 2 as `shortfalls`), and a throttling mode is never the budgeted one of
    /// `capacity: compare`, however cheap.
    #[test]
    fn a_baseline_of_either_schema_passes_over_a_throttling_mode() {
        // A bill's total is the sum of its lines, or the baseline is refused.
        let bill = |total: u32| {
            format!(
                r#"{{"total": "{total}", "complete": true, "lines": [{{"name": "reads", "region": "us-east-1", "amount": "{total}"}}]}}"#
            )
        };
        for (version, throttling) in [
            (1, r#""throttles": "table 10 RCU < 20 at peak""#),
            (
                2,
                r#""shortfalls": [{"target": {"type": "table"}, "limit": "provisioned", "kind": "read", "have": "10", "need": "20"}]"#,
            ),
            (
                2,
                r#""simulated_throttled": "0.2", "over_throttle_budget": "0.01""#,
            ),
        ] {
            let json = format!(
                r#"{{"schema_version": {version}, "spec": "s.yaml", "tables": [{{"name": "t"}}],
                "costs": [{{"table": "t", "capacity_choice": "compare", "modes": [
                    {{"mode": "provisioned", "bill": {}, {throttling}}},
                    {{"mode": "on_demand", "bill": {}}}]}}]}}"#,
                bill(5),
                bill(9)
            );
            let snapshot = Snapshot::from_json(&json, "saved.json").unwrap();
            let table = snapshot.table("t").unwrap();
            assert!(table.modes[0].throttles, "{throttling}");
            assert_eq!(
                table.budgeted().unwrap().mode,
                CapacityMode::OnDemand,
                "{throttling}"
            );
        }
    }

    /// With no mode fully priced, the budgeted mode is the one missing the fewest prices, not
    /// the one whose priced lines happen to sum lowest because more of its lines are missing.
    #[test]
    fn with_no_complete_mode_the_budgeted_one_misses_the_fewest_prices() {
        let json = r#"{"schema_version": 2, "spec": "s.yaml", "tables": [{"name": "t"}],
            "costs": [{"table": "t", "capacity_choice": "compare", "modes": [
                {"mode": "on_demand", "bill": {"total": "1", "complete": false,
                    "unpriced": ["r a", "r b", "r c"], "lines": [{"name": "x", "region": "r", "amount": "1"},
                    {"name": "a", "region": "r", "amount": null}, {"name": "b", "region": "r", "amount": null},
                    {"name": "c", "region": "r", "amount": null}]}},
                {"mode": "autoscaling", "bill": {"total": "5", "complete": false,
                    "unpriced": ["r a"], "lines": [{"name": "y", "region": "r", "amount": "5"},
                    {"name": "a", "region": "r", "amount": null}]}}]}]}"#;
        let snapshot = Snapshot::from_json(json, "saved.json").unwrap();
        let table = snapshot.table("t").unwrap();
        assert_eq!(table.budgeted().unwrap().mode, CapacityMode::Autoscaling);
    }
}
