//! What a lambda reads ([`Scope`]), and the borrowed lookup the hot comparisons use.

use super::EvalError;
use crate::point::Point;
use crate::value::{FieldValue, Value};

/// A reference's value, borrowed from the point when it can be (no `Arc` clone).
#[derive(Debug)]
pub enum Found<'a> {
    /// A field of the point.
    Field(&'a FieldValue),
    /// A tag of the point (a string).
    Tag(&'a std::sync::Arc<str>),
    /// Any other value (`"time"`, missing, or a scope's own value).
    Owned(Value),
}

impl Found<'_> {
    /// The value as [`Scope::lookup`] gives it.
    pub fn into_value(self) -> Value {
        match self {
            Found::Field(f) => f.to_value(),
            Found::Tag(s) => Value::Str(s.clone()),
            Found::Owned(v) => v,
        }
    }
}

/// What a lambda reads: the point's fields, tags and time.
pub trait Scope {
    /// The point time, nanoseconds since the epoch (UTC).
    fn time(&self) -> i64;
    /// The field, else the tag (as a string), else [`Value::Missing`];
    /// a name that is both a field and a tag is an error.
    fn lookup(&self, name: &str) -> Result<Value, EvalError>;
    /// [`Scope::lookup`] without copying: a point borrows its field or tag.
    fn find(&self, name: &str) -> Result<Found<'_>, EvalError> {
        self.lookup(name).map(Found::Owned)
    }
    /// Match-only zero-argument functions (`changed()`, `level()`, `name()`, `taskName()`).
    fn call_extra(&self, name: &str) -> Option<Value> {
        let _ = name;
        None
    }
}

/// A point as a scope; `"time"` is the point time in UTC (Kapacitor uses local time).
impl Scope for Point {
    fn time(&self) -> i64 {
        self.time
    }

    fn lookup(&self, name: &str) -> Result<Value, EvalError> {
        self.find(name).map(Found::into_value)
    }

    #[inline]
    fn find(&self, name: &str) -> Result<Found<'_>, EvalError> {
        if name == "time" {
            return Ok(Found::Owned(Value::Time(self.time)));
        }
        // Linear scans: points have few fields and tags.
        let tag = self.tags.iter().find(|(k, _)| same_name(k, name));
        match (self.fields.iter().find(|(k, _)| same_name(k, name)), tag) {
            (Some(_), Some(_)) => Err(field_and_tag(name)),
            (Some((_, value)), None) => Ok(Found::Field(value)),
            (None, Some((_, value))) => Ok(Found::Tag(value)),
            (None, None) => Ok(Found::Owned(Value::Missing)),
        }
    }
}

/// The error for a name that is both a field and a tag of the point.
#[cold]
fn field_and_tag(name: &str) -> EvalError {
    EvalError::new(format!("cannot have field and tags with same name \"{name}\""))
}

/// Whether two (usually short) names are equal: lengths first, then the
/// bytes as two overlapping words, without a library `memcmp` call for
/// names of up to 16 bytes.
#[inline]
pub fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        4..=7 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        _ => a == b,
    }
}

/// The 8 bytes of `s` from `at`.
#[inline(always)]
fn word8(s: &[u8], at: usize) -> u64 {
    let mut w = [0; 8];
    w.copy_from_slice(&s[at..at + 8]);
    u64::from_ne_bytes(w)
}

/// The 4 bytes of `s` from `at`.
#[inline(always)]
fn word4(s: &[u8], at: usize) -> u32 {
    let mut w = [0; 4];
    w.copy_from_slice(&s[at..at + 4]);
    u32::from_ne_bytes(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_name_agrees_with_equality() {
        let text = "abcdefghijklmnopqrstuvwxyz";
        for n in 0..text.len() {
            let a = &text[..n];
            assert!(same_name(a, &String::from(a)));
            assert!(!same_name(a, &text[..n + 1]));
            for i in 0..n {
                let mut b = a.as_bytes().to_vec();
                b[i] = b'_';
                assert!(!same_name(a, std::str::from_utf8(&b).unwrap()), "{a} {i}");
            }
        }
    }

    #[test]
    fn find_borrows_what_lookup_copies() {
        let mut p = Point { name: "cpu".into(), time: 7, ..Point::default() };
        p.set_tag("host", "a".into());
        p.set_field("v", FieldValue::Int(3));
        for name in ["host", "v", "time", "nope"] {
            assert_eq!(p.find(name).unwrap().into_value(), p.lookup(name).unwrap(), "{name}");
        }
        assert!(matches!(p.find("host").unwrap(), Found::Tag(_)));
        assert!(matches!(p.find("v").unwrap(), Found::Field(_)));
        p.set_tag("v", "x".into());
        assert!(p.find("v").is_err());
    }
}
