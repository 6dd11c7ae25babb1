//! Builds the matcher of a handler file, reporting errors at the file's line and column.

use crate::handler::matching::MatchExpr;
use crate::handler::{HandlerFile, Matcher};

/// The matcher for `file`'s `match:` (None when it has none), or a `file:line:col` error.
pub fn for_file(file: &HandlerFile) -> Result<Option<Box<dyn Matcher>>, String> {
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
            Err(format!(
                "{}:{}:{column}: error[{}]: {}{help}",
                file.path.display(),
                expr.line + line - 1,
                d.code.as_str(),
                d.message
            ))
        }
    }
}
