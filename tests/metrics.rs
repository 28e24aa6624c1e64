//! CloudWatch exports replayed by `simulate --traffic`: the 5-minute collector export, a
//! multi-table CSV, and the statistics a replay refuses (tests/fixtures/metrics/README.md gives
//! the sources).

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
