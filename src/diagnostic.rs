//! Findings about a spec or a plan: errors that stop it, warnings that ride along in the
//! report. Each has a stable kebab-case code (documented in docs/spec.md), the place in the
//! spec it is about, and the fix.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column in the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Position {
    pub line: u64,
    pub column: u64,
}

impl Position {
    pub fn of<T>(spanned: &crate::yaml::Spanned<T>) -> Option<Position> {
        let at = spanned.referenced;
        (at.line() > 0).then(|| Position {
            line: at.line(),
            column: at.column(),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable identifier, e.g. `item-too-large`, `strong-read-on-gsi`.
    pub code: &'static str,
    pub message: String,
    /// What to change to make it go away.
    pub fix: String,
    /// Where in the spec, e.g. `tables[0].access[2]`.
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<Position>,
}

impl Diagnostic {
    /// Renders the finding against the spec text as `severity[code]: message`, a
    /// `source:line:column` pointer with the offending line, and the fix. A finding without a
    /// recorded position points at the first line holding its key (the last segment of
    /// `path`), else at line 1.
    pub fn render(&self, source: &str, text: &str) -> String {
        use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

        let position = self
            .position
            .unwrap_or_else(|| locate_key(&self.path, text));
        let line_text = text
            .lines()
            .nth(position.line.saturating_sub(1) as usize)
            .unwrap_or_default();
        let start = line_text
            .char_indices()
            .nth(position.column.saturating_sub(1) as usize)
            .map_or(line_text.len(), |(i, _)| i);
        let token = line_text[start..]
            .find(|c: char| c.is_whitespace() || ",}]#".contains(c))
            .unwrap_or(line_text.len() - start);
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let report = [level
            .primary_title(self.message.as_str())
            .id(self.code)
            .element(
                Snippet::source(line_text)
                    .line_start(position.line as usize)
                    .path(source)
                    .annotation(AnnotationKind::Primary.span(start..start + token.max(1))),
            )
            .element(Level::HELP.message(self.fix.as_str()))];
        Renderer::plain().render(&report)
    }
}

/// The first line that sets the key a path ends with (`settings.month_hours` → `month_hours:`).
fn locate_key(path: &str, text: &str) -> Position {
    let key = path.rsplit('.').next().unwrap_or_default();
    let key = key.split('[').next().unwrap_or_default();
    let needle = format!("{key}:");
    text.lines()
        .enumerate()
        .find_map(|(n, line)| {
            let column = line.find(&needle)?;
            Some(Position {
                line: n as u64 + 1,
                column: line[..column].chars().count() as u64 + 1,
            })
        })
        .filter(|_| !key.is_empty())
        .unwrap_or(Position { line: 1, column: 1 })
}
