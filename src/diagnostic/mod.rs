//! Diagnostics as data: a stable [`Code`], a severity, spans, a message and a fix hint.
//!
//! Every stage (parse, check, line protocol, handler files, tests) reports
//! [`Diag`] values; rendering to human, JSON or GitHub output lives in
//! [`render`] only.

mod codes;
pub mod documents;
pub mod render;
pub mod source;

pub use codes::{Code, CodeInfo};

use crate::span::Span;
use std::fmt;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A lint: the script works, but probably not as meant.
    Warning,
    /// The script cannot run as written.
    Error,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One finding about one source text.
#[derive(Debug, Clone, PartialEq)]
pub struct Diag {
    /// The stable code (`E203`, `W001`, ...).
    pub code: Code,
    /// Error or warning (lints are warnings).
    pub severity: Severity,
    /// One-line statement of what is wrong.
    pub message: String,
    /// The primary location.
    pub span: Span,
    /// Text shown under the primary location.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    /// Secondary locations with their labels (e.g. the first definition).
    pub related: Vec<(Span, String)>,
}

impl Diag {
    /// An error with `code` at `span`; its severity comes from the code.
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diag {
            code,
            severity: code.severity(),
            message: message.into(),
            span,
            label: None,
            help: None,
            related: Vec::new(),
        }
    }

    /// Adds the label shown under the primary span.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    /// Adds a fix hint.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds a secondary labelled location.
    pub fn with_related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push((span, label.into()));
        self
    }

    /// True for errors (not warnings).
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag {}

impl miette::Diagnostic for Diag {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Warning => miette::Severity::Warning,
            Severity::Error => miette::Severity::Error,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let primary = miette::LabeledSpan::new_primary_with_span(self.label.clone(), self.span);
        let related = self
            .related
            .iter()
            .map(|(span, label)| miette::LabeledSpan::new_with_span(Some(label.clone()), *span));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}
