//! `capacity-plan simulate SPEC`: load the spec and optional CloudWatch metrics, simulate every
//! table under each capacity model, render the result; `--chart` writes an SVG.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};

use crate::demand::workload_demand;
use crate::metrics;
use crate::sim::{self, SimOptions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SimFormat {
    /// Terminal tables with sparklines.
    Table,
    /// One deterministic JSON document (docs/simulate.md).
    Json,
}

#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Workload spec (`-` reads stdin).
    pub spec: PathBuf,

    /// Replay CloudWatch per-minute metrics (console CSV or get-metric-data JSON) instead of
    /// generating traffic from the spec.
    #[arg(long, value_name = "FILE")]
    pub traffic: Option<PathBuf>,

    /// With --traffic of 5-minute or 1-hour datapoints: the peak ÷ mean to assume inside each
    /// period, put in its first minute (1, the default, spreads it evenly; at most the period's
    /// minutes). Totals are kept either way.
    #[arg(long, value_name = "X")]
    pub period_peak_to_mean: Option<f64>,

    /// Days to simulate (default 7 for generated traffic, the whole file when replaying).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=366))]
    pub days: Option<u64>,

    /// Seed of the traffic noise; the same spec and seed give the same result.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Output format.
    #[arg(
        long = "format",
        id = "sim_format",
        value_name = "FORMAT",
        value_enum,
        default_value = "table"
    )]
    pub format: SimFormat,

    /// Include the per-minute series of every lane in the JSON.
    #[arg(long)]
    pub series: bool,

    /// Write an SVG chart of demand, capacity and throttles to this file.
    #[arg(long, value_name = "FILE")]
    pub chart: Option<PathBuf>,

    /// Also try autoscaling targets 50–90% with minimums of 0.5–3× each lane's mean demand (and
    /// the spec's own) for the cheapest policy within the throttling budget.
    #[arg(long)]
    pub search: bool,

    /// Simulate only this capacity model (repeatable; all three by default).
    #[arg(long = "model", value_enum, value_name = "MODEL")]
    pub models: Vec<sim::Model>,

    /// Start every table as a new one (or one just switched to the model): no burst credit,
    /// autoscaling from mean ÷ target, on-demand from its warm throughput. By default an
    /// existing table starts in the state its traffic before the run left it.
    #[arg(long)]
    pub cold: bool,

    /// Simulate only this table (repeatable).
    #[arg(long = "table", value_name = "NAME")]
    pub tables: Vec<String>,

    /// A price file whose prices override or extend the built-in catalog.
    #[arg(long, value_name = "FILE")]
    pub prices: Option<PathBuf>,
}

fn read_metrics(
    path: &std::path::Path,
    options: &metrics::MetricsOptions,
) -> anyhow::Result<metrics::MetricSeries> {
    let name = path.display().to_string();
    Ok(metrics::read(path, &name, options).map_err(metrics::MetricsError::from)?)
}

pub fn run(args: SimulateArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let workload = super::load_spec(&args.spec.to_string_lossy())?;
    let (spec, source) = (&workload.spec, &workload.source);
    for name in &args.tables {
        if !spec.tables.iter().any(|t| &t.value.name == name) {
            return Err(
                super::UsageError(format!("--table {name}: the spec has no such table")).into(),
            );
        }
    }
    let selected = spec
        .tables
        .iter()
        .filter(|t| args.tables.is_empty() || args.tables.contains(&t.value.name))
        .count();
    if args.traffic.is_some() && selected != 1 {
        return Err(super::UsageError(format!(
            "--traffic replays one table's metrics and {selected} tables are selected; name one with --table"
        ))
        .into());
    }
    // The table replayed chooses its rows in a file of several tables' metrics.
    let chosen = spec
        .tables
        .iter()
        .position(|t| args.tables.is_empty() || args.tables.contains(&t.value.name));
    let options = metrics::MetricsOptions {
        table: chosen.map(|i| spec.tables[i].value.name.clone()),
        default_table: None,
        period_peak_to_mean: args.period_peak_to_mean,
    };
    if args.period_peak_to_mean.is_some() && args.traffic.is_none() {
        return Err(
            super::UsageError("--period-peak-to-mean applies to --traffic replays".into()).into(),
        );
    }
    let series = args
        .traffic
        .as_deref()
        .map(|p| read_metrics(p, &options))
        .transpose()?;
    let catalog = super::prices::load_catalog(args.prices.as_deref())?;
    catalog.check_region(&spec.region.value)?;
    let demands = workload_demand(&workload);
    let options = SimOptions {
        days: args.days,
        seed: args.seed,
        series: args.series || args.chart.is_some(),
        search: args.search,
        tables: args.tables.clone(),
        models: args.models.clone(),
        cold: args.cold,
    };
    // --traffic replaces the chosen table's own metrics, if it has any.
    let traffic_name = args.traffic.as_ref().map(|p| p.display().to_string());
    let mut metrics = workload.measured();
    if let (Some(series), Some(name), Some(at)) = (series.as_ref(), traffic_name.as_deref(), chosen)
    {
        metrics[at] = Some((series, name));
    }
    let seconds = sim::run_seconds(spec, &metrics, &options)?;
    let runs = sim::run_count(spec, &demands, &options);
    // Only a person watching a terminal wants a bar; a log or a pipe gets none.
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(seconds * runs)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("simulating {bar:30} {percent}% {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let report = sim::simulate(
        spec,
        source,
        &demands,
        &catalog,
        &metrics,
        &options,
        &|seconds| bar.inc(seconds),
    );
    bar.finish_and_clear();
    let mut report = report?;
    if let Some(path) = &args.chart {
        std::fs::write(path, crate::render::chart::svg(&report))
            .with_context(|| format!("cannot write chart {}", path.display()))?;
    }
    if !args.series {
        report.drop_series();
    }
    match args.format {
        SimFormat::Table => out.write_all(
            crate::render::simulate::render(&report, &super::display().stdout).as_bytes(),
        )?,
        SimFormat::Json => crate::render::json::write(out, &report)?,
    }
    Ok(())
}
