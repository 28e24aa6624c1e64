//! DynamoDB's capacity modes and table classes, named once for every layer: the workload picks
//! them, the catalog prices them, budgets and diffs compare them, renderers name them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How a table pays for throughput ("Read/write capacity mode", Amazon DynamoDB Developer
/// Guide): per request, fixed provisioned units, provisioned units an autoscaling policy
/// moves, or fixed provisioned units bought partly as reserved capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CapacityMode {
    OnDemand,
    Provisioned,
    Autoscaling,
    Reserved,
}

impl CapacityMode {
    pub const ALL: [CapacityMode; 4] = [
        CapacityMode::OnDemand,
        CapacityMode::Provisioned,
        CapacityMode::Autoscaling,
        CapacityMode::Reserved,
    ];

    /// The serialized name, `on_demand`.
    pub fn name(self) -> &'static str {
        match self {
            CapacityMode::OnDemand => "on_demand",
            CapacityMode::Provisioned => "provisioned",
            CapacityMode::Autoscaling => "autoscaling",
            CapacityMode::Reserved => "reserved",
        }
    }

    /// The name people read, `on-demand`.
    pub fn label(self) -> &'static str {
        match self {
            CapacityMode::OnDemand => "on-demand",
            other => other.name(),
        }
    }
}

impl std::fmt::Display for CapacityMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// DynamoDB table class ("Table classes", Amazon DynamoDB Developer Guide): Standard-IA trades
/// cheaper storage for dearer throughput, so it changes the throughput and storage prices.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TableClass {
    #[default]
    Standard,
    StandardIa,
}

impl TableClass {
    /// The serialized name, also the suffix of its price names: `standard_ia`.
    pub fn name(self) -> &'static str {
        match self {
            TableClass::Standard => "standard",
            TableClass::StandardIa => "standard_ia",
        }
    }

    /// The name AWS's console and docs use: `Standard-IA`.
    pub fn label(self) -> &'static str {
        match self {
            TableClass::Standard => "Standard",
            TableClass::StandardIa => "Standard-IA",
        }
    }

    /// The class a table could switch to.
    pub fn other(self) -> TableClass {
        match self {
            TableClass::Standard => TableClass::StandardIa,
            TableClass::StandardIa => TableClass::Standard,
        }
    }
}
