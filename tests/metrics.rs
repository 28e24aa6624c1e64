//! CloudWatch exports, replayed by `simulate --traffic` and planned from a spec's
//! `traffic.metrics`: the 5-minute collector export, a multi-table CSV, a hand-made 1-minute
//! export with a GSI, and the statistics a replay refuses (tests/fixtures/metrics/README.md
//! gives the sources).

mod common;

use common::run;
use serde_json::Value;

const DIR: &str = "tests/fixtures/metrics";
const SPEC: &str = "tests/fixtures/metrics/vpc-test-table-07.yaml";
const FIVE_MINUTE: &str =
    "tests/fixtures/metrics/awslabs-metrics-collection-vpc-test-table-07-5min.csv";

/// The column `name`'s values, summed, read straight from the CSV.
fn column_total(csv: &str, name: &str) -> f64 {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == name).unwrap();
    lines
        .map(|l| l.split(',').nth(at).unwrap().parse::<f64>().unwrap())
        .sum()
}

fn replay(traffic: &str, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec![
        "simulate",
        SPEC,
        "--traffic",
        traffic,
        "--model",
        "provisioned",
        "--format",
        "json",
    ];
    args.extend(extra);
    let (code, out, err) = run(&args, "");
    (code, serde_json::from_str(&out).unwrap_or(Value::Null), err)
}

/// (read units, write units) the replay offered the table over the whole run.
fn demand(report: &Value) -> (f64, f64) {
    let lanes = report["tables"][0]["models"][0]["lanes"]
        .as_array()
        .unwrap();
    let of = |kind: &str| {
        lanes
            .iter()
            .find(|l| l["target"] == "table" && l["kind"] == kind)
            .unwrap()["demand_units"]
            .as_f64()
            .unwrap()
    };
    (of("read"), of("write"))
}

/// The collector's export has one row per 5 minutes (period 300): 236 rows span 236 × 5 =
/// 1,180 minutes. Each Sum is spread over its 5 minutes, so the replay offers exactly the
/// units the file holds; the peak inside a period is unknown and the report says so. Its
/// busiest period, 21,020 write units, is 21,020 ÷ 300 s = 70.07 units a second against the
/// 100 WCU provisioned.
#[test]
fn five_minute_export_keeps_its_totals() {
    let csv = std::fs::read_to_string(FIVE_MINUTE).unwrap();
    let (code, report, err) = replay(FIVE_MINUTE, &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(report["replay"]["period_minutes"], 5);
    assert_eq!(report["replay"]["minutes"], 1_180);
    let (reads, writes) = demand(&report);
    let expected_writes = column_total(&csv, "ConsumedWriteCapacityUnits (Sum)");
    assert_eq!(reads, column_total(&csv, "ConsumedReadCapacityUnits (Sum)"));
    assert!(
        (writes - expected_writes).abs() < 1e-6 * expected_writes,
        "{writes} vs {expected_writes}"
    );
    let busiest = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(5).unwrap().parse::<f64>().unwrap())
        .fold(0.0, f64::max);
    assert_eq!(busiest, 21_020.0);
    let lanes = report["tables"][0]["models"][0]["lanes"]
        .as_array()
        .unwrap();
    let peak = lanes.iter().find(|l| l["kind"] == "write").unwrap()["peak_utilization"]
        .as_f64()
        .unwrap();
    assert!((peak - 21_020.0 / 300.0 / 100.0).abs() < 1e-4, "{peak}");
    let (code, text, _) = run(
        &[
            "simulate",
            SPEC,
            "--traffic",
            FIVE_MINUTE,
            "--model",
            "provisioned",
        ],
        "",
    );
    assert_eq!(code, 0);
    assert!(
        text.contains("The datapoints are 5-minute sums: peaks inside a period are unknown"),
        "{text}"
    );
}

/// With `--period-peak-to-mean 3` the busiest period's first minute carries 3 × 21,020 ÷
/// 300 s = 210.2 units a second, 2.102× the 100 WCU, with the same total offered. Burst
/// capacity (300 s of unused capacity, [BURST]) still absorbs that one minute's 110.2 × 60 =
/// 6,612 excess units, so nothing throttles.
#[test]
fn a_peak_inside_the_period_can_be_assumed() {
    let (code, even, _) = replay(FIVE_MINUTE, &[]);
    assert_eq!(code, 0);
    let (code, peaked, err) = replay(FIVE_MINUTE, &["--period-peak-to-mean", "3"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(peaked["replay"]["period_peak_to_mean"], 3.0);
    let (_, even_writes) = demand(&even);
    let (_, peaked_writes) = demand(&peaked);
    assert!((even_writes - peaked_writes).abs() < 1e-6 * even_writes);
    let model = &peaked["tables"][0]["models"][0];
    assert!(
        (model["peak_utilization"].as_f64().unwrap() - 2.102).abs() < 1e-3,
        "{model}"
    );
    assert_eq!(model["throttled_units"], 0.0);
    let (code, _, err) = replay(FIVE_MINUTE, &["--period-peak-to-mean", "9"]);
    assert_eq!(code, 1);
    assert!(
        err.contains("runs from 1 (even) to the period's 5 minutes"),
        "{err}"
    );
}

/// A collector export of several tables (its `Table Name` column) replays the spec's table:
/// the fixture's rows plus a second table's, interleaved, replay as the fixture alone.
#[test]
fn a_multi_table_csv_replays_the_chosen_table() {
    let csv = std::fs::read_to_string(FIVE_MINUTE).unwrap();
    let mut lines = csv.lines();
    let mut mixed = format!("{}\n", lines.next().unwrap());
    for line in lines {
        mixed.push_str(line);
        mixed.push('\n');
        mixed.push_str(
            &line
                .replace("vpc-test-table-07", "other-table")
                .replace(",0.0,100.0,", ",999.0,100.0,"),
        );
        mixed.push('\n');
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tables.csv");
    std::fs::write(&path, mixed).unwrap();
    let (code, alone, _) = replay(FIVE_MINUTE, &[]);
    assert_eq!(code, 0);
    let (code, chosen, err) = replay(path.to_str().unwrap(), &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(demand(&alone), demand(&chosen));
    assert_eq!(alone["tables"], chosen["tables"]);
}

/// An Average is a per-datapoint mean, not the units consumed (60× too low for a 1-minute
/// Sum of a steady load): refused, naming the fix. So is get-metric-statistics' Maximum
/// (aws-cli's documented example), and a file of a metric that is not consumed capacity.
#[test]
fn other_statistics_are_refused_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let average = dir.path().join("average.csv");
    std::fs::write(
        &average,
        "Timestamp,ConsumedReadCapacityUnits (Average)\n2026-11-01T00:00:00Z,10\n",
    )
    .unwrap();
    let (code, _, err) = replay(average.to_str().unwrap(), &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("holds the Average statistic")
            && err.contains("export the metric with the Sum statistic"),
        "{err}"
    );
    let ec2 = format!("{DIR}/aws-cli-get-metric-statistics-ec2-example.json");
    let (code, _, err) = replay(&ec2, &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("Label `CPUUtilization` is not ConsumedReadCapacityUnits"),
        "{err}"
    );
    let billing = format!("{DIR}/aws-cli-get-metric-data-billing-example.json");
    let (code, _, err) = replay(&billing, &[]);
    assert_eq!(code, 1);
    assert!(
        err.contains("no series labelled ConsumedReadCapacityUnits"),
        "{err}"
    );
}

/// `plan --format json` of `spec`: the first table's targets and the first costed table.
fn plan(spec: &str) -> Value {
    let (code, out, err) = run(&["plan", spec, "--format", "json"], "");
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// The (mean, peak) of `kind` (`reads`, `writes`) of `target` in a plan's first table.
fn rate(plan: &Value, target: &str, kind: &str) -> (String, String) {
    let targets = plan["tables"][0]["targets"].as_array().unwrap();
    let t = targets
        .iter()
        .find(|t| {
            t["target"]
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or("table")
                == target
        })
        .unwrap();
    // Quantities are JSON numbers (docs/report.md), compared as written.
    let text = |v: &Value| v.as_number().unwrap_or_else(|| panic!("{v}")).to_string();
    (text(&t[kind]["mean"]), text(&t[kind]["peak"]))
}

/// A spec's `traffic.metrics` is the plan's demand. orders-1min.csv holds 1-minute Sums from
/// 10:00 to 10:04, with no datapoint at 10:03 (no traffic), so it covers 5 × 60 = 300 s:
/// - table reads: 6,000 + 9,000 + 3,000 + 6,000 = 24,000 units ÷ 300 s = 80/s mean; the
///   busiest minute 9,000 ÷ 60 s = 150/s peak;
/// - table writes: 1,200 + 1,800 + 600 + 1,200 = 4,800 ÷ 300 = 16/s; peak 1,800 ÷ 60 = 30/s;
/// - GSI by_status reads: 1,200 + 2,400 + 1,200 + 1,200 = 6,000 ÷ 300 = 20/s; peak 2,400 ÷ 60
///   = 40/s; its writes as the table's, 16/s and 30/s.
///
/// Provisioned capacity is the peak at the 70% default target: ⌈150 ÷ 0.7⌉ = ⌈214.3⌉ = 215
/// RCU and ⌈30 ÷ 0.7⌉ = ⌈42.9⌉ = 43 WCU on the table, ⌈40 ÷ 0.7⌉ = 58 RCU and 43 WCU on the
/// GSI.
#[test]
fn spec_metrics_are_the_plans_demand() {
    let plan = plan(&format!("{DIR}/orders.yaml"));
    let pair = |a: &str, b: &str| (a.to_string(), b.to_string());
    assert_eq!(rate(&plan, "table", "reads"), pair("80", "150"));
    assert_eq!(rate(&plan, "table", "writes"), pair("16", "30"));
    assert_eq!(rate(&plan, "by_status", "reads"), pair("20", "40"));
    assert_eq!(rate(&plan, "by_status", "writes"), pair("16", "30"));
    let modes = plan["costs"][0]["modes"].as_array().unwrap();
    let provisioned = modes.iter().find(|m| m["mode"] == "provisioned").unwrap();
    let capacity: Vec<(u64, u64)> = provisioned["capacity"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["read"].as_u64().unwrap(), c["write"].as_u64().unwrap()))
        .collect();
    assert_eq!(capacity, [(215, 43), (58, 43)]);
}

/// The 5-minute collector export through a spec: each 5-minute Sum is spread over its
/// minutes, so the mean is the file's total over its 236 × 300 s = 70,800 s and the peak is
/// the busiest period's rate, 21,020 write units ÷ 300 s = 70.066667/s (the peak inside a
/// period is unknown, docs/simulate.md).
#[test]
fn a_five_minute_export_plans_its_period_rate() {
    let csv = std::fs::read_to_string(FIVE_MINUTE).unwrap();
    let plan = plan(&format!("{DIR}/vpc-test-table-07-measured.yaml"));
    let (mean, peak) = rate(&plan, "table", "writes");
    assert_eq!(peak, "70.066667");
    let total = column_total(&csv, "ConsumedWriteCapacityUnits (Sum)");
    let mean: f64 = mean.parse().unwrap();
    assert!((mean - total / 70_800.0).abs() < 1e-6, "{mean}");
}

/// A file of several tables' metrics gives the table its own rows, or those `traffic.table`
/// names; a GSI series the table does not have is refused at the `metrics:` key.
#[test]
fn spec_metrics_choose_their_table() {
    let dir = tempfile::tempdir().unwrap();
    let csv = "Timestamp,Table Name,ConsumedReadCapacityUnits (Sum)\n\
               2026-11-01T00:00:00Z,orders,600\n2026-11-01T00:00:00Z,orders-v2,1200\n";
    std::fs::write(dir.path().join("tables.csv"), csv).unwrap();
    let spec = |traffic: &str| {
        let path = dir.path().join("spec.yaml");
        std::fs::write(
            &path,
            format!(
                "region: us-east-1\ntables:\n  - name: orders\n    keys: {{ partition: pk }}\n    \
                 items: {{ count: 1K, size: 1KB }}\n    traffic: {traffic}\n"
            ),
        )
        .unwrap();
        path.to_str().unwrap().to_string()
    };
    // 600 units in one minute: 10/s; 1,200: 20/s.
    let own = plan(&spec("{ metrics: tables.csv }"));
    assert_eq!(rate(&own, "table", "reads"), ("10".into(), "10".into()));
    let named = plan(&spec("{ metrics: tables.csv, table: orders-v2 }"));
    assert_eq!(rate(&named, "table", "reads"), ("20".into(), "20".into()));
    let gsi = "Timestamp,GSI,ConsumedReadCapacityUnits (Sum)\n2026-11-01T00:00:00Z,by_x,60\n";
    std::fs::write(dir.path().join("gsi.csv"), gsi).unwrap();
    let (code, _, err) = run(&["validate", &spec("{ metrics: gsi.csv }")], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("[metrics-invalid]")
            && err.contains("spec.yaml:6:25")
            && err.contains("has a series for GSI `by_x`, which the table does not have"),
        "{err}"
    );
}

/// Units offered to `target`'s `kind` lane of table `t` in a simulation report's first model.
fn offered(report: &Value, t: usize, target: &str, kind: &str) -> f64 {
    report["tables"][t]["models"][0]["lanes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["target"] == target && l["kind"] == kind)
        .unwrap()["demand_units"]
        .as_f64()
        .unwrap()
}

/// Two tables, each with its own `traffic.metrics`, replay each its own series over the
/// minutes both files cover. orders-1min.csv runs 10:00–10:04 and other.csv (600 read and 60
/// write units a minute) 10:02–10:06, so the run is 10:02, 10:03 and 10:04: 180 s.
/// - orders reads 3,000 + 0 (no datapoint) + 6,000 = 9,000 units, writes 600 + 0 + 1,200 =
///   1,800; its GSI by_status reads 1,200 + 0 + 1,200 = 2,400 from its own series, and writes
///   what the table writes times the file's proportion, 4,800 ÷ 4,800 = 1: 1,800;
/// - other reads 3 × 600 = 1,800 and writes 3 × 60 = 180.
///
/// `simulate --traffic FILE --table orders` still replaces that table's metrics.
#[test]
fn each_table_replays_its_own_metrics() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        format!("{DIR}/orders-1min.csv"),
        dir.path().join("orders-1min.csv"),
    )
    .unwrap();
    let minutes: String = (2..=6)
        .map(|m| format!("2026-11-02T10:0{m}:00Z,600,60\n"))
        .collect();
    std::fs::write(
        dir.path().join("other.csv"),
        format!(
            "Timestamp,ConsumedReadCapacityUnits (Sum),ConsumedWriteCapacityUnits (Sum)\n{minutes}"
        ),
    )
    .unwrap();
    let orders = std::fs::read_to_string(format!("{DIR}/orders.yaml")).unwrap();
    let spec = format!(
        "{}  - name: other\n    keys: {{ partition: pk }}\n    items: {{ count: 1K, size: 1KB }}\n    \
         traffic: {{ metrics: other.csv }}\n",
        orders
    );
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, spec).unwrap();
    let path = path.to_str().unwrap();
    let args = [
        "simulate",
        path,
        "--model",
        "provisioned",
        "--format",
        "json",
    ];
    let (code, out, err) = run(&args, "");
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["start"], "2026-11-02T10:02:00Z");
    assert_eq!(report["seconds"], 180);
    assert_eq!(report["traffic"], "orders-1min.csv, other.csv");
    assert_eq!(offered(&report, 0, "table", "read"), 9_000.0);
    assert_eq!(offered(&report, 0, "table", "write"), 1_800.0);
    assert_eq!(offered(&report, 0, "by_status", "read"), 2_400.0);
    assert_eq!(offered(&report, 0, "by_status", "write"), 1_800.0);
    assert_eq!(offered(&report, 1, "table", "read"), 1_800.0);
    assert_eq!(offered(&report, 1, "table", "write"), 180.0);

    // --traffic replays other.csv for orders alone: 5 minutes, 5 × 600 reads.
    let other = dir.path().join("other.csv");
    let mut args = args.to_vec();
    args.extend(["--traffic", other.to_str().unwrap(), "--table", "orders"]);
    let (code, out, err) = run(&args, "");
    assert_eq!(code, 0, "{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["seconds"], 300);
    assert_eq!(report["tables"].as_array().unwrap().len(), 1);
    assert_eq!(offered(&report, 0, "table", "read"), 3_000.0);
}

/// Metrics of two tables that share no minute cannot replay together: the message gives each
/// table's span and the way out.
#[test]
fn metrics_that_do_not_overlap_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let csv = |day: u32| {
        format!("Timestamp,ConsumedReadCapacityUnits (Sum)\n2026-11-0{day}T00:00:00Z,60\n")
    };
    std::fs::write(dir.path().join("a.csv"), csv(1)).unwrap();
    std::fs::write(dir.path().join("b.csv"), csv(2)).unwrap();
    let table = |name: &str, file: &str| {
        format!(
            "  - name: {name}\n    keys: {{ partition: pk }}\n    items: {{ count: 1K, size: 1KB }}\n    \
             traffic: {{ metrics: {file} }}\n"
        )
    };
    let path = dir.path().join("spec.yaml");
    let spec = format!(
        "region: us-east-1\ntables:\n{}{}",
        table("aaa", "a.csv"),
        table("bbb", "b.csv")
    );
    std::fs::write(&path, spec).unwrap();
    let (code, _, err) = run(&["simulate", path.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(
        err.contains("do not overlap in time: `aaa` (a.csv) from 2026-11-01 00:00 to 2026-11-01 00:01, `bbb` (b.csv) from 2026-11-02 00:00")
            && err.contains("--table"),
        "{err}"
    );
    let (code, _, err) = run(&["simulate", path.to_str().unwrap(), "--table", "bbb"], "");
    assert_eq!(code, 0, "{err}");
}

/// `check` weighs a throttling budget by replaying the spec's metrics. orders-1min.csv reads
/// 24,000 units in 300 s; 1 RCU serves 300 of them and its burst credit (300 s of unused
/// capacity, [BURST]) at most 300 more, so of the 24,000 + 4,800 + 6,000 = 34,800 units asked
/// of the table and its GSI at least 23,400, 67%, fail (less any still retrying at the end):
/// far over a 1% `max_throttled` (exit 3). The spec's empty `access` would generate none.
#[test]
fn check_replays_the_specs_metrics_for_a_throttling_budget() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        format!("{DIR}/orders-1min.csv"),
        dir.path().join("orders-1min.csv"),
    )
    .unwrap();
    let spec = std::fs::read_to_string(format!("{DIR}/orders.yaml"))
        .unwrap()
        .replace(
            "    traffic:",
            "    capacity: provisioned\n    provisioned: { read: 1, write: 100 }\n    \
             budget: { max_throttled: 1% }\n    traffic:",
        );
    let path = dir.path().join("spec.yaml");
    std::fs::write(&path, spec).unwrap();
    let (code, out, err) = run(&["check", path.to_str().unwrap(), "--format", "json"], "");
    assert_eq!(code, 3, "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["simulated"], true);
    let verdict = report["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["budget"] == "max_throttled")
        .unwrap();
    assert_eq!(verdict["status"], "fail", "{verdict}");
    let share = verdict["value"].as_f64().unwrap();
    assert!(share > 0.5, "{verdict}");
}

/// A usage file beside infrastructure code may name a table's metrics, relative to the usage
/// file: `plan main.tf --usage usage.yml` then sizes the table from them. other.csv's one
/// minute of 6,000 read units is 6,000 ÷ 60 s = 100 reads a second, mean and peak.
#[test]
fn a_usage_file_names_metrics_beside_the_terraform() {
    let dir = tempfile::tempdir().unwrap();
    let usage_dir = dir.path().join("usage");
    std::fs::create_dir_all(&usage_dir).unwrap();
    std::fs::write(
        usage_dir.join("orders.csv"),
        "Timestamp,ConsumedReadCapacityUnits (Sum)\n2026-11-01T00:00:00Z,6000\n",
    )
    .unwrap();
    let usage = usage_dir.join("usage.yml");
    std::fs::write(
        &usage,
        "tables:\n  orders:\n    items: { count: 1M, size: 2KB }\n    traffic: { metrics: orders.csv }\n",
    )
    .unwrap();
    let (code, out, err) = run(
        &[
            "plan",
            "specs/terraform/main.tf",
            "--usage",
            usage.to_str().unwrap(),
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    let plan: Value = serde_json::from_str(&out).unwrap();
    let orders = plan["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "orders")
        .unwrap();
    assert_eq!(orders["targets"][0]["reads"]["mean"], 100);
    assert_eq!(orders["targets"][0]["reads"]["peak"], 100);
}
