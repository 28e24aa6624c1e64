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
pub mod json;
mod layout;
mod markdown;
pub mod simulate;
pub mod terminal;

use crate::plan::PlanReport;

pub use layout::{Align, Section};
pub use terminal::{paint, render as render_sections, ColorChoice, Paint, Terminal};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Markdown,
}

/// Renders the report. `explain` adds the working behind each access pattern; tables are
/// drawn for `terminal`.
pub fn render(report: &PlanReport, format: Format, explain: bool, terminal: &Terminal) -> String {
    match format {
        Format::Json => {
            let mut json = serde_json::to_string_pretty(report).unwrap_or_default();
            json.push('\n');
            json
        }
        Format::Table => terminal::render(&layout::sections(report, explain), terminal),
        Format::Markdown => markdown::render(&layout::sections(report, explain)),
    }
}

/// Renders a check or diff report. The `github` format is Markdown plus annotations, which
/// the CLI composes from [`github`].
pub fn render_check(
    report: &crate::check::CheckReport,
    format: Format,
    terminal: &Terminal,
) -> String {
    let (open, details) = check::sections(report);
    match format {
        Format::Json => {
            let mut json = serde_json::to_string_pretty(report).unwrap_or_default();
            json.push('\n');
            json
        }
        Format::Table => terminal::render(&[open, details].concat(), terminal),
        Format::Markdown => markdown::render_folded(&open, &details),
    }
}
