//! The command-line conventions people expect from ripgrep, cargo and hyperfine, as contracts
//! through the binary: pipes that close early, colour only for a person (https://no-color.org),
//! tables fitted to `COLUMNS`, mistakes answered with the fix, one spelling of a mode accepted
//! as the other, and the commands a newcomer reaches for. Each case is a table row.

mod common;

use std::io::Read;
use std::path::Path;
use std::process::Stdio;

use common::{bin, run};

fn spec(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("specs")
        .join(name)
        .display()
        .to_string()
}

/// Runs with `env` set; (exit code, stdout, stderr).
fn run_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let output = bin().args(args).envs(env.iter().copied()).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn a_reader_that_stops_early_ends_the_command_quietly() {
    let session = spec("session-store.yaml");
    let cases: &[&[&str]] = &[
        &["quiz", "--seed", "1", "--count", "1000", "--show-answers"],
        &["quiz", "--seed", "1", "--count", "1000", "--format", "json"],
        &[
            "simulate", &session, "--days", "1", "--series", "--format", "json",
        ],
        &["completions", "powershell"],
        &["man"],
        &["schema"],
    ];
    for args in cases {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_capacity-plan"))
            .args(*args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Like `| head -c 16`: read a little, then close the pipe before the rest is written.
        let mut first = [0u8; 16];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

#[test]
fn colour_only_for_a_terminal_or_when_asked() {
    let bad = "region: us-east1\ntables: []\n";
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.yaml");
    std::fs::write(&path, bad).unwrap();
    let path = path.to_str().unwrap();
    let escape = "\u{1b}[";
    // (flag, NO_COLOR, coloured): a pipe is never coloured unless `always` is given, and an
    // explicit `always` wins over NO_COLOR, as no-color.org asks of command-line flags.
    let cases: &[(&[&str], Option<&str>, bool)] = &[
        (&[], None, false),
        (&["--color", "auto"], None, false),
        (&["--color", "never"], None, false),
        (&["--color", "always"], None, true),
        (&["--color", "always"], Some("1"), true),
        (&["--color=never"], Some("1"), false),
    ];
    for (flags, no_color, coloured) in cases {
        let mut args = vec!["validate", path];
        args.extend(flags.iter());
        // Before the command, as `cargo --color never build` is written, it means the same.
        let mut before: Vec<&str> = flags.to_vec();
        before.extend(["validate", path]);
        let env: Vec<(&str, &str)> = no_color.iter().map(|v| ("NO_COLOR", *v)).collect();
        assert_eq!(run_env(&before, &env), run_env(&args, &env), "{before:?}");
        let env: Vec<(&str, &str)> = no_color.iter().map(|v| ("NO_COLOR", *v)).collect();
        let (code, _, stderr) = run_env(&args, &env);
        assert_eq!(code, 1, "{args:?}");
        assert_eq!(stderr.contains(escape), *coloured, "{args:?}: {stderr:?}");
        assert!(stderr.contains("region-invalid"), "{stderr}");
    }
    // A verdict that holds is green on stdout: the session store's $738.27 a month is
    // within its $1,200 budget.
    let session = spec("session-store.yaml");
    let (code, stdout, _) = run_env(&["check", &session, "--color", "always"], &[]);
    assert_eq!(code, 0);
    assert!(stdout.contains("\u{1b}[38;5;10m pass"), "{stdout:?}");
    let (_, plain, _) = run_env(&["check", &session], &[]);
    assert!(!plain.contains(escape));
}

#[test]
fn tables_fit_columns_and_a_pipe_keeps_the_natural_width() {
    let session = spec("session-store.yaml");
    let width = |text: &str| text.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let args = ["simulate", session.as_str(), "--days", "1"];
    let (code, natural, _) = run_env(&args, &[]);
    assert_eq!(code, 0);
    // Ten columns side by side: wider than a terminal's 80.
    assert!(width(&natural) > 80, "{natural}");
    for columns in [80, 100] {
        let (code, fitted, _) = run_env(&args, &[("COLUMNS", &columns.to_string())]);
        assert_eq!(code, 0);
        assert!(width(&fitted) <= columns, "COLUMNS={columns}:\n{fitted}");
        // Turned: one row per figure, one column per capacity model.
        assert!(
            fitted.contains("│ model              ┆ provisioned ┆ autoscaling ┆ on_demand │"),
            "{fitted}"
        );
        assert!(
            fitted.lines().any(|l| l.starts_with("│ cost/month")),
            "{fitted}"
        );
    }
    // A table that already fits is drawn as before.
    let plan = spec("session-store.yaml");
    let (_, wide, _) = run_env(&[&plan], &[("COLUMNS", "500")]);
    let (_, piped, _) = run_env(&[&plan], &[]);
    assert_eq!(wide, piped);
    let (_, narrow, _) = run_env(&[&plan], &[("COLUMNS", "80")]);
    assert!(width(&narrow) <= 80, "{narrow}");
}

#[test]
fn counts_and_durations_read_as_people_write_them() {
    // `--days N` simulates N × 86,400 s from the default start, 2024-01-01 00:00 UTC: one
    // day is singular, two are plural, and neither is written `day(s)`.
    let session = spec("session-store.yaml");
    for (days, words) in [("1", "1 day"), ("2", "2 days")] {
        let (code, stdout, stderr) = run(&["simulate", &session, "--days", days], "");
        assert_eq!(code, 0, "{stderr}");
        let title = format!("sessions: {words} from 2024-01-01 00:00 UTC, traffic generated");
        assert!(stdout.contains(&title), "{title} not in {stdout}");
        assert!(!stdout.contains("(s)"), "{stdout}");
    }
}

/// A spec whose GSI keys (`id`, `status`) have no listed sizes and whose table replicates to
/// one other Region ([GTBILL]): the counts in its findings and workings take their number.
#[test]
fn counted_nouns_in_findings_and_workings_agree_with_their_number() {
    let spec = "region: us-east-1
tables:
  - name: orders
    keys: { partition: id }
    items: { count: 1M, size: 1KB }
    access:
      - { op: get, rate: 100/s }
      - { op: put, rate: 10/s }
    indexes:
      - { name: by_status, type: global, keys: { partition: status }, projection: keys_only }
    global: { replicas: [eu-west-1] }
";
    let (code, stdout, stderr) = run(&["-", "--explain"], spec);
    assert_eq!(code, 0, "{stderr}");
    // 10 puts/s of 1 KB items each travel to the one replica.
    assert!(
        stdout.contains("put: replicated to 1 Region: 10 items/s × 1,024 B = 10,240 B/s"),
        "{stdout}"
    );
    assert!(
        stdout.contains("no size given for 2 attributes (id, status); index entries assume"),
        "{stdout}"
    );
    assert!(!stdout.contains("(s)"), "{stdout}");
    // A 1 KB put is 1 write unit ([RW]: 1 KB a unit); a 1 KB eventually consistent get is
    // half a read unit (4 KB a unit, halved).
    assert!(
        stdout.contains("PutItem of 1 item of 1,024 B: 1 write unit per request"),
        "{stdout}"
    );
    assert!(stdout.contains(": 0.5 read units per request"), "{stdout}");
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let session = spec("session-store.yaml");
    let (code, _, stderr) = run_env(&["simulate", &session, "--days", "2"], &[]);
    assert_eq!(code, 0);
    assert_eq!(stderr, "");
}

#[test]
fn a_mistyped_command_gets_did_you_mean() {
    // (command line, suggestion)
    let cases: &[(&[&str], &str)] = &[
        (
            &["simulat", "spec.yaml"],
            "did you mean `capacity-plan simulate`?",
        ),
        (
            &["valdate", "spec.yaml"],
            "did you mean `capacity-plan validate`?",
        ),
        (&["chek"], "did you mean `capacity-plan check`?"),
    ];
    for (args, suggestion) in cases {
        let (code, stdout, stderr) = run(args, "");
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_eq!(stdout, "");
        assert!(stderr.contains(suggestion), "{args:?}: {stderr}");
        assert!(!stderr.contains("cannot be used with"), "{stderr}");
    }
}

/// A spec whose one table is written with the API's spelling `wrong` at a place that takes
/// the spec's own; `(line, fix)` of the message expected.
const MISTAKES: &[(&str, &str, &str)] = &[
    (
        "projection: keys_only",
        "projection: KEYS_ONLY",
        "did you mean `keys_only`?",
    ),
    (
        "type: global",
        "type: gsi",
        "the spec writes `global` for `gsi`",
    ),
    (
        "capacity: on_demand",
        "capacity: PAY_PER_REQUEST",
        "the spec writes `on_demand`",
    ),
    (
        "ttl: { retention: 24h }",
        "ttl: 30d",
        "`ttl: { retention: 30d }`",
    ),
    ("rate: 1500/s", "rate: 1000 per second", "write it `1000/s`"),
    (
        "region: us-east-1",
        "region: us-east1",
        "did you mean `us-east-1`?",
    ),
];

#[test]
fn mistakes_are_answered_with_the_spec_spelling() {
    let text = std::fs::read_to_string(spec("session-store.yaml")).unwrap();
    let streams = "    streams: { view: NEW_AND_OLD_IMAGES }\n    ttl:";
    let mut cases: Vec<(String, &str)> = MISTAKES
        .iter()
        .map(|(right, wrong, fix)| {
            assert!(text.contains(right), "{right}");
            (text.replacen(right, wrong, 1), *fix)
        })
        .collect();
    cases.push((
        text.replacen("    ttl:", streams, 1),
        "did you mean `new_and_old_images`?",
    ));
    for (spec, fix) in &cases {
        let (code, _, stderr) = run(&["validate", "-"], spec);
        assert_eq!(code, 1, "{fix}: {stderr}");
        assert!(stderr.contains(fix), "`{fix}` not in {stderr}");
        assert!(!stderr.contains("error: error:"), "{stderr}");
    }
}

#[test]
fn an_unknown_key_gets_no_unrelated_help() {
    let text = std::fs::read_to_string(spec("session-store.yaml")).unwrap();
    let spec = text.replacen("    ttl:", "    zzzq: 1\n    ttl:", 1);
    let (code, _, stderr) = run(&["validate", "-"], &spec);
    assert_eq!(code, 1);
    assert!(stderr.contains("unknown field `zzzq`"), "{stderr}");
    assert!(!stderr.contains("alias"), "{stderr}");
    assert!(!stderr.contains("= help"), "{stderr}");
}

#[test]
fn one_error_prefix_for_a_bad_price_file() {
    let dir = tempfile::tempdir().unwrap();
    let prices = dir.path().join("prices.yaml");
    std::fs::write(&prices, "a: [\n").unwrap();
    let (code, _, stderr) = run(
        &[
            &spec("session-store.yaml"),
            "--prices",
            prices.to_str().unwrap(),
        ],
        "",
    );
    assert_eq!(code, 1);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(!stderr.contains("error: error:"), "{stderr}");
}

#[test]
fn a_lower_case_type_tag_is_refused() {
    // DynamoDB JSON tags are upper-case (`N`); `{"n": "42"}` is a typo, not a map.
    for item in [
        r#"{"n": "42"}"#,
        r#"{"price": {"n": "42"}}"#,
        r#"{"a": {"s": "x"}}"#,
    ] {
        let (code, stdout, stderr) = run(&["calc", "item-size"], item);
        assert_eq!(code, 1, "{item}: {stdout}");
        assert!(stderr.contains("type tags are upper-case"), "{stderr}");
    }
    // A plain-JSON map whose one key is not shaped like a tag (a JSON number, not the string
    // an `N` holds) stays a map (docs/rules.md, [SIZE]): name `a` 1 B + map 3 B overhead
    // + 1 B for its one element + name `n` 1 B + the number 1 (one digit pair + 1) 2 B = 8 B.
    let (code, stdout, _) = run(&["calc", "item-size"], r#"{"a": {"n": 1}}"#);
    assert_eq!(code, 0);
    assert!(stdout.starts_with("8 B\n"), "{stdout}");
}

#[test]
fn both_spellings_of_on_demand_name_the_mode() {
    // 10M reads at us-east-1's $0.125 per million read request units = $1.25
    // (Amazon DynamoDB pricing for on-demand capacity).
    let calc = |mode: &str| {
        run(
            &["calc", "cost", "--mode", mode, "--reads", "10M/month"],
            "",
        )
    };
    let (code, dashed, _) = calc("on-demand");
    assert_eq!(code, 0);
    assert!(dashed.contains("$1.25"), "{dashed}");
    assert_eq!(calc("on_demand").1, dashed);
    let session = spec("session-store.yaml");
    let simulate = |model: &str| {
        run(
            &[
                "simulate", &session, "--days", "1", "--model", model, "--format", "json",
            ],
            "",
        )
    };
    let (code, dashed, stderr) = simulate("on-demand");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(simulate("on_demand"), (0, dashed, String::new()));
    // The spec keeps its one spelling (its schema and messages name `on_demand`) and points
    // the command line's at it.
    let text = std::fs::read_to_string(&session).unwrap();
    assert!(text.contains("capacity: on_demand"));
    let dashed = text.replacen("capacity: on_demand", "capacity: on-demand", 1);
    let (code, _, stderr) = run(&["validate", "-"], &dashed);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("= help: did you mean `on_demand`?"),
        "{stderr}"
    );
}

#[test]
fn help_names_the_format_value_format() {
    for args in [
        &["--help"][..],
        &["plan", "--help"],
        &["simulate", "--help"],
        &["validate", "--help"],
    ] {
        let (code, stdout, _) = run(args, "");
        assert_eq!(code, 0);
        assert!(stdout.contains("--format <FORMAT>"), "{args:?}: {stdout}");
        assert!(!stdout.contains("_format>"), "{args:?}");
    }
}

#[test]
fn a_folder_with_workload_yaml_is_planned_by_the_bare_command() {
    let dir = tempfile::tempdir().unwrap();
    let (code, _, stderr) = bin_in(dir.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("no workload.yaml or workload.yml here"),
        "{stderr}"
    );
    std::fs::copy(spec("session-store.yaml"), dir.path().join("workload.yaml")).unwrap();
    let (code, bare, stderr) = bin_in(dir.path(), &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(bin_in(dir.path(), &["workload.yaml"]).1, bare);
    assert!(
        bare.starts_with("Capacity plan: workload.yaml (us-east-1)\n"),
        "{bare}"
    );
}

fn bin_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = bin().current_dir(dir).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

#[test]
fn validate_checks_every_spec_it_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "region: us-east1\ntables: []\n").unwrap();
    let (orders, session) = (spec("ecommerce-orders.yaml"), spec("session-store.yaml"));
    let bad = bad.to_str().unwrap();
    let (code, stdout, stderr) = run(&["validate", &orders, bad, &session], "");
    assert_eq!(code, 1);
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("ok: ")).count(),
        2,
        "{stdout}"
    );
    assert!(
        stderr.contains(&format!("1 of 3 specs are not valid: {bad}")),
        "{stderr}"
    );
    let (code, stdout, _) = run(&["validate", &orders, &session, "--format", "json"], "");
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let specs: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["spec"].as_str().unwrap())
        .collect();
    assert_eq!(specs, [orders.as_str(), session.as_str()]);
}

#[test]
fn spec_errors_are_github_annotations_at_their_line() {
    // Line 1 column 9 is the region's value.
    let (code, stdout, stderr) = run(
        &["check", "-", "--format", "github"],
        "region: us-east1\ntables: []\n",
    );
    assert_eq!(code, 1, "{stderr}");
    // Read from stdin, the spec has no file to annotate: the error stands without a line.
    assert!(
        stdout.contains("::error title=Spec error%3A region-invalid::`us-east1` is not an AWS Region code; did you mean `us-east-1`?\n"),
        "{stdout}"
    );
    let dir = tempfile::tempdir().unwrap();
    let region = dir.path().join("region.yaml");
    std::fs::write(&region, "region: us-east1\ntables: []\n").unwrap();
    let region = region.to_str().unwrap();
    let (code, stdout, _) = run(&["check", region, "--format", "github"], "");
    assert_eq!(code, 1);
    let file = region.replace(':', "%3A").replace(',', "%2C");
    assert!(
        stdout.contains(&format!(
            "::error file={file},line=1,col=9,title=Spec error%3A region-invalid::"
        )),
        "{stdout}"
    );
    let path = dir.path().join("w.yaml");
    std::fs::write(
        &path,
        "region: us-east-1\ntables:\n  - name: t\n    capacity: PAY_PER_REQUEST\n",
    )
    .unwrap();
    let path = path.to_str().unwrap();
    let (code, stdout, _) = run(&["check", path, "--format", "github"], "");
    assert_eq!(code, 1);
    assert_eq!(
        stdout,
        format!("::error file={},line=4,col=15,title=Spec error%3A not a workload spec::unknown variant `PAY_PER_REQUEST`, expected one of on_demand, provisioned, autoscaling, compare\n", path.replace(':', "%3A").replace(',', "%2C"))
    );
}

#[test]
fn check_quiet_answers_with_the_exit_code_only() {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let (base, pr) = (fixtures.join("base.yaml"), fixtures.join("projection.yaml"));
    let args = [
        "check",
        pr.to_str().unwrap(),
        "--baseline",
        base.to_str().unwrap(),
        "--quiet",
    ];
    // +27.65% against the spec's 10% max_increase (tests/ci_recipe.rs): exceeded, exit 3.
    assert_eq!(run(&args, ""), (3, String::new(), String::new()));
    let session = spec("session-store.yaml");
    assert_eq!(
        run(&["check", &session, "-q"], ""),
        (0, String::new(), String::new())
    );
}

#[test]
fn version_names_the_dates_of_the_built_in_prices() {
    let prices: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/prices.json"))
            .unwrap(),
    )
    .unwrap();
    let dates: Vec<&str> = prices["regions"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|r| r.as_object().unwrap().values())
        .map(|p| p["as_of"].as_str().unwrap())
        .collect();
    let (oldest, newest) = (dates.iter().min().unwrap(), dates.iter().max().unwrap());
    let (code, stdout, _) = run(&["--version"], "");
    assert_eq!(code, 0);
    assert_eq!(
        stdout,
        format!(
            "capacity-plan {} (prices as of {oldest} to {newest})\n",
            env!("CARGO_PKG_VERSION")
        )
    );
}

#[test]
fn the_man_page_has_examples_exit_status_and_environment_and_no_missing_pages() {
    let (code, page, _) = run(&["man"], "");
    assert_eq!(code, 0);
    for section in [
        ".SH COMMANDS",
        ".SH EXIT STATUS",
        ".SH ENVIRONMENT",
        ".SH EXAMPLES",
    ] {
        assert!(page.contains(section), "{section}");
    }
    assert!(page.contains("\\fBNO_COLOR\\fR"));
    assert!(page.contains("\\fB3\\fR\na budget is exceeded"), "{page}");
    // No `capacity-plan-simulate(1)`: there is one page.
    assert!(!page.contains("(1)"), "{page}");
}

#[test]
fn the_quiz_asks_again_after_a_non_number_and_q_quits() {
    // Seed 7, topic index: the first question's answer is 10 WCU (README).
    let args = ["quiz", "--seed", "7", "--count", "3", "--topic", "index"];
    let (code, stdout, _) = run(&args, "ten\n10\nq\n");
    assert_eq!(code, 0);
    assert!(stdout.contains(
        "Your answer: ten\n`ten` is not a number; type the number (e.g. 20 or 20 RCU), or q to quit.\nYour answer: 10\nCorrect: 10 WCU.\n"
    ), "{stdout}");
    assert!(
        stdout.contains("Your answer: q\nStopped; the answer is "),
        "{stdout}"
    );
    assert!(!stdout.contains("Question 3"), "{stdout}");
    assert!(
        stdout.ends_with("Score: 1/1 correct (seed 7).\n"),
        "{stdout}"
    );
}

/// A `--format json` document expected of a command line: (arguments, stdin, kind,
/// schema_version, fields it must hold).
type Expected<'a> = (
    Vec<&'a str>,
    &'static str,
    &'static str,
    u64,
    Vec<&'static str>,
);

/// Every `--format json` document, as (command line, stdin, kind, schema_version, fields it
/// must hold). `schema_version` and `kind` come first in each, so a program that reads mixed
/// files tells them apart (docs/report.md, "JSON conventions").
fn json_documents(session: &str) -> Vec<Expected<'_>> {
    vec![
        (
            vec![session, "--format", "json"],
            "",
            "plan",
            3,
            vec!["spec", "region", "tables", "costs", "total_monthly"],
        ),
        (
            vec!["plan", session, "--format", "json"],
            "",
            "plan",
            3,
            vec!["costs", "caveats"],
        ),
        (
            vec!["simulate", session, "--days", "1", "--format", "json"],
            "",
            "simulation",
            3,
            vec!["spec", "start", "seconds", "tables"],
        ),
        (
            vec!["check", session, "--format", "json"],
            "",
            "check",
            2,
            vec!["spec", "costs", "total", "verdicts"],
        ),
        (
            vec!["diff", session, session, "--format", "json"],
            "",
            "diff",
            2,
            vec!["baseline", "diff", "total"],
        ),
        (
            vec!["validate", session, "--format", "json"],
            "",
            "validation",
            1,
            vec!["spec", "diagnostics"],
        ),
        (
            vec!["prices", "show", "--format", "json"],
            "",
            "prices",
            1,
            vec!["oldest_as_of", "newest_as_of", "prices"],
        ),
        (
            vec![
                "calc", "read", "--items", "1", "--size", "5KB", "--rate", "10/s", "--format",
                "json",
            ],
            "",
            "answer",
            1,
            vec!["answer", "units_per_second", "steps"],
        ),
        (
            vec![
                "calc", "write", "--size", "1KB", "--rate", "10/s", "--format", "json",
            ],
            "",
            "answer",
            1,
            vec!["answer", "units_per_second", "steps"],
        ),
        (
            vec!["calc", "item-size", "--format", "json"],
            r#"{"a": {"S": "x"}}"#,
            "answer",
            1,
            vec!["answer", "bytes", "steps"],
        ),
        (
            vec![
                "calc",
                "throughput",
                "--rcu",
                "10",
                "--size",
                "4KB",
                "--format",
                "json",
            ],
            "",
            "answer",
            1,
            vec!["answer", "steps"],
        ),
        (
            vec![
                "calc",
                "cost",
                "--mode",
                "on-demand",
                "--reads",
                "10M/month",
                "--format",
                "json",
            ],
            "",
            "bill",
            2,
            vec!["total", "complete", "lines"],
        ),
        (
            vec!["quiz", "--seed", "1", "--count", "1", "--format", "json"],
            "",
            "quiz",
            1,
            vec!["seed", "questions"],
        ),
        (
            vec![
                "fleet",
                "tests/fixtures/fleet/tables",
                "--metrics",
                "tests/fixtures/fleet/metrics",
                "--format",
                "json",
            ],
            "",
            "fleet",
            2,
            vec!["tables", "failed", "totals", "total"],
        ),
    ]
}

#[test]
fn every_json_document_names_its_schema_version_and_kind() {
    let session = spec("session-store.yaml");
    for (args, stdin, kind, version, fields) in json_documents(&session) {
        let (code, stdout, stderr) = run(&args, stdin);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(json["kind"], kind, "{args:?}");
        assert_eq!(json["schema_version"], version, "{args:?}");
        assert_eq!(json["tool_version"], env!("CARGO_PKG_VERSION"), "{args:?}");
        for field in fields {
            assert!(json.get(field).is_some(), "{args:?}: no `{field}`");
        }
        // The envelope leads, before the document's own fields.
        let start: String = stdout.lines().take(3).collect();
        assert!(
            start.starts_with("{  \"schema_version\"") && start.contains("\"kind\""),
            "{args:?}: {start}"
        );
    }
    // Several specs validated: a list of such documents.
    let (code, stdout, _) = run(&["validate", &session, &session, "--format", "json"], "");
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for document in json.as_array().unwrap() {
        assert_eq!(document["kind"], "validation");
        assert_eq!(document["schema_version"], 1);
    }
}

#[test]
fn json_money_is_a_decimal_string_and_times_are_iso_8601_utc() {
    let session = spec("session-store.yaml");
    // The session store's on-demand month (docs/report.md): an exact decimal string.
    let (_, plan, _) = run(&[&session, "--format", "json"], "");
    let plan: serde_json::Value = serde_json::from_str(&plan).unwrap();
    assert!(
        plan["total_monthly"].is_string(),
        "{}",
        plan["total_monthly"]
    );
    // `--days 1` from the default start, Monday 2024-01-01 00:00 UTC (docs/simulate.md).
    let (_, sim, _) = run(
        &["simulate", &session, "--days", "1", "--format", "json"],
        "",
    );
    let sim: serde_json::Value = serde_json::from_str(&sim).unwrap();
    assert_eq!(sim["start"], "2024-01-01T00:00:00Z");
    let model = &sim["tables"][0]["models"][0];
    assert!(model["monthly_cost"].is_string(), "{model}");
    assert!(model["served_units"].is_number(), "{model}");
}

/// Keys whose string values are money, in USD (docs/report.md, "JSON conventions").
const MONEY: &[&str] = &[
    "amount",
    "total",
    "total_monthly",
    "monthly",
    "monthly_cost",
    "saving",
    "saves_on_demand",
    "saves_provisioned",
    "before",
    "after",
    "change",
    "current",
    "recommended",
    "upfront",
    "monthly_equivalent",
    "term_total",
    // A verdict's limit and value in USD; a share's or a ratio's are numbers.
    "limit",
    "value",
];

/// Keys whose string values are neither money nor quantities: a unit price is the catalog's
/// figure as published, an account an identifier made of digits.
const NOT_QUANTITIES: &[&str] = &["unit_price", "account", "tool_version"];

/// Whether a JSON number is written without float noise (docs/report.md, "JSON conventions"):
/// at most 6 decimal places, or 6 significant digits under 1, and at most 15 significant
/// digits.
fn without_noise(number: &serde_json::Number) -> bool {
    let text = number.to_string();
    let value = text
        .parse::<rust_decimal::Decimal>()
        .or_else(|_| rust_decimal::Decimal::from_scientific(&text))
        .unwrap()
        .normalize();
    let significant = value.mantissa().unsigned_abs().to_string().len();
    significant <= 15 && (value.scale() <= 6 || significant <= 6)
}

/// Every `(parent key, key, value)` under `value`, depth first.
fn walk<'a>(
    value: &'a serde_json::Value,
    parent: &'a str,
    key: &'a str,
    out: &mut Vec<(&'a str, &'a str, &'a serde_json::Value)>,
) {
    match value {
        serde_json::Value::Object(map) => map.iter().for_each(|(k, v)| walk(v, key, k, out)),
        serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, parent, key, out)),
        _ => out.push((parent, key, value)),
    }
}

/// Decimal places of a string that reads as a decimal number; `None` for any other string.
fn decimal_places(text: &str) -> Option<usize> {
    text.parse::<rust_decimal::Decimal>().ok()?;
    Some(text.split_once('.').map_or(0, |(_, f)| f.len()))
}

#[test]
fn json_money_has_at_most_six_places_and_quantities_are_numbers() {
    let session = spec("session-store.yaml");
    let mut documents = json_documents(&session);
    // The specs whose storage in binary GB and amortized reserved fees once gave 20+ digits.
    let (catalog, orders) = (spec("global-catalog.yaml"), spec("ecommerce-orders.yaml"));
    documents.push((vec![&catalog, "--format", "json"], "", "plan", 3, vec![]));
    documents.push((vec![&orders, "--format", "json"], "", "plan", 3, vec![]));
    documents.push((
        vec!["diff", &session, &orders, "--format", "json"],
        "",
        "diff",
        2,
        vec![],
    ));
    // A budget's share and ratio values, once unrounded quotients.
    let (base, projection) = (
        "tests/fixtures/check/base.yaml",
        "tests/fixtures/check/projection.yaml",
    );
    documents.push((
        vec![
            "check",
            projection,
            "--baseline",
            base,
            "--format",
            "json",
            "--no-fail",
        ],
        "",
        "check",
        2,
        vec![],
    ));
    // A simulated throttled share that changes: the spike that throttles, against none.
    let spiky = "tests/fixtures/check/autoscaling-throttles.yaml";
    let dir = tempfile::tempdir().unwrap();
    let calm = dir.path().join("calm.yaml");
    let text = std::fs::read_to_string(spiky).unwrap();
    std::fs::write(&calm, text.replace("multiplier: 4", "multiplier: 1")).unwrap();
    let calm = calm.to_str().unwrap();
    documents.push((
        vec!["diff", calm, spiky, "--simulate", "--format", "json"],
        "",
        "diff",
        2,
        vec![],
    ));
    documents.push((
        vec![
            "calc", "cost", "--mode", "reserved", "--wcu", "100", "--term", "3y", "--format",
            "json",
        ],
        "",
        "bill",
        2,
        vec![],
    ));
    for (args, stdin, kind, ..) in documents {
        let (code, stdout, stderr) = run(&args, stdin);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let mut leaves = Vec::new();
        walk(&json, "", "", &mut leaves);
        for (parent, key, value) in leaves {
            if let Some(number) = value.as_number() {
                assert!(without_noise(number), "{args:?}: {key} = {number}");
            }
            let Some(places) = value.as_str().and_then(decimal_places) else {
                continue;
            };
            if kind == "prices" {
                // The catalog's own unit prices (`amount`), as published.
                continue;
            } else if MONEY.contains(&key) && parent != "throttled" {
                // A millionth of a dollar, the documented scale: no float noise. (A diff's
                // `throttled` is a change of shares: its `before` and `after` are no money.)
                assert!(places <= 6, "{args:?}: {key} = {value}");
            } else {
                assert!(
                    NOT_QUANTITIES.contains(&key),
                    "{args:?}: quantity {key} = {value} is a string"
                );
            }
        }
    }
}

/// Quantities are rounded where JSON writes them, never into a whole unit. Hand-worked from
/// [RW] (DynamoDB read and write operations,
/// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/read-write-operations.html):
/// an eventually consistent read of up to 4 KB is half a read request unit.
#[test]
fn json_quantities_keep_whole_units_and_drop_noise() {
    let spec = "region: us-east-1
tables:
  - name: reads
    keys: { partition: id }
    items: { count: 1M, size: 1KB }
    capacity: on_demand
    access:
      - { op: get, rate: 400/s }
      - { op: get, rate: 1/day }
";
    let (code, stdout, stderr) = run(&["-", "--format", "json"], spec);
    assert_eq!(code, 0, "{stderr}");
    let plan: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let patterns = &plan["tables"][0]["patterns"];
    // 400 gets/s × 0.5 = 200 RRU/s: whole numbers, written as integers.
    assert_eq!(patterns[0]["requests_per_second"], 400);
    assert_eq!(patterns[0]["units"]["mean"], 200);
    assert_eq!(patterns[0]["units_per_request"], 0.5);
    // 1/day = 1 ÷ 86,400 s = 0.0000115740740…/s: six significant digits, not 0.
    assert_eq!(patterns[1]["requests_per_second"], 0.0000115741);
    // A 730-hour month is 2,628,000 s: 200 × 2,628,000 = 525,600,000 RRU from the first
    // pattern, and 2,628,000 ÷ 86,400 × 0.5 = 15.208333… from the second. The whole units
    // stay exact and the fraction keeps 6 places.
    let line = &plan["costs"][0]["modes"][0]["bill"]["lines"][0];
    assert_eq!(line["name"], "reads: on-demand reads (table)");
    assert_eq!(line["quantity"].to_string(), "525600015.208333");
    // Priced from the exact count at $0.125 per million RRU (us-east-1, Amazon DynamoDB
    // pricing for on-demand capacity): $65.700001901…, to a millionth.
    assert_eq!(line["amount"], "65.700002");
}
