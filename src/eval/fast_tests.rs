//! The `"ref" <op> constant` fast path agrees with the generic operator table:
//! every comparison, every kind of value a reference can find, every constant type.

use super::node::{ref_compare, Node};
use super::{EvalError, Scope};
use crate::ast::BinOp;
use crate::point::Point;
use crate::value::{FieldValue, Value};
use std::sync::Arc;

const OPS: [BinOp; 6] = [BinOp::Eq, BinOp::Ne, BinOp::Lt, BinOp::Le, BinOp::Gt, BinOp::Ge];

/// A point with a tag, fields of every type and a name that is both a field and a tag.
fn point() -> Point {
    let mut p = Point { name: "cpu".into(), time: 5, ..Point::default() };
    p.set_tag("host", "h1".into());
    p.set_tag("both", "t".into());
    p.set_field("f", FieldValue::Float(1.5));
    p.set_field("nan", FieldValue::Float(f64::NAN));
    p.set_field("i", FieldValue::Int(2));
    p.set_field("s", FieldValue::Str("h1".into()));
    p.set_field("b", FieldValue::Bool(true));
    p.set_field("both", FieldValue::Int(1));
    p
}

/// The same values seen through `lookup` only (the borrowed `find` is not overridden).
struct Owned(Point);

impl Scope for Owned {
    fn time(&self) -> i64 {
        self.0.time
    }
    fn lookup(&self, name: &str) -> Result<Value, EvalError> {
        self.0.lookup(name)
    }
}

fn constants() -> Vec<Value> {
    vec![
        Value::Str("h1".into()),
        Value::Str("h0".into()),
        Value::Str("h10".into()),
        Value::Str("".into()),
        Value::Float(1.5),
        Value::Float(2.0),
        Value::Float(f64::NAN),
        Value::Int(2),
        Value::Int(1),
        Value::Bool(true),
        Value::Duration(2),
    ]
}

/// The generic path: a `Binary` node over a reference and a constant.
fn generic(op: BinOp, name: &str, k: &Value, scope: &dyn Scope) -> Result<bool, EvalError> {
    let mut node = Node::Binary(op, Box::new(Node::Ref(name.into())), Box::new(Node::Const(k.clone())));
    match node.eval(scope)? {
        Value::Bool(b) => Ok(b),
        other => panic!("a comparison returned {other:?}"),
    }
}

#[test]
fn the_fast_path_agrees_with_the_operator_table() {
    let p = point();
    let owned = Owned(point());
    let names = ["host", "f", "nan", "i", "s", "b", "both", "missing", "time"];
    let mut checked = 0;
    for name in names {
        for k in constants() {
            for op in OPS {
                let want = generic(op, name, &k, &p);
                let case = format!("{name} {} {k:?}", op.symbol());
                assert_eq!(ref_compare(op, name, &k, &p), want, "point: {case}");
                assert_eq!(ref_compare(op, name, &k, &p as &dyn Scope), want, "dyn point: {case}");
                assert_eq!(ref_compare(op, name, &k, &owned), want, "owned values: {case}");
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 9 * 11 * 6);
}

#[test]
fn string_comparisons_order_bytes_and_errors_name_the_reference() {
    let p = point();
    let s = |t: &str| Value::Str(Arc::from(t));
    assert_eq!(ref_compare(BinOp::Ne, "host", &s("h0"), &p), Ok(true));
    assert_eq!(ref_compare(BinOp::Eq, "host", &s("h1"), &p), Ok(true));
    assert_eq!(ref_compare(BinOp::Lt, "host", &s("h10"), &p), Ok(true));
    assert_eq!(ref_compare(BinOp::Ge, "s", &s("h1"), &p), Ok(true));
    assert_eq!(ref_compare(BinOp::Eq, "i", &Value::Float(2.0), &p), Ok(true));
    assert_eq!(ref_compare(BinOp::Ne, "nan", &Value::Float(f64::NAN), &p), Ok(true));
    let missing = ref_compare(BinOp::Eq, "missing", &s("x"), &p).unwrap_err();
    assert_eq!(missing.message, "left reference value \"missing\" is missing value");
    let both = ref_compare(BinOp::Eq, "both", &s("t"), &p).unwrap_err();
    assert_eq!(both.message, "cannot have field and tags with same name \"both\"");
    assert!(ref_compare(BinOp::Lt, "host", &Value::Int(1), &p).is_err(), "string < int is a type error");
}
