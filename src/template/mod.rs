//! Go `text/template` / `html/template` subset for alert `.id()`, `.message()`
//! and `.details()`.
//!
//! Kapacitor renders `id` and `message` with `text/template` and `details`
//! with `html/template` plus a `json` function (1.5.7 has no `jsonCompact`).
//! This engine follows Go 1.19 semantics for the subset users write: fields,
//! variables, pipelines, `if`/`else if`/`with`/`range`/`break`/`continue`,
//! trim markers, comments and the builtins (`index`, `printf`, `eq`, …).
//!
//! Deviations: `{{define}}`, `{{template}}` and `{{block}}` are rejected;
//! only argument-less methods of `time.Time` / `time.Duration` exist (no
//! `.Time.Format`); `html/template` escaping models the HTML text context only
//! (see [`escape`]).

mod check;
mod escape;
mod exec;
mod funcs;
mod json;
mod lex;
mod literal;
mod numfmt;
mod parse;
pub(crate) mod printf;
mod token;
mod tree;
pub mod value;

#[cfg(test)]
mod tests;

pub use value::TValue;

use crate::span::{line_col, Span};

/// Which Go template package a template follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `text/template` (alert `id` and `message`).
    Text,
    /// `html/template` with Kapacitor's extra `json` function (alert `details`).
    Html,
}

/// A template parse or check error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateError {
    /// Byte range inside the template text.
    pub span: Span,
    /// Go's message, e.g. `function "x" not defined`.
    pub message: String,
}

impl TemplateError {
    /// The error as Go prints it: `template: NAME:LINE: MESSAGE`.
    pub fn go_text(&self, name: &str, src: &str) -> String {
        let (line, _) = line_col(src, self.span.start);
        format!("template: {name}:{line}: {}", self.message)
    }
}

impl std::fmt::Display for TemplateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

/// A parsed template, ready to render many times.
#[derive(Debug, Clone)]
pub struct Template {
    name: String,
    src: String,
    flavor: Flavor,
    nodes: Vec<tree::Node>,
}

impl Template {
    /// Parses `src`; errors are Go's parse errors with a byte span.
    pub fn parse(src: &str, flavor: Flavor) -> Result<Template, TemplateError> {
        let has_func = |name: &str| funcs::arity(name, flavor).is_some();
        let nodes = parse::parse(src, &has_func)?;
        Ok(Template {
            name: "template".into(),
            src: src.to_string(),
            flavor,
            nodes,
        })
    }

    /// Sets the name used in execution errors (Kapacitor: `id`, `message`, `details`).
    pub fn named(mut self, name: &str) -> Template {
        self.name = name.to_string();
        self
    }

    /// The template text.
    pub fn source(&self) -> &str {
        &self.src
    }

    /// The template's flavor.
    pub fn flavor(&self) -> Flavor {
        self.flavor
    }

    /// Static check: `.Foo` on the top-level data (or `.ServerInfo.Foo`) where
    /// `Foo` is not one of `fields`; map keys (`.Tags.x`, `.Fields.x`) are free.
    pub fn check_fields(&self, fields: &[&str]) -> Vec<TemplateError> {
        check::check_fields(&self.nodes, fields)
    }

    /// Renders with `data` as dot; errors are formatted as Go's:
    /// `template: NAME:LINE:COL: executing "NAME" at <NODE>: MESSAGE`.
    pub fn render(&self, data: &TValue) -> Result<String, String> {
        exec::execute(&self.src, &self.nodes, data, self.flavor).map_err(|e| {
            let (line, _) = line_col(&self.src, e.span.start);
            let line_start = self.src[..e.span.start.min(self.src.len())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let col = e.span.start - line_start;
            let node = self.src.get(e.span.start..e.span.end).unwrap_or_default();
            format!(
                "template: {n}:{line}:{col}: executing \"{n}\" at <{node}>: {}",
                e.message,
                n = self.name
            )
        })
    }
}

/// Kapacitor's default `details` template.
pub fn details_default() -> &'static str {
    "{{ json . }}"
}
