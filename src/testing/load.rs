//! From a test file to a [`Suite`]: parse, resolve paths, check scripts,
//! load handler files, parse inputs and validate expectations. Every problem
//! is collected with its position, so one run reports them all.

use super::expect::Frame;
use super::format::{self, Case, ExecExpect, Paths, TestFile, TopicExpect};
use super::{input, runner, CaseSpec, Expectations, Problem, Script, Suite};
use crate::alert::Level;
use crate::check::{check_source, CheckOptions};
use crate::diagnostic::{Code, Diag};
use crate::suggest::closest as did_you_mean;
use crate::handler::matching::MatchExpr;
use crate::handler::{load_handler_dir, load_handler_file, HandlerFile, HandlerFileError};
use crate::lineproto::{LineError, Precision};
use crate::span::Span;
use serde_json::{Map, Value};
use serde_saphyr::{Location, Spanned};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Keys of Kapacitor's alert JSON (plus `task` when a case runs several scripts).
const ALERT_KEYS: &[&str] = &["id", "message", "details", "time", "duration", "level", "data", "previousLevel", "recoverable", "task"];
/// Keys of a topic's stored event.
const EVENT_KEYS: &[&str] = &["id", "level", "message"];

/// Loads and validates the test file at `path`.
pub fn load(path: &Path) -> Result<Suite, Vec<Problem>> {
    let name = path.display().to_string();
    let source = match std::fs::read(path).map(String::from_utf8) {
        Ok(Ok(text)) => text,
        Ok(Err(e)) => return Err(vec![whole_file(&name, Code::NotUtf8, "the test file is not valid UTF-8", e.utf8_error().valid_up_to())]),
        Err(e) => return Err(vec![whole_file(&name, Code::Io, &io_message(path, &e), 0)]),
    };
    let file = match format::parse(&source) {
        Ok(file) => file,
        Err((message, at)) => {
            let offset = at.as_ref().map_or(0, format::offset);
            let diag = Diag::new(Code::TestFile, Span::new(offset, offset), message);
            return Err(vec![Problem { file: name, source, diag }]);
        }
    };
    let dbrp = file.database.clone().map(|db| (db, file.retention_policy.clone().unwrap_or_else(|| "autogen".into())));
    let dir = path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut loader = Loader { dir, name, source: &source, dbrp, problems: Vec::new(), scripts: HashMap::new(), handlers: HashMap::new() };
    let cases: Vec<CaseSpec> = file.tests.iter().filter_map(|case| loader.case(case, &file)).collect();
    loader.unique_names(&file);
    if loader.problems.is_empty() {
        Ok(Suite { path: path.to_path_buf(), source: source.clone(), cases })
    } else {
        Err(loader.problems)
    }
}

fn whole_file(name: &str, code: Code, message: &str, offset: usize) -> Problem {
    Problem { file: name.to_string(), source: String::new(), diag: Diag::new(code, Span::new(offset, offset), message) }
}

struct Loader<'a> {
    dir: PathBuf,
    name: String,
    source: &'a str,
    dbrp: Option<(String, String)>,
    problems: Vec<Problem>,
    scripts: HashMap<PathBuf, Option<Arc<Script>>>,
    handlers: HashMap<Vec<String>, Option<Arc<Vec<HandlerFile>>>>,
}

impl Loader<'_> {
    fn span(&self, at: &Location) -> Span {
        let start = format::offset(at);
        let len = at.span().byte_len().unwrap_or(0) as usize;
        Span::new(start, (start + len.max(1)).min(self.source.len()).max(start))
    }

    fn error(&mut self, span: Span, message: impl Into<String>) {
        let diag = Diag::new(Code::TestFile, span, message);
        self.problems.push(Problem { file: self.name.clone(), source: self.source.to_string(), diag });
    }

    fn error_at(&mut self, at: &Location, message: impl Into<String>) {
        let span = self.span(at);
        self.error(span, message);
    }

    fn case(&mut self, spanned: &Spanned<Case>, file: &TestFile) -> Option<CaseSpec> {
        let case = &spanned.value;
        let before = self.problems.len();
        let scripts = self.case_scripts(case, file);
        let handlers = self.case_handlers(case.handlers.as_ref().or(file.handlers.as_ref()));
        let precision = self.precision(case.precision.as_ref().or(file.precision.as_ref()));
        let base_ns = self.base_time(case.base_time.as_ref().or(file.base_time.as_ref()));
        let points = self.points(case, precision, base_ns);
        let expect = self.expectations(case);
        if self.problems.len() > before {
            return None;
        }
        Some(CaseSpec {
            name: case.name.value.clone(),
            offset: format::offset(&spanned.referenced),
            scripts,
            handlers: handlers?,
            points: points?,
            frame: Frame { base_ns },
            run_exec: case.run_exec,
            expect,
        })
    }

    fn unique_names(&mut self, file: &TestFile) {
        let mut seen = BTreeMap::new();
        for case in &file.tests {
            let name = &case.value.name;
            if seen.insert(name.value.clone(), ()).is_some() {
                self.error_at(&name.referenced, format!("a second case named `{}`; case names must be unique in a file", name.value));
            }
        }
    }

    fn case_scripts(&mut self, case: &Case, file: &TestFile) -> Vec<Arc<Script>> {
        let Some(paths) = case.script.as_ref().or(file.script.as_ref()) else {
            self.error_at(&case.name.referenced, "no script: set `script:` at the top of the file or in the case");
            return Vec::new();
        };
        if paths.value.0.is_empty() {
            self.error_at(&paths.referenced, "`script:` lists no script");
        }
        paths.value.0.iter().filter_map(|p| self.script(p, &paths.referenced)).collect()
    }

    fn script(&mut self, relative: &str, at: &Location) -> Option<Arc<Script>> {
        let path = self.dir.join(relative);
        if let Some(done) = self.scripts.get(&path) {
            return done.clone();
        }
        let loaded = self.check_script(&path, at).map(Arc::new);
        self.scripts.insert(path, loaded.clone());
        loaded
    }

    fn check_script(&mut self, path: &Path, at: &Location) -> Option<Script> {
        let file = path.display().to_string();
        let source = match std::fs::read(path).map(String::from_utf8) {
            Ok(Ok(text)) => text,
            Ok(Err(_)) => {
                self.error_at(at, format!("{file}: the script is not valid UTF-8 (run `tick check` for the position)"));
                return None;
            }
            Err(e) => {
                self.error_at(at, format!("cannot read script {}", io_message(path, &e)));
                return None;
            }
        };
        let checked = check_source(&source, &CheckOptions::default());
        let problem = |diag: Diag| Problem { file: file.clone(), source: source.clone(), diag };
        let Some(program) = checked.program else {
            self.problems.extend(checked.diags.into_iter().filter(Diag::is_error).map(problem));
            return None;
        };
        let task_name = path.file_stem().map_or_else(|| "task".into(), |s| s.to_string_lossy().into_owned());
        let script = Script { path: path.to_path_buf(), program, task_name, dbrp: self.dbrp.clone() };
        if let Err(diags) = crate::task::Task::build(script.program.clone(), &runner::task_options(&script)) {
            self.problems.extend(diags.into_iter().map(problem));
            return None;
        }
        Some(script)
    }

    fn case_handlers(&mut self, paths: Option<&Spanned<Paths>>) -> Option<Arc<Vec<HandlerFile>>> {
        let Some(paths) = paths else {
            return Some(Arc::default());
        };
        if let Some(done) = self.handlers.get(&paths.value.0) {
            return done.clone();
        }
        let before = self.problems.len();
        let mut files = Vec::new();
        for relative in &paths.value.0 {
            let path = self.dir.join(relative);
            let (mut found, errors) = match path.is_dir() {
                true => load_handler_dir(&path),
                false => load_handler_file(&path).map_or_else(|e| (Vec::new(), e), |f| (vec![f], Vec::new())),
            };
            self.problems.extend(errors.iter().map(handler_problem));
            found.iter().for_each(|f| self.check_match(f));
            files.append(&mut found);
        }
        let loaded = (self.problems.len() == before).then(|| Arc::new(files));
        self.handlers.insert(paths.value.0.clone(), loaded.clone());
        loaded
    }

    fn check_match(&mut self, file: &HandlerFile) {
        if let Err(e) = crate::handler::action_for(file, crate::handler::exec::DEFAULT_EXEC_TIMEOUT) {
            self.problems.push(handler_problem(&e));
        }
        let Some(expr) = &file.match_expr else { return };
        if let Err(diags) = MatchExpr::compile(&expr.text) {
            let source = std::fs::read_to_string(&file.path).unwrap_or_default();
            for mut diag in diags {
                diag.span = diag.span.shift(expr.span.start);
                self.problems.push(Problem { file: file.path.display().to_string(), source: source.clone(), diag });
            }
        }
    }

    fn precision(&mut self, text: Option<&Spanned<String>>) -> Precision {
        let Some(text) = text else { return Precision::Ns };
        text.value.parse().unwrap_or_else(|_| {
            self.error_at(&text.referenced, format!("unknown precision `{}`; use ns, us, ms, s, m or h", text.value));
            Precision::Ns
        })
    }

    fn base_time(&mut self, value: Option<&Spanned<Value>>) -> i64 {
        let Some(value) = value else { return 0 };
        input::base_time(&value.value).unwrap_or_else(|message| {
            self.error_at(&value.referenced, message);
            0
        })
    }

    fn points(&mut self, case: &Case, precision: Precision, base_ns: i64) -> Option<Vec<crate::point::Point>> {
        match (&case.input, &case.input_file) {
            (Some(_), Some(file)) => {
                self.error_at(&file.referenced, "a case has `input` or `input_file`, not both");
                None
            }
            (Some(text), None) => input::parse_points(&text.value, precision, base_ns)
                .map_err(|errors| {
                    for e in errors {
                        let offset = inline_offset(self.source, &text.referenced, &e);
                        let diag = Diag::new(Code::LineProtocol, Span::new(offset, offset), e.message);
                        self.problems.push(Problem { file: self.name.clone(), source: self.source.to_string(), diag });
                    }
                })
                .ok(),
            (None, Some(file)) => self.input_file(&file.value, &file.referenced, precision, base_ns),
            (None, None) => Some(Vec::new()),
        }
    }

    fn input_file(&mut self, relative: &str, at: &Location, precision: Precision, base_ns: i64) -> Option<Vec<crate::point::Point>> {
        let path = self.dir.join(relative);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) => {
                self.error_at(at, format!("cannot read input {}", io_message(&path, &e)));
                return None;
            }
        };
        input::parse_points(&text, precision, base_ns)
            .map_err(|errors| {
                for e in errors {
                    let offset = line_col_offset(&text, e.line, e.column);
                    let diag = Diag::new(Code::LineProtocol, Span::new(offset, offset), e.message);
                    self.problems.push(Problem { file: path.display().to_string(), source: text.clone(), diag });
                }
            })
            .ok()
    }

    fn expectations(&mut self, case: &Case) -> Expectations {
        let alerts = case.alerts.as_ref().map(|list| list.value.iter().map(|item| self.pattern(item, ALERT_KEYS)).collect());
        let not_fire = case.not_fire.iter().flatten().map(|item| self.pattern(item, ALERT_KEYS)).collect();
        let exec = case.exec.as_ref().map(|list| list.value.iter().map(|item| self.exec_call(item)).collect());
        let topics = case.topics.as_ref().map(|map| {
            Value::Object(map.value.iter().map(|(name, topic)| (name.clone(), self.topic(topic))).collect())
        });
        Expectations { alerts, not_fire, exec, topics }
    }

    /// A partial alert (or event) map, with unknown keys and levels reported.
    fn pattern(&mut self, item: &Spanned<Map<String, Value>>, keys: &[&str]) -> Value {
        let start = format::offset(&item.referenced);
        for (key, value) in &item.value {
            let span = key_span(self.source, start, key);
            if !keys.contains(&key.as_str()) {
                let hint = did_you_mean(key, keys.iter().copied()).map(|k| format!("; did you mean `{k}`?")).unwrap_or_default();
                self.error(span, format!("unknown key `{key}`{hint} (keys: {})", keys.join(", ")));
            } else if (key == "level" || key == "previousLevel") && value.as_str().and_then(Level::parse).is_none() {
                self.error(span, format!("`{key}` must be OK, INFO, WARNING or CRITICAL, got {value}"));
            }
        }
        Value::Object(item.value.clone())
    }

    fn exec_call(&mut self, item: &Spanned<ExecExpect>) -> Value {
        let mut out = Map::new();
        if let Some(argv) = &item.value.argv {
            out.insert("argv".into(), Value::from(argv.clone()));
        }
        if let Some(stdin) = &item.value.stdin {
            let spanned = Spanned { value: stdin.clone(), referenced: item.referenced, defined: item.defined };
            out.insert("stdin".into(), self.pattern(&spanned, ALERT_KEYS));
        }
        Value::Object(out)
    }

    fn topic(&mut self, topic: &Spanned<TopicExpect>) -> Value {
        let t = &topic.value;
        let mut out = Map::new();
        if let Some(level) = &t.level {
            if Level::parse(level).is_none() {
                self.error_at(&topic.referenced, format!("topic `level` must be OK, INFO, WARNING or CRITICAL, got `{level}`"));
            }
            out.insert("level".into(), Value::from(level.as_str()));
        }
        if let Some(n) = t.collected {
            out.insert("collected".into(), Value::from(n));
        }
        if let Some(events) = &t.events {
            let checked = events.iter().map(|e| {
                let spanned = Spanned { value: e.clone(), referenced: topic.referenced, defined: topic.defined };
                self.pattern(&spanned, EVENT_KEYS)
            });
            out.insert("events".into(), Value::Array(checked.collect()));
        }
        Value::Object(out)
    }
}

fn io_message(path: &Path, e: &std::io::Error) -> String {
    format!("{}: {}", path.display(), crate::files::io_reason(e))
}

fn handler_problem(e: &HandlerFileError) -> Problem {
    let source = std::fs::read_to_string(&e.path).unwrap_or_default();
    Problem { file: e.path.display().to_string(), source, diag: e.to_diag() }
}

/// Where `key:` is written at or after `start` (the item's position when not found).
fn key_span(source: &str, start: usize, key: &str) -> Span {
    let rest = source.get(start..).unwrap_or("");
    match rest.find(&format!("{key}:")).or_else(|| rest.find(key)) {
        Some(i) => Span::new(start + i, start + i + key.len()),
        None => Span::new(start, start),
    }
}

/// The test-file offset of line `e.line`, column `e.column` of an inline input that starts at `at`.
fn inline_offset(source: &str, at: &Location, e: &LineError) -> usize {
    let indent = (at.column() as usize).saturating_sub(1);
    let mut offset = format::offset(at);
    for _ in 1..e.line {
        offset = source[offset..].find('\n').map_or(source.len(), |i| offset + i + 1);
        offset += source[offset..].chars().take(indent).take_while(|c| *c == ' ').count();
    }
    advance_chars(source, offset, e.column)
}

/// The byte offset of 1-based `line` and character `column` in `text`.
fn line_col_offset(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    advance_chars(text, start.min(text.len()), column)
}

fn advance_chars(text: &str, offset: usize, column: usize) -> usize {
    let rest = &text[offset..];
    let line = rest.split('\n').next().unwrap_or("");
    offset + line.char_indices().nth(column.saturating_sub(1)).map_or(line.len(), |(i, _)| i)
}
