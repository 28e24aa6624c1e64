//! `capacity-plan fleet FILE... --metrics DIR`: every table the files describe, planned and
//! simulated from its own CloudWatch export, in parallel, into one fleet report
//! (docs/fleet.md). `--shard K/N` plans a share of the tables; `--merge` joins shard reports.

use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::capacity::CapacityMode;
use crate::fleet::{self, Failure, FleetReport, TableKey, TableRow};
use crate::import::{At, Billing, Part, Placed, Placement, Placer, TableDescription};
use crate::metrics::{LakeTable, MetricsError};
use crate::pricing::Catalog;
use crate::workload::model::CapacityChoice;
use crate::workload::Workload;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FleetFormat {
    /// Terminal tables.
    Table,
    /// The versioned fleet report (docs/fleet.md); what `--merge` reads.
    Json,
    /// One row per table, for spreadsheets.
    Csv,
    /// GitHub-flavoured Markdown.
    Markdown,
}

#[derive(Debug, Args)]
pub struct FleetArgs {
    /// Files describing the tables, as `import` reads them (describe-table JSON with its
    /// companions, `terraform show -json`, Terraform `.tf`, CloudFormation / SAM), or
    /// directories of them; with `--merge`, the shard reports to merge.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The tables' CloudWatch consumed-capacity exports: a directory holding `TABLE.csv` or
    /// `TABLE.json` for each table, one file with a table column for them all, or a Parquet
    /// metrics lake (account, region, table, metric, statistic, period, timestamp, value).
    #[arg(long, value_name = "PATH", required_unless_present = "merge")]
    pub metrics: Option<PathBuf>,

    /// The Region of tables whose files do not say it (IaC without a provider Region).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// The account ID of tables whose files do not say it (IaC has no ARN).
    #[arg(long, value_name = "ID")]
    pub account: Option<String>,

    /// A CloudFormation parameter's value (repeatable).
    #[arg(long = "parameter", value_name = "NAME=VALUE", value_parser = super::import::parameter)]
    pub parameters: Vec<(String, String)>,

    /// A Cost and Usage Report (CSV or Parquet, docs/reconcile.md) of one month: each table's plan
    /// at today's settings is set beside what it was billed.
    #[arg(long, value_name = "FILE")]
    pub cur: Option<PathBuf>,

    /// Plan only shard K of N (1-based): a share of the tables that is the same on every
    /// machine, for spreading a fleet over a CI matrix or batch jobs; `--merge` joins them.
    #[arg(long, value_name = "K/N", value_parser = shard)]
    pub shard: Option<[u32; 2]>,

    /// Merge the shard reports given as FILE (JSON from `--format json`) into one.
    #[arg(long, conflicts_with_all = ["metrics", "shard", "cur"])]
    pub merge: bool,

    #[arg(long, value_enum, default_value = "table")]
    pub format: FleetFormat,
}

fn shard(text: &str) -> Result<[u32; 2], String> {
    let parsed = text
        .split_once('/')
        .and_then(|(k, n)| Some([k.trim().parse().ok()?, n.trim().parse().ok()?]));
    match parsed {
        Some([k, n]) if (1..=n).contains(&k) => Ok([k, n]),
        _ => Err(format!(
            "`{text}` is not K/N with 1 ≤ K ≤ N, e.g. `--shard 2/8`"
        )),
    }
}

pub fn run(args: FleetArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let report = if args.merge {
        merge(&args.files)?
    } else {
        plan(&args)?
    };
    write(&report, args.format, out)?;
    if report.failed.is_empty() {
        return Ok(());
    }
    let names: Vec<String> = report
        .failed
        .iter()
        .map(|f| format!("{} ({})", f.key.table, f.source))
        .collect();
    anyhow::bail!(
        "{} of {} tables could not be planned: {}; each one's reason is in the report",
        report.failed.len(),
        report.failed.len() + report.tables.len(),
        names.join(", ")
    )
}

fn write(report: &FleetReport, format: FleetFormat, out: &mut dyn Write) -> anyhow::Result<()> {
    let terminal = super::display().stdout;
    match format {
        FleetFormat::Json => crate::render::json::write(out, report)?,
        FleetFormat::Csv => out.write_all(crate::render::fleet::csv(report).as_bytes())?,
        FleetFormat::Markdown => {
            out.write_all(crate::render::fleet::markdown(report).as_bytes())?
        }
        FleetFormat::Table => {
            out.write_all(crate::render::fleet::terminal(report, terminal).as_bytes())?
        }
    }
    Ok(())
}

fn merge(files: &[PathBuf]) -> anyhow::Result<FleetReport> {
    let shards = files
        .iter()
        .map(|path| -> anyhow::Result<_> {
            let name = path.display().to_string();
            let text = std::fs::read_to_string(path)
                .map_err(|e| anyhow::anyhow!("{name}: cannot be read: {e}"))?;
            let report: FleetReport = serde_json::from_str(&text).map_err(|e| {
                anyhow::anyhow!(
                    "{name}:{}:{}: not a fleet report: {e}",
                    e.line(),
                    e.column()
                )
            })?;
            Ok((name, report))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(fleet::merge(shards)?)
}

/// Every description file: the files given, and the files directly inside directories given,
/// in name order.
fn description_files(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| anyhow::anyhow!("{}: cannot be listed: {e}", path.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file())
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

fn plan(args: &FleetArgs) -> anyhow::Result<FleetReport> {
    let files = description_files(&args.files)?;
    let context = super::import::context(args.region.as_deref(), &args.parameters);
    let (placement, mut kept) = place(&files, &context)?;
    let metrics = args
        .metrics
        .as_deref()
        .expect("clap requires --metrics without --merge");
    let billed = match &args.cur {
        Some(path) => super::import::read_cur(path)?,
        None => Vec::new(),
    };
    let catalog = Catalog::builtin()?;
    let mut failed = Vec::new();
    let mut tables = Vec::new();
    for placed in placement.tables {
        let outline = &placed.outline;
        let key = TableKey {
            account: outline
                .account
                .clone()
                .or_else(|| args.account.clone())
                .unwrap_or_else(|| "-".into()),
            region: outline.region.clone().unwrap_or_default(),
            table: outline.name.clone(),
        };
        // Selected first, so a table that fails is reported by one shard only.
        if args.shard.is_some_and(|[k, n]| !key.in_shard(k, n)) {
            continue;
        }
        let source = files[placed.at.file].display().to_string();
        if key.region.is_empty() {
            failed.push(Failure {
                key,
                source,
                error: "the files do not say the table's Region; pass --region".into(),
            });
            continue;
        }
        let held = std::iter::once(placed.at)
            .chain(placed.extras.iter().copied())
            .filter_map(|at| Some((at, kept.get_mut(&at.file)?[at.part].take()?)))
            .collect();
        tables.push(Job {
            key,
            source,
            placed,
            held,
        });
    }
    drop(kept);
    // After the shard's selection: a lake keeps only the rows of the tables planned here.
    let shared = shared_export(metrics, tables.iter().map(|job| &job.key))?;
    let bar = if std::io::stderr().is_terminal() {
        ProgressBar::new(tables.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("planning {bar:30} {pos}/{len} tables {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // Each table reads its description and its own metrics inside its task, so memory holds
    // only the tables in flight, whatever the fleet's size.
    let results: Vec<Result<TableRow, Failure>> = tables
        .into_par_iter()
        .map(|mut job| {
            let inputs = Inputs {
                metrics,
                shared: shared.as_ref(),
                billed: &billed,
                catalog: &catalog,
            };
            let row = job
                .describe(&files, &context)
                .and_then(|table| plan_table(&job.key, &table, &inputs))
                .map_err(|e| Failure {
                    key: job.key.clone(),
                    source: job.source.clone(),
                    error: format!("{e:#}"),
                });
            bar.inc(1);
            row
        })
        .collect();
    bar.finish_and_clear();
    let mut rows = Vec::new();
    for result in results {
        match result {
            Ok(row) => rows.push(row),
            Err(failure) => failed.push(failure),
        }
    }
    Ok(fleet::report(rows, failed, args.shard))
}

/// Every description file read and parsed up front, so a bad file stops the run, keeping only
/// the outline of each table defined; then the files holding settings (a scaling file names
/// its tables inside) read again to place each on its table. A table's parts are read once
/// more in its own task. Parts are kept instead from a file that concerns several tables (a
/// Terraform plan, one scaling file for the fleet), which each of their tasks would parse
/// again whole, or that cannot be read twice (a pipe).
fn place(
    files: &[PathBuf],
    context: &crate::import::cloudformation::Context,
) -> anyhow::Result<(Placement, Kept)> {
    let mut tables = Vec::new();
    let mut settings = Vec::new();
    let mut kept = Kept::new();
    for (file, path) in files.iter().enumerate() {
        let (_, parts) = super::import::parts(path, context)?;
        tables.extend(Placed::defined(file, &parts));
        if parts.iter().any(|p| matches!(p, Part::Extra { .. })) {
            settings.push(file);
        }
        let regular = std::fs::metadata(path).is_ok_and(|m| m.is_file());
        if !regular || !one_table(&parts) {
            kept.insert(file, parts.into_iter().map(Some).collect());
        }
    }
    let mut placer = Placer::new(tables)?;
    for file in settings {
        let source = files[file].display().to_string();
        let read;
        let parts: Vec<&Part> = match kept.get(&file) {
            Some(parts) => parts.iter().flatten().collect(),
            None => {
                read = super::import::parts(&files[file], context)?.1;
                read.iter().collect()
            }
        };
        for (part, extra) in parts.into_iter().enumerate() {
            placer.extra(At { file, part }, &source, extra)?;
        }
    }
    let placement = placer.finish();
    super::import::warn_skipped(&placement.skipped)?;
    Ok((placement, kept))
}

/// The parts kept whole, by file: each taken by the task of the table it goes to.
type Kept = HashMap<usize, Vec<Option<Part>>>;

/// Whether a file's parts concern one table at most: one definition and settings naming it,
/// or settings naming one table.
fn one_table(parts: &[Part]) -> bool {
    let mut defined = parts.iter().filter_map(|p| match p {
        Part::Table(t) => Some(t),
        _ => None,
    });
    let table = defined.next();
    if defined.next().is_some() {
        return false;
    }
    let mut named = parts.iter().filter_map(|p| match p {
        Part::Extra { table: Some(n), .. } => Some(n.as_str()),
        _ => None,
    });
    match table {
        Some(t) => named.all(|n| n == t.name || t.address.as_deref() == Some(n)),
        None => {
            let first = named.next();
            named.all(|n| Some(n) == first)
        }
    }
}

/// A table to plan: its key, the file defining it, where its parts are and those kept.
struct Job {
    key: TableKey,
    source: String,
    placed: Placed,
    held: Vec<(At, Part)>,
}

impl Job {
    /// The table's description, its parts taken from those kept or read again from their
    /// files (each file parsed once).
    fn describe(
        &mut self,
        files: &[PathBuf],
        context: &crate::import::cloudformation::Context,
    ) -> anyhow::Result<TableDescription> {
        let mut held = std::mem::take(&mut self.held);
        let mut read: Vec<(usize, String, Vec<Option<Part>>)> = Vec::new();
        let mut part = |at: At| -> anyhow::Result<Option<(Part, String)>> {
            if let Some(i) = held.iter().position(|(h, _)| *h == at) {
                let source = files[at.file].display().to_string();
                return Ok(Some((held.swap_remove(i).1, source)));
            }
            let i = match read.iter().position(|(file, ..)| *file == at.file) {
                Some(i) => i,
                None => {
                    let (source, parts) = super::import::parts(&files[at.file], context)?;
                    read.push((at.file, source, parts.into_iter().map(Some).collect()));
                    read.len() - 1
                }
            };
            let (_, source, parts) = &mut read[i];
            let found = parts.get_mut(at.part).and_then(Option::take);
            Ok(found.map(|part| (part, source.clone())))
        };
        self.placed.build(&mut part)
    }
}

/// Every table's series of a `--metrics` file (not a directory), read once: a CSV or JSON
/// export by table name (bounded by the metrics file size limit), a Parquet lake by account,
/// Region and table, holding only the tables planned.
enum Shared {
    ByName(BTreeMap<String, SeriesResult>),
    ByKey(BTreeMap<LakeTable, SeriesResult>),
}

type SeriesResult = Result<crate::metrics::MetricSeries, crate::metrics::MetricsError>;

fn lake_key(key: &TableKey) -> LakeTable {
    LakeTable {
        account: key.account.clone(),
        region: key.region.clone(),
        table: key.table.clone(),
    }
}

impl Shared {
    /// The table's series, or why the export has none.
    fn get(&self, metrics: &Path, key: &TableKey) -> anyhow::Result<&SeriesResult> {
        let found = match self {
            Shared::ByName(tables) => tables.get(&key.table),
            Shared::ByKey(tables) => tables.get(&lake_key(key)),
        };
        found.ok_or_else(|| match self {
            Shared::ByName(tables) => anyhow::anyhow!(
                "{} has no metrics for the table (it has {} other tables'); export its ConsumedRead/WriteCapacityUnits with its name in the `Table Name` column",
                metrics.display(),
                tables.len()
            ),
            Shared::ByKey(_) => anyhow::anyhow!(
                "{} has no Sum of ConsumedRead/WriteCapacityUnits for the table in account {}, Region {}; add its rows, with those in the `account` and `region` columns",
                metrics.display(),
                key.account,
                key.region
            ),
        })
    }
}

fn shared_export<'a>(
    metrics: &Path,
    keys: impl Iterator<Item = &'a TableKey>,
) -> anyhow::Result<Option<Shared>> {
    if metrics.is_dir() {
        return Ok(None);
    }
    let source = metrics.display().to_string();
    if crate::parquet::is_parquet(metrics) {
        // By name first: a row of a table not planned is passed over at one lookup.
        let mut planned: BTreeMap<&str, Vec<(&str, &str)>> = BTreeMap::new();
        for key in keys {
            planned
                .entry(&key.table)
                .or_default()
                .push((&key.account, &key.region));
        }
        let keep = |account: &str, region: &str, table: &str| {
            planned
                .get(table)
                .is_some_and(|places| places.contains(&(account, region)))
        };
        let series = crate::metrics::parse_lake(metrics, &source, &keep)?;
        return Ok(Some(Shared::ByKey(series.into_iter().collect())));
    }
    let tables = crate::metrics::read_tables(metrics, &source).map_err(MetricsError::from)?;
    Ok(Some(Shared::ByName(tables.into_iter().collect())))
}

/// The metrics file of a table: in a directory `ACCOUNT/REGION/TABLE`, `REGION/TABLE` or
/// `TABLE`, first found, each `.csv` or `.json` (the longer paths tell apart tables of one name
/// in several accounts or Regions); else the one file given.
fn metrics_file(metrics: &Path, key: &TableKey) -> anyhow::Result<PathBuf> {
    if !metrics.is_dir() {
        return Ok(metrics.to_path_buf());
    }
    let TableKey {
        account,
        region,
        table,
    } = key;
    let folders = [
        metrics.join(account).join(region),
        metrics.join(region),
        metrics.into(),
    ];
    folders
        .iter()
        .flat_map(|folder| ["csv", "json"].map(|ext| folder.join(format!("{table}.{ext}"))))
        .find(|p| p.is_file())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "no metrics for the table: {} holds neither {table}.csv nor {table}.json (nor under {region}/ or {account}/{region}/); export its ConsumedRead/WriteCapacityUnits there",
                metrics.display()
            )
        })
}

/// The mode a table runs today, as its description states it.
fn current_mode(table: &TableDescription) -> CapacityMode {
    match table.billing {
        Billing::OnDemand => CapacityMode::OnDemand,
        Billing::Provisioned(_) if table.autoscaled() => CapacityMode::Autoscaling,
        Billing::Provisioned(_) => CapacityMode::Provisioned,
    }
}

/// What every table is planned against.
struct Inputs<'a> {
    metrics: &'a Path,
    shared: Option<&'a Shared>,
    billed: &'a [crate::import::cur::BilledLine],
    catalog: &'a Catalog,
}

/// One table: its imported spec replaying its metrics, planned and simulated at its own
/// settings and, with every mode sized to the demand, compared.
fn plan_table(
    key: &TableKey,
    table: &TableDescription,
    inputs: &Inputs,
) -> anyhow::Result<TableRow> {
    let Inputs {
        metrics,
        shared,
        billed,
        catalog,
    } = *inputs;
    let file = metrics_file(metrics, key)?;
    let series = shared.map(|s| s.get(metrics, key)).transpose()?;
    let mut usage = crate::import::usage::TableUsage::default();
    usage.fields.insert(
        "traffic".into(),
        serde_json::json!({ "metrics": file.display().to_string(), "table": table.name }),
    );
    let text = crate::render::import::spec(
        std::slice::from_ref(table),
        &[Some(usage)],
        &[],
        &key.region,
        std::slice::from_ref(&table.source),
    );
    let source = format!("{} (table {})", table.source, table.name);
    let supplied = |_: &str| series.cloned();
    let workload = crate::workload::load_with(&text, &source, None, &supplied)?;
    let mode = current_mode(table);
    let compare = compared(&workload);
    let (compare_plan, compare_sim) = crate::plan::plan_simulated(&compare, catalog)?;
    // Fixed provisioned units are today's setting, not the demand's: priced and replayed on
    // their own. The other modes' settings (autoscaling policy, on-demand maximum) are kept
    // in the comparison, which so prices today's mode too.
    let current = match mode {
        CapacityMode::Provisioned => Some(crate::plan::plan_simulated(&workload, catalog)?),
        _ => None,
    };
    let (current_plan, current_sim) = current
        .as_ref()
        .map_or((&compare_plan, &compare_sim), |(p, s)| (p, s));
    let mut row = fleet::row(
        key.clone(),
        (mode, table.table_class),
        &current_plan.costs[0],
        current_sim.tables.first(),
        &compare_plan.costs[0],
    );
    fleet::add_findings(
        &mut row,
        current_plan.tables[0].diagnostics.iter().map(|d| d.code),
    );
    // Billed lines of this table in its Region: a name can recur in another Region.
    let own: Vec<_> = billed
        .iter()
        .filter(|b| b.table == table.name && b.region == key.region)
        .cloned()
        .collect();
    row.billed = crate::check::reconcile(current_plan, |_| Some(mode), &own)
        .first()
        .map(fleet::Billed::of);
    Ok(row)
}

/// The workload with every mode compared at capacity sized to the demand: fixed provisioned
/// units removed, the rest of the table's settings kept.
fn compared(workload: &Workload) -> Workload {
    let mut compare = workload.clone();
    for table in &mut compare.spec.tables {
        let table = &mut table.value;
        table.capacity = CapacityChoice::Compare;
        table.provisioned = None;
        for index in &mut table.indexes {
            index.value.provisioned = None;
        }
    }
    compare
}
