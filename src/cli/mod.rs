//! The command line: clap definitions turned into typed questions for the library. No domain
//! logic lives here; each subcommand builds its inputs, calls the library and writes the result.

mod calc;
mod check;
mod cost;
mod fleet;
mod import;
mod man;
mod plan;
mod prices;
mod quiz;
mod simulate;
mod values;
mod workload;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::sync::OnceLock;

use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::render::{terminal, ColorChoice, Terminal};

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
    /// Workload spec to plan (`-` reads stdin; none plans `workload.yaml` or `workload.yml` in
    /// the working directory); the same as `capacity-plan plan SPEC`.
    pub spec: Option<PathBuf>,

    #[command(flatten)]
    pub plan: plan::ReportFlags,

    #[command(flatten)]
    pub global: GlobalOptions,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalOptions {
    /// When to colour verdicts, errors and warnings: `auto` on a terminal unless NO_COLOR is
    /// set, `always`, or `never`.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value = "auto"
    )]
    pub color: ColorChoice,
}

/// How this process writes to people: stdout's tables and stderr's messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Display {
    pub stdout: Terminal,
    /// Whether messages on stderr (errors, spec diagnostics) are coloured.
    pub stderr_colour: bool,
}

impl Display {
    /// Reads `--color`, `NO_COLOR`, `COLUMNS` and whether stdout and stderr are terminals.
    pub fn detect(color: ColorChoice) -> Display {
        let no_color = std::env::var("NO_COLOR").ok();
        let columns = std::env::var("COLUMNS").ok();
        let stdout_tty = std::io::stdout().is_terminal();
        let tty_width = stdout_tty.then(terminal::terminal_width).flatten();
        Display {
            stdout: Terminal {
                width: terminal::width(columns.as_deref(), tty_width),
                colour: terminal::colour(color, stdout_tty, no_color.as_deref()),
            },
            stderr_colour: terminal::colour(
                color,
                std::io::stderr().is_terminal(),
                no_color.as_deref(),
            ),
        }
    }
}

/// Decided once, by [`run`]: the binary runs one command per process. Before that (the
/// library used on its own) output is plain, as for a pipe.
static DISPLAY: OnceLock<Display> = OnceLock::new();

/// How output is drawn for this run.
pub fn display() -> Display {
    DISPLAY.get().copied().unwrap_or_default()
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Plan a workload spec: capacity per access pattern, table and index, with warnings.
    Plan(plan::PlanArgs),
    /// Answer one capacity question with the working shown (exam practice, quick checks).
    Calc(CalcArgs),
    /// Exam-style practice questions: answer on stdin, then see the worked solution.
    Quiz(QuizArgs),
    /// Show the price catalog, or import AWS Price List data (offer files, get-products pages).
    Prices(PricesArgs),
    /// Check workload specs against DynamoDB's rules without pricing them.
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
    /// Plan every table of a fleet from its description and CloudWatch metrics: the cheapest
    /// mode and class that does not throttle, the saving, and the tables at risk.
    Fleet(fleet::FleetArgs),
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

/// For `capacity-plan simulat spec.yaml`: the command the first word likely misspells, when
/// that word is neither a command nor a file (a spec to plan). clap cannot say it, because the
/// first word may also be the spec.
pub fn mistyped_command(argv: &[std::ffi::OsString]) -> Option<String> {
    let word = argv.get(1)?.to_str()?;
    // Told without building the whole command line, which parsing then builds again.
    if word.starts_with('-')
        || <Command as clap::Subcommand>::has_subcommand(word)
        || std::path::Path::new(word).exists()
    {
        return None;
    }
    let command = command();
    let names = command.get_subcommands().map(clap::Command::get_name);
    let name = crate::suggest::closest(word, names)?;
    Some(format!(
        "no command or spec file `{word}`; did you mean `capacity-plan {name}`?"
    ))
}

/// An error as stderr shows it: one `error:` (red on a terminal), then the message and its
/// causes. Messages rendered with their own `error:` (YAML errors) keep only one.
pub fn error_line(err: &anyhow::Error) -> String {
    let message = format!("{err:#}");
    let message = message.strip_prefix("error: ").unwrap_or(&message);
    let prefix = crate::render::paint(
        "error:",
        crate::render::Paint::Error,
        display().stderr_colour,
    );
    format!("{prefix} {message}")
}

/// Whether the error is stdout's reader having gone away (`capacity-plan … | head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let kind = match (
            cause.downcast_ref::<std::io::Error>(),
            cause.downcast_ref::<serde_json::Error>(),
        ) {
            (Some(io), _) => Some(io.kind()),
            (None, Some(json)) => json.io_error_kind(),
            (None, None) => None,
        };
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// The spec `capacity-plan` plans when given none, looked for in the working directory, as
/// cargo finds `Cargo.toml`.
const DISCOVERED: [&str; 2] = ["workload.yaml", "workload.yml"];

fn discovered_spec() -> Option<PathBuf> {
    DISCOVERED
        .iter()
        .map(PathBuf::from)
        .find(|path| path.is_file())
}

/// The command line with its version: the crate's and the dates of the built-in prices.
pub fn command() -> clap::Command {
    static VERSION: OnceLock<String> = OnceLock::new();
    let version = VERSION.get_or_init(|| {
        let catalog = crate::pricing::Catalog::builtin().ok();
        match catalog.as_ref().and_then(|c| c.dated()) {
            Some((oldest, newest)) if oldest == newest => {
                format!("{} (prices as of {newest})", env!("CARGO_PKG_VERSION"))
            }
            Some((oldest, newest)) => format!(
                "{} (prices as of {oldest} to {newest})",
                env!("CARGO_PKG_VERSION")
            ),
            None => env!("CARGO_PKG_VERSION").to_string(),
        }
    });
    Cli::command().version(version.as_str())
}

/// Parses the command line, as [`command`] defines it.
pub fn parse(argv: &[std::ffi::OsString]) -> Result<Cli, clap::Error> {
    use clap::FromArgMatches;
    let mut command = command();
    let argv = colour_after_command(&command, argv);
    let matches = command.try_get_matches_from_mut(argv)?;
    Cli::from_arg_matches(&matches).map_err(|err| err.format(&mut command))
}

/// `capacity-plan --color never validate x.yaml`, as `cargo --color never build` is written:
/// any argument before a command makes clap read the command as the spec to plan, so leading
/// `--color` arguments are moved after the command they precede.
fn colour_after_command(
    command: &clap::Command,
    argv: &[std::ffi::OsString],
) -> Vec<std::ffi::OsString> {
    let mut rest = argv.get(1..).unwrap_or_default().to_vec();
    let mut colour = Vec::new();
    loop {
        match rest.first().and_then(|a| a.to_str()) {
            Some("--color") if rest.len() > 1 => colour.extend(rest.drain(..2)),
            Some(a) if a.starts_with("--color=") => colour.push(rest.remove(0)),
            _ => break,
        }
    }
    let before_command = rest
        .first()
        .and_then(|a| a.to_str())
        .is_some_and(|a| command.find_subcommand(a).is_some());
    if colour.is_empty() || !before_command {
        return argv.to_vec();
    }
    let mut moved = argv[..1].to_vec();
    moved.push(rest.remove(0));
    moved.extend(colour);
    moved.extend(rest);
    moved
}

/// Runs a parsed command line, writing its result to `out`.
pub fn run(cli: Cli, out: &mut dyn Write) -> anyhow::Result<Outcome> {
    DISPLAY.get_or_init(|| Display::detect(cli.global.color));
    match (cli.command, cli.spec) {
        (Some(Command::Check(args)), _) => return check::check(&args, out),
        (Some(Command::Diff(args)), _) => check::diff(&args, out),
        (Some(Command::Completions { shell }), _) => {
            // Generated in memory: clap_complete panics on a write error, e.g. `| head`.
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut command(), "capacity-plan", &mut script);
            Ok(out.write_all(&script)?)
        }
        (Some(Command::Man), _) => Ok(man::render(command(), out)?),
        (Some(Command::Plan(args)), _) => plan::run(&args.spec, &args.options, out),
        (Some(Command::Calc(args)), _) => calc::run(args, out),
        (Some(Command::Quiz(args)), _) => quiz::run(args, out),
        (Some(Command::Prices(args)), _) => prices::run(args, out),
        (Some(Command::Validate(args)), _) => workload::validate(args, out),
        (Some(Command::Init(args)), _) => workload::init(args, out),
        (Some(Command::Import(args)), _) => import::run(args, out),
        (Some(Command::Schema), _) => workload::schema(out),
        (Some(Command::Simulate(args)), _) => simulate::run(args, out),
        (Some(Command::Fleet(args)), _) => fleet::run(args, out),
        (None, Some(spec)) => plan::run(&spec, &cli.plan, out),
        (None, None) => match discovered_spec() {
            Some(spec) => plan::run(&spec, &cli.plan, out),
            None => Err(UsageError(format!(
                "no {} here: give a workload spec to plan (capacity-plan SPEC) or a command; see --help",
                DISCOVERED.join(" or ")
            ))
            .into()),
        },
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
