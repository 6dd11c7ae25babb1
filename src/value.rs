//! Runtime values of lambda expressions, with Kapacitor's type names.

use std::sync::Arc;

/// A value a lambda expression produces or reads from a point.
#[derive(Debug, Clone)]
pub enum Value {
    /// `boolean`
    Bool(bool),
    /// `int` (64-bit, wrapping like Go)
    Int(i64),
    /// `float`
    Float(f64),
    /// `string`
    Str(Arc<str>),
    /// `duration`, in nanoseconds
    Duration(i64),
    /// `time`, nanoseconds since the Unix epoch (UTC)
    Time(i64),
    /// `regex`
    Regex(Arc<regex::Regex>),
    /// `missing`: a reference to a field or tag the point does not have
    Missing,
}

impl Value {
    /// The type as Kapacitor names it in error messages (`float`, `int`, `string`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Bool(_) => "boolean",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "string",
            Value::Duration(_) => "duration",
            Value::Time(_) => "time",
            Value::Regex(_) => "regex",
            Value::Missing => "missing",
        }
    }
}

impl PartialEq for Value {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Value::Bool(a), Value::Bool(b)) => a == b,
            (Value::Int(a), Value::Int(b)) => a == b,
            (Value::Float(a), Value::Float(b)) => a == b,
            (Value::Str(a), Value::Str(b)) => a == b,
            (Value::Duration(a), Value::Duration(b)) => a == b,
            (Value::Time(a), Value::Time(b)) => a == b,
            (Value::Regex(a), Value::Regex(b)) => a.as_str() == b.as_str(),
            (Value::Missing, Value::Missing) => true,
            _ => false,
        }
    }
}

/// A field value as line protocol carries it.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// `1.5`, `7` (no suffix means float)
    Float(f64),
    /// `7i`
    Int(i64),
    /// `"text"`
    Str(Arc<str>),
    /// `t`, `true`, `F`, ...
    Bool(bool),
    /// Go's `nil`: what a join's `.fill('null')` puts in for a missing parent's fields.
    Null,
}

impl FieldValue {
    /// The equivalent lambda value.
    pub fn to_value(&self) -> Value {
        match self {
            FieldValue::Float(f) => Value::Float(*f),
            FieldValue::Int(i) => Value::Int(*i),
            FieldValue::Str(s) => Value::Str(s.clone()),
            FieldValue::Bool(b) => Value::Bool(*b),
            FieldValue::Null => Value::Missing,
        }
    }

    /// The field value for a lambda result, when the type can be stored in a point.
    pub fn from_value(value: &Value) -> Option<FieldValue> {
        match value {
            Value::Float(f) => Some(FieldValue::Float(*f)),
            Value::Int(i) => Some(FieldValue::Int(*i)),
            Value::Str(s) => Some(FieldValue::Str(s.clone())),
            Value::Bool(b) => Some(FieldValue::Bool(*b)),
            Value::Duration(d) => Some(FieldValue::Int(*d)),
            Value::Time(_) | Value::Regex(_) | Value::Missing => None,
        }
    }
}
