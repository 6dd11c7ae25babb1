//! String builtins with Go's `strings` semantics (byte indices, cutsets of runes).

use super::functions::CallResult;
use crate::value::Value;

fn string(s: impl Into<std::sync::Arc<str>>) -> Value {
    Value::Str(s.into())
}

/// Calls string builtin `name`; `None` when the name or arguments do not fit.
pub(crate) fn call(name: &str, args: &[Value]) -> Option<CallResult> {
    use Value::{Int, Str};
    Some(match (name, args) {
        ("strLength", [Str(s)]) => Ok(Int(s.len() as i64)),
        ("strToLower", [Str(s)]) => Ok(string(s.to_lowercase())),
        ("strToUpper", [Str(s)]) => Ok(string(s.to_uppercase())),
        ("strTrimSpace", [Str(s)]) => Ok(string(s.trim_matches(is_go_space))),
        ("strReplace", [Str(s), Str(old), Str(new), Int(n)]) => Ok(string(replace(s, old, new, *n))),
        ("strSubstring", [Str(s), Int(start), Int(stop)]) => substring(s, *start, *stop),
        (_, [Str(a), Str(b)]) => Ok(two_strings(name, a, b)?),
        _ => return None,
    })
}

/// The `(string, string)` functions.
fn two_strings(name: &str, a: &str, b: &str) -> Option<Value> {
    use Value::{Bool, Int};
    let index = |i: Option<usize>| Int(i.map_or(-1, |i| i as i64));
    Some(match name {
        "strContains" => Bool(a.contains(b)),
        "strContainsAny" => Bool(a.contains(|c| b.contains(c))),
        "strHasPrefix" => Bool(a.starts_with(b)),
        "strHasSuffix" => Bool(a.ends_with(b)),
        "strCount" => Int(count(a, b)),
        "strIndex" => index(a.find(b)),
        "strIndexAny" => index(a.find(|c| b.contains(c))),
        "strLastIndex" => index(a.rfind(b)),
        "strLastIndexAny" => index(a.rfind(|c| b.contains(c))),
        "strTrim" => string(a.trim_matches(|c| b.contains(c))),
        "strTrimLeft" => string(a.trim_start_matches(|c| b.contains(c))),
        "strTrimRight" => string(a.trim_end_matches(|c| b.contains(c))),
        "strTrimPrefix" => string(a.strip_prefix(b).unwrap_or(a)),
        "strTrimSuffix" => string(a.strip_suffix(b).unwrap_or(a)),
        _ => return None,
    })
}

/// Go's `unicode.IsSpace` as `strings.TrimSpace` uses it.
fn is_go_space(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{85}' | '\u{a0}') || (c as u32 > 0xff && c.is_whitespace())
}

/// Go's `strings.Count`: an empty separator counts rune boundaries (runes + 1).
fn count(s: &str, sep: &str) -> i64 {
    if sep.is_empty() {
        return s.chars().count() as i64 + 1;
    }
    s.matches(sep).count() as i64
}

/// Go's `strings.Replace`: `n < 0` replaces all; an empty `old` inserts between runes.
fn replace(s: &str, old: &str, new: &str, n: i64) -> String {
    if n < 0 {
        return s.replace(old, new);
    }
    if old.is_empty() {
        return replace_empty(s, new, n as usize);
    }
    s.replacen(old, new, n as usize)
}

fn replace_empty(s: &str, new: &str, n: usize) -> String {
    let mut out = String::with_capacity(s.len() + new.len() * n.min(s.len() + 1));
    let mut done = 0;
    for c in s.chars() {
        if done < n {
            out.push_str(new);
            done += 1;
        }
        out.push(c);
    }
    if done < n {
        out.push_str(new);
    }
    out
}

/// `strSubstring(s, start, stop)`: byte slice `[start, stop)`; errors instead of Go's panics.
fn substring(s: &str, start: i64, stop: i64) -> CallResult {
    if start < 0 {
        return Err(format!("found negative index for strSubstring: {start}"));
    }
    if stop < 0 {
        return Err(format!("found negative index for strSubstring: {stop}"));
    }
    if stop as usize >= s.len() {
        return Err(format!("stop index too large for string in strSubstring: {stop}"));
    }
    if start > stop {
        return Err(format!("slice bounds out of range [{start}:{stop}]"));
    }
    let bytes = &s.as_bytes()[start as usize..stop as usize];
    Ok(string(String::from_utf8_lossy(bytes).as_ref()))
}
