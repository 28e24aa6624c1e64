//! `capacity-plan [plan] SPEC`: load a workload spec, plan it, render the report.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::plan::PlanReport;
use crate::plan::Simulate;
use crate::render::{self, Format};
use crate::workload::{SpecText, Workload};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// Terminal tables.
    Table,
    /// The versioned report model (docs/report.md).
    Json,
    /// GitHub-flavoured Markdown, for PR comments and job summaries.
    Markdown,
}

/// The flags that shape a plan report, for `capacity-plan SPEC` and `capacity-plan plan`.
#[derive(Debug, Args)]
pub struct ReportFlags {
    /// Output format.
    // Its own id: `calc --format` is a global argument of the calc subtree.
    #[arg(
        long = "format",
        id = "report_format",
        value_name = "FORMAT",
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

    /// With infrastructure code as the spec (Terraform `.tf` or plan JSON, CloudFormation):
    /// each table's items and traffic (docs/import.md).
    #[arg(long, value_name = "FILE")]
    pub usage: Option<PathBuf>,

    /// Simulate a week of each table's traffic and weigh each mode's throttling (done anyway
    /// when the spec sets a `max_throttled` budget).
    #[arg(long)]
    pub simulate: bool,

    /// A Cost and Usage Report (CSV or Parquet, docs/reconcile.md): instead of the plan, each
    /// billed table's planned cost lines beside the billed ones, with the differences.
    #[arg(long, value_name = "FILE")]
    pub cur: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct PlanArgs {
    /// Workload spec (`-` reads stdin).
    pub spec: PathBuf,

    #[command(flatten)]
    pub options: ReportFlags,
}

/// A planned spec: its report, with any simulation weighed into its modes.
pub struct Planned {
    pub report: PlanReport,
}

/// Loads, plans and prices the spec (or IaC with its usage file) at `path` (`-` for stdin),
/// with an optional price file.
pub fn load(path: &Path, usage: Option<&Path>, prices: Option<&Path>) -> anyhow::Result<Planned> {
    priced(super::load_input(path, usage)?, prices, false)
}

/// Plans and prices a spec that has already been read, simulating it when asked.
pub fn plan_text(
    spec: &SpecText,
    prices: Option<&Path>,
    simulate: bool,
) -> anyhow::Result<Planned> {
    priced(super::load_spec_text(spec)?, prices, simulate)
}

/// Prices a loaded workload; with `simulate` (or a throttle budget in the spec) a simulated
/// week of traffic is weighed in.
pub fn priced(
    workload: Workload,
    prices: Option<&Path>,
    simulate: bool,
) -> anyhow::Result<Planned> {
    let catalog = super::prices::load_catalog(prices)?;
    catalog.check_region(&workload.spec.region.value)?;
    let simulate = if simulate {
        Simulate::Always
    } else {
        Simulate::IfBudgeted
    };
    let options = crate::plan::PlanOptions::simulating(simulate);
    let report = crate::plan::plan_with(&workload, &catalog, &options)?;
    Ok(Planned { report })
}

/// Fails when planning found something DynamoDB would reject (an error-level finding).
pub fn refuse_errors(report: &PlanReport) -> anyhow::Result<()> {
    crate::demand::refuse_errors(&report.spec, report.findings())
}

pub fn run(path: &Path, options: &ReportFlags, out: &mut dyn Write) -> anyhow::Result<()> {
    let workload = super::load_input(path, options.usage.as_deref())?;
    let spec_text = workload.text.clone();
    let report = priced(workload, options.prices.as_deref(), options.simulate)?.report;
    let format = match options.format {
        ReportFormat::Table => Format::Table,
        ReportFormat::Json => Format::Json,
        ReportFormat::Markdown => Format::Markdown,
    };
    let terminal = super::display().stdout;
    if let Some(cur) = &options.cur {
        let billed = super::import::read_cur(cur)?;
        let tables = crate::check::reconcile(&report, crate::check::running_mode, &billed);
        match format {
            Format::Json => render::reconcile::json(&tables, out)?,
            _ => out.write_all(render::reconcile::table(&tables, &terminal).as_bytes())?,
        }
    } else {
        render::render(&report, format, options.explain, &spec_text, &terminal, out)?;
    }
    refuse_errors(&report)
}
