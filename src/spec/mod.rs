//! The workload spec: its YAML model, loading, and validation against DynamoDB's rules.

pub mod model;
pub mod schema;
pub mod validate;
