//! `tick check`: every diagnostic of every script, rendered once, with CI exit codes.

use super::files::{self, Text};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::check::{check_source, CheckOptions};
use crate::diagnostic::render::{render, Format};
use crate::diagnostic::{Code, Diag};
use crate::span::Span;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Arguments of `tick check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or directories (searched recursively for *.tick).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with 1 when there are warnings, too.
    #[arg(long)]
    deny_warnings: bool,
    /// Silence a lint by name or code (repeatable), e.g. --allow unused-var.
    #[arg(long, short = 'A', value_name = "LINT")]
    allow: Vec<String>,
}

/// Counts of findings over all files.
#[derive(Debug, Default)]
struct Tally {
    files: usize,
    errors: usize,
    warnings: usize,
}

/// Runs `tick check`; returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let paths = match files::collect(&args.paths, &["tick"]) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("error[E001]: {msg}");
            return EXIT_USAGE;
        }
    };
    let opts = CheckOptions { allow: args.allow.clone() };
    let color = args.format == Format::Human && std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut tally = Tally::default();
    for path in &paths {
        let name = path.display().to_string();
        let (source, diags) = match files::read_text(path) {
            Ok(Text::Utf8(s)) => {
                let diags = check_source(&s, &opts).diags;
                (s, diags)
            }
            Ok(Text::Invalid(lossy, offset)) => {
                let diag = Diag::new(Code::NotUtf8, Span::new(offset, offset + 1), "the file is not valid UTF-8")
                    .with_label("first invalid byte")
                    .with_help("save the script as UTF-8");
                (lossy, vec![diag])
            }
            Err(msg) => {
                eprintln!("error[E001]: {msg}");
                return EXIT_USAGE;
            }
        };
        tally.files += 1;
        emit(&diags, &name, &source, args.format, color, &mut tally);
    }
    summary(&tally, args.format);
    let failed = tally.errors > 0 || (args.deny_warnings && tally.warnings > 0);
    if failed { EXIT_FINDINGS } else { EXIT_OK }
}

fn emit(diags: &[Diag], name: &str, source: &str, format: Format, color: bool, tally: &mut Tally) {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    for diag in diags {
        if diag.is_error() {
            tally.errors += 1;
        } else {
            tally.warnings += 1;
        }
        let text = render(diag, name, source, format, color);
        let _ = match format {
            Format::Human => stderr.lock().write_all(text.as_bytes()),
            Format::Json | Format::Github => stdout.lock().write_all(text.as_bytes()),
        };
    }
}

fn summary(tally: &Tally, format: Format) {
    if format != Format::Human {
        return;
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    eprintln!(
        "checked {}: {}, {}",
        plural(tally.files, "file"),
        plural(tally.errors, "error"),
        plural(tally.warnings, "warning")
    );
}
