//! The workload spec: its YAML model, loading, and validation against DynamoDB's rules.

pub mod load;
pub mod model;
pub mod schema;
pub mod validate;

pub use load::{
    load, load_path, load_with, read_path, SpecError, SpecText, Supplied, TableFacts, Workload,
};

/// The annotated starter spec `capacity-plan init` writes; a test keeps it valid.
pub const TEMPLATE: &str = include_str!("template.yaml");
