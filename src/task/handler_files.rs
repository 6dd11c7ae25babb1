//! Topic-handler files, loaded once for every face: the action checked and
//! the `match` expression compiled, errors at the file's line and column.

use crate::handler::matching::MatchExpr;
use crate::handler::{self, HandlerAction, HandlerFile, Matcher};
use std::path::Path;
use std::time::Duration;

/// A handler file, loaded and compiled.
#[derive(Clone)]
pub struct FileHandler {
    /// The name handlers are reported under: `id (path)`.
    pub name: String,
    /// The topic it listens on.
    pub topic: String,
    /// What it does.
    pub action: HandlerAction,
    /// The file (its `match` is compiled again for each dispatcher).
    pub file: HandlerFile,
}

impl FileHandler {
    /// Checks `file`'s action and `match`; the error is `file:line:col: error[CODE]: ...`.
    pub fn load(file: HandlerFile, exec_timeout: Duration) -> Result<FileHandler, String> {
        let action = handler::action_for(&file, exec_timeout).map_err(|e| e.to_string())?;
        compile_match(&file)?;
        let name = format!("{} ({})", file.id, file.path.display());
        Ok(FileHandler { name, topic: file.topic.clone(), action, file })
    }

    /// A fresh matcher for its `match` (None when it has none).
    pub fn matcher(&self) -> Option<Box<dyn Matcher>> {
        compile_match(&self.file).ok().flatten()
    }
}

/// Loads every handler file of `dir`: the good ones, and a message per bad one.
pub fn load_dir(dir: &Path, exec_timeout: Duration) -> (Vec<FileHandler>, Vec<String>) {
    let (files, errors) = handler::load_handler_dir(dir);
    let mut problems: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    let mut loaded = Vec::new();
    for file in files {
        match FileHandler::load(file, exec_timeout) {
            Ok(h) => loaded.push(h),
            Err(e) => problems.push(e),
        }
    }
    (loaded, problems)
}

/// The matcher for `file`'s `match:` (None when it has none), or a `file:line:col` error.
pub fn compile_match(file: &HandlerFile) -> Result<Option<Box<dyn Matcher>>, String> {
    let Some(expr) = &file.match_expr else {
        return Ok(None);
    };
    match MatchExpr::compile(&expr.text) {
        Ok(m) => Ok(Some(Box::new(m))),
        Err(diags) => {
            let d = &diags[0];
            let (line, col) = crate::span::line_col(&expr.text, d.span.start);
            let column = if line == 1 { expr.column + col - 1 } else { col };
            let help = d.help.as_deref().map(|h| format!("\n  help: {h}")).unwrap_or_default();
            Err(format!("{}:{}:{column}: error[{}]: {}{help}", file.path.display(), expr.line + line - 1, d.code.as_str(), d.message))
        }
    }
}
