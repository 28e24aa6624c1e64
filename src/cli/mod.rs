//! The command line: clap definitions turned into typed questions for the library. No domain
//! logic lives here; each subcommand builds its inputs, calls the library and writes the result.

mod calc;
mod spec;

use std::io::Write;

use clap::{Parser, Subcommand};

pub use calc::CalcArgs;
pub use spec::{load_spec, InitArgs, ValidateArgs};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  error: the input could not be planned (bad spec, bad item, over a DynamoDB limit)
  2  usage: the command line itself is wrong
  3  a budget is exceeded";

/// Plan Amazon DynamoDB capacity and cost before the bill arrives.
#[derive(Debug, Parser)]
#[command(name = "capacity-plan", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Answer one capacity question with the working shown (exam practice, quick checks).
    Calc(CalcArgs),
    /// Check a workload spec against DynamoDB's rules without pricing it.
    Validate(ValidateArgs),
    /// Write an annotated starter workload spec.
    Init(InitArgs),
    /// Print the JSON Schema (draft-07) of the workload spec, for editor completion.
    Schema,
}

/// A command line that parsed but asks for something impossible; exits with code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

/// How an answer is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AnswerFormat {
    /// The answer and numbered working steps.
    Text,
    /// One JSON object with the numbers and the steps.
    Json,
}

/// Runs a parsed command line, writing its result to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<()> {
    match cli.command {
        Command::Calc(args) => calc::run(args, out),
        Command::Validate(args) => spec::validate(args, out),
        Command::Init(args) => spec::init(args, out),
        Command::Schema => spec::schema(out),
    }
}
