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
