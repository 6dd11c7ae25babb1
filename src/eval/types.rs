//! Static types and the binary-operator type table shared by the checker and the evaluator.
//!
//! The table is Kapacitor's `evaluation_funcs.go` (semantics §6.2): any pair
//! not listed is an error, and arithmetic never mixes int and float.

use crate::ast::BinOp;
use crate::value::Value;
use std::fmt;

/// The type of an expression as far as it is known before any point arrives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StaticType {
    /// `boolean`
    Bool,
    /// `int`
    Int,
    /// `float`
    Float,
    /// `string`
    String,
    /// `duration`
    Duration,
    /// `time`
    Time,
    /// `regex`
    Regex,
    /// `missing` (only as a runtime argument type, e.g. for `isPresent`)
    Missing,
    /// Depends on the point (a field or tag reference).
    Unknown,
}

/// Every concrete (non-missing, known) type, used to explore the operator table.
pub(crate) const CONCRETE: [StaticType; 7] = [
    StaticType::Bool,
    StaticType::Int,
    StaticType::Float,
    StaticType::String,
    StaticType::Duration,
    StaticType::Time,
    StaticType::Regex,
];

impl StaticType {
    /// Kapacitor's name for the type (`float`, `boolean`, ...).
    pub fn name(self) -> &'static str {
        match self {
            StaticType::Bool => "boolean",
            StaticType::Int => "int",
            StaticType::Float => "float",
            StaticType::String => "string",
            StaticType::Duration => "duration",
            StaticType::Time => "time",
            StaticType::Regex => "regex",
            StaticType::Missing => "missing",
            StaticType::Unknown => "unknown",
        }
    }

    /// The type of a runtime value.
    pub fn of(value: &Value) -> StaticType {
        match value {
            Value::Bool(_) => StaticType::Bool,
            Value::Int(_) => StaticType::Int,
            Value::Float(_) => StaticType::Float,
            Value::Str(_) => StaticType::String,
            Value::Duration(_) => StaticType::Duration,
            Value::Time(_) => StaticType::Time,
            Value::Regex(_) => StaticType::Regex,
            Value::Missing => StaticType::Missing,
        }
    }

    /// True when the type is known before evaluation.
    pub fn is_known(self) -> bool {
        self != StaticType::Unknown
    }
}

impl fmt::Display for StaticType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The result type of `l op r` for concrete operand types, `None` when Kapacitor rejects the pair.
pub(crate) fn binary_result(op: BinOp, l: StaticType, r: StaticType) -> Option<StaticType> {
    use BinOp::*;
    use StaticType::*;
    let numeric = |t| matches!(t, Int | Float);
    match op {
        And | Or => (l == Bool && r == Bool).then_some(Bool),
        Eq | Ne => {
            let same = l == r && matches!(l, Bool | Int | Float | String | Duration);
            (same || (numeric(l) && numeric(r))).then_some(Bool)
        }
        Lt | Le | Gt | Ge => {
            let same = l == r && matches!(l, String | Duration);
            (same || (numeric(l) && numeric(r))).then_some(Bool)
        }
        RegexMatch | RegexNotMatch => (l == String && r == Regex).then_some(Bool),
        Add => (l == r && matches!(l, Int | Float | Duration | String)).then_some(l),
        Sub => (l == r && matches!(l, Int | Float | Duration)).then_some(l),
        Mul => match (l, r) {
            (Int, Int) | (Float, Float) => Some(l),
            (Duration, Int | Float) | (Int | Float, Duration) => Some(Duration),
            _ => None,
        },
        Div => match (l, r) {
            (Int, Int) | (Float, Float) => Some(l),
            (Duration, Int | Float) => Some(Duration),
            (Duration, Duration) => Some(Int),
            _ => None,
        },
        Mod => (l == Int && r == Int).then_some(Int),
    }
}

/// True when `t` appears on either side of some valid pair for `op`
/// (Kapacitor's `typeToBinaryOperators`, which decides between its two error texts).
pub(crate) fn type_supports(op: BinOp, t: StaticType) -> bool {
    CONCRETE
        .iter()
        .any(|&u| binary_result(op, t, u).is_some() || binary_result(op, u, t).is_some())
}

/// True when `t` can be the left operand of `op` with some right operand.
pub(crate) fn valid_as_left(op: BinOp, t: StaticType) -> bool {
    CONCRETE.iter().any(|&u| binary_result(op, t, u).is_some())
}

/// True when `t` can be the right operand of `op` with some left operand.
pub(crate) fn valid_as_right(op: BinOp, t: StaticType) -> bool {
    CONCRETE.iter().any(|&u| binary_result(op, u, t).is_some())
}

/// `math`, `comparison` or `logical`, as Kapacitor words its errors.
pub(crate) fn operator_kind(op: BinOp) -> &'static str {
    use BinOp::*;
    match op {
        Add | Sub | Mul | Div | Mod => "math",
        And | Or => "logical",
        _ => "comparison",
    }
}

/// Kapacitor's error for a rejected pair (`eval_binary_node.go` determineError).
pub(crate) fn binary_error(op: BinOp, l: StaticType, r: StaticType) -> String {
    if !type_supports(op, l) {
        return format!("invalid {} operator {} for type {}", operator_kind(op), op.symbol(), l);
    }
    format!(
        "mismatched type to binary operator. got {l} {} {r}. see bool(), int(), float(), string(), duration()",
        op.symbol()
    )
}

/// The Go type name Kapacitor prints for a result of the wrong type (`float64`).
pub(crate) fn go_type_name(t: StaticType) -> &'static str {
    match t {
        StaticType::Bool => "bool",
        StaticType::Int => "int64",
        StaticType::Float => "float64",
        StaticType::String => "string",
        StaticType::Duration => "time.Duration",
        StaticType::Time => "time.Time",
        StaticType::Regex => "*regexp.Regexp",
        StaticType::Missing => "*ast.Missing",
        StaticType::Unknown => "<nil>",
    }
}
