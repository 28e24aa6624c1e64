//! `capacity-plan prices`: show the price catalog, or import AWS Price List data.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand};

use super::{AnswerFormat, UsageError};
use crate::pricing::{import::import_price_lists, Catalog};
use crate::render::bill::{catalog_heading, price_table};

#[derive(Debug, Args)]
pub struct PricesArgs {
    #[command(subcommand)]
    pub command: PricesCommand,
}

#[derive(Debug, Subcommand)]
pub enum PricesCommand {
    /// List prices with their unit, date, source and confidence, and the catalog's dates.
    #[command(
        after_help = "Examples:\n  capacity-plan prices show --region eu-west-1\n  capacity-plan prices show --name ondemand --format json"
    )]
    Show {
        /// Only this region.
        #[arg(long)]
        region: Option<String>,
        /// Only prices whose name contains this, e.g. `ondemand`, `reserved_1y`, `dax_node_hour`.
        #[arg(long)]
        name: Option<String>,
        /// `text` (a Markdown table) or `json` (the dates and every price listed).
        #[arg(long, value_enum, default_value = "text")]
        format: AnswerFormat,
        /// A price file merged over the built-in prices (same format as data/prices.json).
        #[arg(long)]
        prices: Option<PathBuf>,
    },
    /// Convert AWS Price List data (AmazonDynamoDB or AmazonDAX) to a price file on stdout, for
    /// use with --prices: bulk offer files, whole or per Region, and `aws pricing get-products`
    /// output (one or more pages).
    #[command(
        after_help = "Examples:\n  capacity-plan prices import index.json > prices.yaml\n  aws pricing get-products --service-code AmazonDynamoDB --region us-east-1 \\\n    --filters Type=TERM_MATCH,Field=regionCode,Value=eu-west-1 | capacity-plan prices import - > prices.yaml\n  capacity-plan calc cost --prices prices.yaml --region eu-west-1 --mode on-demand --reads 10M/month"
    )]
    Import {
        /// Offer files or get-products pages (JSON); `-` reads standard input.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
}

/// The built-in catalog with the user's file, if any, merged over it.
pub(super) fn load_catalog(prices: Option<&Path>) -> anyhow::Result<Catalog> {
    let mut catalog = Catalog::builtin()?;
    if let Some(path) = prices {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        catalog.merge(Catalog::from_yaml(&text, &path.display().to_string())?);
    }
    Ok(catalog)
}

/// A file's text, or standard input's for `-`.
fn read_input(file: &Path) -> anyhow::Result<String> {
    if file.as_os_str() == "-" {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .context("cannot read standard input")?;
        return Ok(text);
    }
    std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))
}

pub fn run(args: PricesArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    match args.command {
        PricesCommand::Show {
            region,
            name,
            format,
            prices,
        } => {
            let catalog = load_catalog(prices.as_deref())?;
            if let Some(region) = &region {
                catalog.check_region(region)?;
            }
            let rows: Vec<_> = catalog.select(region.as_deref(), name.as_deref()).collect();
            if let (Some(part), true) = (&name, rows.is_empty()) {
                return Err(UsageError(format!(
                    "--name {part}: no price name contains it; names are like ondemand_read_standard, provisioned_wcu_hour_standard_ia, reserved_1y_rcu_upfront_per_100, dax_node_hour.dax.r5.large (docs/pricing.md)"
                ))
                .into());
            }
            let dated = catalog.dated();
            match format {
                AnswerFormat::Text => {
                    write!(
                        out,
                        "{}",
                        catalog_heading(dated, prices.is_some(), rows.len())
                    )?;
                    write!(out, "{}", price_table(rows.into_iter()))?;
                }
                AnswerFormat::Json => {
                    let json = serde_json::json!({
                        "oldest_as_of": dated.map(|d| d.0),
                        "newest_as_of": dated.map(|d| d.1),
                        "prices": rows,
                    });
                    crate::render::json::write_document(out, "prices", json)?;
                }
            }
        }
        PricesCommand::Import { files } => {
            let inputs = files
                .iter()
                .map(|file| read_input(file).map(|text| (text, file.display().to_string())))
                .collect::<anyhow::Result<Vec<_>>>()?;
            let imported = import_price_lists(&inputs)?;
            let names: Vec<&str> = inputs.iter().map(|(_, name)| name.as_str()).collect();
            writeln!(
                out,
                "# Imported from AWS Price List data ({}) by `capacity-plan prices import`.",
                names.join(", ")
            )?;
            if !imported.skipped.is_empty() {
                writeln!(
                    out,
                    "# Usage types not priced by capacity-plan: {}",
                    imported.skipped.join(", ")
                )?;
            }
            write!(out, "{}", imported.catalog.to_yaml())?;
        }
    }
    Ok(())
}
