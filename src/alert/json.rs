//! Go `encoding/json`-exact encoding of `alert.Data` (semantics §3.5).

use super::data::{AlertData, Cell, Row};
use crate::gofmt::{json_float, json_string, rfc3339_nano};
use std::fmt::Write as _;

/// Prefix of the error Kapacitor logs when the payload cannot be encoded.
const MARSHAL_ERROR: &str = "failed to marshal alert data json";

impl AlertData {
    /// The exact bytes Kapacitor writes (keys `id, message, details, time,
    /// duration, level, data, previousLevel, recoverable`) plus `\n`.
    /// NaN or ±Inf anywhere in the data is an error, as in Go.
    pub fn to_json_line(&self) -> Result<String, String> {
        let mut out = String::with_capacity(256 + self.details.len());
        out.push_str("{\"id\":");
        json_string(&mut out, &self.id);
        out.push_str(",\"message\":");
        json_string(&mut out, &self.message);
        out.push_str(",\"details\":");
        json_string(&mut out, &self.details);
        out.push_str(",\"time\":\"");
        out.push_str(&rfc3339_nano(self.time));
        let _ = write!(
            out,
            "\",\"duration\":{},\"level\":\"{}\"",
            self.duration, self.level
        );
        out.push_str(",\"data\":{\"series\":");
        write_series(&mut out, &self.data).map_err(|e| format!("{MARSHAL_ERROR}: {e}"))?;
        let _ = writeln!(
            out,
            "}},\"previousLevel\":\"{}\",\"recoverable\":{}}}",
            self.previous_level, self.recoverable
        );
        Ok(out)
    }
}

/// `null` for no rows, else the JSON array of rows.
fn write_series(out: &mut String, rows: &[Row]) -> Result<(), String> {
    if rows.is_empty() {
        out.push_str("null");
        return Ok(());
    }
    out.push('[');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_row_json(out, row)?;
    }
    out.push(']');
    Ok(())
}

/// Appends one row as Go encodes `models.Row` (empty members omitted, tags
/// sorted). Errors with Go's `json: unsupported value: NaN` text.
pub fn write_row_json(out: &mut String, row: &Row) -> Result<(), String> {
    let mut sep = "";
    out.push('{');
    if !row.name.is_empty() {
        out.push_str("\"name\":");
        json_string(out, &row.name);
        sep = ",";
    }
    if !row.tags.is_empty() {
        out.push_str(sep);
        write_tags(out, &row.tags);
        sep = ",";
    }
    if !row.columns.is_empty() {
        out.push_str(sep);
        out.push_str("\"columns\":");
        write_list(out, &row.columns, |out, c| {
            json_string(out, c);
            Ok(())
        })?;
        sep = ",";
    }
    if !row.values.is_empty() {
        out.push_str(sep);
        out.push_str("\"values\":");
        write_list(out, &row.values, |out, cells| {
            write_list(out, cells, write_cell)
        })?;
    }
    out.push('}');
    Ok(())
}

/// `"tags":{…}` with keys in sorted order, like a Go map.
fn write_tags(out: &mut String, tags: &[(String, String)]) {
    let mut sorted: Vec<&(String, String)> = tags.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(&b.0));
    out.push_str("\"tags\":{");
    for (i, (key, value)) in sorted.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        json_string(out, key);
        out.push(':');
        json_string(out, value);
    }
    out.push('}');
}

fn write_list<T>(
    out: &mut String,
    items: &[T],
    mut write_item: impl FnMut(&mut String, &T) -> Result<(), String>,
) -> Result<(), String> {
    out.push('[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        write_item(out, item)?;
    }
    out.push(']');
    Ok(())
}

fn write_cell(out: &mut String, cell: &Cell) -> Result<(), String> {
    match cell {
        Cell::Time(ns) => {
            out.push('"');
            out.push_str(&rfc3339_nano(*ns));
            out.push('"');
        }
        Cell::Float(f) if f.is_nan() => return Err("json: unsupported value: NaN".into()),
        Cell::Float(f) if f.is_infinite() => {
            let sign = if *f > 0.0 { '+' } else { '-' };
            return Err(format!("json: unsupported value: {sign}Inf"));
        }
        Cell::Float(f) => out.push_str(&json_float(*f)),
        Cell::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Cell::Str(s) => json_string(out, s),
        Cell::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Cell::Null => out.push_str("null"),
    }
    Ok(())
}
