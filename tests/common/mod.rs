//! Runs the `capacity-plan` binary the way a user does and reads what it prints.
#![allow(dead_code)] // each test crate uses a different part of this helper

use assert_cmd::Command;
use serde_json::Value;

/// Writes `text` to `name` in a directory of this test process's own, for the binary to read.
pub fn temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("capacity-plan-tests-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// The binary, with the terminal settings of the environment running the tests removed: a
/// pipe's output is the same whatever `COLUMNS` or `NO_COLOR` the shell exports.
pub fn bin() -> Command {
    let mut command = assert_cmd::cargo::cargo_bin_cmd!("capacity-plan");
    command.env_remove("COLUMNS").env_remove("NO_COLOR");
    command
}

/// Runs the command with `stdin`, returns (exit code, stdout, stderr); no output may mention a
/// panic, whatever the outcome.
pub fn run(args: &[&str], stdin: &str) -> (i32, String, String) {
    let output = bin().args(args).write_stdin(stdin).output().unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(
        !stdout.contains("panicked") && !stderr.contains("panicked"),
        "{args:?} panicked: {stderr}"
    );
    (output.status.code().unwrap_or(-1), stdout, stderr)
}

/// `calc` and the words of `args` (split at spaces, as a shell would for plain words).
fn calc_args(args: &str) -> Vec<&str> {
    std::iter::once("calc")
        .chain(args.split_whitespace())
        .collect()
}

/// `capacity-plan calc ARGS --format json`, which must succeed; the parsed answer.
pub fn calc_json(args: &str) -> Value {
    calc_json_stdin(args, "")
}

pub fn calc_json_stdin(args: &str, stdin: &str) -> Value {
    let mut args = calc_args(args);
    args.extend(["--format", "json"]);
    let (code, stdout, stderr) = run(&args, stdin);
    assert_eq!(code, 0, "{args:?} failed: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// `capacity-plan calc ARGS` in the default text format, which must succeed.
pub fn calc_text(args: &str) -> String {
    let args = calc_args(args);
    let (code, stdout, stderr) = run(&args, "");
    assert_eq!(code, 0, "{args:?} failed: {stderr}");
    stdout
}

/// `capacity-plan calc ARGS` must fail with `code` and say `fragment` on stderr.
pub fn calc_fails(args: &str, stdin: &str, code: i32, fragment: &str) -> String {
    let args = calc_args(args);
    let (got, stdout, stderr) = run(&args, stdin);
    assert_eq!(got, code, "{args:?}: {stderr}");
    assert!(stdout.is_empty(), "{args:?} printed {stdout}");
    assert!(
        stderr.contains(fragment),
        "{args:?}: `{fragment}` not in {stderr}"
    );
    stderr
}

/// A JSON number field as f64 (all our figures are exact in f64).
pub fn num(answer: &Value, field: &str) -> f64 {
    answer[field]
        .as_f64()
        .unwrap_or_else(|| panic!("no number `{field}` in {answer}"))
}

/// Compares `actual` with the committed file `tests/expected/NAME`; with `UPDATE_EXPECTED=1`
/// in the environment, writes it instead (then review the diff before committing).
pub fn expect_file(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(name);
    if std::env::var_os("UPDATE_EXPECTED").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("no {name}; run with UPDATE_EXPECTED=1 to create it"));
    assert_eq!(
        actual, expected,
        "output differs from tests/expected/{name}"
    );
}

/// The `run: |` block of the step named `step` in the workflow or action file `file` (under
/// the crate root), unindented: what the runner hands to bash.
pub fn step_script(file: &str, step: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
    let doc = std::fs::read_to_string(path).unwrap();
    let mut lines = doc
        .lines()
        .skip_while(|l| !l.ends_with(&format!("- name: {step}")));
    lines
        .next()
        .unwrap_or_else(|| panic!("no step `{step}` in {file}"));
    // The step's other keys (`id:`, `shell:`, `env:`) come before its script.
    let mut lines = lines.skip_while(|l| !l.trim_start().starts_with("run:"));
    let run = lines
        .next()
        .unwrap_or_else(|| panic!("step `{step}` in {file} has no `run:`"));
    assert_eq!(
        run.trim(),
        "run: |",
        "the step's script is a `run: |` block"
    );
    let indent = run.len() - run.trim_start().len();
    let body: Vec<&str> = lines
        .take_while(|l| l.is_empty() || l.len() - l.trim_start().len() > indent)
        .collect();
    let strip = body[0].len() - body[0].trim_start().len();
    body.iter()
        .map(|l| format!("{}\n", l.get(strip..).unwrap_or_default()))
        .collect()
}

/// Runs git in `dir` as a CI job would, failing the test on an error.
pub fn git(dir: &std::path::Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=ci", "-c", "user.email=ci@example.com"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        status.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// A scratch git repository as a pull request's CI checkout sees it: the base branch (`main`,
/// also at `origin/main` as actions/checkout with fetch-depth 0 leaves it) holds
/// tests/fixtures/check/base.yaml as `workload.yaml`, and the working tree the PR's
/// projection.yaml in its place.
pub fn pull_request_repo() -> tempfile::TempDir {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/check");
    let repo = tempfile::tempdir().unwrap();
    let dir = repo.path();
    git(dir, &["init", "-q", "-b", "main"]);
    std::fs::copy(fixtures.join("base.yaml"), dir.join("workload.yaml")).unwrap();
    git(dir, &["add", "workload.yaml"]);
    git(dir, &["commit", "-q", "-m", "base"]);
    git(dir, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    std::fs::copy(fixtures.join("projection.yaml"), dir.join("workload.yaml")).unwrap();
    repo
}

/// `$PATH` with `first` and then the built `capacity-plan` in front, as a CI step sees it once
/// the tool is installed.
pub fn path_with_tool(first: &[&std::path::Path]) -> String {
    let tool = std::path::Path::new(env!("CARGO_BIN_EXE_capacity-plan"))
        .parent()
        .unwrap();
    let mut dirs: Vec<String> = first.iter().map(|d| d.display().to_string()).collect();
    dirs.push(tool.display().to_string());
    dirs.push(std::env::var("PATH").unwrap_or_default());
    dirs.join(":")
}
