//! Kapacitor 1.5.7 topic-handler kinds and the options each accepts, with
//! mapstructure's decoding rules (keys match case-insensitively, unknown keys
//! are errors, no weak typing; durations also accept Go duration strings).

use serde_json::Value;

/// The type an option is decoded into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptType {
    /// Go `string`.
    Str,
    /// Go `[]string`.
    StrList,
    /// Go `int`/`int64` (a JSON number with no fraction).
    Int,
    /// Go `bool`.
    Bool,
    /// Go `time.Duration`: integer nanoseconds or a string like `10s`.
    Duration,
    /// Go `map[string]string`.
    StrMap,
}

impl OptType {
    /// The type in words, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            OptType::Str => "a string",
            OptType::StrList => "a list of strings",
            OptType::Int => "an integer",
            OptType::Bool => "a boolean",
            OptType::Duration => "a duration (e.g. 10s, or integer nanoseconds)",
            OptType::StrMap => "a map of strings to strings",
        }
    }
}

/// One handler kind and its options (`None`: tick does not know them and
/// accepts any).
#[derive(Debug, Clone, Copy)]
pub struct KindSchema {
    /// The kind as written in a handler file.
    pub kind: &'static str,
    /// Option names and types.
    pub options: Option<&'static [(&'static str, OptType)]>,
    /// True when `tick run` can execute it.
    pub runnable: bool,
}

use OptType::*;

const fn known(kind: &'static str, options: &'static [(&'static str, OptType)], runnable: bool) -> KindSchema {
    KindSchema { kind, options: Some(options), runnable }
}

const fn opaque(kind: &'static str) -> KindSchema {
    KindSchema { kind, options: None, runnable: false }
}

/// Every kind Kapacitor 1.5.7 accepts (`bigpanda` and `zenoss` came later).
pub const KINDS: &[KindSchema] = &[
    known("aggregate", &[("id", Str), ("interval", Duration), ("topic", Str), ("message", Str)], false),
    opaque("alerta"),
    opaque("discord"),
    known("exec", &[("prog", Str), ("args", StrList)], true),
    opaque("hipchat"),
    opaque("kafka"),
    known("log", &[("path", Str), ("mode", Int)], true),
    opaque("mqtt"),
    opaque("opsgenie"),
    opaque("opsgenie2"),
    opaque("pagerduty"),
    opaque("pagerduty2"),
    known(
        "post",
        &[
            ("url", Str),
            ("endpoint", Str),
            ("headers", StrMap),
            ("capture-response", Bool),
            ("timeout", Duration),
            ("skip-ssl-verification", Bool),
        ],
        true,
    ),
    known("publish", &[("topics", StrList)], true),
    opaque("pushover"),
    opaque("sensu"),
    opaque("servicenow"),
    opaque("slack"),
    opaque("smtp"),
    opaque("snmptrap"),
    opaque("talk"),
    known("tcp", &[("address", Str)], true),
    opaque("teams"),
    opaque("telegram"),
    opaque("victorops"),
];

/// The schema of `kind` (case-sensitive, as in Kapacitor).
pub fn schema(kind: &str) -> Option<&'static KindSchema> {
    KINDS.iter().find(|k| k.kind == kind)
}

/// The option name `key` matches in `options` (mapstructure matches
/// case-insensitively when there is no exact match).
pub fn match_option(options: &[(&'static str, OptType)], key: &str) -> Option<(&'static str, OptType)> {
    options
        .iter()
        .find(|(name, _)| *name == key)
        .or_else(|| options.iter().find(|(name, _)| name.eq_ignore_ascii_case(key)))
        .copied()
}

/// Checks one value against its option type; the error says what was found.
pub fn check_type(ty: OptType, value: &Value) -> Result<(), String> {
    let ok = match (ty, value) {
        (_, Value::Null) => true,
        (Str, Value::String(_)) | (Bool, Value::Bool(_)) => true,
        (Int, Value::Number(n)) => n.is_i64() || n.as_f64().is_some_and(|f| f.fract() == 0.0),
        (Duration, Value::Number(n)) => n.is_i64(),
        (Duration, Value::String(s)) => return crate::gofmt::parse_duration(s).map(|_| ()),
        (StrList, Value::Array(items)) => items.iter().all(Value::is_string),
        (StrMap, Value::Object(map)) => map.values().all(Value::is_string),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(format!("expected {}, got {}", ty.describe(), describe_value(value)))
    }
}

/// A JSON value in words (`a number (123)`), for messages.
pub fn describe_value(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => format!("a boolean ({b})"),
        Value::Number(n) => format!("a number ({n})"),
        Value::String(s) => format!("a string ({s:?})"),
        Value::Array(items) if items.iter().all(Value::is_string) => "a list".to_string(),
        Value::Array(_) => "a list with a non-string item".to_string(),
        Value::Object(_) => "a map".to_string(),
    }
}
