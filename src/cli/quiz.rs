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
        crate::render::json::write_document(out, "quiz", quiz)?;
        return Ok(());
    }
    writeln!(
        out,
        "Quiz: {} question{}, seed {seed} (repeat with --seed {seed}).",
        questions.len(),
        if questions.len() == 1 { "" } else { "s" }
    )?;
    let mut correct = 0;
    let mut asked = 0;
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
        asked += 1;
        if args.show_answers {
            writeln!(out, "Answer: {expected}")?;
        } else {
            let typed = if stdin_open {
                ask(question, input, echo, out)?
            } else {
                write!(out, "Your answer: ")?;
                writeln!(out, "{}", if echo { "(no answer)" } else { "" })?;
                Typed::End
            };
            match typed {
                Typed::End => {
                    stdin_open = false;
                    writeln!(out, "Unanswered: the answer is {expected}.")?;
                }
                Typed::Quit => {
                    asked -= 1;
                    writeln!(out, "Stopped; the answer is {expected}.")?;
                    break;
                }
                Typed::Right => {
                    correct += 1;
                    writeln!(out, "Correct: {expected}.")?;
                }
                Typed::Wrong => writeln!(out, "Incorrect: the answer is {expected}.")?,
            }
        }
        write!(
            out,
            "Solution: {}",
            crate::render::answer::answer(&question.solution)
        )?;
    }
    if !args.show_answers {
        writeln!(out, "\nScore: {correct}/{asked} correct (seed {seed}).")?;
    }
    Ok(())
}

/// What came of asking for an answer.
enum Typed {
    Right,
    Wrong,
    /// `q`: stop the quiz here.
    Quit,
    /// Standard input ended.
    End,
}

/// Prompts until the answer is a number (re-asking after anything else), `q`, or the end of
/// input. Piped answers are echoed after the prompt so the transcript reads.
fn ask(
    question: &Question,
    input: &mut dyn BufRead,
    echo: bool,
    out: &mut dyn Write,
) -> anyhow::Result<Typed> {
    loop {
        write!(out, "Your answer: ")?;
        out.flush()?;
        let Some(typed) = read_answer(input)? else {
            writeln!(out, "{}", if echo { "(no answer)" } else { "" })?;
            return Ok(Typed::End);
        };
        if echo {
            writeln!(out, "{typed}")?;
        }
        if typed.eq_ignore_ascii_case("q") || typed.eq_ignore_ascii_case("quit") {
            return Ok(Typed::Quit);
        }
        match question.check(&typed) {
            Some(true) => return Ok(Typed::Right),
            Some(false) => return Ok(Typed::Wrong),
            None => writeln!(
                out,
                "`{typed}` is not a number; type the number (e.g. 20 or 20 RCU), or q to quit."
            )?,
        }
    }
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
