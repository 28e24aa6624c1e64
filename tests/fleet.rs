//! `capacity-plan fleet`: three tables described as `describe-table` prints them, each with an
//! hour of its own per-minute CloudWatch export (tests/fixtures/fleet/README.md), planned
//! together. Every figure is worked by hand from the us-east-1 prices of the DynamoDB pricing
//! page (https://aws.amazon.com/dynamodb/pricing/) as the catalog holds them: on-demand
//! $0.125 per million reads and $0.625 per million writes; provisioned $0.00013 per RCU-hour
//! and $0.00065 per WCU-hour (Standard-IA $0.00016 and $0.00081); storage $0.25 per GB-month
//! (Standard-IA $0.10), each item counted with 100 bytes of overhead; 1-year reserved reads
//! $30 upfront and $0.0025 an hour per 100 RCU; a 730-hour month.

mod common;

use common::run;
use rust_decimal::Decimal;
use serde_json::Value;

const TABLES: &str = "tests/fixtures/fleet/tables";
const METRICS: &str = "tests/fixtures/fleet/metrics";

fn fleet(extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["fleet", TABLES, "--metrics", METRICS];
    args.extend(extra);
    run(&args, "")
}

fn json(extra: &[&str]) -> Value {
    let mut args = vec!["--format", "json"];
    args.extend(extra);
    let (code, out, err) = fleet(&args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

fn money(value: &Value) -> Decimal {
    value.as_str().unwrap().parse().unwrap()
}

/// A share, a JSON number (docs/report.md): read through its shortest decimal form.
fn share(value: &Value) -> Decimal {
    value.as_f64().unwrap().to_string().parse().unwrap()
}

/// A bill line's amount as priced: to a millionth of a dollar (docs/report.md).
fn line(amount: Decimal) -> Decimal {
    amount.round_dp(6)
}

/// Storage of `items` items of `size` bytes: (size + 100) bytes each, in GiB-months.
fn storage_gb(items: u64, size: u64) -> Decimal {
    Decimal::from(items * (size + 100)) / Decimal::from(1u64 << 30)
}

#[test]
fn three_tables_get_hand_checked_recommendations_sorted_by_saving() {
    let report = json(&[]);
    assert_eq!(report["kind"], "fleet");
    let rows = report["tables"].as_array().unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r["table"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["archive", "orders", "sessions"],
        "largest saving first"
    );
    let hours = Decimal::from(730);
    let small = line(storage_gb(1_000_000, 1_000) * Decimal::new(25, 2));

    // archive: 1,000 RCU and 1,000 WCU fixed for 10 reads and 1 write a second, 500 GB
    // stored. Sized to the demand at a 70% target: ⌈10 ÷ 0.7⌉ = 15 RCU, ⌈1 ÷ 0.7⌉ = 2 WCU;
    // storage-heavy, so Standard-IA is cheapest.
    let archive = &rows[0];
    let gb = storage_gb(500_000_000, 1_000);
    let today = Decimal::from(1_000) * hours * Decimal::new(13, 5)
        + Decimal::from(1_000) * hours * Decimal::new(65, 5)
        + line(gb * Decimal::new(25, 2));
    let ia = Decimal::from(15) * hours * Decimal::new(16, 5)
        + Decimal::from(2) * hours * Decimal::new(81, 5)
        + line(gb * Decimal::new(10, 2));
    assert_eq!(archive["current"]["mode"], "provisioned");
    assert_eq!(money(&archive["current"]["monthly"]), today);
    assert_eq!(archive["recommended"]["mode"], "provisioned");
    assert_eq!(archive["recommended"]["class"], "standard_ia");
    assert_eq!(money(&archive["recommended"]["monthly"]), ia);
    assert_eq!(money(&archive["saving"]), today - ia);
    assert_eq!(archive["risks"], serde_json::json!([]));

    // orders: on-demand, 100 reads and 10 writes a second all month. Reserved: one block of
    // 100 RCU, the other 43 of ⌈100 ÷ 0.7⌉ = 143 and all ⌈10 ÷ 0.7⌉ = 15 WCU provisioned.
    let orders = &rows[1];
    let seconds = Decimal::from(730 * 3_600);
    let on_demand = Decimal::from(100) * seconds * Decimal::new(125, 9)
        + Decimal::from(10) * seconds * Decimal::new(625, 9)
        + small;
    let reserved = Decimal::from(30) * hours / Decimal::from(8_760)
        + Decimal::new(25, 4) * hours
        + Decimal::from(43) * hours * Decimal::new(13, 5)
        + Decimal::from(15) * hours * Decimal::new(65, 5)
        + small;
    assert_eq!(orders["current"]["mode"], "on_demand");
    assert_eq!(money(&orders["current"]["monthly"]), on_demand);
    assert_eq!(orders["recommended"]["mode"], "reserved");
    assert_eq!(orders["recommended"]["class"], "standard");
    assert_eq!(money(&orders["recommended"]["monthly"]), reserved);
    assert_eq!(money(&orders["saving"]), on_demand - reserved);

    // sessions: 10 RCU fixed for 50 reads a second. Burst credit (at most 300 s of unused
    // capacity) is spent, so of 198,000 units an hour (180,000 reads, 18,000 writes) about
    // the 40 reads a second over capacity fail: 144,000 less at most 3,000 of credit.
    let sessions = &rows[2];
    let today = Decimal::from(10) * hours * Decimal::new(13, 5)
        + Decimal::from(10) * hours * Decimal::new(65, 5)
        + small;
    assert_eq!(money(&sessions["current"]["monthly"]), today);
    let throttled = share(&sessions["current"]["throttled"]);
    let (low, high) = (
        Decimal::from(141_000) / Decimal::from(198_000),
        Decimal::from(144_000) / Decimal::from(198_000),
    );
    assert!(low <= throttled && throttled <= high, "{throttled}");
    assert_eq!(sessions["risks"], serde_json::json!(["throttling"]));
    // One 100-RCU block covers ⌈50 ÷ 0.7⌉ = 72 RCU for less than 72 provisioned units; the
    // ⌈5 ÷ 0.7⌉ = 8 WCU stay provisioned. It costs more than today, and stops the throttling.
    let fixed = Decimal::from(30) * hours / Decimal::from(8_760)
        + Decimal::new(25, 4) * hours
        + Decimal::from(8) * hours * Decimal::new(65, 5)
        + small;
    assert_eq!(sessions["recommended"]["mode"], "reserved");
    assert_eq!(money(&sessions["recommended"]["monthly"]), fixed);
    assert_eq!(sessions["recommended"]["throttled"], 0);
    assert_eq!(money(&sessions["saving"]), today - fixed);
    assert!(money(&sessions["saving"]) < Decimal::ZERO);

    let total = &report["total"];
    assert_eq!(total["tables"], 3);
    assert_eq!(total["at_risk"], 1);
    let savings: Decimal = rows.iter().map(|r| money(&r["saving"])).sum();
    assert_eq!(money(&total["saving"]), savings);
    let totals = report["totals"].as_array().unwrap();
    assert_eq!(totals.len(), 1);
    assert_eq!(totals[0]["account"], "123456789012");
    assert_eq!(totals[0]["region"], "us-east-1");
}

#[test]
fn shards_cover_the_fleet_once_and_merge_into_the_unsharded_report_byte_for_byte() {
    let (code, whole, err) = fleet(&["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let mut shards = Vec::new();
    let mut seen = Vec::new();
    for k in 1..=3 {
        let shard = format!("{k}/3");
        let (code, out, err) = fleet(&["--format", "json", "--shard", &shard]);
        assert_eq!(code, 0, "{err}");
        let report: Value = serde_json::from_str(&out).unwrap();
        assert_eq!(report["shard"], serde_json::json!([k, 3]));
        for row in report["tables"].as_array().unwrap() {
            seen.push(row["table"].as_str().unwrap().to_string());
        }
        shards.push(common::temp(&format!("fleet-shard-{k}.json"), &out));
    }
    seen.sort();
    assert_eq!(seen, ["archive", "orders", "sessions"]);
    let mut args = vec!["fleet", "--merge", "--format", "json"];
    args.extend(shards.iter().map(|p| p.to_str().unwrap()));
    let (code, merged, err) = run(&args, "");
    assert_eq!(code, 0, "{err}");
    assert_eq!(merged, whole);

    // The same shard twice is refused, never counted twice.
    let busy = shards
        .iter()
        .find(|p| std::fs::read_to_string(p).unwrap().contains("\"table\""))
        .unwrap()
        .to_str()
        .unwrap();
    let (code, _, err) = run(&["fleet", "--merge", busy, busy], "");
    assert_eq!(code, 1);
    assert!(err.contains("is also in"), "{err}");
}

#[test]
fn a_table_with_bad_metrics_is_reported_and_the_others_still_finish() {
    let dir = std::env::temp_dir().join(format!("capacity-plan-fleet-{}", std::process::id()));
    let (tables, metrics) = (dir.join("tables"), dir.join("metrics"));
    std::fs::create_dir_all(&tables).unwrap();
    std::fs::create_dir_all(&metrics).unwrap();
    for name in ["orders", "sessions"] {
        std::fs::copy(
            format!("{TABLES}/{name}.json"),
            tables.join(format!("{name}.json")),
        )
        .unwrap();
    }
    std::fs::copy(format!("{METRICS}/orders.csv"), metrics.join("orders.csv")).unwrap();
    std::fs::write(
        metrics.join("sessions.csv"),
        "Timestamp,ConsumedReadCapacityUnits (Sum)\n2026-11-02T10:00:00Z,-5\n",
    )
    .unwrap();
    let (code, out, err) = run(
        &[
            "fleet",
            tables.to_str().unwrap(),
            "--metrics",
            metrics.to_str().unwrap(),
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("1 of 2 tables could not be planned: sessions"),
        "{err}"
    );
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["tables"][0]["table"], "orders");
    let failed = &report["failed"][0];
    assert_eq!(failed["table"], "sessions");
    let reason = failed["error"].as_str().unwrap();
    assert!(reason.contains("sessions.csv:2"), "{reason}");
    assert!(
        reason.contains("is not a Sum of consumed units"),
        "{reason}"
    );

    // A table with no export at all is named with the file it needs.
    std::fs::remove_file(metrics.join("sessions.csv")).unwrap();
    let (code, out, _) = run(
        &[
            "fleet",
            tables.to_str().unwrap(),
            "--metrics",
            metrics.to_str().unwrap(),
            "--format",
            "csv",
        ],
        "",
    );
    assert_eq!(code, 1);
    let last = out.lines().last().unwrap();
    assert!(
        last.starts_with("123456789012,us-east-1,sessions,"),
        "{last}"
    );
    assert!(
        last.contains("neither sessions.csv nor sessions.json"),
        "{last}"
    );
}

#[test]
fn csv_and_markdown_list_every_table() {
    let (code, csv, _) = fleet(&["--format", "csv"]);
    assert_eq!(code, 0);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("account,region,table,current_mode"));
    assert!(lines[1].starts_with("123456789012,us-east-1,archive,provisioned,standard,"));
    let (code, markdown, _) = fleet(&["--format", "markdown"]);
    assert_eq!(code, 0);
    assert!(markdown.starts_with("## Fleet: 3 tables\n"));
    assert!(markdown.contains("| 123456789012 | us-east-1 | sessions |"));
}

#[test]
fn a_shard_must_be_k_of_n() {
    for bad in ["0/3", "4/3", "2", "a/b"] {
        let (code, _, err) = fleet(&["--shard", bad]);
        assert_eq!(code, 2, "{bad}: {err}");
        assert!(err.contains("is not K/N"), "{err}");
    }
}

#[test]
fn one_export_of_every_table_plans_as_the_directory_of_exports_does() {
    let (code, out, err) = run(
        &[
            "fleet",
            TABLES,
            "--metrics",
            "tests/fixtures/fleet/all-tables.csv",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let one: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(one["tables"], json(&[])["tables"]);
}

/// tests/fixtures/fleet/cur.csv bills orders and sessions exactly what the hand figures above
/// plan for them (usage types as "Understanding your AWS billing and usage reports", DynamoDB
/// Developer Guide, spells them: `USE1-ReadRequestUnits`), and
/// archive its 730,000 RCU-hours at $0.00013 ($94.90) but 876,000 WCU-hours ($569.40, 200 WCU
/// more than it holds) and no storage.
#[test]
fn a_cost_and_usage_report_reconciles_to_the_cent_and_names_what_differs() {
    let report = json(&["--cur", "tests/fixtures/fleet/cur.csv"]);
    let rows = report["tables"].as_array().unwrap();
    let billed = |name: &str| {
        rows.iter()
            .find(|r| r["table"] == name)
            .map(|r| r["billed"].clone())
            .unwrap()
    };
    let cent = |d: Decimal| d.round_dp(2);
    for name in ["orders", "sessions"] {
        let b = billed(name);
        assert_eq!(cent(money(&b["difference"])), Decimal::ZERO, "{name}: {b}");
        assert_eq!(b["lines_differing"], 0, "{name}: {b}");
    }
    assert_eq!(
        money(&billed("orders")["billed"]),
        "49.531113708".parse().unwrap()
    );
    let archive = billed("archive");
    assert_eq!(money(&archive["billed"]), Decimal::new(6643, 1));
    // Writes billed $94.90 over plan; the plan's storage, 512.227… GB at $0.25, never billed.
    let storage = line(storage_gb(500_000_000, 1_000) * Decimal::new(25, 2));
    assert_eq!(
        money(&archive["difference"]),
        Decimal::new(949, 1) - storage
    );
    assert_eq!(archive["lines_differing"], 2);
}

/// Tables of one name in several accounts or Regions keep their exports apart in
/// `ACCOUNT/REGION/` or `REGION/` folders; another Region's folder is never read.
#[test]
fn exports_are_found_under_their_account_and_region() {
    let dir = std::env::temp_dir().join(format!("capacity-plan-fleet-dirs-{}", std::process::id()));
    let own = dir.join("123456789012").join("us-east-1");
    std::fs::create_dir_all(&own).unwrap();
    std::fs::create_dir_all(dir.join("eu-west-1")).unwrap();
    std::fs::copy(format!("{METRICS}/archive.csv"), own.join("archive.csv")).unwrap();
    std::fs::copy(
        format!("{METRICS}/orders.csv"),
        dir.join("eu-west-1/orders.csv"),
    )
    .unwrap();
    std::fs::copy(format!("{METRICS}/sessions.csv"), dir.join("sessions.csv")).unwrap();
    let (code, out, _) = run(
        &[
            "fleet",
            TABLES,
            "--metrics",
            dir.to_str().unwrap(),
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&out).unwrap();
    let planned: Vec<&str> = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["table"].as_str().unwrap())
        .collect();
    assert_eq!(planned, ["archive", "sessions"]);
    assert_eq!(report["failed"][0]["table"], "orders");
}

/// A table that fails (here: IaC without a Region) is reported by its own shard only, so the
/// merge lists it once and exits 1 as the unsharded run does.
#[test]
fn a_failed_table_belongs_to_one_shard() {
    let tf = common::temp(
        "fleet-noregion.tf",
        "resource \"aws_dynamodb_table\" \"noregion\" {\n  name = \"noregion\"\n  billing_mode = \"PAY_PER_REQUEST\"\n  hash_key = \"pk\"\n  attribute {\n    name = \"pk\"\n    type = \"S\"\n  }\n}\n",
    );
    let tf = tf.to_str().unwrap();
    let mut shards = Vec::new();
    let mut failures = 0;
    for k in 1..=2 {
        let shard = format!("{k}/2");
        let (_, out, _) = run(
            &[
                "fleet",
                TABLES,
                tf,
                "--metrics",
                METRICS,
                "--shard",
                &shard,
                "--format",
                "json",
            ],
            "",
        );
        let report: Value = serde_json::from_str(&out).unwrap();
        failures += report["failed"].as_array().unwrap().len();
        shards.push(common::temp(&format!("fleet-noregion-{k}.json"), &out));
    }
    assert_eq!(failures, 1);
    let (code, merged, _) = run(
        &[
            "fleet",
            "--merge",
            shards[0].to_str().unwrap(),
            shards[1].to_str().unwrap(),
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 1);
    let (code, whole, _) = run(
        &[
            "fleet",
            TABLES,
            tf,
            "--metrics",
            METRICS,
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 1);
    assert_eq!(merged, whole);
}

const LAKE: &str = "tests/fixtures/fleet/lake.parquet";

/// The long-layout lake holds the three exports' datapoints among rows a replay skips (an
/// Average beside each Sum, another metric, the same names in other accounts and Regions),
/// so its report is the directory's, byte for byte.
#[test]
fn a_parquet_lake_plans_as_the_directory_of_exports_does_byte_for_byte() {
    let (code, from_dir, err) = fleet(&["--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let (code, from_lake, err) = run(
        &["fleet", TABLES, "--metrics", LAKE, "--format", "json"],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(from_lake, from_dir);
}

/// `orders` in account 210987654321 has twice the traffic of account 123456789012's in the
/// lake: 200 reads and 20 writes a second, on-demand, all month.
#[test]
fn one_table_name_in_two_accounts_gets_each_its_own_series() {
    let dir = std::env::temp_dir().join(format!("capacity-plan-fleet-lake-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let orders = std::fs::read_to_string(format!("{TABLES}/orders.json")).unwrap();
    std::fs::write(dir.join("orders.json"), &orders).unwrap();
    std::fs::write(
        dir.join("orders-other.json"),
        orders.replace("123456789012", "210987654321"),
    )
    .unwrap();
    let (code, out, err) = run(
        &[
            "fleet",
            dir.to_str().unwrap(),
            "--metrics",
            LAKE,
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let monthly = |account: &str| {
        let rows = report["tables"].as_array().unwrap();
        let row = rows.iter().find(|r| r["account"] == account).unwrap();
        money(&row["current"]["monthly"])
    };
    let seconds = Decimal::from(730 * 3_600);
    let small = line(storage_gb(1_000_000, 1_000) * Decimal::new(25, 2));
    let on_demand = |reads: u64, writes: u64| {
        line(Decimal::from(reads) * seconds * Decimal::new(125, 9))
            + line(Decimal::from(writes) * seconds * Decimal::new(625, 9))
            + small
    };
    assert_eq!(monthly("123456789012"), on_demand(100, 10));
    assert_eq!(monthly("210987654321"), on_demand(200, 20));
}

/// A lake whose table has no rows for the planned account fails that table only.
#[test]
fn a_table_missing_from_the_lake_names_its_account_and_region() {
    let tf = common::temp(
        "fleet-lake-missing.tf",
        "resource \"aws_dynamodb_table\" \"absent\" {\n  name = \"absent\"\n  billing_mode = \"PAY_PER_REQUEST\"\n  hash_key = \"pk\"\n  attribute {\n    name = \"pk\"\n    type = \"S\"\n  }\n}\n",
    );
    let (code, out, _) = run(
        &[
            "fleet",
            TABLES,
            tf.to_str().unwrap(),
            "--metrics",
            LAKE,
            "--region",
            "us-east-1",
            "--account",
            "123456789012",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["tables"].as_array().unwrap().len(), 3);
    let error = report["failed"][0]["error"].as_str().unwrap();
    assert!(
        error.contains("no Sum of ConsumedRead/WriteCapacityUnits for the table in account 123456789012, Region us-east-1"),
        "{error}"
    );
}

/// A file cut short, a CSV named `.parquet` and a column of the wrong type are errors that
/// name the file and the fix, exit 1, and never a panic.
#[test]
fn bad_parquet_files_are_clear_errors() {
    let whole = std::fs::read(LAKE).unwrap();
    let cut =
        std::env::temp_dir().join(format!("capacity-plan-cut-{}.parquet", std::process::id()));
    std::fs::write(&cut, &whole[..whole.len() / 2]).unwrap();
    let renamed = common::temp(
        "fleet-renamed.parquet",
        &std::fs::read_to_string("tests/fixtures/fleet/all-tables.csv").unwrap(),
    );
    for file in [&cut, &renamed] {
        let name = file.to_str().unwrap();
        for flag in ["--metrics", "--cur"] {
            let mut args = vec!["fleet", TABLES, "--metrics", METRICS];
            if flag == "--metrics" {
                args[3] = name;
            } else {
                args.extend(["--cur", name]);
            }
            let (code, _, err) = run(&args, "");
            assert_eq!(code, 1, "{err}");
            assert!(
                err.contains(&format!("{name}: is not a readable Parquet file"))
                    && err.contains("give the file as the export wrote it"),
                "{err}"
            );
        }
    }
    let (code, _, err) = run(
        &[
            "fleet",
            TABLES,
            "--metrics",
            "tests/fixtures/fleet/lake-text-values.parquet",
        ],
        "",
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("lake-text-values.parquet: column `value` holds BYTE_ARRAY (String); it must hold a number"),
        "{err}"
    );
    // A CUR is not a lake: the missing column is named, with the ones the file has.
    let (code, _, err) = run(
        &[
            "fleet",
            TABLES,
            "--metrics",
            "tests/fixtures/fleet/cur.parquet",
        ],
        "",
    );
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("cur.parquet: no `account` or `account_id` column"),
        "{err}"
    );
    assert!(err.contains("it has `line_item_usage_account_id`"), "{err}");
}

/// tests/fixtures/fleet/cur.parquet is cur.csv in CUR's Parquet columns
/// (`line_item_usage_type`, amounts as doubles): the reconciliation is the CSV's, checked
/// by hand above, byte for byte.
#[test]
fn a_parquet_cost_and_usage_report_reconciles_as_the_csv_does() {
    let (code, csv, err) = fleet(&["--format", "json", "--cur", "tests/fixtures/fleet/cur.csv"]);
    assert_eq!(code, 0, "{err}");
    let (code, parquet, err) = fleet(&[
        "--format",
        "json",
        "--cur",
        "tests/fixtures/fleet/cur.parquet",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(parquet, csv);
}

/// The lake's `orders` in three places, each its own series: 6,000 units a minute (100 a
/// second) in account 123456789012, twice that in account 210987654321, three times in
/// eu-west-1; tables the filter leaves out are never returned.
#[test]
fn a_lake_keys_each_series_by_account_region_and_table() {
    use capacity_plan::metrics::{parse_lake, LakeTable};
    let keep = |_: &str, _: &str, table: &str| table == "orders";
    let tables = parse_lake(std::path::Path::new(LAKE), "lake.parquet", &keep).unwrap();
    let got: Vec<(LakeTable, f64, f64)> = tables
        .into_iter()
        .map(|(key, series)| {
            let series = series.unwrap();
            assert_eq!((series.minutes(), series.gap_minutes), (60, 0));
            (key, series.reads[0], series.writes[59])
        })
        .collect();
    let key = |account: &str, region: &str| LakeTable {
        account: account.into(),
        region: region.into(),
        table: "orders".into(),
    };
    assert_eq!(
        got,
        [
            (key("123456789012", "eu-west-1"), 300.0, 30.0),
            (key("123456789012", "us-east-1"), 100.0, 10.0),
            (key("210987654321", "us-east-1"), 200.0, 20.0),
        ]
    );
}

/// describe-scalable-targets output scaling `table/NAME` reads between 5 and 50 units at 70%.
fn scaling(tables: &[&str]) -> String {
    let targets: Vec<String> = tables
        .iter()
        .map(|t| {
            format!(
                r#"{{"ServiceNamespace": "dynamodb", "ResourceId": "table/{t}", "ScalableDimension": "dynamodb:table:ReadCapacityUnits", "MinCapacity": 5, "MaxCapacity": 50}}"#
            )
        })
        .collect();
    format!(r#"{{"ScalableTargets": [{}]}}"#, targets.join(", "))
}

/// A table's companion files are read again in its own task: a scaling file named before its
/// table's description, or one scaling file for several tables, still makes them autoscaled,
/// and a scaling of a table no file defines is warned of once.
#[test]
fn companion_scaling_files_make_their_tables_autoscaled() {
    let dir =
        std::env::temp_dir().join(format!("capacity-plan-fleet-scaled-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for name in ["archive", "orders", "sessions"] {
        std::fs::copy(
            format!("{TABLES}/{name}.json"),
            dir.join(format!("{name}.json")),
        )
        .unwrap();
    }
    std::fs::write(dir.join("a-sessions-scaling.json"), scaling(&["sessions"])).unwrap();
    std::fs::write(dir.join("z-scaling.json"), scaling(&["archive", "gone"])).unwrap();
    let (code, out, err) = run(
        &[
            "fleet",
            dir.to_str().unwrap(),
            "--metrics",
            METRICS,
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        err,
        format!(
            "warning: {}: skipped settings for table `gone`, which none of the files defines\n",
            dir.join("z-scaling.json").display()
        )
    );
    let report: Value = serde_json::from_str(&out).unwrap();
    let mut modes: Vec<(&str, &str)> = report["tables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["table"].as_str().unwrap(),
                r["current"]["mode"].as_str().unwrap(),
            )
        })
        .collect();
    modes.sort();
    assert_eq!(
        modes,
        [
            ("archive", "autoscaling"),
            ("orders", "on_demand"),
            ("sessions", "autoscaling")
        ]
    );
}
