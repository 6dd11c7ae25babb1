//! Builtin functions of `text/template` (Go 1.19), plus Kapacitor's `json`.
//!
//! `and` and `or` short-circuit, so the executor evaluates them itself.

use super::escape;
use super::printf;
use super::value::{BasicKind, TValue};
use super::{json, Flavor};

/// `text/template`'s builtin names with their minimum and maximum arity.
const BUILTINS: [(&str, usize, usize); 19] = [
    ("and", 1, usize::MAX),
    ("or", 1, usize::MAX),
    ("not", 1, 1),
    ("len", 1, 1),
    ("index", 1, usize::MAX),
    ("slice", 1, usize::MAX),
    ("call", 1, usize::MAX),
    ("print", 0, usize::MAX),
    ("printf", 1, usize::MAX),
    ("println", 0, usize::MAX),
    ("html", 0, usize::MAX),
    ("js", 0, usize::MAX),
    ("urlquery", 0, usize::MAX),
    ("eq", 1, usize::MAX),
    ("ne", 2, 2),
    ("lt", 2, 2),
    ("le", 2, 2),
    ("gt", 2, 2),
    ("ge", 2, 2),
];

/// The arity bounds of function `name` in `flavor`, `None` when undefined.
pub fn arity(name: &str, flavor: Flavor) -> Option<(usize, usize)> {
    if name == "json" && flavor == Flavor::Html {
        return Some((1, 1));
    }
    BUILTINS
        .iter()
        .find(|(n, ..)| *n == name)
        .map(|(_, lo, hi)| (*lo, *hi))
}

/// Checks the argument count the way Go's `evalCall` reports it.
pub fn check_arity(name: &str, flavor: Flavor, given: usize) -> Result<(), String> {
    let (lo, hi) =
        arity(name, flavor).ok_or_else(|| format!("{name:?} is not a defined function"))?;
    if hi == usize::MAX && given < lo {
        return Err(format!(
            "wrong number of args for {name}: want at least {lo} got {given}"
        ));
    }
    if hi != usize::MAX && given != lo {
        return Err(format!(
            "wrong number of args for {name}: want {lo} got {given}"
        ));
    }
    Ok(())
}

/// Calls builtin `name` (not `and`/`or`) on evaluated arguments; `Err` is the
/// function's own error (the caller adds `error calling name:`).
pub fn call(name: &str, args: &[TValue]) -> Result<TValue, String> {
    let str = |s: String| Ok(TValue::Str(s));
    match name {
        "not" => Ok(TValue::Bool(!args[0].is_true())),
        "len" => length(&args[0]),
        "index" => index(&args[0], &args[1..]),
        "slice" => slice(&args[0], &args[1..]),
        "call" => Err(format!("non-function of type {}", args[0].go_type())),
        "print" => str(printf::sprint(args)),
        "println" => str(printf::sprintln(args)),
        "printf" => match &args[0] {
            TValue::Str(f) => str(printf::sprintf(f, &args[1..])),
            other => Err(format!(
                "wrong type for value; expected string; got {}",
                other.go_type()
            )),
        },
        "html" => str(escape::html_builtin(&eval_args(args))),
        "js" => str(escape::js(&eval_args(args))),
        "urlquery" => str(escape::urlquery(&eval_args(args))),
        "json" => json::encode(&args[0]).map(TValue::Str),
        "eq" => eq(&args[0], &args[1..]).map(TValue::Bool),
        "ne" => eq(&args[0], &args[1..2]).map(|b| TValue::Bool(!b)),
        "lt" => less_equal(&args[0], &args[1]).map(|(lt, _)| TValue::Bool(lt)),
        "le" => less_equal(&args[0], &args[1]).map(|(lt, eq)| TValue::Bool(lt || eq)),
        "gt" => less_equal(&args[0], &args[1]).map(|(lt, eq)| TValue::Bool(!(lt || eq))),
        "ge" => less_equal(&args[0], &args[1]).map(|(lt, _)| TValue::Bool(!lt)),
        _ => Err(format!("{name:?} is not a defined function")),
    }
}

/// `evalArgs` of the escaping functions: one string passes through, else
/// `Sprint` with missing values shown as `<no value>`.
fn eval_args(args: &[TValue]) -> String {
    if let [TValue::Str(s)] = args {
        return s.clone();
    }
    let shown: Vec<TValue> = args
        .iter()
        .map(|a| {
            if *a == TValue::Nil {
                TValue::Str("<no value>".into())
            } else {
                a.clone()
            }
        })
        .collect();
    printf::sprint(&shown)
}

fn length(v: &TValue) -> Result<TValue, String> {
    let n = match v {
        TValue::Nil => return Err("len of nil pointer".into()),
        TValue::Str(s) => s.len(),
        TValue::StrMap(m) => m.len(),
        TValue::Map(m) => m.len(),
        other => return Err(format!("len of type {}", other.go_type())),
    };
    Ok(TValue::Int(n as i64))
}

fn index(item: &TValue, keys: &[TValue]) -> Result<TValue, String> {
    if *item == TValue::Nil {
        return Err("index of untyped nil".into());
    }
    let mut item = item.clone();
    for key in keys {
        item = match (&item, key) {
            (TValue::Nil, _) => return Err("index of nil pointer".into()),
            (TValue::StrMap(m), TValue::Str(k)) => {
                TValue::Str(m.get(k).cloned().unwrap_or_default())
            }
            (TValue::Map(m), TValue::Str(k)) => m.get(k).cloned().unwrap_or(TValue::Nil),
            (TValue::StrMap(_) | TValue::Map(_), TValue::Nil) => {
                return Err("value is nil; should be of type string".into())
            }
            (TValue::StrMap(_) | TValue::Map(_), k) => {
                return Err(format!("value has type {}; should be string", k.go_type()))
            }
            (TValue::Str(s), k) => TValue::Int(i64::from(s.as_bytes()[index_arg(k, s.len())?])),
            (other, _) => return Err(format!("can't index item of type {}", other.go_type())),
        };
    }
    Ok(item)
}

fn index_arg(k: &TValue, len: usize) -> Result<usize, String> {
    let i = k.as_int().filter(|_| k.basic_kind() == BasicKind::Int);
    match i {
        Some(i) if i < 0 || i as usize >= len => Err(format!("index out of range: {i}")),
        Some(i) => Ok(i as usize),
        None => Err(format!(
            "cannot index slice/array with type {}",
            k.go_type()
        )),
    }
}

fn slice(item: &TValue, bounds: &[TValue]) -> Result<TValue, String> {
    let TValue::Str(s) = item else {
        return Err(match item {
            TValue::Nil => "slice of untyped nil".into(),
            other => format!("can't slice item of type {}", other.go_type()),
        });
    };
    if bounds.len() > 2 {
        return Err("cannot 3-index slice a string".into());
    }
    let mut idx = [0, s.len()];
    for (slot, b) in idx.iter_mut().zip(bounds) {
        *slot = index_arg(b, s.len() + 1)?;
    }
    if idx[0] > idx[1] {
        return Err(format!("invalid slice index: {} > {}", idx[0], idx[1]));
    }
    s.get(idx[0]..idx[1])
        .map(|t| TValue::Str(t.to_string()))
        .ok_or_else(|| "slice splits a UTF-8 character".into())
}

/// Go 1.19 `eq`: true when `a` equals any of `rest`.
fn eq(a: &TValue, rest: &[TValue]) -> Result<bool, String> {
    if rest.is_empty() {
        return Err("missing argument for comparison".into());
    }
    for b in rest {
        let (ka, kb) = (a.basic_kind(), b.basic_kind());
        let truth = match (a, b) {
            (TValue::Nil, _) | (_, TValue::Nil) => a == b,
            _ if ka != kb => return Err("incompatible types for comparison".into()),
            (TValue::Time(x), TValue::Time(y)) => x == y,
            (TValue::StrMap(_) | TValue::Map(_), _) | (_, TValue::StrMap(_) | TValue::Map(_)) => {
                return Err(format!(
                    "non-comparable type {}: {}",
                    printf::format_v(b),
                    b.go_type()
                ))
            }
            _ if ka == BasicKind::Other && a.go_type() != b.go_type() => {
                return Err("incompatible types for comparison".into())
            }
            _ => equal_same_kind(a, b),
        };
        if truth {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Go 1.19 `lt` (and `le = lt || eq`, `gt = !le`, `ge = !lt`): only basic
/// kinds of the same kind compare. Returns (less, equal).
fn less_equal(a: &TValue, b: &TValue) -> Result<(bool, bool), String> {
    let (ka, kb) = (a.basic_kind(), b.basic_kind());
    let bad_type = |k| matches!(k, BasicKind::Other | BasicKind::Bool);
    if bad_type(ka) || bad_type(kb) {
        if ka != kb && ka != BasicKind::Other && kb != BasicKind::Other {
            return Err("incompatible types for comparison".into());
        }
        return Err("invalid type for comparison".into());
    }
    if ka != kb {
        return Err("incompatible types for comparison".into());
    }
    Ok(match (a, b) {
        (TValue::Float(x), TValue::Float(y)) => (x < y, x == y),
        (TValue::Str(x), TValue::Str(y)) => (x < y, x == y),
        _ => (a.as_int() < b.as_int(), a.as_int() == b.as_int()),
    })
}

fn equal_same_kind(a: &TValue, b: &TValue) -> bool {
    match (a, b) {
        (TValue::Float(x), TValue::Float(y)) => x == y,
        (TValue::Int(_) | TValue::Duration(_), _) => a.as_int() == b.as_int(),
        _ => a == b,
    }
}
