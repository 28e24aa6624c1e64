//! The demand model on the sketch, against numbers worked by hand from
//! docs/sources.md. Attribute sizes are not given, so index entries assume 32-byte values
//! plus the attribute name: keys_only by_status = customer_id 11+32, order_ts 8+32,
//! status 6+32 = 121 B; include [total] by_total = 43 + 40 + (5+32) = 120 B.

use assert_cmd::cargo::cargo_bin_cmd;
use rust_decimal::Decimal;
use serde_json::Value;

/// The JSON report of `spec` (a path, or `-` with `stdin`), which must plan cleanly.
fn plan_json(spec: &str, stdin: &str) -> Value {
    let out = cargo_bin_cmd!("capacity-plan")
        .args([spec, "--format", "json"])
        .write_stdin(stdin)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn report() -> Value {
    plan_json("tests/fixtures/issue-sketch.yaml", "")
}

/// A figure of the report: money is a decimal string, a quantity a JSON number (docs/report.md).
fn dec(v: &Value) -> Decimal {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"))
}

fn pattern<'a>(report: &'a Value, label: &str) -> &'a Value {
    report["tables"][0]["patterns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["label"] == label)
        .unwrap_or_else(|| panic!("no pattern {label}"))
}

#[test]
fn reads_per_pattern() {
    let r = report();
    // 1.2 KB = 1,229 B → one 4 KB step; eventual 0.5 (§1.1). 400/s × 0.5 = 200, DAX hits
    // 85% of eventual reads (§7.4 [DAX]) → 30 RCU left on the table; diurnal peak × 3.
    let get = pattern(&r, "get (eventual)");
    assert_eq!(dec(&get["units_per_request"]), Decimal::new(5, 1));
    assert_eq!(dec(&get["units"]["mean"]), Decimal::from(30));
    assert_eq!(dec(&get["units"]["peak"]), Decimal::from(90));
    // Query of 20 items summed: 24,580 B → 7 steps, strong → 7 RCU × 50/s = 350 (§1.2).
    let query = pattern(&r, "query (strong)");
    assert_eq!(dec(&query["units_per_request"]), Decimal::from(7));
    assert_eq!(dec(&query["units"]["mean"]), Decimal::from(350));
    // GSI query of 100 keys_only entries: 12,100 B → 3 steps, eventual (GSI) → 1.5 RCU.
    let gsi = pattern(&r, "query on by_status");
    assert_eq!(dec(&gsi["units_per_request"]), Decimal::new(15, 1));
    assert_eq!(gsi["target"]["name"], "by_status");
}

#[test]
fn writes_and_index_amplification() {
    let r = report();
    // Put 1,229 B → 2 WCU; GSI insert sized 121 B → 1 WCU × 40% coverage = 0.4 (§3.2).
    let put = pattern(&r, "put");
    assert_eq!(dec(&put["units_per_request"]), Decimal::from(2));
    assert_eq!(
        dec(&put["index_writes"][0]["units_per_request"]),
        Decimal::new(4, 1)
    );
    // Transactional update: 2 × 2 = 4 WCU; its key change on by_status is delete + put = 2,
    // for every item updated (the pattern says they carry the key, so the 40% coverage does
    // not apply) and not doubled by the transaction (docs/rules.md).
    let update = pattern(&r, "update");
    assert_eq!(dec(&update["units_per_request"]), Decimal::from(4));
    assert_eq!(update["index_writes"][0]["event"], "key_change");
    assert_eq!(
        dec(&update["index_writes"][0]["units_per_request"]),
        Decimal::from(2)
    );
    // Batch of 25 items rounded one by one: 25 × 2 = 50 WCU (§1.2).
    assert_eq!(
        dec(&pattern(&r, "batch_write")["units_per_request"]),
        Decimal::from(50)
    );
    // Table writes: 240 + 120 + 100 base, plus LSI by_total (1 WCU per item): 120 + 30 + 50.
    let table = &r["tables"][0]["targets"][0];
    assert_eq!(dec(&table["writes"]["mean"]), Decimal::from(660));
    assert_eq!(dec(&table["writes"]["peak"]), Decimal::from(1980));
    // GSI writes land on the GSI: puts 48 + key changes 30 × 2 + batches 20 = 128.
    let gsi = &r["tables"][0]["targets"][1];
    assert_eq!(dec(&gsi["writes"]["mean"]), Decimal::from(128));
}

#[test]
fn storage_replication_streams_and_risks() {
    let r = report();
    let t = &r["tables"][0];
    // 50M × (1,229 + 100 overhead + 48 global-table) + 50M LSI entries × (120 + 100) (§2.4).
    assert_eq!(t["targets"][0]["storage_bytes"], 79_850_000_000u64);
    // 20M GSI entries (40%) × (121 + 100).
    assert_eq!(t["targets"][1]["storage_bytes"], 4_420_000_000u64);
    // Partitions: max(⌈1,359/3,000 + 1,980/1,000⌉ = 3, ⌈74.4 GB / 10⌉ = 8) (§4 [HOULIHAN]).
    assert_eq!(t["targets"][0]["partitions"], 8);
    // TTL: 50M items every 90 days = 6.43 deletes/s, free here, replicated elsewhere (§10).
    // Replicated writes: 240 + 120/2 + 100, LSI maintenance 120 + 30 + 50, TTL deletes
    // 6.43 × 2 WCU = 12.86, and the LSI entry each of them removes in the replica, 6.43 × 1 WCU
    // (120 B entry) = 619.29 per replica Region (§8, §10, [GTTHR]; was 612.86 without the LSI
    // removals).
    let replicated = dec(&t["replication"]["units_per_region"]["mean"]);
    assert_eq!(replicated.round_dp(2), Decimal::new(61929, 2));
    // Each replica's GSI: the 128 WCU/s the writes cause plus the entries the TTL deletes
    // remove, 6.43 × 40% coverage × 1 WCU = 2.57: 130.57 (§3.2, [GTTHR]).
    let gsi = &t["replication"]["gsi_writes"][0];
    assert_eq!(gsi[0], "by_status");
    assert_eq!(dec(&gsi[1]["mean"]).round_dp(2), Decimal::new(13057, 2));
    // Stream records: 120 + 30 + 2 × 25 + 6.43 = 206.43/s; the Lambda reader is free.
    assert_eq!(
        dec(&t["streams"]["records_per_second"]).round_dp(2),
        Decimal::new(20643, 2)
    );
    assert_eq!(t["streams"]["billed_readers"], 0);
    // Zipf 1.1 over 2M keys puts 12.1% of traffic on the hottest key.
    let share = dec(&t["hot_key"]["share"]);
    assert!(
        share > Decimal::new(121, 3) && share < Decimal::new(122, 3),
        "{share}"
    );
    // The fixed 800 RCU / 400 WCU are below the peaks: two warnings.
    let below = t["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "provisioned-below-peak")
        .count();
    assert_eq!(below, 2);
}

#[test]
fn costs_price_the_demand() {
    let r = report();
    let modes = r["costs"][0]["modes"].as_array().unwrap();
    let on_demand = &modes[0]["bill"]["lines"];
    // Table reads 393.0208…/s mean, plus the TransactGetItems DAX makes for each item of the
    // 30 transactional updates/s (2 RCU per 1,229 B item, §9 [TX]) = 60: 453.0208… ×
    // 2,628,000 s (730 h) = 1,190,544,320.8 RRU at $0.125 per million (§7.2) = $148.818…
    let reads = &on_demand[0];
    assert_eq!(
        dec(&reads["quantity"]).round(),
        Decimal::from(1_190_544_321u64)
    );
    assert_eq!(dec(&reads["amount"]).round_dp(2), Decimal::new(14882, 2));
    // A global table's own writes are replicated writes even at home (§8 [GTFAQ]):
    // 660 WCU/s × 2,628,000 s = 1,734,480,000 rWRU at $0.625 per million = $1,084.05.
    let writes = &on_demand[1];
    assert_eq!(writes["price_name"], "replicated_write_request_standard");
    assert_eq!(dec(&writes["quantity"]), Decimal::from(1_734_480_000u64));
    assert_eq!(dec(&writes["amount"]).round_dp(2), Decimal::new(108405, 2));
    // Replica Regions without on-demand prices in the catalog stay unpriced, never $0.
    let unpriced = modes[0]["bill"]["unpriced"].as_array().unwrap();
    assert!(unpriced
        .iter()
        .any(|u| u == "ap-southeast-2 replicated_write_request_standard"));
    // Fixed provisioned mode uses the spec's own 800 RCU / 400 WCU.
    let table = &modes[1]["capacity"][0];
    assert_eq!(table["index"], Value::Null);
    assert_eq!(table["unit"], "capacity_units");
    assert_eq!(
        (dec(&table["read"]), dec(&table["write"])),
        (800.into(), 400.into())
    );
}

#[test]
fn reservation_and_dax_advice() {
    let r = report();
    let reserved = &r["costs"][0]["modes"][3];
    assert_eq!(reserved["mode"], "reserved");
    // 800 fixed RCU need 8 blocks, 2 already owned (§7.2: blocks of 100). The table's own
    // writes are replicated (global table) and cannot be reserved; the GSI's write capacity
    // is alike in every Region and sized for the busiest, a replica whose GSI also removes the
    // entries of TTL deletes: 384 + 2.57 = 386.57 peak ÷ 70% → 553 WCU, 6 blocks: the sixth
    // covers the last 53 units, 53 × 730 h × $0.00065 = $25.15 at the ordinary rate, for
    // $12.50 + $9.344 = $21.84 a month. Each replica Region reserves its own 800 RCU and 553
    // GSI WCU the same way (eu-west-1: a block $14.125 + $10.585 = $24.71 against 53 × 730 ×
    // $0.000735 = $28.44), the owned blocks being in us-east-1 only, where the 805 RCU and 553
    // GSI WCU use all of them (no idle units).
    let regions = serde_json::json!([
        {"region": "us-east-1", "read": {"total": 8, "owned": 2}, "write": {"total": 6, "owned": 1}, "idle_read": 0, "idle_write": 0},
        {"region": "eu-west-1", "read": {"total": 8, "owned": 0}, "write": {"total": 6, "owned": 0}, "idle_read": 0, "idle_write": 0},
        {"region": "ap-southeast-2", "read": {"total": 8, "owned": 0}, "write": {"total": 6, "owned": 0}, "idle_read": 0, "idle_write": 0},
    ]);
    // Buying the blocks not owned, at each Region's 1-year prices (us-east-1 $30 + $0.0025/h
    // a read block, $150 + $0.0128/h a write block; eu-west-1 $33.9 + $0.0029, $169.5 +
    // $0.0145; ap-southeast-2 $34.2 + $0.0029, $171 + $0.0146): upfront 6 × 30 + 5 × 150 +
    // 8 × 33.9 + 6 × 169.5 + 8 × 34.2 + 6 × 171 = $3,517.80; hours (0.079 + 0.1102 + 0.1108)
    // × 8,760 = $2,628, so $6,145.80 over the year, × 730 ÷ 8,760 = $512.15 a month.
    let commitment = serde_json::json!({"upfront": "3517.8", "term_total": "6145.8", "monthly_equivalent": "512.15"});
    assert_eq!(
        reserved["reservation"],
        serde_json::json!({"term": "1y", "read": {"total": 24, "owned": 2}, "write": {"total": 18, "owned": 1}, "regions": regions, "commitment": commitment})
    );
    let line = |name: &str| {
        reserved["bill"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["name"] == name)
            .map(|l| dec(&l["amount"]))
            .unwrap_or_else(|| panic!("no line {name}"))
    };
    // 1-year 100 RCU: $30 upfront spread over 8,760 h → $2.50 per block per 730-h month,
    // plus $0.0025/h × 730 h = $1.825 per block.
    assert_eq!(
        line("orders: reserved 1y RCU: upfront, amortized"),
        Decimal::from(20)
    );
    assert_eq!(
        line("orders: reserved 1y RCU: hourly"),
        Decimal::new(146, 1)
    );
    // DAX: 3 × $0.171 × 730 h = $374.49 against 250.17 RCU/s of cache hits, worth $82.18
    // on-demand (× 2,628,000 s × $0.125/M).
    let advice = r["costs"][0]["advice"].as_array().unwrap();
    let dax = advice.iter().find(|a| a["kind"] == "dax").unwrap();
    assert_eq!(dec(&dax["monthly"]).round_dp(2), Decimal::new(37449, 2));
    assert_eq!(
        dec(&dax["saves_on_demand"]).round_dp(2),
        Decimal::new(8218, 2)
    );
}

#[test]
fn free_tier_is_shared_across_tables_of_different_classes() {
    // §7.2 [FREE]: 25 RCU and 25 WCU per account and region, Standard class only here
    // (docs/pricing.md); the Standard-IA table has no reserved mode, which must not break it.
    let r = plan_json("tests/fixtures/free-tier-mixed.yaml", "");
    let provisioned = &r["costs"][0]["modes"][1];
    assert_eq!(provisioned["mode"], "provisioned");
    let credit = provisioned["bill"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == "free tier: provisioned RCU-hours")
        .unwrap();
    // The Standard table provisions 20 RCU × 730 h, under the 25 × 730 allowance: all free.
    assert_eq!(dec(&credit["quantity"]), Decimal::from(-20 * 730));
    assert_eq!(r["costs"][1]["modes"].as_array().unwrap().len(), 3);
}

#[test]
fn a_plan_dynamodb_would_reject_exits_1() {
    let spec = include_str!("fixtures/lsi-over-10gb.yaml");
    let out = cargo_bin_cmd!("capacity-plan")
        .arg("-")
        .write_stdin(spec)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("error[lsi-collection-too-large]"),
        "{stdout}"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("would be rejected by DynamoDB:")
            && stderr.contains(": [lsi-collection-too-large] "),
        "{stderr}"
    );
}

#[test]
fn changes_and_removes_apply_to_every_item_written() {
    // §3.2 [GSI]: a write that changes an index key is a delete + put on the index; one that
    // drops the key is a delete. The pattern says its items carry the key, so the sparse
    // index's 10% coverage does not thin them; plain puts are thinned by it.
    let spec = "region: us-east-1
tables:
  - name: events
    keys: { partition: pk }
    items: { count: 1M, size: 500B }
    access:
      - { name: move, op: put, rate: 10/s, changes: [by_x] }
      - { name: drop, op: transact_write, rate: 10/s, items: 2, action: update, removes: [by_x] }
      - { name: add, op: put, rate: 10/s }
    indexes: [{ name: by_x, type: global, keys: { partition: x }, coverage: 10%, entry_size: 100B }]
";
    let r = plan_json("-", spec);
    let write = |label: &str| pattern(&r, label)["index_writes"][0].clone();
    assert_eq!(write("move")["event"], "key_change");
    assert_eq!(dec(&write("move")["units_per_request"]), Decimal::from(2));
    assert_eq!(write("drop")["event"], "remove");
    assert_eq!(dec(&write("drop")["units_per_request"]), Decimal::from(2));
    assert_eq!(write("add")["event"], "insert");
    assert_eq!(dec(&write("add")["units_per_request"]), Decimal::new(1, 1));
}

#[test]
fn a_mode_that_cannot_carry_the_peak_is_never_recommended() {
    // §4 [BURST]: burst credit covers at most 300 s, so fixed capacity below a sustained peak
    // throttles. The sketch fixes 800 RCU / 400 WCU against peaks of 1,359 (1,179 plus DAX's
    // 180 of transactional read-backs at peak, §9 [TX]) and 1,980.
    let r = report();
    let modes = r["costs"][0]["modes"].as_array().unwrap();
    let short = |mode: &str, kind: &str| {
        let mode = modes.iter().find(|m| m["mode"] == mode).unwrap();
        let s = mode["shortfalls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == kind && s["target"]["type"] == "table")
            .unwrap_or_else(|| panic!("no {kind} shortfall: {mode}"));
        assert_eq!(s["limit"], "provisioned");
        (dec(&s["have"]), dec(&s["need"]).round_dp(2))
    };
    assert_eq!(
        short("provisioned", "read"),
        (800.into(), Decimal::new(135907, 2))
    );
    assert_eq!(short("reserved", "write"), (400.into(), 1980.into()));
    // The recommendation passes both by.
    let chosen = &r["costs"][0]["recommendation"]["mode"];
    assert!(chosen != "provisioned" && chosen != "reserved", "{chosen}");
}
