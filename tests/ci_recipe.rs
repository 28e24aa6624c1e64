//! The GitHub Actions recipe in docs/ci.md, run as the runner would: its check step's `run:`
//! lines under `bash -eo pipefail` in a scratch git repository whose base branch holds one spec
//! and whose working tree holds the pull request's.

mod common;

use std::process::Command;

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
    let path = common::path_with_tool(&[]);
    let output = Command::new("bash")
        .current_dir(dir)
        .args(["--noprofile", "--norc", "-eo", "pipefail"])
        .arg(&script)
        .env("PATH", path)
        .env("SPEC", "workload.yaml")
        .env("GITHUB_BASE_REF", "main")
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
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
