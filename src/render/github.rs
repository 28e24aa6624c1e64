//! GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`) for the
//! failed and unjudged budgets, the new and changed warnings and the errors of a spec that cannot be
//! judged, pointing at their spec lines.

use crate::check::{CheckReport, Status};
use crate::diagnostic::{Diagnostic, Position, Severity};
use crate::workload::SpecError;

/// GitHub shows at most this many error and this many warning annotations per step.
const MAX_PER_LEVEL: usize = 10;

/// Escapes a message: `%`, CR and LF would end or corrupt the command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value, where `:` and `,` also separate fields.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

struct Annotation {
    title: String,
    message: String,
    position: Option<Position>,
}

/// The workflow commands for `report`; `file` is the spec as the repository names it (no file
/// property for stdin). Beyond ten of a level, the tenth says how many more there are.
pub fn annotations(report: &CheckReport, file: Option<&str>) -> String {
    let verdicts = |status| {
        report
            .verdicts
            .iter()
            .filter(move |v| v.status == status)
            .map(move |v| Annotation {
                title: format!(
                    "{} {}",
                    if status == Status::Fail {
                        "Over budget:"
                    } else {
                        "Budget not evaluated:"
                    },
                    v.budget.name()
                ),
                message: v.message.clone(),
                position: v.position,
            })
    };
    let warnings = report.diff.iter().flat_map(|d| {
        d.new_warnings
            .iter()
            .chain(d.tables.iter().flat_map(|t| &t.new_warnings))
    });
    let warnings = warnings.map(|w| Annotation {
        title: format!("New warning: {}", w.code),
        message: w.message.clone(),
        position: w.position,
    });
    let changed = report.diff.iter().flat_map(|d| {
        d.changed_warnings
            .iter()
            .chain(d.tables.iter().flat_map(|t| &t.changed_warnings))
    });
    let warnings = warnings.chain(changed.map(|c| Annotation {
        title: format!("Changed warning: {}", c.after.code),
        message: format!("{} (was: {})", c.after.message, c.before.message),
        position: c.after.position,
    }));
    let mut out = String::new();
    emit(&mut out, "error", verdicts(Status::Fail).collect(), file);
    emit(
        &mut out,
        "warning",
        verdicts(Status::NotEvaluated).chain(warnings).collect(),
        file,
    );
    out
}

/// The errors that stop a spec from being planned, each at its spec line with its fix; `text`
/// is the spec, to place findings recorded without a position.
pub fn spec_errors<'a>(
    findings: impl IntoIterator<Item = &'a Diagnostic>,
    text: &str,
    file: Option<&str>,
) -> String {
    let errors = findings
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| Annotation {
            title: format!("Spec error: {}", d.code),
            message: format!("{}; {}", d.message, d.fix),
            position: Some(super::diagnostic::position(d, text)),
        })
        .collect();
    let mut out = String::new();
    emit(&mut out, "error", errors, file);
    out
}

/// A spec that could not be loaded, as annotations: its findings, or the YAML error at its
/// line, or (unreadable) one annotation without a line.
pub fn spec_error(err: &SpecError, file: Option<&str>) -> String {
    let annotation = match err {
        SpecError::Invalid {
            text, diagnostics, ..
        } => return spec_errors(diagnostics, text, file),
        SpecError::Yaml(yaml) => {
            let first = yaml.rendered.lines().next().unwrap_or_default();
            let first = first.strip_prefix("error: ").unwrap_or(first);
            // "line 3 column 9: message": the position goes in the properties.
            let message = first
                .split_once(": ")
                .filter(|(at, _)| at.starts_with("line "))
                .map_or(first, |(_, message)| message);
            Annotation {
                title: "Spec error: not a workload spec".into(),
                message: message.to_string(),
                position: yaml
                    .line
                    .zip(yaml.column)
                    .map(|(line, column)| Position { line, column }),
            }
        }
        SpecError::Read(message) => Annotation {
            title: "Spec error: unreadable".into(),
            message: message.clone(),
            position: None,
        },
    };
    let mut out = String::new();
    emit(&mut out, "error", vec![annotation], file);
    out
}

fn emit(out: &mut String, level: &str, annotations: Vec<Annotation>, file: Option<&str>) {
    let overflow = annotations.len() > MAX_PER_LEVEL;
    let shown = if overflow {
        MAX_PER_LEVEL - 1
    } else {
        annotations.len()
    };
    for a in &annotations[..shown] {
        let mut properties = Vec::new();
        if let Some(file) = file {
            properties.push(format!("file={}", escape_property(file)));
            if let Some(p) = a.position {
                properties.push(format!("line={},col={}", p.line, p.column));
            }
        }
        properties.push(format!("title={}", escape_property(&a.title)));
        out.push_str(&format!(
            "::{level} {}::{}\n",
            properties.join(","),
            escape_data(&a.message)
        ));
    }
    if overflow {
        let more = annotations.len() - shown;
        out.push_str(&format!(
            "::{level} title={}::{}\n",
            escape_property(&format!("{more} more")),
            escape_data(&format!(
                "{more} more {level}s; the job summary lists them all"
            ))
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::{BudgetKind, Change, Comparison, Measure, Verdict};
    use rust_decimal::Decimal;

    fn report(verdicts: Vec<Verdict>) -> CheckReport {
        CheckReport {
            schema_version: 1,
            kind: Comparison::Check,
            tool_version: "test",
            spec: "w.yaml".into(),
            baseline: None,
            headline: String::new(),
            costs: Vec::new(),
            total: Change::new(None, None),
            verdicts,
            diff: None,
            simulated: false,
        }
    }

    fn verdict(status: Status, line: u64) -> Verdict {
        Verdict {
            budget: BudgetKind::Monthly,
            table: None,
            unit: Measure::Usd,
            limit: Decimal::ONE,
            value: None,
            status,
            message: format!("budget {line}"),
            position: Some(Position { line, column: 3 }),
        }
    }

    #[test]
    fn at_most_ten_per_level_the_tenth_counting_the_rest() {
        let mut verdicts: Vec<Verdict> = (1..=12).map(|l| verdict(Status::Fail, l)).collect();
        verdicts.push(verdict(Status::NotEvaluated, 20));
        verdicts.push(verdict(Status::Pass, 30));
        let out = annotations(&report(verdicts), Some("dir,a/w:1.yaml"));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 11);
        assert_eq!(
            lines[0],
            "::error file=dir%2Ca/w%3A1.yaml,line=1,col=3,title=Over budget%3A monthly::budget 1"
        );
        assert_eq!(
            lines[9],
            "::error title=3 more::3 more errors; the job summary lists them all"
        );
        assert!(lines[10].starts_with("::warning file=dir%2Ca/w%3A1.yaml,line=20,col=3,"));
    }

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("50%\r\nnext"), "50%25%0D%0Anext");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
