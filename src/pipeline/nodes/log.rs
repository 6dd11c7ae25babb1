//! `|log()`: one logfmt line per point to stderr, then the point passes on unchanged.

use super::super::{Ctx, Dims, Flow, Stage};
use crate::gofmt;
use crate::point::Point;
use crate::value::FieldValue;
use std::io::Write;
use std::sync::Arc;

/// The `log` stage.
pub struct LogStage {
    /// `.level()`: `info` unless DEBUG or ERROR.
    pub level: String,
    /// `.prefix()`.
    pub prefix: String,
}

impl Stage for LogStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, _: usize, _: &mut Ctx) -> Flow {
        let line = self.line(point, dims);
        let _ = std::io::stderr().lock().write_all(line.as_bytes());
        Flow::PASS
    }
}

impl LogStage {
    /// The logfmt line for `point` (tags and fields in sorted order, unlike Kapacitor's random map order).
    pub fn line(&self, point: &Point, dims: &Dims) -> String {
        let mut group = String::new();
        dims.write_group_id(point, &mut group);
        let mut out = format!("lvl={} msg=point", self.level_name());
        if !self.prefix.is_empty() {
            out.push_str(&format!(" prefix={}", quote(&self.prefix)));
        }
        out.push_str(&format!(" name={} group={}", quote(&point.name), quote(&group)));
        for dim in dims.names_for(point) {
            out.push_str(&format!(" dimension={}", quote(dim)));
        }
        for (k, v) in &point.tags {
            out.push_str(&format!(" tag_{k}={}", quote(v)));
        }
        for (k, v) in point.sorted_fields() {
            let value = match v {
                FieldValue::Float(f) => gofmt::v_float(*f),
                FieldValue::Int(i) => i.to_string(),
                FieldValue::Str(s) => quote(s),
                FieldValue::Bool(b) => b.to_string(),
                FieldValue::Null => "null".to_string(),
            };
            out.push_str(&format!(" field_{k}={value}"));
        }
        out.push_str(&format!(" time={}\n", gofmt::rfc3339_nano(point.time)));
        out
    }

    fn level_name(&self) -> &'static str {
        match self.level.to_ascii_uppercase().as_str() {
            "DEBUG" => "debug",
            "ERROR" => "error",
            _ => "info",
        }
    }
}

fn quote(text: &str) -> String {
    if !text.is_empty() && !text.contains([' ', '"', '=', '\n']) {
        return text.to_string();
    }
    let mut out = String::new();
    gofmt::json_string(&mut out, text);
    out
}
