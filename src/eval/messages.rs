//! Texts of static diagnostics, and rendering of arguments for Kapacitor's messages.

use super::types::StaticType;
use crate::ast::{BinOp, Expr, ExprKind, UnaryOp};

/// Message and help for an operator that never accepts this type.
pub(crate) fn invalid_operator_text(op: BinOp, t: StaticType) -> (String, String) {
    let sym = op.symbol();
    let message = format!("operator `{sym}` is not defined for {t}");
    let help = match op {
        BinOp::Mod => "`%` works on integers only; use mod(x, y) for floats".to_string(),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge if t == StaticType::Bool => {
            "booleans can only be compared with == and != (did `!` bind tighter than intended?)".to_string()
        }
        BinOp::And | BinOp::Or => format!("`{sym}` needs boolean operands on both sides, e.g. a comparison"),
        BinOp::RegexMatch | BinOp::RegexNotMatch => format!("`{sym}` takes a string on the left and a /regex/ on the right"),
        _ => format!("a {t} cannot be used with `{sym}`"),
    };
    (message, help)
}

/// `write 10.0 or use float()/int()`, naming the int literal when there is one.
pub(crate) fn mixed_help(lhs: &Expr, rhs: &Expr) -> String {
    let literal = [lhs, rhs].into_iter().find_map(|e| match e.kind {
        ExprKind::Int(i) => Some(i),
        _ => None,
    });
    match literal {
        Some(i) => format!("write {i}.0 or use float()/int()"),
        None => "convert one side with float() or int()".to_string(),
    }
}

/// A short source-like rendering of an argument, for Kapacitor's signature errors.
pub(crate) fn render(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Float(f) => crate::gofmt::v_float(*f),
        ExprKind::Duration(d) => crate::gofmt::influxql_duration(*d),
        ExprKind::Str(s) => format!("'{s}'"),
        ExprKind::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        ExprKind::Regex(p) => format!("/{p}/"),
        ExprKind::Ref(r) => format!("\"{r}\""),
        ExprKind::Ident(name) => name.clone(),
        ExprKind::Call { name, args } => {
            let inner: Vec<String> = args.iter().map(render).collect();
            format!("{}({})", name.name, inner.join(", "))
        }
        ExprKind::Unary { op, expr } => format!("{}{}", if *op == UnaryOp::Neg { "-" } else { "!" }, render(expr)),
        ExprKind::Binary { op, lhs, rhs, .. } => format!("{} {} {}", render(lhs), op.symbol(), render(rhs)),
        _ => "expression".to_string(),
    }
}
