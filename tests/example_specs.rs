//! Each example spec under `specs/` against the numbers worked by hand from
//! docs/sources.md (section tags in the comments) and the catalog's us-east-1 prices
//! (§7.2: $0.125 per million RRU, $0.625 per million WRU, $0.25 per GB-month).

mod common;

use rust_decimal::Decimal;
use serde_json::Value;

fn plan(spec: &str) -> Value {
    let (code, stdout, stderr) = common::run(&[spec, "--format", "json"], "");
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn dec(v: &Value) -> Decimal {
    match v {
        Value::String(s) => s.parse().unwrap(),
        other => other.to_string().parse().unwrap(),
    }
}

fn pattern<'a>(table: &'a Value, label: &str) -> &'a Value {
    table["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["label"] == label)
        .unwrap_or_else(|| panic!("no pattern {label}"))
}

fn mode<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["costs"][0]["modes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["mode"] == name)
        .unwrap_or_else(|| panic!("no mode {name}"))
}

fn line<'a>(mode: &'a Value, name: &str) -> &'a Value {
    mode["bill"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == name)
        .unwrap_or_else(|| panic!("no line {name}"))
}

#[test]
fn session_store() {
    let r = plan("specs/session-store.yaml");
    let t = &r["tables"][0];
    // Page view: 800 B → one 4 KB step, eventual 0.5 RCU (§1.1); 1,500/s × 0.5 = 750, DAX
    // serves 90% of eventual reads (§7.4) → 75 RCU on the table; weekly peak × 4 = 300.
    let get = pattern(t, "page view");
    assert_eq!(dec(&get["units"]["mean"]), Decimal::from(75));
    assert_eq!(dec(&get["units"]["peak"]), Decimal::from(300));
    // Writes of 800 B are 1 WCU each (§1.2): 35 puts + 120 updates + 8 deletes = 163/s.
    // The keys_only GSI gets the puts (insert) and deletes (remove) but not the updates,
    // which change no key (§3.2): 35 + 8 = 43/s.
    assert_eq!(dec(&t["targets"][0]["writes"]["mean"]), Decimal::from(163));
    assert_eq!(dec(&t["targets"][1]["writes"]["mean"]), Decimal::from(43));
    // GSI entry = session_id 53 B + user_id 27 B = 80 B; 3 entries per query = 240 B → one
    // step, eventual 0.5 × 2/s = 1, less 90% DAX = 0.1.
    assert_eq!(
        dec(&pattern(t, "sessions of a user")["units"]["mean"]),
        Decimal::new(1, 1)
    );
    // TTL: 3M items turn over every 24 h = 34.72 free deletes/s (§10).
    assert_eq!(
        dec(&t["ttl_deletes_per_second"]).round_dp(2),
        Decimal::new(3472, 2)
    );
    // Storage: 3M × (800 + 100) + 3M × (80 + 100) = 3,240,000,000 B (§2.4).
    let storage: u64 = (0..2)
        .map(|i| t["targets"][i]["storage_bytes"].as_u64().unwrap())
        .sum();
    assert_eq!(storage, 3_240_000_000);
    // On-demand (§7.2): reads 75.1 RRU/s × 2,628,000 s = 197,362,800 RRU = $24.67; writes
    // (163 + 43) × 2,628,000 = 541,368,000 WRU = $338.355; storage 3.0175 GB × $0.25 =
    // $0.754; DAX 3 × $0.171 × 730 h = $374.49. Total $738.27.
    let on_demand = mode(&r, "on_demand");
    assert_eq!(
        dec(&line(on_demand, "sessions: on-demand writes (table)")["quantity"]),
        Decimal::from(428_364_000u64)
    );
    assert_eq!(
        dec(&on_demand["bill"]["total"]).round_dp(2),
        Decimal::new(73827, 2)
    );
    // DAX sizing ([DAXCALC], AWS's method): hits 1,506 items/s × 90% = 1,355.4,
    // misses 150.6 × 10, writes 163 × 25 × 3 nodes, all × 1 KB = 15,086.4 normalized
    // requests/s, × max(1 / 70%, 3 / 2) = 22,629.6.
    let advice = r["costs"][0]["advice"].as_array().unwrap();
    let dax = advice.iter().find(|a| a["kind"] == "dax").unwrap();
    assert_eq!(
        dec(&dax["sizing_target_rps"]).round(),
        Decimal::from(22_630)
    );
    assert_eq!(dax["smallest_node_type"], "dax.r5.large");
    assert_eq!(dax["node_type"], "dax.r5.large");
}

#[test]
fn ecommerce_orders() {
    let r = plan("specs/ecommerce-orders.yaml");
    let t = &r["tables"][0];
    // Item size from the two sample orders: 303 B and 406 B average 354.5 → 355 B (§2.1).
    assert_eq!(t["item_bytes"], 355);
    // Order history: 20 × 355 = 7,100 B summed → 2 steps, strong → 2 RCU × 50/s = 100 (§1.2).
    assert_eq!(
        dec(&pattern(t, "order history")["units"]["mean"]),
        Decimal::from(100)
    );
    // Capture payment: TransactWriteItems of 3 items, 2 × 1 WCU each = 6 × 100/s = 600 (§9).
    assert_eq!(
        dec(&pattern(t, "capture payment")["units_per_request"]),
        Decimal::from(6)
    );
    // Table writes: puts 120 + transactions 600 + updates 30 + batches 2 × 25 = 800/s.
    assert_eq!(dec(&t["targets"][0]["writes"]["mean"]), Decimal::from(800));
    // by_order_id (keys_only) entry = customer_id 26 + order_ts 32 + order_id 44 = 102 B from
    // the samples → 1 WCU per item put: 120 orders + 25 × 2 archived = 170/s. The payment
    // transaction updates its 3 items (`action: update`), which leaves a KEYS_ONLY entry alone
    // (§3.2).
    let gsi = &t["targets"][1];
    assert_eq!(gsi["target"]["name"], "by_order_id");
    assert_eq!(dec(&gsi["writes"]["mean"]), Decimal::from(170));
    // It does rewrite the sparse by_status INCLUDE entry in place, for the 4% of items in it:
    // 3 items × 1 WCU × 4% = 0.12 per transaction, not doubled by it.
    let capture = pattern(t, "capture payment");
    assert_eq!(capture["index_writes"][0]["event"], "update");
    assert_eq!(
        dec(&capture["index_writes"][0]["units_per_request"]),
        Decimal::new(12, 2)
    );
    // Shipping drops `status`, removing the order from by_status: one delete for every order
    // shipped, not thinned by the index's 4% coverage (the pattern says its items carry it).
    let ship = pattern(t, "ship order");
    assert_eq!(ship["index_writes"][0]["event"], "remove");
    assert_eq!(
        dec(&ship["index_writes"][0]["units_per_request"]),
        Decimal::ONE
    );
    // The nightly full scan: 50M × 355 B = 17,750,000,000 B = 16,927 full 1 MB pages of 256
    // steps + 754,048 B (185 steps) = 4,333,497 steps, eventual → 2,166,748.5 RCU (§1.2).
    assert_eq!(
        dec(&pattern(t, "analytics export")["units_per_request"]),
        Decimal::new(21_667_485, 1)
    );
    // Storage 50M × (355 + 100) = 22,750,000,000 B (§2.4).
    assert_eq!(t["targets"][0]["storage_bytes"], 22_750_000_000u64);
    // The spec's 0.1% max_throttled budget makes the plan simulate a week. The 3x diurnal rise
    // takes hours, so autoscaling (70% target, 4-minute delay, burst credit) keeps up with it
    // and throttles nothing; under budget and cheapest, it is recommended.
    let autoscaling = mode(&r, "autoscaling");
    assert_eq!(dec(&autoscaling["simulated_throttled"]), Decimal::ZERO);
    assert!(dec(&autoscaling["bill"]["total"]) < dec(&mode(&r, "reserved")["bill"]["total"]));
    // Having simulated the week, the plan prices autoscaling at the capacity it held there, as
    // `simulate` does (issue 11, one answer per question): the two differ only by the lines
    // that are not throughput (storage, backups, ...), which provisioned shows too; to the
    // cent, the simulated averages being reported to 0.001 unit.
    let (code, stdout, stderr) = common::run(
        &[
            "simulate",
            "specs/ecommerce-orders.yaml",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    let simulated: Value = serde_json::from_str(&stdout).unwrap();
    let simulated_cost = |model: &str| {
        let models = simulated["tables"][0]["models"].as_array().unwrap();
        dec(&models.iter().find(|m| m["model"] == model).unwrap()["monthly_cost"])
    };
    let other_lines =
        dec(&mode(&r, "provisioned")["bill"]["total"]) - simulated_cost("provisioned");
    let autoscaling_total = dec(&autoscaling["bill"]["total"]);
    assert_eq!(
        (autoscaling_total - simulated_cost("autoscaling") - other_lines).round_dp(2),
        Decimal::ZERO
    );
    assert!(r["caveats"][0]
        .as_str()
        .unwrap()
        .starts_with("Autoscaling cost is the average capacity it held in the simulated week"));
    let recommendation = &r["costs"][0]["recommendation"];
    assert_eq!(recommendation["mode"], "autoscaling");
    assert_eq!(recommendation["reason"], "cheapest");
    assert_eq!(dec(&recommendation["monthly"]), autoscaling_total);
    let runner_up = &recommendation["runner_up"];
    assert_eq!(runner_up["mode"], "reserved");
    assert_eq!(
        dec(&runner_up["monthly"]).round_dp(2),
        Decimal::new(108529, 2)
    );
    assert_eq!(
        dec(&runner_up["saving"]),
        dec(&runner_up["monthly"]) - autoscaling_total
    );
    // On-demand pays the owned blocks without using them: 2 × $30 × 730 / 8,760 = $5 upfront
    // and 2 × 730 h × $0.0025 = $3.65 for RCU, $12.50 + 730 × $0.0128 = $9.344 for WCU.
    let od = mode(&r, "on_demand");
    assert_eq!(
        dec(&line(od, "orders: reserved 1y RCU: hourly")["amount"]),
        Decimal::new(365, 2)
    );
    assert_eq!(
        dec(&line(od, "orders: reserved 1y WCU: hourly")["amount"]),
        Decimal::new(9344, 3)
    );
    // On-demand table writes: 800 × 2,628,000 s = 2,102,400,000 WRU × $0.625/M = $1,314.
    let writes = line(mode(&r, "on_demand"), "orders: on-demand writes (table)");
    assert_eq!(dec(&writes["amount"]), Decimal::from(1314));
    // The stream's only reader is a Lambda trigger, whose reads AWS never charges (§7.2
    // [STRCOST]): no Streams reads line in any mode.
    for m in r["costs"][0]["modes"].as_array().unwrap() {
        let lines = m["bill"]["lines"].as_array().unwrap();
        assert!(lines.iter().all(|l| l["name"] != "orders: Streams reads"));
    }
}

#[test]
fn global_catalog() {
    let r = plan("specs/global-catalog.yaml");
    let t = &r["tables"][0];
    // 3.5 KB = 3,584 B: a batch of 25 gets is 25 single steps, strong → 25 × 0.5 eventual
    // = 12.5 RCU per call (§1.2, per-item rounding).
    assert_eq!(
        dec(&pattern(t, "cart prices")["units_per_request"]),
        Decimal::new(125, 1)
    );
    // Writes are 4 WCU (3,584 B → 4 KB): updates 15 × 4 + puts 1 × 4 + recategorise
    // 0.2 × 4 = 64.8; the LSI's inserts land on the table too (§3.3): 1 × 1 WCU = 65.8.
    assert_eq!(
        dec(&t["targets"][0]["writes"]["mean"]),
        Decimal::new(658, 1)
    );
    // eu-west-1 replays all of it, LSI maintenance included (§8): 65.8 WCU/s.
    assert_eq!(
        dec(&t["replication"]["units_per_region"]["mean"]),
        Decimal::new(658, 1)
    );
    // Kinesis CDC: 16.2 changes/s × 4 KB = 64.8 units/s; the Lambda reader is free.
    assert_eq!(
        dec(&t["streams"]["kinesis_units_per_second"]),
        Decimal::new(648, 1)
    );
    assert_eq!(t["streams"]["billed_readers"], 0);
    // Items of a global table store 48 bytes more (§2.4): 4M × (3,584 + 100 + 48) plus
    // the LSI entries 4M × (118 + 100) = 15,800,000,000 B.
    assert_eq!(t["targets"][0]["storage_bytes"], 15_800_000_000u64);
    // The home Region's own writes are replicated writes (rWRU), not WRU (§8 [GTFAQ]).
    let home = line(mode(&r, "on_demand"), "catalog: replicated writes (table)");
    assert_eq!(
        dec(&home["quantity"]),
        Decimal::new(658, 1) * Decimal::from(2_628_000)
    );
    // Replication sends eu-west-1 every item written ([GTBILL]): 16.2 items/s × 3,584 B =
    // 58,060.8 B/s × 2,628,000 s = 152,583,782,400 B, priced in us-east-1 at $0.02 per GB.
    let transfer = line(mode(&r, "autoscaling"), "catalog: cross-Region transfer");
    assert_eq!(transfer["region"], "us-east-1");
    assert!(transfer["working"]
        .as_str()
        .unwrap()
        .starts_with("152,583,782,400 B"));
    assert_eq!(dec(&transfer["amount"]).round_dp(2), Decimal::new(284, 2));
    // Reserved capacity is bought in every Region (§7.2 [RECO]): us-east-1 reserves its 6,000
    // table + 1,608 GSI RCU (76 blocks) and the GSI's 59 WCU (1 block); the eu-west-1 replica
    // its 6,000 table RCU (60 blocks at $33.9 × 730 / 8,760 + $0.0029 × 730 = $4.942 instead of
    // 100 × 730 × $0.000147 = $10.731) and its GSI's 59 WCU (1 block, $24.71 against $31.66).
    // The table's own writes are rWCU, never reserved [GTFAQ].
    let reservation = &mode(&r, "reserved")["reservation"];
    let regions = reservation["regions"].as_array().unwrap();
    assert_eq!(regions[0]["region"], "us-east-1");
    assert_eq!(regions[0]["read"]["total"], 76);
    assert_eq!(regions[0]["write"]["total"], 1);
    assert_eq!(regions[1]["region"], "eu-west-1");
    assert_eq!(regions[1]["read"]["total"], 60);
    assert_eq!(regions[1]["write"]["total"], 1);
}

#[test]
fn iot_timeseries() {
    let r = plan("specs/iot-timeseries.yaml");
    let t = &r["tables"][0];
    // Ingest: 80 batches/s × 25 readings of 180 B, each 1 WCU (§1.2) = 2,000 WCU/s.
    assert_eq!(
        dec(&pattern(t, "ingest")["units"]["mean"]),
        Decimal::from(2000)
    );
    // Dashboard: 360 × 180 = 64,800 B summed → 16 steps, eventual → 8 RCU × 40/s = 320.
    assert_eq!(
        dec(&pattern(t, "dashboard")["units"]["mean"]),
        Decimal::from(320)
    );
    // TTL: 5B items over 30 days = 1,929.01 free deletes/s (§10).
    assert_eq!(
        dec(&t["ttl_deletes_per_second"]).round_dp(2),
        Decimal::new(192901, 2)
    );
    // The hottest key is the explicit 3% gateway (Zipf 0.8 over 200K keys gives less):
    // 3% × 4,000 peak WCU = 120 WCU, under the 1,000 per-key limit (§4).
    assert_eq!(dec(&t["hot_key"]["share"]), Decimal::new(3, 2));
    assert_eq!(dec(&t["hot_key"]["write_units"]), Decimal::from(120));
    // Standard-IA storage is $0.10/GB-month, not Standard's $0.25 (a mistake of [SCYLLA]):
    // 5B × (180 + 100) + 25M GSI entries × (180 + 100) = 1,407,000,000,000 B.
    let storage = line(mode(&r, "on_demand"), "readings: storage");
    assert_eq!(storage["price_name"], "storage_gb_month_standard_ia");
    assert_eq!(dec(&storage["unit_price"]), Decimal::new(10, 2));
}

#[test]
fn pitr_and_backups_are_billed_on_table_data_with_lsis_not_gsis() {
    // AWS "Billing for backups" [BKBILL] (rules §7.2) and the PITR guide: PITR and on-demand
    // backups are billed on the table's data including its LSIs, not its GSIs.
    let r = plan("tests/fixtures/backups-beside-a-gsi.yaml");
    let t = &r["tables"][0];
    assert_eq!(t["targets"][1]["target"]["name"], "everything");
    let table_bytes = t["targets"][0]["storage_bytes"].as_u64().unwrap();
    let gsi_bytes = t["targets"][1]["storage_bytes"].as_u64().unwrap();
    assert!(gsi_bytes > 0);
    // GB are binary (1024³ B); JSON gives the quantity to a millionth (docs/report.md).
    let gb = |bytes: u64| {
        (Decimal::from(bytes) / Decimal::from(1u64 << 30))
            .round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    };
    let on_demand = mode(&r, "on_demand");
    assert_eq!(
        dec(&line(on_demand, "events: storage")["quantity"]),
        gb(table_bytes + gsi_bytes)
    );
    assert_eq!(
        dec(&line(on_demand, "events: point-in-time recovery")["quantity"]),
        gb(table_bytes)
    );
    // Two retained backups of unstated size: each the size of the table with its LSIs.
    assert_eq!(
        dec(&line(on_demand, "events: on-demand backups")["quantity"]),
        gb(2 * table_bytes)
    );
}

#[test]
fn the_plan_report_shows_each_replicas_capacity_beside_the_home_regions() {
    let (code, report, stderr) = common::run(&["specs/global-catalog.yaml"], "");
    assert_eq!(code, 0, "{stderr}");
    // Every write is replicated to, and billed in, each replica Region as replicated write
    // request units ("Amazon DynamoDB pricing for on-demand capacity", Global tables,
    // https://aws.amazon.com/dynamodb/pricing/on-demand/). Table writes a second, 3.5 KB
    // items being ⌈3,584 ÷ 1,024⌉ = 4 WCU each: price update 15 × 4 + new product 1 × 4 + its
    // keys-only LSI entry 1 × 1 + recategorise 0.2 × 4 = 65.8; over 730 h × 3,600 s =
    // 2,628,000 s, 172,922,400 a month. The replica's GSI takes its entry writes: 15 × 1 + 1 ×
    // 1 + 0.2 × 2 (a key change deletes one entry and puts another) = 16.4/s, 43,099,200 a
    // month. Reads stay in the home Region: 2,500 × 0.5 + 600 × 3 + 90 × 12.5 = 4,175 RRU/s
    // (eventually consistent, 4 KB each), 10,971,900,000 a month.
    for line in [
        "eu-west-1 replica table 0 RRU + 172,922,400 WRU a month",
        "eu-west-1 replica GSI by_category 0 RRU + 43,099,200 WRU a month",
        "table 10,971,900,000 RRU + 172,922,400 WRU a month",
    ] {
        assert!(report.contains(line), "no `{line}` in {report}");
    }
}
