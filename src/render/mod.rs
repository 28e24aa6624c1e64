//! Every output format of every model: terminal tables, Markdown, JSON, GitHub annotations,
//! charts. Renderers never compute a number; they write sentences about what a model holds.
//! Only `cli` imports this layer.

pub mod answer;
pub mod bill;
pub mod chart;
mod check;
pub mod diagnostic;
pub mod fleet;
pub mod github;
pub mod import;
pub mod json;
mod layout;
mod markdown;
pub mod reconcile;
pub mod simulate;
pub mod terminal;

use std::io::Write;

use crate::plan::PlanReport;

pub use layout::{Align, Section};
pub use terminal::{paint, render as render_sections, ColorChoice, Paint, Terminal};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Markdown,
}

/// Writes the report to `out`. `explain` adds the working behind each access pattern; tables
/// are drawn for `terminal`.
pub fn render(
    report: &PlanReport,
    format: Format,
    explain: bool,
    terminal: &Terminal,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let text = match format {
        Format::Json => return json::write(out, report),
        Format::Table => terminal::render(&layout::sections(report, explain), terminal),
        Format::Markdown => markdown::render(&layout::sections(report, explain)),
    };
    out.write_all(text.as_bytes())
}

/// Writes a check or diff report to `out`. The `github` format is Markdown plus annotations,
/// which the CLI composes from [`github`].
pub fn render_check(
    report: &crate::check::CheckReport,
    format: Format,
    terminal: &Terminal,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let text = match format {
        Format::Json => return json::write(out, report),
        Format::Table => {
            let (open, details) = check::sections(report);
            terminal::render(&[open, details].concat(), terminal)
        }
        Format::Markdown => {
            let (open, details) = check::sections(report);
            markdown::render_folded(&open, &details)
        }
    };
    out.write_all(text.as_bytes())
}
