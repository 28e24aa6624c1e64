//! capacity-plan: plan Amazon DynamoDB capacity, cost and throttling from a workload spec.
//!
//! The library is pure computation over plain data; only the binary prints.
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod calc;
pub mod capacity;
pub mod check;
pub mod cli;
pub mod cost;
pub mod demand;
pub mod diagnostic;
pub mod plan;
pub mod pricing;
pub mod quantity;
pub mod quiz;
pub mod render;
pub mod sim;
pub mod time;
pub mod workload;
pub mod yaml;
