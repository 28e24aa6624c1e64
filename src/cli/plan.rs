//! `capacity-plan [plan] SPEC`: load a workload spec, plan it, render the report.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::diagnostic::Severity;
use crate::report::{self, Format, PlanReport};
use crate::spec::model::Spec;
use crate::spec::{SpecText, Workload};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Terminal tables.
    Table,
    /// The versioned report model (docs/report.md).
    Json,
    /// GitHub-flavoured Markdown, for PR comments and job summaries.
    Markdown,
}

#[derive(Debug, Args)]
pub struct PlanOptions {
    /// Output format.
    // Its own id: `calc --format` is a global argument of the calc subtree.
    #[arg(
        long = "format",
        id = "report_format",
        value_enum,
        default_value = "table"
    )]
    pub format: ReportFormat,

    /// Show the working behind each access pattern and every cost line.
    #[arg(long)]
    pub explain: bool,

    /// A price file whose prices override or extend the built-in catalog.
    #[arg(long, value_name = "FILE")]
    pub prices: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Workload spec (`-` reads stdin).
    pub spec: PathBuf,

    #[command(flatten)]
    pub options: PlanOptions,
}

/// Loads, plans and prices the spec at `path` (`-` for stdin), with an optional price file.
pub fn load(path: &Path, prices: Option<&Path>) -> anyhow::Result<(Spec, PlanReport)> {
    priced(super::load_spec(&path.to_string_lossy())?, prices)
}

/// Plans and prices a spec that has already been read.
pub fn plan_text(spec: &SpecText, prices: Option<&Path>) -> anyhow::Result<(Spec, PlanReport)> {
    priced(super::load_spec_text(spec)?, prices)
}

fn priced(workload: Workload, prices: Option<&Path>) -> anyhow::Result<(Spec, PlanReport)> {
    let catalog = super::prices::load_catalog(prices)?;
    catalog.check_region(&workload.spec.region.value)?;
    let report = crate::plan::plan(&workload, &catalog);
    Ok((workload.spec, report))
}

/// Fails when planning found something DynamoDB would reject (an error-level finding), so a
/// plan with errors never passes for a valid one.
pub fn refuse_errors(report: &PlanReport) -> anyhow::Result<()> {
    let errors: Vec<String> = report
        .findings()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} ({})", d.code, d.path))
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    anyhow::bail!(
        "{} would be rejected by DynamoDB: {}",
        report.spec,
        errors.join(", ")
    )
}

pub fn run(path: &Path, options: &PlanOptions, out: &mut dyn Write) -> anyhow::Result<()> {
    let (_, report) = load(path, options.prices.as_deref())?;
    let format = match options.format {
        ReportFormat::Table => Format::Table,
        ReportFormat::Json => Format::Json,
        ReportFormat::Markdown => Format::Markdown,
    };
    out.write_all(report::render(&report, format, options.explain).as_bytes())?;
    refuse_errors(&report)
}
