//! `capacity-plan prices`: show the price catalog, or import an AWS Price List offer file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::pricing::{import::import_offer, Catalog};
use crate::render::bill::price_table;

#[derive(Debug, Args)]
pub struct PricesArgs {
    #[command(subcommand)]
    pub command: PricesCommand,
}

#[derive(Debug, Subcommand)]
pub enum PricesCommand {
    /// List prices with their unit, date, source and confidence.
    Show {
        /// Only this region.
        #[arg(long)]
        region: Option<String>,
        /// A price file merged over the built-in prices (same format as data/prices.json).
        #[arg(long)]
        prices: Option<PathBuf>,
    },
    /// Convert an AWS Price List offer file (AmazonDynamoDB or AmazonDAX JSON) to a price
    /// file on stdout, for use with --prices.
    #[command(
        after_help = "Example:\n  capacity-plan prices import offer.json > prices.yaml\n  capacity-plan calc cost --prices prices.yaml --mode on-demand --reads 10M/month"
    )]
    Import {
        /// The offer JSON, e.g. downloaded from the Price List bulk API.
        file: PathBuf,
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

pub fn run(args: PricesArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    match args.command {
        PricesCommand::Show { region, prices } => {
            let catalog = load_catalog(prices.as_deref())?;
            if let Some(region) = &region {
                catalog.check_region(region)?;
            }
            write!(out, "{}", price_table(&catalog, region.as_deref()))?;
        }
        PricesCommand::Import { file } => {
            let json = std::fs::read_to_string(&file)
                .with_context(|| format!("cannot read {}", file.display()))?;
            let imported = import_offer(&json, &file.display().to_string())?;
            writeln!(
                out,
                "# Imported from an AWS Price List offer file by `capacity-plan prices import`."
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
