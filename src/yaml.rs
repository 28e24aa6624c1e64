//! The one place YAML is read (serde-saphyr): resource limits against alias bombs and deep
//! nesting, and errors rendered with the source name, line, column and a snippet.
//! Swapping the YAML crate touches this file only.

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
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! {
            max_reader_input_bytes: Some(MAX_INPUT_BYTES),
            max_depth: MAX_DEPTH,
        },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|err| {
        let location = err.location();
        YamlError {
            rendered: err.render_with_options(serde_saphyr::render_options! {
                source_name: Some(source),
            }),
            line: location.map(|l| l.line()),
            column: location.map(|l| l.column()),
        }
    })
}

/// A value with the place it was written, for errors that name file:line:column.
pub type Spanned<T> = serde_saphyr::Spanned<T>;
