//! `--update`: rewrites a case's `alerts`, `exec` and `topics` from what it
//! produced, keeping every other line of the file (comments, inputs, order).
//!
//! Items keep the keys the test already names; a new section gets the usual
//! view (id, level, message, time, duration). Only block-style cases are
//! rewritten; comments inside a rewritten section are lost.

use super::expect::{project, Frame};
use super::runner::Actual;
use super::verdict::{alert_view, exec_view};
use super::{yaml, CaseSpec};
use serde_json::{Map, Value};

/// The sections `--update` writes.
const SECTIONS: [&str; 3] = ["alerts", "exec", "topics"];

/// `source` with the expectations of every case in `runs` replaced by its actual output.
pub fn rewrite(source: &str, runs: &[(&CaseSpec, &Actual)]) -> Result<String, String> {
    let mut lines: Vec<String> = source.lines().map(String::from).collect();
    let mut ordered: Vec<&(&CaseSpec, &Actual)> = runs.iter().collect();
    ordered.sort_by_key(|(case, _)| std::cmp::Reverse(case.offset));
    for (case, actual) in ordered {
        rewrite_case(&mut lines, source, case, actual)?;
    }
    let mut out = lines.join("\n");
    if source.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

fn rewrite_case(lines: &mut Vec<String>, source: &str, case: &CaseSpec, actual: &Actual) -> Result<(), String> {
    let start = source[..case.offset].matches('\n').count();
    let line_start = source[..case.offset].rfind('\n').map_or(0, |i| i + 1);
    let indent = source[line_start..case.offset].chars().count();
    let declared = [case.expect.alerts.is_some(), case.expect.exec.is_some(), case.expect.topics.is_some()];
    let nothing = !declared.iter().any(|d| *d);
    for (i, section) in SECTIONS.iter().enumerate() {
        let wanted = declared[i] || (nothing && (i == 0 || (i == 1 && !actual.exec.is_empty())));
        if !wanted {
            continue;
        }
        let new = render(section, case, actual, indent);
        let end = block_end(lines, start + 1, indent);
        match find_key(lines, start, end, indent, section) {
            Some(at) => {
                let stop = trim_blank(lines, at + 1, section_end(lines, at + 1, indent).min(end));
                lines.splice(at..stop, new);
            }
            None if declared[i] => return Err(format!("case `{}`: cannot find `{section}:` (only block-style YAML is updated)", case.name)),
            None => {
                let at = trim_blank(lines, start + 1, end);
                lines.splice(at..at, new);
            }
        }
    }
    Ok(())
}

/// The first line at or after `from` that is indented less than `indent` (blank and comment lines never end a block).
fn block_end(lines: &[String], from: usize, indent: usize) -> usize {
    (from..lines.len())
        .find(|&i| {
            let text = lines[i].trim_start();
            !text.is_empty() && !text.starts_with('#') && lines[i].len() - text.len() < indent
        })
        .unwrap_or(lines.len())
}

/// The end of a section whose key is at `indent` (a list may start at the key's column).
fn section_end(lines: &[String], from: usize, indent: usize) -> usize {
    (from..lines.len())
        .find(|&i| {
            let text = lines[i].trim_start();
            let depth = lines[i].len() - text.len();
            !text.is_empty() && !text.starts_with('#') && (depth < indent || (depth == indent && !text.starts_with("- ") && text != "-"))
        })
        .unwrap_or(lines.len())
}

/// `end` moved back over trailing blank lines.
fn trim_blank(lines: &[String], from: usize, mut end: usize) -> usize {
    while end > from && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    end
}

/// The line of `key:` belonging to the case (at column `indent`).
fn find_key(lines: &[String], start: usize, end: usize, indent: usize, key: &str) -> Option<usize> {
    (start..end).find(|&i| {
        let line = &lines[i];
        let at = line.char_indices().nth(indent).map_or(line.len(), |(b, _)| b);
        let head = &line[..at];
        let own = i == start || head.trim().is_empty();
        own && line[at..].strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':'))
    })
}

fn render(section: &str, case: &CaseSpec, actual: &Actual, indent: usize) -> Vec<String> {
    let pad = " ".repeat(indent);
    let frame = case.frame;
    let items = match section {
        "alerts" => shaped(case.expect.alerts.as_deref(), &actual.alerts, frame, alert_view),
        "exec" => shaped(case.expect.exec.as_deref(), &actual.exec, frame, exec_view),
        _ => {
            let expected = case.expect.topics.clone().unwrap_or_else(|| Value::Object(Map::new()));
            let kept = expected.as_object().map(|m| m.keys().filter(|k| actual.topics.get(*k).is_some()).cloned().collect::<Vec<_>>()).unwrap_or_default();
            let whole = |v: &Value| v.as_object().is_some_and(Map::is_empty);
            let shape = Value::Object(kept.iter().map(|k| (k.clone(), if whole(&expected[k]) { actual.topics[k].clone() } else { expected[k].clone() })).collect());
            let shown = project(&shape, &actual.topics, "", frame);
            let mut out = vec![format!("{pad}topics:")];
            out.extend(shown.as_object().map(|m| yaml::map_lines(m, indent + 2, 3)).unwrap_or_default());
            return out;
        }
    };
    if items.is_empty() {
        return vec![format!("{pad}{section}: []")];
    }
    let mut out = vec![format!("{pad}{section}:")];
    out.extend(yaml::list(&items, indent + 2, 1));
    out
}

/// Actual items cut to the keys the test already uses, or to the default view.
fn shaped(expected: Option<&[Value]>, actual: &[Value], frame: Frame, view: fn(&Value, Frame) -> Value) -> Vec<Value> {
    let shape = expected.unwrap_or_default().iter().fold(Value::Null, merge);
    actual
        .iter()
        .map(|a| if shape.as_object().is_some_and(|m| !m.is_empty()) { project(&shape, a, "", frame) } else { view(a, frame) })
        .collect()
}

/// Every key of `a` and `b` (nested maps merged; `a`'s values win).
fn merge(a: Value, b: &Value) -> Value {
    match (a, b) {
        (Value::Object(mut left), Value::Object(right)) => {
            for (k, v) in right {
                let merged = match left.remove(k) {
                    Some(existing) => merge(existing, v),
                    None => v.clone(),
                };
                left.insert(k.clone(), merged);
            }
            Value::Object(left)
        }
        (Value::Null, b) => b.clone(),
        (a, _) => a,
    }
}
