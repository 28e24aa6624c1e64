//! The composite GitHub Action (`action.yml`), run as the runner would: its check, comment and
//! verdict steps' `run:` blocks under `bash -eo pipefail` in a scratch git repository whose
//! base branch holds one example spec and whose working tree holds the pull request's, with a
//! stand-in `gh` that records the API calls and answers the comment lookup from a JSON file
//! through jq, as `gh api --jq` does.

mod common;

use std::path::PathBuf;
use std::process::{Command, Output};

use common::step_script;

/// A `gh` that logs each call's arguments, copies `-F body=@FILE` beside the log, and answers
/// a GET with `--jq EXPR` by running jq over `$GH_COMMENTS` (the PR's existing comments).
const FAKE_GH: &str = r#"#!/bin/bash
printf '%s\n' "$*" >> "$GH_LOG"
jq_expr=""
while [ $# -gt 0 ]; do
  case "$1" in
    --jq) jq_expr="$2"; shift ;;
    body=@*) cp "${1#body=@}" "$GH_LOG.body" ;;
  esac
  shift
done
if [ -n "$jq_expr" ]; then jq -r "$jq_expr" "$GH_COMMENTS"; fi
"#;

struct Runner {
    repo: tempfile::TempDir,
    temp: tempfile::TempDir,
    path: String,
}

impl Runner {
    /// The pull request of the workflow recipe test ([`common::pull_request_repo`]).
    fn new() -> Runner {
        let repo = common::pull_request_repo();
        let temp = tempfile::tempdir().unwrap();
        let bin = temp.path().join("bin");
        std::fs::create_dir(&bin).unwrap();
        let gh = bin.join("gh");
        std::fs::write(&gh, FAKE_GH).unwrap();
        let mut perms = std::fs::metadata(&gh).unwrap().permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&gh, perms).unwrap();
        let path = common::path_with_tool(&[&bin]);
        Runner { repo, temp, path }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.temp.path().join(name)
    }

    /// Runs the step's script with the environment the action's `env:` and the runner give.
    fn step(&self, step: &str, env: &[(&str, &str)]) -> Output {
        let script = self.file("step.sh");
        std::fs::write(&script, step_script("action.yml", step)).unwrap();
        Command::new("bash")
            .current_dir(self.repo.path())
            .args(["--noprofile", "--norc", "-eo", "pipefail"])
            .arg(&script)
            .env("PATH", &self.path)
            .env("RUNNER_TEMP", self.temp.path())
            .env("GITHUB_BASE_REF", "main")
            .env("GITHUB_OUTPUT", self.file("output"))
            .env("GITHUB_STEP_SUMMARY", self.file("summary.md"))
            .env("GITHUB_REPOSITORY", "octo/shop")
            .env("GH_LOG", self.file("gh.log"))
            .env("GH_COMMENTS", self.file("comments.json"))
            .envs(env.iter().copied())
            .output()
            .unwrap()
    }

    fn comment(&self) -> Output {
        self.step(
            "Comment on the pull request",
            &[("PR", "7"), ("SPEC", "workload.yaml"), ("GH_TOKEN", "t")],
        )
    }

    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.file(name)).unwrap_or_default()
    }
}

#[test]
fn the_action_annotates_comments_once_and_fails_over_budget() {
    let runner = Runner::new();
    let check = runner.step(
        "Check the spec against its budgets and the base branch",
        &[("SPEC", "workload.yaml"), ("ARGS", "")],
    );
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(0), "the verdict waits: {stderr}");
    assert_eq!(runner.read("output"), "exit-code=3\n");
    // The same annotation as the workflow recipe: the base plan costs $709.14 and the PR's
    // $905.24, +27.65% against the spec's 10% `max_increase` (tests/ci_recipe.rs).
    assert_eq!(
        String::from_utf8_lossy(&check.stdout),
        "::error file=workload.yaml,line=27,col=9,title=Over budget%3A max_increase::workload total: max_increase 27.65%25 ($709.14 → $905.24, +$196.10) is over 10%25\n"
    );
    let report = runner.read("capacity-plan-report.md");
    assert!(
        report.starts_with("## capacity-plan check: workload.yaml (against "),
        "{report}"
    );
    assert_eq!(
        runner.read("summary.md"),
        report,
        "the summary is the report"
    );

    // First run: no comment carries the marker, so one is posted.
    let marker = "<!-- capacity-plan check: workload.yaml -->";
    std::fs::write(
        runner.file("comments.json"),
        r#"[{"id": 5, "body": "LGTM"}]"#,
    )
    .unwrap();
    let posted = runner.comment();
    assert!(
        posted.status.success(),
        "{}",
        String::from_utf8_lossy(&posted.stderr)
    );
    let log = runner.read("gh.log");
    let calls: Vec<&str> = log.lines().collect();
    assert_eq!(calls.len(), 2, "{log}");
    assert!(
        calls[0].starts_with("api --paginate repos/octo/shop/issues/7/comments --jq "),
        "{log}"
    );
    assert!(
        calls[1].starts_with("api --method POST repos/octo/shop/issues/7/comments -F body=@"),
        "{log}"
    );
    assert_eq!(runner.read("gh.log.body"), format!("{marker}\n{report}"));

    // Next run: the marked comment (id 42) is edited, and nothing new is posted.
    std::fs::write(runner.file("gh.log"), "").unwrap();
    std::fs::write(
        runner.file("comments.json"),
        format!(r#"[{{"id": 5, "body": "LGTM"}}, {{"id": 42, "body": "{marker}\nold"}}]"#),
    )
    .unwrap();
    assert!(runner.comment().status.success());
    let log = runner.read("gh.log");
    assert!(
        log.contains("api --method PATCH repos/octo/shop/issues/comments/42 -F"),
        "{log}"
    );
    assert!(!log.contains("POST"), "{log}");

    // The last step turns the recorded verdict into the job's result.
    let verdict = runner.step(
        "Fail when a budget is exceeded or the spec cannot be judged",
        &[("CODE", "3")],
    );
    assert_eq!(verdict.status.code(), Some(3));
}

#[test]
fn a_spec_that_cannot_be_judged_is_annotated_and_gets_no_comment() {
    let runner = Runner::new();
    // The PR misspells the API's projection name; the spec writes `keys_only`.
    let spec = runner.repo.path().join("workload.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    assert!(text.contains("projection: all"), "fixture changed");
    std::fs::write(
        &spec,
        text.replacen("projection: all", "projection: ALL", 1),
    )
    .unwrap();
    let check = runner.step(
        "Check the spec against its budgets and the base branch",
        &[("SPEC", "workload.yaml"), ("ARGS", "")],
    );
    assert_eq!(check.status.code(), Some(0));
    assert_eq!(runner.read("output"), "exit-code=1\n");
    let stdout = String::from_utf8_lossy(&check.stdout);
    assert!(
        stdout.starts_with("::error file=workload.yaml,line="),
        "{stdout}"
    );
    assert!(
        stdout.contains("title=Spec error%3A not a workload spec::unknown variant `ALL`"),
        "{stdout}"
    );
    assert!(runner.comment().status.success());
    assert_eq!(runner.read("gh.log"), "", "no report, no comment");
    let verdict = runner.step(
        "Fail when a budget is exceeded or the spec cannot be judged",
        &[("CODE", "1")],
    );
    assert_eq!(verdict.status.code(), Some(1));
}
