//! Expectations against what a case produced: one [`Mismatch`] per failed
//! expectation, each with a readable diff.

use super::diff::{list_diff, map_diff};
use super::expect::{lists_match, matches, project, time_ns, Frame};
use super::runner::Actual;
use super::{yaml, Expectations};
use serde_json::{json, Value};

/// Alert times within this long after the base time are shown relative (`+10s`).
const RELATIVE_SPAN_NS: i64 = 30 * 24 * 3_600_000_000_000;

/// One failed expectation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// `alerts`, `not_fire`, `exec`, `topics` or `handlers`.
    pub section: &'static str,
    /// What is wrong, in one line.
    pub message: String,
    /// Expected (`-`) versus actual (`+`) lines, or the offending item.
    pub diff: String,
}

/// Every expectation of `expect` that `actual` does not meet.
pub fn judge(expect: &Expectations, actual: &Actual, frame: Frame) -> Vec<Mismatch> {
    let mut out = Vec::new();
    if let Some(expected) = &expect.alerts {
        if !lists_match(expected, &actual.alerts, frame) {
            let diff = list_diff(expected, &actual.alerts, &|a| alert_view(a, frame), frame, 1);
            out.push(Mismatch { section: "alerts", message: list_message("alert", expected, &actual.alerts, frame), diff });
        }
    }
    for (i, alert) in actual.alerts.iter().enumerate() {
        for (j, pattern) in expect.not_fire.iter().enumerate() {
            if matches(pattern, alert, "", frame) {
                let message = format!("alert #{} matches not_fire pattern #{} ({})", i + 1, j + 1, yaml::flow(pattern));
                let diff = yaml::list(&[alert_view(alert, frame)], 0, 1).iter().map(|l| format!("+ {l}\n")).collect();
                out.push(Mismatch { section: "not_fire", message, diff });
            }
        }
    }
    if let Some(expected) = &expect.exec {
        if !lists_match(expected, &actual.exec, frame) {
            let diff = list_diff(expected, &actual.exec, &|a| exec_view(a, frame), frame, 1);
            out.push(Mismatch { section: "exec", message: list_message("exec call", expected, &actual.exec, frame), diff });
        }
    }
    if let Some(expected) = &expect.topics {
        if !matches(expected, &actual.topics, "", frame) {
            let diff = map_diff(expected, &actual.topics, frame, 3);
            out.push(Mismatch { section: "topics", message: "topic contents differ".into(), diff });
        }
    }
    if !actual.handler_failures.is_empty() {
        let diff = actual.handler_failures.iter().map(|f| format!("  {f}\n")).collect();
        out.push(Mismatch { section: "handlers", message: format!("{} handler run(s) failed", actual.handler_failures.len()), diff });
    }
    out
}

/// "expected 2 alerts, got 3" or "alert #2 differs".
fn list_message(what: &str, expected: &[Value], actual: &[Value], frame: Frame) -> String {
    if expected.len() != actual.len() {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        return format!("expected {} {what}{}, got {}", expected.len(), plural(expected.len()), actual.len());
    }
    let first = expected.iter().zip(actual).position(|(e, a)| !matches(e, a, "", frame)).unwrap_or(0);
    format!("{what} #{} differs", first + 1)
}

/// An alert as a test would name it: id, level, message, time, duration (and task).
pub fn alert_view(alert: &Value, frame: Frame) -> Value {
    let near = time_ns(&alert["time"], frame).is_some_and(|t| (0..=RELATIVE_SPAN_NS).contains(&(t - frame.base_ns)));
    let mut shape = json!({"id": null, "level": null, "message": null, "time": if near { json!("+0s") } else { Value::Null }, "duration": "0s"});
    if alert.get("task").is_some() {
        shape["task"] = Value::Null;
    }
    project(&shape, alert, "", frame)
}

/// An exec call as a test would name it: argv, and the stdin alert's id and level.
pub fn exec_view(call: &Value, frame: Frame) -> Value {
    project(&json!({"argv": null, "stdin": {"id": null, "level": null}}), call, "", frame)
}
