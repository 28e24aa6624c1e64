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
/// are drawn for `terminal`, and findings shown against `spec_text` with the line they point
/// at, as `validate` shows them.
pub fn render(
    report: &PlanReport,
    format: Format,
    explain: bool,
    spec_text: &str,
    terminal: &Terminal,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let text = match format {
        Format::Json => return json::write(out, report),
        Format::Table => layout::sections(report, explain)
            .iter()
            .map(|section| {
                if section.title != layout::FINDINGS {
                    return terminal::render(std::slice::from_ref(section), terminal);
                }
                let mut text = format!("{}\n", layout::FINDINGS);
                for finding in report.findings() {
                    let shown =
                        diagnostic::diagnostic(finding, &report.spec, spec_text, terminal.colour);
                    text.push_str(&shown);
                    text.push_str("\n\n");
                }
                text
            })
            .collect(),
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
