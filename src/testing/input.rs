//! Test input: line protocol whose last token may be a time relative to the
//! base time (`+10s`, `-1m`, `+1h30m`), resolved before parsing.

use crate::gofmt::parse_duration;
use crate::lineproto::{LineError, Precision, Reader};
use crate::point::Point;
use serde_json::Value;

/// Parses `text` into points. A line without a time is at `base_ns`; a
/// relative time is `base_ns` plus the duration. Every bad line is reported.
pub fn parse_points(text: &str, precision: Precision, base_ns: i64) -> Result<Vec<Point>, Vec<LineError>> {
    let mut errors = Vec::new();
    let resolved = resolve_relative(text, precision, base_ns, &mut errors);
    let mut reader = Reader::new(resolved.as_bytes(), precision).with_clock(move || base_ns);
    let mut points = Vec::new();
    let mut point = Point::default();
    while let Some(result) = reader.next_point(&mut point) {
        match result {
            Ok(()) => points.push(point.clone()),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(points)
    } else {
        errors.sort_by_key(|e| (e.line, e.column));
        Err(errors)
    }
}

/// `text` with every relative last token replaced by an absolute timestamp in `precision`.
fn resolve_relative(text: &str, precision: Precision, base_ns: i64, errors: &mut Vec<LineError>) -> String {
    let mut out = String::with_capacity(text.len());
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        let trimmed = body.trim_end();
        match relative_token(trimmed) {
            Some((start, token)) => match absolute(token, precision, base_ns) {
                Ok(stamp) => {
                    out.push_str(&trimmed[..start]);
                    out.push_str(&stamp.to_string());
                }
                Err(message) => {
                    let column = trimmed[..start].chars().count() + 1;
                    errors.push(LineError { line: index + 1, column, message });
                    out.push_str(&trimmed[..start]);
                    out.push('0');
                }
            },
            None => out.push_str(body),
        }
        out.push_str(ending);
    }
    out
}

/// The byte start and text of a last token that looks like a relative time.
fn relative_token(line: &str) -> Option<(usize, &str)> {
    if line.trim_start().starts_with('#') {
        return None;
    }
    let start = line.rfind([' ', '\t'])? + 1;
    let token = &line[start..];
    let signed = token.starts_with('+') || token.starts_with('-');
    let has_unit = token.ends_with(|c: char| c.is_ascii_alphabetic());
    (signed && has_unit && token.len() > 2).then_some((start, token))
}

fn absolute(token: &str, precision: Precision, base_ns: i64) -> Result<i64, String> {
    let offset = parse_duration(token).map_err(|e| format!("bad relative time `{token}`: {e}"))?;
    let ns = base_ns.checked_add(offset).ok_or_else(|| format!("relative time `{token}` is out of range"))?;
    if ns % precision.nanos() != 0 {
        return Err(format!("relative time `{token}` is not a whole number of the precision unit"));
    }
    Ok(ns / precision.nanos())
}

/// The base time from YAML: an RFC 3339 string or integer nanoseconds.
pub fn base_time(value: &Value) -> Result<i64, String> {
    match value {
        Value::Number(n) => n.as_i64().ok_or_else(|| format!("base_time {n} is not an integer of nanoseconds")),
        Value::String(s) => chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .and_then(|t| t.timestamp_nanos_opt())
            .ok_or_else(|| format!("base_time `{s}` is not an RFC 3339 time like 2024-01-01T00:00:00Z")),
        other => Err(format!("base_time must be an RFC 3339 time or integer ns, got {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: i64 = 1_700_000_000_000_000_000;

    #[test]
    fn relative_times_resolve_against_the_base() {
        let points = parse_points("cpu v=1 +0s\ncpu v=2 +1m30s\ncpu v=3 -1s\ncpu v=4\n", Precision::Ns, BASE).unwrap();
        let times: Vec<i64> = points.iter().map(|p| p.time - BASE).collect();
        assert_eq!(times, [0, 90_000_000_000, -1_000_000_000, 0]);
    }

    #[test]
    fn relative_times_use_the_precision() {
        let points = parse_points("cpu v=1 +2s\ncpu v=2 5\n", Precision::S, BASE).unwrap();
        assert_eq!(points[0].time, BASE + 2_000_000_000);
        assert_eq!(points[1].time, 5_000_000_000);
        let err = parse_points("cpu v=1 +1500ms\n", Precision::S, BASE).unwrap_err();
        assert_eq!((err[0].line, err[0].column), (1, 9), "{err:?}");
    }

    #[test]
    fn every_bad_line_is_reported_with_its_position() {
        let err = parse_points("cpu v=1 +1x\ncpu\ncpu v=1 +1s\ncpu v=\n", Precision::Ns, BASE).unwrap_err();
        let at: Vec<(usize, usize)> = err.iter().map(|e| (e.line, e.column)).collect();
        assert_eq!(at.len(), 3, "{err:?}");
        assert_eq!(at[0], (1, 9));
        assert!(err[0].message.contains("+1x"), "{}", err[0].message);
    }

    #[test]
    fn base_time_accepts_rfc3339_and_ns() {
        assert_eq!(base_time(&Value::from("2023-11-14T22:13:20Z")), Ok(BASE));
        assert_eq!(base_time(&Value::from(5)), Ok(5));
        assert!(base_time(&Value::from("yesterday")).unwrap_err().contains("RFC 3339"));
    }
}
