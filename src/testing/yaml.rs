//! Values written back as block YAML (for diffs and `--update`): maps and
//! lists of maps as blocks down to a depth, everything deeper in flow style.

use super::expect::MISSING;
use serde_json::{Map, Value};

/// Keys in the order people read an alert, an exec call or a topic.
const KEY_ORDER: &[&str] = &[
    "task", "id", "level", "previousLevel", "message", "time", "duration", "details", "data", "recoverable", "argv", "stdin",
    "collected", "events",
];

/// A list as `- ` items at `indent`; maps inside are blocks for `depth` more levels.
pub fn list(items: &[Value], indent: usize, depth: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let mut out = Vec::new();
    for item in items {
        match item {
            Value::Object(map) if !map.is_empty() && depth > 0 => {
                let lines = map_lines(map, indent + 2, depth - 1);
                for (i, line) in lines.into_iter().enumerate() {
                    out.push(if i == 0 { format!("{pad}- {}", &line[indent + 2..]) } else { line });
                }
            }
            other => out.push(format!("{pad}- {}", flow(other))),
        }
    }
    out
}

/// A map as `key: value` lines at `indent`.
pub fn map_lines(map: &Map<String, Value>, indent: usize, depth: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let mut out = Vec::new();
    for key in ordered_keys(map) {
        let value = &map[key];
        let name = scalar(&Value::from(key.as_str()), false);
        match value {
            Value::Object(inner) if !inner.is_empty() && depth > 0 => {
                out.push(format!("{pad}{name}:"));
                out.extend(map_lines(inner, indent + 2, depth - 1));
            }
            Value::Array(items) if depth > 0 && items.iter().any(Value::is_object) => {
                out.push(format!("{pad}{name}:"));
                out.extend(list(items, indent + 2, depth - 1));
            }
            other => out.push(format!("{pad}{name}: {}", flow(other))),
        }
    }
    out
}

fn ordered_keys(map: &Map<String, Value>) -> Vec<&String> {
    let mut keys: Vec<&String> = map.keys().collect();
    let rank = |k: &str| KEY_ORDER.iter().position(|o| *o == k).unwrap_or(KEY_ORDER.len());
    keys.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
    keys
}

/// A value on one line, in YAML flow style.
pub fn flow(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let items: Vec<String> = ordered_keys(map).into_iter().map(|k| format!("{}: {}", scalar(&Value::from(k.as_str()), true), flow(&map[k]))).collect();
            format!("{{{}}}", items.join(", "))
        }
        Value::Array(items) => format!("[{}]", items.iter().map(flow).collect::<Vec<_>>().join(", ")),
        other => scalar(other, true),
    }
}

/// A scalar, quoted (JSON style) only when plain YAML would read it differently.
fn scalar(value: &Value, in_flow: bool) -> String {
    match value {
        Value::String(s) if s == MISSING => "(missing)".to_string(),
        Value::String(s) if is_plain(s, in_flow) => s.clone(),
        other => other.to_string(),
    }
}

fn is_plain(s: &str, in_flow: bool) -> bool {
    const RESERVED: &[&str] = &["true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"];
    let first_ok = s.chars().next().is_some_and(|c| c.is_alphanumeric() || "/._".contains(c));
    let chars_ok = s.chars().all(|c| c.is_alphanumeric() || " /._-@()'".contains(c) || (c == ':' && !in_flow));
    first_ok
        && chars_ok
        && !s.ends_with(' ')
        && !s.ends_with(':')
        && !s.contains(": ")
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str())
        && s.parse::<f64>().is_err()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn lists_of_maps_are_blocks_and_deeper_values_flow() {
        let items = [json!({"level": "OK", "id": "cpu:nil", "stdin": {"id": "a b", "count": 1}, "time": "+1s"})];
        assert_eq!(
            list(&items, 2, 1),
            ["  - id: \"cpu:nil\"", "    level: OK", "    time: \"+1s\"", "    stdin: {id: a b, count: 1}"]
        );
    }

    #[test]
    fn ambiguous_strings_are_quoted() {
        let shown: Vec<String> = ["5", "true", "No", "a: b", "x,y", "", "Hey, check"].iter().map(|s| flow(&json!(s))).collect();
        assert_eq!(shown, ["\"5\"", "\"true\"", "\"No\"", "\"a: b\"", "\"x,y\"", "\"\"", "\"Hey, check\""]);
        assert_eq!(flow(&json!({"id": "cpu:nil"})), "{id: \"cpu:nil\"}");
    }
}
