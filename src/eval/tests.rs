//! Evaluator tests: operator table, builtins, short-circuit, state and static diagnostics.
//! Expected texts come from the reference docs (Kapacitor 1.5.7 probes).

use super::*;
use crate::ast::{BinOp, ExprKind, Ident, UnaryOp};
use crate::point::Point;
use crate::span::Span;
use crate::value::FieldValue;

// ---- AST builders -----------------------------------------------------------

fn at(kind: ExprKind, start: usize, end: usize) -> Expr {
    Expr { kind, span: Span::new(start, end) }
}
fn e(kind: ExprKind) -> Expr {
    at(kind, 0, 0)
}
fn int(i: i64) -> Expr {
    e(ExprKind::Int(i))
}
fn float(f: f64) -> Expr {
    e(ExprKind::Float(f))
}
fn dur(ns: i64) -> Expr {
    e(ExprKind::Duration(ns))
}
fn s(text: &str) -> Expr {
    e(ExprKind::Str(text.into()))
}
fn boolean(b: bool) -> Expr {
    e(ExprKind::Bool(b))
}
fn re(p: &str) -> Expr {
    e(ExprKind::Regex(p.into()))
}
fn r(name: &str) -> Expr {
    e(ExprKind::Ref(name.into()))
}
fn ident(name: &str) -> Expr {
    e(ExprKind::Ident(name.into()))
}
fn bin_at(op: BinOp, lhs: Expr, rhs: Expr, op_start: usize) -> Expr {
    let op_span = Span::new(op_start, op_start + op.symbol().len());
    e(ExprKind::Binary { op, op_span, lhs: Box::new(lhs), rhs: Box::new(rhs), parens: false })
}
fn bin(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
    bin_at(op, lhs, rhs, 0)
}
fn call(name: &str, args: Vec<Expr>) -> Expr {
    e(ExprKind::Call { name: Ident { name: name.into(), span: Span::new(0, name.len()) }, args })
}
fn neg(x: Expr) -> Expr {
    e(ExprKind::Unary { op: UnaryOp::Neg, expr: Box::new(x) })
}
fn not(x: Expr) -> Expr {
    e(ExprKind::Unary { op: UnaryOp::Not, expr: Box::new(x) })
}

// ---- points and evaluation helpers ------------------------------------------

fn point(fields: &[(&str, FieldValue)], tags: &[(&str, &str)]) -> Point {
    let mut p = Point { name: "cpu".into(), time: 1_700_000_000_000_000_000, ..Point::default() };
    for (k, v) in fields {
        p.set_field(k, v.clone());
    }
    for (k, v) in tags {
        p.set_tag(k, (*v).into());
    }
    p
}

fn sample() -> Point {
    point(
        &[
            ("f", FieldValue::Float(5.5)),
            ("i", FieldValue::Int(7)),
            ("zero", FieldValue::Int(0)),
            ("b", FieldValue::Bool(true)),
            ("sv", FieldValue::Str("héllo".into())),
        ],
        &[("host", "serverA")],
    )
}

fn compile(body: &Expr) -> Lambda {
    Lambda::compile(body, &CompileOptions::default()).expect("compiles")
}

fn eval(body: Expr) -> Result<Value, String> {
    compile(&body).eval(&sample()).map_err(|e| e.message)
}

fn ok(body: Expr) -> Value {
    eval(body).expect("evaluates")
}

fn err(body: Expr) -> String {
    eval(body).expect_err("fails")
}

fn diags(body: &Expr) -> Vec<Diag> {
    Lambda::compile(body, &CompileOptions::default()).expect_err("static error")
}

fn str_val(text: &str) -> Value {
    Value::Str(text.into())
}

const MISMATCH_TAIL: &str = ". see bool(), int(), float(), string(), duration()";

// ---- operator table -----------------------------------------------------------

#[test]
fn comparisons_mix_int_and_float() {
    assert_eq!(ok(bin(BinOp::Lt, r("f"), int(10))), Value::Bool(true));
    assert_eq!(ok(bin(BinOp::Gt, r("i"), float(6.5))), Value::Bool(true));
    assert_eq!(ok(bin(BinOp::Eq, r("i"), float(7.0))), Value::Bool(true));
    assert_eq!(ok(bin(BinOp::Ne, int(7), r("f"))), Value::Bool(true));
    assert_eq!(ok(bin(BinOp::Ge, dur(60_000_000_000), dur(1_000_000_000))), Value::Bool(true));
    assert_eq!(ok(bin(BinOp::Le, s("abc"), s("abd"))), Value::Bool(true));
    // byte-wise: 'Z' (0x5a) < 'a' (0x61)
    assert_eq!(ok(bin(BinOp::Lt, s("Z"), s("a"))), Value::Bool(true));
    assert_eq!(ok(bin(BinOp::Eq, r("b"), boolean(true))), Value::Bool(true));
    assert_eq!(ok(bin(BinOp::Eq, r("host"), s("serverA"))), Value::Bool(true));
}

#[test]
fn arithmetic_never_promotes() {
    assert_eq!(ok(bin(BinOp::Add, int(2), int(3))), Value::Int(5));
    assert_eq!(ok(bin(BinOp::Add, r("f"), float(1.0))), Value::Float(6.5));
    assert_eq!(ok(bin(BinOp::Add, s("a"), s("b"))), str_val("ab"));
    assert_eq!(err(bin(BinOp::Add, r("f"), int(10))), format!("mismatched type to binary operator. got float + int{MISMATCH_TAIL}"));
    assert_eq!(err(bin(BinOp::Mul, r("i"), float(2.0))), format!("mismatched type to binary operator. got int * float{MISMATCH_TAIL}"));
}

#[test]
fn integer_division_truncates_and_wraps() {
    assert_eq!(ok(bin(BinOp::Div, int(-7), int(2))), Value::Int(-3));
    assert_eq!(ok(bin(BinOp::Mod, int(-7), int(2))), Value::Int(-1));
    assert_eq!(ok(bin(BinOp::Add, int(i64::MAX), int(1))), Value::Int(i64::MIN));
    assert_eq!(ok(bin(BinOp::Div, int(i64::MIN), int(-1))), Value::Int(i64::MIN));
    assert_eq!(err(bin(BinOp::Div, int(1), r("zero"))), "integer divide by zero");
    assert_eq!(err(bin(BinOp::Mod, r("i"), r("zero"))), "integer divide by zero");
}

#[test]
fn float_division_by_zero_is_ieee() {
    assert_eq!(ok(bin(BinOp::Div, float(1.0), float(0.0))), Value::Float(f64::INFINITY));
    let Value::Float(nan) = ok(bin(BinOp::Div, float(0.0), float(0.0))) else { panic!() };
    assert!(nan.is_nan());
}

#[test]
fn duration_arithmetic() {
    let sec = 1_000_000_000;
    assert_eq!(ok(bin(BinOp::Add, dur(sec), dur(2 * sec))), Value::Duration(3 * sec));
    assert_eq!(ok(bin(BinOp::Sub, dur(sec), dur(2 * sec))), Value::Duration(-sec));
    assert_eq!(ok(bin(BinOp::Mul, dur(sec), int(3))), Value::Duration(3 * sec));
    assert_eq!(ok(bin(BinOp::Mul, int(3), dur(sec))), Value::Duration(3 * sec));
    assert_eq!(ok(bin(BinOp::Mul, float(1.5), dur(sec))), Value::Duration(sec + sec / 2));
    assert_eq!(ok(bin(BinOp::Div, dur(3 * sec), int(2))), Value::Duration(sec + sec / 2));
    assert_eq!(ok(bin(BinOp::Div, dur(3 * sec), float(2.0))), Value::Duration(sec + sec / 2));
    assert_eq!(ok(bin(BinOp::Div, dur(90 * sec), dur(60 * sec))), Value::Int(1));
    assert_eq!(
        err(bin(BinOp::Gt, r("zero"), dur(sec))),
        format!("mismatched type to binary operator. got int > duration{MISMATCH_TAIL}")
    );
}

#[test]
fn invalid_operator_messages() {
    assert_eq!(err(bin(BinOp::Mod, r("f"), r("f"))), "invalid math operator % for type float");
    // `"time" > 0` is caught statically; the runtime text is still Kapacitor's.
    let fail = super::ops::binary(BinOp::Gt, &Value::Time(0), &Value::Int(0)).unwrap_err();
    assert_eq!(fail, super::ops::OpFail::Types("invalid comparison operator > for type time".into()));
    assert_eq!(err(bin(BinOp::Lt, r("b"), r("b"))), "invalid comparison operator < for type boolean");
    assert_eq!(err(bin(BinOp::Sub, r("sv"), r("sv"))), "invalid math operator - for type string");
    assert_eq!(err(bin(BinOp::And, r("f"), boolean(true))), "invalid logical operator AND for type float");
    assert_eq!(err(bin(BinOp::Lt, r("host"), int(10))), format!("mismatched type to binary operator. got string < int{MISMATCH_TAIL}"));
}

#[test]
fn regex_match_is_unanchored_and_ascii() {
    assert_eq!(ok(bin(BinOp::RegexMatch, r("host"), re("erv"))), Value::Bool(true));
    assert_eq!(ok(bin(BinOp::RegexNotMatch, r("host"), re("^web"))), Value::Bool(true));
    // Go's \d is ASCII-only: Arabic-Indic digits do not match.
    assert_eq!(ok(bin(BinOp::RegexMatch, s("٣٤"), re(r"^\d+$"))), Value::Bool(false));
    assert_eq!(ok(bin(BinOp::RegexMatch, s("a{,3}"), re(r"^a{,3}$"))), Value::Bool(true));
    assert_eq!(ok(bin(BinOp::RegexMatch, s("a.b"), re(r"^\Qa.b\E$"))), Value::Bool(true));
    assert_eq!(ok(bin(BinOp::RegexMatch, s("x[y"), re(r"[[]"))), Value::Bool(true));
    assert_eq!(ok(bin(BinOp::RegexMatch, s("écat"), re(r"\bcat\b"))), Value::Bool(true));
    assert_eq!(err(bin(BinOp::RegexMatch, r("i"), re("7"))), "invalid comparison operator =~ for type int");
    assert_eq!(
        err(bin(BinOp::RegexMatch, r("host"), r("host"))),
        format!("mismatched type to binary operator. got string =~ string{MISMATCH_TAIL}")
    );
}

#[test]
fn missing_operands_name_the_reference() {
    assert_eq!(err(bin(BinOp::Lt, r("usage_sys"), int(10))), "left reference value \"usage_sys\" is missing value");
    assert_eq!(err(bin(BinOp::Lt, int(10), r("usage_sys"))), "right reference value \"usage_sys\" is missing value");
}

#[test]
fn field_and_tag_with_same_name_is_an_error() {
    let p = point(&[("host", FieldValue::Float(1.0))], &[("host", "a")]);
    let mut l = compile(&bin(BinOp::Eq, r("host"), s("a")));
    assert_eq!(l.eval(&p).unwrap_err().message, "cannot have field and tags with same name \"host\"");
}

#[test]
fn unary_operators() {
    assert_eq!(ok(neg(r("i"))), Value::Int(-7));
    assert_eq!(ok(neg(r("f"))), Value::Float(-5.5));
    assert_eq!(ok(neg(dur(5))), Value::Duration(-5));
    assert_eq!(ok(not(r("b"))), Value::Bool(false));
    assert_eq!(err(not(r("i"))), "invalid logical operator ! for type int");
    assert_eq!(err(neg(r("sv"))), "invalid math operator - for type string");
}

// ---- short-circuit ---------------------------------------------------------------

#[test]
fn short_circuit_protects_only_static_booleans() {
    let guarded = bin(BinOp::And, call("isPresent", vec![r("x")]), bin(BinOp::Gt, r("x"), int(5)));
    assert_eq!(ok(guarded), Value::Bool(false));
    assert_eq!(err(bin(BinOp::And, boolean(false), r("x"))), "right reference value \"x\" is missing value");
    assert_eq!(err(bin(BinOp::Or, boolean(true), r("x"))), "right reference value \"x\" is missing value");
    assert_eq!(err(bin(BinOp::Or, bin(BinOp::Gt, r("x"), int(5)), boolean(true))), "left reference value \"x\" is missing value");
    assert_eq!(ok(bin(BinOp::And, boolean(false), r("b"))), Value::Bool(false));
    assert_eq!(ok(bin(BinOp::Or, boolean(false), r("b"))), Value::Bool(true));
    let and_string = bin(BinOp::And, bin(BinOp::Lt, r("f"), int(10)), r("host"));
    assert_eq!(err(and_string), format!("mismatched type to binary operator. got boolean AND string{MISMATCH_TAIL}"));
}

#[test]
fn skipped_right_side_does_not_feed_sigma() {
    // TestStream_AlertComplexWhere: `"host" == 'serverA' AND sigma("value") > 2`.
    let body = bin(
        BinOp::And,
        bin(BinOp::Eq, r("host"), s("serverA")),
        bin(BinOp::Gt, call("sigma", vec![r("value")]), float(2.0)),
    );
    let mut where_ = compile(&body);
    let mut only_a = compile(&bin(BinOp::Gt, call("sigma", vec![r("value")]), float(2.0)));
    let data = [("serverA", 10.0), ("serverB", 1000.0), ("serverA", 11.0), ("serverB", -50.0), ("serverA", 9.0), ("serverA", 40.0)];
    for (host, v) in data {
        let p = point(&[("value", FieldValue::Float(v))], &[("host", host)]);
        let got = where_.eval_bool(&p).unwrap();
        if host == "serverA" {
            assert_eq!(got, only_a.eval_bool(&p).unwrap(), "value {v}");
        } else {
            assert!(!got);
        }
    }
}

// ---- stateful functions ---------------------------------------------------------

fn two_pass_sigma(values: &[f64]) -> f64 {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    (values.last().unwrap() - mean).abs() / var.sqrt()
}

#[test]
fn sigma_matches_running_mean_and_sample_variance() {
    let mut l = compile(&call("sigma", vec![r("value")]));
    let values = [91.1, 92.5, 90.0, 95.3, 16.0, 93.4];
    for (i, v) in values.iter().enumerate() {
        let p = point(&[("value", FieldValue::Float(*v))], &[]);
        let Value::Float(got) = l.eval(&p).unwrap() else { panic!() };
        let expected = if i == 0 { 0.0 } else { two_pass_sigma(&values[..=i]) };
        assert!((got - expected).abs() < 1e-12, "step {i}: {got} vs {expected}");
    }
    let constant = point(&[("value", FieldValue::Float(3.0))], &[]);
    let mut c = compile(&call("sigma", vec![r("value")]));
    assert_eq!(c.eval(&constant).unwrap(), Value::Float(0.0));
    assert_eq!(c.eval(&constant).unwrap(), Value::Float(0.0));
}

#[test]
fn count_and_spread_keep_state_and_clone_is_fresh() {
    let mut counter = compile(&call("count", vec![]));
    let p = sample();
    assert_eq!(counter.eval(&p).unwrap(), Value::Int(1));
    assert_eq!(counter.eval(&p).unwrap(), Value::Int(2));
    let mut copy = counter.clone();
    assert_eq!(copy.eval(&p).unwrap(), Value::Int(1));
    assert_eq!(counter.eval(&p).unwrap(), Value::Int(3));

    let mut spread = compile(&call("spread", vec![r("v")]));
    for (v, expected) in [(5.0, 0.0), (2.0, 3.0), (4.0, 3.0), (10.0, 8.0)] {
        let p = point(&[("v", FieldValue::Float(v))], &[]);
        assert_eq!(spread.eval(&p).unwrap(), Value::Float(expected));
    }
}

#[test]
fn stateful_functions_need_floats() {
    assert_eq!(
        err(call("sigma", vec![r("i")])),
        "Cannot call function \"sigma\" with args (\"i\": int), available signatures are [(float)]."
    );
    assert_eq!(
        err(call("sigma", vec![r("nope")])),
        "Cannot call function \"sigma\" argument \"nope\" is missing, values in scope are []"
    );
}

// ---- builtins ------------------------------------------------------------------------

#[test]
fn conversions() {
    assert_eq!(ok(call("bool", vec![s("T")])), Value::Bool(true));
    assert_eq!(ok(call("bool", vec![int(0)])), Value::Bool(false));
    assert_eq!(err(call("bool", vec![int(2)])), "error calling \"bool\": cannot convert 2 to boolean");
    assert_eq!(
        err(call("bool", vec![s("yes")])),
        "error calling \"bool\": strconv.ParseBool: parsing \"yes\": invalid syntax"
    );
    assert_eq!(ok(call("int", vec![float(-2.9)])), Value::Int(-2));
    assert_eq!(ok(call("int", vec![s("-42")])), Value::Int(-42));
    assert_eq!(ok(call("int", vec![boolean(true)])), Value::Int(1));
    assert_eq!(ok(call("float", vec![s("1e3")])), Value::Float(1000.0));
    assert_eq!(ok(call("float", vec![r("i")])), Value::Float(7.0));
    assert_eq!(ok(call("string", vec![float(1e23)])), str_val("100000000000000000000000"));
    assert_eq!(ok(call("string", vec![bin(BinOp::Add, float(0.1), float(0.2))])), str_val("0.30000000000000004"));
    assert_eq!(ok(call("string", vec![dur(90_000_000_000)])), str_val("90s"));
    assert_eq!(ok(call("string", vec![dur(300_000_000_000)])), str_val("5m"));
    assert_eq!(ok(call("string", vec![dur(1_500)])), str_val("1u"));
    assert_eq!(ok(call("string", vec![boolean(false)])), str_val("false"));
    assert_eq!(ok(call("duration", vec![int(5), dur(60_000_000_000)])), Value::Duration(300_000_000_000));
    assert_eq!(ok(call("duration", vec![float(1.5), dur(1_000_000_000)])), Value::Duration(1_500_000_000));
    assert_eq!(ok(call("duration", vec![s("5m"), dur(1)])), Value::Duration(300_000_000_000));
    assert_eq!(err(call("duration", vec![s("5ns"), dur(1)])), "error calling \"duration\": invalid duration string \"5ns\"");
}

#[test]
fn math_functions_take_floats_only() {
    assert_eq!(ok(call("sqrt", vec![float(4.0)])), Value::Float(2.0));
    assert_eq!(ok(call("floor", vec![float(2.7)])), Value::Float(2.0));
    assert_eq!(ok(call("pow", vec![float(2.0), float(10.0)])), Value::Float(1024.0));
    assert_eq!(ok(call("max", vec![float(2.0), float(3.0)])), Value::Float(3.0));
    assert_eq!(ok(call("pow10", vec![int(3)])), Value::Float(1000.0));
    assert_eq!(ok(call("logb", vec![float(8.0)])), Value::Float(3.0));
    assert_eq!(ok(call("gamma", vec![float(5.0)])), Value::Float(24.0));
    let Value::Float(erf) = ok(call("erf", vec![float(0.5)])) else { panic!() };
    assert!((erf - 0.520_499_877_813_046_5).abs() < 1e-15);
    let Value::Float(j0) = ok(call("jn", vec![int(0), float(1.0)])) else { panic!() };
    assert!((j0 - 0.765_197_686_557_966_6).abs() < 1e-15);
    assert_eq!(
        err(call("sqrt", vec![r("i")])),
        "Cannot call function \"sqrt\" with args (\"i\": int), available signatures are [(float)]."
    );
}

#[test]
fn string_functions_use_bytes() {
    assert_eq!(ok(call("strLength", vec![s("héllo")])), Value::Int(6));
    assert_eq!(ok(call("strContains", vec![r("host"), s("verA")])), Value::Bool(true));
    assert_eq!(ok(call("strIndex", vec![s("héllo"), s("l")])), Value::Int(3));
    assert_eq!(ok(call("strLastIndex", vec![s("hello"), s("z")])), Value::Int(-1));
    assert_eq!(ok(call("strCount", vec![s("cheese"), s("e")])), Value::Int(3));
    assert_eq!(ok(call("strCount", vec![s("five"), s("")])), Value::Int(5));
    assert_eq!(ok(call("strReplace", vec![s("oink oink oink"), s("k"), s("ky"), int(2)])), str_val("oinky oinky oink"));
    assert_eq!(ok(call("strReplace", vec![s("oink oink"), s("oink"), s("moo"), int(-1)])), str_val("moo moo"));
    assert_eq!(ok(call("strSubstring", vec![s("abcdef"), int(1), int(3)])), str_val("bc"));
    assert_eq!(
        err(call("strSubstring", vec![s("abc"), int(0), int(3)])),
        "error calling \"strSubstring\": stop index too large for string in strSubstring: 3"
    );
    assert_eq!(
        err(call("strSubstring", vec![s("abc"), int(-1), int(1)])),
        "error calling \"strSubstring\": found negative index for strSubstring: -1"
    );
    assert!(err(call("strSubstring", vec![s("abcd"), int(2), int(1)])).starts_with("error calling \"strSubstring\""));
    assert_eq!(ok(call("strTrim", vec![s("xxhixx"), s("x")])), str_val("hi"));
    assert_eq!(ok(call("strTrimLeft", vec![s("xxhixx"), s("x")])), str_val("hixx"));
    assert_eq!(ok(call("strTrimPrefix", vec![s("xxhi"), s("x")])), str_val("xhi"));
    assert_eq!(ok(call("strTrimSpace", vec![s(" \t hi \n")])), str_val("hi"));
    assert_eq!(ok(call("strToUpper", vec![s("abc")])), str_val("ABC"));
    assert_eq!(ok(call("regexReplace", vec![re("a(x*)b"), s("-ab-axxb-"), s("${1}W")])), str_val("-W-xxW-"));
}

#[test]
fn is_present_accepts_missing() {
    assert_eq!(ok(call("isPresent", vec![r("nope")])), Value::Bool(false));
    assert_eq!(ok(call("isPresent", vec![r("f")])), Value::Bool(true));
    assert_eq!(ok(call("isPresent", vec![r("host")])), Value::Bool(true));
}

#[test]
fn time_functions_use_utc() {
    // 1_700_000_000 s = 2023-11-14T22:13:20Z, a Tuesday.
    assert_eq!(ok(call("hour", vec![r("time")])), Value::Int(22));
    assert_eq!(ok(call("minute", vec![r("time")])), Value::Int(13));
    assert_eq!(ok(call("weekday", vec![r("time")])), Value::Int(2));
    assert_eq!(ok(call("day", vec![r("time")])), Value::Int(14));
    assert_eq!(ok(call("month", vec![r("time")])), Value::Int(11));
    assert_eq!(ok(call("year", vec![r("time")])), Value::Int(2023));
    assert_eq!(ok(call("unixNano", vec![r("time")])), Value::Int(1_700_000_000_000_000_000));
    let Value::Time(now) = ok(call("now", vec![])) else { panic!() };
    assert!(now > 1_700_000_000_000_000_000);
}

#[test]
fn human_bytes_follows_go_humanize() {
    assert_eq!(ok(call("humanBytes", vec![int(9)])), str_val("9 B"));
    assert_eq!(ok(call("humanBytes", vec![int(1000)])), str_val("1.0 kB"));
    assert_eq!(ok(call("humanBytes", vec![int(82_854_982)])), str_val("83 MB"));
    assert_eq!(ok(call("humanBytes", vec![float(1500.0)])), str_val("1.5 kB"));
}

#[test]
fn if_needs_identical_branch_types() {
    assert_eq!(ok(call("if", vec![r("b"), int(1), int(2)])), Value::Int(1));
    assert_eq!(ok(call("if", vec![boolean(false), s("a"), s("b")])), str_val("b"));
    let l = compile(&call("if", vec![r("b"), r("i"), r("f")]));
    assert_eq!(l.static_type(), StaticType::Unknown);
    assert_eq!(
        err(call("if", vec![r("b"), r("i"), r("f")])),
        "Cannot call function \"if\" with args (\"b\": boolean,\"i\": int,\"f\": float), available signatures are \
         [(boolean,float,float), (boolean,int,int), (boolean,string,string), (boolean,boolean,boolean), \
         (boolean,regex,regex), (boolean,time,time), (boolean,duration,duration)]."
    );
}

// ---- predicates ------------------------------------------------------------------

#[test]
fn eval_bool_reports_non_boolean_results() {
    let mut l = compile(&bin(BinOp::Add, r("f"), float(10.0)));
    assert_eq!(l.eval_bool(&sample()).unwrap_err().message, "expression returned unexpected type float64");
    let mut l = compile(&r("f"));
    assert_eq!(
        l.eval_bool(&sample()).unwrap_err().message,
        "TypeGuard: expression returned unexpected type float, expected boolean"
    );
    let mut l = compile(&bin(BinOp::Lt, r("f"), int(10)));
    assert!(l.eval_bool(&sample()).unwrap());
}

#[test]
fn idents_and_extra_functions() {
    let opts = CompileOptions {
        idents: vec![("CRITICAL".into(), Value::Int(3))],
        extra_functions: vec![("changed".into(), StaticType::Bool)],
    };
    struct MatchScope;
    impl Scope for MatchScope {
        fn time(&self) -> i64 {
            0
        }
        fn lookup(&self, _: &str) -> Result<Value, EvalError> {
            Ok(Value::Missing)
        }
        fn call_extra(&self, name: &str) -> Option<Value> {
            (name == "changed").then_some(Value::Bool(true))
        }
    }
    let body = bin(BinOp::And, call("changed", vec![]), bin(BinOp::Eq, ident("CRITICAL"), int(3)));
    let mut l = Lambda::compile(&body, &opts).unwrap();
    assert!(l.eval_bool(&MatchScope).unwrap());
    assert_eq!(l.static_type(), StaticType::Bool);
}

#[test]
fn references_are_listed_once_in_order() {
    let body = bin(BinOp::And, bin(BinOp::Gt, r("a"), r("b")), bin(BinOp::Lt, r("a"), call("abs", vec![r("c")])));
    assert_eq!(compile(&body).references(), ["a", "b", "c"]);
}

// ---- static diagnostics ----------------------------------------------------------

fn codes(ds: &[Diag]) -> Vec<&'static str> {
    ds.iter().map(|d| d.code.as_str()).collect()
}

#[test]
fn static_type_errors_have_codes_and_spans() {
    let d = diags(&bin_at(BinOp::Lt, s("abc"), int(10), 17));
    assert_eq!(codes(&d), ["E401"]);
    assert_eq!(d[0].span, Span::new(17, 18));

    let d = diags(&bin_at(BinOp::Add, float(1.5), int(10), 4));
    assert_eq!(codes(&d), ["E402"]);
    assert_eq!(d[0].help.as_deref(), Some("write 10.0 or use float()/int()"));

    // A reference is not statically typed: no error before run time.
    assert!(Lambda::compile(&bin(BinOp::Add, r("usage_idle"), int(10)), &CompileOptions::default()).is_ok());

    assert_eq!(codes(&diags(&bin(BinOp::Mod, r("x"), float(2.0)))), ["E406"]);
    assert_eq!(codes(&diags(&bin(BinOp::Gt, not(r("up")), int(5)))), ["E406"]);
    assert_eq!(codes(&diags(&bin(BinOp::Gt, r("time"), int(0)))), ["E406"]);
    assert_eq!(codes(&diags(&neg(s("x")))), ["E406"]);
    assert_eq!(codes(&diags(&not(int(1)))), ["E406"]);
    assert_eq!(codes(&diags(&bin(BinOp::Div, r("n"), int(0)))), ["E407"]);
    assert_eq!(codes(&diags(&bin(BinOp::Mod, int(3), int(0)))), ["E407"]);
    // 1 < 2 < 3: boolean < int
    assert_eq!(codes(&diags(&bin(BinOp::Lt, bin(BinOp::Lt, int(1), int(2)), int(3)))), ["E406"]);
    // "value" > 90 AND 5: an int is never an operand of AND.
    assert_eq!(codes(&diags(&bin(BinOp::And, bin(BinOp::Gt, r("value"), int(90)), int(5)))), ["E406"]);
    // TRUE == 'x': both types support ==, but not together.
    assert_eq!(codes(&diags(&bin(BinOp::Eq, boolean(true), s("x")))), ["E401"]);
}

#[test]
fn all_static_errors_are_collected() {
    let body = bin(
        BinOp::And,
        bin(BinOp::Lt, s("a"), int(1)),
        bin(BinOp::Gt, call("foo", vec![]), e(ExprKind::Ident("threshold".into()))),
    );
    assert_eq!(codes(&diags(&body)), ["E401", "E404", "E203"]);
}

#[test]
fn function_diagnostics() {
    let d = diags(&call("sqrt", vec![at(ExprKind::Int(4), 5, 6)]));
    assert_eq!(codes(&d), ["E405"]);
    assert_eq!(d[0].span, Span::new(5, 6));
    assert!(d[0].help.as_deref().unwrap().contains("write 4.0"), "{:?}", d[0].help);

    assert_eq!(codes(&diags(&call("duration", vec![s("5m")]))), ["E405"]);
    assert_eq!(codes(&diags(&call("if", vec![r("b"), int(1), float(2.0)]))), ["E405"]);
    assert_eq!(codes(&diags(&call("strLength", vec![s("a"), s("b")]))), ["E405"]);
    assert_eq!(codes(&diags(&call("int", vec![dur(5)]))), ["E405"]);

    let d = diags(&call("sigam", vec![r("v")]));
    assert_eq!(codes(&d), ["E404"]);
    assert_eq!(d[0].help.as_deref(), Some("did you mean `sigma()`?"));

    let d = diags(&call("rand", vec![]));
    assert_eq!(codes(&d), ["E404"]);
    assert!(d[0].help.as_deref().unwrap().contains("1.6.5"));

    // Unknown argument types only narrow the candidates.
    assert_eq!(compile(&call("float", vec![r("x")])).static_type(), StaticType::Float);
    assert_eq!(compile(&call("abs", vec![r("x")])).static_type(), StaticType::Float);
}

#[test]
fn undefined_identifier_points_at_it() {
    let d = diags(&bin(BinOp::Lt, r("usage_idle"), at(ExprKind::Ident("threshold".into()), 20, 29)));
    assert_eq!(codes(&d), ["E203"]);
    assert_eq!(d[0].span, Span::new(20, 29));
}

#[test]
fn predicates_must_be_boolean() {
    let body = at(ExprKind::Binary {
        op: BinOp::Add,
        op_span: Span::new(13, 14),
        lhs: Box::new(r("usage_idle")),
        rhs: Box::new(float(10.0)),
        parens: false,
    }, 0, 20);
    // `"usage_idle" + 10.0`: the type depends on the point, but `+` never yields a boolean.
    assert_eq!(codes(&check_predicate(&body, &CompileOptions::default())), ["E403"]);
    let d = check_predicate(&at(ExprKind::Call { name: Ident { name: "abs".into(), span: Span::new(0, 3) }, args: vec![r("x")] }, 0, 8), &CompileOptions::default());
    assert_eq!(codes(&d), ["E403"]);
    assert_eq!(d[0].span, Span::new(0, 8));
    assert!(check_predicate(&bin(BinOp::Lt, r("x"), int(1)), &CompileOptions::default()).is_empty());
}

#[test]
fn nested_lambda_compiles_its_body() {
    let inner = e(ExprKind::Lambda(Box::new(bin(BinOp::Gt, r("f"), int(1)))));
    assert_eq!(ok(inner), Value::Bool(true));
}

#[test]
fn bad_regex_is_reported() {
    assert_eq!(codes(&diags(&bin(BinOp::RegexMatch, r("h"), re("web(")))), ["E106"]);
}
