//! What a lambda reads ([`Scope`]), and the borrowed lookup the hot comparisons use.

use super::EvalError;
use crate::point::{same_name, Point};
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

#[cfg(test)]
mod tests {
    use super::*;

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

