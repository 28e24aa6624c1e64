//! The command line: clap definitions turned into typed questions for the library. No domain
//! logic lives here; each subcommand builds its inputs, calls the library and writes the result.

mod calc;
mod check;
mod cost;
mod import;
mod plan;
mod prices;
mod quiz;
mod simulate;
mod values;
mod workload;

use std::io::Write;
use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

pub use calc::CalcArgs;
pub use check::{BudgetFlags, CheckArgs, CheckFormat, DiffArgs, OutputOptions};
pub use import::{load_input, read_input, ImportArgs};
pub use prices::PricesArgs;
pub use quiz::QuizArgs;
pub use simulate::SimulateArgs;
pub use workload::{load_spec, load_spec_text, read_spec, InitArgs, ValidateArgs};

const EXIT_CODES: &str = "\
Exit codes:
  0  success
  1  error: nothing to plan or judge (bad spec or baseline, over a DynamoDB limit, a
     price a budget needs is missing, I/O)
  2  usage: the command line itself is wrong
  3  a budget is exceeded";

/// Plan Amazon DynamoDB capacity and cost before the bill arrives.
#[derive(Debug, Parser)]
#[command(
    name = "capacity-plan",
    version,
    about,
    after_help = EXIT_CODES,
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    /// Workload spec to plan (`-` reads stdin); the same as `capacity-plan plan SPEC`.
    pub spec: Option<PathBuf>,

    #[command(flatten)]
    pub plan: plan::PlanOptions,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Plan a workload spec: capacity per access pattern, table and index, with warnings.
    Plan(plan::PlanArgs),
    /// Answer one capacity question with the working shown (exam practice, quick checks).
    Calc(CalcArgs),
    /// Exam-style practice questions: answer on stdin, then see the worked solution.
    Quiz(QuizArgs),
    /// Show the price catalog, or import an AWS Price List offer file.
    Prices(PricesArgs),
    /// Check a workload spec against DynamoDB's rules without pricing it.
    Validate(ValidateArgs),
    /// Write an annotated starter workload spec.
    Init(InitArgs),
    /// Write a workload spec from describe-table output, Terraform, CloudFormation or a NoSQL
    /// Workbench model: keys, indexes, capacity and settings, with the traffic left to fill.
    Import(ImportArgs),
    /// Print the JSON Schema (draft-07) of the workload spec, for editor completion.
    Schema,
    /// Judge a spec against its budgets (exit 3 when one is exceeded), for CI.
    #[command(after_help = EXIT_CODES)]
    Check(CheckArgs),
    /// What changes between two specs or saved JSON reports: cost lines, warnings, throttling.
    Diff(DiffArgs),
    /// Print a shell completion script.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
    /// Replay traffic second by second against provisioned, autoscaling and on-demand capacity.
    Simulate(SimulateArgs),
}

/// How a command that ran ends; an error is never one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Done, and every budget judged holds (or none was asked for).
    Done,
    /// A budget is exceeded: exit 3.
    OverBudget,
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
pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    match (cli.command, cli.spec) {
        (Some(Command::Check(args)), _) => return check::check(&args, out),
        (Some(Command::Diff(args)), _) => check::diff(&args, out),
        (Some(Command::Completions { shell }), _) => {
            clap_complete::generate(shell, &mut Cli::command(), "capacity-plan", out);
            Ok(())
        }
        (Some(Command::Man), _) => Ok(clap_mangen::Man::new(Cli::command()).render(out)?),
        (Some(Command::Plan(args)), _) => plan::run(&args.spec, &args.options, out),
        (Some(Command::Calc(args)), _) => calc::run(args, out),
        (Some(Command::Quiz(args)), _) => quiz::run(args, out),
        (Some(Command::Prices(args)), _) => prices::run(args, out),
        (Some(Command::Validate(args)), _) => workload::validate(args, out),
        (Some(Command::Init(args)), _) => workload::init(args, out),
        (Some(Command::Import(args)), _) => import::run(args, out),
        (Some(Command::Schema), _) => workload::schema(out),
        (Some(Command::Simulate(args)), _) => simulate::run(args, out),
        (None, Some(spec)) => plan::run(&spec, &cli.plan, out),
        (None, None) => Err(UsageError(
            "give a workload spec to plan (capacity-plan workload.yaml) or a command; see --help"
                .into(),
        )
        .into()),
    }?;
    Ok(Outcome::Done)
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// Catches clashing argument ids (e.g. two `--format`s) before a user hits the panic.
    #[test]
    fn command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
