//! Every output format of every model: terminal tables, Markdown, JSON, GitHub annotations,
//! charts. Renderers never compute a number; they write sentences about what a model holds.
//! Only `cli` imports this layer.

pub mod answer;
pub mod bill;
pub mod chart;
mod check;
pub mod diagnostic;
pub mod github;
pub mod import;
mod layout;
mod markdown;
pub mod simulate;
mod terminal;

use crate::plan::PlanReport;

pub use layout::{Align, Section};
pub use terminal::render as render_sections;

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
/// the CLI composes from [`github`].
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
