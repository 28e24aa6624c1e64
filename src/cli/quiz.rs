//! `capacity-plan quiz`: exam-style questions, answered on stdin, then the worked solution.

use std::io::{BufRead, IsTerminal, Write};
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use serde::Serialize;

use super::AnswerFormat;
use crate::quiz::{self, Question, Topic};

#[derive(Debug, Args)]
pub struct QuizArgs {
    /// Seed for the questions; the same seed asks the same questions [default: from the clock].
    #[arg(long)]
    pub seed: Option<u64>,

    /// Ask only about this topic [default: any].
    #[arg(long, value_enum)]
    pub topic: Option<Topic>,

    /// Number of questions.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u16).range(1..=1000))]
    pub count: u16,

    /// Print every question with its answer and solution; read nothing from stdin.
    #[arg(long)]
    pub show_answers: bool,

    /// Output format; json prints the questions with their answers and never reads stdin.
    #[arg(long, value_enum, default_value = "text")]
    pub format: AnswerFormat,
}

#[derive(Serialize)]
struct QuizJson<'a> {
    seed: u64,
    topic: Option<Topic>,
    questions: &'a [Question],
}

pub fn run(args: QuizArgs, out: &mut dyn Write) -> anyhow::Result<()> {
    let stdin = std::io::stdin();
    // A terminal echoes what the user types; piped answers are echoed so the transcript reads.
    let echo = !stdin.is_terminal();
    play(args, &mut stdin.lock(), echo, out)
}

fn play(
    args: QuizArgs,
    input: &mut dyn BufRead,
    echo: bool,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    // Without --seed, the clock picks one; it is printed so the run can be repeated.
    let seed = args.seed.unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    });
    let questions = quiz::generate(seed, args.topic, args.count.into())?;
    if args.format == AnswerFormat::Json {
        let quiz = QuizJson {
            seed,
            topic: args.topic,
            questions: &questions,
        };
        serde_json::to_writer_pretty(&mut *out, &quiz)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "Quiz: {} question{}, seed {seed} (repeat with --seed {seed}).",
        questions.len(),
        if questions.len() == 1 { "" } else { "s" }
    )?;
    let mut correct = 0;
    let mut stdin_open = !args.show_answers;
    for (i, question) in questions.iter().enumerate() {
        writeln!(
            out,
            "\nQuestion {} ({}):",
            i + 1,
            topic_name(question.topic)
        )?;
        writeln!(out, "{}", question.prompt)?;
        let expected = question.expected_text();
        if args.show_answers {
            writeln!(out, "Answer: {expected}")?;
        } else {
            write!(out, "Your answer: ")?;
            out.flush()?;
            let typed = if stdin_open {
                read_answer(input)?
            } else {
                None
            };
            stdin_open &= typed.is_some();
            match (&typed, echo) {
                (Some(typed), true) => writeln!(out, "{typed}")?,
                (None, true) => writeln!(out, "(no answer)")?,
                (Some(_), false) => {}
                (None, false) => writeln!(out)?,
            }
            match typed.as_deref().map(|t| (t, question.check(t))) {
                None => writeln!(out, "Unanswered: the answer is {expected}.")?,
                Some((_, Some(true))) => {
                    correct += 1;
                    writeln!(out, "Correct: {expected}.")?;
                }
                Some((_, Some(false))) => writeln!(out, "Incorrect: the answer is {expected}.")?,
                Some((typed, None)) => writeln!(
                    out,
                    "Incorrect: `{typed}` is not a number; the answer is {expected}."
                )?,
            }
        }
        write!(
            out,
            "Solution: {}",
            crate::render::answer::answer(&question.solution)
        )?;
    }
    if !args.show_answers {
        writeln!(
            out,
            "\nScore: {correct}/{} correct (seed {seed}).",
            questions.len()
        )?;
    }
    Ok(())
}

/// The next answer line, trimmed; `None` at the end of input.
fn read_answer(input: &mut dyn BufRead) -> anyhow::Result<Option<String>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim().to_string()))
}

fn topic_name(topic: Topic) -> String {
    clap::ValueEnum::to_possible_value(&topic)
        .map_or_else(String::new, |v| v.get_name().to_string())
}
