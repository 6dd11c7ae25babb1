//! Static checking: resolve variables, validate chains and arguments against
//! the [`catalog`], type lambdas and templates, run lints. Every problem is
//! collected; nothing stops at the first error.

mod args;
pub mod catalog;
mod chain;
mod fields;
mod lambda;
mod later;
mod lint;
mod nodes;
mod scope;

use crate::ast::Script;
use crate::diagnostic::{Code, Diag};
use crate::program::{Program, TaskType};
use crate::span::Span;

/// Options of a check run.
#[derive(Debug, Clone, Default)]
pub struct CheckOptions {
    /// Lint names (or codes) to silence, e.g. `unused-var`.
    pub allow: Vec<String>,
}

/// The result of checking one script.
#[derive(Debug, Clone)]
pub struct Checked {
    /// Every diagnostic, sorted by position.
    pub diags: Vec<Diag>,
    /// The checked plan, when there is no error.
    pub program: Option<Program>,
}

impl Checked {
    /// True if any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diags.iter().any(Diag::is_error)
    }
}

/// Parses and checks `source`.
pub fn check_source(source: &str, opts: &CheckOptions) -> Checked {
    match crate::parse::parse(source) {
        Ok(script) => check(&script, source, opts),
        Err(diag) => Checked { diags: vec![diag], program: None },
    }
}

/// Checks a parsed script.
pub fn check(script: &Script, source: &str, opts: &CheckOptions) -> Checked {
    let mut diags = Vec::new();
    let (task_type, problem) = task_type(script);
    let mixed = problem.as_ref().is_some_and(|d| d.code == Code::MixedTaskType);
    diags.extend(problem);
    let mut walker = chain::Walker::new(task_type, mixed);
    for stmt in &script.stmts {
        walker.statement(stmt);
    }
    let (program, mut walk_diags, unknown_props) = walker.finish();
    diags.append(&mut walk_diags);
    let other_errors = diags.iter().any(Diag::is_error);
    let node_diags = nodes::validate(&program, source);
    // "Does nothing" is only news when nothing else is wrong with the pipeline.
    diags.extend(node_diags.into_iter().filter(|d| !(other_errors && d.code == Code::NothingToDo)));
    diags.extend(lint::lints(script, source, &program, &unknown_props));
    diags.retain(|d| !allowed(d, script, opts));
    diags.sort_by_key(|d| (d.span.start, d.code));
    diags.dedup();
    let has_errors = diags.iter().any(Diag::is_error);
    Checked { diags, program: (!has_errors).then_some(program) }
}

/// Stream or batch, from the left-most identifier of each top-level chain or
/// var (the type to check the script as), and what is wrong with it, if anything.
fn task_type(script: &Script) -> (TaskType, Option<Diag>) {
    let mut seen: Vec<(TaskType, Span)> = Vec::new();
    for stmt in &script.stmts {
        if let Some((name, span)) = scope::leftmost_ident(stmt) {
            match name {
                "stream" => seen.push((TaskType::Stream, span)),
                "batch" => seen.push((TaskType::Batch, span)),
                _ => {}
            }
        }
    }
    let first = match seen.first() {
        Some(first) => *first,
        None => {
            let span = script.stmts.first().map(|s| s.span()).unwrap_or_default();
            let span = Span::new(span.start, span.start.max(span.end.min(span.start + 1)));
            let diag = Diag::new(Code::NoTaskType, span, "the script starts with neither `stream` nor `batch`")
                .with_label("a pipeline must start here")
                .with_help("start the pipeline with `stream|from()` (pushed points) or `batch|query(...)` (InfluxDB queries)");
            return (TaskType::Stream, Some(diag));
        }
    };
    if let Some(other) = seen.iter().find(|(t, _)| *t != first.0) {
        let diag = Diag::new(Code::MixedTaskType, other.1, "the script uses both `stream` and `batch`")
            .with_label("this pipeline is of the other kind")
            .with_related(first.1, "the task type was set here")
            .with_help("one task is either a stream or a batch task: split the script in two");
        return (first.0, Some(diag));
    }
    (first.0, None)
}

/// True if `diag` is a warning silenced by options or a `// tick:allow NAME` comment.
fn allowed(diag: &Diag, script: &Script, opts: &CheckOptions) -> bool {
    if diag.is_error() {
        return false;
    }
    let info = diag.code.info();
    let names = [Some(info.code), info.lint];
    let by_option = opts.allow.iter().any(|a| names.contains(&Some(a.as_str())));
    let by_comment = script.comments.iter().any(|(_, text)| {
        text.split_once("tick:allow")
            .is_some_and(|(_, rest)| rest.split([' ', ',', '(', ')']).any(|w| !w.is_empty() && names.contains(&Some(w))))
    });
    by_option || by_comment
}
