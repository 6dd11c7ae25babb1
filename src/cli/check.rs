//! `tick check`: every diagnostic of every script, rendered once, with CI exit codes.

use super::files::{self, Text};
use super::{check_handlers, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::check::{check_source, CheckOptions};
use crate::diagnostic::render::{render, Format};
use crate::diagnostic::{Code, Diag};
use crate::span::Span;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Arguments of `tick check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Scripts, directories (searched recursively for *.tick) or handler files (*.yaml, *.yml, *.json).
    #[arg(required_unless_present = "handlers")]
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
    /// Also validate every topic-handler file (*.yaml, *.yml, *.json) in DIR.
    #[arg(long, value_name = "DIR")]
    handlers: Vec<PathBuf>,
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
    let (handler_files, script_args): (Vec<PathBuf>, Vec<PathBuf>) =
        args.paths.iter().cloned().partition(|p| p.is_file() && files::has_extension(p, HANDLER_EXTENSIONS));
    let paths = match collect_scripts(&script_args, &args.handlers) {
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
    for (path, diags) in check_handlers::check_files(&handler_files, &args.handlers) {
        let source = std::fs::read_to_string(&path).unwrap_or_default();
        tally.files += 1;
        emit(&diags, &path.display().to_string(), &source, args.format, color, &mut tally);
    }
    summary(&tally, args.format);
    let failed = tally.errors > 0 || (args.deny_warnings && tally.warnings > 0);
    if failed { EXIT_FINDINGS } else { EXIT_OK }
}

/// Extensions of topic-handler files.
const HANDLER_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Scripts from `paths`; with only `--handlers` given, no script is needed.
fn collect_scripts(paths: &[PathBuf], handler_dirs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    for dir in handler_dirs {
        if !dir.is_dir() {
            return Err(format!("{}: not a directory", dir.display()));
        }
    }
    if paths.is_empty() {
        return Ok(vec![]);
    }
    files::collect(paths, &["tick"])
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
