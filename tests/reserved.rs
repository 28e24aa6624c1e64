//! What a reservation commits to, beyond the month its bill shows, against a hand calculation
//! from the reserved capacity prices of "Amazon DynamoDB pricing for provisioned capacity"
//! (https://aws.amazon.com/dynamodb/pricing/provisioned/, "Reserved capacity"), us-east-1:
//! 100 RCU for 1 year $30 upfront + $0.0025 an hour, 100 WCU $150 + $0.0128; for 3 years
//! $36 + $0.0016 and $180 + $0.0081; ordinary Standard capacity $0.00013 per RCU-hour and
//! $0.00065 per WCU-hour. A year is 8,760 h, three 26,280 h; the month 730 h.

mod common;

use serde_json::Value;

/// A table holding a fixed 1,000 RCU and 100 WCU, compared in every mode, with `owned` as its
/// `reserved:` line (which sets the term).
fn spec(owned: &str) -> String {
    format!(
        "region: us-east-1\ntables:\n  - name: ledger\n    capacity: compare\n    keys: {{ partition: id }}\n    items: {{ count: 1000, size: 1KB }}\n    access:\n      - {{ name: read, op: get, rate: 100/s }}\n      - {{ name: write, op: put, rate: 10/s }}\n    provisioned: {{ read: 1000, write: 100 }}\n{owned}"
    )
}

fn plan(spec: &str, format: &str) -> String {
    let (code, stdout, stderr) = common::run(&["plan", "-", "--format", format], spec);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

fn commitment(spec: &str) -> Value {
    let report: Value = serde_json::from_str(&plan(spec, "json")).unwrap();
    report["costs"][0]["modes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["mode"] == "reserved")
        .unwrap()["reservation"]["commitment"]
        .clone()
}

#[test]
fn a_one_year_reservation_shows_its_upfront_monthly_equivalent_and_term_total() {
    // A block of 100 RCU costs 30 × 730 ÷ 8,760 = $2.50 of upfront a month + 0.0025 × 730 =
    // $1.825 of hours, $4.325, against 100 × 0.00013 × 730 = $9.49 unreserved: all 10 blocks
    // pay. A WCU block: 150 × 730 ÷ 8,760 = $12.50 + 0.0128 × 730 = $9.344, $21.844 against
    // $47.45: 1 block. Upfront 10 × 30 + 150 = $450; over the year 450 + (10 × 0.0025 +
    // 0.0128) × 8,760 = 450 + 331.128 = $781.128; a month 781.128 × 730 ÷ 8,760 = $65.094.
    let spec = spec("");
    let c = commitment(&spec);
    assert_eq!(c["upfront"], "450");
    assert_eq!(c["term_total"], "781.128");
    assert_eq!(c["monthly_equivalent"], "65.094");
    let text = plan(&spec, "table");
    assert!(
        text.contains("reserved: buying its blocks is a 1-year commitment: $450.00 upfront, $781.13 over the term with the hourly fees ($65.09 a month)."),
        "{text}"
    );
}

#[test]
fn a_three_year_reservation_commits_to_three_years_of_fees() {
    // RCU block: 36 × 730 ÷ 26,280 = $1 + 0.0016 × 730 = $1.168, $2.168 < $9.49: 10 blocks.
    // WCU block: 180 × 730 ÷ 26,280 = $5 + 0.0081 × 730 = $5.913, $10.913 < $47.45: 1 block.
    // Upfront 10 × 36 + 180 = $540; over three years 540 + (10 × 0.0016 + 0.0081) × 26,280 =
    // 540 + 633.348 = $1,173.348; a month 10 × 2.168 + 10.913 = $32.593.
    let spec = spec("    reserved: { term: 3y }\n");
    let c = commitment(&spec);
    assert_eq!(c["upfront"], "540");
    assert_eq!(c["term_total"], "1173.348");
    assert_eq!(c["monthly_equivalent"], "32.593");
    assert!(plan(&spec, "table").contains(
        "a 3-year commitment: $540.00 upfront, $1,173.35 over the term with the hourly fees ($32.59 a month)."
    ));
}
