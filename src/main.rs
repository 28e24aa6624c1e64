//! The `capacity-plan` binary: parse the command line, run it, map the outcome to an exit code
//! (0 ok, 1 error, 2 usage, 3 budget exceeded), so that an error never looks like a verdict.

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

use capacity_plan::cli::{self, Cli, Outcome, UsageError};

fn main() -> ExitCode {
    let args = match Cli::try_parse() {
        Ok(args) => args,
        Err(err) => {
            let _ = err.print();
            return if err.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    let mut stdout = std::io::stdout().lock();
    let outcome = cli::run(args, &mut stdout);
    let _ = stdout.flush();
    match outcome {
        Ok(Outcome::Done) => ExitCode::SUCCESS,
        Ok(Outcome::OverBudget) => ExitCode::from(3),
        Err(err) => {
            // A closed stderr must not turn an error into a panic.
            let _ = writeln!(std::io::stderr(), "error: {err:#}");
            if err.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
