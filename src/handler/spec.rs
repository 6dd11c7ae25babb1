//! Topic-handler files (`.yaml`, `.yml`, `.json`): loading, validation with
//! positions, and conversion to a runnable [`HandlerAction`].

use super::kinds::{self, KindSchema};
use crate::suggest::closest as did_you_mean;
use super::tree::{parse_json, parse_yaml, Located, Node, Pos};
use crate::diagnostic::Code;
use crate::span::Span;
use regex::Regex;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

pub use super::convert::action_for;
pub use super::file_error::HandlerFileError;

static ID_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[-\._\p{L}0-9]+$").expect("valid regex"));
static TOPIC_RE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^[-:\._\p{L}0-9]+$").expect("valid regex"));

/// The top-level keys of a handler spec.
const SPEC_KEYS: [&str; 5] = ["id", "topic", "kind", "match", "options"];

/// A `match` expression and where its text starts in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchExpr {
    /// The expression (a lambda body without `lambda:`).
    pub text: String,
    /// 1-based line of the value.
    pub line: usize,
    /// 1-based column of the value.
    pub column: usize,
    /// Byte span of the value as written in the file (for a quoted scalar it
    /// starts at the quote, so offsets inside `text` map exactly only for
    /// plain scalars).
    pub span: Span,
}

/// A valid topic-handler file.
#[derive(Debug, Clone, PartialEq)]
pub struct HandlerFile {
    /// The file it came from.
    pub path: PathBuf,
    /// Handler ID.
    pub id: String,
    /// Topic it listens on.
    pub topic: String,
    /// Handler kind (one of [`kinds::KINDS`]).
    pub kind: String,
    /// Optional `match` filter.
    pub match_expr: Option<MatchExpr>,
    /// Options, keys spelled as in the kind's schema.
    pub options: Map<String, Value>,
}

type Errors = Vec<HandlerFileError>;

/// Loads every `.yaml`, `.yml` and `.json` file of `dir` (sorted by name);
/// other files are errors, as in Kapacitor's load directory. Also reports a
/// handler ID used twice on one topic.
pub fn load_handler_dir(dir: &Path) -> (Vec<HandlerFile>, Errors) {
    let mut paths: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_file()).collect(),
        Err(e) => return (Vec::new(), vec![HandlerFileError::new(dir, Pos::default(), Code::Io, format!("cannot read directory: {e}"))]),
    };
    paths.sort();
    let (mut files, mut errors) = (Vec::<HandlerFile>::new(), Vec::new());
    for path in paths {
        match load_handler_file(&path) {
            Ok(file) => match files.iter().find(|f| f.id == file.id && f.topic == file.topic) {
                Some(first) => errors.push(duplicate(&file, first)),
                None => files.push(file),
            },
            Err(errs) => errors.extend(errs),
        }
    }
    (files, errors)
}

fn duplicate(file: &HandlerFile, first: &HandlerFile) -> HandlerFileError {
    let pos = Pos { line: 1, column: 1, span: Span::default() };
    HandlerFileError::new(&file.path, pos, Code::HandlerSpec, format!("cannot register handler, handler with ID {:?} already exists", file.id))
        .help(format!("{} already defines handler {:?} on topic {:?}", first.path.display(), first.id, first.topic))
}

/// Loads and validates one handler file; every problem found is returned.
pub fn load_handler_file(path: &Path) -> Result<HandlerFile, Errors> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let parse = match ext {
        "yaml" | "yml" => parse_yaml,
        "json" => parse_json,
        _ => {
            let err = HandlerFileError::new(path, Pos::default(), Code::HandlerSyntax, "bad file extension. Must be YAML or JSON");
            return Err(vec![err.help("name handler files *.yaml, *.yml or *.json")]);
        }
    };
    let text = match std::fs::read(path) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            vec![HandlerFileError::new(path, Pos::default(), Code::NotUtf8, format!("file is not valid UTF-8 (byte {})", e.utf8_error().valid_up_to()))]
        })?,
        Err(e) => return Err(vec![HandlerFileError::new(path, Pos::default(), Code::Io, format!("cannot read file: {e}"))]),
    };
    let root = parse(&text).map_err(|e| vec![syntax_error(path, &text, e.message, e.pos)])?;
    validate(path, root)
}

fn syntax_error(path: &Path, text: &str, message: String, pos: Pos) -> HandlerFileError {
    let err = HandlerFileError::new(path, pos, Code::HandlerSyntax, message);
    let line = text.lines().nth(pos.line.saturating_sub(1)).unwrap_or("");
    if line.trim_start().starts_with("match:") && line.contains('"') {
        return err.help("a YAML value that starts with a quote ends at the closing quote; quote the whole match expression: match: '\"host\" == ''s001.example.com''' (or use a block scalar: match: >-)");
    }
    err
}

/// Collected top-level fields, before validation.
#[derive(Default)]
struct Fields {
    id: Option<Located>,
    topic: Option<Located>,
    kind: Option<Located>,
    matcher: Option<Located>,
    options: Option<Located>,
}

fn validate(path: &Path, root: Located) -> Result<HandlerFile, Errors> {
    let mut errors = Vec::new();
    let fields = split_fields(path, root, &mut errors);
    let id = required_string(path, &fields.id, "id", &mut errors);
    let topic = required_string(path, &fields.topic, "topic", &mut errors);
    let kind = required_string(path, &fields.kind, "kind", &mut errors);
    if let Some((id, pos)) = &id {
        if !ID_RE.is_match(id) {
            errors.push(HandlerFileError::new(path, *pos, Code::HandlerSpec, format!("handler ID must contain only letters, numbers, '-', '.' and '_'. {id:?}")));
        }
    }
    if let Some((topic, pos)) = &topic {
        if !TOPIC_RE.is_match(topic) {
            errors.push(HandlerFileError::new(path, *pos, Code::HandlerSpec, format!("handler topic must contain only letters, numbers, '-', ':', '.' and '_'. {topic:?}")));
        }
    }
    let schema = kind.as_ref().and_then(|(kind, pos)| check_kind(path, kind, *pos, &mut errors));
    let match_expr = fields.matcher.as_ref().and_then(|m| match_expr(path, m, &mut errors));
    let options = option_entries(path, fields.options.as_ref(), &mut errors);
    let options = schema.map(|s| check_options(path, s, options, fields.options.as_ref(), &mut errors)).unwrap_or_default();
    match (id, topic, kind) {
        (Some((id, _)), Some((topic, _)), Some((kind, _))) if errors.is_empty() => {
            Ok(HandlerFile { path: path.to_path_buf(), id, topic, kind, match_expr, options })
        }
        _ => Err(errors),
    }
}

fn split_fields(path: &Path, root: Located, errors: &mut Errors) -> Fields {
    let mut fields = Fields::default();
    let Node::Map(entries) = root.value else {
        errors.push(HandlerFileError::new(path, root.pos, Code::HandlerSpec, "a handler file must be a mapping with keys id, topic, kind, match and options"));
        return fields;
    };
    for (key, value) in entries {
        // Go's encoding/json matches struct keys case-insensitively.
        let slot = match key.value.to_ascii_lowercase().as_str() {
            "id" => &mut fields.id,
            "topic" => &mut fields.topic,
            "kind" => &mut fields.kind,
            "match" => &mut fields.matcher,
            "options" => &mut fields.options,
            _ => {
                let mut err = HandlerFileError::new(path, key.pos, Code::HandlerSpec, format!("unknown key {:?} in handler file", key.value));
                err = match did_you_mean(&key.value, SPEC_KEYS) {
                    Some(s) => err.help(format!("did you mean `{s}`? (Kapacitor silently ignores unknown keys)")),
                    None => err.help("the keys are id, topic, kind, match and options"),
                };
                errors.push(err);
                continue;
            }
        };
        *slot = Some(value);
    }
    fields
}

fn required_string(path: &Path, node: &Option<Located>, name: &str, errors: &mut Errors) -> Option<(String, Pos)> {
    let Some(node) = node else {
        let message = match name {
            "kind" => "handler Kind must not be empty".to_string(),
            _ => format!("handler file has no `{name}`"),
        };
        errors.push(HandlerFileError::new(path, Pos { line: 1, column: 1, span: Span::default() }, Code::HandlerSpec, message));
        return None;
    };
    match &node.value {
        Node::Scalar(Value::String(s)) if s.is_empty() && name == "kind" => {
            errors.push(HandlerFileError::new(path, node.pos, Code::HandlerSpec, "handler Kind must not be empty"));
            None
        }
        Node::Scalar(Value::String(s)) => Some((s.clone(), node.pos)),
        other => {
            let found = kinds::describe_value(&other.to_json());
            errors.push(HandlerFileError::new(path, node.pos, Code::HandlerSpec, format!("`{name}` must be a string, got {found}")));
            None
        }
    }
}

fn check_kind(path: &Path, kind: &str, pos: Pos, errors: &mut Errors) -> Option<&'static KindSchema> {
    if let Some(schema) = kinds::schema(kind) {
        return Some(schema);
    }
    let mut err = HandlerFileError::new(path, pos, Code::HandlerSpec, format!("unsupported action kind {kind:?}"));
    err = if matches!(kind, "bigpanda" | "zenoss") {
        err.help(format!("kind {kind:?} exists only after Kapacitor 1.5.7"))
    } else if let Some(s) = did_you_mean(kind, kinds::KINDS.iter().map(|k| k.kind)) {
        err.help(format!("did you mean `{s}`? (kinds are case-sensitive)"))
    } else {
        err.help(format!("known kinds: {}", kinds::KINDS.iter().map(|k| k.kind).collect::<Vec<_>>().join(", ")))
    };
    errors.push(err);
    None
}

fn match_expr(path: &Path, node: &Located, errors: &mut Errors) -> Option<MatchExpr> {
    match &node.value {
        Node::Scalar(Value::String(s)) if s.trim().is_empty() => None,
        Node::Scalar(Value::String(s)) => Some(MatchExpr { text: s.clone(), line: node.pos.line, column: node.pos.column, span: node.pos.span }),
        Node::Scalar(Value::Null) => None,
        other => {
            let found = kinds::describe_value(&other.to_json());
            let err = HandlerFileError::new(path, node.pos, Code::HandlerMatch, format!("`match` must be a string, got {found}"));
            errors.push(err.help("quote the whole expression: match: '\"host\" == ''web01'''"));
            None
        }
    }
}

/// The option entries, or none when `options` is missing or null.
fn option_entries<'a>(path: &Path, node: Option<&'a Located>, errors: &mut Errors) -> &'a [(Located<String>, Located)] {
    match node.map(|n| &n.value) {
        Some(Node::Map(entries)) => entries,
        None | Some(Node::Scalar(Value::Null)) => &[],
        Some(other) => {
            let pos = node.map(|n| n.pos).unwrap_or_default();
            let found = kinds::describe_value(&other.to_json());
            errors.push(HandlerFileError::new(path, pos, Code::HandlerOption, format!("`options` must be a map, got {found}")));
            &[]
        }
    }
}

fn check_options(path: &Path, schema: &KindSchema, entries: &[(Located<String>, Located)], node: Option<&Located>, errors: &mut Errors) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(known) = schema.options else {
        entries.iter().for_each(|(k, v)| drop(out.insert(k.value.clone(), v.value.to_json())));
        return out;
    };
    for (key, value) in entries {
        let Some((name, ty)) = kinds::match_option(known, &key.value) else {
            let message = format!("options for kind {:?} has invalid keys: {}", schema.kind, key.value);
            let names: Vec<&str> = known.iter().map(|(n, _)| *n).collect();
            let help = match did_you_mean(&key.value, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`? kind {} accepts: {}", schema.kind, names.join(", ")),
                None => format!("kind {} accepts: {}", schema.kind, names.join(", ")),
            };
            errors.push(HandlerFileError::new(path, key.pos, Code::HandlerOption, message).help(help));
            continue;
        };
        let json = value.value.to_json();
        match kinds::check_type(ty, &json) {
            Ok(()) => drop(out.insert(name.to_string(), json)),
            Err(why) => errors.push(HandlerFileError::new(path, value.pos, Code::HandlerOption, format!("option `{name}` of kind {}: {why}", schema.kind))),
        }
    }
    let pos = node.map(|n| n.pos).unwrap_or(Pos { line: 1, column: 1, span: Span::default() });
    let option_errors = errors.iter().any(|e| e.code == Code::HandlerOption);
    if option_errors {
        return out;
    }
    if let Some(problem) = super::convert::missing_required(schema.kind, &out) {
        errors.push(HandlerFileError::new(path, pos, Code::HandlerOption, problem));
    }
    out
}
