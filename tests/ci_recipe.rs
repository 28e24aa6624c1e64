//! The GitHub Actions recipe in docs/ci.md, run as the runner would: its check step's `run:`
//! lines under `bash -eo pipefail` in a scratch git repository whose base branch holds one spec
//! and whose working tree holds the pull request's.

mod common;

use std::path::Path;
use std::process::Command;

/// Runs a step's script as the runner would (`bash -eo pipefail`, the built binary first on
/// `PATH`, the pull request's base branch `main`) with the step's environment.
fn run_step(dir: &Path, script: &Path, env: &[(&str, &std::ffi::OsStr)]) -> std::process::Output {
    Command::new("bash")
        .current_dir(dir)
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(script)
        .env("PATH", common::path_with_tool(&[]))
        .env("GITHUB_BASE_REF", "main")
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

#[test]
fn documented_github_workflow_annotates_and_summarises() {
    let repo = common::pull_request_repo();
    let dir = repo.path();

    let script = dir.join("check.sh");
    std::fs::write(
        &script,
        common::step_script(
            "docs/ci.md",
            "Check the spec against its budgets and the base branch",
        ),
    )
    .unwrap();
    let summary = dir.join("step-summary.md");
    let output = run_step(
        dir,
        &script,
        &[
            ("SPEC", "workload.yaml".as_ref()),
            ("GITHUB_STEP_SUMMARY", summary.as_os_str()),
        ],
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(
        output.status.code(),
        Some(3),
        "over budget fails the step: {stderr}"
    );
    assert_eq!(stderr, "");
    assert_eq!(
        stdout,
        "::error file=workload.yaml,line=27,col=9,title=Over budget%3A max_increase::workload total: max_increase 27.65%25 ($709.14 → $905.24, +$196.10) is over 10%25\n"
    );
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.starts_with("## capacity-plan check: workload.yaml (against base.yaml)\n\n- 1 of 4 budgets exceeded\n- Change: orders: +$196.10/month (+28.7%)\n"), "{summary}");
    assert!(
        summary.contains(
            "| orders | orders: storage | us-east-1 | $17.24 | $30.94 | +$13.70 | +79.5% |"
        ),
        "{summary}"
    );
    assert!(
        summary.contains("<details><summary>Details</summary>"),
        "{summary}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("report.md")).unwrap(),
        summary,
        "the comment is the summary"
    );
}

/// The Terraform recipe: the base branch holds specs/terraform's table and usage file, the pull
/// request triples the order puts (120/s → 360/s), and the job's two steps import both sides
/// and judge the change: over the 10% increase budget, so the check step exits 3.
#[test]
fn documented_terraform_workflow_judges_the_change() {
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("specs/terraform");
    let repo = tempfile::tempdir().unwrap();
    let dir = repo.path();
    std::fs::create_dir(dir.join("infra")).unwrap();
    common::git(dir, &["init", "-q", "-b", "main"]);
    std::fs::copy(example.join("main.tf"), dir.join("infra/main.tf")).unwrap();
    let usage = std::fs::read_to_string(example.join("usage.yml")).unwrap();
    std::fs::write(dir.join("infra/usage.yml"), &usage).unwrap();
    common::git(dir, &["add", "infra"]);
    common::git(dir, &["commit", "-q", "-m", "base"]);
    common::git(dir, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    let more = usage.replace("op: put, rate: 120/s", "op: put, rate: 360/s");
    assert_ne!(more, usage);
    std::fs::write(dir.join("infra/usage.yml"), more).unwrap();

    let script = dir.join("check.sh");
    let steps = common::step_script(
        "docs/ci.md",
        "Import the pull request's tables and the base branch's",
    ) + &common::step_script(
        "docs/ci.md",
        "Check the Terraform change against its budget",
    );
    std::fs::write(&script, steps).unwrap();
    let summary = dir.join("summary.md");
    let output = run_step(
        dir,
        &script,
        &[
            ("TF", "infra/main.tf".as_ref()),
            ("USAGE", "infra/usage.yml".as_ref()),
            ("GITHUB_STEP_SUMMARY", summary.as_os_str()),
        ],
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(output.status.code(), Some(3), "{stdout}\n{stderr}");
    assert!(stdout.contains("max_increase"), "{stdout}");
    assert!(dir.join("base.yaml").exists() && dir.join("workload.yaml").exists());
}
