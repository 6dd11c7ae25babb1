//! The TICKscript parser: pest grammar (`grammar/tickscript.pest`) → [`crate::ast`].
//!
//! pest types never leave this module. Parsing stops at the first error,
//! reported as one [`Diag`] with a stable code (E003, E101-E107).

mod errors;
mod lexerr;
mod limits;
mod literal;
mod lower;
mod scan;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_errors;

use crate::ast::{Expr, Script};
use crate::diagnostic::{Code, Diag};
use crate::span::Span;
use pest::Parser;

mod grammar {
    //! The parser generated from the grammar; its `Rule` enum stays private to `parse`.
    #![allow(missing_docs)]

    /// pest parser for `grammar/tickscript.pest`.
    #[derive(pest_derive::Parser)]
    #[grammar = "grammar/tickscript.pest"]
    pub(super) struct TickParser;
}

use grammar::{Rule, TickParser};

/// Parses a whole TICKscript into its syntax tree.
pub fn parse(source: &str) -> Result<Script, Diag> {
    limits::check_nesting(source)?;
    let pairs = run(Rule::script, source)?;
    let script = lower::script(source, pairs)?;
    if script.stmts.is_empty() {
        let diag = Diag::new(Code::EmptyScript, Span::new(0, 0), "script is empty")
            .with_label("no statement here")
            .with_help("a TICKscript needs at least one statement, e.g. `stream|from()`");
        return Err(diag);
    }
    Ok(script)
}

/// Parses a bare lambda body with no `lambda:` prefix (topic-handler `match:`).
pub fn parse_lambda_body(source: &str) -> Result<Expr, Diag> {
    limits::check_nesting(source)?;
    let pairs = run(Rule::lambda_body, source)?;
    lower::lambda_body(source, pairs)
}

/// Guards pest's process-wide error-detail switch: valid scripts parse with it
/// off (shared lock); a failing parse is repeated with it on (exclusive lock),
/// so messages can name punctuation (`)`, `,`) deterministically. Detail costs
/// about 2.5x the parse time, so only failures pay for it.
static ERROR_DETAIL: std::sync::RwLock<()> = std::sync::RwLock::new(());

/// Runs pest.
fn run(rule: Rule, source: &str) -> Result<pest::iterators::Pairs<'_, Rule>, Diag> {
    {
        let _shared = ERROR_DETAIL.read().unwrap_or_else(|p| p.into_inner());
        if let Ok(pairs) = TickParser::parse(rule, source) {
            return Ok(pairs);
        }
    }
    let _exclusive = ERROR_DETAIL.write().unwrap_or_else(|p| p.into_inner());
    pest::set_error_detail(true);
    let result = TickParser::parse(rule, source).map_err(|e| errors::from_pest(source, e));
    pest::set_error_detail(false);
    result
}
