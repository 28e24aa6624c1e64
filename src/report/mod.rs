//! The plan report: one versioned model that every output format renders, and nothing else.
//! Renderers never compute a number; they lay out what the model holds.

mod layout;
mod markdown;
mod terminal;

use serde::Serialize;

use crate::demand::TableDemand;
use crate::diagnostic::Diagnostic;
use crate::plan::TableCosts;

pub use layout::{Align, Section};
pub use terminal::render as render_sections;

/// Bumped when a field changes meaning or disappears; adding fields keeps the version.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize)]
pub struct PlanReport {
    pub schema_version: u32,
    pub tool_version: &'static str,
    /// The spec's name as given (`specs/orders.yaml`, `<stdin>`).
    pub spec: String,
    pub region: String,
    pub month_hours: u32,
    pub tables: Vec<TableDemand>,
    /// Each table priced under every capacity mode.
    pub costs: Vec<TableCosts>,
    /// Spec-level warnings; each table carries its own too.
    pub diagnostics: Vec<Diagnostic>,
    /// Parts of the spec carried in the model but not yet turned into money.
    pub not_priced: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Markdown,
}

/// Renders the report. `explain` adds the working behind each access pattern.
pub fn render(report: &PlanReport, format: Format, explain: bool) -> String {
    match format {
        Format::Json => {
            let mut json = serde_json::to_string_pretty(report).unwrap_or_default();
            json.push('\n');
            json
        }
        Format::Table => terminal::render(&layout::sections(report, explain)),
        Format::Markdown => markdown::render(&layout::sections(report, explain)),
    }
}
