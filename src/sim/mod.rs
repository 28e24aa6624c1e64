//! The traffic simulator (issue 5): plays a table's demand, second by second, against
//! provisioned, autoscaling and on-demand capacity, and reports what throttles, why, and what
//! the capacity it replayed costs.
//!
//! Pure and deterministic: the same spec, traffic and seed give the same result. Units are
//! `f64` in the hot loop; money is computed once, at the end, with `Decimal`.

pub mod autoscaling;
pub mod budget;
pub mod engine;
pub mod on_demand;
pub mod partitions;
pub mod provisioned;
pub mod recommend;
pub mod replay;
pub mod result;
pub mod retry;
pub mod run;
pub mod setup;
pub mod traffic;

use serde::Serialize;

pub use engine::{run_models, LaneSpec, Model, ModelRun, RunOptions, Source, TableSetup, TableSim};
pub use result::{Recommendation, RecommendationReason, SimReport, TableResult};
pub use run::{run_count, run_seconds, simulate, Measured, SimOptions};

/// Lane of the table's reads; every setup starts with it.
pub const TABLE_READS: usize = 0;
/// Lane of the table's writes; every setup has it second.
pub const TABLE_WRITES: usize = 1;

/// Why a unit was throttled (docs/sources.md §11.1 [THR][THRDIAG]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    /// A partition or a single key over 3,000 read / 1,000 write units per second.
    KeyRange,
    /// Provisioned capacity of the table or GSI used up (burst credit included).
    ProvisionedThroughput,
    /// On-demand: over twice the previous peak before the table has grown into it.
    OnDemandRamp,
    /// On-demand: over the configured maximum throughput.
    MaxOnDemand,
    /// On-demand: over the per-table (or per-GSI) quota.
    TableQuota,
    /// A base-table write whose GSI update was throttled (§3.3 [GSITHR]).
    GsiBackPressure,
}

pub const CAUSES: usize = 6;

impl Cause {
    pub const ALL: [Cause; CAUSES] = [
        Cause::KeyRange,
        Cause::ProvisionedThroughput,
        Cause::OnDemandRamp,
        Cause::MaxOnDemand,
        Cause::TableQuota,
        Cause::GsiBackPressure,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Cause::KeyRange => "key_range",
            Cause::ProvisionedThroughput => "provisioned_throughput",
            Cause::OnDemandRamp => "on_demand_ramp",
            Cause::MaxOnDemand => "max_on_demand",
            Cause::TableQuota => "table_quota",
            Cause::GsiBackPressure => "gsi_back_pressure",
        }
    }
}

/// One second of one lane: units served, and units throttled by cause.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Served {
    pub served: f64,
    pub throttled: [f64; CAUSES],
}

impl Served {
    pub fn throttled_total(&self) -> f64 {
        self.throttled.iter().sum()
    }
}
