//! capacity-plan: plan Amazon DynamoDB capacity, cost and throttling from a workload spec.
//!
//! The library is pure computation over plain data; only the binary prints. The pipeline's
//! entry points are re-exported here: load a spec, plan it against a price catalog, and read
//! the result model (numbers and enums; [`render`] writes the sentences).
//!
//! ```
//! use capacity_plan::{load, plan_with, Catalog, PlanOptions};
//!
//! let spec = "
//! region: us-east-1
//! tables:
//!   - name: orders
//!     keys: { partition: id }
//!     items: { count: 1M, size: 1KB }
//!     access:
//!       - { op: get, rate: 100/s }
//!       - { op: put, rate: 10/s }
//! ";
//! let workload = load(spec, "orders.yaml", None)?;
//! let report = plan_with(&workload, &Catalog::builtin()?, &PlanOptions::default())?;
//! let orders = &report.costs[0];
//! let chosen = orders.recommendation.as_ref().expect("every mode is priced in us-east-1");
//! // The recommended mode is the cheapest of the modes priced for the table.
//! let cheapest = orders.modes.iter().map(|m| m.bill.total()).min().unwrap();
//! assert_eq!(chosen.monthly, cheapest);
//! println!("{}: {} at ${} a month", orders.table, chosen.mode.name(), chosen.monthly.round_dp(2));
//! # Ok::<(), anyhow::Error>(())
//! ```
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod calc;
pub mod capacity;
pub mod check;
pub mod cli;
pub mod cost;
pub mod demand;
pub mod diagnostic;
pub mod fleet;
pub mod import;
pub mod metrics;
pub mod parquet;
pub mod plan;
pub mod pricing;
pub mod quantity;
pub mod quiz;
pub mod render;
pub mod sim;
pub mod suggest;
pub mod time;
pub mod workload;
pub mod yaml;

pub use capacity::CapacityMode;
pub use check::{Budgets, CheckReport};
pub use diagnostic::{Code, Diagnostic, Severity};
pub use plan::{plan_with, PlanOptions, PlanReport, Simulate};
pub use pricing::Catalog;
pub use sim::{simulate, SimOptions, SimReport};
pub use workload::{load, load_path, SpecError, Workload};
