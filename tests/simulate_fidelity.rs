//! The simulator against hand calculations from the AWS developer guide, one test per case of
//! the fidelity audit (docs/simulate.md): retries on their key, index entries only for admitted
//! writes, on-demand's sustained previous peak and the cause of its throttles, warm and cold
//! starts, and requests failed against attempts throttled. Tags are defined in docs/sources.md.

mod common;

use common::{run, temp};
use serde_json::Value;

/// `simulate SPEC --days 1 --format json` plus `extra`: the report.
fn report(spec: &str, name: &str, extra: &[&str]) -> Value {
    let path = temp(name, spec);
    let mut args = vec![
        "simulate",
        path.to_str().unwrap(),
        "--days",
        "1",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(&args, "");
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// A one-table spec, `things` of 1M items of 1 KB, with `settings` and the table's `body`.
fn spec(settings: &str, body: &str) -> String {
    format!(
        "region: us-east-1\n{settings}tables:\n  - name: things\n    keys: {{ partition: id }}\n    items: {{ count: 1M, size: 1KB }}\n{body}"
    )
}

/// One attempt a request: what throttles fails.
const ONE_ATTEMPT: &str = "settings: { simulation: { retry_attempts: 1 } }\n";

fn lane<'a>(model: &'a Value, target: &str, kind: &str) -> &'a Value {
    model["lanes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["target"] == target && l["kind"] == kind)
        .unwrap()
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

/// 3,000 puts a second of 1 KB items, half of them on one named key, 5,000 WCU provisioned.
fn hot_key_spec(attempts: &str) -> String {
    spec(
        &format!("settings: {{ simulation: {{ {attempts} }} }}\n"),
        "    access: [{ op: put, rate: 3000/s }]
    provisioned: { read: 1, write: 5000 }
    key_skew: { hot_keys: [{ name: hot, share: 50% }] }
",
    )
}

/// Case 1, retries stay on their key. [BURST]: "DynamoDB can deliver throughput up to the
/// partition maximum ... to that single item's primary key": the hot key takes 1,500 WCU a
/// second and can serve at most 1,000.
///
/// Without retries: 500 a second fail all day (43.2M), plus, for the first 5 minutes before
/// its partition splits for heat (`split_for_heat_after`), the 300 a second of other keys that
/// share the hot key's partition (5,000 WCU: 5 partitions, 1,500 ÷ 5 = 300 each), over the
/// 1,000 ceiling: 300 × 300 = 90,000. 43,290,000 failed.
///
/// With the SDK's 3 attempts ([RETRY][RUSTRETRY]) a retry goes back to the same key, so the key
/// still serves at most 1,000 a second: served ≤ 1,000 × 86,400 + 1,500 × 86,400 = 216M and
/// failed ≥ 259.2M − 216M = 43.2M (less the retries still in flight at the end, a few
/// seconds' worth). In the steady state each attempt on the key is throttled with the same
/// probability p, and what the key serves is 1,500 × (1 − p³) = 1,000: p³ = 1/3, p = 0.69336.
/// Attempts on the key are 1,500 × (1 + p + p²) = 3,261.2 a second, 2,261.2 of them
/// throttled; with the 1,500 on other keys, 2,261.2 ÷ 4,761.2 = 47.49% of attempts are
/// throttled while 500 ÷ 3,000 = 16.67% of requests fail (case 7, requests against attempts).
#[test]
fn retries_stay_on_their_key() {
    let once = report(
        &hot_key_spec("retry_attempts: 1"),
        "hot-1.yaml",
        &["--model", "provisioned"],
    );
    let model = &once["tables"][0]["models"][0];
    assert_eq!(f(&model["failed_units"]), 43_290_000.0);
    assert_eq!(f(&model["causes"]["key_range"]), 43_290_000.0);

    let retried = report(&hot_key_spec(""), "hot-3.yaml", &["--model", "provisioned"]);
    let model = &retried["tables"][0]["models"][0];
    let (served, failed) = (f(&model["served_units"]), f(&model["failed_units"]));
    assert!(served <= 216e6, "served {served} > what the keys can admit");
    assert!(
        (43.19e6..=43.29e6).contains(&failed),
        "failed {failed}: retries cannot move load off the key"
    );
    let attempts = f(&model["throttled_share"]);
    assert!((attempts - 0.4749).abs() < 0.001, "attempts {attempts}");
    let requests = f(&model["failed_share"]);
    assert!((requests - 1.0 / 6.0).abs() < 0.0005, "requests {requests}");
}

/// Case 2, a write the base table rejects writes no index entry ([GSITHR]: an index entry is
/// written as part of a successful base-table write). A cold table of 100 WCU (no credit)
/// under 200 puts a second of 1 KB admits 100 a second, 8.64M a day, and throttles as many as
/// `provisioned_throughput`; its KEYS_ONLY GSI, with 1,000 WCU, receives exactly those 8.64M
/// entries and throttles none.
#[test]
fn a_rejected_base_write_writes_no_index_entry() {
    let spec = &spec(
        ONE_ATTEMPT,
        "    attributes: { id: 20B, status: 10B }
    access: [{ op: put, rate: 200/s }]
    provisioned: { read: 1, write: 100 }
    indexes:
      - name: by_status
        type: global
        keys: { partition: status }
        projection: keys_only
        provisioned: { read: 1, write: 1000 }
",
    );
    let r = report(spec, "gsi.yaml", &["--model", "provisioned", "--cold"]);
    assert_eq!(r["start_state"], "cold");
    let model = &r["tables"][0]["models"][0];
    let table = lane(model, "table", "write");
    assert_eq!(f(&table["served_units"]), 8_640_000.0);
    assert_eq!(f(&table["causes"]["provisioned_throughput"]), 8_640_000.0);
    let gsi = lane(model, "by_status", "write");
    assert_eq!(f(&gsi["demand_units"]), 8_640_000.0);
    assert_eq!(f(&gsi["served_units"]), 8_640_000.0);
    assert_eq!(f(&gsi["throttled_units"]), 0.0);
}

/// Cases 3 and 4, on-demand's previous peak is sustained, and its throttles are the ramp's.
/// [OD]: "If your application sustains traffic of 100,000 reads per second, that peak becomes
/// your new previous peak"; throttling can occur above double the previous peak within 30
/// minutes. An on-demand table sustaining 3,000 writes a second (uniform keys) has 3,000 as its
/// previous peak and serves 6,000 at once. A one-minute blip to 7,800 at 01:00 throttles 1,800 a
/// second for 60 s (108,000) and, lasting less than the 5 minutes of
/// `on_demand_peak_sustained`, is no peak: the 12,000 surge at 03:00 is still served at 6,000
/// for its 30 minutes (6,000 held from its 5th minute would be the peak only at its 36th):
/// 6,000 × 1,800 = 10,800,000 more. All 10,908,000 are `on_demand_ramp`, none `key_range`: the
/// keys are uniform. The advice follows the cause.
#[test]
fn a_blip_is_no_peak_and_the_ramp_is_named() {
    let spec = &spec(
        ONE_ATTEMPT,
        "    capacity: on_demand
    access: [{ op: put, rate: 3000/s }]
    traffic:
      shape: constant
      events:
        - { name: blip, start: \"01:00\", day: 0, duration: 1min, multiplier: 2.6 }
        - { name: surge, start: \"03:00\", day: 0, duration: 30min, multiplier: 4 }
",
    );
    let r = report(spec, "blip.yaml", &["--model", "on-demand"]);
    let model = &r["tables"][0]["models"][0];
    assert_eq!(f(&model["throttled_units"]), 10_908_000.0);
    assert_eq!(
        model["causes"],
        serde_json::json!({ "on_demand_ramp": 10_908_000.0 })
    );

    let path = temp("blip.yaml", spec);
    let args = ["simulate", path.to_str().unwrap(), "--days", "1"];
    let (code, out, stderr) = run(&[&args[..], &["--model", "on-demand"]].concat(), "");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        out.contains("pre-warm the table (warm throughput) or let traffic grow over 30 minutes"),
        "{out}"
    );
    assert!(!out.contains("hot key"), "{out}");
}

/// Case 5, warm start by default. A new on-demand table serves 4,000 writes a second at once
/// ([OD][WARMSC]); under a steady 10,000 (uniform keys, one attempt) it throttles 6,000 a
/// second until 4,000, held 5 minutes, becomes the previous peak 30 minutes later: minutes
/// 1–35, 12.6M. Then 8,000 are served; held from minute 36, they make the peak at minute 71:
/// minutes 36–70 throttle 2,000 a second, 4.2M. `--cold`: 16.8M, all `on_demand_ramp`. An
/// existing table that has sustained those 10,000 has them as its previous peak and serves
/// them from the first second.
#[test]
fn an_existing_table_starts_warm_and_a_new_one_cold() {
    let spec = &spec(
        ONE_ATTEMPT,
        "    capacity: on_demand
    access: [{ op: put, rate: 10000/s }]
",
    );
    let cold = report(spec, "steady.yaml", &["--model", "on-demand", "--cold"]);
    assert_eq!(cold["start_state"], "cold");
    let model = &cold["tables"][0]["models"][0];
    assert_eq!(f(&model["throttled_units"]), 16_800_000.0);
    assert_eq!(
        model["causes"],
        serde_json::json!({ "on_demand_ramp": 16_800_000.0 })
    );

    let warm = report(spec, "steady.yaml", &["--model", "on-demand"]);
    assert_eq!(warm["start_state"], "warm");
    assert_eq!(f(&warm["tables"][0]["models"][0]["throttled_units"]), 0.0);

    let setting = spec.replace("retry_attempts: 1", "retry_attempts: 1, cold_start: true");
    let cold = report(&setting, "steady-cold.yaml", &["--model", "on-demand"]);
    assert_eq!(cold["start_state"], "cold");
    assert_eq!(
        f(&cold["tables"][0]["models"][0]["throttled_units"]),
        16_800_000.0
    );
}

/// Case 9, simulated costs include a global table's replicas. Each replica Region is billed
/// for every write as a replicated write (rWCU), the table's own Region too; write capacity
/// is the same in every replica, and read capacity too unless a replica overrides it
/// ([GTFAQ][GTHOW], as the plan prices it). 10 RCU and 100 WCU for 730 hours in us-east-1
/// with a us-west-2 replica, both at $0.00013 per RCU-hour and $0.00065 per (r)WCU-hour
/// ([PRICE-PROV]): 10 × 730 × 0.00013 = $0.949 plus 100 × 730 × 0.00065 = $47.45 in each
/// Region: $96.798 a month.
#[test]
fn simulated_costs_include_the_replicas() {
    let spec = &spec(
        "",
        "    access: [{ op: get, rate: 1/s }, { op: put, rate: 10/s }]
    provisioned: { read: 10, write: 100 }
    global: { replicas: [us-west-2] }
",
    );
    let r = report(spec, "global.yaml", &["--model", "provisioned"]);
    let cost: f64 = r["tables"][0]["models"][0]["monthly_cost"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((cost - 96.798).abs() < 1e-9, "{cost}");
}

/// Case 9 with capacity sized to demand: a replica serves none of the spec's reads, so its
/// read capacity is sized to its own (1 unit, as the plan prices it), while its write capacity
/// is the table's, synced ([GTHOW]). With W the table's simulated write capacity, the replica
/// adds 1 × 730 × $0.00013 for reads and W × 730 × $0.00065 for replicated writes, and the
/// table's own writes, now replicated writes, cost the same ([PRICE-PROV], us-east-1 and
/// us-west-2 alike): the global table costs the single-Region one plus $0.0949 + W × $0.4745.
#[test]
fn a_replica_sizes_its_reads_to_its_own() {
    let body = |global: &str| {
        format!("    access: [{{ op: get, rate: 2000/s }}, {{ op: put, rate: 10/s }}]\n{global}")
    };
    let cost = |r: &Value| -> f64 {
        r["tables"][0]["models"][0]["monthly_cost"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    let single = report(
        &spec("", &body("")),
        "single.yaml",
        &["--model", "provisioned"],
    );
    let global = report(
        &spec("", &body("    global: { replicas: [us-west-2] }\n")),
        "sized-global.yaml",
        &["--model", "provisioned"],
    );
    let model = &global["tables"][0]["models"][0];
    let reads = f(&lane(model, "table", "read")["capacity_average"]);
    assert!(
        reads > 100.0,
        "the home Region's reads size its capacity: {reads}"
    );
    let writes = f(&lane(model, "table", "write")["capacity_average"]);
    let expected = cost(&single) + 0.0949 + writes * 0.4745;
    assert!(
        (cost(&global) - expected).abs() < 1e-6,
        "{} vs {expected}",
        cost(&global)
    );
}

/// Case 6, partitions from warm throughput. A 1,000-WCU table of 1 GB has one partition by the
/// demand model's reading; a spike to 1,500 even writes a second for 9 minutes at 12:00 is
/// over its 1,000 ceiling ([BURST]: burst cannot lift a partition past it), so the first 5
/// minutes throttle 500 a second (150,000) until even heat splits it in two
/// (`split_for_heat_after`, [ATC22]); then 300 s of banked credit (300,000 units, the table
/// having run at its capacity) covers the other 4 minutes' 500 a second (120,000). The
/// throttles are `provisioned_throughput`: the keys are even. With `warm_throughput:
/// { write: 2000 }` ([WARM]) the table has two partitions from the start and the credit
/// covers all 9 minutes (270,000 ≤ 300,000): nothing throttles.
#[test]
fn partitions_follow_warm_throughput() {
    let spec = &spec(
        ONE_ATTEMPT,
        "    access: [{ op: put, rate: 1000/s }]
    provisioned: { read: 1, write: 1000 }
    traffic:
      shape: constant
      events: [{ name: spike, start: \"12:00\", day: 0, duration: 9min, multiplier: 1.5 }]
",
    );
    let r = report(spec, "warm-none.yaml", &["--model", "provisioned"]);
    let writes = lane(&r["tables"][0]["models"][0], "table", "write");
    assert_eq!(
        (
            writes["partitions_start"].clone(),
            writes["partitions_end"].clone()
        ),
        (1.into(), 2.into())
    );
    assert_eq!(
        writes["causes"],
        serde_json::json!({ "provisioned_throughput": 150_000.0 })
    );

    let warm = spec.replace(
        "    traffic:",
        "    warm_throughput: { read: 3000, write: 2000 }\n    traffic:",
    );
    let r = report(&warm, "warm-2000.yaml", &["--model", "provisioned"]);
    let writes = lane(&r["tables"][0]["models"][0], "table", "write");
    assert_eq!(writes["partitions_start"], 2);
    assert_eq!(f(&writes["throttled_units"]), 0.0);
}

/// Case 8, scheduled work is a burst. A full eventual scan of 1M items of 1 KB reads
/// 1,024,000,000 B = 250,000 steps of 4 KB, 125,000 RCU ([RW]: the scanned size rounded per
/// 1 MB page, halved for eventual reads); once a day that is 1.45 RCU a second on average,
/// which 1,000 RCU carry with ease. Run as fast as the capacity allows from 00:00 on a new
/// table (`--cold`: no credit banked, [BURST]), it offers 1,000 a second for 125 s on top of
/// the 500 RCU a second of gets: 500 a second over the capacity, 62,500 throttled
/// (`provisioned_throughput`, one attempt). With its own limit of 250 units a second it takes
/// 500 s and nothing throttles (750 ≤ 1,000). Either way the day's read demand is
/// 500 × 86,400 + 125,000 = 43,325,000.
#[test]
fn a_scheduled_scan_runs_as_a_burst() {
    let scan = |limit: &str| {
        spec(
            ONE_ATTEMPT,
            &format!(
                "    provisioned: {{ read: 1000, write: 10 }}
    access:
      - {{ op: get, rate: 1000/s }}
      - {{ op: scan, rate: 1/day, schedule: {{ start: \"00:00\"{limit} }} }}
"
            ),
        )
    };
    let r = report(
        &scan(""),
        "scan.yaml",
        &["--model", "provisioned", "--cold"],
    );
    let reads = lane(&r["tables"][0]["models"][0], "table", "read");
    assert_eq!(f(&reads["demand_units"]), 43_325_000.0);
    assert_eq!(
        reads["causes"],
        serde_json::json!({ "provisioned_throughput": 62_500.0 })
    );

    let r = report(
        &scan(", units_per_second: 250"),
        "scan-limited.yaml",
        &["--model", "provisioned", "--cold"],
    );
    let reads = lane(&r["tables"][0]["models"][0], "table", "read");
    assert_eq!(f(&reads["demand_units"]), 43_325_000.0);
    assert_eq!(f(&reads["throttled_units"]), 0.0);
}
