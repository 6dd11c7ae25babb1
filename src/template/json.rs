//! The `details` template's `json` function: Go `encoding/json` Encoder output.

use super::value::TValue;
use crate::gofmt;

/// Encodes `v` as `json.NewEncoder(w).Encode(v)` does, trailing `\n` included.
///
/// Struct keys keep their declared order, map keys are sorted, times are
/// RFC3339Nano strings and durations integer nanoseconds. NaN and infinities
/// are errors, as in Go.
pub fn encode(v: &TValue) -> Result<String, String> {
    let mut out = String::new();
    write(&mut out, v)?;
    out.push('\n');
    Ok(out)
}

fn write(out: &mut String, v: &TValue) -> Result<(), String> {
    match v {
        TValue::Nil => out.push_str("null"),
        TValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        TValue::Int(i) | TValue::Duration(i) => out.push_str(&i.to_string()),
        TValue::Float(f) => {
            if !f.is_finite() {
                return Err(format!("json: unsupported value: {}", gofmt::v_float(*f)));
            }
            out.push_str(&gofmt::json_float(*f));
        }
        TValue::Str(s) => gofmt::json_string(out, s),
        TValue::Time(ns) => {
            out.push('"');
            out.push_str(&gofmt::rfc3339_nano(*ns));
            out.push('"');
        }
        TValue::StrMap(m) => {
            write_object(out, m.iter().map(|(k, s)| (k.as_str(), Entry::Str(s))))?;
        }
        TValue::Map(m) => write_object(out, m.iter().map(|(k, v)| (k.as_str(), Entry::Value(v))))?,
        TValue::Struct(_, fields) => {
            write_object(out, fields.iter().map(|(k, v)| (*k, Entry::Value(v))))?
        }
    }
    Ok(())
}

enum Entry<'a> {
    Str(&'a String),
    Value(&'a TValue),
}

fn write_object<'a>(
    out: &mut String,
    entries: impl Iterator<Item = (&'a str, Entry<'a>)>,
) -> Result<(), String> {
    out.push('{');
    for (i, (key, entry)) in entries.enumerate() {
        if i > 0 {
            out.push(',');
        }
        gofmt::json_string(out, key);
        out.push(':');
        match entry {
            Entry::Str(s) => gofmt::json_string(out, s),
            Entry::Value(v) => write(out, v)?,
        }
    }
    out.push('}');
    Ok(())
}
