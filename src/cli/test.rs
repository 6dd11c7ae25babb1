//! `tick test`: finds `*_test.yaml` files, runs their cases, reports per case; `--update` blesses.

use super::{files, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::render::human;
use crate::testing::report::{self, CaseOutcome, FileOutcome, FileResult, Format};
use crate::testing::{self, judge, run_case, Mismatch, Problem, Suite};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Arguments of `tick test`.
#[derive(Debug, clap::Args)]
pub struct TestArgs {
    /// Test files, or directories searched recursively for *_test.yaml and *_test.yml (default: .).
    paths: Vec<PathBuf>,
    /// Run only the cases whose name contains TEXT.
    #[arg(long, value_name = "TEXT")]
    filter: Option<String>,
    /// Output format (on stdout; diagnostics of invalid files always go to stderr).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Rewrite the alerts, exec and topics expectations of the selected cases from their actual output.
    #[arg(long)]
    update: bool,
}

/// Runs `tick test`; returns the exit code: 0 all passed, 1 any failed, 2 invalid file or usage.
pub fn run(args: &TestArgs) -> u8 {
    let paths = if args.paths.is_empty() { vec![PathBuf::from(".")] } else { args.paths.clone() };
    let test_files = match discover(&paths) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("error[E001]: {message}");
            return EXIT_USAGE;
        }
    };
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let filter = args.filter.as_deref().unwrap_or("");
    let results: Vec<FileResult> = test_files.iter().map(|path| test_file(path, filter, args.update, color)).collect();
    let _ = std::io::stdout().lock().write_all(report::render(&results, args.format).as_bytes());
    let totals = report::totals(&results);
    if totals.passed + totals.failed + totals.invalid == 0 {
        eprintln!("error: no test case matches --filter {filter:?}");
        return EXIT_USAGE;
    }
    if totals.invalid > 0 {
        EXIT_USAGE
    } else if totals.failed > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Files as given; directories searched for `*_test.yaml` / `*_test.yml`.
fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.extend(files::collect(std::slice::from_ref(path), &[])?);
            continue;
        }
        let is_test = |p: &PathBuf| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with("_test.yaml") || n.ends_with("_test.yml"));
        let found: Vec<PathBuf> = files::collect(std::slice::from_ref(path), &["yaml", "yml"]).unwrap_or_default().into_iter().filter(is_test).collect();
        if found.is_empty() {
            return Err(format!("{}: no *_test.yaml files in this directory", path.display()));
        }
        out.extend(found);
    }
    Ok(out)
}

fn test_file(path: &Path, filter: &str, update: bool, color: bool) -> FileResult {
    let name = path.display().to_string();
    let suite = match testing::load(path) {
        Ok(suite) => suite,
        Err(problems) => {
            print_problems(&problems, color);
            return FileResult { path: name, outcome: FileOutcome::Invalid(problems) };
        }
    };
    let selected: Vec<_> = suite.cases.iter().filter(|c| c.name.contains(filter)).collect();
    let runs: Vec<_> = selected.iter().map(|case| (*case, run_case(case))).collect();
    if update {
        if let Some(result) = bless(&suite, &runs, filter, color) {
            return result;
        }
    }
    let outcomes = runs.iter().map(|(case, actual)| outcome(case, actual)).collect();
    FileResult { path: name, outcome: FileOutcome::Ran(outcomes) }
}

type Run<'a> = (&'a testing::CaseSpec, Result<testing::Actual, String>);

/// Writes the updated file and tests it again; None when nothing could be updated.
fn bless(suite: &Suite, runs: &[Run], filter: &str, color: bool) -> Option<FileResult> {
    let done: Vec<_> = runs.iter().filter_map(|(case, actual)| actual.as_ref().ok().map(|a| (*case, a))).collect();
    let path = suite.path.display();
    match testing::update::rewrite(&suite.source, &done) {
        Ok(text) if text == suite.source => None,
        Ok(text) => match std::fs::write(&suite.path, text) {
            Ok(()) => {
                eprintln!("updated {path} ({} case(s))", done.len());
                Some(test_file(&suite.path, filter, false, color))
            }
            Err(e) => {
                eprintln!("error[E001]: {path}: cannot write: {}", files::io_reason(&e));
                None
            }
        },
        Err(message) => {
            eprintln!("error: {path}: {message}");
            None
        }
    }
}

fn outcome(case: &testing::CaseSpec, actual: &Result<testing::Actual, String>) -> CaseOutcome {
    match actual {
        Ok(actual) => CaseOutcome { name: case.name.clone(), mismatches: judge(&case.expect, actual, case.frame), notes: actual.eval_errors.clone() },
        Err(message) => CaseOutcome {
            name: case.name.clone(),
            mismatches: vec![Mismatch { section: "run", message: message.clone(), diff: String::new() }],
            notes: Vec::new(),
        },
    }
}

fn print_problems(problems: &[Problem], color: bool) {
    let mut err = std::io::stderr().lock();
    for p in problems {
        let text = if p.source.is_empty() { format!("{}\n", report::one_line(p)) } else { human(&p.diag, &p.file, &p.source, color) };
        let _ = err.write_all(text.as_bytes());
    }
}
