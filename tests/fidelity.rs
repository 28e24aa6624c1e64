//! Plan and cost fidelity through the binary: every line DynamoDB bills, sized as DynamoDB
//! sizes it. Each test cites its AWS source (a docs/sources.md tag) and computes the figure
//! by hand in its comment.

mod common;

use common::run;
use rust_decimal::Decimal;
use serde_json::Value;

/// The JSON plan of a spec given on stdin.
fn plan_json(spec: &str) -> Value {
    let (code, out, err) = run(&["plan", "--format", "json", "-"], spec);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// A figure of the report: money is a decimal string, a quantity a JSON number (docs/report.md).
fn decimal(v: &Value) -> Decimal {
    serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{v}: {e}"))
}

fn dec(text: &str) -> Decimal {
    text.parse().unwrap()
}

/// `validate` of a spec on stdin: its exit code and what it printed on stderr, which must
/// name `code`.
fn validate(spec: &str, code: &str) -> (i32, String) {
    let (exit, _, err) = run(&["validate", "-"], spec);
    assert!(err.contains(code), "no {code} in {err}");
    (exit, err)
}

/// The priced mode `mode` of the first table.
fn mode<'a>(report: &'a Value, mode: &str) -> &'a Value {
    report["costs"][0]["modes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["mode"] == mode)
        .unwrap_or_else(|| panic!("no mode {mode}"))
}

/// (read, write) of the table itself (no index) in `region` under `mode`.
fn table_capacity(report: &Value, name: &str, region: &str) -> (Decimal, Decimal) {
    let c = mode(report, name)["capacity"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["region"] == region && c["index"].is_null())
        .unwrap_or_else(|| panic!("no capacity in {region}"))
        .clone();
    (decimal(&c["read"]), decimal(&c["write"]))
}

// ---- 1. DAX with transactions ([TX]) ----

const DAX_TRANSACTIONS: &str = "region: us-east-1
tables:
  - name: ledger
    keys: { partition: pk }
    items: { count: 1M, size: 500B }
    access:
      - { op: transact_write, rate: 10/s, items: 3 }
      - { op: get, rate: 100/s }
    dax: { nodes: 3, node_type: dax.r5.large, hit_ratio: 50% }
";

#[test]
fn dax_reads_back_every_item_of_a_transactional_write() {
    // [TX] "If you were using DynamoDB Accelerator (DAX) in the previous example, you would also
    // use two read capacity units (RCUs) for each item in the TransactWriteItems call".
    // 10 TransactWriteItems/s of 3 × 500 B items → 10 × 3 × 2 = 60 RCU/s of background
    // TransactGetItems; 100 eventual GetItem/s of 500 B = 100 × 0.5 = 50 RCU/s, half of it
    // served by DAX (hit ratio 50%) → 25. Table reads: 60 + 25 = 85 RCU/s (before: 25).
    let report = plan_json(DAX_TRANSACTIONS);
    let table = &report["tables"][0]["targets"][0];
    assert_eq!(decimal(&table["reads"]["mean"]), dec("85"));
    let pattern = &report["tables"][0]["patterns"][0];
    assert_eq!(
        decimal(&pattern["dax_transaction_reads"]["mean"]),
        dec("60")
    );
    // --explain shows the arithmetic.
    let (code, out, err) = run(&["plan", "--explain", "-"], DAX_TRANSACTIONS);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("TransactGetItems of 3 items of 500 B in the background, 6 read units per request; 10 requests/s × 6 = 60 read units/s"),
        "{out}"
    );
}

// ---- 2. Global-table replicas sized with what they replicate ([GTTHR][GTBP]) ----

const TTL_GLOBAL: &str = "region: us-east-1
tables:
  - name: sessions
    keys: { partition: pk }
    items: { count: 86400, size: 2KB }
    access:
      - { op: put, rate: 1/s }
    ttl: { retention: 1d }
    global: { replicas: [us-west-2] }
";

#[test]
fn replicas_take_the_replicated_ttl_deletes_and_write_capacity_is_alike() {
    // [GTTHR]: a TTL delete consumes no write units on the source table, "but the replica tables
    // will get a replicated write of that delete operation and will incur replicated write unit
    // costs"; [GTBP]: replicas have "identical write capacity settings".
    // 86,400 items with a 1-day TTL expire at 1/s; 1 put/s and 1 delete/s of 2 KB items.
    // Home: 2 WCU/s. Replica: 2 (replicated put) + 2 (replicated TTL delete) = 4 WCU/s.
    // Fixed provisioned at 70%: ⌈4 / 0.7⌉ = ⌈5.71⌉ = 6 WCU in every Region (before: ⌈2/0.7⌉ = 3).
    let report = plan_json(TTL_GLOBAL);
    let replication = &report["tables"][0]["replication"];
    assert_eq!(decimal(&replication["units_per_region"]["mean"]), dec("4"));
    assert_eq!(decimal(&replication["ttl_delete_units"]), dec("2"));
    let (code, out, err) = run(&["plan", "-"], TTL_GLOBAL);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Global table: 4 replicated write units/s (peak 4) into each of us-west-2, 2 of them replicated TTL deletes; 4,096 B/s sent to each."),
        "{out}"
    );
    for region in ["us-east-1", "us-west-2"] {
        assert_eq!(table_capacity(&report, "provisioned", region).1, dec("6"));
        assert_eq!(table_capacity(&report, "reserved", region).1, dec("6"));
    }
    // Auto scaling floats per Region ([GTTHR] "the actual provisioned write capacity can float
    // independently between Regions"): home ⌈2 / 0.7⌉ = 3, replica ⌈4 / 0.7⌉ = 6.
    assert_eq!(
        table_capacity(&report, "autoscaling", "us-east-1").1,
        dec("3")
    );
    assert_eq!(
        table_capacity(&report, "autoscaling", "us-west-2").1,
        dec("6")
    );
    // On-demand: the replica pays 4 rWRU/s × 2,628,000 s (730 h) = 10,512,000 rWRU; the home
    // Region 2 × 2,628,000 = 5,256,000.
    assert_eq!(
        table_capacity(&report, "on_demand", "us-west-2").1,
        dec("10512000")
    );
    assert_eq!(
        table_capacity(&report, "on_demand", "us-east-1").1,
        dec("5256000")
    );
}

#[test]
fn fixed_write_capacity_below_a_replicas_ttl_deletes_throttles() {
    // The same table with 3 WCU fixed: enough for the home Region's 2 WCU/s, not for the
    // replica's 4 (2 puts + 2 replicated TTL deletes), so provisioned and reserved throttle
    // with need 4; an autoscaling maximum of 3 likewise ([GTTHR]: the maximum must "handle all
    // write operations and all potential TTL delete operations").
    let spec = format!(
        "{TTL_GLOBAL}    provisioned: {{ read: 1, write: 3 }}\n    autoscaling: {{ target: 70%, max_write: 3 }}\n"
    );
    let report = plan_json(&spec);
    for name in ["provisioned", "reserved", "autoscaling"] {
        let shortfalls = mode(&report, name)["shortfalls"].as_array().unwrap();
        let write = shortfalls
            .iter()
            .find(|s| s["kind"] == "write")
            .unwrap_or_else(|| panic!("{name}: no write shortfall"));
        assert_eq!(decimal(&write["have"]), dec("3"), "{name}");
        assert_eq!(decimal(&write["need"]), dec("4"), "{name}");
    }
}

#[test]
fn a_replicas_gsi_pays_for_the_entries_ttl_deletes_remove() {
    // [GTTHR] plus §3.2 [GSI]: a replicated TTL delete removes the item's entry from the
    // replica's GSI (one delete of the entry rounded up to 1 KB), billed as a GSI write there.
    // 1 put/s inserts 1 entry (1 WCU); 1 TTL delete/s removes 1 entry (1 WCU) in the replica.
    // Replica GSI: 1 + 1 = 2 WRU/s × 2,628,000 s = 5,256,000 WRU; home GSI 1 × 2,628,000.
    let spec = format!(
        "{TTL_GLOBAL}    indexes:\n      - {{ name: by_user, type: global, keys: {{ partition: user }}, projection: keys_only, entry_size: 100B }}\n"
    );
    let report = plan_json(&spec);
    let gsi = |region: &str| {
        let c = mode(&report, "on_demand")["capacity"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["region"] == region && c["index"] == "by_user")
            .unwrap()
            .clone();
        decimal(&c["write"])
    };
    assert_eq!(gsi("us-east-1"), dec("2628000"));
    assert_eq!(gsi("us-west-2"), dec("5256000"));
}

// ---- 4. DynamoDB's request limits in the spec's validation ([TX][QUOTA]) ----

#[test]
fn a_transaction_over_4mb_is_refused_by_validate() {
    // §9 [TX]: the items of a transaction add up to at most 4 MB; 100 × 100 KB = 10,240,000 B.
    let spec = "region: us-east-1
tables:
  - name: orders
    keys: { partition: pk }
    items: { count: 1M, size: 100KB }
    access:
      - { op: transact_write, rate: 1/s, items: 100 }
";
    let (code, err) = validate(spec, "request-too-large");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("ValidationException"), "{err}");
    assert!(err.contains("tables[0].access[0]"), "{err}");
    let (code, _, err) = run(&["plan", "-"], spec);
    assert_eq!(code, 1, "{err}");
}

#[test]
fn a_batch_get_over_16mb_warns_that_it_takes_several_calls() {
    // §11.3 [QUOTA]: BatchGetItem returns at most 16 MB; 100 keys of 400 KB = 40,000 KB take
    // 3 calls (40 items of 400 KB = 16,000 KB fit in each).
    let spec = "region: us-east-1
tables:
  - name: docs
    keys: { partition: pk }
    items: { count: 1M, size: 400KB }
    access:
      - { op: batch_get, rate: 1/s, items: 100 }
";
    let (code, err) = validate(spec, "batch-get-over-16mb");
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("3 calls"), "{err}");
}

// ---- 7. Streams' free reads ([STRCOST]) ----

#[test]
fn the_first_2_5_million_streams_reads_are_free_without_the_free_tier() {
    // [STRCOST] "Every month, the first 2,500,000 read requests made by non-Lambda consumers
    // are also free of cost ... for each AWS Region". One application reader polls the one
    // shard (1 partition) once a second: 1 × 2,628,000 s (730 h) = 2,628,000 GetRecords; the
    // allowance takes 2,500,000, so 128,000 are billed × $0.0000002 = $0.0256 (us-east-1).
    let report = plan_json(
        "region: us-east-1
tables:
  - name: events
    keys: { partition: pk }
    items: { count: 1000, size: 1KB }
    access:
      - { op: put, rate: 1/s }
    streams: { view: new_image, readers: [application] }
",
    );
    for name in ["on_demand", "provisioned", "autoscaling", "reserved"] {
        let lines = mode(&report, name)["bill"]["lines"].as_array().unwrap();
        let streams: Decimal = lines
            .iter()
            .filter(|l| l["price_name"] == "streams_read_request")
            .map(|l| decimal(&l["amount"]))
            .sum();
        assert_eq!(streams, dec("0.0256"), "{name}");
        let credit = lines
            .iter()
            .find(|l| {
                l["price_name"] == "streams_read_request"
                    && l["name"].as_str().unwrap().contains("allowance")
            })
            .unwrap_or_else(|| panic!("{name}: no allowance line"));
        assert_eq!(decimal(&credit["quantity"]), dec("-2500000"), "{name}");
    }
    // The recommendation and the workload total are weighed on the credited bills.
    let recommendation = &report["costs"][0]["recommendation"];
    let chosen = mode(&report, recommendation["mode"].as_str().unwrap());
    assert_eq!(
        decimal(&recommendation["monthly"]),
        decimal(&chosen["bill"]["total"])
    );
    assert_eq!(
        decimal(&report["total_monthly"]),
        decimal(&chosen["bill"]["total"])
    );
}

// ---- 6. Reserved capacity per Region and per account (§7.2 [RECO][GTFAQ]) ----

const THREE_REGIONS: &str = "region: us-east-1
tables:
  - name: profiles
    keys: { partition: pk }
    items: { count: 1000, size: 1KB }
    access:
      - { op: get, rate: 100/s }
      - { op: put, rate: 1/s }
    provisioned: { read: 1000, write: 10 }
    global: { replicas: [us-west-2, eu-west-1] }
";

#[test]
fn every_regions_provisioned_reads_are_reserved() {
    // Reservations are bought per Region and cover provisioned RCU there [RECO]; each replica
    // holds the table's 1,000 RCU. A 1-year RCU block costs, a month, upfront × 730 / 8,760 +
    // hourly × 730; it pays when it saves 100 RCU × 730 h at the ordinary rate:
    // - us-east-1, us-west-2: $30 × 730 / 8,760 + $0.0025 × 730 = $2.50 + $1.825 = $4.325
    //   against 73,000 × $0.00013 = $9.49 → 10 blocks, RCU $43.25 (unreserved $94.90);
    // - eu-west-1: $33.9 × 730 / 8,760 + $0.0029 × 730 = $2.825 + $2.117 = $4.942 against
    //   73,000 × $0.000147 = $10.731 → 10 blocks, RCU $49.42 (unreserved $107.31).
    // The table's own writes are rWCU, which reservations never cover [GTFAQ]: no WCU blocks.
    let report = plan_json(THREE_REGIONS);
    let reserved = mode(&report, "reserved");
    let regions = reserved["reservation"]["regions"].as_array().unwrap();
    assert_eq!(regions.len(), 3);
    for r in regions {
        assert_eq!(r["read"]["total"], 10, "{r}");
        assert_eq!(r["write"]["total"], 0, "{r}");
    }
    assert_eq!(reserved["reservation"]["read"]["total"], 30);
    let lines = reserved["bill"]["lines"].as_array().unwrap();
    let rcu_cost = |region: &str| -> Decimal {
        lines
            .iter()
            .filter(|l| l["region"] == region)
            .filter(|l| {
                let key = l["price_name"].as_str().unwrap();
                key.starts_with("reserved_1y_rcu") || key == "provisioned_rcu_hour_standard"
            })
            .map(|l| decimal(&l["amount"]))
            .sum()
    };
    assert_eq!(rcu_cost("us-east-1"), dec("43.25"));
    assert_eq!(rcu_cost("us-west-2"), dec("43.25"));
    assert_eq!(rcu_cost("eu-west-1"), dec("49.42"));
    // rWCU stay at the ordinary rate: 10 rWCU × 730 h in each of the 3 Regions.
    let rwcu: Vec<&Value> = lines
        .iter()
        .filter(|l| l["price_name"] == "replicated_wcu_hour_standard")
        .collect();
    assert_eq!(rwcu.len(), 3, "{rwcu:?}");
    assert!(rwcu.iter().all(|l| decimal(&l["quantity"]) == dec("7300")));
}

#[test]
fn owned_blocks_are_paid_in_every_mode_and_never_cover_rwcu() {
    // The fee of owned blocks is owed for the whole term whatever mode the table uses (§7.2
    // [RECO]); reserved capacity is not sold for replicated WCU [GTFAQ], so 100 owned WCU on a
    // global table without GSIs are paid and unused, with a warning. 1 owned 1-year WCU block:
    // $150 × 730 / 8,760 = $12.50 upfront + $0.0128 × 730 = $9.344 hourly = $21.844 a month,
    // in on-demand, provisioned, autoscaling and reserved alike.
    let spec = format!("{THREE_REGIONS}    reserved: {{ term: 1y, write: 100 }}\n");
    let report = plan_json(&spec);
    for name in ["on_demand", "provisioned", "autoscaling", "reserved"] {
        let fee: Decimal = mode(&report, name)["bill"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| {
                l["price_name"]
                    .as_str()
                    .unwrap()
                    .starts_with("reserved_1y_wcu")
            })
            .map(|l| decimal(&l["amount"]))
            .sum();
        assert_eq!(fee, dec("21.844"), "{name}");
    }
    let (code, err) = validate(&spec, "reserved-on-replicated-writes");
    assert_eq!(code, 0, "{err}");
    // The plan says how many owned units sit idle: all 100 WCU in us-east-1.
    let home = &mode(&report, "reserved")["reservation"]["regions"][0];
    assert_eq!(home["region"], "us-east-1");
    assert_eq!(decimal(&home["idle_write"]), dec("100"));
    assert_eq!(decimal(&home["idle_read"]), dec("0"));
    let idle = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["code"] == "reserved-blocks-idle")
        .unwrap_or_else(|| panic!("{}", report["diagnostics"]));
    assert_eq!(idle["path"], "tables[0].reserved");
    assert!(idle["message"]
        .as_str()
        .unwrap()
        .starts_with("100 of table `profiles`'s owned reserved write units in us-east-1"));
}

// ---- 8. Global tables without auto scaling ([GTBP][GTTHR]) ----

#[test]
fn a_global_table_in_fixed_provisioned_capacity_is_warned() {
    // [GTBP] "A global table must have throughput capacity configured one of two ways:
    // on-demand ... provisioned capacity mode with auto scaling"; [GTTHR] likewise.
    let spec = format!("{TTL_GLOBAL}    capacity: provisioned\n");
    let (code, err) = validate(&spec, "global-table-fixed-capacity");
    assert_eq!(code, 0, "{err}");
    // Compared, steady reads of 2,000 eventual GetItem/s (1,000 RCU/s → ⌈1,000 / 0.7⌉ = 1,429
    // RCU) are cheapest reserved (14 blocks at $4.325 against $9.49 of RCU-hours each): the
    // plan says that this is fixed capacity on a global table.
    let report = plan_json(
        "region: us-east-1
tables:
  - name: catalog
    keys: { partition: pk }
    items: { count: 1000, size: 1KB }
    access:
      - { op: get, rate: 2000/s }
      - { op: put, rate: 1/s }
    global: { replicas: [eu-west-1] }
",
    );
    assert_eq!(report["costs"][0]["recommendation"]["mode"], "reserved");
    assert_eq!(
        mode(&report, "reserved")["reservation"]["read"]["total"],
        14
    );
    let warned = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["code"] == "global-table-fixed-capacity" && d["path"] == "tables[0].global");
    assert!(warned, "{}", report["diagnostics"]);
    // Without global tables, no such warning.
    let single = TTL_GLOBAL.replace(
        "    global: { replicas: [us-west-2] }\n",
        "    capacity: provisioned\n",
    );
    let (_, _, err) = run(&["validate", "-"], &single);
    assert!(!err.contains("global-table-fixed-capacity"), "{err}");
}

// ---- 9. Multi-Region strong consistency with a witness ([GTOV]) ----

const MRSC_WITNESS: &str = "region: us-east-1
tables:
  - name: accounts
    capacity: on_demand
    keys: { partition: pk }
    items: { count: 1M, size: 1KB }
    access:
      - { op: put, rate: 10/s }
    global: { replicas: [us-east-2, us-west-2], consistency: strong, witness: us-west-2 }
";

#[test]
fn a_witness_region_costs_no_writes_storage_or_transfer() {
    // [GTOV]: "You can configure an MRSC global table with three replicas, or with two replicas
    // and one witness ... A witness does not incur storage or write costs." 10 puts/s of 1 KB
    // → 10 rWRU/s in us-east-1 and in the us-east-2 replica (10 × 2,628,000 = 26,280,000 a
    // month each), nothing at all in the us-west-2 witness.
    let report = plan_json(MRSC_WITNESS);
    assert_eq!(
        report["tables"][0]["replication"]["regions"],
        serde_json::json!(["us-east-2"])
    );
    let lines = mode(&report, "on_demand")["bill"]["lines"]
        .as_array()
        .unwrap();
    assert!(!lines.is_empty());
    assert!(
        lines.iter().all(|l| l["region"] != "us-west-2"),
        "{lines:?}"
    );
    assert_eq!(
        table_capacity(&report, "on_demand", "us-east-2").1,
        dec("26280000")
    );
    // A witness belongs to MRSC only, and is one of the replicas.
    let mrec = MRSC_WITNESS.replace("consistency: strong, ", "");
    let elsewhere = MRSC_WITNESS.replace("witness: us-west-2", "witness: eu-west-1");
    for spec in [mrec, elsewhere] {
        let (code, err) = validate(&spec, "witness-invalid");
        assert_eq!(code, 1, "{err}");
    }
}

// ---- 10. Database Savings Plans ([PRICE-OD]) ----

#[test]
fn savings_plans_are_stated_as_not_modelled() {
    // The catalog has no sourced Database Savings Plans rates, so the plan says it does not
    // model them rather than pricing them.
    let report = plan_json(MRSC_WITNESS);
    let caveats = report["caveats"].as_array().unwrap();
    assert!(
        caveats
            .iter()
            .any(|c| c.as_str().unwrap().contains("Database Savings Plans")
                && c.as_str().unwrap().contains("not modelled")),
        "{caveats:?}"
    );
}

// ---- 5. LSI fetches ([LSI]) ----

const LSI_FETCH: &str = "region: us-east-1
tables:
  - name: threads
    keys: { partition: forum, sort: subject }
    items: { count: 1000, size: 300B }
    access:
      - { op: query, index: by_date, items: 4, rate: 10/s, consistency: strong, fetch: true }
    indexes:
      - { name: by_date, type: local, sort: last_post, projection: keys_only, entry_size: 200B }
";

#[test]
fn an_lsi_query_fetching_unprojected_attributes_pays_each_fetch() {
    // [LSI] (archived developer guide, LSI.md): a query returning 4 index entries of 200 B
    // reads 800 B → 4 KB; fetching the 4 table items of 300 B rounds each to 4 KB → 16 KB;
    // 20 KB in all = 5 strongly consistent RCU per query. 10 queries/s → 50 RCU/s on the table
    // (an LSI reads the table's capacity, §3.3).
    let report = plan_json(LSI_FETCH);
    let pattern = &report["tables"][0]["patterns"][0];
    assert_eq!(decimal(&pattern["units_per_request"]), dec("5"));
    assert_eq!(
        decimal(&report["tables"][0]["targets"][0]["reads"]["mean"]),
        dec("50")
    );
    let (code, out, err) = run(&["plan", "--explain", "-"], LSI_FETCH);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("plus 4 fetched table items of 300 B, each rounded up to 4 KB on its own: 5 read units per request"),
        "{out}"
    );
    // Eventually consistent, half: 2.5 RCU (calc read gives the same working).
    let answer = common::calc_json(
        "read --op query --items 4 --size 200B --fetch 300B --consistency eventual",
    );
    assert_eq!(common::num(&answer, "units_per_request"), 2.5);
    assert_eq!(common::num(&answer, "charged_bytes"), 20.0 * 1024.0);
}

#[test]
fn only_an_lsi_that_leaves_attributes_out_fetches() {
    // [GSI]: a GSI cannot fetch attributes it does not project; an ALL projection has
    // nothing to fetch.
    for (from, to) in [
        (
            "type: local, sort: last_post, projection: keys_only",
            "type: global, keys: { partition: last_post }, projection: keys_only",
        ),
        ("projection: keys_only", "projection: all"),
    ] {
        let (code, err) = validate(&LSI_FETCH.replace(from, to), "lsi-fetch-invalid");
        assert_eq!(code, 1, "{err}");
    }
}

// ---- 3. Cross-Region replication transfer ([GTBILL]) ----

#[test]
fn replication_pays_cross_region_transfer_from_the_source_region() {
    // [GTBILL] "Cross-Region data transfer fees apply for global tables as data is replicated
    // across Regions". Every item written (and every TTL delete) is sent to the replica:
    // 1 put/s + 1 TTL delete/s of 2,048 B = 4,096 B/s × 2,628,000 s = 10,764,288,000 B =
    // 10.0250244140625 GB (written to a millionth, 10.025024, docs/report.md), priced in
    // us-east-1, where the data leaves, at the catalog's $0.02 per GB (uncertain) =
    // $0.20050048828125 in every mode, priced from the exact figure.
    let report = plan_json(TTL_GLOBAL);
    assert_eq!(
        decimal(&report["tables"][0]["replication"]["transfer_bytes_per_second"]),
        dec("4096")
    );
    for name in ["on_demand", "provisioned", "autoscaling", "reserved"] {
        let line = mode(&report, name)["bill"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["price_name"] == "cross_region_transfer_gb")
            .unwrap_or_else(|| panic!("{name}: no transfer line"))
            .clone();
        assert_eq!(line["region"], "us-east-1");
        assert_eq!(decimal(&line["quantity"]), dec("10.025024"), "{name}");
        // 0.20050048828125 to a millionth, as a line is priced (docs/report.md).
        assert_eq!(decimal(&line["amount"]), dec("0.2005"), "{name}");
        assert_eq!(line["uncertain"], true);
    }
    // A witness is sent nothing ([GTBILL]: no "data transfer costs for replication to the
    // witness"): 10 puts/s of 1 KB to the one full replica = 10,240 B/s.
    let witness = plan_json(MRSC_WITNESS);
    assert_eq!(
        decimal(&witness["tables"][0]["replication"]["transfer_bytes_per_second"]),
        dec("10240")
    );
    // A source Region without a transfer price leaves the line unpriced, never $0.
    let elsewhere = TTL_GLOBAL.replace("region: us-east-1", "region: eu-west-1");
    let report = plan_json(&elsewhere);
    let unpriced = mode(&report, "provisioned")["bill"]["unpriced"]
        .as_array()
        .unwrap();
    assert!(
        unpriced
            .iter()
            .any(|u| u == "eu-west-1 cross_region_transfer_gb"),
        "{unpriced:?}"
    );
}

#[test]
fn remainders_of_tables_in_one_region_pool_into_a_block() {
    // Reservations are pooled per account and Region (§7.2 [RECO]). Two tables of 140 fixed RCU
    // each buy 1 block apiece (a block pays when it covers more than $4.325 / (730 h ×
    // $0.00013) = 45.6 units), leaving 40 RCU each at the ordinary rate. Together the 80
    // remaining RCU buy one more block: fees $2.50 + $1.825 = $4.325, covering 80 × 730 =
    // 58,400 RCU-hours worth $7.592, so the account saves $3.267 a month in reserved mode.
    let table = |name: &str| {
        format!(
            "  - name: {name}\n    keys: {{ partition: pk }}\n    items: {{ count: 1000, size: 1KB }}\n    access: [{{ op: get, rate: 10/s }}, {{ op: put, rate: 1/s }}]\n    provisioned: {{ read: 140, write: 1 }}\n"
        )
    };
    let spec = format!(
        "region: us-east-1\ntables:\n{}{}",
        table("alpha"),
        table("beta")
    );
    let report = plan_json(&spec);
    let reserved = |t: usize| {
        report["costs"][t]["modes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["mode"] == "reserved")
            .unwrap()
            .clone()
    };
    assert_eq!(reserved(0)["reservation"]["read"]["total"], 1);
    let pooled: Vec<Value> = reserved(0)["bill"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| {
            l["name"]
                .as_str()
                .unwrap()
                .starts_with("pooled across tables in us-east-1")
        })
        .cloned()
        .collect();
    let amount: Decimal = pooled.iter().map(|l| decimal(&l["amount"])).sum();
    assert_eq!(amount, dec("-3.267"), "{pooled:?}");
    let credit = pooled
        .iter()
        .find(|l| decimal(&l["quantity"]) < Decimal::ZERO)
        .unwrap();
    assert_eq!(decimal(&credit["quantity"]), dec("-58400"));
    // The second table's bill is its own.
    assert!(reserved(1)["bill"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| !l["name"].as_str().unwrap().starts_with("pooled")));
}
