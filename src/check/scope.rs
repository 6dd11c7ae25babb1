//! Variable bindings and the values the checker computes for expressions.

use super::catalog::Kind;
use crate::ast::{Expr, ExprKind, Stmt};
use crate::span::Span;
use crate::value::Value;
use std::collections::HashMap;

/// What the checker knows about an expression's value.
#[derive(Debug, Clone)]
pub enum CVal {
    /// A pipeline node (index into the program).
    Node(usize),
    /// A constant of known kind; `value` is None for template vars.
    Const { kind: Kind, value: Option<Value> },
    /// A double-quoted reference outside a lambda.
    Ref(String),
    /// A lambda body with variables substituted.
    Lambda(Expr),
    /// `*`.
    Star,
    /// A list of values.
    List(Vec<(CVal, Span)>),
    /// A global function call such as `time(1m)`.
    Call(String, Vec<(CVal, Span)>),
    /// Already reported as an error.
    Error,
}

impl CVal {
    /// Describes the value's kind for messages: "an int", "a string", ...
    pub fn describe(&self) -> String {
        match self {
            CVal::Node(_) => "a node".into(),
            CVal::Const { kind, .. } => kind_article(*kind).into(),
            CVal::Ref(name) => format!("the field reference \"{name}\""),
            CVal::Lambda(_) => "a lambda".into(),
            CVal::Star => "`*`".into(),
            CVal::List(_) => "a list".into(),
            CVal::Call(name, _) => format!("a call of {name}()"),
            CVal::Error => "an invalid value".into(),
        }
    }
}

/// "an int", "a duration", ... for a kind.
pub fn kind_article(kind: Kind) -> &'static str {
    match kind {
        Kind::Int => "an int",
        Kind::Float => "a float",
        Kind::Str => "a string",
        Kind::Bool => "a boolean",
        Kind::Duration => "a duration",
        Kind::Lambda => "a lambda",
        Kind::Regex => "a regex",
        Kind::Star => "`*`",
        Kind::Dimension => "a tag name or `*`",
        Kind::StrList => "a list of strings",
        Kind::Node => "a node",
        Kind::Any => "a value",
    }
}

/// One declared variable.
#[derive(Debug, Clone)]
pub struct Binding {
    /// Its value.
    pub value: CVal,
    /// The declared name's span.
    pub span: Span,
    /// Set when the variable is read.
    pub used: bool,
}

/// The variables in scope, predefined ones included.
#[derive(Debug, Default)]
pub struct Scope {
    vars: HashMap<String, Binding>,
}

impl Scope {
    /// Declares `name`; returns the earlier binding's span if it already existed.
    pub fn declare(&mut self, name: &str, value: CVal, span: Span) -> Result<(), Span> {
        if let Some(old) = self.vars.get(name) {
            return Err(old.span);
        }
        self.vars.insert(name.to_string(), Binding { value, span, used: false });
        Ok(())
    }

    /// Declares a predefined name (no span, never reported unused).
    pub fn predefine(&mut self, name: &str, value: CVal) {
        self.vars.insert(name.to_string(), Binding { value, span: Span::default(), used: true });
    }

    /// Reads `name`, marking it used.
    pub fn get(&mut self, name: &str) -> Option<&CVal> {
        self.vars.get_mut(name).map(|b| {
            b.used = true;
            &b.value
        })
    }

    /// Names in scope, for did-you-mean.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.vars.keys().map(String::as_str)
    }

    /// Declared variables that were never read, with their values, in source order.
    pub fn unused(&self) -> Vec<(&str, &CVal, Span)> {
        let mut unused: Vec<_> = self
            .vars
            .iter()
            .filter(|(_, b)| !b.used && b.span != Span::default())
            .map(|(n, b)| (n.as_str(), &b.value, b.span))
            .collect();
        unused.sort_by_key(|(_, _, s)| s.start);
        unused
    }
}

/// The left-most identifier of a statement's expression (`stream` in `stream|from()`).
pub fn leftmost_ident(stmt: &Stmt) -> Option<(&str, Span)> {
    let expr = match stmt {
        Stmt::Var { value, .. } => value,
        Stmt::Expr(expr) => expr,
        _ => return None,
    };
    leftmost(expr)
}

fn leftmost(expr: &Expr) -> Option<(&str, Span)> {
    match &expr.kind {
        ExprKind::Ident(name) => Some((name, expr.span)),
        ExprKind::Chain { head, .. } => leftmost(head),
        _ => None,
    }
}
