//! Command-line interface: argument parsing and exit codes (0 clean, 1 findings, 2 usage or I/O).

mod check;
mod check_config;
mod check_handlers;
mod completions;
mod explain;
mod fmt;
mod run;
mod serve;
mod test;

use crate::files;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit code: everything clean.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings (errors, failed tests, bad input lines).
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage or I/O error.
pub const EXIT_USAGE: u8 = 2;

/// tick: check, run and test Kapacitor TICKscripts without a daemon.
#[derive(Debug, Parser)]
#[command(name = "tick", version = env!("TICK_BUILD_INFO"), about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check TICKscripts (and topic-handler files) and report every problem.
    Check(check::CheckArgs),
    /// Run a stream TICKscript over line protocol; alerts go to stdout and to handlers.
    Run(run::RunArgs),
    /// Serve: InfluxDB/Kapacitor write endpoints feeding every task of a directory.
    Serve(serve::ServeArgs),
    /// Explain a diagnostic code (E203) or lint name (unused-var); without CODE, list them all.
    Explain(explain::ExplainArgs),
    /// Run the unit tests of TICKscripts (*_test.yaml): no daemon, point time is the clock.
    Test(test::TestArgs),
    /// Format TICKscripts exactly as Kapacitor's tickfmt does (--check for CI, --write in place).
    Fmt(fmt::FmtArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(completions::CompletionsArgs),
    /// Print the man page (roff) of tick.
    Man,
}

/// Runs the CLI and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            let code = if err.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Explain(args) => explain::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Test(args) => test::run(&args),
        Command::Serve(args) => serve::run(&args),
        Command::Fmt(args) => fmt::run(&args),
        Command::Completions(args) => completions::run(&args),
        Command::Man => completions::man(),
    };
    ExitCode::from(code)
}
