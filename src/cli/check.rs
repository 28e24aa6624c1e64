//! `check` (budgets as a CI gate) and `diff` (what a change does to cost): load the plans,
//! judge or compare them in the library, and write the report where CI wants it.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use rust_decimal::Decimal;

use super::plan::{load, plan_text, priced};
use super::read_spec;
use super::Outcome;
use crate::check::{Budgets, CheckReport, Snapshot};
use crate::quantity::{Increase, Percent};
use crate::render::github;
use crate::render::{render_check, Format, Terminal};
use crate::workload::model::Budget;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum CheckFormat {
    /// Terminal tables.
    Table,
    /// The versioned check report (docs/check.md).
    Json,
    /// GitHub-flavoured Markdown for a PR comment or job summary.
    Markdown,
    /// GitHub Actions annotations on stdout, the Markdown appended to $GITHUB_STEP_SUMMARY.
    Github,
}

#[derive(Debug, Args)]
pub struct OutputOptions {
    /// Output format.
    #[arg(
        long = "format",
        id = "check_format",
        value_name = "FORMAT",
        value_enum,
        default_value = "table"
    )]
    pub format: CheckFormat,

    /// Write the report to FILE and the terminal tables to stdout (with `github`: the
    /// annotations to stdout and the Markdown to FILE); `-` is stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// A price file whose prices override or extend the built-in catalog.
    #[arg(long, value_name = "FILE")]
    pub prices: Option<PathBuf>,

    /// With infrastructure code as the specs (Terraform `.tf` or plan JSON, CloudFormation):
    /// each table's items and traffic, for every side compared (docs/import.md).
    #[arg(long, value_name = "FILE")]
    pub usage: Option<PathBuf>,
}

/// Workload-level budgets; each replaces the spec's top-level `budget:` value of that name.
#[derive(Debug, Args)]
pub struct BudgetFlags {
    /// Largest total monthly cost in USD.
    #[arg(long, value_name = "USD", value_parser = usd)]
    pub max_monthly: Option<Decimal>,
    /// Largest increase against the baseline: dollars (`250`, `$250`) or a share (`10%`).
    #[arg(long, value_name = "USD|PCT")]
    pub max_increase: Option<Increase>,
    /// Largest share of throttled requests per table (needs the simulator's figures).
    #[arg(long, value_name = "SHARE")]
    pub max_throttled: Option<Percent>,
    /// Smallest provisioned ÷ peak demand per table, e.g. `1.2`.
    #[arg(long, value_name = "RATIO", value_parser = ratio)]
    pub min_headroom: Option<Decimal>,
    /// Largest share of the per-key limit the hottest key may use, e.g. `80%`.
    #[arg(long, value_name = "SHARE")]
    pub max_hot_key: Option<Percent>,
}

/// A budget in USD: zero or more (a negative one would fail every plan, including a free one).
fn usd(text: &str) -> Result<Decimal, String> {
    crate::quantity::parse_non_negative(text.trim().trim_start_matches('$'), "budget")
        .map_err(|e| e.to_string())
}

/// A headroom ratio: zero or more.
fn ratio(text: &str) -> Result<Decimal, String> {
    crate::quantity::parse_non_negative(text, "headroom").map_err(|e| e.to_string())
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Workload spec (`-` reads stdin).
    pub spec: PathBuf,

    /// The spec to compare with (e.g. the base branch's), for `max_increase` and the diff.
    #[arg(long, value_name = "SPEC", conflicts_with = "baseline_json")]
    pub baseline: Option<PathBuf>,

    /// A saved plan report (`capacity-plan SPEC --format json`) to compare with.
    #[arg(long, value_name = "REPORT")]
    pub baseline_json: Option<PathBuf>,

    /// Report exceeded budgets but exit 0.
    #[arg(long)]
    pub no_fail: bool,

    /// Print nothing on stdout: the exit code is the verdict (`-o FILE` and the job summary
    /// are still written; errors still go to stderr).
    #[arg(short, long)]
    pub quiet: bool,

    #[command(flatten)]
    pub budgets: BudgetFlags,

    #[command(flatten)]
    pub output: OutputOptions,
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The plan before: a spec or a saved JSON plan report (`-` reads stdin).
    pub old: PathBuf,
    /// The plan after: a spec or a saved JSON plan report.
    pub new: PathBuf,

    /// Simulate a week of each spec's traffic and compare the throttling (done anyway for a
    /// spec that sets a `max_throttled` budget); without it a cost diff stays in milliseconds.
    #[arg(long)]
    pub simulate: bool,

    #[command(flatten)]
    pub output: OutputOptions,
}

impl BudgetFlags {
    fn limits(&self) -> Budget {
        Budget {
            monthly: self.max_monthly,
            max_increase: self.max_increase,
            max_throttled: self.max_throttled,
            min_headroom: self.min_headroom,
            max_hot_key: self.max_hot_key,
        }
    }
}

/// A saved report if the text is one (a JSON object naming its schema), else a spec to plan,
/// simulated when asked or when it sets a throttle budget.
fn snapshot(
    path: &Path,
    usage: Option<&Path>,
    prices: Option<&Path>,
    simulate: bool,
) -> anyhow::Result<Snapshot> {
    let spec = read_spec(path)?;
    let is_report = serde_json::from_str::<serde_json::Value>(&spec.text)
        .is_ok_and(|v| v.get("schema_version").is_some() || v.get("kind").is_some());
    if is_report {
        return Ok(Snapshot::from_json(&spec.text, &spec.source)?);
    }
    let planned = plan_text(&super::read_input(path, usage)?, prices, simulate)?;
    super::plan::refuse_errors(&planned.report)?;
    Ok(Snapshot::of(&planned.report))
}

pub fn check(args: &CheckArgs, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    let prices = args.output.prices.as_deref();
    let usage = args.output.usage.as_deref();
    let spec = super::read_input(&args.spec, usage)?;
    let loaded = crate::workload::load(&spec.text, &spec.source, spec.base.as_deref());
    // In CI a spec that cannot be judged is annotated at its lines, like a failed budget; a
    // spec imported from infrastructure code has no lines of its own to point at.
    let github = args.output.format == CheckFormat::Github && !args.quiet;
    let file = annotated_file(&args.spec)
        .filter(|_| github && read_spec(&args.spec).is_ok_and(|raw| raw.text == spec.text));
    if let (true, Err(err)) = (github, &loaded) {
        out.write_all(github::spec_error(err, file.as_deref()).as_bytes())?;
    }
    let workload = super::workload::reported(loaded, &spec.source)?;
    let text = workload.text.clone();
    let budgets = Budgets::new(&workload.spec, &args.budgets.limits());
    let planned = priced(workload, prices, budgets.need_throttling())?;
    if github {
        let annotations = github::spec_errors(planned.report.findings(), &text, file.as_deref());
        out.write_all(annotations.as_bytes())?;
    }
    super::plan::refuse_errors(&planned.report)?;
    let baseline = match (&args.baseline, &args.baseline_json) {
        (Some(path), _) => {
            let base = load(path, usage, prices).context("cannot plan the baseline spec")?;
            super::plan::refuse_errors(&base.report)?;
            Some(Snapshot::of(&base.report))
        }
        (None, Some(path)) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read baseline report {}", path.display()))?;
            Some(Snapshot::from_json(&text, &path.display().to_string())?)
        }
        (None, None) => None,
    };
    let result = CheckReport::check(&planned.report, &budgets, baseline.as_ref())?;
    let out = if args.quiet {
        &mut std::io::sink() as &mut dyn Write
    } else {
        out
    };
    write(&result, &args.output, &args.spec, out)?;
    Ok(if result.exceeded() && !args.no_fail {
        Outcome::OverBudget
    } else {
        Outcome::Done
    })
}

pub fn diff(args: &DiffArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let prices = args.output.prices.as_deref();
    let usage = args.output.usage.as_deref();
    let before = snapshot(&args.old, usage, prices, args.simulate)?;
    let after = snapshot(&args.new, usage, prices, args.simulate)?;
    write(
        &CheckReport::diff(&before, &after),
        &args.output,
        &args.new,
        out,
    )
}

/// The spec as annotations name it: its path, or none for stdin.
fn annotated_file(spec: &Path) -> Option<String> {
    (spec.as_os_str() != "-").then(|| spec.display().to_string())
}

/// Writes the report in the chosen format to stdout, or to `-o FILE` with the terminal tables
/// on stdout; `github` puts annotations on stdout and Markdown in the file and job summary.
fn write(
    report: &CheckReport,
    options: &OutputOptions,
    spec: &Path,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let terminal = super::display().stdout;
    let file_format = match options.format {
        CheckFormat::Table => Format::Table,
        CheckFormat::Json => Format::Json,
        CheckFormat::Markdown | CheckFormat::Github => Format::Markdown,
    };
    let output = options.output.as_ref().filter(|p| p.as_os_str() != "-");
    if let Some(path) = output {
        // The file is read later, not on this terminal.
        let write_file = || -> std::io::Result<()> {
            let mut file = std::io::BufWriter::new(std::fs::File::create(path)?);
            render_check(report, file_format, &Terminal::default(), &mut file)?;
            file.flush()
        };
        write_file().with_context(|| format!("cannot write the report to {}", path.display()))?;
    }
    match (options.format, output) {
        (CheckFormat::Github, _) => {
            out.write_all(github::annotations(report, annotated_file(spec).as_deref()).as_bytes())?
        }
        (CheckFormat::Table, _) | (_, Some(_)) => {
            render_check(report, Format::Table, &terminal, out)?
        }
        (_, None) => render_check(report, file_format, &terminal, out)?,
    }
    if options.format == CheckFormat::Github {
        if let Some(summary) = std::env::var_os("GITHUB_STEP_SUMMARY") {
            let mut markdown = Vec::new();
            render_check(report, Format::Markdown, &terminal, &mut markdown)?;
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&summary)
                .context("cannot append to $GITHUB_STEP_SUMMARY")?;
            file.write_all(&markdown)
                .context("cannot append to $GITHUB_STEP_SUMMARY")?;
        }
    }
    Ok(())
}
