//! From spec text to a checked [`Workload`]: parse (through the one YAML loader), read the
//! sample items the spec names, validate, and resolve what the planner needs per table.
//! Every problem found is reported at once, each located and with its fix.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::model::IndexKind;
use super::model::Spec;
use super::validate::{self, Sample};
use crate::capacity::item_size::Item;
use crate::diagnostic::{Code, Diagnostic, Position, Severity};
use crate::metrics::{self, MetricSeries, MetricsError, MetricsOptions};
use crate::quantity::Size;
use crate::yaml::{self, YamlError};

/// A spec that parsed and passed validation, with what the planner needs beside it.
#[derive(Debug, Clone)]
pub struct Workload {
    pub spec: Spec,
    /// The name used in messages: the path as given, or `<stdin>`.
    pub source: String,
    /// The spec text, to render diagnostics against.
    pub text: String,
    /// Per table, in `spec.tables` order.
    pub tables: Vec<TableFacts>,
    /// Findings that do not stop the plan; the report shows them.
    pub warnings: Vec<Diagnostic>,
}

impl Workload {
    /// Each table's `traffic.metrics` series and file, in `spec.tables` order: what the
    /// simulator replays.
    pub fn measured(&self) -> Vec<Option<(&MetricSeries, &str)>> {
        self.tables
            .iter()
            .map(|t| t.metrics.as_deref().map(|m| (&m.series, m.file.as_str())))
            .collect()
    }
}

/// What the loader resolved for one table.
#[derive(Debug, Clone, PartialEq)]
pub struct TableFacts {
    /// Average item size: `items.size`, else the mean exact size of the sample items.
    pub item_size: Size,
    /// Bytes each named attribute adds to an item (name + value, as DynamoDB counts it): the
    /// mean over the sample items that carry it, overridden by the spec's `attributes:`.
    pub attribute_sizes: BTreeMap<String, Size>,
    /// The CloudWatch series `traffic.metrics` names, read once as the spec loads; the demand
    /// model, plan and simulator all use this copy.
    pub metrics: Option<Arc<TableMetrics>>,
}

/// A table's measured traffic: the series of its `traffic.metrics` file.
#[derive(Debug, Clone, PartialEq)]
pub struct TableMetrics {
    /// The path as the spec writes it, as reports name the traffic.
    pub file: String,
    pub series: MetricSeries,
}

/// Why a spec cannot be planned.
#[derive(Debug)]
pub enum SpecError {
    /// The spec could not be read at all (missing file, not UTF-8); already names the source.
    Read(String),
    /// The text is not YAML of the spec's shape; rendered with a snippet by the YAML loader.
    Yaml(YamlError),
    /// The spec parsed but breaks rules: every finding, errors and warnings, in spec order.
    Invalid {
        source: String,
        text: String,
        diagnostics: Vec<Diagnostic>,
    },
}

impl std::error::Error for SpecError {}

impl fmt::Display for SpecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecError::Read(message) => f.write_str(message),
            SpecError::Yaml(err) => err.fmt(f),
            SpecError::Invalid {
                source,
                diagnostics,
                ..
            } => {
                // The command line shows each finding at its line; this is the plain form.
                for d in diagnostics {
                    let level = match d.severity {
                        Severity::Error => "error",
                        Severity::Warning => "warning",
                    };
                    writeln!(f, "{level}[{}] {}: {}", d.code, d.path, d.message)?;
                }
                let errors = diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .count();
                write!(
                    f,
                    "{source}: {errors} error{} found; nothing was planned",
                    if errors == 1 { "" } else { "s" }
                )
            }
        }
    }
}

/// Reads and loads the spec at `path`, or standard input for `-`. Sample paths resolve from
/// the spec's directory (from the working directory for stdin).
pub fn load_path(path: &str) -> Result<Workload, SpecError> {
    let spec = read_path(path)?;
    load(&spec.text, &spec.source, spec.base.as_deref())
}

/// A spec file's text before it is parsed, with the name and folder it came from.
#[derive(Debug, Clone)]
pub struct SpecText {
    pub text: String,
    /// `workload.yaml` or `<stdin>`, as messages name it.
    pub source: String,
    /// The folder sample item paths are relative to (none for stdin).
    pub base: Option<PathBuf>,
}

/// Reads a spec file, or stdin for `-`, as UTF-8 text.
pub fn read_path(path: &str) -> Result<SpecText, SpecError> {
    let (source, base, bytes) = if path == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .map_err(|e| SpecError::Read(format!("<stdin>: cannot read the spec: {e}")))?;
        ("<stdin>".to_string(), None, bytes)
    } else {
        let bytes = std::fs::read(path)
            .map_err(|e| SpecError::Read(format!("{path}: cannot read the spec: {e}")))?;
        let base = Path::new(path).parent().map(Path::to_path_buf);
        (path.to_string(), base, bytes)
    };
    Ok(SpecText {
        text: utf8(bytes, &source)?,
        source,
        base,
    })
}

/// The spec as text, or an error at the first byte that is not UTF-8.
fn utf8(bytes: Vec<u8>, source: &str) -> Result<String, SpecError> {
    String::from_utf8(bytes).map_err(|err| {
        let valid = &err.as_bytes()[..err.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        SpecError::Read(format!(
            "{source}:{line}:{column}: the file is not UTF-8 text (byte 0x{:02x}); a workload spec \
             is a YAML text file — is this the right file?",
            err.as_bytes()[valid.len()]
        ))
    })
}

/// Parses, reads samples, validates and resolves a spec. `source` names it in messages;
/// `base_dir` is where `items.sample` paths start (the working directory when `None`).
pub fn load(text: &str, source: &str, base_dir: Option<&Path>) -> Result<Workload, SpecError> {
    load_with(text, source, base_dir, &|_| None)
}

/// Series already read, by the table they are for (`traffic.table`, else the table's name):
/// `None` reads the table's `traffic.metrics` file.
pub type Supplied<'a> = dyn Fn(&str) -> Option<Result<MetricSeries, MetricsError>> + 'a;

/// Loads as [`load`] does, taking each table's measured series from `supplied` where it has
/// them: a fleet reads one export of many tables once, not once per table.
pub fn load_with(
    text: &str,
    source: &str,
    base_dir: Option<&Path>,
    supplied: &Supplied,
) -> Result<Workload, SpecError> {
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return Err(SpecError::Invalid {
            source: source.into(),
            text: text.into(),
            diagnostics: vec![Diagnostic {
                severity: Severity::Error,
                code: Code::EmptySpec,
                message: "the spec is empty".into(),
                fix: "write a spec with `region:` and `tables:`; `capacity-plan init` writes an annotated starter".into(),
                path: String::new(),
                position: Some(Position { line: 1, column: 1 }),
            }],
        });
    }
    let spec: Spec =
        yaml::from_str(text, source).map_err(|e| SpecError::Yaml(with_hint(e, text)))?;
    let mut diagnostics = Vec::new();
    let samples: Vec<Vec<Sample>> = spec
        .tables
        .iter()
        .enumerate()
        .map(|(t, table)| read_samples(&table.value.items.sample, t, base_dir, &mut diagnostics))
        .collect();
    let metrics: Vec<Option<Arc<TableMetrics>>> = spec
        .tables
        .iter()
        .enumerate()
        .map(|(t, table)| read_metrics(&table.value, t, base_dir, supplied, &mut diagnostics))
        .collect();
    diagnostics.extend(validate::validate(&spec, &samples));
    // Spec order reads best: unlocated (file-wide) findings first, then by line and column.
    diagnostics.sort_by_key(|d| d.position);
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return Err(SpecError::Invalid {
            source: source.into(),
            text: text.into(),
            diagnostics,
        });
    }
    let tables = spec
        .tables
        .iter()
        .zip(samples.iter().zip(metrics))
        .map(|(table, (samples, metrics))| TableFacts {
            item_size: validate::average_item_size(&table.value.items, samples)
                .expect("validation rejects a table with neither items.size nor items.sample"),
            attribute_sizes: attribute_sizes(samples, &table.value.attributes),
            metrics,
        })
        .collect();
    Ok(Workload {
        spec,
        source: source.into(),
        text: text.into(),
        tables,
        warnings: diagnostics,
    })
}

/// Spellings from the DynamoDB API and console that the spec writes its own way.
const SYNONYMS: &[(&str, &str)] = &[
    ("gsi", "global"),
    ("lsi", "local"),
    ("pay_per_request", "on_demand"),
];

/// Adds the spec's own fix to a YAML error that has none: an API or console spelling of a
/// value (`gsi`, `PAY_PER_REQUEST`) and `ttl: 30d`, which is `ttl: { retention: 30d }`.
fn with_hint(mut err: YamlError, text: &str) -> YamlError {
    if err.rendered.contains("= help:") {
        return err;
    }
    let hint = spec_hint(&err.rendered, err.line.zip(err.column), text);
    if let Some(hint) = hint {
        err.rendered = format!("{}\n  = help: {hint}", err.rendered.trim_end());
    }
    err
}

fn spec_hint(message: &str, at: Option<(u64, u64)>, text: &str) -> Option<String> {
    if let Some(got) = message
        .split_once("unknown variant `")
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(got, _)| got.to_ascii_lowercase())
    {
        return SYNONYMS
            .iter()
            .find(|(api, _)| *api == got)
            .map(|(_, ours)| format!("the spec writes `{ours}` for `{got}`"));
    }
    let (line, column) = at?;
    let line = text
        .lines()
        .nth(usize::try_from(line).ok()?.checked_sub(1)?)?;
    let start = line
        .char_indices()
        .nth(usize::try_from(column).ok()?.checked_sub(1)?)?
        .0;
    let key = line[..start].trim_end().strip_suffix(':')?;
    let key = key.rsplit([' ', '{', ',']).next()?;
    let value = line[start..].split(['#', ',', '}']).next()?.trim();
    (key == "ttl" && message.contains("expected mapping") && !value.is_empty())
        .then(|| format!("TTL is a mapping: `ttl: {{ retention: {value} }}`"))
}

/// Reads `items.sample` files; each one that cannot be read or is not an item becomes an
/// error diagnostic, so every bad sample is reported in one run.
fn read_samples(
    files: &[yaml::Spanned<String>],
    table: usize,
    base_dir: Option<&Path>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<Sample> {
    let mut samples = Vec::new();
    for (index, file) in files.iter().enumerate() {
        let path: PathBuf =
            base_dir.map_or_else(|| file.value.clone().into(), |d| d.join(&file.value));
        let item = read_sample(&path).map_err(|(code, problem, fix)| {
            (code, format!("sample item `{}` {problem}", file.value), fix)
        });
        match item {
            Ok(item) => samples.push(Sample { index, item }),
            Err((code, message, fix)) => diagnostics.push(Diagnostic {
                severity: Severity::Error,
                code,
                message,
                fix: fix.into(),
                path: format!("tables[{table}].items.sample[{index}]"),
                position: Position::of(file),
            }),
        }
    }
    samples
}

/// Reads and parses a table's `traffic.metrics` (relative to `base_dir`, as sample paths are);
/// a file that cannot be read or replayed becomes an error at the key, with the metrics
/// reader's own message (which names the place in the file and the fix).
fn read_metrics(
    table: &super::model::Table,
    index: usize,
    base_dir: Option<&Path>,
    supplied: &Supplied,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Arc<TableMetrics>> {
    let file = table.traffic.metrics.as_ref()?;
    let path: PathBuf = base_dir.map_or_else(|| file.value.clone().into(), |d| d.join(&file.value));
    let options = MetricsOptions {
        table: table.traffic.table.as_ref().map(|t| t.value.clone()),
        default_table: Some(table.name.clone()),
        period_peak_to_mean: None,
    };
    let fix = "fix the export as the message says; docs/simulate.md lists the formats and statistics a replay reads";
    let series = match supplied(options.table.as_deref().unwrap_or(&table.name)) {
        Some(series) => series.map_err(|e| (Code::MetricsInvalid, e, fix)),
        None => metrics::read(&path, &file.value, &options).map_err(|e| match e {
            metrics::ReadError::Unreadable(e) => (
                Code::MetricsUnreadable,
                e,
                "check the path; it is relative to the spec file",
            ),
            metrics::ReadError::Invalid(e) => (Code::MetricsInvalid, e, fix),
        }),
    };
    let read = series.and_then(|series| {
        let is_gsi = |name: &str| {
            table
                .indexes
                .iter()
                .any(|i| i.value.name == name && i.value.kind == IndexKind::Global)
        };
        match series.indexes.iter().find(|i| !is_gsi(&i.name)) {
            Some(index) => Err((
                Code::MetricsInvalid,
                MetricsError(format!(
                    "{}: has a series for GSI `{}`, which the table does not have",
                    file.value, index.name
                )),
                "add the GSI to the table's `indexes`, or export the metrics without it",
            )),
            None => Ok(series),
        }
    });
    match read {
        Ok(series) => Some(Arc::new(TableMetrics {
            file: file.value.clone(),
            series,
        })),
        Err((code, err, fix)) => {
            diagnostics.push(Diagnostic {
                severity: Severity::Error,
                code,
                message: err.0,
                fix: fix.into(),
                path: format!("tables[{index}].traffic.metrics"),
                position: Position::of(file),
            });
            None
        }
    }
}

/// Largest sample item file read: an item is at most 400 KB, so a bigger file is the wrong file.
const MAX_SAMPLE_BYTES: usize = 4 << 20;

/// One sample item, or (code, what is wrong, fix), read up to [`MAX_SAMPLE_BYTES`].
fn read_sample(path: &Path) -> Result<Item, (Code, String, &'static str)> {
    let unreadable = |problem: String| {
        let fix = "check the path; it is relative to the spec file";
        (Code::SampleUnreadable, problem, fix)
    };
    let mut text = String::new();
    std::fs::File::open(path)
        .and_then(|file| {
            file.take(MAX_SAMPLE_BYTES as u64 + 1)
                .read_to_string(&mut text)
        })
        .map_err(|e| unreadable(format!("cannot be read: {e}")))?;
    if text.len() > MAX_SAMPLE_BYTES {
        return Err(unreadable(format!(
            "is over {} MiB, but an item is at most 400 KB",
            MAX_SAMPLE_BYTES >> 20
        )));
    }
    Item::from_json(&text).map_err(|e| {
        let fix =
            "give one item per file, as DynamoDB JSON (`{\"id\": {\"S\": \"a\"}}`) or plain JSON";
        (
            Code::SampleInvalid,
            format!("is not a DynamoDB item: {e}"),
            fix,
        )
    })
}

/// Mean bytes (name + value) each attribute adds over the samples that carry it, with the
/// spec's declared sizes taking precedence.
fn attribute_sizes(
    samples: &[Sample],
    declared: &BTreeMap<String, Size>,
) -> BTreeMap<String, Size> {
    let mut totals: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for sample in samples {
        for attribute in sample.item.size().attributes {
            let total = totals.entry(attribute.name).or_default();
            total.0 += attribute.name_bytes + attribute.value_bytes;
            total.1 += 1;
        }
    }
    let mut sizes: BTreeMap<String, Size> = totals
        .into_iter()
        .map(|(name, (bytes, count))| (name, Size::from_bytes(bytes.div_ceil(count))))
        .collect();
    sizes.extend(declared.iter().map(|(name, size)| (name.clone(), *size)));
    sizes
}
