//! The simulator's versioned result: throttling per table, model and lane, the policy search
//! and the recommendation, as numbers and enums; `render` writes the sentences.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::engine::{Model, Point};
use crate::demand::Kind;
use crate::time::UtcMinute;

/// Bumped when a field changes meaning or disappears; adding fields keeps the version.
/// 2: the `kind` field, and the recommendation became an object (docs/simulate.md).
/// 3: `start` and `worst_minute.at` are ISO-8601 UTC timestamps (`2024-01-01T00:00:00Z`).
pub const SCHEMA_VERSION: u32 = 3;

#[derive(Debug, Clone, Serialize)]
pub struct SimReport {
    pub schema_version: u32,
    /// Always `simulation`: tells this report from a plan or a check when files are mixed.
    pub kind: &'static str,
    pub tool_version: &'static str,
    pub spec: String,
    /// `generated` or the metrics file replayed.
    pub traffic: String,
    pub seed: u64,
    /// UTC start of the simulated time; ISO-8601 in JSON.
    pub start: UtcMinute,
    /// Whether the tables started warm (existing, in the state their traffic left them) or
    /// cold (new, or just switched to the model).
    pub start_state: StartState,
    pub seconds: u64,
    /// Minutes each point of the lanes' `series` covers (1, 5 or 60: the finest whose points
    /// fit the series budget, docs/simulate.md "Series"); absent without a series.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series_minutes: Option<u64>,
    pub tables: Vec<TableResult>,
    /// What the replayed metrics held; absent for generated traffic.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replay: Option<Replayed>,
}

/// How the tables start (docs/simulate.md, "Warm start").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StartState {
    /// An existing table: capacity, burst credit and on-demand's previous peak as the traffic
    /// before the run left them.
    Warm,
    /// A new table, or one just switched to the model.
    Cold,
}

/// The minutes a replay read, the period of its datapoints, the gaps it filled with no
/// traffic, and the throttled requests CloudWatch recorded (requests, not units, so never added
/// to demand).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Replayed {
    pub minutes: u64,
    /// Minutes per datapoint (1, 5 or 60); a longer period hides the peaks inside it.
    pub period_minutes: u64,
    /// Peak ÷ mean assumed inside each period (1: spread evenly).
    pub period_peak_to_mean: f64,
    /// Minutes without a datapoint in any consumed-capacity series.
    pub gap_minutes: u64,
    /// Minutes without a datapoint, per series.
    pub gaps: Vec<crate::metrics::SeriesGaps>,
    pub observed_throttled: f64,
    /// The file ended with a `NextToken`: CloudWatch had more datapoints than it holds.
    pub truncated: bool,
    /// GSIs whose write series were read but not played: the simulator derives a GSI's
    /// writes from the table's writes.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub index_writes_ignored: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TableResult {
    pub table: String,
    /// Largest acceptable throttled share: the table's `budget.max_throttled`, else the
    /// workload's, else 0.
    pub max_throttled: f64,
    pub models: Vec<ModelResult>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub search: Vec<SearchPoint>,
    /// `None` only when no model was simulated.
    pub recommendation: Option<Recommendation>,
}

impl SimReport {
    /// Forgets the per-minute series (kept for a chart, shown in JSON only on request).
    pub fn drop_series(&mut self) {
        self.series_minutes = None;
        for model in self.tables.iter_mut().flat_map(|t| t.models.iter_mut()) {
            for lane in &mut model.lanes {
                lane.series = Vec::new();
            }
        }
    }
}

/// One autoscaling policy tried by the search: a target for every lane and a minimum per lane,
/// given as the spec's `autoscaling` keys so that it can be copied.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPoint {
    #[serde(flatten)]
    pub policy: Policy,
    /// The multiple of each lane's mean demand the minimums are (rounded up, at least 1, at
    /// most the lane's maximum); `None` for the policies' own minimums.
    pub min_factor: Option<f64>,
    /// Throttled attempts ÷ attempts, and requests failed after their retries ÷ requests.
    pub throttled_share: f64,
    pub failed_share: f64,
    pub monthly_cost: Option<Decimal>,
}

/// An autoscaling policy as the spec's `autoscaling` keys: one target for every lane, and the
/// table's and each GSI's minimums.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    pub target: f64,
    pub min_read: u64,
    pub min_write: u64,
    /// Each GSI's minimums, in spec order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<IndexMinimums>,
}

/// What the simulator recommends for a table: the cheapest model or searched policy within
/// the throttling budget (requests failed after their retries), else the one that fails
/// fewest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub reason: RecommendationReason,
    /// The model to run: `autoscaling` with `policy` when a searched policy won.
    pub model: Model,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub policy: Option<Policy>,
    /// Throttled attempts ÷ attempts, retries included.
    pub throttled_share: f64,
    /// Requests still throttled after their last retry ÷ requests: what `max_throttled`
    /// bounds.
    pub failed_share: f64,
    pub max_throttled: f64,
    pub monthly_cost: Option<Decimal>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecommendationReason {
    /// The cheapest option whose throttled share is within `max_throttled`.
    CheapestWithinBudget,
    /// Nothing is within the budget; this option fails fewest requests.
    LeastThrottled,
}

/// A GSI's minimums in a search point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndexMinimums {
    pub index: String,
    pub min_read: u64,
    pub min_write: u64,
}

#[derive(Debug, Clone, Serialize)]
pub struct WorstMinute {
    /// ISO-8601 UTC in JSON.
    pub at: UtcMinute,
    pub throttled_units: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelResult {
    pub model: Model,
    /// New client demand, in request units (retries excluded).
    pub demand_units: f64,
    /// Client request units offered, retries included: served + throttled.
    pub offered_units: f64,
    pub served_units: f64,
    pub throttled_units: f64,
    /// Throttled attempts ÷ attempts (offered units, retries included).
    pub throttled_share: f64,
    /// Units still throttled at the last attempt, and their share of the demand: the share of
    /// requests that fail throttled, which `max_throttled` bounds.
    pub failed_units: f64,
    pub failed_share: f64,
    pub throttled_seconds: u64,
    pub worst_minute: Option<WorstMinute>,
    /// Throttled client units by cause.
    pub causes: BTreeMap<&'static str, f64>,
    pub peak_utilization: f64,
    pub scale_outs: u32,
    pub scale_ins: u32,
    /// The capacity replayed (or the requests served, on-demand) priced for a month.
    pub monthly_cost: Option<Decimal>,
    pub lanes: Vec<LaneResult>,
    #[serde(skip)]
    pub spark: Vec<[f64; 2]>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LaneResult {
    pub target: String,
    pub kind: Kind,
    pub capacity_min: f64,
    pub capacity_max: f64,
    pub capacity_average: f64,
    /// Provisioned capacity held over the run, in unit-hours (0 on-demand).
    pub unit_hours: f64,
    pub demand_units: f64,
    pub served_units: f64,
    pub throttled_units: f64,
    pub failed_units: f64,
    pub causes: BTreeMap<&'static str, f64>,
    pub throttled_seconds: u64,
    pub peak_utilization: f64,
    pub scale_outs: u32,
    pub scale_ins: u32,
    /// Partitions at the start and at the end of the run (they split, never merge).
    pub partitions_start: u32,
    pub partitions_end: u32,
    /// A point per `SimReport::series_minutes`, each the mean of its minutes (throttled too:
    /// times its seconds, the units it throttled).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<Point>,
}
