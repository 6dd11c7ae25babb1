//! Arguments against a catalogue signature: count, kinds, and values that can never work.

use super::catalog::{Kind, Rule, Sig};
use super::chain::Walker;
use super::lambda;
use super::scope::{kind_article, CVal};
use crate::ast::{Expr, Link};
use crate::diagnostic::{Code, Diag};
use crate::program::Arg;
use crate::span::Span;
use crate::value::Value;

/// Properties and nodes whose lambda must be boolean.
const PREDICATES: &[&str] = &["where", "crit", "warn", "info", "critReset", "warnReset", "infoReset", "stateDuration", "stateCount"];

/// Checks `exprs` against `sig`; returns the arguments and their spans.
pub fn checked_args(
    walker: &mut Walker,
    sig: &Sig,
    rules: &[(usize, Rule)],
    exprs: &[Expr],
    link: &Link,
    method: &str,
) -> (Vec<Arg>, Vec<Span>) {
    let mut values: Vec<(CVal, Span)> = exprs.iter().map(|e| (walker.expr(e), e.span)).collect();
    if let [(CVal::List(items), _)] = values.as_slice() {
        if sig.rest.is_some() {
            values = items.clone();
        }
    }
    // A template `var x list` fills a variadic string parameter (`.groupBy(groups)`).
    if let [(CVal::Const { kind: Kind::StrList, value: None }, span)] = values.as_slice() {
        if matches!(sig.rest, Some(Kind::Str | Kind::Dimension | Kind::Any)) && sig.required.is_empty() {
            return (vec![Arg::Template], vec![*span]);
        }
    }
    if !count_ok(walker, sig, &values, link, method) {
        return (vec![], vec![]);
    }
    let mut args = Vec::with_capacity(values.len());
    let mut spans = Vec::with_capacity(values.len());
    for (i, (value, span)) in values.into_iter().enumerate() {
        let kind = expected_kind(sig, i);
        let predicate = PREDICATES.contains(&method);
        if let Some(arg) = convert(walker, value, span, kind, method, predicate) {
            for (_, rule) in rules.iter().filter(|(idx, _)| *idx == i) {
                apply_rule(walker, *rule, &arg, span, method);
            }
            args.push(arg);
            spans.push(span);
        }
    }
    (args, spans)
}

fn expected_kind(sig: &Sig, i: usize) -> Kind {
    let fixed = sig.required.len() + sig.optional.len();
    if i < sig.required.len() {
        sig.required[i]
    } else if i < fixed {
        sig.optional[i - sig.required.len()]
    } else {
        sig.rest.unwrap_or(Kind::Any)
    }
}

fn count_ok(walker: &mut Walker, sig: &Sig, values: &[(CVal, Span)], link: &Link, method: &str) -> bool {
    let min = sig.required.len();
    let max = if sig.rest.is_some() { usize::MAX } else { min + sig.optional.len() };
    let n = values.len();
    if (min..=max).contains(&n) {
        return true;
    }
    let expected = match (min, max) {
        (a, b) if a == b => format!("{a} argument{}", if a == 1 { "" } else { "s" }),
        (a, usize::MAX) => format!("at least {a}"),
        (a, b) => format!("{a} to {b}"),
    };
    let span = if n > max { values[max].1.to(values[n - 1].1) } else { link.span };
    let label = if n > max { "unexpected argument" } else { "missing argument" };
    walker.report(
        Diag::new(Code::ArgCount, span, format!("`{method}` takes {expected}, found {n}"))
            .with_label(label)
            .with_help(format!("signature: {method}({})", signature(sig))),
    );
    false
}

/// `string, float, ...string` for messages.
pub fn signature(sig: &Sig) -> String {
    let mut parts: Vec<String> = sig.required.iter().map(|k| kind_name(*k).to_string()).collect();
    parts.extend(sig.optional.iter().map(|k| format!("[{}]", kind_name(*k))));
    if let Some(rest) = sig.rest {
        parts.push(format!("...{}", kind_name(rest)));
    }
    parts.join(", ")
}

fn kind_name(kind: Kind) -> &'static str {
    kind_article(kind).trim_start_matches("an ").trim_start_matches("a ")
}

fn convert(walker: &mut Walker, value: CVal, span: Span, kind: Kind, method: &str, predicate: bool) -> Option<Arg> {
    let arg = match (&value, kind) {
        (CVal::Error, _) => return None,
        (CVal::Const { kind: k, value }, want) if *k == want || want == Kind::Any || (want == Kind::Dimension && *k == Kind::Str) => {
            value.clone().map_or(Arg::Template, Arg::Value)
        }
        (CVal::Star, Kind::Star | Kind::Dimension | Kind::Any) => Arg::Star,
        (CVal::Lambda(body), Kind::Lambda | Kind::Any) => {
            lambda::check(walker, body, predicate);
            Arg::Lambda(body.clone())
        }
        (CVal::Node(n), Kind::Node | Kind::Any) => Arg::Node(*n),
        (CVal::Call(name, args), Kind::Dimension | Kind::Any) if name == "time" => {
            Arg::Call(name.clone(), args.iter().filter_map(|(v, _)| const_arg(v)).collect())
        }
        (CVal::List(items), Kind::StrList | Kind::Any) => {
            Arg::List(items.iter().filter_map(|(v, _)| const_arg(v)).collect())
        }
        _ => {
            walker.report(kind_error(&value, span, kind, method));
            return None;
        }
    };
    Some(arg)
}

fn const_arg(value: &CVal) -> Option<Arg> {
    match value {
        CVal::Const { value: Some(v), .. } => Some(Arg::Value(v.clone())),
        CVal::Star => Some(Arg::Star),
        _ => None,
    }
}

fn kind_error(value: &CVal, span: Span, want: Kind, method: &str) -> Diag {
    if let (CVal::Ref(name), Kind::Str | Kind::Dimension) = (value, want) {
        return Diag::new(Code::DoubleQuotedString, span, format!("`{method}` wants a string, but \"{name}\" is a field reference"))
            .with_label("double quotes make a field or tag reference")
            .with_help(format!("use single quotes for a string: '{name}'"));
    }
    let diag = Diag::new(Code::ArgKind, span, format!("`{method}` wants {}, found {}", kind_article(want), value.describe()))
        .with_label(format!("expected {}", kind_article(want)));
    match (value, want) {
        (CVal::Const { value: Some(Value::Int(i)), .. }, Kind::Float) => diag.with_help(format!("write it as a float: {i}.0")),
        (CVal::Const { value: Some(Value::Int(i)), .. }, Kind::Duration) => {
            diag.with_help(format!("give it a unit: {i}s, {i}m, {i}h (units: u, ms, s, m, h, d, w)"))
        }
        (CVal::Const { value: Some(Value::Str(s)), .. }, Kind::Duration) => {
            diag.with_help(format!("durations are written without quotes: {s}"))
        }
        (CVal::Const { value: Some(Value::Float(f)), .. }, Kind::Int) => {
            diag.with_help(format!("write an integer: {}", f.trunc()))
        }
        (CVal::Ref(_) | CVal::Const { .. }, Kind::Lambda) => {
            diag.with_help("prefix the expression with `lambda:`, e.g. lambda: \"usage_idle\" < 10")
        }
        _ => diag,
    }
}

fn apply_rule(walker: &mut Walker, rule: Rule, arg: &Arg, span: Span, method: &str) {
    let problem = match (rule, arg) {
        (Rule::PositiveDuration, Arg::Value(Value::Duration(d))) if *d <= 0 => Some("must be a positive duration"),
        (Rule::NonNegativeDuration, Arg::Value(Value::Duration(d))) if *d < 0 => Some("must not be negative"),
        (Rule::NonEmptyStr, Arg::Value(Value::Str(s))) if s.is_empty() => Some("must not be empty"),
        (Rule::Fraction, Arg::Value(Value::Float(f))) if !(0.0..=1.0).contains(f) => {
            Some("is a fraction and must be between 0.0 and 1.0")
        }
        (Rule::AbsolutePath, Arg::Value(Value::Str(s))) if !s.starts_with('/') => Some("must be an absolute path"),
        (Rule::FileMode, Arg::Value(Value::Int(m))) if !(0..=0o7777).contains(m) || m & 0o200 == 0 => {
            Some("must be a file mode the user can write (e.g. 0644)")
        }
        (Rule::PositiveInt, Arg::Value(Value::Int(i))) if *i <= 0 => Some("must be greater than zero"),
        (Rule::NonNegativeInt, Arg::Value(Value::Int(i))) if *i < 0 => Some("must not be negative"),
        _ => None,
    };
    if let Some(problem) = problem {
        walker.report(
            Diag::new(Code::NeverWorks, span, format!("the argument of `{method}` {problem}"))
                .with_label("this value can never work"),
        );
    }
}
