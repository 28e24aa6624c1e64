//! What `check` and `diff` compare, read from the plan report's JSON. A spec planned now and a
//! report saved earlier go through the same path, so both sides of a comparison agree on
//! field meanings and the saved-report format stays tested by every check.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::capacity::CapacityMode;
use crate::diagnostic::Position;
use crate::plan::{chosen_mode, PlanReport, SCHEMA_VERSION};
use crate::workload::model::CapacityChoice;

/// A report that cannot serve as a baseline; the message says how to get one that can.
#[derive(Debug, thiserror::Error)]
#[error("{source_name}: {reason}")]
pub struct SnapshotError {
    pub source_name: String,
    pub reason: String,
}

/// One plan, reduced to the figures budgets and diffs use.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// The spec the plan came from, as named when it was planned.
    pub spec: String,
    pub tables: Vec<TableSnapshot>,
    /// Spec-level warnings.
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone)]
pub struct TableSnapshot {
    pub name: String,
    pub choice: CapacityChoice,
    pub modes: Vec<ModeSnapshot>,
    pub warnings: Vec<Warning>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ModeSnapshot {
    pub mode: CapacityMode,
    pub bill: BillSnapshot,
    /// Why the mode's capacity cannot carry the peak, when it cannot.
    #[serde(default)]
    pub throttles: Option<String>,
    /// Share of request units throttled in a simulated week, when one ran.
    #[serde(default)]
    pub simulated_throttled: Option<Decimal>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct BillSnapshot {
    pub total: Decimal,
    pub complete: bool,
    #[serde(default)]
    pub unpriced: Vec<String>,
    pub lines: Vec<LineSnapshot>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct LineSnapshot {
    pub name: String,
    pub region: String,
    /// `None` when the price data has no price for the line.
    pub amount: Option<Decimal>,
}

/// A diagnostic as the report carries it; compared whole, so a changed figure counts as new.
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
    modes: Vec<ModeSnapshot>,
}

impl Snapshot {
    /// A plan made now.
    pub fn of(report: &PlanReport) -> Snapshot {
        let json = serde_json::to_value(report).expect("the plan report serializes");
        Self::from_value(json).expect("a fresh report reads back")
    }

    /// A report saved with `capacity-plan SPEC --format json`, named `source_name` in errors.
    pub fn from_json(text: &str, source_name: &str) -> Result<Snapshot, SnapshotError> {
        let error = |reason: String| SnapshotError {
            source_name: source_name.to_string(),
            reason,
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| error(format!("not JSON: {e}")))?;
        if let Some(kind) = value.get("kind").and_then(|k| k.as_str()) {
            return Err(error(format!(
                "this is a `capacity-plan {kind}` report; a baseline is a plan report, written by `capacity-plan SPEC --format json`"
            )));
        }
        match value.get("schema_version").and_then(|v| v.as_u64()) {
            None => Err(error(
                "not a capacity-plan plan report (no `schema_version`); write one with `capacity-plan SPEC --format json`".into(),
            )),
            // Schema 2 kept every field a snapshot reads from schema 1, so both read alike.
            Some(version) if !(1..=u64::from(SCHEMA_VERSION)).contains(&version) => Err(error(format!(
                "the report has schema version {version}, and this capacity-plan reads versions 1 to {SCHEMA_VERSION}; regenerate it from its spec with this version (`capacity-plan SPEC --format json`), or pass the spec itself with --baseline"
            ))),
            Some(_) => Self::from_value(value)
                .map_err(|e| error(format!("does not match report schema version {SCHEMA_VERSION}: {e}"))),
        }
    }

    fn from_value(value: serde_json::Value) -> serde_json::Result<Snapshot> {
        let raw: RawReport = serde_json::from_value(value)?;
        let mut warnings: BTreeMap<String, Vec<Warning>> = raw
            .tables
            .into_iter()
            .map(|t| (t.name, t.diagnostics))
            .collect();
        Ok(Snapshot {
            spec: raw.spec,
            tables: raw
                .costs
                .into_iter()
                .map(|c| TableSnapshot {
                    warnings: warnings.remove(&c.table).unwrap_or_default(),
                    name: c.table,
                    choice: c.capacity_choice,
                    modes: c.modes,
                })
                .collect(),
            warnings: raw.diagnostics,
        })
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
    /// the plan recommends, the cheapest fully priced one that carries the peak (the cheapest
    /// by priced lines when none is complete, which `check` then refuses as unpriced).
    pub fn budgeted(&self) -> Option<&ModeSnapshot> {
        match chosen_mode(self.choice) {
            Some(chosen) => self.modes.iter().find(|m| m.mode == chosen),
            None => self
                .modes
                .iter()
                .min_by_key(|m| (!m.bill.complete, m.throttles.is_some(), m.bill.total)),
        }
    }
}
