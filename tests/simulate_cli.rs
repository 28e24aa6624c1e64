//! `capacity-plan simulate` through the binary: deterministic JSON, replayed metrics, the
//! chart, the autoscaling search, and bad metric files ending in a located error with exit 1,
//! never a panic.

mod common;

use std::path::Path;

use common::{run, temp};
use serde_json::Value;

const SPEC: &str = "tests/fixtures/issue-sketch.yaml";

fn simulate(extra: &[&str]) -> (i32, String, String) {
    let mut args = vec!["simulate", SPEC];
    args.extend_from_slice(extra);
    run(&args, "")
}

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The same spec and seed give byte-identical JSON; another seed changes the noise.
#[test]
fn json_is_deterministic_for_a_seed() {
    let noisy = temp(
        "noisy.yaml",
        &std::fs::read_to_string(SPEC)
            .unwrap()
            .replace("peak_hour_utc: 15 }", "peak_hour_utc: 15, noise: 20% }"),
    );
    let args = |seed| {
        vec![
            "simulate",
            path(&noisy),
            "--days",
            "1",
            "--seed",
            seed,
            "--format",
            "json",
        ]
    };
    let (code, first, stderr) = run(&args("7"), "");
    assert_eq!(code, 0, "{stderr}");
    let (_, second, _) = run(&args("7"), "");
    assert_eq!(first, second);
    let (_, other, _) = run(&args("8"), "");
    assert_ne!(first, other);
    let report: Value = serde_json::from_str(&first).unwrap();
    let models = report["tables"][0]["models"].as_array().unwrap();
    assert_eq!(models.len(), 3);
    assert!(
        models[0]["lanes"][0].get("series").is_none() && report.get("series_minutes").is_none(),
        "series only on request"
    );
}

#[test]
fn series_and_chart_on_request() {
    let chart = std::env::temp_dir().join(format!("capacity-plan-sim-{}.svg", std::process::id()));
    let (code, out, stderr) = simulate(&[
        "--days",
        "1",
        "--format",
        "json",
        "--series",
        "--chart",
        path(&chart),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let series = report["tables"][0]["models"][1]["lanes"][0]["series"]
        .as_array()
        .unwrap();
    assert_eq!(series.len(), 1_440);
    assert_eq!(report["series_minutes"], 1, "a day keeps per-minute points");
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("autoscaling capacity"));
    // A panel for the reads and writes of the table and of its GSI, on an axis in hours.
    for panel in [
        "table reads",
        "table writes",
        "GSI by_status reads",
        "GSI by_status writes",
    ] {
        assert!(
            svg.contains(&format!("orders: {panel} (per-minute peaks)")),
            "{panel}"
        );
    }
    assert_eq!(svg.matches("hours from 2024-01-01 00:00 UTC").count(), 4);
    // A new on-demand table serves 12,000 reads at once (§6 [WARMSC]): far above the demand,
    // so its line is cut at the top of the reads panels and its level given in the legend.
    assert_eq!(svg.matches("cut at the top, up to 12,000/s").count(), 2);
}

/// Replays a console CSV and a get-metric-data JSON of the same minutes to the same result.
#[test]
fn replays_csv_and_json_metrics() {
    let csv = temp(
        "m.csv",
        "Timestamp,ConsumedReadCapacityUnits (Sum),ConsumedWriteCapacityUnits (Sum)\n\
         2026-11-01T00:00:00Z,60000,6000\n2026-11-01T00:01:00Z,120000,12000\n",
    );
    let json = temp(
        "m.json",
        r#"{"MetricDataResults":[
            {"Id":"r","Label":"ConsumedReadCapacityUnits","Timestamps":["2026-11-01T00:01:00Z","2026-11-01T00:00:00Z"],"Values":[120000,60000]},
            {"Id":"w","Label":"ConsumedWriteCapacityUnits","Timestamps":["2026-11-01T00:01:00Z","2026-11-01T00:00:00Z"],"Values":[12000,6000]}]}"#,
    );
    // The same rows in reverse: CSV rows may come in any order (a multi-table export
    // interleaves its tables).
    let reversed = temp(
        "m-reversed.csv",
        "Timestamp,ConsumedReadCapacityUnits (Sum),ConsumedWriteCapacityUnits (Sum)\n\
         2026-11-01T00:01:00Z,120000,12000\n2026-11-01T00:00:00Z,60000,6000\n",
    );
    let results: Vec<Value> = [&csv, &json, &reversed]
        .iter()
        .map(|file| {
            let (code, out, stderr) = simulate(&["--traffic", path(file), "--format", "json"]);
            assert_eq!(code, 0, "{stderr}");
            serde_json::from_str(&out).unwrap()
        })
        .collect();
    assert_eq!(results[0]["seconds"], 120);
    assert_eq!(results[0]["start"], "2026-11-01T00:00:00Z");
    assert_eq!(results[0]["tables"], results[1]["tables"]);
    assert_eq!(results[0]["tables"], results[2]["tables"]);
    let demand = results[0]["tables"][0]["models"][0]["lanes"][0]["demand_units"].as_f64();
    assert_eq!(demand, Some(180_000.0));
}

/// CloudWatch writes no datapoint for a minute without requests, so 00:00 and 00:03 span four
/// minutes of which two are gaps, replayed as no traffic; throttle counts are requests and are
/// reported as recorded (4 + 3 = 7), never added to demand.
#[test]
fn a_replay_reports_its_gaps_and_recorded_throttles() {
    let csv = temp(
        "gaps.csv",
        "Timestamp,ConsumedReadCapacityUnits (Sum),ThrottledRequests (Sum)\n\
         2026-11-01T00:00:00Z,600,4\n2026-11-01T00:03:00Z,600,3\n",
    );
    let (code, out, stderr) = simulate(&["--traffic", path(&csv), "--format", "json"]);
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["kind"], "simulation");
    assert_eq!(
        report["replay"],
        serde_json::json!({
            "minutes": 4,
            "period_minutes": 1,
            "period_peak_to_mean": 1.0,
            "gap_minutes": 2,
            "gaps": [{ "series": "table reads", "minutes": 2 }],
            "observed_throttled": 7.0,
            "truncated": false,
        })
    );
    let (code, out, stderr) = simulate(&["--traffic", path(&csv)]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        out.contains(
            "Replayed 4 minutes; 2 minutes without datapoints were replayed as no traffic; \
             the metrics recorded 7 throttled requests."
        ),
        "{out}"
    );
}

#[test]
fn bad_metric_files_are_located_errors() {
    let header = "Timestamp,ConsumedReadCapacityUnits,ConsumedWriteCapacityUnits\n";
    let cases = [
        ("empty.csv", String::new(), "empty.csv: the file is empty"),
        (
            "columns.csv",
            "Timestamp,Reads\n2026-11-01T00:00:00Z,1\n".into(),
            "columns.csv:1: no ConsumedRead",
        ),
        (
            "text.csv",
            format!("{header}2026-11-01T00:00:00Z,lots,1\n"),
            "text.csv:2: `lots` is not a Sum of consumed units (a number from 0 to 3.6e15)",
        ),
        (
            "repeat.csv",
            format!("{header}2026-11-01T00:05:00Z,1,1\n2026-11-01T00:05:00Z,1,1\n"),
            "repeat.csv:3: the timestamp of table reads repeats line 2",
        ),
        (
            "time.csv",
            format!("{header}soon,1,1\n"),
            "time.csv:2: `soon` is not a timestamp",
        ),
        (
            "bad.json",
            "{\"MetricDataResults\": [{\"Label\": 1}]}".into(),
            "bad.json: MetricDataResults[0].Label: `1` is not a string",
        ),
    ];
    for (name, text, expected) in cases {
        let file = temp(name, &text);
        let (code, _, stderr) = simulate(&["--traffic", path(&file)]);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(stderr.contains(expected), "{name}: {stderr}");
    }
    let huge = temp("huge.csv", "");
    std::fs::File::options()
        .write(true)
        .open(&huge)
        .unwrap()
        .set_len(65 << 20)
        .unwrap();
    let (code, _, stderr) = simulate(&["--traffic", path(&huge)]);
    assert_eq!(code, 1);
    assert!(stderr.contains("limited to 64 MiB"), "{stderr}");
}

#[test]
fn usage_errors_exit_2() {
    let (code, _, stderr) = simulate(&["--table", "nope"]);
    assert_eq!(code, 2, "{stderr}");
    let (code, _, _) = simulate(&["--days", "0"]);
    assert_eq!(code, 2);
}

fn model_json(spec: &Path, model: &str) -> Value {
    let args = [
        "simulate",
        path(spec),
        "--days",
        "1",
        "--model",
        model,
        "--format",
        "json",
    ];
    let (code, stdout, stderr) = run(&args, "");
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    report["tables"][0]["models"][0].clone()
}

/// §4 [BURST] on a GSI, §3.3 [GSITHR]: a GSI keyed on a status with two values takes 1,500 of
/// its 3,000 index writes a second on each key, 500 over the per-key limit: 1,000 index
/// writes a second throttle as `key_range`, and so a third of the table's writes as
/// `gsi_back_pressure` (one attempt, so no retries add load). The plan warns of the key.
#[test]
fn a_hot_gsi_key_throttles_the_base_writes() {
    let spec = temp(
        "hot-gsi.yaml",
        "region: us-east-1
settings: { simulation: { retry_attempts: 1 } }
tables:
  - name: orders
    keys: { partition: id }
    items: { count: 1M, size: 1KB }
    attributes: { id: 20B, status: 10B }
    capacity: on_demand
    access: [{ op: put, rate: 3000/s }]
    indexes:
      - name: by_status
        type: global
        keys: { partition: status }
        projection: keys_only
        key_skew: { distinct_keys: 2 }
",
    );
    let model = model_json(&spec, "on-demand");
    assert_eq!(model["throttled_share"], 0.333333);
    let lanes = model["lanes"].as_array().unwrap();
    let lane = |target: &str, kind: &str| {
        lanes
            .iter()
            .find(|l| l["target"] == target && l["kind"] == kind)
            .unwrap()
    };
    let day = 86_400.0;
    assert_eq!(
        lane("by_status", "write")["causes"]["key_range"],
        1_000.0 * day
    );
    assert_eq!(
        lane("table", "write")["causes"]["gsi_back_pressure"],
        1_000.0 * day
    );
    // Warm start: the 3,000 writes a second the application sustains before the run are the
    // previous peak, so 6,000 are served at once (§6 [OD]): 6 partitions, which the 2,000
    // served never outgrow.
    assert_eq!(lane("table", "write")["partitions_end"], 6);

    let (_, plan, _) = run(&[path(&spec)], "");
    assert!(
        plan.contains("index `by_status`'s hottest partition key takes 50% of requests: 1,500 write units/s at peak, over the 1,000 per-key limit"),
        "{plan}"
    );
}

/// §4 [PART][CONS]: a one-off import of 20M items of 1 KB (1,124 B stored each) into a table
/// of 5M (5.2 GiB, 1 partition) leaves 25M × 1,124 B = 26.2 GiB: 3 partitions of 10 GiB.
/// The same job every day is steady-state traffic and adds nothing. Spread over 10 hours (556
/// writes a second, under one partition's 1,000) it does not split partitions for heat.
#[test]
fn a_one_off_import_splits_partitions_for_size() {
    let text = |day: &str| {
        format!(
            "region: us-east-1
tables:
  - name: readings
    keys: {{ partition: id }}
    items: {{ count: 5M, size: 1KB }}
    access: [{{ op: get, rate: 10/s }}, {{ op: put, rate: 10/s }}]
    provisioned: {{ read: 100, write: 100 }}
    traffic:
      events: [{{ name: import, start: \"01:00\", duration: 10h, writes: 20M{day} }}]
"
        )
    };
    for (day, partitions) in [(", day: 0", 3), ("", 1)] {
        let spec = temp("import.yaml", &text(day));
        let model = model_json(&spec, "provisioned");
        for lane in model["lanes"].as_array().unwrap() {
            assert_eq!(lane["partitions_start"], 1, "{day}: {lane}");
            assert_eq!(lane["partitions_end"], partitions, "{day}: {lane}");
        }
    }
}

/// `--search`: a 5× spike over a steady 100 writes/s throttles autoscaling at its default
/// minimum whatever the target, and a minimum of 3× the mean avoids it and is recommended.
///
/// At 70% and minimum 1 the table holds ⌈100 ÷ 0.7⌉ = 143 WCU and banks 300 s of it (42,900
/// units, §4 [BURST]); at 12:00 demand jumps to 500/s, 357/s over capacity, and the credit runs
/// out after 120 s. The scale-out is decided after two minutes above target and lands 4 minutes
/// later (§5.1), at 12:06: the seconds in between throttle. Minimums of 0.5× and 1× the mean
/// (50, 100) sit below ⌈100 ÷ target⌉ and change nothing; 2× (200 WCU, 60,000 banked, 300/s
/// over) lasts 200 s. 3× (300 WCU, 90,000 banked, 200/s over) lasts 450 s > 360 s: no
/// throttling at any target. The cheapest of those is 90%, which scales out to ⌈500 ÷ 0.9⌉ =
/// 556 WCU from 12:06 to 12:28 (23 minutes, then 15 minutes below 70% and the 4-minute delay
/// bring it back): 300 + 256 × 23 ÷ 1,440 = 304.089 WCU on average, plus the 1 RCU minimum of
/// the unused reads, × 730 h at $0.00065 and $0.00013 = $144.39 a month. On-demand does not
/// throttle either but costs 100 × 3,600 × 730 WRU at $0.625 per million ($164.25) plus the
/// spike's 400 × 600 a day over 730 ÷ 24 days ($4.56): $168.81.
#[test]
fn search_recommends_a_minimum_that_covers_a_spike() {
    let spec = temp(
        "spiky.yaml",
        "region: us-east-1
tables:
  - name: events
    keys: { partition: id }
    items: { count: 1M, size: 1KB }
    access:
      - { op: put, rate: 100/s }
    traffic:
      shape: constant
      events:
        - { name: flash sale, start: \"12:00\", duration: 10min, multiplier: 5 }
",
    );
    let (code, out, stderr) = run(
        &[
            "simulate",
            path(&spec),
            "--days",
            "1",
            "--search",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&out).unwrap();
    let table = &report["tables"][0];
    assert_eq!(table["models"][1]["model"], "autoscaling");
    assert!(table["models"][1]["throttled_share"].as_f64().unwrap() > 0.0);
    assert_eq!(table["models"][2]["throttled_share"], 0.0);
    assert_eq!(table["models"][2]["monthly_cost"], "168.8125");
    let points = table["search"].as_array().unwrap();
    assert_eq!(points.len(), 25, "five minimums × five targets");
    for (i, point) in points.iter().enumerate() {
        let (factor, target) = (i / 5, [0.5, 0.6, 0.7, 0.8, 0.9][i % 5]);
        assert_eq!(point["target"], target);
        assert_eq!(
            point["min_factor"],
            [Value::Null, 0.5.into(), 1.0.into(), 2.0.into(), 3.0.into()][factor]
        );
        assert_eq!(point["min_read"], 1, "no reads: the 1-unit floor");
        assert_eq!(point["min_write"], [1, 50, 100, 200, 300][factor]);
        assert!(point.get("indexes").is_none(), "no GSI");
        let throttled = point["throttled_share"].as_f64().unwrap();
        assert_eq!(throttled == 0.0, factor == 4, "{point}");
    }
    assert_eq!(points[24]["monthly_cost"], "144.385078");
    let recommendation = &table["recommendation"];
    assert_eq!(recommendation["reason"], "cheapest_within_budget");
    assert_eq!(recommendation["model"], "autoscaling");
    assert_eq!(
        recommendation["policy"],
        serde_json::json!({ "target": 0.9, "min_read": 1, "min_write": 300 })
    );
    assert_eq!(recommendation["throttled_share"], 0.0);
    assert_eq!(recommendation["failed_share"], 0.0);
    assert_eq!(recommendation["max_throttled"], 0.0);
    assert_eq!(recommendation["monthly_cost"], "144.385078");

    let (code, out, stderr) = run(&["simulate", path(&spec), "--days", "1", "--search"], "");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        out.contains(
            "Recommendation: autoscaling at target 90%, min_read 1, min_write 300: the cheapest \
             within the throttling budget (0.0000% of requests may fail, 0.0000% simulated), \
             $144.39 a month"
        ),
        "{out}"
    );
}

/// A table's own `budget.max_throttled` is the one its recommendation honours, as in the plan.
#[test]
fn a_table_budget_overrides_the_workload_budget() {
    let spec = temp(
        "budgets.yaml",
        "region: us-east-1
tables:
  - name: strict
    keys: { partition: id }
    items: { count: 1M, size: 1KB }
    access: [{ op: get, rate: 10/s }]
    budget: { max_throttled: 0.01% }
  - name: loose
    keys: { partition: id }
    items: { count: 1M, size: 1KB }
    access: [{ op: get, rate: 10/s }]
budget: { max_throttled: 5% }
",
    );
    let (code, stdout, stderr) = run(
        &["simulate", path(&spec), "--days", "1", "--format", "json"],
        "",
    );
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["tables"][0]["max_throttled"], 0.0001);
    assert_eq!(report["tables"][1]["max_throttled"], 0.05);
}

/// Traffic files that would give a silent wrong number are refused, naming the file and the
/// fix (exit 1, never a panic, NaN or negative demand): a value too large to be a Sum of
/// capacity units (1e308 overflows to infinity once scaled), a negative Sum, a date that does
/// not exist, a UTC offset outside −12:00…+14:00, and the same series given twice (which would
/// otherwise be summed).
#[test]
fn traffic_files_that_would_mislead_are_refused() {
    let header = "Timestamp,ConsumedReadCapacityUnits (Sum),ConsumedWriteCapacityUnits (Sum)\n";
    let cases = [
        ("huge.csv", format!("{header}2026-11-01T00:00:00Z,1e308,60\n")),
        ("negative.csv", format!("{header}2026-11-01T00:00:00Z,-60,60\n")),
        ("feb30.csv", format!("{header}2026-02-30T00:00:00Z,60,60\n")),
        ("offset.csv", format!("{header}2026-11-01T00:00:00+99:00,60,60\n")),
        (
            "twice.csv",
            "Timestamp,ConsumedReadCapacityUnits (Sum),ConsumedReadCapacityUnits (Sum)\n\
             2026-11-01T00:00:00Z,60,60\n"
                .to_string(),
        ),
        (
            "twice.json",
            r#"{"MetricDataResults":[
                {"Id":"a","Label":"ConsumedReadCapacityUnits","Timestamps":["2026-11-01T00:00:00Z"],"Values":[60]},
                {"Id":"b","Label":"ConsumedReadCapacityUnits","Timestamps":["2026-11-01T00:00:00Z"],"Values":[60]}]}"#
                .to_string(),
        ),
    ];
    for (name, text) in cases {
        let file = temp(name, &text);
        let (code, out, stderr) = simulate(&["--traffic", path(&file)]);
        assert_eq!(code, 1, "{name}: exit {code}\n{out}\n{stderr}");
        assert!(
            stderr.contains(name),
            "{name}: the message names the file: {stderr}"
        );
        assert!(
            !stderr.contains("panicked") && !out.contains("NaN"),
            "{name}: {stderr}"
        );
    }
}

/// Tables and their models run on a work-stealing pool; the report is the same byte for byte
/// on one thread and on several: three tables with noisy traffic, with the autoscaling search.
#[test]
fn output_does_not_depend_on_the_thread_count() {
    let table = |name: &str, rate: u32| {
        format!(
            "  - name: {name}
    keys: {{ partition: id }}
    items: {{ count: 1M, size: 1KB }}
    access: [{{ op: get, rate: {rate}/s }}, {{ op: put, rate: {}/s }}]
    indexes: [{{ name: by_x, type: global, keys: {{ partition: x }}, projection: keys_only }}]
    traffic: {{ shape: diurnal, peak_to_mean: 3, noise: 20% }}
    autoscaling: {{ target: 70% }}
",
            rate / 2
        )
    };
    let spec = temp(
        "three-tables.yaml",
        &format!(
            "region: us-east-1\ntables:\n{}{}{}",
            table("orders", 500),
            table("events", 2_000),
            table("users", 50)
        ),
    );
    let with_threads = |threads: &str| {
        let output = common::bin()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "simulate",
                path(&spec),
                "--days",
                "1",
                "--search",
                "--series",
            ])
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        output.stdout
    };
    let one = with_threads("1");
    assert!(one.len() > 100_000, "a report with series");
    assert_eq!(one, with_threads("4"));
}
