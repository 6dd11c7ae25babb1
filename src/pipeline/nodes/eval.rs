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

impl Stage for EvalStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        let lambdas = self.lambdas.get(point, dims);
        let mut results: Vec<(Arc<str>, Value)> = Vec::with_capacity(lambdas.len());
        for (lambda, name) in lambdas.iter_mut().zip(&self.names) {
            let value = lambda.eval(&EvalScope { point, results: &results });
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
            if self.tags.iter().any(|t| **t == **name) {
                match value {
                    Value::Str(s) => out.set_tag(name, s.clone()),
                    other => return Err(format!("result of a tag expression must be of type string, got {}", other.type_name())),
                }
            } else if let Some(field) = FieldValue::from_value(value) {
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
