//! `check` and `diff` through the binary: the exit code, stdout and stderr of each outcome are
//! the contract CI scripts rely on (0 hold, 3 exceeded, 1 error, 2 usage).

mod common;

use assert_cmd::Command;
use serde_json::Value;

const BASE: &str = "tests/fixtures/check/base.yaml";
/// BASE with the by_status GSI projecting all attributes instead of keys only.
const PROJECTION: &str = "tests/fixtures/check/projection.yaml";

/// Runs the binary with no GitHub environment, so no job summary is written by accident.
fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let output = common::bin()
        .env_remove("GITHUB_STEP_SUMMARY")
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    let (stdout, stderr) = (text(output.stdout), text(output.stderr));
    assert!(!stderr.contains("panicked"), "{args:?} panicked: {stderr}");
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

/// The run must end with `code`, print nothing on stderr, and print `expected` exactly.
fn pinned(args: &[&str], code: i32, expected: &str) {
    let (got, stdout, stderr) = run(args, "");
    assert_eq!((got, stderr.as_str()), (code, ""), "{args:?}");
    common::expect_file(expected, &stdout);
}

/// The run must fail with `code`, print nothing on stdout, and say `expected` on stderr.
fn fails(args: &[&str], stdin: &str, code: i32, expected: &str) {
    let (got, stdout, stderr) = run(args, stdin);
    assert_eq!((got, stdout.as_str()), (code, ""), "{args:?}: {stderr}");
    assert_eq!(stderr, expected, "{args:?}");
}

#[test]
fn all_budgets_hold() {
    pinned(&["check", BASE, "--baseline", BASE], 0, "check/pass.txt");
}

#[test]
fn each_kind_of_budget_failure_exits_3_with_an_annotation_at_its_line() {
    let github = ["--format", "github"];
    for (extra, expected) in [
        (&["--max-monthly", "500"][..], "check/monthly.github"),
        (&["--min-headroom", "2"][..], "check/headroom.github"),
        (&["--max-hot-key", "0.1%"][..], "check/hot-key.github"),
        (
            &["--baseline", BASE, "--max-increase", "$100"][..],
            "check/increase-dollars.github",
        ),
    ] {
        let args = [&["check", PROJECTION][..], extra, &github].concat();
        pinned(&args, 3, expected);
    }
    // The spec's own `max_increase: 10%` against the base branch.
    pinned(
        &["check", PROJECTION, "--baseline", BASE],
        3,
        "check/increase.txt",
    );
}

#[test]
fn a_throttle_budget_is_judged_from_a_simulated_week() {
    // The base fixture's calm traffic never throttles its provisioned and on-demand tables.
    let (code, stdout, _) = run(
        &["check", BASE, "--max-throttled", "1%", "--format", "json"],
        "",
    );
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let throttled: Vec<&Value> = report["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v["budget"] == "max_throttled")
        .collect();
    assert_eq!(throttled.len(), 2);
    for verdict in throttled {
        assert_eq!(verdict["status"], "pass");
        assert_eq!(verdict["value"], 0);
    }
    // An autoscaled table whose traffic quadruples in a daily spike throttles through the
    // 4-minute scaling delay (docs/simulate.md): over its 0.1% budget.
    let (code, stdout, _) = run(
        &[
            "check",
            "tests/fixtures/check/autoscaling-throttles.yaml",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 3);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let verdict = report["verdicts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["budget"] == "max_throttled")
        .unwrap();
    assert_eq!(verdict["status"], "fail");
    let share = verdict["value"].as_f64().unwrap();
    assert!(share > 0.001, "{share}");
}

#[test]
fn no_fail_reports_the_failure_and_exits_0() {
    let (code, stdout, stderr) = run(&["check", BASE, "--max-monthly", "500", "--no-fail"], "");
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(
        stdout.contains("1 of 4 budgets exceeded, 1 not evaluated"),
        "{stdout}"
    );
    assert!(
        stdout.contains("│ monthly      ┆ total  ┆ $500.00 ┆ $709.14 ┆ FAIL "),
        "{stdout}"
    );
}

#[test]
fn a_bad_spec_is_an_error_not_a_verdict() {
    let spec = "region: us-east-1\ntables:\n  - name: orders\n    capacity: sometimes\n";
    let (code, stdout, stderr) = run(&["check", "-", "--format", "github"], spec);
    // The error is annotated for the PR (no file or line: stdin), never as a budget verdict.
    assert_eq!(
        (code, stdout.as_str()),
        (
            1,
            "::error title=Spec error%3A not a workload spec::unknown variant `sometimes`, expected one of on_demand, provisioned, autoscaling, compare\n"
        )
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("<stdin>:4:15"), "{stderr}");
}

#[test]
fn a_missing_price_a_budget_needs_is_an_error() {
    fails(
        &["check", "tests/fixtures/issue-sketch.yaml"],
        "",
        1,
        "error: the monthly budget needs the monthly cost of table orders, but the price data has no price for ap-southeast-2 storage_gb_month_standard in autoscaling mode (add it with --prices FILE)\n",
    );
}

#[test]
fn a_missing_baseline_is_an_error() {
    fails(
        &["check", BASE, "--baseline", "no-such.yaml"],
        "",
        1,
        "error: cannot plan the baseline spec: no-such.yaml: cannot read the spec: No such file or directory (os error 2)\n",
    );
    fails(
        &["check", BASE, "--baseline-json", "no-such.json"],
        "",
        1,
        "error: cannot read baseline report no-such.json: No such file or directory (os error 2)\n",
    );
}

#[test]
fn both_baselines_is_a_usage_error() {
    let (code, stdout, stderr) = run(
        &[
            "check",
            BASE,
            "--baseline",
            BASE,
            "--baseline-json",
            "r.json",
        ],
        "",
    );
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("cannot be used with"), "{stderr}");
}

#[test]
fn spec_from_stdin() {
    let spec = std::fs::read_to_string(BASE).unwrap();
    let (code, stdout, stderr) = run(&["check", "-", "--format", "markdown"], &spec);
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(
        stdout.starts_with(
            "## capacity-plan check: <stdin>\n\n- 3 of 4 budgets hold, 1 not evaluated\n"
        ),
        "{stdout}"
    );
    // No file to point at: the annotations carry no file property.
    let (code, stdout, _) = run(
        &["check", "-", "--max-monthly", "1", "--format", "github"],
        &spec,
    );
    assert_eq!(code, 3);
    assert!(
        stdout.starts_with("::error title=Over budget%3A monthly::"),
        "{stdout}"
    );
}

/// Saves `capacity-plan BASE --format json` in `dir`, edited by `edit`.
fn saved_report(dir: &tempfile::TempDir, edit: impl Fn(&mut Value)) -> String {
    let (code, stdout, _) = run(&[BASE, "--format", "json"], "");
    assert_eq!(code, 0);
    let mut report: Value = serde_json::from_str(&stdout).unwrap();
    edit(&mut report);
    let path = dir.path().join("report.json");
    std::fs::write(&path, report.to_string()).unwrap();
    path.display().to_string()
}

#[test]
fn a_saved_report_is_the_same_baseline_as_its_spec() {
    let dir = tempfile::tempdir().unwrap();
    let report = saved_report(&dir, |_| {});
    let from_json = run(
        &[
            "check",
            PROJECTION,
            "--baseline-json",
            &report,
            "--format",
            "json",
        ],
        "",
    );
    let from_spec = run(
        &["check", PROJECTION, "--baseline", BASE, "--format", "json"],
        "",
    );
    let verdicts =
        |stdout: &str| serde_json::from_str::<Value>(stdout).unwrap()["verdicts"].clone();
    assert_eq!(from_json.0, 3);
    assert_eq!(verdicts(&from_json.1), verdicts(&from_spec.1));
}

#[test]
fn an_old_report_version_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let report = saved_report(&dir, |r| r["schema_version"] = 0.into());
    let (code, stdout, stderr) = run(&["check", BASE, "--baseline-json", &report], "");
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        format!("error: {report}: the report has schema version 0, and this capacity-plan reads versions 1 to 3; regenerate it from its spec with this version (`capacity-plan SPEC --format json`), or pass the spec itself with --baseline\n")
    );
}

#[test]
fn a_schema_1_report_still_serves_as_a_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let report = saved_report(&dir, |r| r["schema_version"] = 1.into());
    let (code, _, stderr) = run(&["check", BASE, "--baseline-json", &report], "");
    assert_eq!((code, stderr.as_str()), (0, ""));
}

/// A plan report of `base.yaml` as schema 2 wrote it, quantities as decimal strings, committed
/// so that the reader of old baselines is tried on a real old file, not on a new one relabelled.
const BASE_SCHEMA_2: &str = "tests/fixtures/check/base-schema-2.json";

#[test]
fn a_schema_2_report_still_serves_as_a_baseline() {
    let text = std::fs::read_to_string(BASE_SCHEMA_2).unwrap();
    let old: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(old["schema_version"], 2);
    assert!(old["tables"][0]["patterns"][0]["requests_per_second"].is_string());
    let verdicts = |baseline: &[&str]| {
        let mut args = vec!["check", PROJECTION, "--format", "json"];
        args.extend(baseline);
        let (code, stdout, stderr) = run(&args, "");
        assert_eq!(code, 3, "{stderr}");
        serde_json::from_str::<Value>(&stdout).unwrap()["verdicts"].clone()
    };
    assert_eq!(
        verdicts(&["--baseline-json", BASE_SCHEMA_2]),
        verdicts(&["--baseline", BASE])
    );
    let (code, stdout, _) = run(&["diff", BASE_SCHEMA_2, BASE], "");
    assert_eq!(code, 0);
    assert!(stdout.contains("No cost line changed."), "{stdout}");
}

#[test]
fn a_newer_report_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let report = saved_report(&dir, |r| r["schema_version"] = 4.into());
    let (code, stdout, stderr) = run(&["check", BASE, "--baseline-json", &report], "");
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(
        stderr,
        format!("error: {report}: the report has schema version 4, and this capacity-plan reads versions 1 to 3; regenerate it from its spec with this version (`capacity-plan SPEC --format json`), or pass the spec itself with --baseline\n")
    );
}

#[test]
fn json_report_snapshot() {
    pinned(
        &[
            "check",
            PROJECTION,
            "--baseline",
            BASE,
            "--format",
            "json",
            "--no-fail",
        ],
        0,
        "check/report.json",
    );
}

#[test]
fn a_projection_change_shows_only_the_lines_it_changes() {
    pinned(
        &["diff", BASE, PROJECTION, "--format", "markdown"],
        0,
        "check/diff-projection.md",
    );
    let (_, stdout, _) = run(&["diff", BASE, PROJECTION, "--format", "json"], "");
    let diff = &serde_json::from_str::<Value>(&stdout).unwrap()["diff"];
    assert_eq!(diff["summary"], "orders: +$196.10/month (+28.7%)");
    let tables = diff["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 1, "sessions did not change");
    let lines: Vec<&str> = tables[0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        lines,
        [
            "orders: provisioned reads (GSI by_status)",
            "orders: provisioned writes (GSI by_status)",
            "orders: storage"
        ]
    );
}

#[test]
fn diff_reads_saved_reports_and_an_unchanged_plan_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let report = saved_report(&dir, |_| {});
    let (code, stdout, _) = run(&["diff", &report, BASE], "");
    assert_eq!(code, 0);
    assert!(stdout.contains("\n  no cost change\n"), "{stdout}");
    assert!(stdout.contains("No cost line changed."), "{stdout}");
}

#[test]
fn output_file_gets_the_format_and_stdout_the_tables() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("report.json");
    let file_arg = file.display().to_string();
    let (code, stdout, _) = run(&["check", BASE, "--format", "json", "-o", &file_arg], "");
    assert_eq!(code, 0);
    assert!(stdout.starts_with("capacity-plan check: "), "{stdout}");
    let json: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(json["kind"], "check");
}

#[test]
fn github_format_appends_the_markdown_to_the_job_summary() {
    let dir = tempfile::tempdir().unwrap();
    let summary = dir.path().join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let output = Command::cargo_bin("capacity-plan")
        .unwrap()
        .env("GITHUB_STEP_SUMMARY", &summary)
        .args([
            "check",
            PROJECTION,
            "--baseline",
            BASE,
            "--format",
            "github",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(
        text.starts_with("earlier step\n## capacity-plan check: "),
        "{text}"
    );
    assert!(
        text.contains("<details><summary>Details</summary>"),
        "{text}"
    );
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    for shell in ["bash", "zsh", "fish"] {
        let (code, stdout, _) = run(&["completions", shell], "");
        assert_eq!(code, 0, "{shell}");
        assert!(stdout.contains("baseline-json"), "{shell}: {stdout}");
    }
    let (code, stdout, _) = run(&["man"], "");
    assert_eq!(code, 0);
    assert!(stdout.starts_with(".ie"), "{stdout}");
    assert!(stdout.contains(".TH capacity-plan"), "{stdout}");
}

#[test]
fn a_new_table_fails_a_percentage_budget_and_a_new_warning_counts() {
    // Also provision orders below its peak reads: a new warning, and a cheaper orders table.
    let spec = std::fs::read_to_string(BASE)
        .unwrap()
        .replace("read: 800", "read: 300")
        .replace(
        "budget: { monthly: 1500, max_increase: 10% }",
        "  - name: audit\n    keys: { partition: id }\n    items: { count: 1M, size: 1KB }\n    access: [{ op: put, rate: 5/s }]\n    budget: { max_increase: 5% }\n",
    );
    let (code, stdout, stderr) = run(
        &["check", "-", "--baseline", BASE, "--format", "json"],
        &spec,
    );
    assert_eq!((code, stderr.as_str()), (3, ""));
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let verdicts = report["verdicts"].as_array().unwrap();
    let audit: Vec<&Value> = verdicts.iter().filter(|v| v["table"] == "audit").collect();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0]["status"], "fail");
    assert_eq!(audit[0]["value"], Value::Null);
    assert_eq!(
        audit[0]["message"],
        "audit: max_increase ($0.00 → $4.15) is over 5%"
    );
    assert_eq!(report["diff"]["summary"], "total: -$43.30/month (-6.1%) (orders: -$47.45/month (-6.9%); audit: +$4.15/month), 1 new warning");
}

/// `diff` and `check` simulate a week of traffic only when a throttle budget or `--simulate`
/// asks for it; the report's `simulated` says which it did.
#[test]
fn throttling_is_simulated_only_when_a_budget_or_flag_asks() {
    let simulated = |args: &[&str]| {
        let (code, stdout, stderr) = run(args, "");
        assert!(code == 0 || code == 3, "{args:?}: {stderr}");
        let report: Value = serde_json::from_str(&stdout).unwrap();
        let throttle_verdicts = report["verdicts"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|v| v["budget"] == "max_throttled")
            .count();
        (report["simulated"].as_bool().unwrap(), throttle_verdicts)
    };
    // No throttle budget anywhere: a cost diff and a cost check, no simulation.
    assert_eq!(
        simulated(&["diff", BASE, PROJECTION, "--format", "json"]),
        (false, 0)
    );
    assert_eq!(simulated(&["check", BASE, "--format", "json"]), (false, 0));
    // The flag, or a flag budget (one verdict per table of BASE: orders and sessions).
    assert_eq!(
        simulated(&["diff", BASE, PROJECTION, "--simulate", "--format", "json"]),
        (true, 0)
    );
    assert_eq!(
        simulated(&["check", BASE, "--max-throttled", "1%", "--format", "json"]),
        (true, 2)
    );
    // A spec that sets `max_throttled` itself is simulated by both commands.
    let budgeted = "tests/fixtures/check/autoscaling-throttles.yaml";
    assert_eq!(
        simulated(&["diff", budgeted, budgeted, "--format", "json"]),
        (true, 0)
    );
    assert_eq!(
        simulated(&["check", budgeted, "--format", "json"]),
        (true, 1)
    );
}

/// The budgeted mode's monthly cost of each table in a spec's own plan report: the mode its
/// `capacity:` names, or for `compare` the one the plan recommends.
fn planned_costs(spec: &str) -> Vec<(String, String, rust_decimal::Decimal)> {
    let (code, stdout, stderr) = run(&[spec, "--format", "json"], "");
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let costs = report["costs"].as_array().unwrap();
    costs
        .iter()
        .map(|c| {
            let mode = match c["capacity_choice"].as_str().unwrap() {
                "compare" => c["recommendation"]["mode"].as_str().unwrap(),
                chosen => chosen,
            };
            let modes = c["modes"].as_array().unwrap();
            let bill = &modes.iter().find(|m| m["mode"] == mode).unwrap()["bill"];
            let total = bill["total"].as_str().unwrap().parse().unwrap();
            (
                c["table"].as_str().unwrap().to_string(),
                mode.to_string(),
                total,
            )
        })
        .collect()
}

/// `$123.46`: to the cent, half away from zero (amounts here are under $1,000).
fn cents(amount: rust_decimal::Decimal) -> String {
    let rounded =
        amount.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    format!("${rounded:.2}")
}

/// A diff between specs with no table in common keeps a row for the table the new spec removed
/// (its old cost, then `removed`) and for the one it added (`new`, then its cost), each with
/// its mode; the figures are those of each spec's own plan, and a removed table counts as $0
/// after, as in the total.
#[test]
fn diff_keeps_a_row_for_a_removed_and_an_added_table() {
    let (old, new) = ("specs/session-store.yaml", "specs/ecommerce-orders.yaml");
    let [(sessions, sessions_mode, sessions_cost)] = planned_costs(old).try_into().unwrap();
    let [(orders, orders_mode, orders_cost)] = planned_costs(new).try_into().unwrap();
    assert_eq!(
        (
            sessions.as_str(),
            sessions_mode.as_str(),
            orders.as_str(),
            orders_mode.as_str()
        ),
        ("sessions", "on_demand", "orders", "autoscaling")
    );

    let (code, stdout, stderr) = run(&["diff", old, new], "");
    assert_eq!((code, stderr.as_str()), (0, ""));
    let row = |table: &str| {
        let line = stdout
            .lines()
            .find(|l| l.starts_with(&format!("│ {table} ")))
            .unwrap_or_else(|| panic!("no row for {table}: {stdout}"));
        let inner = line.trim_matches('│');
        inner
            .split('┆')
            .map(|cell| cell.trim().to_string())
            .collect::<Vec<String>>()
    };
    // sessions is `capacity: on_demand`, orders `compare` (the plan recommends autoscaling).
    assert_eq!(
        row("sessions"),
        [
            "sessions".to_string(),
            "on-demand → removed".into(),
            cents(sessions_cost),
            "removed".into(),
            format!("-{}", cents(sessions_cost)),
            "-100%".into()
        ]
    );
    assert_eq!(
        row("orders"),
        [
            "orders".to_string(),
            "new → autoscaling (cheapest)".into(),
            "new".into(),
            cents(orders_cost),
            format!("+{}", cents(orders_cost)),
            String::new()
        ]
    );
    assert_eq!(
        row("total")[2..4],
        [cents(sessions_cost), cents(orders_cost)]
    );

    let (_, stdout, _) = run(&["diff", old, new, "--format", "json"], "");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let exact = |d: rust_decimal::Decimal| Value::from(d.normalize().to_string());
    let costs = report["costs"].as_array().unwrap();
    assert_eq!(costs.len(), 2);
    let by_table = |name: &str| costs.iter().find(|c| c["table"] == name).unwrap();
    let removed = by_table("sessions");
    assert_eq!(
        (
            &removed["presence"],
            &removed["mode_before"],
            &removed["mode"]
        ),
        (
            &Value::from("removed"),
            &Value::from("on_demand"),
            &Value::Null
        )
    );
    assert_eq!(removed["monthly"]["before"], exact(sessions_cost));
    assert_eq!(removed["monthly"]["after"], "0");
    let added = by_table("orders");
    assert_eq!(
        (&added["presence"], &added["mode_before"], &added["mode"]),
        (
            &Value::from("added"),
            &Value::Null,
            &Value::from("autoscaling")
        )
    );
    assert_eq!(added["monthly"]["before"], "0");
    assert_eq!(added["monthly"]["after"], exact(orders_cost));
}

/// A warning both plans raise at the same place whose figure moved is "changed", not "new";
/// one that only moved to another line is neither. BASE provisions orders 800 read units;
/// its peak reads are 400 gets/s × 2 (peak-to-mean) × ½ unit (an eventually consistent read
/// of a 1.2 KB item, one 4 KB step) = 400 units/s, so 300 and 200 units both fall below it.
/// The 100 fewer read units save 100 × $0.00013 per RCU-hour (us-east-1) × 730 h = $9.49.
#[test]
fn a_warning_whose_figure_changed_is_changed_not_new() {
    let base = std::fs::read_to_string(BASE).unwrap();
    let old = common::temp(
        "below-peak-300.yaml",
        &base.replace("read: 800", "read: 300"),
    );
    let new = common::temp(
        "below-peak-200.yaml",
        &base.replace("read: 800", "read: 200"),
    );
    let (old, new) = (old.display().to_string(), new.display().to_string());
    let (code, stdout, stderr) = run(&["diff", &old, &new, "--format", "json"], "");
    assert_eq!((code, stderr.as_str()), (0, ""));
    let diff = &serde_json::from_str::<Value>(&stdout).unwrap()["diff"];
    assert_eq!(
        diff["summary"],
        "orders: -$9.49/month (-1.5%), 1 changed warning"
    );
    let orders = &diff["tables"][0];
    assert_eq!(orders["new_warnings"], serde_json::json!([]));
    let changed = orders["changed_warnings"].as_array().unwrap();
    assert_eq!(changed.len(), 1);
    let below = "provisioned read units are below the peak demand of 400 units/s; the excess throttles once burst credit is spent";
    for (side, units) in [("before", 300), ("after", 200)] {
        let w = &changed[0][side];
        assert_eq!(w["code"], "provisioned-below-peak", "{side}");
        assert_eq!(w["path"], "tables[0].provisioned", "{side}");
        assert_eq!(w["message"], format!("{units} {below}"), "{side}");
    }
    let (_, text, _) = run(&["diff", &old, &new], "");
    assert!(
        text.contains(&format!("\nChanged warnings\n  warning[provisioned-below-peak] tables[0].provisioned (line 18): 200 {below} (was: 300 {below})\n")),
        "{text}"
    );
    assert!(!text.contains("New warnings"), "{text}");

    // The same spec with a comment line on top: the warning is on line 19, and unchanged.
    let moved = common::temp(
        "below-peak-moved.yaml",
        &format!("# moved\n{}", base.replace("read: 800", "read: 300")),
    );
    let (_, stdout, _) = run(&["diff", &old, &moved.display().to_string()], "");
    assert!(stdout.contains("\n  no cost change\n"), "{stdout}");
    assert!(!stdout.contains("warning"), "{stdout}");
}

/// One budget is counted in the singular ("1 of 1 budget holds"), several in the plural. A
/// table of 100 writes a second on demand costs 100 × 2,628,000 s × $0.625 per million WRU =
/// $164.25 a month in us-east-1 ("Amazon DynamoDB pricing for on-demand capacity"), with
/// 1,000 items of 1 KB in storage: under $200, over $100.
#[test]
fn one_budget_is_counted_in_the_singular() {
    let spec = "region: us-east-1\ntables:\n  - name: log\n    capacity: on_demand\n    keys: { partition: id }\n    items: { count: 1000, size: 1KB }\n    access: [{ op: put, rate: 100/s }]\n";
    let (code, stdout, stderr) = run(&["check", "-", "--max-monthly", "200"], spec);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("1 of 1 budget holds"), "{stdout}");
    let (code, stdout, _) = run(&["check", "-", "--max-monthly", "100"], spec);
    assert_eq!(code, 3);
    assert!(stdout.contains("1 of 1 budget exceeded"), "{stdout}");
}
