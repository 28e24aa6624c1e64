//! `capacity-plan validate | init | schema`: check a spec without pricing it, write an
//! annotated starter spec, print the spec's JSON Schema.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use crate::diagnostic::Diagnostic;
use crate::render::json::Document;
use crate::workload::{self, SpecError, SpecText, Workload};

/// One spec's `validate --format json` document: its findings.
#[derive(serde::Serialize)]
struct Validation {
    spec: String,
    diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The workload specs (YAML); `-` reads standard input. Every one is checked, and the
    /// command fails if any is invalid.
    #[arg(required = true, value_name = "SPEC")]
    pub specs: Vec<String>,

    /// Output format: findings rendered on stderr, or every finding as JSON on stdout (an
    /// array of these objects for several specs).
    #[arg(long, value_name = "FORMAT", value_enum, default_value = "text")]
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

/// A loaded spec, or its diagnostics on stderr and a one-line error.
pub(super) fn reported(
    result: Result<Workload, SpecError>,
    name: &str,
) -> anyhow::Result<Workload> {
    match result {
        Ok(workload) => Ok(workload),
        Err(SpecError::Read(message)) => Err(anyhow::anyhow!(message)),
        Err(SpecError::Invalid {
            source,
            text,
            diagnostics,
        }) => {
            let colour = super::display().stderr_colour;
            let shown =
                crate::render::diagnostic::invalid_spec(&source, &text, &diagnostics, colour);
            writeln!(std::io::stderr().lock(), "{shown}")?;
            Err(anyhow::anyhow!("`{name}` is not a valid workload spec"))
        }
        Err(err) => {
            writeln!(std::io::stderr().lock(), "{err}")?;
            Err(anyhow::anyhow!("`{name}` is not a valid workload spec"))
        }
    }
}

/// Shows every finding `plan` would report for each spec (spec and demand findings alike)
/// and fails on the same errors `plan` fails on, after checking every spec.
pub fn validate(args: ValidateArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let mut documents = Vec::new();
    let mut invalid = Vec::new();
    let mut only_error = None;
    for spec in &args.specs {
        if let Err(err) = validate_one(spec, args.format, &mut documents, out) {
            invalid.push(spec.as_str());
            // With one spec its own error is the message; with several, each is shown.
            if args.specs.len() == 1 {
                only_error = Some(err);
            } else {
                writeln!(std::io::stderr().lock(), "{}", super::error_line(&err))?;
            }
        }
    }
    if args.format == ValidateFormat::Json {
        // One spec is one document; several are a list of them.
        match &documents[..] {
            [one] if args.specs.len() == 1 => crate::render::json::write(out, one)?,
            [] if args.specs.len() == 1 => {}
            _ => crate::render::json::write(out, &documents)?,
        }
    }
    if let Some(err) = only_error {
        return Err(err);
    }
    if invalid.is_empty() {
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "{} of {} specs are not valid: {}",
            invalid.len(),
            args.specs.len(),
            invalid.join(", ")
        ))
    }
}

/// One spec: its findings on stderr and an `ok:` line (text), or its JSON document added to
/// `documents` (also when planning would refuse it, so the JSON shows why).
fn validate_one(
    spec: &str,
    format: ValidateFormat,
    documents: &mut Vec<Document<Validation>>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let workload = load_spec(spec)?;
    let findings = crate::demand::workload_findings(&workload);
    if format == ValidateFormat::Json {
        let refused = crate::demand::refuse_errors(&workload.source, &findings);
        documents.push(Document::new(
            "validation",
            Validation {
                spec: workload.source.clone(),
                diagnostics: findings,
            },
        ));
        return refused;
    }
    let mut stderr = std::io::stderr().lock();
    for finding in &findings {
        writeln!(
            stderr,
            "{}",
            crate::render::diagnostic::diagnostic(
                finding,
                &workload.source,
                &workload.text,
                super::display().stderr_colour
            )
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
