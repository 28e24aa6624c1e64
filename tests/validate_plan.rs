//! `validate` and `plan` report the same findings for a spec and refuse the same errors:
//! both go through one library entry point, and these tests hold them to it through the binary.

mod common;

use std::collections::BTreeSet;

use common::run;
use serde_json::Value;

/// (code, path) of every finding in a list of diagnostics.
fn codes(diagnostics: &Value) -> Vec<(String, String)> {
    diagnostics
        .as_array()
        .expect("diagnostics is a list")
        .iter()
        .map(|d| {
            let field = |k: &str| d[k].as_str().expect(k).to_string();
            (field("code"), field("path"))
        })
        .collect()
}

/// Findings as (code, path), without order.
type Found = BTreeSet<(String, String)>;

/// Findings of `validate --format json`, and of `plan --format json` (the report's own and each
/// table's), for the spec at `path` (`-` reads `stdin`).
fn both(path: &str, stdin: &str) -> (Found, Found) {
    let (exit, out, err) = run(&["validate", "--format", "json", path], stdin);
    assert_eq!(exit, 0, "validate {path}: {err}");
    let validated: Value = serde_json::from_str(&out).unwrap();
    let (exit, out, err) = run(&["plan", "--format", "json", path], stdin);
    assert_eq!(exit, 0, "plan {path}: {err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let mut planned = codes(&report["diagnostics"]);
    for table in report["tables"].as_array().unwrap() {
        planned.extend(codes(&table["diagnostics"]));
    }
    let validated = codes(&validated["diagnostics"]);
    assert_eq!(validated.len(), planned.len(), "{path}: finding counts");
    (
        validated.into_iter().collect(),
        planned.into_iter().collect(),
    )
}

#[test]
fn every_example_spec_validates_with_the_plans_findings() {
    let mut specs: Vec<_> = std::fs::read_dir("specs")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    specs.sort();
    assert!(specs.len() >= 4, "{specs:?}");
    for spec in specs {
        let path = spec.to_string_lossy();
        let (validated, planned) = both(&path, "");
        assert_eq!(validated, planned, "{path}");
    }
}

#[test]
fn the_starter_validates_with_the_plans_warnings() {
    let (_, template, _) = run(&["init"], "");
    let (validated, planned) = both("-", &template);
    assert_eq!(validated, planned);
    // Demand findings, which `validate` once missed: the starter under-provisions on purpose.
    let codes: BTreeSet<&str> = validated.iter().map(|(c, _)| c.as_str()).collect();
    assert!(codes.contains("provisioned-below-peak"), "{codes:?}");
    let (exit, out, err) = run(&["validate", "-"], &template);
    assert_eq!(exit, 0, "{err}");
    // An attribute size assumed, and reads and writes each below the peak.
    assert!(out.contains("(1 table, 3 warnings)"), "{out}");
    assert!(err.contains("warning[provisioned-below-peak]"), "{err}");
}

/// An LSI item collection over 10 GB, which DynamoDB rejects (the fixture says why).
const LSI_OVER_10_GB: &str = include_str!("fixtures/lsi-over-10gb.yaml");

#[test]
fn validate_refuses_what_plan_refuses() {
    let (exit, _, err) = run(&["validate", "-"], LSI_OVER_10_GB);
    assert_eq!(exit, 1, "{err}");
    assert!(err.contains("error[lsi-collection-too-large]"), "{err}");
    assert!(
        err.contains("would be rejected by DynamoDB:\n  <stdin>:")
            && err.contains(": [lsi-collection-too-large] ")
            && err.contains("(tables[0]"),
        "{err}"
    );
    let (exit, out, _) = run(&["validate", "--format", "json", "-"], LSI_OVER_10_GB);
    assert_eq!(exit, 1);
    let json: Value = serde_json::from_str(&out).unwrap();
    let found = codes(&json["diagnostics"]);
    assert!(
        found.iter().any(|(c, _)| c == "lsi-collection-too-large"),
        "{found:?}"
    );
    let (exit, _, _) = run(&["plan", "-"], LSI_OVER_10_GB);
    assert_eq!(exit, 1);
}

/// A diurnal table of 100,000 eventually consistent 1 KB reads a second: ½ RCU each
/// ("Read consistency", Amazon DynamoDB Developer Guide), 50,000 RCU/s, over the default
/// 40,000 units/s per table ("Service, account, and table quotas in Amazon DynamoDB"), with a
/// GSI projecting an attribute of no stated size.
const LOCATED: &str = "region: us-east-1
tables:
  - name: events
    capacity: on_demand
    keys: { partition: id }
    items: { count: 1000, size: 1KB }
    access:
      - { name: read, op: get, rate: 100000/s }
    indexes:
      - name: by_kind
        type: global
        keys: { partition: kind }
        projection: { include: [title] }
    traffic: { shape: diurnal }
";

#[test]
fn plan_findings_point_at_their_spec_line_with_a_snippet() {
    let path = common::temp("located.yaml", LOCATED);
    let path = path.to_str().unwrap();
    let (code, out, err) = run(&["plan", path], "");
    assert_eq!(code, 0, "{err}");
    // flat-peak at `traffic:` (line 14, column 5); the table-wide findings at the table's
    // first key, `name:` (line 3, column 5).
    for expected in [
        format!("warning[flat-peak]: Diurnal traffic has no peak_to_mean, so peaks are planned at the mean rate\n  --> {path}:14:5\n   |\n14 |     traffic: {{ shape: diurnal }}\n   |     ^^^^^^^^\n"),
        format!("warning[over-table-quota]: the table needs 50,000 read units/s at peak, over the default quota of 40,000 per table or GSI\n --> {path}:3:5\n  |\n3 |   - name: events\n  |     ^^^^^\n"),
        format!("warning[assumed-attribute-size]: no size given for 3 attributes (id, kind, title); index entries assume 32 B per value\n --> {path}:3:5\n"),
    ] {
        assert!(out.contains(&expected), "no\n{expected}\nin\n{out}");
    }
    let (_, json, _) = run(&["plan", path, "--format", "json"], "");
    let report: Value = serde_json::from_str(&json).unwrap();
    let at = |code: &str| {
        report["tables"][0]["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["code"] == code)
            .unwrap_or_else(|| panic!("no {code}"))["position"]
            .clone()
    };
    assert_eq!(
        at("flat-peak"),
        serde_json::json!({"line": 14, "column": 5})
    );
    assert_eq!(
        at("over-table-quota"),
        serde_json::json!({"line": 3, "column": 5})
    );
    assert_eq!(
        at("assumed-attribute-size"),
        serde_json::json!({"line": 3, "column": 5})
    );
}
