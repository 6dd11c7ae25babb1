//! Topic-handler files in `tick check`: spec, options and `match:` expressions.

use crate::diagnostic::Diag;
use crate::handler::matching::MatchExpr;
use crate::handler::{HandlerFile, HandlerFileError};
use crate::span::Span;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Diagnostics of handler files, grouped by file (files without findings included).
pub fn check_files(files: &[PathBuf], dirs: &[PathBuf]) -> BTreeMap<PathBuf, Vec<Diag>> {
    let mut out: BTreeMap<PathBuf, Vec<Diag>> = BTreeMap::new();
    for path in files {
        out.entry(path.clone()).or_default();
        match crate::handler::load_handler_file(path) {
            Ok(file) => add_match(&mut out, &file),
            Err(errors) => add_errors(&mut out, &errors),
        }
    }
    for dir in dirs {
        let (files, errors) = crate::handler::load_handler_dir(dir);
        for file in &files {
            out.entry(file.path.clone()).or_default();
            add_match(&mut out, file);
        }
        add_errors(&mut out, &errors);
    }
    out
}

fn add_errors(out: &mut BTreeMap<PathBuf, Vec<Diag>>, errors: &[HandlerFileError]) {
    for e in errors {
        let mut diag = e.to_diag();
        if diag.span == Span::default() && e.line > 0 {
            let source = std::fs::read_to_string(&e.path).unwrap_or_default();
            let start = offset_of(&source, e.line, e.column);
            diag.span = Span::new(start, (start + 1).min(source.len().max(start)));
        }
        out.entry(e.path.clone()).or_default().push(diag);
    }
}

/// Byte offset of 1-based `line` and `column` (in characters) in `source`.
fn offset_of(source: &str, line: usize, column: usize) -> usize {
    let line_start: usize = source.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let rest = &source[line_start.min(source.len())..];
    line_start + rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i)
}

/// Compiles the `match:` expression, mapping its diagnostics into the file.
fn add_match(out: &mut BTreeMap<PathBuf, Vec<Diag>>, file: &HandlerFile) {
    let Some(expr) = &file.match_expr else {
        return;
    };
    if let Err(diags) = MatchExpr::compile(&expr.text) {
        let offset = value_offset(&file.path, expr.span);
        let entry = out.entry(file.path.clone()).or_default();
        for mut d in diags {
            d.span = match offset {
                Some(o) => d.span.shift(o),
                None => expr.span,
            };
            d.related.clear();
            entry.push(d);
        }
    }
}

/// Where the expression text starts in the file: after an opening quote, or
/// None when the scalar is quoted with escapes (positions would not map).
fn value_offset(path: &Path, span: Span) -> Option<usize> {
    let source = std::fs::read_to_string(path).ok()?;
    let raw = source.get(span.start..span.end)?;
    match raw.chars().next() {
        Some('\'') | Some('"') if raw.contains('\\') || raw.contains("''") => None,
        Some('\'') | Some('"') => Some(span.start + 1),
        _ => Some(span.start),
    }
}
