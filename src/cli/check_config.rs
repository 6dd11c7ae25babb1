//! `tick check tick.toml`: a `tick serve` config file, parsed by the server's own parser.

use crate::diagnostic::{Code, Diag};
use crate::serve::config::{parse_dbrp, Config};
use crate::span::Span;
use std::path::Path;

/// Diagnostics of one config file (`path` only decides the name shown).
pub fn check(_path: &Path, source: &str) -> Vec<Diag> {
    let config = match Config::from_text(source) {
        Ok(c) => c,
        Err(e) => {
            let span = e.span().map_or(Span::new(0, 0), |r| Span::new(r.start, r.end.max(r.start)));
            return vec![Diag::new(Code::ServeConfig, span, e.message().trim().to_string())
                .with_label("here")
                .with_help("`tick serve --help` lists the settings; keys are kebab-case (tasks-dir, exec-timeout)")];
        }
    };
    let mut diags = Vec::new();
    let mut bad = |key: &str, message: String| {
        diags.push(Diag::new(Code::ServeConfig, value_span(source, key), message).with_label("invalid value"));
    };
    if let Err(e) = config.exec_timeout() {
        bad("exec-timeout", e);
    }
    if let Err(e) = config.shutdown_timeout() {
        bad("shutdown-timeout", e);
    }
    for task in config.tasks.values() {
        for dbrp in &task.dbrp {
            if let Err(e) = parse_dbrp(dbrp) {
                bad("dbrp", e);
            }
        }
    }
    diags
}

/// The span of the first `key = value` line's value, or the start of the file.
fn value_span(source: &str, key: &str) -> Span {
    let mut offset = 0;
    for line in source.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key).filter(|r| r.trim_start().starts_with('=')) {
            let value = rest.trim_start().trim_start_matches('=').trim();
            let start = offset + line.find(value).unwrap_or(0);
            return Span::new(start, start + value.len());
        }
        offset += line.len();
    }
    Span::new(0, 0)
}
