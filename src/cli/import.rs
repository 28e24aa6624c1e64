//! `capacity-plan import FILE...`: describe-table outputs, `terraform show -json` plans and
//! CloudFormation / SAM templates → one commented workload spec (docs/import.md). The spec is
//! loaded and validated before it is written, so what import writes `plan`s.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use crate::import::{self, cloudformation};

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Files describing the tables: `aws dynamodb describe-table` JSON (with
    /// describe-continuous-backups, describe-time-to-live, describe-table-replica-auto-scaling,
    /// describe-global-table, application-autoscaling describe-scaling-policies /
    /// describe-scalable-targets beside it), `terraform show -json` output, Terraform `.tf`
    /// files with literal values, a CloudFormation / SAM template (YAML or JSON), or a NoSQL
    /// Workbench data model.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The spec's Region; defaults to the Region of the table ARN or the Terraform provider.
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,

    /// Name the imported table this (one table only), e.g. for a describe output whose name was
    /// redacted.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// A CloudFormation parameter's value, for `Ref`, `Fn::Sub` and conditions (repeatable).
    #[arg(long = "parameter", value_name = "NAME=VALUE", value_parser = parameter)]
    pub parameters: Vec<(String, String)>,

    /// A usage file: each table's items and traffic (spec fields, or Infracost's usage keys),
    /// keyed by table name or Terraform address (docs/import.md).
    #[arg(long, value_name = "FILE")]
    pub usage: Option<PathBuf>,

    /// Where to write the spec; `-` or nothing prints it.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Overwrite the output file if it exists.
    #[arg(long)]
    pub force: bool,
}

pub(super) fn parameter(text: &str) -> Result<(String, String), String> {
    text.split_once('=')
        .filter(|(k, _)| !k.is_empty())
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .ok_or_else(|| format!("`{text}` is not NAME=VALUE"))
}

/// An input file's text (a description, a usage file, a Cost and Usage Report extract), refused
/// over the size the YAML loader takes before it is read.
pub(super) fn read(path: &Path) -> anyhow::Result<String> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > crate::yaml::MAX_INPUT_BYTES as u64 {
        anyhow::bail!(
            "{}: the file is {size} bytes; input files are read up to {} MiB",
            path.display(),
            crate::yaml::MAX_INPUT_BYTES >> 20
        );
    }
    std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} (is it UTF-8 text?)", path.display()))
}

/// A `--cur` report's billed lines: Parquet (by its first bytes or extension) or CSV.
pub(super) fn read_cur(path: &Path) -> anyhow::Result<Vec<crate::import::cur::BilledLine>> {
    let source = path.display().to_string();
    Ok(if crate::parquet::is_parquet(path) {
        crate::import::cur::read_parquet(path, &source)?
    } else {
        crate::import::cur::read(&read(path)?, &source)?
    })
}

pub fn run(args: ImportArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let text = imported_spec(&args)?;
    let checked = super::load_spec_text(&crate::workload::SpecText {
        text: text.clone(),
        source: "the imported spec".into(),
        base: usage_dir(args.usage.as_deref()),
    })
    .and_then(|w| {
        let findings = crate::demand::workload_findings(&w);
        crate::demand::refuse_errors(&w.source, &findings)
    });
    checked
        .context("the imported spec does not validate; fix the input or pass --name / --region")?;
    super::workload::write_spec(args.output.as_deref(), args.force, &text, out)
}

/// Reads what a command plans: a workload spec, or infrastructure code (Terraform, a plan
/// JSON, CloudFormation, describe-table output) imported with the usage file beside it.
pub fn read_input(path: &Path, usage: Option<&Path>) -> anyhow::Result<crate::workload::SpecText> {
    let spec = super::read_spec(path)?;
    if path.as_os_str() != "-" && (usage.is_some() || is_infrastructure(path, &spec.text)) {
        return infrastructure_spec(path, usage);
    }
    Ok(spec)
}

/// Loads what a command plans, like [`load_spec`]: a spec, or IaC with its usage file.
pub fn load_input(path: &Path, usage: Option<&Path>) -> anyhow::Result<crate::workload::Workload> {
    super::load_spec_text(&read_input(path, usage)?)
}

/// Whether `path` (with its `text`) is infrastructure code rather than a workload spec:
/// Terraform HCL, a Terraform plan, a CloudFormation template or a describe-table output.
fn is_infrastructure(path: &Path, text: &str) -> bool {
    if path.extension().is_some_and(|e| e == "tf") {
        return true;
    }
    let json = serde_json::from_str::<serde_json::Value>(text).ok();
    if let Some(v) = json.as_ref().filter(|v| v.is_object()) {
        let keys = [
            "planned_values",
            "values",
            "Resources",
            "Table",
            "TableDescription",
        ];
        return keys.iter().any(|k| v.get(k).is_some());
    }
    text.lines().any(|l| l.starts_with("Resources:"))
}

/// An IaC file planned with a usage file: the spec `import` would write, as the text a
/// command loads under the file's own name.
fn infrastructure_spec(
    path: &Path,
    usage: Option<&Path>,
) -> anyhow::Result<crate::workload::SpecText> {
    let args = ImportArgs {
        files: vec![path.to_path_buf()],
        region: None,
        name: None,
        parameters: Vec::new(),
        usage: usage.map(Path::to_path_buf),
        output: None,
        force: false,
    };
    Ok(crate::workload::SpecText {
        text: imported_spec(&args)?,
        source: path.display().to_string(),
        base: usage_dir(usage),
    })
}

/// Where the paths a usage file gives (`traffic.metrics`, `items.sample`) start: its folder.
fn usage_dir(usage: Option<&Path>) -> Option<std::path::PathBuf> {
    usage.and_then(Path::parent).map(Path::to_path_buf)
}

/// The tables `files` describe, read and put together, each in `region` when it is given;
/// settings for a table no file defines are warned of on stderr.
pub(super) fn describe(
    files: &[PathBuf],
    region: Option<&str>,
    parameters: &[(String, String)],
) -> anyhow::Result<import::Assembled> {
    let context = context(region, parameters);
    let parts = files
        .iter()
        .map(|path| parts(path, &context))
        .collect::<anyhow::Result<_>>()?;
    let assembled = import::assemble(parts)?;
    warn_skipped(&assembled.skipped)?;
    Ok(assembled)
}

/// What CloudFormation's intrinsics see: `--parameter` values and `--region`.
pub(super) fn context(
    region: Option<&str>,
    parameters: &[(String, String)],
) -> cloudformation::Context {
    cloudformation::Context {
        parameters: parameters.iter().cloned().collect(),
        region: region.map(str::to_string),
    }
}

/// One file's parts, with its source; its tables are in the context's Region when it is given.
pub(super) fn parts(
    path: &Path,
    context: &cloudformation::Context,
) -> anyhow::Result<(String, Vec<import::Part>)> {
    let source = path.display().to_string();
    let text = read(path)?;
    let mut file_parts = import::parse(&text, &source, context)?;
    if let Some(region) = &context.region {
        for part in &mut file_parts {
            if let import::Part::Table(t) = part {
                t.region = Some(region.clone());
            }
        }
    }
    Ok((source, file_parts))
}

/// Warns on stderr of each setting whose table none of the files defines.
pub(super) fn warn_skipped(skipped: &[import::Skipped]) -> anyhow::Result<()> {
    let mut stderr = std::io::stderr().lock();
    for s in skipped {
        writeln!(
            stderr,
            "warning: {}: skipped settings for table `{}`, which none of the files defines",
            s.source, s.table
        )?;
    }
    Ok(())
}

/// The spec text the import arguments describe; warnings go to stderr.
fn imported_spec(args: &ImportArgs) -> anyhow::Result<String> {
    let mut assembled = describe(&args.files, args.region.as_deref(), &args.parameters)?;
    if let Some(name) = &args.name {
        let [table] = &mut assembled.tables[..] else {
            return Err(super::UsageError(format!(
                "--name names one table and the files define {}",
                assembled.tables.len()
            ))
            .into());
        };
        table.name = name.clone();
    }
    let usage = args
        .usage
        .as_ref()
        .map(|path| -> anyhow::Result<_> {
            Ok(import::usage::Usage::parse(
                &read(path)?,
                &path.display().to_string(),
            )?)
        })
        .transpose()?;
    let region = args
        .region
        .clone()
        .or_else(|| usage.as_ref().and_then(|u| u.region.clone()))
        .or_else(|| assembled.tables.iter().find_map(|t| t.region.clone()))
        .ok_or_else(|| {
            super::UsageError(
                "the files do not say the tables' Region; pass --region, or set `region:` in the usage file"
                    .into(),
            )
        })?;
    let mut stderr = std::io::stderr().lock();
    let mut usages = Vec::new();
    if let (Some(path), Some(usage)) = (&args.usage, &usage) {
        for table in &assembled.tables {
            let found = usage.of(table)?;
            if let Some(u) = found.as_ref().filter(|u| !u.unread.is_empty()) {
                writeln!(
                    stderr,
                    "warning: {}: {}: {} not read; capacity-plan derives them from the spec (docs/import.md)",
                    path.display(),
                    table.name,
                    u.unread.join(", ")
                )?;
            }
            usages.push(found);
        }
    }
    let mut sources: Vec<String> = args.files.iter().map(|p| p.display().to_string()).collect();
    sources.extend(args.usage.iter().map(|p| p.display().to_string()));
    Ok(crate::render::import::spec(
        &assembled.tables,
        &usages,
        &assembled.dax,
        &region,
        &sources,
    ))
}
