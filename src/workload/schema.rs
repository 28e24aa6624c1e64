//! The JSON Schema of `workload.yaml`, generated from the model's derives so it cannot drift
//! from what the loader accepts. Draft-07, the widest-supported draft among YAML editors.

use schemars::generate::SchemaSettings;

use super::model::Spec;

/// The schema as pretty-printed JSON with a trailing newline (the committed
/// `docs/workload.schema.json` is exactly this text).
pub fn json() -> String {
    let schema = SchemaSettings::draft07()
        .into_generator()
        .into_root_schema_for::<Spec>();
    let mut text = serde_json::to_string_pretty(&schema).expect("a schema is plain JSON");
    text.push('\n');
    text
}
