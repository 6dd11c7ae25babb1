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
        (Duration, Value::String(s)) => return parse_go_duration(s).map(|_| ()),
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

/// Go's `time.ParseDuration`: `[-+]` then one or more `<decimal><unit>` with
/// units ns, us, µs, ms, s, m, h; `0` alone is allowed. Returns nanoseconds.
pub fn parse_go_duration(text: &str) -> Result<i64, String> {
    let bad = || format!("time: invalid duration {text:?}");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..num_len];
        if number.is_empty() || number == "." {
            return Err(bad());
        }
        let value: f64 = number.parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = unit_nanos(&rest[..unit_len]).ok_or_else(|| {
            if unit_len == 0 { format!("time: missing unit in duration {text:?}") } else { format!("time: unknown unit {:?} in duration {text:?}", &rest[..unit_len]) }
        })?;
        total += value * scale;
        rest = &rest[unit_len..];
    }
    if total > i64::MAX as f64 {
        return Err(format!("time: invalid duration {text:?}"));
    }
    Ok(if negative { -(total as i64) } else { total as i64 })
}

fn unit_nanos(unit: &str) -> Option<f64> {
    Some(match unit {
        "ns" => 1.0,
        "us" | "µs" | "μs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        "m" => 60e9,
        "h" => 3600e9,
        _ => return None,
    })
}

/// The closest of `candidates` to `word` (edit distance ≤ 2, or a prefix).
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (edit_distance(&word, &c.to_ascii_lowercase()), c))
        .filter(|(d, c)| *d <= 2.max(word.len() / 4) || c.starts_with(&word) && word.len() >= 3)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j] + 1).min(row[j + 1] + 1).min(diag + cost);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}
