//! `tick fmt`: TICKscript formatting byte-identical to Kapacitor 1.5.7's `tickfmt`.
//!
//! [`lex`] and [`parse`] follow Kapacitor's own lexer and parser closely enough that comments
//! attach to the same nodes (Kapacitor drops some comments; so do we); [`print`] applies its
//! layout rules. A script Kapacitor's parser rejects is reported with tick's own parser's
//! diagnostic (the same one `tick check` shows).

pub mod lex;
pub mod node;
pub mod parse;
pub mod print;

use crate::diagnostic::{Code, Diag};
use crate::span::Span;

/// Formats `source` as `tickfmt` does, or returns the syntax error.
pub fn format(source: &str) -> Result<String, Diag> {
    match parse_nodes(source) {
        Ok(nodes) => {
            let mut out = String::with_capacity(source.len() + source.len() / 4);
            print::program(&nodes, &mut out);
            Ok(out)
        }
        Err(err) => Err(diagnose(source, err)),
    }
}

fn parse_nodes(source: &str) -> Result<Vec<node::Node>, parse::ParseError> {
    let tokens = lex::lex(source).map_err(|e| parse::ParseError { pos: e.pos, message: e.message })?;
    parse::program(source, &tokens)
}

/// The diagnostic for a script Kapacitor's parser rejects: tick's parser's, when it agrees.
fn diagnose(source: &str, err: parse::ParseError) -> Diag {
    match crate::parse::parse(source) {
        Err(diag) => diag,
        Ok(_) => {
            let end = source[err.pos..].chars().next().map_or(err.pos, |c| err.pos + c.len_utf8());
            Diag::new(Code::Syntax, Span::new(err.pos, end), format!("syntax error: {}", err.message))
                .with_label("Kapacitor's parser stops here")
                .with_help("tickfmt cannot format this script; Kapacitor would reject it too")
        }
    }
}

#[cfg(test)]
mod tests;
