//! Lambdas in the checker: variable substitution, static typing, constant folding.

use super::catalog::Kind;
use super::chain::Walker;
use super::scope::{CVal, Scope};
use crate::ast::{Expr, ExprKind};
use crate::diagnostic::{Code, Diag};
use crate::eval::{self, CompileOptions, EvalError, Lambda};
use crate::span::Span;
use crate::value::Value;

/// `body` with every variable replaced by its value (Kapacitor does this at definition time).
pub fn substitute(body: &Expr, scope: &mut Scope, diags: &mut Vec<Diag>) -> Expr {
    let mut out = body.clone();
    replace_idents(&mut out, scope, diags);
    out
}

fn replace_idents(expr: &mut Expr, scope: &mut Scope, diags: &mut Vec<Diag>) {
    match &mut expr.kind {
        ExprKind::Ident(name) => {
            let span = expr.span;
            // An undefined name becomes a reference so it is reported once, not again by the type checker.
            let name = name.clone();
            expr.kind = ident_replacement(&name, span, scope, diags).unwrap_or(ExprKind::Ref(name));
        }
        ExprKind::Unary { expr: inner, .. } | ExprKind::Lambda(inner) => replace_idents(inner, scope, diags),
        ExprKind::Binary { lhs, rhs, .. } => {
            replace_idents(lhs, scope, diags);
            replace_idents(rhs, scope, diags);
        }
        ExprKind::Call { args, .. } | ExprKind::List(args) => {
            args.iter_mut().for_each(|a| replace_idents(a, scope, diags));
        }
        _ => {}
    }
}

fn ident_replacement(name: &str, span: Span, scope: &mut Scope, diags: &mut Vec<Diag>) -> Option<ExprKind> {
    let Some(value) = scope.get(name).cloned() else {
        diags.push(
            Diag::new(Code::UndefinedVar, span, format!("`{name}` is not defined"))
                .with_label("undefined name in lambda")
                .with_help(format!("a field or tag is written in double quotes: \"{name}\"; a var must be declared before use")),
        );
        return None;
    };
    let kind = match value {
        CVal::Const { value: Some(v), .. } => literal(&v),
        CVal::Const { kind, value: None } => default_literal(kind),
        CVal::Lambda(body) => return Some(body.kind),
        CVal::Ref(r) => ExprKind::Ref(r),
        CVal::Error => return None,
        other => {
            diags.push(
                Diag::new(Code::ArgKind, span, format!("`{name}` holds {}, which cannot be used in a lambda", other.describe()))
                    .with_label("not a value"),
            );
            return None;
        }
    };
    Some(kind)
}

fn literal(value: &Value) -> ExprKind {
    match value {
        Value::Bool(b) => ExprKind::Bool(*b),
        Value::Int(i) => ExprKind::Int(*i),
        Value::Float(f) => ExprKind::Float(*f),
        Value::Str(s) => ExprKind::Str(s.to_string()),
        Value::Duration(d) => ExprKind::Duration(*d),
        Value::Regex(r) => ExprKind::Regex(r.as_str().to_string()),
        Value::Time(t) => ExprKind::Int(*t),
        Value::Missing => ExprKind::Bool(false),
    }
}

fn default_literal(kind: Kind) -> ExprKind {
    match kind {
        Kind::Int => ExprKind::Int(0),
        Kind::Float => ExprKind::Float(0.0),
        Kind::Duration => ExprKind::Duration(0),
        Kind::Str => ExprKind::Str(String::new()),
        Kind::Regex => ExprKind::Regex(String::new()),
        _ => ExprKind::Bool(false),
    }
}

/// Type-checks a lambda used as an argument; `predicate` requires a boolean.
pub fn check(walker: &mut Walker, body: &Expr, predicate: bool) {
    let opts = CompileOptions::default();
    let diags = if predicate {
        eval::check_predicate(body, &opts)
    } else {
        Lambda::compile(body, &opts).err().unwrap_or_default()
    };
    diags.into_iter().for_each(|d| walker.report(d));
}

/// Evaluates a top-level operator expression (`var x = 5 * 2`) to a constant.
pub fn fold_constant(expr: &Expr, scope: &mut Scope, diags: &mut Vec<Diag>) -> CVal {
    let before = diags.len();
    let body = substitute(expr, scope, diags);
    if diags.len() > before {
        return CVal::Error;
    }
    let mut lambda = match Lambda::compile(&body, &CompileOptions::default()) {
        Ok(l) => l,
        Err(mut errs) => {
            diags.append(&mut errs);
            return CVal::Error;
        }
    };
    if !lambda.references().is_empty() {
        diags.push(
            Diag::new(Code::ArgKind, expr.span, "field references outside a lambda have no value")
                .with_help("wrap the expression in `lambda:`"),
        );
        return CVal::Error;
    }
    match lambda.eval(&NoPoint) {
        Ok(value) => CVal::Const { kind: kind_of(&value), value: Some(value) },
        Err(err) => {
            diags.push(Diag::new(Code::TypeMismatch, expr.span, err.message));
            CVal::Error
        }
    }
}

fn kind_of(value: &Value) -> Kind {
    match value {
        Value::Bool(_) => Kind::Bool,
        Value::Int(_) => Kind::Int,
        Value::Float(_) => Kind::Float,
        Value::Str(_) => Kind::Str,
        Value::Duration(_) => Kind::Duration,
        Value::Regex(_) => Kind::Regex,
        Value::Time(_) | Value::Missing => Kind::Any,
    }
}

/// The empty scope constant expressions are evaluated in.
struct NoPoint;

impl eval::Scope for NoPoint {
    fn time(&self) -> i64 {
        0
    }

    fn lookup(&self, _name: &str) -> Result<Value, EvalError> {
        Ok(Value::Missing)
    }
}
