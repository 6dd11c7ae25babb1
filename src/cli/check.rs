//! `tick check`: every diagnostic of every script, rendered once, with CI exit codes.

use super::files::{self, Text};
use super::{check_config, check_handlers, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::check::{check_source, CheckOptions};
use crate::diagnostic::documents;
use crate::diagnostic::render::{render_in, Format};
use crate::diagnostic::source::SourceFile;
use crate::diagnostic::{Code, Diag};
use crate::span::Span;
use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;

/// Arguments of `tick check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Scripts, directories (searched recursively for *.tick), handler files (*.yaml, *.yml,
    /// *.json), `tick serve` config files (*.toml), or `-` for a script on stdin.
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

/// Counts of findings over all files, and where output goes.
struct Out {
    files: usize,
    errors: usize,
    warnings: usize,
    format: Format,
    color: bool,
    /// Set when stdout or stderr was closed (`| head -1`): stop writing, quietly.
    closed: bool,
    /// Files kept for the document formats.
    kept: Vec<(SourceFile, Vec<Diag>)>,
}

/// Runs `tick check`; returns the exit code.
pub fn run(args: &CheckArgs) -> u8 {
    let is_file = |p: &PathBuf, ext: &[&str]| p.is_file() && files::has_extension(p, ext);
    let stdin = args.paths.iter().any(|p| p.as_os_str() == "-");
    let rest: Vec<PathBuf> = args.paths.iter().filter(|p| p.as_os_str() != "-").cloned().collect();
    let (configs, rest): (Vec<PathBuf>, Vec<PathBuf>) = rest.into_iter().partition(|p| is_file(p, &["toml"]));
    let (handler_files, script_args): (Vec<PathBuf>, Vec<PathBuf>) =
        rest.into_iter().partition(|p| is_file(p, HANDLER_EXTENSIONS));
    let paths = match collect_scripts(&script_args, &args.handlers, stdin || !configs.is_empty()) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("error[E001]: {msg}");
            return EXIT_USAGE;
        }
    };
    let opts = CheckOptions { allow: args.allow.clone() };
    let color = args.format == Format::Human && std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut out = Out { files: 0, errors: 0, warnings: 0, format: args.format, color, closed: false, kept: vec![] };
    if stdin {
        let mut bytes = Vec::new();
        if let Err(e) = std::io::stdin().read_to_end(&mut bytes) {
            eprintln!("error[E001]: -: cannot read stdin: {e}");
            return EXIT_USAGE;
        }
        let (source, diags) = script(text_from_bytes(bytes), &opts);
        out.emit(SourceFile::new("-", source), diags);
    }
    for path in &paths {
        match files::read_text(path) {
            Ok(text) => {
                let (source, diags) = script(text, &opts);
                out.emit(SourceFile::new(path.display().to_string(), source), diags);
            }
            Err(msg) => {
                eprintln!("error[E001]: {msg}");
                return EXIT_USAGE;
            }
        }
    }
    for path in &configs {
        let source = std::fs::read_to_string(path).unwrap_or_default();
        let diags = check_config::check(path, &source);
        out.emit(SourceFile::new(path.display().to_string(), source), diags);
    }
    for (path, diags) in check_handlers::check_files(&handler_files, &args.handlers) {
        let source = std::fs::read_to_string(&path).unwrap_or_default();
        out.emit(SourceFile::new(path.display().to_string(), source), diags);
    }
    out.finish();
    let failed = out.errors > 0 || (args.deny_warnings && out.warnings > 0);
    if failed { EXIT_FINDINGS } else { EXIT_OK }
}

/// The source text and diagnostics of one script.
fn script(text: Text, opts: &CheckOptions) -> (String, Vec<Diag>) {
    match text {
        Text::Utf8(s) => {
            let diags = check_source(&s, opts).diags;
            (s, diags)
        }
        Text::Invalid(lossy, offset) => {
            let diag = Diag::new(Code::NotUtf8, Span::new(offset, offset + 1), "the file is not valid UTF-8")
                .with_label("first invalid byte")
                .with_help("save the script as UTF-8");
            (lossy, vec![diag])
        }
    }
}

/// Bytes read from stdin as a script text.
fn text_from_bytes(bytes: Vec<u8>) -> Text {
    match String::from_utf8(bytes) {
        Ok(s) => Text::Utf8(s),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            Text::Invalid(String::from_utf8_lossy(e.as_bytes()).into_owned(), offset)
        }
    }
}

/// Extensions of topic-handler files.
const HANDLER_EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// Scripts from `paths`; with only `--handlers`, stdin or config files given, no script is needed.
fn collect_scripts(paths: &[PathBuf], handler_dirs: &[PathBuf], others: bool) -> Result<Vec<PathBuf>, String> {
    for dir in handler_dirs {
        if !dir.is_dir() {
            return Err(format!("{}: not a directory", dir.display()));
        }
    }
    if paths.is_empty() && (others || !handler_dirs.is_empty()) {
        return Ok(vec![]);
    }
    files::collect(paths, &["tick"])
}

impl Out {
    /// Counts and writes (or keeps) the diagnostics of one file.
    fn emit(&mut self, file: SourceFile, diags: Vec<Diag>) {
        self.files += 1;
        let errors = diags.iter().filter(|d| d.is_error()).count();
        self.errors += errors;
        self.warnings += diags.len() - errors;
        if self.format.is_document() {
            self.kept.push((file, diags));
            return;
        }
        let stdout = std::io::stdout();
        let stderr = std::io::stderr();
        let mut sink: Box<dyn Write> = match self.format {
            Format::Human => Box::new(stderr.lock()),
            _ => Box::new(std::io::BufWriter::new(stdout.lock())),
        };
        for diag in &diags {
            if self.closed {
                return;
            }
            let text = render_in(diag, &file, self.format, self.color);
            self.closed = sink.write_all(text.as_bytes()).is_err();
        }
        self.closed |= sink.flush().is_err();
    }

    /// Writes the document formats, or the human summary.
    fn finish(&mut self) {
        let files: Vec<documents::Checked<'_>> = self.kept.iter().map(|(f, d)| (f, &d[..])).collect();
        let document = match self.format {
            Format::Sarif => documents::sarif(&files),
            Format::Checkstyle => documents::checkstyle(&files),
            Format::Human if !self.closed => summary(self),
            _ => return,
        };
        let mut sink: Box<dyn Write> =
            if self.format == Format::Human { Box::new(std::io::stderr()) } else { Box::new(std::io::stdout()) };
        let _ = sink.write_all(document.as_bytes()).and_then(|()| sink.flush());
    }
}

fn summary(out: &Out) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!(
        "checked {}: {}, {}\n",
        plural(out.files, "file"),
        plural(out.errors, "error"),
        plural(out.warnings, "warning")
    )
}

