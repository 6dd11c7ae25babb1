//! [`HandlerFileError`]: one problem in one topic-handler file.

use super::tree::Pos;
use crate::diagnostic::{Code, Diag};
use crate::span::Span;
use std::fmt;
use std::path::{Path, PathBuf};

/// One problem in one handler file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerFileError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line (0: the whole file).
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// Byte span in the file.
    pub span: Span,
    /// E601 syntax, E602 spec, E603 option.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl HandlerFileError {
    pub(crate) fn new(path: &Path, pos: Pos, code: Code, message: impl Into<String>) -> Self {
        HandlerFileError { path: path.to_path_buf(), line: pos.line, column: pos.column, span: pos.span, code, message: message.into(), help: None }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The error as a [`Diag`] whose span points into the file's text.
    pub fn to_diag(&self) -> Diag {
        let diag = Diag::new(self.code, self.span, self.message.clone());
        match &self.help {
            Some(help) => diag.with_help(help.clone()),
            None => diag,
        }
    }
}

impl fmt::Display for HandlerFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: error[{}]: {}", self.path.display(), self.line, self.column, self.code.as_str(), self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}
