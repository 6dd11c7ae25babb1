//! The `tick` command line.
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    tickscript::cli::main()
}
