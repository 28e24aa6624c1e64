//! The one place YAML is read (serde-saphyr): resource limits against alias bombs and deep
//! nesting, and errors rendered with the source name, line, column and a snippet.
//! Swapping the YAML crate touches this file only.

use std::borrow::Cow;

use serde::de::DeserializeOwned;

/// Largest YAML document we read: a workload spec or price file is kilobytes, not megabytes.
pub const MAX_INPUT_BYTES: usize = 4 << 20;
/// Deepest nesting we read; a spec needs fewer than ten levels.
pub const MAX_DEPTH: usize = 32;

/// A YAML document that could not be read into the expected shape, already rendered with
/// `source:line:column` and a snippet of the offending lines.
#[derive(Debug, thiserror::Error)]
#[error("{rendered}")]
pub struct YamlError {
    pub rendered: String,
    /// 1-based line and column of the error, when the parser knows it.
    pub line: Option<u64>,
    pub column: Option<u64>,
}

/// Reads `text` (named `source` in messages, e.g. `workload.yaml` or `<stdin>`) into `T`.
pub fn from_str<T: DeserializeOwned>(text: &str, source: &str) -> Result<T, YamlError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(YamlError {
            rendered: format!(
                "{source}: the file is {} bytes; YAML input is limited to {} MiB",
                text.len(),
                MAX_INPUT_BYTES >> 20
            ),
            line: None,
            column: None,
        });
    }
    // Every node and event takes at least a byte of input, so the size limit bounds them; the
    // parser's own defaults (250,000 nodes) would refuse a spec of 10,000 tables.
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_reader_input_bytes: Some(MAX_INPUT_BYTES),
            max_depth: MAX_DEPTH,
            max_nodes: MAX_INPUT_BYTES,
            max_events: MAX_INPUT_BYTES,
        },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|err| {
        let location = err.location();
        let (line, column) = (location.map(|l| l.line()), location.map(|l| l.column()));
        let mut rendered = err.render_with_options(serde_saphyr::render_options! {
            source_name: Some(source),
            formatter: &Messages,
        });
        // Errors without a snippet (e.g. end of input) do not name the file; say where.
        if !rendered.contains(source) {
            let at = format!("{}:{}", line.unwrap_or(1), column.unwrap_or(1));
            rendered = format!("{source}:{at}: {rendered}");
        }
        if let Some(help) = help(&rendered) {
            rendered = format!("{}\n  = help: {help}", rendered.trim_end());
        }
        YamlError {
            rendered,
            line,
            column,
        }
    })
}

/// The parser's messages, less those written for the programmer calling it (which name its
/// API or print its internal structures): those become sentences about the file.
struct Messages;

impl serde_saphyr::MessageFormatter for Messages {
    fn format_message<'a>(&self, err: &'a serde_saphyr::Error) -> Cow<'a, str> {
        use serde_saphyr::budget::BudgetBreach;
        use serde_saphyr::Error;
        match err {
            Error::MultipleDocuments { .. } => Cow::Borrowed(
                "a second YAML document starts here (after a `---` line); a workload spec is one \
                 document: remove the `---` and what follows, or split the file in two",
            ),
            Error::DuplicateMappingKey { key, .. } => Cow::Owned(format!(
                "the key {} is given twice in the same mapping; keep one of them (merge their \
                 contents if both matter)",
                key.as_deref().map_or("here".into(), |k| format!("`{k}`"))
            )),
            Error::Budget { breach, .. } => Cow::Owned(match breach {
                BudgetBreach::Depth { depth } => format!(
                    "nesting reaches {depth} levels, past the {MAX_DEPTH} this reader allows (a \
                     spec needs fewer than ten)"
                ),
                BudgetBreach::Aliases { .. }
                | BudgetBreach::Anchors { .. }
                | BudgetBreach::AliasAnchorRatio { .. } => "the file's anchors and aliases \
                     (`&name`, `*name`) expand beyond what a spec needs; write the repeated \
                     parts out, or use fewer aliases"
                    .into(),
                _ => format!(
                    "the file is larger than a workload spec can be (at most {} MiB of YAML); \
                     split it into several specs",
                    MAX_INPUT_BYTES >> 20
                ),
            }),
            _ => serde_saphyr::DefaultMessageFormatter.format_message(err),
        }
    }
}

/// A fix to print under the parser's message, where the message alone does not say one.
fn help(message: &str) -> Option<String> {
    if let Some(name) = did_you_mean(message) {
        return Some(format!("did you mean `{name}`?"));
    }
    let limits = [
        "recursion limit",
        "budget",
        "alias replay",
        "alias expansion",
    ];
    limits.iter().any(|l| message.contains(l)).then(|| {
        format!(
            "a spec nests fewer than ten levels; reading stops past {MAX_DEPTH} levels or at \
             runaway alias expansion, so a hostile file cannot exhaust memory"
        )
    })
}

/// For "unknown field/variant `x`, expected one of a, b, c": the closest expected name when
/// it is a likely misspelling (edit distance at most a third of its length, at least 1).
fn did_you_mean(message: &str) -> Option<String> {
    let rest = message
        .split_once("unknown field `")
        .or_else(|| message.split_once("unknown variant `"))?
        .1;
    let (got, rest) = rest.split_once('`')?;
    let expected = rest.split_once("expected one of ")?.1.lines().next()?;
    expected
        .split(", ")
        .map(|name| name.trim_matches('`'))
        .map(|name| (edit_distance(got, name), name))
        .filter(|&(distance, name)| distance <= (name.len() / 3).max(1))
        .min()
        .map(|(_, name)| name.to_string())
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substituted = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substituted.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

/// A value with the place it was written, for errors that name file:line:column.
pub type Spanned<T> = serde_saphyr::Spanned<T>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_misspellings_get_a_suggestion() {
        let message = "unknown field `tabel_class`, expected one of name, table_class, capacity";
        assert_eq!(did_you_mean(message).as_deref(), Some("table_class"));
        let variant = "unknown variant `gett`, expected one of `get`, `batch_get`, `query`";
        assert_eq!(did_you_mean(variant).as_deref(), Some("get"));
        assert_eq!(
            did_you_mean("unknown field `zzzzzz`, expected one of name, keys"),
            None
        );
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
