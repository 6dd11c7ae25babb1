//! Partial matching of JSON values: every key the test names must match,
//! other keys are ignored; lists match item by item, in order.
//!
//! Three keys accept a friendlier form: `time` a relative `+10s`, `duration`
//! a Go duration (`1m30s`), and any string holding JSON (`details`) an object.

use crate::gofmt::duration_string;
use crate::gofmt::parse_duration;
use serde_json::{Map, Value};

/// The text shown for a key the actual value lacks.
pub const MISSING: &str = "\u{0}missing";

/// What relative expectations are relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Frame {
    /// The case's base time, ns since the epoch.
    pub base_ns: i64,
}

/// True when `actual` has everything `expected` names (under `key`).
pub fn matches(expected: &Value, actual: &Value, key: &str, frame: Frame) -> bool {
    if let Some(same) = same_instant(expected, actual, key, frame) {
        return same;
    }
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => e.iter().all(|(k, ev)| a.get(k).is_some_and(|av| matches(ev, av, k, frame))),
        (Value::Object(_) | Value::Array(_), Value::String(text)) => {
            embedded_json(text).is_some_and(|parsed| matches(expected, &parsed, key, frame))
        }
        (Value::Array(e), Value::Array(a)) => lists_match(e, a, frame),
        (Value::Number(e), Value::Number(a)) => e.as_f64() == a.as_f64(),
        (Value::Number(_) | Value::Bool(_), Value::String(a)) => a.as_str() == expected.to_string().as_str(),
        _ => expected == actual,
    }
}

/// Lists of equal length whose items match pairwise.
pub fn lists_match(expected: &[Value], actual: &[Value], frame: Frame) -> bool {
    expected.len() == actual.len() && expected.iter().zip(actual).all(|(e, a)| matches(e, a, "", frame))
}

/// `actual` cut down to the keys of `expected` and written in its form
/// (a matching value is shown exactly as expected), for diffs.
pub fn project(expected: &Value, actual: &Value, key: &str, frame: Frame) -> Value {
    if matches(expected, actual, key, frame) && !expected.is_object() && !expected.is_array() {
        return expected.clone();
    }
    if let Some(friendly) = friendly_form(expected, actual, key, frame) {
        return friendly;
    }
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => Value::Object(
            e.iter()
                .map(|(k, ev)| (k.clone(), a.get(k).map_or_else(|| Value::from(MISSING), |av| project(ev, av, k, frame))))
                .collect(),
        ),
        (Value::Object(_) | Value::Array(_), Value::String(text)) => match embedded_json(text) {
            Some(parsed) => project(expected, &parsed, key, frame),
            None => actual.clone(),
        },
        (Value::Array(e), Value::Array(a)) => {
            Value::Array(a.iter().enumerate().map(|(i, av)| e.get(i).map_or_else(|| av.clone(), |ev| project(ev, av, "", frame))).collect())
        }
        _ => actual.clone(),
    }
}

/// For `time` and `duration` in a friendly form: do both sides mean the same instant or length?
fn same_instant(expected: &Value, actual: &Value, key: &str, frame: Frame) -> Option<bool> {
    match key {
        "time" if is_relative(expected) => Some(time_ns(expected, frame)? == time_ns(actual, frame)?),
        "duration" if expected.is_string() => Some(duration_ns(expected)? == duration_ns(actual)?),
        _ => None,
    }
}

/// `actual` written the way `expected` is (relative time, Go duration).
fn friendly_form(expected: &Value, actual: &Value, key: &str, frame: Frame) -> Option<Value> {
    match key {
        "time" if is_relative(expected) => Some(Value::from(relative(time_ns(actual, frame)? - frame.base_ns))),
        "duration" if expected.is_string() => Some(Value::from(duration_string(duration_ns(actual)?))),
        _ => None,
    }
}

fn is_relative(value: &Value) -> bool {
    value.as_str().is_some_and(|s| s.starts_with('+') || s.starts_with('-'))
}

/// JSON inside a string, also when HTML-escaped (`.details` is an html/template: `&#34;`).
fn embedded_json(text: &str) -> Option<Value> {
    serde_json::from_str(text).ok().or_else(|| serde_json::from_str(&html_unescape(text)).ok())
}

/// Undoes Go html/template escaping: `&#NN;`, `&amp;`, `&lt;`, `&gt;`, `&quot;`.
fn html_unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let entity = rest.find(';').map(|end| (&rest[1..end], end + 1));
        let decoded = entity.and_then(|(name, len)| {
            let c = match name {
                "amp" => '&',
                "lt" => '<',
                "gt" => '>',
                "quot" => '"',
                _ => char::from_u32(name.strip_prefix('#')?.parse().ok()?)?,
            };
            Some((c, len))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `+10s` or `-1m0s`.
pub fn relative(delta_ns: i64) -> String {
    let text = duration_string(delta_ns);
    if delta_ns < 0 { text } else { format!("+{text}") }
}

/// A time in ns: `+10s` (relative to the base), RFC 3339, or a number.
pub fn time_ns(value: &Value, frame: Frame) -> Option<i64> {
    match value {
        Value::String(s) if s.starts_with('+') || s.starts_with('-') => Some(frame.base_ns + parse_duration(s).ok()?),
        Value::String(s) => chrono::DateTime::parse_from_rfc3339(s).ok()?.timestamp_nanos_opt(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

fn duration_ns(value: &Value) -> Option<i64> {
    match value {
        Value::String(s) => parse_duration(s).ok(),
        Value::Number(n) => n.as_i64(),
        _ => None,
    }
}

/// A map of the given keys with null values: projects onto those keys as they are.
pub fn keys_only(keys: &[&str]) -> Value {
    Value::Object(keys.iter().map(|k| (k.to_string(), Value::Null)).collect::<Map<_, _>>())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const F: Frame = Frame { base_ns: 1_000_000_000_000 };

    #[test]
    fn only_named_keys_count() {
        let actual = json!({"id": "cpu", "level": "CRITICAL", "message": "m"});
        assert!(matches(&json!({"level": "CRITICAL"}), &actual, "", F));
        assert!(!matches(&json!({"level": "WARNING"}), &actual, "", F));
        assert!(!matches(&json!({"nope": 1}), &actual, "", F));
    }

    #[test]
    fn friendly_times_durations_and_embedded_json() {
        let actual = json!({"time": "1970-01-01T00:16:50Z", "duration": 90_000_000_000i64, "details": "{&#34;a&#34;:1,&#34;b&#34;:&#34;x&amp;y&#34;}"});
        assert!(matches(&json!({"time": "+10s", "duration": "1m30s", "details": {"a": 1, "b": "x&y"}}), &actual, "", F));
        assert!(!matches(&json!({"time": "+11s"}), &actual, "", F));
        let shown = project(&json!({"time": "+11s", "duration": "1s", "details": {"a": 2}}), &actual, "", F);
        assert_eq!(shown, json!({"time": "+10s", "duration": "1m30s", "details": {"a": 1}}));
    }

    #[test]
    fn numbers_compare_by_value_and_lists_by_length() {
        assert!(matches(&json!(5), &json!(5.0), "", F));
        assert!(matches(&json!(5), &json!("5"), "", F));
        assert!(!lists_match(&[json!({})], &[], F));
        assert_eq!(project(&json!({"x": 1}), &json!({}), "", F), json!({"x": MISSING}));
    }
}
