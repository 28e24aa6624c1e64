//! `capacity-plan validate | init | schema`: check a spec without pricing it, write an
//! annotated starter spec, print the spec's JSON Schema.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use crate::workload::{self, SpecError, SpecText, Workload};

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The workload spec (YAML), or `-` for standard input.
    pub spec: String,

    /// Output format: findings rendered on stderr, or every finding as JSON on stdout.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ValidateFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ValidateFormat {
    /// Each finding rendered against the spec on stderr, and a one-line summary.
    Text,
    /// `{"spec": ..., "diagnostics": [...]}`, the findings as `plan --format json` has them.
    Json,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the starter spec; `-` or nothing prints it.
    pub file: Option<PathBuf>,

    /// Overwrite FILE if it exists.
    #[arg(long)]
    pub force: bool,
}

/// Loads a spec for a command: on failure every diagnostic goes to stderr and the returned
/// error is a one-line summary (exit 1). Warnings stay in the workload for the command.
pub fn load_spec(path: &str) -> anyhow::Result<Workload> {
    reported(workload::load_path(path), path)
}

/// Reads a spec file (or stdin for `-`) without parsing it yet.
pub fn read_spec(path: &Path) -> anyhow::Result<SpecText> {
    workload::read_path(&path.to_string_lossy()).map_err(|err| anyhow::anyhow!("{err}"))
}

/// Loads a spec already read, like [`load_spec`].
pub fn load_spec_text(spec: &SpecText) -> anyhow::Result<Workload> {
    reported(
        workload::load(&spec.text, &spec.source, spec.base.as_deref()),
        &spec.source,
    )
}

fn reported(result: Result<Workload, SpecError>, name: &str) -> anyhow::Result<Workload> {
    match result {
        Ok(workload) => Ok(workload),
        Err(SpecError::Read(message)) => Err(anyhow::anyhow!(message)),
        Err(SpecError::Invalid {
            source,
            text,
            diagnostics,
        }) => {
            let shown = crate::render::diagnostic::invalid_spec(&source, &text, &diagnostics);
            writeln!(std::io::stderr().lock(), "{shown}")?;
            Err(anyhow::anyhow!("`{name}` is not a valid workload spec"))
        }
        Err(err) => {
            writeln!(std::io::stderr().lock(), "{err}")?;
            Err(anyhow::anyhow!("`{name}` is not a valid workload spec"))
        }
    }
}

/// Shows every finding `plan` would report for the spec (spec and demand findings alike) and
/// fails on the same errors `plan` fails on.
pub fn validate(args: ValidateArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let workload = load_spec(&args.spec)?;
    let findings = crate::demand::workload_findings(&workload);
    if args.format == ValidateFormat::Json {
        let json = serde_json::json!({ "spec": workload.source, "diagnostics": findings });
        writeln!(out, "{}", serde_json::to_string_pretty(&json)?)?;
        return crate::demand::refuse_errors(&workload.source, &findings);
    }
    let mut stderr = std::io::stderr().lock();
    for finding in &findings {
        writeln!(
            stderr,
            "{}",
            crate::render::diagnostic::diagnostic(finding, &workload.source, &workload.text)
        )?;
    }
    crate::demand::refuse_errors(&workload.source, &findings)?;
    let warnings = findings.len();
    writeln!(
        out,
        "ok: {} ({} table{}, {warnings} warning{})",
        workload.source,
        workload.spec.tables.len(),
        if workload.spec.tables.len() == 1 {
            ""
        } else {
            "s"
        },
        if warnings == 1 { "" } else { "s" },
    )?;
    Ok(())
}

pub fn init(args: InitArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    write_spec(args.file.as_deref(), args.force, workload::TEMPLATE, out)
}

/// Writes a spec to `path` (refusing to overwrite without `force`), or to `out` when there is
/// no path or it is `-`.
pub fn write_spec(
    path: Option<&Path>,
    force: bool,
    text: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let Some(path) = path.filter(|p| p.as_os_str() != "-") else {
        out.write_all(text.as_bytes())?;
        return Ok(());
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .create_new(!force)
        .open(path)
        .with_context(|| {
            if path.exists() && !force {
                format!("{} exists; pass --force to overwrite it", path.display())
            } else {
                format!("cannot write {}", path.display())
            }
        })?;
    file.write_all(text.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    writeln!(
        out,
        "wrote {}; check it with `capacity-plan validate {}`",
        path.display(),
        path.display()
    )?;
    Ok(())
}

pub fn schema(out: &mut dyn Write) -> anyhow::Result<()> {
    out.write_all(workload::schema::json().as_bytes())?;
    Ok(())
}
