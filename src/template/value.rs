//! The data model templates see: the Go values Kapacitor passes in.

use std::collections::BTreeMap;

/// A Go value as seen by `text/template`.
#[derive(Debug, Clone, PartialEq)]
pub enum TValue {
    /// A missing value (`<no value>` when printed) or Go `nil`.
    Nil,
    /// `bool`
    Bool(bool),
    /// `int64` (integers from fields, integer literals).
    Int(i64),
    /// `float64`
    Float(f64),
    /// `string`
    Str(String),
    /// `time.Time`, nanoseconds since the Unix epoch, UTC.
    Time(i64),
    /// `time.Duration`, nanoseconds.
    Duration(i64),
    /// `map[string]string` (`.Tags`).
    StrMap(BTreeMap<String, String>),
    /// `map[string]interface{}` (`.Fields`).
    Map(BTreeMap<String, TValue>),
    /// A struct: its Go type name (for errors) and its fields in declared order.
    Struct(&'static str, Vec<(&'static str, TValue)>),
}

/// Go's `reflect` kinds that `eq`, `lt` and friends distinguish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BasicKind {
    /// `bool`
    Bool,
    /// signed integers (including `time.Duration`)
    Int,
    /// floats
    Float,
    /// strings
    Str,
    /// anything else (maps, structs, missing values)
    Other,
}

impl TValue {
    /// The Go type name used in error messages and `%!verb(type=value)`.
    pub fn go_type(&self) -> &'static str {
        match self {
            TValue::Nil => "<nil>",
            TValue::Bool(_) => "bool",
            TValue::Int(_) => "int64",
            TValue::Float(_) => "float64",
            TValue::Str(_) => "string",
            TValue::Time(_) => "time.Time",
            TValue::Duration(_) => "time.Duration",
            TValue::StrMap(_) => "map[string]string",
            TValue::Map(_) => "map[string]interface {}",
            TValue::Struct(name, _) => name,
        }
    }

    /// The kind Go's comparison functions switch on.
    pub fn basic_kind(&self) -> BasicKind {
        match self {
            TValue::Bool(_) => BasicKind::Bool,
            TValue::Int(_) | TValue::Duration(_) => BasicKind::Int,
            TValue::Float(_) => BasicKind::Float,
            TValue::Str(_) => BasicKind::Str,
            _ => BasicKind::Other,
        }
    }

    /// Go's template truth: false, 0, "", empty maps and missing values are false.
    pub fn is_true(&self) -> bool {
        match self {
            TValue::Nil => false,
            TValue::Bool(b) => *b,
            TValue::Int(i) | TValue::Duration(i) => *i != 0,
            TValue::Float(f) => *f != 0.0,
            TValue::Str(s) => !s.is_empty(),
            TValue::StrMap(m) => !m.is_empty(),
            TValue::Map(m) => !m.is_empty(),
            TValue::Time(_) | TValue::Struct(..) => true,
        }
    }

    /// The integer inside an `Int` or `Duration`.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            TValue::Int(i) | TValue::Duration(i) => Some(*i),
            _ => None,
        }
    }

    /// `.name` on this value, Go-style: struct fields, map keys (missing → `Nil`),
    /// and a few argument-less methods of `time.Time` and `time.Duration`.
    pub fn field(&self, name: &str) -> Result<TValue, String> {
        let cant = || format!("can't evaluate field {name} in type {}", self.go_type());
        match self {
            TValue::Nil => Ok(TValue::Nil),
            TValue::Struct(_, fields) => fields
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| v.clone())
                .ok_or_else(cant),
            TValue::StrMap(m) => Ok(m.get(name).map_or(TValue::Nil, |s| TValue::Str(s.clone()))),
            TValue::Map(m) => Ok(m.get(name).cloned().unwrap_or(TValue::Nil)),
            TValue::Time(ns) => time_method(*ns, name).ok_or_else(cant),
            TValue::Duration(ns) => duration_method(*ns, name).ok_or_else(cant),
            _ => Err(cant()),
        }
    }

    /// True when `.name` is a method (so arguments are an arity error, not a field error).
    pub fn has_method(&self, name: &str) -> bool {
        match self {
            TValue::Time(ns) => time_method(*ns, name).is_some(),
            TValue::Duration(ns) => duration_method(*ns, name).is_some(),
            _ => false,
        }
    }
}

const NS_PER_SEC: i64 = 1_000_000_000;

/// The supported argument-less methods of `time.Time` (UTC).
fn time_method(ns: i64, name: &str) -> Option<TValue> {
    use chrono::{Datelike, Timelike};
    let dt = chrono::DateTime::from_timestamp_nanos(ns);
    let int = |i: i64| Some(TValue::Int(i));
    match name {
        "Unix" => int(ns.div_euclid(NS_PER_SEC)),
        "UnixNano" => int(ns),
        "UnixMilli" => int(ns.div_euclid(1_000_000)),
        "UnixMicro" => int(ns.div_euclid(1_000)),
        "Year" => int(dt.year().into()),
        "YearDay" => int(dt.ordinal().into()),
        "Day" => int(dt.day().into()),
        "Hour" => int(dt.hour().into()),
        "Minute" => int(dt.minute().into()),
        "Second" => int(dt.second().into()),
        "Nanosecond" => int(ns.rem_euclid(NS_PER_SEC)),
        "UTC" | "Local" | "Round" => Some(TValue::Time(ns)),
        "String" => Some(TValue::Str(crate::gofmt::time_string(ns))),
        "IsZero" => Some(TValue::Bool(false)),
        _ => None,
    }
}

/// The supported argument-less methods of `time.Duration`.
fn duration_method(ns: i64, name: &str) -> Option<TValue> {
    // Go splits whole units and remainder to keep precision: `sec + nsec/1e9`.
    let float = |unit: i64| {
        Some(TValue::Float(
            (ns / unit) as f64 + (ns % unit) as f64 / unit as f64,
        ))
    };
    match name {
        "Nanoseconds" => Some(TValue::Int(ns)),
        "Microseconds" => Some(TValue::Int(ns / 1_000)),
        "Milliseconds" => Some(TValue::Int(ns / 1_000_000)),
        "Seconds" => float(NS_PER_SEC),
        "Minutes" => float(60 * NS_PER_SEC),
        "Hours" => float(3600 * NS_PER_SEC),
        "String" => Some(TValue::Str(crate::gofmt::duration_string(ns))),
        _ => None,
    }
}
