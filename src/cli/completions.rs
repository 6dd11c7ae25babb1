//! `tick completions SHELL` and `tick man`: shell completion scripts and the man page, from the CLI definition.

use super::{Cli, EXIT_OK};
use clap::CommandFactory;

/// Arguments of `tick completions`.
#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to generate completions for.
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Prints the completion script for the shell on stdout.
pub fn run(args: &CompletionsArgs) -> u8 {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "tick", &mut std::io::stdout());
    EXIT_OK
}

/// Prints the man page (roff) of `tick` on stdout.
pub fn man() -> u8 {
    let mut out = Vec::new();
    if clap_mangen::Man::new(Cli::command()).render(&mut out).is_err() {
        return super::EXIT_USAGE;
    }
    use std::io::Write;
    let _ = std::io::stdout().write_all(&out);
    EXIT_OK
}
