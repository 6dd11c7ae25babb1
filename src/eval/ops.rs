//! Runtime binary and unary operators on values: every pair of semantics §6.2.

use super::types::{binary_error, StaticType};
use crate::ast::{BinOp, UnaryOp};
use crate::value::Value;
use std::cmp::Ordering;

/// Why an operator could not produce a value; the caller adds operand names.
#[derive(Debug, PartialEq)]
pub(crate) enum OpFail {
    /// The left operand is the missing value.
    LeftMissing,
    /// The right operand is the missing value.
    RightMissing,
    /// The pair of types is not in the table; the message is Kapacitor's.
    Types(String),
    /// Integer (or duration) division or modulo by zero.
    DivideByZero,
}

/// Go's conversion of a float to int64 on amd64: out of range and NaN give the minimum.
pub(crate) fn go_f64_to_i64(f: f64) -> i64 {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63
    if f.is_nan() || !(-LIMIT..LIMIT).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// Evaluates `l op r` for a non-logical operator.
pub(crate) fn binary(op: BinOp, l: &Value, r: &Value) -> Result<Value, OpFail> {
    if matches!(l, Value::Missing) {
        return Err(OpFail::LeftMissing);
    }
    if matches!(r, Value::Missing) {
        return Err(OpFail::RightMissing);
    }
    let result = if op.is_boolean() { compare(op, l, r).map(Value::Bool) } else { arithmetic(op, l, r)? };
    result.ok_or_else(|| OpFail::Types(binary_error(op, StaticType::of(l), StaticType::of(r))))
}

/// Comparison and regex operators; `None` for a rejected pair.
fn compare(op: BinOp, l: &Value, r: &Value) -> Option<bool> {
    use Value::*;
    match op {
        BinOp::RegexMatch | BinOp::RegexNotMatch => {
            let (Str(s), Regex(re)) = (l, r) else { return None };
            return Some(re.is_match(s) == (op == BinOp::RegexMatch));
        }
        BinOp::And | BinOp::Or => {
            let (Bool(a), Bool(b)) = (l, r) else { return None };
            return Some(if op == BinOp::And { *a && *b } else { *a || *b });
        }
        _ => {}
    }
    let equality_only = matches!(op, BinOp::Eq | BinOp::Ne);
    let ordering = match (l, r) {
        (Float(a), Float(b)) => a.partial_cmp(b),
        (Int(a), Int(b)) => Some(a.cmp(b)),
        (Int(a), Float(b)) => (*a as f64).partial_cmp(b),
        (Float(a), Int(b)) => a.partial_cmp(&(*b as f64)),
        (Str(a), Str(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        (Duration(a), Duration(b)) => Some(a.cmp(b)),
        (Bool(a), Bool(b)) if equality_only => Some(a.cmp(b)),
        _ => return None,
    };
    Some(ordering_matches(op, ordering))
}

/// Whether `ordering` satisfies the comparison; `None` (NaN) only satisfies `!=`.
pub(crate) fn ordering_matches(op: BinOp, ordering: Option<Ordering>) -> bool {
    let Some(o) = ordering else { return op == BinOp::Ne };
    match op {
        BinOp::Eq => o == Ordering::Equal,
        BinOp::Ne => o != Ordering::Equal,
        BinOp::Lt => o == Ordering::Less,
        BinOp::Le => o != Ordering::Greater,
        BinOp::Gt => o == Ordering::Greater,
        BinOp::Ge => o != Ordering::Less,
        _ => false,
    }
}

/// Arithmetic operators; `Ok(None)` for a rejected pair.
fn arithmetic(op: BinOp, l: &Value, r: &Value) -> Result<Option<Value>, OpFail> {
    use Value::*;
    Ok(Some(match (l, r) {
        (Int(a), Int(b)) => Int(int_op(op, *a, *b)?),
        (Float(a), Float(b)) => match float_op(op, *a, *b) {
            Some(f) => Float(f),
            None => return Ok(None),
        },
        (Str(a), Str(b)) if op == BinOp::Add => {
            let mut s = String::with_capacity(a.len() + b.len());
            s.push_str(a);
            s.push_str(b);
            Str(s.into())
        }
        (Duration(a), Duration(b)) => match op {
            BinOp::Add => Duration(a.wrapping_add(*b)),
            BinOp::Sub => Duration(a.wrapping_sub(*b)),
            BinOp::Div => Int(checked_div(*a, *b)?),
            _ => return Ok(None),
        },
        (Duration(d), Int(i)) | (Int(i), Duration(d)) if op == BinOp::Mul => Duration(d.wrapping_mul(*i)),
        (Duration(d), Float(f)) | (Float(f), Duration(d)) if op == BinOp::Mul => {
            Duration(go_f64_to_i64(*d as f64 * f))
        }
        (Duration(d), Int(i)) if op == BinOp::Div => Duration(checked_div(*d, *i)?),
        (Duration(d), Float(f)) if op == BinOp::Div => Duration(go_f64_to_i64(*d as f64 / f)),
        _ => return Ok(None),
    }))
}

/// Integer arithmetic with Go's wrapping; division by zero is an error, not a crash.
fn int_op(op: BinOp, a: i64, b: i64) -> Result<i64, OpFail> {
    Ok(match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::Div => checked_div(a, b)?,
        _ => {
            if b == 0 {
                return Err(OpFail::DivideByZero);
            }
            a.wrapping_rem(b)
        }
    })
}

fn checked_div(a: i64, b: i64) -> Result<i64, OpFail> {
    if b == 0 {
        return Err(OpFail::DivideByZero);
    }
    Ok(a.wrapping_div(b))
}

/// Float arithmetic (IEEE: x/0 is ±Inf or NaN); `%` is not defined for floats.
fn float_op(op: BinOp, a: f64, b: f64) -> Option<f64> {
    Some(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        _ => return None,
    })
}

/// Evaluates a unary operator; the error text when the type does not fit.
pub(crate) fn unary(op: UnaryOp, v: Value) -> Result<Value, String> {
    match (op, v) {
        (UnaryOp::Neg, Value::Int(i)) => Ok(Value::Int(i.wrapping_neg())),
        (UnaryOp::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
        (UnaryOp::Neg, Value::Duration(d)) => Ok(Value::Duration(d.wrapping_neg())),
        (UnaryOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
        (UnaryOp::Neg, other) => Err(format!("invalid math operator - for type {}", other.type_name())),
        (UnaryOp::Not, other) => Err(format!("invalid logical operator ! for type {}", other.type_name())),
    }
}
