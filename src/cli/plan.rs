//! `capacity-plan [plan] SPEC`: load a workload spec, plan it, render the report.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use crate::demand::ResolvedSizes;
use crate::report::{self, Format};
use crate::spec::model::Spec;

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

/// Reads the spec's text and the name to show for it in messages.
pub fn read_spec(path: &Path) -> anyhow::Result<(String, String)> {
    if path.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the spec from stdin (is it UTF-8 text?)")?;
        return Ok((text, "<stdin>".into()));
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read spec {}", path.display()))?;
    Ok((text, path.display().to_string()))
}

/// The sizes each table's demand needs, as the spec states them.
pub(super) fn resolved_sizes(spec: &Spec) -> Vec<ResolvedSizes> {
    spec.tables
        .iter()
        .map(|t| ResolvedSizes {
            item_bytes: t.value.items.size.as_ref().map_or(0, |s| s.value.bytes()),
            attribute_bytes: t
                .value
                .attributes
                .iter()
                .map(|(name, size)| (name.clone(), size.bytes()))
                .collect(),
        })
        .collect()
}

pub fn run(path: &Path, options: &PlanOptions, out: &mut dyn Write) -> anyhow::Result<()> {
    let (text, source) = read_spec(path)?;
    let spec: Spec = crate::yaml::from_str(&text, &source)?;
    let sizes = resolved_sizes(&spec);
    let catalog = super::prices::load_catalog(options.prices.as_deref())?;
    catalog.check_region(&spec.region.value)?;
    let report = crate::plan::plan(&spec, &source, &sizes, &catalog);
    let format = match options.format {
        ReportFormat::Table => Format::Table,
        ReportFormat::Json => Format::Json,
        ReportFormat::Markdown => Format::Markdown,
    };
    out.write_all(report::render(&report, format, options.explain).as_bytes())?;
    Ok(())
}
