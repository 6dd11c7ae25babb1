//! Restrictions that come from Kapacitor's two-state lexer (`lex.go`), checked
//! on the parse tree: the grammar itself only describes valid tokens.
//!
//! After a comment, a regex or `*`, the lexer is in operand state where only
//! `AND`, `OR` and `-` still read as binary operators. After `AND`, `OR` and
//! `lambda:` it is in operator state, where `/` and `*` are operators.

use super::{Lowerer, Result};
use crate::diagnostic::{Code, Diag};
use crate::parse::Rule;
use crate::span::Span;
use pest::iterators::Pair;

impl Lowerer<'_> {
    /// Checks every operator of a `binary` pair against the lexer state before it.
    pub(super) fn check_operators(&self, binary: &Pair<'_, Rule>) -> Result<()> {
        let parts: Vec<_> = binary.clone().into_inner().collect();
        for i in (1..parts.len().saturating_sub(1)).step_by(2) {
            let (prev, op, next) = (&parts[i - 1], &parts[i], &parts[i + 1]);
            let rule = op.as_rule();
            if !matches!(rule, Rule::op_and | Rule::op_or | Rule::op_sub) {
                let gap = &self.src[prev.as_span().end()..op.as_span().start()];
                if gap.contains("//") {
                    return Err(operator_error(op, "a comment"));
                }
                if ends_in_operand_state(prev) {
                    return Err(operator_error(op, "a regex or `*`"));
                }
            }
            if matches!(rule, Rule::op_and | Rule::op_or) {
                self.check_after_keyword(op.as_str(), next)?;
            }
        }
        Ok(())
    }

    /// Rejects a regex or `*` directly after `AND`, `OR` or `lambda:`.
    pub(super) fn check_after_keyword(&self, keyword: &str, operand: &Pair<'_, Rule>) -> Result<()> {
        let at = operand.as_span().start();
        match self.src[at..].chars().next() {
            Some(c @ ('/' | '*')) => Err(Diag::new(
                Code::Syntax,
                Span::new(at, at + 1),
                format!("expected an operand after `{keyword}`, found `{c}`"),
            )
            .with_label(format!("Kapacitor reads `{c}` right after `{keyword}` as an operator"))
            .with_help("wrap the operand in parentheses")),
            _ => Ok(()),
        }
    }
}

/// True when an operand's last token leaves Kapacitor's lexer in operand state.
fn ends_in_operand_state(operand: &Pair<'_, Rule>) -> bool {
    operand.clone().into_inner().last().is_some_and(|p| matches!(p.as_rule(), Rule::regex | Rule::star))
}

fn operator_error(op: &Pair<'_, Rule>, after: &str) -> Diag {
    let s = op.as_span();
    Diag::new(Code::IllegalChar, Span::new(s.start(), s.end()), format!("`{}` cannot follow {after}", op.as_str()))
        .with_label(format!("after {after} Kapacitor only accepts AND, OR or - here"))
        .with_help("move the operator onto the line of its left operand, or wrap the left operand in parentheses")
}
