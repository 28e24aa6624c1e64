//! The envelope of every JSON document that has no versioned model of its own (validate,
//! prices, calc, quiz): `schema_version` and `kind` first, as the plan, simulation and check
//! reports carry them, so a program reading mixed files tells each apart (docs/report.md,
//! "JSON conventions").

use serde::Serialize;

/// Version of each enveloped document; bumped when a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// `body`'s fields after `schema_version`, `kind` and `tool_version`.
#[derive(Debug, Clone, Serialize)]
pub struct Document<T: Serialize> {
    schema_version: u32,
    kind: &'static str,
    tool_version: &'static str,
    #[serde(flatten)]
    body: T,
}

impl<T: Serialize> Document<T> {
    pub fn new(kind: &'static str, body: T) -> Self {
        Document {
            schema_version: SCHEMA_VERSION,
            kind,
            tool_version: env!("CARGO_PKG_VERSION"),
            body,
        }
    }
}

/// `body` in its envelope, pretty-printed with a final newline.
pub fn pretty<T: Serialize>(kind: &'static str, body: T) -> String {
    let mut json = serde_json::to_string_pretty(&Document::new(kind, body)).unwrap_or_default();
    json.push('\n');
    json
}
