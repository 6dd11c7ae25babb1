//! The test-file format (`*_test.yaml`) as serde types; every value keeps its position.
//!
//! Unknown keys are errors (`deny_unknown_fields`), so a typo never silently
//! disables an expectation. See the README section "tick test" for the format.

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_json::{Map, Value};
use serde_saphyr::Spanned;
use std::collections::BTreeMap;
use std::fmt;

/// A whole test file: defaults shared by its cases, then the cases.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestFile {
    /// The script(s) under test, relative to the test file.
    pub script: Option<Spanned<Paths>>,
    /// Topic-handler files or directories, relative to the test file.
    pub handlers: Option<Spanned<Paths>>,
    /// The time `+10s` is relative to: RFC 3339 or integer ns (default: the Unix epoch).
    pub base_time: Option<Spanned<Value>>,
    /// Unit of absolute timestamps in the input: ns (default), us, ms, s, m, h.
    pub precision: Option<Spanned<String>>,
    /// The database points are written to (for `from().database()`).
    pub database: Option<String>,
    /// The retention policy points are written to (default `autogen`).
    pub retention_policy: Option<String>,
    /// The cases.
    pub tests: Vec<Spanned<Case>>,
}

/// A list of partial maps, each with its position.
pub type Patterns = Vec<Spanned<Map<String, Value>>>;

/// One test case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The case name (what `--filter` matches).
    pub name: Spanned<String>,
    /// Overrides the file's `script`.
    pub script: Option<Spanned<Paths>>,
    /// Overrides the file's `handlers`.
    pub handlers: Option<Spanned<Paths>>,
    /// Overrides the file's `base_time`.
    pub base_time: Option<Spanned<Value>>,
    /// Overrides the file's `precision`.
    pub precision: Option<Spanned<String>>,
    /// Inline line protocol; a last token like `+10s` is a time relative to `base_time`.
    pub input: Option<Spanned<String>>,
    /// A line-protocol file, relative to the test file (same relative times).
    pub input_file: Option<Spanned<String>>,
    /// Run exec programs for real (they are still recorded); default: only recorded.
    #[serde(default)]
    pub run_exec: bool,
    /// The alerts emitted, in order; each item matches the alert JSON partially.
    pub alerts: Option<Spanned<Patterns>>,
    /// Patterns no alert may match.
    pub not_fire: Option<Patterns>,
    /// The exec invocations, in order.
    pub exec: Option<Spanned<Vec<Spanned<ExecExpect>>>>,
    /// Topic contents at the end, by topic name.
    pub topics: Option<Spanned<BTreeMap<String, Spanned<TopicExpect>>>>,
}

/// One expected exec invocation.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExecExpect {
    /// The program and its arguments, exactly.
    pub argv: Option<Vec<String>>,
    /// The alert JSON on stdin (partial match).
    pub stdin: Option<Map<String, Value>>,
}

/// The expected state of one topic (as `kapacitor show-topic` reports it).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicExpect {
    /// The highest level among the stored events.
    pub level: Option<String>,
    /// How many events were collected.
    pub collected: Option<u64>,
    /// The stored events sorted by ID: `{id, level, message}` (partial match).
    pub events: Option<Vec<Map<String, Value>>>,
}

/// One path or a list of paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths(pub Vec<String>);

impl<'de> Deserialize<'de> for Paths {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PathsVisitor)
    }
}

struct PathsVisitor;

impl<'de> Visitor<'de> for PathsVisitor {
    type Value = Paths;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a path or a list of paths")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Paths, E> {
        Ok(Paths(vec![v.to_string()]))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Paths, A::Error> {
        let mut out = Vec::new();
        while let Some(item) = seq.next_element::<String>()? {
            out.push(item);
        }
        Ok(Paths(out))
    }
}

/// Parses `text` (YAML 1.2 booleans: `y` and `no` are strings); the error has a position.
pub fn parse(text: &str) -> Result<TestFile, (String, Option<serde_saphyr::Location>)> {
    let mut options = serde_saphyr::Options::default();
    options.strict_booleans = true;
    options.with_snippet = false;
    serde_saphyr::from_str_with_options::<TestFile>(text, options).map_err(|e| (crate::handler::tree::yaml_message(&e), e.location()))
}

/// Byte offset of a location (0 when unknown).
pub fn offset(loc: &serde_saphyr::Location) -> usize {
    loc.span().byte_offset().unwrap_or(0) as usize
}
