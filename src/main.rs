//! The `capacity-plan` binary: parse the command line, run it, map the outcome to an exit code
//! (0 ok, 1 error, 2 usage, 3 budget exceeded), so that an error never looks like a verdict.

use std::io::Write;
use std::process::ExitCode;

use capacity_plan::cli::{self, Outcome, UsageError};

/// jemalloc, not the system's malloc: glibc's gave a fleet's freed pages back to the system
/// after each table and faulted them in again for the next (docs/performance.md).
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let argv: Vec<_> = std::env::args_os().collect();
    if let Some(message) = cli::mistyped_command(&argv) {
        let _ = writeln!(
            std::io::stderr(),
            "{}",
            cli::error_line(&anyhow::anyhow!(message))
        );
        return ExitCode::from(2);
    }
    let args = match cli::parse(&argv) {
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
    let flushed = stdout.flush();
    match (outcome, flushed) {
        // A reader that stops early (`| head`) has what it wanted: end quietly, as ripgrep does.
        (Err(err), _) if cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        (_, Err(err)) if err.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        (Ok(Outcome::Done), _) => ExitCode::SUCCESS,
        (Ok(Outcome::OverBudget), _) => ExitCode::from(3),
        (Err(err), _) => {
            // A closed stderr must not turn an error into a panic.
            let _ = writeln!(std::io::stderr(), "{}", cli::error_line(&err));
            if err.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
