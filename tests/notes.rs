//! Notes that say what a figure assumes: a budget resting on a reserved commitment, and a GSI
//! paying for the table's autoscaling floor. Prices are us-east-1's ("Amazon DynamoDB pricing
//! for provisioned capacity", https://aws.amazon.com/dynamodb/pricing/provisioned/): $0.00013
//! per RCU-hour and $0.00065 per WCU-hour, a 730-hour month.

mod common;

use common::run;
use serde_json::Value;

/// A steady table whose cheapest mode is reserved capacity, with `extra` lines appended.
fn steady(extra: &str) -> String {
    format!(
        "region: us-east-1\ntables:\n  - name: ledger\n    capacity: compare\n    keys: {{ partition: id }}\n    items: {{ count: 1000, size: 1KB }}\n    access:\n      - {{ name: read, op: get, rate: 2000/s }}\n      - {{ name: write, op: put, rate: 100/s }}\n{extra}"
    )
}

#[test]
fn a_compare_budget_at_the_reserved_mode_names_its_commitment() {
    // No reservation owned: the blocks priced are bought for the default term, one year
    // ("Reserved capacity": a 1- or 3-year commitment, paid for every hour of the term).
    for (extra, term, json) in [
        ("", "1-year", "1y"),
        ("    reserved: { term: 3y }\n", "3-year", "3y"),
    ] {
        let spec = steady(extra);
        let (code, out, err) = run(&["check", "-"], &spec);
        assert_eq!(code, 0, "{err}");
        assert!(out.contains("│ ledger ┆ reserved (cheapest) ┆"), "{out}");
        assert!(
            out.contains(&format!("ledger: budgeted at reserved, its cheapest mode, which assumes a {term} commitment")),
            "{out}"
        );
        let (_, out, _) = run(&["check", "-", "--format", "json"], &spec);
        let report: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(report["costs"][0]["commitment"], json);
    }
    // A table whose `capacity:` names the mode budgets what the spec chose: no note.
    let (_, out, _) = run(
        &["check", "-"],
        &steady("").replace("capacity: compare", "capacity: on_demand"),
    );
    assert!(!out.contains("commitment"), "{out}");
}

#[test]
fn a_gsi_held_at_the_tables_autoscaling_minimums_gets_a_note_with_the_cost() {
    let spec = "region: us-east-1
tables:
  - name: orders
    capacity: autoscaling
    keys: { partition: id }
    items: { count: 1000, size: 1KB }
    access:
      - { name: read, op: get, rate: 100/s }
      - { name: write, op: put, rate: 10/s }
      - { name: by status, op: query, index: by_status, rate: 10/s }
    indexes:
      - name: by_status
        type: global
        keys: { partition: status }
        projection: keys_only
    attributes: { id: 16B, status: 8B }
    autoscaling: { target: 70%, min_read: 1000, min_write: 100 }
";
    // A GSI without its own policy scales with the table's ("Managing throughput capacity
    // automatically with DynamoDB auto scaling": the policy applies to the table and its
    // indexes), so it holds at least 1,000 RCU and 100 WCU. Its own demand: 10 queries/s of
    // one keys-only entry, ½ RCU each (eventually consistent, under 4 KB) = 5 RCU/s, and 10
    // inserts/s of a small entry, 1 WCU each = 10 WCU/s; at the 70% target ⌈5 ÷ 0.7⌉ = 8 RCU and
    // ⌈10 ÷ 0.7⌉ = 15 WCU. The floor adds 992 RCU and 85 WCU: (992 × 0.00013 + 85 × 0.00065)
    // × 730 = (0.12896 + 0.05525) × 730 = $134.4733 a month.
    let (code, out, err) = run(&["plan", "-"], spec);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("GSI by_status inherits the table's autoscaling minimums (1,000 RCU, 100 WCU): 992 RCU and 85 WCU above what its own demand needs, $134.47 a month in autoscaling mode"),
        "{out}"
    );
    let (_, out, _) = run(&["plan", "-", "--format", "json"], spec);
    let report: Value = serde_json::from_str(&out).unwrap();
    let advice = report["costs"][0]["advice"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["kind"] == "inherited_minimums")
        .expect("an inherited_minimums advice");
    assert_eq!(advice["index"], "by_status");
    assert_eq!(advice["extra_read"], 992);
    assert_eq!(advice["extra_write"], 85);
    assert_eq!(advice["monthly"], "134.4733");
    // With a policy of its own, the index is sized to its demand: no note.
    let own = spec.replace(
        "        projection: keys_only\n",
        "        projection: keys_only\n        autoscaling: { target: 70% }\n",
    );
    let (_, out, _) = run(&["plan", "-"], &own);
    assert!(
        !out.contains("inherits the table's autoscaling minimums"),
        "{out}"
    );
}
