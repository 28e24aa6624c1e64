//! DynamoDB's capacity modes, named once for every layer: the plan prices each, budgets and
//! diffs compare them, renderers name them.

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
