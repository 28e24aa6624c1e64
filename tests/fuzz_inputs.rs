//! The stable fuzzer `cargo test` runs (docs/fuzzing.md): proptest writes specs within the
//! schema, with numbers from the ordinary to the extreme, through the binary; and mutates the
//! seed inputs of each parser (spec, traffic file, baseline report, price file) in process.
//! Every outcome must be a result or a clean error: no panic, exit 0 or 1, finite and
//! non-negative figures in every report, and the same output on a second run.
//!
//! Case counts are modest so the suite stays quick on two cores; `PROPTEST_CASES=N` runs N
//! cases of every property instead (e.g. `PROPTEST_CASES=2000 cargo test --test fuzz_inputs`).

use proptest::prelude::*;
use serde_json::Value;

use capacity_plan::check::Snapshot;
use capacity_plan::metrics;
use capacity_plan::{load, plan_with, Catalog, PlanOptions, Simulate};

mod common;

/// `PROPTEST_CASES` when set, else `default`.
fn cases(default: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// A number as a spec writes it: mostly ordinary, sometimes zero, negative, fractional, or at
/// the edge of what the types hold.
fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        // A spec holds about ten numbers: this weight leaves about 40% of specs ordinary
        // throughout, so that plans and simulations run, not only validation.
        60 => (1u32..5_000).prop_map(|n| n.to_string()),
        1 => Just("0".to_string()),
        1 => Just("0.5".to_string()),
        1 => Just("-1".to_string()),
        1 => Just("1e20".to_string()),
        1 => Just("18446744073709551615".to_string()),
        1 => Just("4294967295".to_string()),
    ]
}

fn suffix(options: &'static [&'static str]) -> impl Strategy<Value = &'static str> {
    prop::sample::select(options)
}

fn access() -> impl Strategy<Value = String> {
    let ops = &[
        "get",
        "put",
        "update",
        "delete",
        "query",
        "scan",
        "batch_get",
        "batch_write",
        "transact_get",
        "transact_write",
    ];
    (
        prop::sample::select(ops),
        number(),
        suffix(&["/s", "/min", "/month", "K/s", "M/month"]),
        prop::option::of(number()),
        prop::option::of(suffix(&["strong", "eventual"])),
    )
        .prop_map(|(op, rate, per, items, consistency)| {
            let mut pattern = format!("{{ name: p, op: {op}, rate: {rate}{per}");
            if let Some(items) = items {
                pattern.push_str(&format!(", items: {items}"));
            }
            if let Some(c) = consistency {
                pattern.push_str(&format!(", consistency: {c}"));
            }
            pattern + " }"
        })
}

fn table() -> impl Strategy<Value = String> {
    (
        suffix(&["compare", "on_demand", "provisioned", "autoscaling"]),
        (number(), suffix(&["", "K", "M", "B"])),
        (number(), suffix(&["B", "KB", "MB"])),
        prop::collection::vec(access(), 1..4),
        (suffix(&["constant", "diurnal", "weekly"]), number(), number()),
        0usize..3,
        prop::option::of((number(), number())),
        prop::option::of(number()),
    )
        .prop_map(
            |(capacity, count, size, access, traffic, gsis, provisioned, attribute)| {
                let mut t = format!(
                    "  - name: table\n    capacity: {capacity}\n    keys: {{ partition: pk, sort: sk }}\n    items: {{ count: {}{}, size: {}{} }}\n    access:\n",
                    count.0, count.1, size.0, size.1
                );
                for a in access {
                    t.push_str(&format!("      - {a}\n"));
                }
                t.push_str(&format!(
                    "    traffic: {{ shape: {}, peak_to_mean: {}, weekend_factor: {} }}\n",
                    traffic.0, traffic.1, traffic.2
                ));
                if gsis > 0 {
                    t.push_str("    indexes:\n");
                    for g in 0..gsis {
                        t.push_str(&format!(
                            "      - {{ name: gsi{g}, type: global, keys: {{ partition: a{g} }} }}\n"
                        ));
                    }
                }
                if let Some((read, write)) = provisioned {
                    t.push_str(&format!("    provisioned: {{ read: {read}, write: {write} }}\n"));
                }
                if let Some(bytes) = attribute {
                    t.push_str(&format!("    attributes: {{ pk: {bytes}B }}\n"));
                }
                t
            },
        )
}

/// A whole spec: one or two tables (names made unique), settings and a budget.
fn spec() -> impl Strategy<Value = String> {
    (
        suffix(&["us-east-1", "eu-west-1", "ap-southeast-2", "mars-north-1"]),
        prop::collection::vec(table(), 1..3),
        prop::option::of(number()),
        prop::option::of(number()),
        any::<bool>(),
    )
        .prop_map(|(region, tables, attempts, monthly, free_tier)| {
            let mut s = format!("region: {region}\nsettings:\n  free_tier: {free_tier}\n");
            if let Some(attempts) = attempts {
                s.push_str(&format!("  simulation: {{ retry_attempts: {attempts} }}\n"));
            }
            s.push_str("tables:\n");
            for (i, t) in tables.iter().enumerate() {
                s.push_str(&t.replacen("name: table", &format!("name: table{i}"), 1));
            }
            if let Some(monthly) = monthly {
                s.push_str(&format!("budget: {{ monthly: {monthly} }}\n"));
            }
            s
        })
}

/// Every figure of a report: JSON numbers finite (serde writes a NaN as null, so a null where
/// a figure belongs is caught by the text check), and every money total non-negative. Credit
/// lines (the free tier) are the only amounts that may be below zero.
fn assert_sane(value: &Value, path: &str) {
    match value {
        Value::Number(n) => {
            let f = n.as_f64().unwrap();
            assert!(f.is_finite(), "{path}: {n}");
        }
        Value::Object(map) => {
            let credit = map
                .get("name")
                .and_then(Value::as_str)
                .is_some_and(|n| n.starts_with("free tier"));
            for (key, v) in map {
                let at = format!("{path}.{key}");
                if ["total", "total_monthly", "amount", "monthly"].contains(&key.as_str())
                    && !credit
                {
                    if let Some(text) = v.as_str() {
                        let amount: f64 = text.parse().unwrap();
                        assert!(amount >= 0.0, "{at}: {text}");
                    }
                }
                assert_sane(v, &at);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                assert_sane(v, &format!("{path}[{i}]"));
            }
        }
        _ => {}
    }
}

/// Runs the binary on `spec` (stdin) twice: exit 0 or 1, no NaN, the same output both times.
fn run_twice(args: &[&str], spec: &str) -> (i32, String) {
    let first = common::run(args, spec);
    assert!(
        first.0 == 0 || first.0 == 1,
        "{args:?} exit {}:\n{spec}\n{}",
        first.0,
        first.2
    );
    for text in [&first.1, &first.2] {
        assert!(
            !text.contains("NaN") && !text.contains("inf "),
            "{args:?}:\n{spec}\n{text}"
        );
    }
    let second = common::run(args, spec);
    assert_eq!(first, second, "{args:?} differs on a second run:\n{spec}");
    (first.0, first.1)
}

proptest! {
    #![proptest_config(cases(12))]

    /// Specs within the schema through `plan` and a day of `simulate`.
    #[test]
    fn generated_specs_plan_or_fail_cleanly(spec in spec()) {
        let (code, out) = run_twice(&["-", "--format", "json"], &spec);
        if code == 0 {
            assert_sane(&serde_json::from_str(&out).unwrap(), "report");
        }
        let (code, out) = run_twice(&["simulate", "-", "--days", "1", "--format", "json"], &spec);
        if code == 0 {
            assert_sane(&serde_json::from_str(&out).unwrap(), "simulation");
        }
    }
}

/// Text that mutates into new inputs: extreme numbers, YAML and JSON structure, bad dates.
const TOKENS: &[&str] = &[
    "1e308",
    "-1",
    "0",
    "18446744073709551615",
    "NaN",
    "inf",
    "---\n",
    "&a ",
    "*a",
    "{",
    "}",
    "[",
    "]",
    "\"",
    ",",
    ":",
    "\n",
    "  ",
    "2026-02-30T00:00:00Z",
    "+99:00",
    "ConsumedReadCapacityUnits",
];

/// A seed with up to eight edits: a token spliced in, a byte replaced, or a span removed.
fn mutated(seeds: Vec<String>) -> impl Strategy<Value = String> {
    let edits = prop::collection::vec(
        (
            0usize..3,
            any::<prop::sample::Index>(),
            0usize..TOKENS.len(),
            any::<u8>(),
            0usize..64,
        ),
        0..8,
    );
    (prop::sample::select(seeds), edits).prop_map(|(seed, edits)| {
        let mut bytes = seed.into_bytes();
        for (kind, at, token, byte, len) in edits {
            let at = at.index(bytes.len() + 1);
            match kind {
                0 => {
                    bytes.splice(at..at, TOKENS[token].bytes());
                }
                1 if at < bytes.len() => bytes[at] = byte,
                _ => {
                    let end = (at + len).min(bytes.len());
                    bytes.drain(at..end);
                }
            }
        }
        String::from_utf8_lossy(&bytes).into_owned()
    })
}

fn seed_specs() -> Vec<String> {
    [
        "ecommerce-orders",
        "global-catalog",
        "iot-timeseries",
        "session-store",
    ]
    .iter()
    .map(|name| {
        let path = format!("{}/specs/{name}.yaml", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap()
    })
    .collect()
}

proptest! {
    #![proptest_config(cases(48))]

    /// Mutated specs through the loader, validation and the planner, in process.
    #[test]
    fn mutated_specs_never_panic(text in mutated(seed_specs())) {
        let catalog = Catalog::builtin().unwrap();
        if let Ok(workload) = load(&text, "fuzz.yaml", None) {
            let options = PlanOptions::simulating(Simulate::Never);
            if let Ok(report) = plan_with(&workload, &catalog, &options) {
                assert_sane(&serde_json::to_value(&report).unwrap(), "report");
            }
        }
    }

    /// Mutated CloudWatch CSV and get-metric-data JSON through the traffic parser.
    #[test]
    fn mutated_traffic_files_never_panic(text in mutated(vec![
        "Timestamp,ConsumedReadCapacityUnits (Sum),ConsumedWriteCapacityUnits (Sum)\n2026-11-01T00:00:00Z,600,60\n2026-11-01T00:02:00Z,1200,\n".into(),
        r#"{"MetricDataResults":[{"Id":"w","Label":"ConsumedWriteCapacityUnits","Timestamps":["2026-11-01T00:01:00Z","2026-11-01T00:00:00Z"],"Values":[120,60],"StatusCode":"Complete"}],"Messages":[]}"#.into(),
    ])) {
        let _ = metrics::parse(&text, "fuzz.csv", &metrics::MetricsOptions::default());
    }

    /// Mutated plan reports through the baseline reader.
    #[test]
    fn mutated_baselines_never_panic(text in mutated(vec![seed_report()])) {
        let _ = Snapshot::from_json(&text, "fuzz.json");
    }

    /// Mutated price files through the price reader.
    #[test]
    fn mutated_price_files_never_panic(text in mutated(vec![Catalog::builtin().unwrap().to_yaml()])) {
        let _ = Catalog::from_yaml(&text, "fuzz.yaml");
    }
}

/// The session store's plan report, as `--format json` writes it.
fn seed_report() -> String {
    let path = format!("{}/specs/session-store.yaml", env!("CARGO_MANIFEST_DIR"));
    let workload = capacity_plan::load_path(&path).unwrap();
    let options = PlanOptions::simulating(Simulate::Never);
    let report = plan_with(&workload, &Catalog::builtin().unwrap(), &options).unwrap();
    serde_json::to_string(&report).unwrap()
}
