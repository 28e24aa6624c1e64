//! The committed spec files stay true: every example and the `init` template load and validate
//! cleanly, the committed JSON Schema is the generated one, and docs/spec.md documents every
//! key and every diagnostic code.

use std::path::Path;

use capacity_plan::diagnostic::Code;
use capacity_plan::workload::{self, load_path, schema};

const EXAMPLES: [&str; 4] = [
    "specs/ecommerce-orders.yaml",
    "specs/session-store.yaml",
    "specs/global-catalog.yaml",
    "specs/iot-timeseries.yaml",
];

#[test]
fn examples_load_and_validate_cleanly() {
    for path in EXAMPLES {
        let workload = load_path(path).unwrap_or_else(|e| panic!("{path}:\n{e}"));
        assert!(
            workload.warnings.is_empty(),
            "{path}: {:?}",
            workload.warnings
        );
        assert_eq!(workload.tables.len(), workload.spec.tables.len());
    }
}

#[test]
fn the_init_template_loads_and_validates_cleanly() {
    let workload =
        workload::load(workload::TEMPLATE, "workload.yaml", None).unwrap_or_else(|e| panic!("{e}"));
    assert!(workload.warnings.is_empty(), "{:?}", workload.warnings);
}

#[test]
fn sample_items_give_the_average_size_and_attribute_sizes() {
    let workload = load_path("specs/ecommerce-orders.yaml").unwrap();
    let facts = &workload.tables[0];
    // Sizes by §2.1/§2.2 (name bytes + value bytes), as `capacity-plan calc item-size` shows:
    // order.json 303 B, order-large.json 406 B → mean 354.5 B, rounded up to 355 B.
    assert_eq!(facts.item_size.bytes(), 355);
    // `status` appears only in order.json: "status" (6) + "SHIPPED" (7) = 13 bytes.
    assert_eq!(facts.attribute_sizes["status"].bytes(), 13);
    // `currency`: 8 + 3 ("USD", "EUR") in both.
    assert_eq!(facts.attribute_sizes["currency"].bytes(), 11);
    // Declared sizes win over samples, and tables without samples keep them as written.
    let session = load_path("specs/session-store.yaml").unwrap();
    assert_eq!(session.tables[0].item_size.bytes(), 800);
    assert_eq!(session.tables[0].attribute_sizes["session_id"].bytes(), 53);
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let committed = std::fs::read_to_string("docs/workload.schema.json").unwrap();
    assert!(
        committed == schema::json(),
        "docs/workload.schema.json is stale: run `cargo run -- schema > docs/workload.schema.json`"
    );
    assert!(committed.contains("draft-07"));
}

/// Every property name in the schema, recursively.
fn property_names(value: &serde_json::Value, names: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::Object(properties)) = map.get("properties") {
                names.extend(properties.keys().cloned());
            }
            map.values().for_each(|v| property_names(v, names));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| property_names(v, names)),
        _ => {}
    }
}

#[test]
fn docs_describe_every_key_and_code() {
    let docs = std::fs::read_to_string("docs/spec.md").unwrap();
    let schema: serde_json::Value = serde_json::from_str(&schema::json()).unwrap();
    let mut names = Vec::new();
    property_names(&schema, &mut names);
    assert!(names.len() > 50);
    for name in names {
        assert!(
            docs.contains(&format!("`{name}`")),
            "docs/spec.md does not document `{name}`"
        );
    }
    assert!(Code::ALL.len() > 60, "{:?}", Code::ALL);
    for code in Code::ALL {
        // The JSON name is the documented one.
        let json = serde_json::to_value(code).unwrap();
        assert_eq!(json, code.as_str(), "{code:?}");
        assert!(
            docs.contains(&format!("| `{code}` |")),
            "docs/spec.md does not document code `{code}`"
        );
    }
}

fn binary() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("capacity-plan").unwrap()
}

#[test]
fn schema_command_prints_the_committed_schema() {
    let committed = std::fs::read_to_string("docs/workload.schema.json").unwrap();
    binary().arg("schema").assert().success().stdout(committed);
}

#[test]
fn init_writes_the_template_and_refuses_to_overwrite() {
    binary()
        .arg("init")
        .assert()
        .success()
        .stdout(workload::TEMPLATE);
    binary()
        .args(["init", "-"])
        .assert()
        .success()
        .stdout(workload::TEMPLATE);
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("init");
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("workload.yaml");
    std::fs::write(&file, "mine").unwrap();
    binary()
        .arg("init")
        .arg(&file)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("--force"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    binary()
        .arg("init")
        .arg(&file)
        .arg("--force")
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), workload::TEMPLATE);
    binary()
        .arg("validate")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicates::str::contains("ok:"));
}
