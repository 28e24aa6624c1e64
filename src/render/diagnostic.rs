//! Findings as people read them: `severity[code]: message`, a `source:line:column` pointer
//! with the offending line, and the fix.

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use crate::diagnostic::{Diagnostic, Position, Severity};

/// Renders `finding` against the spec text. A finding without a recorded position points at
/// the first line holding its key (the last segment of its `path`), else at line 1. `colour`
/// styles it as cargo does on a terminal.
pub fn diagnostic(finding: &Diagnostic, source: &str, text: &str, colour: bool) -> String {
    let position = position(finding, text);
    let full_line = text
        .lines()
        .nth(position.line.saturating_sub(1) as usize)
        .unwrap_or_default();
    let column = position.column.saturating_sub(1) as usize;
    // Columns count characters; in an ASCII prefix they are bytes (checked word by word).
    let at = if full_line
        .as_bytes()
        .get(..column)
        .is_some_and(<[u8]>::is_ascii)
    {
        column
    } else {
        full_line
            .char_indices()
            .nth(column)
            .map_or(full_line.len(), |(i, _)| i)
    };
    // The snippet renderer walks the whole line, so a one-line spec of hundreds of KB with a
    // finding per table would take minutes: show a window of the line around the column.
    let from = floor_char_boundary(full_line, at.saturating_sub(SNIPPET_CONTEXT));
    let to = floor_char_boundary(full_line, at.saturating_add(SNIPPET_CONTEXT));
    let line_text = &full_line[from..to];
    let start = at - from;
    let token = line_text[start..]
        .find(|c: char| c.is_whitespace() || ",}]#".contains(c))
        .unwrap_or(line_text.len() - start);
    let level = match finding.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let report = [level
        .primary_title(finding.message.as_str())
        .id(finding.code.as_str())
        .element(
            Snippet::source(line_text)
                .line_start(position.line as usize)
                .path(source)
                .annotation(AnnotationKind::Primary.span(start..start + token.max(1))),
        )
        .element(Level::HELP.message(finding.fix.as_str()))];
    let renderer = if colour {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let rendered = renderer.render(&report);
    if from == 0 {
        return rendered;
    }
    // The renderer counts the column from the window's start; name the line's real column.
    let shown = line_text[..start].chars().count() + 1;
    rendered.replacen(
        &format!("{source}:{}:{shown}", position.line),
        &format!("{source}:{}:{}", position.line, position.column),
        1,
    )
}

/// Bytes of a line shown either side of a finding's column.
const SNIPPET_CONTEXT: usize = 240;

/// The largest char boundary of `text` at or below `index` (clamped to its length).
fn floor_char_boundary(text: &str, index: usize) -> usize {
    let mut index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Every finding of a spec that cannot be planned, then how many errors stop it.
pub fn invalid_spec(source: &str, text: &str, findings: &[Diagnostic], colour: bool) -> String {
    let mut out = String::new();
    for finding in findings {
        out.push_str(&diagnostic(finding, source, text, colour));
        out.push('\n');
    }
    let errors = findings
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    out.push_str(&format!(
        "{source}: {errors} error{} found; nothing was planned",
        if errors == 1 { "" } else { "s" }
    ));
    out
}

/// Where a finding is in the spec: its recorded position, else the first line holding its key
/// (the last segment of its `path`), else line 1.
pub fn position(finding: &Diagnostic, text: &str) -> Position {
    finding
        .position
        .unwrap_or_else(|| locate_key(&finding.path, text))
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
