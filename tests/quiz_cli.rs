//! The `quiz` command through the binary: reproducible, scriptable, and calm about short input.

mod common;

use common::run;
use serde_json::Value;

fn quiz_json(args: &[&str]) -> Value {
    let args: Vec<&str> = ["quiz", "--format", "json"]
        .iter()
        .chain(args)
        .copied()
        .collect();
    let (code, stdout, stderr) = run(&args, "");
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

#[test]
fn a_seed_repeats_the_questions() {
    let a = quiz_json(&["--seed", "11", "--count", "12"]);
    assert_eq!(a, quiz_json(&["--seed", "11", "--count", "12"]));
    assert_ne!(a, quiz_json(&["--seed", "12", "--count", "12"]));
    assert_eq!(a["seed"], 11);
    assert_eq!(a["questions"].as_array().unwrap().len(), 12);
}

#[test]
fn json_questions_carry_answer_unit_and_steps() {
    for topic in [
        "read",
        "write",
        "item-size",
        "throughput",
        "index",
        "transaction",
    ] {
        let quiz = quiz_json(&["--seed", "3", "--count", "4", "--topic", topic]);
        for q in quiz["questions"].as_array().unwrap() {
            assert_eq!(q["topic"], topic);
            assert!(q["prompt"].as_str().unwrap().ends_with('?') || topic == "item-size");
            assert!(q["expected"].as_f64().is_some(), "{q}");
            assert!(!q["unit"].as_str().unwrap().is_empty());
            assert!(!q["solution"]["steps"].as_array().unwrap().is_empty());
        }
    }
}

#[test]
fn the_expected_answer_is_what_calc_says() {
    // A transaction question's answer is calc's provisioned units for the same question.
    let quiz = quiz_json(&["--seed", "5", "--count", "6", "--topic", "transaction"]);
    for q in quiz["questions"].as_array().unwrap() {
        assert_eq!(
            q["expected"].as_f64(),
            q["solution"]["provisioned_units"].as_f64(),
            "{q}"
        );
    }
}

#[test]
fn show_answers_reads_no_stdin() {
    let (code, stdout, _) = run(
        &["quiz", "--seed", "9", "--count", "3", "--show-answers"],
        "",
    );
    assert_eq!(code, 0);
    assert!(stdout.starts_with("Quiz: 3 questions, seed 9 (repeat with --seed 9)."));
    assert_eq!(stdout.matches("\nAnswer: ").count(), 3, "{stdout}");
    assert_eq!(stdout.matches("\nSolution: ").count(), 3);
    assert!(!stdout.contains("Your answer"));
}

#[test]
fn answers_are_scored_and_eof_leaves_the_rest_unanswered() {
    let quiz = quiz_json(&["--seed", "21", "--count", "4"]);
    let first = quiz["questions"][0]["expected"].as_f64().unwrap();
    let unit = quiz["questions"][0]["unit"].as_str().unwrap();
    // Right (with its unit), wrong, then stdin ends before questions 3 and 4.
    let input = format!("{first} {unit}\n-1\n");
    let (code, stdout, _) = run(&["quiz", "--seed", "21", "--count", "4"], &input);
    assert_eq!(code, 0);
    assert!(stdout.contains("\nCorrect: "), "{stdout}");
    assert!(stdout.contains("\nIncorrect: the answer is "));
    assert_eq!(stdout.matches("\nUnanswered: ").count(), 2);
    assert_eq!(stdout.matches("\nSolution: ").count(), 4);
    assert!(
        stdout.ends_with("Score: 1/4 correct (seed 21).\n"),
        "{stdout}"
    );
}

#[test]
fn a_default_seed_is_printed() {
    let (code, stdout, _) = run(&["quiz", "--count", "1", "--show-answers"], "");
    assert_eq!(code, 0);
    assert!(stdout.starts_with("Quiz: 1 question, seed "), "{stdout}");
    assert!(stdout.contains("(repeat with --seed "));
}

#[test]
fn bad_quiz_options_are_usage_errors() {
    for args in [
        &["quiz", "--topic", "pricing"][..],
        &["quiz", "--count", "0"],
        &["quiz", "--seed", "-1"],
    ] {
        let (code, _, stderr) = run(args, "");
        assert_eq!(code, 2, "{args:?}: {stderr}");
    }
}
