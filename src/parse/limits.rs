//! Limits that keep parsing and later tree walks from exhausting the stack.

use super::{scan, Rule};
use crate::diagnostic::{Code, Diag};
use crate::span::Span;
use pest::iterators::Pair;

/// Deepest accepted nesting of `(` and `[`.
pub(super) const MAX_NESTING: usize = 200;

/// Deepest accepted expression tree (operators, unary operators, nesting).
pub(super) const MAX_DEPTH: usize = 1000;

/// Rejects brackets nested deeper than [`MAX_NESTING`] before pest recurses into them.
pub(super) fn check_nesting(source: &str) -> Result<(), Diag> {
    match scan::too_deep(source, MAX_NESTING) {
        Some(at) => Err(Diag::new(
            Code::Syntax,
            Span::new(at, at + 1),
            format!("brackets nested more than {MAX_NESTING} levels deep"),
        )
        .with_label("too deeply nested")
        .with_help("split the expression into several `var` declarations")),
        None => Ok(()),
    }
}

/// Rejects a statement whose expression tree would be deeper than [`MAX_DEPTH`].
pub(super) fn check_depth(stmt: &Pair<'_, Rule>) -> Result<(), Diag> {
    if depth_bound(stmt.clone()) <= MAX_DEPTH {
        return Ok(());
    }
    let s = stmt.as_span();
    Err(Diag::new(
        Code::Syntax,
        Span::new(s.start(), s.end()),
        format!("expression more than {MAX_DEPTH} levels deep"),
    )
    .with_label("too many operators in one expression")
    .with_help("split the expression into several `var` declarations"))
}

/// An upper bound of the depth of the AST lowered from `pair`: a binary with
/// n operators can be n levels deep, and each unary operator adds one.
fn depth_bound(pair: Pair<'_, Rule>) -> usize {
    let own = match pair.as_rule() {
        Rule::binary => pair.clone().into_inner().count() / 2,
        Rule::operand => pair.clone().into_inner().count().saturating_sub(1),
        _ => 1,
    };
    own + pair.into_inner().map(depth_bound).max().unwrap_or(0)
}
