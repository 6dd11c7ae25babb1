//! `match:` expressions of topic-handler files, as Kapacitor 1.5.7 evaluates them.
//!
//! The text is a lambda body without `lambda:`. Identifiers are only `OK`,
//! `INFO`, `WARNING`, `CRITICAL` (ints 0-3); references name the event's tags;
//! `changed()`, `level()`, `name()` and `taskName()` describe the event.
//! In 1.5.7 `duration()` is the conversion builtin and `alertDuration()` does
//! not exist, so both fail on every event (kapacitor-versions.md row 1).

use super::{HandlerEvent, Matcher};
use crate::alert::Level;
use crate::diagnostic::{Code, Diag};
use crate::eval::{CompileOptions, EvalError, Lambda, Scope, StaticType};
use crate::value::Value;

/// A compiled match expression.
pub struct MatchExpr {
    lambda: Lambda,
}

impl MatchExpr {
    /// Parses and type-checks `text`; spans in the diagnostics are relative to `text`.
    pub fn compile(text: &str) -> Result<MatchExpr, Vec<Diag>> {
        let body = crate::parse::parse_lambda_body(text).map_err(|d| vec![retag(d)])?;
        let opts = options();
        let mut diags = crate::eval::check_predicate(&body, &opts);
        if !diags.is_empty() {
            diags.iter_mut().for_each(|d| *d = retag(d.clone()));
            return Err(diags);
        }
        let lambda = Lambda::compile(&body, &opts).map_err(|ds| ds.into_iter().map(retag).collect::<Vec<_>>())?;
        Ok(MatchExpr { lambda })
    }
}

fn retag(mut diag: Diag) -> Diag {
    diag.message = format!("in match expression: {}", diag.message);
    diag.code = Code::HandlerMatch;
    diag
}

fn options() -> CompileOptions {
    CompileOptions {
        idents: Level::ALL.iter().map(|l| (l.as_str().to_string(), Value::Int(l.as_int()))).collect(),
        extra_functions: vec![
            ("changed".into(), StaticType::Bool),
            ("level".into(), StaticType::Int),
            ("name".into(), StaticType::String),
            ("taskName".into(), StaticType::String),
        ],
    }
}

/// What a match expression sees: the event's tags and a few functions.
struct EventScope<'a>(&'a HandlerEvent);

impl Scope for EventScope<'_> {
    fn time(&self) -> i64 {
        0
    }

    fn lookup(&self, name: &str) -> Result<Value, EvalError> {
        match self.0.tags.iter().find(|(k, _)| &**k == name) {
            Some((_, v)) => Ok(Value::Str(v.clone())),
            None => Err(EvalError::new(format!("no tag exists for {name}"))),
        }
    }

    fn call_extra(&self, name: &str) -> Option<Value> {
        let ev = self.0;
        Some(match name {
            "changed" => Value::Bool(ev.level != ev.previous_level),
            "level" => Value::Int(ev.level.as_int()),
            "name" => Value::Str(ev.name.clone()),
            "taskName" => Value::Str(ev.task_name.clone()),
            _ => return None,
        })
    }
}

impl Matcher for MatchExpr {
    fn matches(&mut self, event: &HandlerEvent) -> Result<bool, String> {
        self.lambda
            .eval_bool(&EventScope(event))
            .map_err(|e| e.message) // the worker prefixes "failed to evaluate match expression"
    }
}
