//! `tick fmt`: format TICKscripts as Kapacitor's `tickfmt` does; `--check` for CI, `--write` in place.

use super::files::{self, Text};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::render::{render, Format};
use crate::diagnostic::{Code, Diag};
use crate::span::Span;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

/// Arguments of `tick fmt`.
#[derive(Debug, clap::Args)]
pub struct FmtArgs {
    /// Scripts or directories (searched recursively for *.tick); none or `-`: stdin to stdout.
    paths: Vec<PathBuf>,
    /// Change nothing: print a unified diff for each file that would change and exit 1 if any would.
    #[arg(long, conflicts_with = "write")]
    check: bool,
    /// Rewrite the files in place (only those that change).
    #[arg(long, short = 'w')]
    write: bool,
    /// Format of syntax errors (as in `tick check`).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
}

/// What happened to one input.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Unchanged,
    Changed,
    Invalid,
}

/// Runs `tick fmt`; returns the exit code.
pub fn run(args: &FmtArgs) -> u8 {
    if args.paths.is_empty() || args.paths.iter().any(|p| p.as_os_str() == "-") {
        if args.paths.len() > 1 || args.write {
            eprintln!("error: `-` (stdin) cannot be combined with other paths or --write");
            return EXIT_USAGE;
        }
        return stdin(args);
    }
    let paths = match files::collect(&args.paths, &["tick"]) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("error[E001]: {msg}");
            return EXIT_USAGE;
        }
    };
    let mut worst = EXIT_OK;
    let mut changed = 0;
    for path in &paths {
        match file(path, args) {
            Ok(Outcome::Unchanged) => {}
            Ok(Outcome::Changed) => changed += 1,
            Ok(Outcome::Invalid) => worst = worst.max(EXIT_FINDINGS),
            Err(msg) => {
                eprintln!("error[E001]: {msg}");
                worst = EXIT_USAGE;
            }
        }
    }
    if args.check && changed > 0 {
        let s = if changed == 1 { "" } else { "s" };
        eprintln!("{changed} file{s} would be reformatted (run `tick fmt --write`)");
        worst = worst.max(EXIT_FINDINGS);
    }
    worst
}

fn stdin(args: &FmtArgs) -> u8 {
    let mut source = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut source) {
        eprintln!("error[E001]: <stdin>: {}", files::io_reason(&e));
        return EXIT_USAGE;
    }
    match crate::fmt::format(&source) {
        Ok(formatted) if args.check => {
            if formatted == source {
                EXIT_OK
            } else {
                print!("{}", diff("<stdin>", &source, &formatted));
                EXIT_FINDINGS
            }
        }
        Ok(formatted) => {
            print!("{formatted}");
            EXIT_OK
        }
        Err(diag) => {
            report(&diag, "<stdin>", &source, args.format);
            EXIT_FINDINGS
        }
    }
}

fn file(path: &Path, args: &FmtArgs) -> Result<Outcome, String> {
    let name = path.display().to_string();
    let source = match files::read_text(path)? {
        Text::Utf8(s) => s,
        Text::Invalid(lossy, offset) => {
            let diag = Diag::new(Code::NotUtf8, Span::new(offset, offset + 1), "the file is not valid UTF-8")
                .with_label("first invalid byte")
                .with_help("save the script as UTF-8");
            report(&diag, &name, &lossy, args.format);
            return Ok(Outcome::Invalid);
        }
    };
    let formatted = match crate::fmt::format(&source) {
        Ok(f) => f,
        Err(diag) => {
            report(&diag, &name, &source, args.format);
            return Ok(Outcome::Invalid);
        }
    };
    let outcome = if formatted == source { Outcome::Unchanged } else { Outcome::Changed };
    if args.check {
        if outcome == Outcome::Changed {
            print!("{}", diff(&name, &source, &formatted));
        }
    } else if args.write {
        if outcome == Outcome::Changed {
            write_atomically(path, &formatted).map_err(|e| format!("{name}: {}", files::io_reason(&e)))?;
        }
    } else {
        let _ = std::io::stdout().lock().write_all(formatted.as_bytes());
    }
    Ok(outcome)
}

/// A unified diff from `old` to `new`, headed `a/NAME` and `b/NAME`.
pub fn diff(name: &str, old: &str, new: &str) -> String {
    let d = similar::TextDiff::from_lines(old, new);
    d.unified_diff().context_radius(3).header(&format!("a/{name}"), &format!("b/{name}")).to_string()
}

/// Replaces `path` by `contents` through a temporary file in the same directory, keeping permissions.
fn write_atomically(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.tickfmt-{}", std::process::id()));
    std::fs::write(&tmp, contents)?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(&tmp, meta.permissions());
    }
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn report(diag: &Diag, name: &str, source: &str, format: Format) {
    let color = format == Format::Human && std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let text = render(diag, name, source, format, color);
    let _ = match format {
        Format::Human => std::io::stderr().lock().write_all(text.as_bytes()),
        Format::Json | Format::Github => std::io::stdout().lock().write_all(text.as_bytes()),
        // Whole-run documents: `tick fmt` reports parse failures one by one, so these show as human text.
        Format::Sarif | Format::Checkstyle => std::io::stderr().lock().write_all(render(diag, name, source, Format::Human, false).as_bytes()),
    };
}
