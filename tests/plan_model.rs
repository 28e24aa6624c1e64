//! The plan model's decisions as data: the workload total (every table in its recommended
//! mode, summed exactly, or no total at all when a table cannot be priced: a missing price is
//! never counted as $0), and each mode's capacity and shortfalls per table and GSI.

mod common;

use common::run;
use rust_decimal::Decimal;
use serde_json::Value;

/// The JSON plan of a spec given on stdin (`-`) or as a path.
fn plan_json(spec: &str, stdin: &str) -> Value {
    let (code, out, err) = run(&["plan", "--format", "json", spec], stdin);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// A figure of the report: money is a decimal string, a quantity a JSON number (docs/report.md).
fn decimal(v: &Value) -> Decimal {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"))
}

const TWO_TABLES: &str = "region: us-east-1
tables:
  - name: orders
    keys: { partition: id }
    items: { count: 1M, size: 1KB }
    access: [{ op: get, rate: 100/s }, { op: put, rate: 10/s }]
  - name: audit
    keys: { partition: id }
    items: { count: 10M, size: 2KB }
    access: [{ op: put, rate: 50/s }]
";

#[test]
fn the_total_is_the_sum_of_each_tables_recommended_mode() {
    let report = plan_json("-", TWO_TABLES);
    let costs = report["costs"].as_array().unwrap();
    assert_eq!(costs.len(), 2);
    let sum: Decimal = costs
        .iter()
        .map(|c| decimal(&c["recommendation"]["monthly"]))
        .sum();
    assert!(sum > Decimal::ZERO);
    assert_eq!(decimal(&report["total_monthly"]), sum);

    let (code, out, err) = run(&["plan", "-"], TWO_TABLES);
    assert_eq!(code, 0, "{err}");
    let shown = format!(
        "{} a month with each table in its recommended mode.",
        capacity_plan::cost::dollars(sum)
    );
    assert!(out.contains(&shown), "{shown}\n{out}");
}

/// The e-commerce example's one table: the total is its recommendation, the autoscaling
/// figure the README's excerpt shows (the simulated week's average capacity, priced).
#[test]
fn one_table_totals_its_recommendation() {
    let report = plan_json("specs/ecommerce-orders.yaml", "");
    let total = decimal(&report["total_monthly"]);
    assert_eq!(
        total,
        decimal(&report["costs"][0]["recommendation"]["monthly"])
    );
    let readme = include_str!("../README.md");
    let row = readme
        .lines()
        .find(|l| l.contains("autoscaling ┆"))
        .expect("the README shows the autoscaling row");
    assert!(
        row.contains(&capacity_plan::cost::dollars(total)),
        "{row} does not show {total}"
    );
}

/// A DAX node type the catalog has no price for leaves every mode's bill incomplete by the same
/// line: the modes are still ranked on what is priced, labelled a partial comparison naming
/// the missing price, and there is no workload total rather than a sum that leaves it out.
#[test]
fn an_unpriced_table_gives_no_total() {
    let spec = "region: us-east-1
tables:
  - name: cached
    keys: { partition: id }
    items: { count: 1M, size: 1KB }
    access: [{ op: get, rate: 100/s, consistency: eventual }]
    dax: { nodes: 3, node_type: dax.z9.huge, hit_ratio: 90% }
";
    let report = plan_json("-", spec);
    let recommendation = &report["costs"][0]["recommendation"];
    assert_eq!(recommendation["reason"], "partial_comparison");
    assert_eq!(
        recommendation["unpriced"],
        serde_json::json!(["us-east-1 dax_node_hour.dax.z9.huge"])
    );
    assert_eq!(report["total_monthly"], Value::Null);
    let (_, out, _) = run(&["plan", "-"], spec);
    assert!(out.contains("No workload total"), "{out}");
    assert!(out.contains("(partial comparison)"), "{out}");
}

/// Where on-demand request units have no price (us-west-2 in the built-in catalog, a gap
/// listed in docs/pricing.md) and storage has none in any mode, the advice does not vanish:
/// the provisioned modes are ranked on their priced lines (us-west-2 RCU $0.00013/h, WCU
/// $0.00065/h [RECO]), on-demand is named as not compared, and no workload total is given.
/// Provisioned 10 RCU + 10 WCU: 10 × 730 × 0.00013 + 10 × 730 × 0.00065 = $5.694.
/// Autoscaling at the 70% target on the mean (10 strong reads/s, 5 puts/s of 1 KB): ⌈10 / 0.7⌉
/// = 15 RCU and ⌈5 / 0.7⌉ = 8 WCU: 15 × 730 × 0.00013 + 8 × 730 × 0.00065 = $5.2195.
#[test]
fn a_partly_priced_region_still_compares_the_modes_it_can_price() {
    let spec = "region: us-west-2
tables:
  - name: things
    keys: { partition: id }
    items: { count: 1M, size: 1KB }
    provisioned: { read: 10, write: 10 }
    traffic: { peak_to_mean: 1 }
    access: [{ op: get, rate: 10/s, consistency: strong }, { op: put, rate: 5/s }]
";
    let report = plan_json("-", spec);
    let recommendation = &report["costs"][0]["recommendation"];
    assert_eq!(recommendation["reason"], "partial_comparison");
    assert_eq!(recommendation["mode"], "autoscaling");
    assert_eq!(decimal(&recommendation["monthly"]), Decimal::new(52_195, 4));
    assert_eq!(recommendation["runner_up"]["mode"], "provisioned");
    assert_eq!(
        decimal(&recommendation["runner_up"]["monthly"]),
        Decimal::new(5_694, 3)
    );
    assert_eq!(
        recommendation["unpriced"],
        serde_json::json!(["us-west-2 storage_gb_month_standard"])
    );
    assert_eq!(
        recommendation["not_compared"],
        serde_json::json!(["on_demand"])
    );
    assert_eq!(report["total_monthly"], Value::Null);
    let (_, out, _) = run(&["plan", "-"], spec);
    assert!(
        out.contains("Capacity mode (partial comparison): autoscaling is cheapest"),
        "{out}"
    );
    assert!(
        out.contains("us-west-2 ondemand_read_standard"),
        "the missing on-demand price is named with its Region: {out}"
    );
}

/// When every mode lacks a price of its own (here on-demand its request units, the provisioned
/// modes their WCU), nothing can be ranked: no recommendation, and the plan says why rather
/// than dropping the advice in silence.
#[test]
fn modes_that_each_lack_their_own_price_are_not_ranked_and_the_plan_says_so() {
    let spec = "region: ap-south-2
tables:
  - name: things
    keys: { partition: id }
    items: { count: 1M, size: 1KB }
    access: [{ op: get, rate: 10/s }, { op: put, rate: 5/s }]
";
    let prices = "tests/fixtures/one-price-region.yaml";
    let (code, out, err) = run(&["plan", "--format", "json", "--prices", prices, "-"], spec);
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["costs"][0]["recommendation"], Value::Null);
    let (_, out, _) = run(&["plan", "--prices", prices, "-"], spec);
    assert!(
        out.contains("Capacity mode: none can be recommended"),
        "{out}"
    );
    assert!(
        out.contains("ap-south-2 provisioned_wcu_hour_standard"),
        "{out}"
    );
}

/// Fixed provisioned capacity is what the spec sets on the table and on each GSI ("Provisioned
/// capacity mode", DynamoDB Developer Guide: a GSI has its own provisioned throughput), so the
/// mode table shows both, and a GSI set below its peak is a shortfall on that GSI: 70 puts/s
/// of 1 KB items write 70 WCU to the table and, with every item in the index (`projection:
/// all`), 70 WCU to the GSI, above its 50.
#[test]
fn each_gsi_has_its_capacity_and_its_shortfall() {
    let spec = "region: us-east-1
tables:
  - name: orders
    keys: { partition: id }
    items: { count: 1M, size: 1KB }
    provisioned: { read: 10, write: 100 }
    traffic: { peak_to_mean: 1 }
    indexes:
      - { name: by_status, type: global, keys: { partition: status }, projection: all, provisioned: { read: 5, write: 50 } }
    access: [{ op: put, rate: 70/s }]
";
    let report = plan_json("-", spec);
    let provisioned = report["costs"][0]["modes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["mode"] == "provisioned")
        .unwrap();
    let capacity: Vec<(Value, Decimal, Decimal)> = provisioned["capacity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["index"].clone(),
                decimal(&c["read"]),
                decimal(&c["write"]),
            )
        })
        .collect();
    assert_eq!(
        capacity,
        [
            (Value::Null, 10.into(), 100.into()),
            (Value::from("by_status"), 5.into(), 50.into())
        ]
    );
    let shortfalls = provisioned["shortfalls"].as_array().unwrap();
    assert_eq!(shortfalls.len(), 1, "{shortfalls:?}");
    assert_eq!(shortfalls[0]["target"]["name"], "by_status");
    assert_eq!(shortfalls[0]["kind"], "write");
    assert_eq!(
        (
            decimal(&shortfalls[0]["have"]),
            decimal(&shortfalls[0]["need"])
        ),
        (50.into(), 70.into())
    );

    let (code, out, err) = run(&["plan", "-"], spec);
    assert_eq!(code, 0, "{err}");
    for shown in [
        "table 10 RCU / 100 WCU",
        "GSI by_status 5 RCU / 50 WCU",
        "provisioned: throttles (GSI by_status 50 WCU < 70 at peak), so it is never recommended.",
    ] {
        assert!(out.contains(shown), "{shown} not in\n{out}");
    }
}

/// The ceilings the other modes set fall short the same way: an on-demand table's maximum
/// write throughput ("Maximum throughput for on-demand tables", DynamoDB Developer Guide:
/// requests above it are throttled) and an autoscaling policy's maximum (Application Auto
/// Scaling never sets capacity above it). 70 puts/s of 1 KB need 70 WCU/s at the flat peak.
#[test]
fn maximums_below_the_peak_are_shortfalls() {
    let spec = "region: us-east-1
tables:
  - name: orders
    keys: { partition: id }
    items: { count: 1M, size: 1KB }
    traffic: { peak_to_mean: 1 }
    on_demand: { max_write: 50 }
    autoscaling: { target: 70%, max_write: 60 }
    access: [{ op: put, rate: 70/s }]
";
    let report = plan_json("-", spec);
    let modes = report["costs"][0]["modes"].as_array().unwrap();
    let shortfall = |mode: &str| {
        let m = modes.iter().find(|m| m["mode"] == mode).unwrap();
        let s = &m["shortfalls"][0];
        assert_eq!(m["shortfalls"].as_array().unwrap().len(), 1, "{m}");
        assert_eq!(
            (&s["target"]["type"], &s["kind"]),
            (&"table".into(), &"write".into())
        );
        (
            s["limit"].as_str().unwrap().to_string(),
            decimal(&s["have"]),
            decimal(&s["need"]),
        )
    };
    assert_eq!(
        shortfall("on_demand"),
        ("on_demand_max".into(), 50.into(), 70.into())
    );
    assert_eq!(
        shortfall("autoscaling"),
        ("autoscaling_max".into(), 60.into(), 70.into())
    );
    // Neither may be recommended: only provisioned at 70% (100 WCU) and reserved remain.
    let chosen = report["costs"][0]["recommendation"]["mode"]
        .as_str()
        .unwrap();
    assert!(["provisioned", "reserved"].contains(&chosen), "{chosen}");

    let (_, out, _) = run(&["plan", "-"], spec);
    for shown in [
        "on_demand: throttles (table 50 WRU/s max < 70 at peak)",
        "autoscaling: throttles (table 60 WCU max < 70 at peak)",
    ] {
        assert!(
            out.contains(shown),
            "{shown} not in
{out}"
        );
    }
}
