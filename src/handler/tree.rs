//! A handler file parsed into a tree of values that remember where they were
//! written (line, column, byte span), from YAML (serde-saphyr, YAML 1.1
//! flavour like Kapacitor's ghodss/yaml) or JSON.

use crate::span::Span;
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_saphyr::Spanned;
use std::fmt;

/// Where something is in the file: 1-based line and column, byte span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line (0 when unknown).
    pub line: usize,
    /// 1-based column in characters (0 when unknown).
    pub column: usize,
    /// Byte range in the file text.
    pub span: Span,
}

impl Pos {
    fn of(loc: &serde_saphyr::Location) -> Pos {
        let span = loc.span();
        let start = span.byte_offset().unwrap_or(0) as usize;
        let len = span.byte_len().unwrap_or(0) as usize;
        Pos { line: loc.line() as usize, column: loc.column() as usize, span: Span::new(start, start + len) }
    }
}

/// A value with positions for every map key and value inside it.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A scalar (or null).
    Scalar(Value),
    /// A sequence.
    Seq(Vec<Located>),
    /// A mapping, in file order.
    Map(Vec<(Located<String>, Located)>),
}

/// A node (or key) and where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T = Node> {
    /// The value.
    pub value: T,
    /// Its position.
    pub pos: Pos,
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<T>::deserialize(d)?;
        Ok(Located { pos: Pos::of(&spanned.referenced), value: spanned.value })
    }
}

impl Node {
    /// The plain JSON value (positions dropped).
    pub fn to_json(&self) -> Value {
        match self {
            Node::Scalar(v) => v.clone(),
            Node::Seq(items) => Value::Array(items.iter().map(|i| i.value.to_json()).collect()),
            Node::Map(entries) => {
                let map: Map<String, Value> = entries.iter().map(|(k, v)| (k.value.clone(), v.value.to_json())).collect();
                Value::Object(map)
            }
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML or JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Scalar(Value::from(v)))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Scalar(Value::from(v)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Scalar(Number::from_f64(v).map_or(Value::Null, Value::Number)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Node, E> {
        Ok(Node::Scalar(Value::String(v.to_string())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Node, E> {
        Ok(Node::Scalar(Value::String(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Null))
    }
    fn visit_none<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Null))
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Node, D::Error> {
        Node::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Located>()? {
            items.push(item);
        }
        Ok(Node::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Located<String>>()? {
            let value = map.next_value::<Located>()?;
            entries.push((key, value));
        }
        Ok(Node::Map(entries))
    }
}

/// A syntax error with its position.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntaxError {
    /// What is wrong.
    pub message: String,
    /// Where.
    pub pos: Pos,
}

/// Parses YAML with Kapacitor's YAML 1.1 habits (`0600` is octal).
pub fn parse_yaml(text: &str) -> Result<Located, SyntaxError> {
    let mut options = serde_saphyr::Options::default();
    options.legacy_octal_numbers = true;
    options.with_snippet = false;
    serde_saphyr::from_str_with_options::<Located>(text, options).map_err(|e| {
        let pos = e.location().map(|l| Pos::of(&l)).unwrap_or_default();
        SyntaxError { message: yaml_message(&e), pos }
    })
}

/// The saphyr error text without the position (reported separately).
pub(crate) fn yaml_message(e: &serde_saphyr::Error) -> String {
    let text = e.to_string();
    // The location is reported separately: drop "line N column M: " before
    // the message and " at line N, column M" after it.
    let text = match text.split_once(": ") {
        Some((head, rest)) if head.starts_with("line ") => rest.to_string(),
        _ => text,
    };
    match text.rfind(" at line ") {
        Some(i) if text[i..].contains(", column ") => text[..i].to_string(),
        _ => text,
    }
}

/// Parses JSON: syntax errors come from serde_json (exact line and column),
/// positions of keys from the YAML parser, which reads JSON too.
pub fn parse_json(text: &str) -> Result<Located, SyntaxError> {
    if let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        let offset = byte_offset(text, e.line(), e.column());
        let message = e.to_string();
        let message = message.split(" at line ").next().unwrap_or(&message).to_string();
        let pos = Pos { line: e.line(), column: e.column(), span: Span::new(offset, offset) };
        return Err(SyntaxError { message, pos });
    }
    parse_yaml(text).or_else(|_| {
        let value: Located = serde_json::from_str(text).map_err(|e| SyntaxError { message: e.to_string(), pos: Pos::default() })?;
        Ok(value)
    })
}

fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    let rest = &text[line_start.min(text.len())..];
    line_start + rest.char_indices().nth(column.saturating_sub(1)).map_or(rest.len(), |(i, _)| i)
}
