//! The plan report: one versioned model that every output format renders, and nothing else.
//! Renderers never compute a number; they lay out what the model holds.

mod check;
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
    /// Where a figure rests on an estimate the reader should know about.
    pub caveats: Vec<String>,
}

impl PlanReport {
    /// Every finding: the spec's, then each table's.
    pub fn findings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .chain(self.tables.iter().flat_map(|t| &t.diagnostics))
    }
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

/// Renders a check or diff report. The `github` format is Markdown plus annotations, which
/// the CLI composes from [`crate::check::github`].
pub fn render_check(report: &crate::check::CheckReport, format: Format) -> String {
    let (open, details) = check::sections(report);
    match format {
        Format::Json => {
            let mut json = serde_json::to_string_pretty(report).unwrap_or_default();
            json.push('\n');
            json
        }
        Format::Table => terminal::render(&[open, details].concat()),
        Format::Markdown => markdown::render_folded(&open, &details),
    }
}
