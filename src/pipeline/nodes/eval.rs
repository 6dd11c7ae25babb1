//! `|eval(lambdas...)`: computes fields (or tags) with `.as()`, `.tags()`, `.keep()`, `.quiet()`.

use super::super::{Ctx, Dims, Flow, Stage};
use super::PerGroup;
use crate::eval::{EvalError, Lambda, Scope};
use crate::point::Point;
use crate::value::{FieldValue, Value};
use std::sync::Arc;

/// Which original fields the output keeps.
#[derive(Debug, Clone)]
pub enum Keep {
    /// Only the results (no `.keep()`).
    Results,
    /// `.keep()`: all original fields plus the results.
    All,
    /// `.keep('a', 'b')`: only these names, computed value first.
    Only(Vec<String>),
}

/// The `eval` stage.
pub struct EvalStage {
    /// The lambdas, one copy per group.
    pub lambdas: PerGroup<Vec<Lambda>>,
    /// `.as()` names, one per lambda.
    pub names: Vec<Arc<str>>,
    /// `.tags()` names: results that become tags.
    pub tags: Vec<String>,
    /// `.keep()` mode.
    pub keep: Keep,
    /// `.quiet()`: count errors without logging them.
    pub quiet: bool,
    /// For each lambda, the earlier results it reads by name (made on the first point):
    /// Kapacitor refills those names from the point before evaluating it, and the output
    /// keeps the refilled value.
    pub refill: Option<Vec<Vec<usize>>>,
}

/// The point first, then results computed so far (Kapacitor refills the scope from the original point).
struct EvalScope<'a> {
    point: &'a Point,
    results: &'a [(Arc<str>, Value)],
}

impl Scope for EvalScope<'_> {
    fn time(&self) -> i64 {
        self.point.time
    }

    fn lookup(&self, name: &str) -> Result<Value, EvalError> {
        match self.point.lookup(name)? {
            Value::Missing => Ok(self.results.iter().rev().find(|(n, _)| &**n == name).map_or(Value::Missing, |(_, v)| v.clone())),
            found => Ok(found),
        }
    }
}

/// For each lambda, the indices of earlier `.as()` names it references.
fn refills(lambdas: &[Lambda], names: &[Arc<str>]) -> Vec<Vec<usize>> {
    lambdas
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let refs = l.references();
            (0..i.min(names.len())).filter(|&j| refs.iter().any(|r| **r == *names[j])).collect()
        })
        .collect()
}

/// Kapacitor refuses a result that is a missing value: `missing value: "v"`.
fn present(value: Value, lambda: &Lambda, scope: &EvalScope) -> Result<Value, EvalError> {
    if !matches!(value, Value::Missing) {
        return Ok(value);
    }
    let refs = lambda.references();
    let name = refs.iter().find(|r| matches!(scope.lookup(r), Ok(Value::Missing))).or(refs.first());
    Err(EvalError::new(format!("missing value: \"{}\"", name.map_or("", |n| n.as_str()))))
}

impl Stage for EvalStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        let names = &self.names;
        let refill = self.refill.get_or_insert_with(|| refills(self.lambdas.prototype(), names));
        let lambdas = self.lambdas.get(point, dims);
        let mut results: Vec<(Arc<str>, Value)> = Vec::with_capacity(lambdas.len());
        for (i, (lambda, name)) in lambdas.iter_mut().zip(names).enumerate() {
            for &j in &refill[i] {
                if let Ok(v @ (Value::Float(_) | Value::Int(_) | Value::Str(_) | Value::Bool(_))) = point.lookup(&results[j].0) {
                    results[j].1 = v;
                }
            }
            let scope = EvalScope { point, results: &results };
            let value = lambda.eval(&scope).and_then(|v| present(v, lambda, &scope));
            match value {
                Ok(v) => results.push((name.clone(), v)),
                Err(e) => {
                    let message = if self.quiet { "errors (messages hidden by .quiet())".to_string() } else { format!("error evaluating expression: {e}") };
                    ctx.error(id, &message);
                    return Flow::Drop;
                }
            }
        }
        match self.output(point, results) {
            Ok(out) => Flow::point(out),
            Err(message) => {
                ctx.error(id, &message);
                Flow::Drop
            }
        }
    }
}

impl EvalStage {
    fn output(&self, point: &Point, results: Vec<(Arc<str>, Value)>) -> Result<Point, String> {
        let mut out = Point { fields: Vec::new(), ..point.clone() };
        if matches!(self.keep, Keep::All) {
            out.fields = point.fields.clone();
        }
        for (name, value) in &results {
            let is_tag = self.tags.iter().any(|t| **t == **name);
            if is_tag {
                match value {
                    Value::Str(s) => out.set_tag(name, s.clone()),
                    other => return Err(format!("result of a tag expression must be of type string, got {}", other.type_name())),
                }
            }
            // With `.keep()` a tag result is a field too (Kapacitor keeps every `.as()` name).
            if is_tag && matches!(self.keep, Keep::Results) {
                continue;
            }
            if let Some(field) = FieldValue::from_value(value) {
                out.set_field(name, field);
            }
        }
        if let Keep::Only(names) = &self.keep {
            let mut kept = Vec::new();
            for name in names {
                let value = out.field(name).or_else(|| point.field(name)).cloned();
                match value {
                    Some(v) => kept.push((Arc::from(name.as_str()), v)),
                    None => return Err(format!("cannot keep field \"{name}\", field does not exist")),
                }
            }
            out.fields = kept;
        }
        Ok(out)
    }
}
