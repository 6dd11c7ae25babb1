//! The compiled expression tree and its evaluation.
//!
//! Literals are converted once at compile time; a reference is looked up by
//! `&str` in the point; the happy path of `"usage_idle" < 10` allocates
//! nothing (see the timing note in `mod.rs`).

use super::ops::{self, OpFail};
use super::signatures::{self, Sig};
use super::stateful::State;
use super::types::{binary_error, StaticType};
use super::{same_name, EvalError, Found, Scope};
use crate::ast::{BinOp, UnaryOp};
use crate::value::{FieldValue, Value};

/// A compiled expression node.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// A literal, or an identifier replaced by its value.
    Const(Value),
    /// A field or tag reference.
    Ref(Box<str>),
    /// The `"time"` reference: the point time.
    Time,
    /// `-x` or `!x`.
    Unary(UnaryOp, Box<Node>),
    /// `AND` / `OR`; the flag says whether the right side is statically boolean
    /// (only then does the short-circuit protect it, as in Kapacitor).
    Logical(BinOp, Box<Node>, Box<Node>, bool),
    /// Every other binary operator.
    Binary(BinOp, Box<Node>, Box<Node>),
    /// The hot path `"ref" <op> constant` for comparisons (same semantics as `Binary`).
    RefCompare(BinOp, Box<str>, Value),
    /// A builtin call.
    Call(Box<CallNode>),
    /// A zero-argument function provided by the scope (`changed()`, `level()` in match).
    Extra(Box<str>),
}

/// A builtin call site, with its own state for stateful functions.
#[derive(Debug, Clone)]
pub(crate) struct CallNode {
    /// Function name.
    pub name: Box<str>,
    /// Its signatures.
    pub sigs: &'static [Sig],
    /// Compiled arguments.
    pub args: Vec<Node>,
    /// Argument source texts, for Kapacitor's signature error.
    pub arg_texts: Vec<String>,
    /// State of `count`, `sigma` and `spread`.
    pub state: Option<State>,
    /// The lambda's references, for the missing-argument error.
    pub scope_refs: std::sync::Arc<[String]>,
}

/// Most arguments any builtin takes.
const MAX_ARGS: usize = 4;

impl Node {
    /// The reference name when the node is a plain field/tag reference.
    fn ref_name(&self) -> Option<&str> {
        match self {
            Node::Ref(name) => Some(name),
            Node::Time => Some("time"),
            _ => None,
        }
    }

    /// Gives every call site the list of the lambda's references.
    pub(crate) fn set_scope_refs(&mut self, refs: &std::sync::Arc<[String]>) {
        match self {
            Node::Unary(_, n) => n.set_scope_refs(refs),
            Node::Logical(_, l, r, _) | Node::Binary(_, l, r) => {
                l.set_scope_refs(refs);
                r.set_scope_refs(refs);
            }
            Node::Call(call) => {
                call.scope_refs = refs.clone();
                call.args.iter_mut().for_each(|a| a.set_scope_refs(refs));
            }
            Node::Const(_) | Node::Ref(_) | Node::Time | Node::Extra(_) | Node::RefCompare(..) => {}
        }
    }

    /// Resets every stateful function below this node.
    pub(crate) fn reset(&mut self) {
        match self {
            Node::Unary(_, n) => n.reset(),
            Node::Logical(_, l, r, _) | Node::Binary(_, l, r) => {
                l.reset();
                r.reset();
            }
            Node::Call(call) => {
                if let Some(state) = &mut call.state {
                    state.reset();
                }
                call.args.iter_mut().for_each(Node::reset);
            }
            Node::Const(_) | Node::Ref(_) | Node::Time | Node::Extra(_) | Node::RefCompare(..) => {}
        }
    }

    /// Evaluates a node expected to be boolean: `Ok(Ok(b))` for a boolean,
    /// `Ok(Err(value))` for any other value. Avoids building a [`Value`] on the hot path.
    pub(crate) fn eval_test(&mut self, scope: &dyn Scope) -> Result<Result<bool, Value>, EvalError> {
        match self {
            Node::RefCompare(op, name, k) => ref_compare(*op, name, k, scope).map(Ok),
            Node::Logical(op, l, r, rhs_bool) => eval_logical(*op, l, r, *rhs_bool, scope).map(Ok),
            _ => match self.eval(scope)? {
                Value::Bool(b) => Ok(Ok(b)),
                other => Ok(Err(other)),
            },
        }
    }

    /// Evaluates the node against one point.
    pub(crate) fn eval(&mut self, scope: &dyn Scope) -> Result<Value, EvalError> {
        match self {
            Node::Const(v) => Ok(v.clone()),
            Node::Ref(name) => scope.lookup(name),
            Node::Time => Ok(Value::Time(scope.time())),
            Node::Unary(op, n) => {
                let v = n.eval(scope)?;
                if matches!(v, Value::Missing) {
                    let name = n.ref_name().unwrap_or("?");
                    return Err(EvalError::new(format!("reference value \"{name}\" is missing value")));
                }
                ops::unary(*op, v).map_err(EvalError::new)
            }
            Node::Logical(op, l, r, rhs_bool) => eval_logical(*op, l, r, *rhs_bool, scope).map(Value::Bool),
            Node::Binary(op, l, r) => eval_binary(*op, l, r, scope),
            Node::RefCompare(op, name, k) => ref_compare(*op, name, k, scope).map(Value::Bool),
            Node::Call(call) => call.eval(scope),
            Node::Extra(name) => scope
                .call_extra(name)
                .ok_or_else(|| EvalError::new(format!("undefined function: \"{name}\""))),
        }
    }
}

/// The error for an operator failure, naming missing references.
fn op_error(fail: OpFail, l: &Node, r: &Node) -> EvalError {
    let missing = |side: &str, n: &Node| match n.ref_name() {
        Some(name) => format!("{side} reference value \"{name}\" is missing value"),
        None => format!("{side} value is missing value"),
    };
    EvalError::new(match fail {
        OpFail::LeftMissing => missing("left", l),
        OpFail::RightMissing => missing("right", r),
        OpFail::Types(message) => message,
        OpFail::DivideByZero => "integer divide by zero".to_string(),
    })
}

/// Binary operators other than AND/OR; constants on the right are used by reference.
fn eval_binary(op: BinOp, l: &mut Node, r: &mut Node, scope: &dyn Scope) -> Result<Value, EvalError> {
    let lv = l.eval(scope)?;
    let result = match r {
        Node::Const(rv) => ops::binary(op, &lv, rv),
        _ => {
            let rv = r.eval(scope)?;
            ops::binary(op, &lv, &rv)
        }
    };
    result.map_err(|fail| op_error(fail, l, r))
}

/// `"ref" <op> constant`: numbers and strings compared in place, from the
/// borrowed value (no `Value` built, no `Arc` cloned); every other pair goes
/// through the generic table.
#[inline]
pub(crate) fn ref_compare<S: Scope + ?Sized>(op: BinOp, name: &str, k: &Value, scope: &S) -> Result<bool, EvalError> {
    let found = scope.find(name)?;
    let ordering = match (&found, k) {
        (Found::Field(FieldValue::Float(a)) | Found::Owned(Value::Float(a)), _) => match k {
            Value::Float(b) => a.partial_cmp(b),
            Value::Int(b) => a.partial_cmp(&(*b as f64)),
            _ => return ref_compare_generic(op, name, found, k),
        },
        (Found::Field(FieldValue::Int(a)) | Found::Owned(Value::Int(a)), _) => match k {
            Value::Int(b) => Some(a.cmp(b)),
            Value::Float(b) => (*a as f64).partial_cmp(b),
            _ => return ref_compare_generic(op, name, found, k),
        },
        (Found::Tag(a), Value::Str(b)) => return Ok(str_compare(op, a, b)),
        (Found::Field(FieldValue::Str(a)) | Found::Owned(Value::Str(a)), Value::Str(b)) => return Ok(str_compare(op, a, b)),
        _ => return ref_compare_generic(op, name, found, k),
    };
    Ok(ops::ordering_matches(op, ordering))
}

/// A comparison of two strings; equality without ordering the bytes.
#[inline]
fn str_compare(op: BinOp, a: &str, b: &str) -> bool {
    match op {
        BinOp::Eq => same_name(a, b),
        BinOp::Ne => !same_name(a, b),
        _ => ops::ordering_matches(op, Some(a.as_bytes().cmp(b.as_bytes()))),
    }
}

/// The generic path of [`ref_compare`]: the operator table, its errors naming the reference.
#[cold]
fn ref_compare_generic(op: BinOp, name: &str, found: Found<'_>, k: &Value) -> Result<bool, EvalError> {
    match ops::binary(op, &found.into_value(), k) {
        Ok(Value::Bool(b)) => Ok(b),
        Ok(_) => Ok(false),
        Err(fail) => Err(op_error(fail, &Node::Ref(name.into()), &Node::Const(k.clone()))),
    }
}

/// AND/OR with Kapacitor's short-circuit: a skipped right side is not evaluated,
/// but only when it is statically boolean; otherwise its value (type) is needed first.
fn eval_logical(op: BinOp, l: &mut Node, r: &mut Node, rhs_bool: bool, scope: &dyn Scope) -> Result<bool, EvalError> {
    let left = match l.eval_test(scope)? {
        Ok(b) => b,
        Err(other) => {
            return Err(op_error(classify(op, &other, &Value::Bool(false), true), l, r));
        }
    };
    let decided = if op == BinOp::And { !left } else { left };
    if decided && rhs_bool {
        return Ok(left);
    }
    match r.eval_test(scope)? {
        Ok(right) => Ok(if decided { left } else { right }),
        Err(other) => Err(op_error(classify(op, &Value::Bool(left), &other, false), l, r)),
    }
}

/// The failure for a logical operator with a non-boolean operand.
fn classify(op: BinOp, l: &Value, r: &Value, left_bad: bool) -> OpFail {
    match (l, r) {
        (Value::Missing, _) if left_bad => OpFail::LeftMissing,
        (_, Value::Missing) if !left_bad => OpFail::RightMissing,
        _ => OpFail::Types(binary_error(op, StaticType::of(l), StaticType::of(r))),
    }
}

impl CallNode {
    /// Evaluates all arguments (eagerly, like Kapacitor), checks the signature, calls.
    fn eval(&mut self, scope: &dyn Scope) -> Result<Value, EvalError> {
        let mut values: [Value; MAX_ARGS] = std::array::from_fn(|_| Value::Missing);
        let mut types = [StaticType::Missing; MAX_ARGS];
        let n = self.args.len().min(MAX_ARGS);
        for (i, arg) in self.args.iter_mut().take(n).enumerate() {
            let v = arg
                .eval(scope)
                .map_err(|e| EvalError::new(format!("Failed to handle {} argument: {}", i + 1, e.message)))?;
            types[i] = StaticType::of(&v);
            values[i] = v;
        }
        if signatures::find_exact(self.sigs, &types[..n]).is_none() {
            return Err(self.signature_error(&types[..n]));
        }
        self.call(&values[..n])
            .map_err(|msg| EvalError::new(format!("error calling \"{}\": {msg}", self.name)))
    }

    fn call(&mut self, args: &[Value]) -> Result<Value, String> {
        match (&mut self.state, args) {
            (Some(state), []) => Ok(Value::Int(state.count())),
            (Some(state @ State::Sigma { .. }), [Value::Float(x)]) => Ok(Value::Float(state.sigma(*x))),
            (Some(state), [Value::Float(x)]) => Ok(Value::Float(state.spread(*x))),
            _ => super::functions::call(&self.name, args)
                .unwrap_or_else(|| Err(format!("{} cannot be called with these arguments", self.name))),
        }
    }

    /// Kapacitor's `ErrMissingType` or `ErrWrongFuncSignature` text.
    fn signature_error(&self, types: &[StaticType]) -> EvalError {
        let missing: Vec<&str> = (0..types.len())
            .filter(|&i| types[i] == StaticType::Missing)
            .map(|i| self.arg_texts[i].as_str())
            .collect();
        if !missing.is_empty() {
            let (word, verb) = if missing.len() > 1 { ("arguments", "are") } else { ("argument", "is") };
            let present: Vec<&str> = self
                .scope_refs
                .iter()
                .map(|r| r.as_str())
                .filter(|r| !missing.iter().any(|m| m.trim_matches('"') == *r))
                .collect();
            return EvalError::new(format!(
                "Cannot call function \"{}\" {word} {} {verb} missing, values in scope are [{}]",
                self.name,
                missing.join(", "),
                present.join(", ")
            ));
        }
        let given: Vec<String> =
            types.iter().zip(&self.arg_texts).map(|(t, text)| format!("{text}: {}", t.name())).collect();
        EvalError::new(format!(
            "Cannot call function \"{}\" with args ({}), available signatures are {}.",
            self.name,
            given.join(","),
            signatures::format_signatures(self.sigs)
        ))
    }
}
