//! The lambda evaluator: compiles a lambda body once, then evaluates it per point.
//!
//! Semantics follow Kapacitor 1.5.7 (`tick/stateful`, reference §6): exact
//! operator table, no int/float promotion in arithmetic, Kapacitor's error
//! texts at run time, and exact builtin signatures. Static errors are
//! collected as [`Diag`]s with precise spans at compile time.
//!
//! Deliberate differences from Kapacitor:
//! - `"time"` and the time functions use UTC, not the server's local zone.
//! - Integer division or modulo by zero is the evaluation error
//!   `integer divide by zero` (Kapacitor panics, and crashes in predicates);
//!   `strSubstring` with start > stop is an error too.
//! - A right operand of AND/OR that is not statically boolean is evaluated
//!   in full before use (Kapacitor only computes its type); this only
//!   differs when that operand has a side effect or fails differently.
//!
//! Performance: `"usage_idle" < 10` is compiled to a `RefCompare` node and
//! evaluates without allocating. Measured with a 20M-iteration loop over
//! `eval_bool` on a 3-field/2-tag point (release, thread CPU time from
//! /proc/thread-self/schedstat, on a heavily loaded 2-core box): ~31 ns per
//! evaluation, of which ~15 ns is the field/tag lookup; `"host" == 'serverA'`
//! ~37 ns; `"host" == 'serverA' AND sigma("v") > 2.0` ~125 ns.
//! Since issue 5: the reference is borrowed from the point ([`Found`]), a
//! string constant is compared in place, and [`Lambda::eval_bool`] on a
//! `RefCompare` root is generic over the scope (no virtual call for a point):
//! `"host" != 'h0'` costs ~190 instructions per point (callgrind), from ~370.

mod compile;
mod functions;
mod messages;
mod node;
mod ops;
mod regex;
mod scope;
mod signatures;
mod stateful;
mod strings;
mod types;

#[cfg(test)]
mod fast_tests;
#[cfg(test)]
mod tests;

pub use self::regex::compile_go_regex;
pub use crate::point::same_name;
pub use scope::{Found, Scope};
pub use types::StaticType;

use crate::ast::Expr;
use crate::diagnostic::{Code, Diag};
use crate::value::Value;
use std::fmt;
use std::sync::Arc;

/// An evaluation failure, worded as Kapacitor words it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    /// The message (Kapacitor's text where one exists).
    pub message: String,
}

impl EvalError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        EvalError { message: message.into() }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for EvalError {}

/// What a lambda body may use besides references and builtins.
#[derive(Debug, Clone, Default)]
pub struct CompileOptions {
    /// Identifiers allowed in the body and their values (e.g. `OK`..`CRITICAL` in match).
    pub idents: Vec<(String, Value)>,
    /// Zero-argument functions answered by [`Scope::call_extra`], with their result types.
    pub extra_functions: Vec<(String, StaticType)>,
}

/// A compiled lambda. Cloning gives a copy with fresh stateful-function state
/// (Kapacitor copies expressions per group).
#[derive(Debug)]
pub struct Lambda {
    root: node::Node,
    static_type: StaticType,
    references: Vec<String>,
}

impl Clone for Lambda {
    fn clone(&self) -> Self {
        let mut root = self.root.clone();
        root.reset();
        Lambda { root, static_type: self.static_type, references: self.references.clone() }
    }
}

impl Lambda {
    /// Compiles a lambda body; every static error, with its span, on failure.
    pub fn compile(body: &Expr, opts: &CompileOptions) -> Result<Lambda, Vec<Diag>> {
        let mut compiler = compile::Compiler::new(opts);
        let (mut root, static_type) = compiler.expr(body);
        if !compiler.diags.is_empty() {
            return Err(compiler.diags);
        }
        let references = compiler.refs;
        let shared: Arc<[String]> = Arc::from(references.clone());
        root.set_scope_refs(&shared);
        Ok(Lambda { root, static_type, references })
    }

    /// Evaluates against one point.
    pub fn eval(&mut self, scope: &dyn Scope) -> Result<Value, EvalError> {
        self.root.eval(scope)
    }

    /// Evaluates a predicate; a non-boolean result is an error worded as Kapacitor's.
    /// Generic so that `"ref" <op> constant` on a point runs without a virtual call.
    #[inline]
    pub fn eval_bool<S: Scope>(&mut self, scope: &S) -> Result<bool, EvalError> {
        if let node::Node::RefCompare(op, name, k) = &self.root {
            return node::ref_compare(*op, name, k, scope);
        }
        self.eval_bool_dyn(scope)
    }

    /// [`Lambda::eval_bool`] for every other root.
    fn eval_bool_dyn(&mut self, scope: &dyn Scope) -> Result<bool, EvalError> {
        match self.root.eval_test(scope)? {
            Ok(b) => Ok(b),
            Err(other) => {
                let t = StaticType::of(&other);
                Err(EvalError::new(match &self.root {
                    node::Node::Binary(..) => {
                        format!("expression returned unexpected type {}", types::go_type_name(t))
                    }
                    _ => format!("TypeGuard: expression returned unexpected type {t}, expected boolean"),
                }))
            }
        }
    }

    /// The result type known before evaluation (`Unknown` when it depends on references).
    pub fn static_type(&self) -> StaticType {
        self.static_type
    }

    /// The references (`"x"`) the lambda reads, in first-seen order.
    pub fn references(&self) -> Vec<String> {
        self.references.clone()
    }

    /// Clears the state of stateful functions (`count`, `sigma`, `spread`).
    pub fn reset(&mut self) {
        self.root.reset();
    }
}

/// True when the root operator of `body` is arithmetic (`+ - * / %`, unary `-`).
fn never_boolean(body: &Expr) -> bool {
    use crate::ast::{ExprKind, UnaryOp};
    match &body.kind {
        ExprKind::Binary { op, .. } => !op.is_boolean(),
        ExprKind::Unary { op: UnaryOp::Neg, .. } => true,
        ExprKind::Lambda(inner) => never_boolean(inner),
        _ => false,
    }
}

/// Compiles `body` and requires a boolean result; every static problem as a diagnostic.
pub fn check_predicate(body: &Expr, opts: &CompileOptions) -> Vec<Diag> {
    match Lambda::compile(body, opts) {
        Err(diags) => diags,
        Ok(lambda) => {
            let t = lambda.static_type();
            if !t.is_known() && never_boolean(body) {
                let diag = Diag::new(Code::NotBoolean, body.span, "this arithmetic expression can never be boolean")
                    .with_label("a number, string or duration, not a boolean")
                    .with_help("compare the result, e.g. \"usage_idle\" + 10.0 > 50.0");
                return vec![diag];
            }
            if !t.is_known() || t == StaticType::Bool {
                return Vec::new();
            }
            let diag = Diag::new(Code::NotBoolean, body.span, format!("expression is {t}, not boolean"))
                .with_label(format!("this is a {t}"))
                .with_help("a predicate must be a comparison or a logical expression, e.g. \"value\" > 10.0");
            vec![diag]
        }
    }
}
