//! The families of bad input a fuzzing pass found (issue 16), each through the binary: every
//! case exits 1 (or 2 for a bad flag) with a message naming the place and the fix, and none
//! panics (101), aborts (134), hangs (each run has a timeout), prints NaN or a negative amount.

use std::path::{Path, PathBuf};
use std::time::Duration;

mod common;

/// One run: (exit code, stdout, stderr). A timeout is a hang and fails the test.
fn run_in(dir: &Path, args: &[&str], timeout: u64) -> (i32, String, String) {
    let output = common::bin()
        .current_dir(dir)
        .args(args)
        .timeout(Duration::from_secs(timeout))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let code = output.status.code();
    assert!(
        code.is_some(),
        "{args:?} was killed (hang or abort): {stderr}"
    );
    for text in [&stdout, &stderr] {
        assert!(!text.contains("panicked"), "{args:?} panicked: {stderr}");
        assert!(!text.contains("NaN"), "{args:?} printed NaN: {text}");
        assert!(!text.contains("memory allocation"), "{args:?}: {stderr}");
        assert!(
            !text.contains("Options") && !text.contains("{ nodes"),
            "{args:?}: {text}"
        );
    }
    (code.unwrap_or(-1), stdout, stderr)
}

fn dir(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("hardening")
        .join(name);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `files` into a fresh directory, runs `args` there, and expects exit `code` with
/// every fragment on stderr.
fn refused(name: &str, files: &[(&str, &str)], args: &[&str], code: i32, fragments: &[&str]) {
    let dir = dir(name);
    for (file, text) in files {
        std::fs::write(dir.join(file), text).unwrap();
    }
    let (got, _, stderr) = run_in(&dir, args, 60);
    assert_eq!(got, code, "{name}: exit {got}\n{stderr}");
    for fragment in fragments {
        assert!(
            stderr.contains(fragment),
            "{name}: `{fragment}` not in\n{stderr}"
        );
    }
}

/// A valid one-table spec; `settings` goes at the top level, `body` under the table.
fn spec(settings: &str, body: &str) -> String {
    format!(
        "region: us-east-1\n{settings}tables:\n  - name: orders\n    keys: {{ partition: pk }}\n    items: {{ count: 1M, size: 1KB }}\n    access:\n      - {{ name: read, op: get, rate: 100/s }}\n      - {{ name: write, op: put, rate: 10/s }}\n{body}"
    )
}

#[test]
fn decimal_overflow_is_a_located_error() {
    // 10^12 RCU × 730 h × $10^15 = 7.3 × 10^29 overflowed Decimal's 7.9 × 10^28 (exit 101).
    refused(
        "price-flag",
        &[],
        &[
            "calc",
            "cost",
            "--mode",
            "provisioned",
            "--rcu",
            "1000000000000",
            "--wcu",
            "1",
            "--price",
            "provisioned_rcu_hour_standard=1000000000000000",
        ],
        2,
        &["--price", "over 10,000,000 per unit"],
    );
    let prices = "regions:\n  us-east-1:\n    provisioned_rcu_hour_standard: {unit: unit_hour, amount: \"1e15\", as_of: \"2024-11-15\", source: test, confidence: confirmed}\n";
    refused(
        "price-file",
        &[("prices.yaml", prices)],
        &[
            "calc",
            "cost",
            "--mode",
            "provisioned",
            "--rcu",
            "10",
            "--wcu",
            "10",
            "--prices",
            "prices.yaml",
        ],
        1,
        &["prices.yaml:3:62", "over 10,000,000 per unit"],
    );
    // A peak of 10^20 × the mean gave a provisioned bill of $6.8 × 10^19.
    let huge_peak = spec("", "    traffic: { shape: diurnal, peak_to_mean: 1e20 }\n");
    refused(
        "peak-to-mean",
        &[("spec.yaml", &huge_peak)],
        &["spec.yaml"],
        1,
        &["[value-out-of-range]", "spec.yaml:9:", "over 1000"],
    );
    let huge_units = spec(
        "",
        "    provisioned: { read: 18446744073709551615, write: 5 }\n",
    );
    refused(
        "provisioned",
        &[("spec.yaml", &huge_units)],
        &["spec.yaml"],
        1,
        &[
            "[value-out-of-range]",
            "spec.yaml:9:",
            "1,000,000,000,000 units",
        ],
    );
}

#[test]
fn simulation_settings_are_bounded_before_anything_is_allocated() {
    // retry_attempts 2^32 − 1 aborted (a 103 GB allocation, exit 134), 100,000 hung, and a
    // 10^8 ms backoff hung; `check` simulates too, for a throttle budget.
    let budget = "budget: { max_throttled: 1% }\n";
    for (name, settings, fragment) in [
        ("attempts-max", "retry_attempts: 4294967295", "outside 1–11"),
        ("attempts-100k", "retry_attempts: 100000", "outside 1–11"),
        ("attempts-zero", "retry_attempts: 0", "outside 1–11"),
        (
            "backoff",
            "retry_max_backoff_ms: 100000000",
            "over 60000 ms",
        ),
        ("base", "retry_base_ms: 100000000", "over 60000 ms"),
        ("burst", "burst_seconds: 18446744073709551615", "over 3600"),
        ("quota", "table_quota: 0", "outside 1–"),
        ("delay", "scaling_delay: 1000d", "over a day"),
    ] {
        let text = spec(
            &format!("settings: {{ simulation: {{ {settings} }} }}\n{budget}"),
            "",
        );
        for command in [&["simulate", "spec.yaml"][..], &["check", "spec.yaml"]] {
            refused(
                name,
                &[("spec.yaml", &text)],
                command,
                1,
                &["[value-out-of-range]", "spec.yaml:2:", fragment],
            );
        }
    }
}

#[test]
fn a_series_over_its_budget_is_refused_with_the_days_that_fit() {
    // Five tables of 20 GSIs: 42 lanes × 3 models × 5 = 630 lanes, whose 366 days (within the
    // work budget) keep 8,784 hourly points × 630 = 5,533,920 even at the coarsest, over
    // 5,000,000; 5,000,000 / 630 / 24 = 330 days fit.
    let gsis: String = (0..20)
        .map(|i| {
            format!("      - {{ name: gsi{i:02}, type: global, keys: {{ partition: a{i} }} }}\n")
        })
        .collect();
    let one = spec("", &format!("    indexes:\n{gsis}"));
    let (head, table) = one.split_once("tables:\n").unwrap();
    let tables: String = (0..5)
        .map(|i| table.replacen("name: orders", &format!("name: orders{i}"), 1))
        .collect();
    let text = format!("{head}tables:\n{tables}");
    for flag in ["--series", "--chart=out.svg"] {
        refused(
            "series",
            &[("spec.yaml", &text)],
            &[
                "simulate",
                "spec.yaml",
                "--days",
                "366",
                flag,
                "--format",
                "json",
            ],
            1,
            &["5,533,920 points", "--days 330 or fewer"],
        );
    }
}

#[test]
fn negative_or_wrapping_figures_are_refused() {
    for (name, body, fragments) in [
        (
            "weekend-factor",
            "    traffic: { shape: weekly, peak_to_mean: 2, weekend_factor: -1 }\n",
            &["`weekend_factor: -1` is negative", "spec.yaml:9:"][..],
        ),
        (
            "multiplier",
            "    traffic:\n      events: [{ name: sale, start: \"10:00\", duration: 1h, multiplier: -5 }]\n",
            &["`multiplier: -5` is negative", "spec.yaml:10:"],
        ),
        // 2^64 − 1 bytes wrapped in the index entry sum and priced as 1 WCU.
        (
            "attribute-size",
            "    attributes: { pk: 18446744073709551615B }\n    indexes: [{ name: by_pk, type: global, keys: { partition: pk } }]\n",
            &["[item-too-large]", "attribute `pk`", "spec.yaml:9:"],
        ),
        (
            "event-writes",
            "    traffic:\n      events: [{ name: load, start: \"01:00\", duration: 1s, writes: 18446744073709551615 }]\n",
            &["over a trillion", "spec.yaml:10:"],
        ),
    ] {
        let text = spec("", body);
        refused(name, &[("spec.yaml", &text)], &["simulate", "spec.yaml"], 1, fragments);
    }
}

/// `check` of `spec.yaml` against `base.json` with a 10% increase budget.
const CHECK_AGAINST_BASE: &[&str] = &[
    "check",
    "spec.yaml",
    "--baseline-json",
    "base.json",
    "--max-increase",
    "10%",
];

/// A plan report of the session store spec, saved as a baseline and then edited.
fn baseline(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let (code, out, err) = run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
        &["specs/session-store.yaml", "--format", "json"],
        60,
    );
    assert_eq!(code, 0, "{err}");
    let mut report: serde_json::Value = serde_json::from_str(&out).unwrap();
    edit(&mut report);
    report.to_string()
}

#[test]
fn check_never_turns_a_bad_baseline_or_budget_into_a_verdict() {
    let spec_file = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/session-store.yaml"),
    )
    .unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "no-costs",
            baseline(|r| r["costs"] = serde_json::json!([])),
            "has no costs",
        ),
        (
            "negative-total",
            baseline(|r| r["costs"][0]["modes"][0]["bill"]["total"] = "-5".into()),
            "the total -5 is negative",
        ),
        (
            "duplicated-table",
            baseline(|r| {
                let first = r["costs"][0].clone();
                r["costs"].as_array_mut().unwrap().push(first);
            }),
            "costs[1]: table `sessions` appears twice",
        ),
        (
            "inconsistent-total",
            baseline(|r| r["costs"][0]["modes"][0]["bill"]["total"] = "12345".into()),
            "is not the sum of its lines",
        ),
        (
            "extreme-total",
            baseline(|r| {
                r["costs"][0]["modes"][0]["bill"]["total"] = "79228162514264337593543950335".into()
            }),
            "over 10²¹ USD",
        ),
    ];
    for (name, report, fragment) in &cases {
        for command in ["check", "diff"] {
            let args: &[&str] = if command == "check" {
                CHECK_AGAINST_BASE
            } else {
                &["diff", "base.json", "spec.yaml"]
            };
            refused(
                name,
                &[("spec.yaml", &spec_file), ("base.json", report)],
                args,
                1,
                &["base.json: ", fragment, "regenerate it"],
            );
        }
    }
    // Budgets: a negative limit would fail every plan, so it must not read as "over budget".
    refused(
        "max-monthly",
        &[],
        &["check", "specs/session-store.yaml", "--max-monthly=-5"],
        2,
        &["--max-monthly", "negative"],
    );
    refused(
        "min-headroom",
        &[],
        &["check", "specs/session-store.yaml", "--min-headroom=-1"],
        2,
        &["--min-headroom", "negative"],
    );
    let negative = spec_file.replace("budget: { monthly: 1200 }", "budget: { monthly: -1 }");
    assert_ne!(negative, spec_file);
    refused(
        "spec-budget",
        &[("spec.yaml", &negative)],
        &["check", "spec.yaml"],
        1,
        &["`monthly: -1` is negative", "spec.yaml:38:"],
    );
}

#[test]
fn a_tiny_baseline_is_an_unbounded_increase_not_an_overflow() {
    // A baseline of $10^-28: any real cost is beyond every share, a verdict (exit 3), no panic.
    let spec_file = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/session-store.yaml"),
    )
    .unwrap();
    let tiny = baseline(|r| {
        for mode in r["costs"][0]["modes"].as_array_mut().unwrap() {
            let bill = &mut mode["bill"];
            for line in bill["lines"].as_array_mut().unwrap() {
                line["amount"] = "0".into();
            }
            bill["lines"][0]["amount"] = "0.0000000000000000000000000001".into();
            bill["total"] = "0.0000000000000000000000000001".into();
        }
    });
    let dir = dir("tiny-baseline");
    std::fs::write(dir.join("spec.yaml"), &spec_file).unwrap();
    std::fs::write(dir.join("base.json"), tiny).unwrap();
    let (code, out, err) = run_in(&dir, CHECK_AGAINST_BASE, 60);
    assert_eq!(code, 3, "{out}{err}");
    let (code, _, err) = run_in(&dir, &["diff", "base.json", "spec.yaml"], 60);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn parser_messages_are_sentences_about_the_file() {
    let one = spec("", "");
    refused(
        "two-documents",
        &[("spec.yaml", &format!("{one}---\nregion: us-east-1\n"))],
        &["validate", "spec.yaml"],
        1,
        &[
            "spec.yaml:10:1",
            "a second YAML document",
            "remove the `---`",
        ],
    );
    refused(
        "duplicate-key",
        &[(
            "spec.yaml",
            "region: us-east-1\nregion: eu-west-1\ntables: []\n",
        )],
        &["validate", "spec.yaml"],
        1,
        &[
            "spec.yaml:2:1",
            "the key `region` is given twice",
            "keep one",
        ],
    );
}

#[test]
fn a_spec_of_ten_thousand_tables_loads() {
    // 10,000 tables of 26 nodes each is over the parser's default budget of 250,000 nodes,
    // which printed `budget breached: Nodes { nodes: 250001 }`.
    let mut text = String::from("region: us-east-1\ntables:\n");
    for t in 0..10_000 {
        text.push_str(&format!("  - name: table{t:05}\n    keys: {{ partition: id, sort: sk }}\n    items: {{ count: 1, size: 1KB }}\n    access:\n      - {{ name: r, op: get, rate: 1/s }}\n      - {{ name: w, op: put, rate: 1/s }}\n"));
    }
    let dir = dir("ten-thousand");
    std::fs::write(dir.join("spec.yaml"), text).unwrap();
    let (code, out, err) = run_in(&dir, &["validate", "spec.yaml"], 120);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("ok: spec.yaml (10000 tables, 0 warnings)"),
        "{out}"
    );
}

#[test]
fn duplicate_tables_on_one_long_line_are_reported_in_linear_time() {
    // 2,000 copies of one table on a single 150 KB line: every copy after the first is a
    // duplicate. Rendering each finding walked the whole line (quadratic: 88 s for 312 KB).
    let one = "{ name: orders, keys: { partition: id }, items: { count: 1, size: 1KB } }";
    let tables = vec![one; 2_000].join(", ");
    let text = format!("{{ region: us-east-1, tables: [{tables}] }}\n");
    let dir = dir("one-line");
    std::fs::write(dir.join("spec.yaml"), text).unwrap();
    let (code, _, err) = run_in(&dir, &["validate", "spec.yaml"], 60);
    assert_eq!(code, 1);
    assert_eq!(err.matches("[table-name-duplicate]").count(), 1_999);
    // The second copy starts at byte 105 of the line: `{ region: us-east-1, tables: [` is
    // 30 bytes, the first copy 73, and `, ` 2; its name is 2 further on.
    assert!(err.contains("spec.yaml:1:106"), "{}", &err[..2_000]);
    assert!(err.contains("(also tables[0])"));
    assert!(err.contains("1999 errors found"));
}

#[test]
fn a_planner_error_names_its_line_and_fix_in_plan_too() {
    // A Scan of 2^64 − 1 items of 400 KB is over the exabyte capacity-plan computes.
    let text = "region: us-east-1\ntables:\n  - name: orders\n    keys: { partition: pk }\n    items: { count: 1000, size: 400KB }\n    access:\n      - { name: all, op: scan, rate: 1/s, items: 18446744073709551615 }\n";
    refused(
        "planner-stage",
        &[("spec.yaml", text)],
        &["spec.yaml"],
        1,
        &[
            "spec.yaml:7:9: [operation-not-allowed]",
            "change the access pattern",
        ],
    );
    // 10⁹ Queries/s of 10⁹ items of 400 KB, eventual: 10⁹ × 100 × 0.5 = 5 × 10¹⁰ RCU each,
    // 5 × 10¹⁹ RCU/s on average and 5 × 10²² at a peak of 1,000 × the mean. Reserved blocks
    // saturated at 2⁶⁴ − 1 and the bill ran to 10²⁷ dollars; past 10¹² units/s it is an error.
    let text = "region: us-east-1\ntables:\n  - name: orders\n    keys: { partition: pk, sort: sk }\n    items: { count: 1000, size: 400KB }\n    access:\n      - { name: q, op: query, rate: 1000000000/s, items: 1000000000 }\n    traffic: { shape: diurnal, peak_to_mean: 1000 }\n";
    refused(
        "peak-demand",
        &[("spec.yaml", text)],
        &["spec.yaml"],
        1,
        &[
            "[value-out-of-range] the table needs 50,000,000,000,000,000,000,000 read units/s",
            "peak_to_mean",
        ],
    );
}
