//! InfluxQL functions as nodes (`mean`, `max`, `top`, `difference`, ...) on batches and streams.
//!
//! A batch is reduced to one point (aggregates, selectors), a batch
//! (`distinct`, `top`, `bottom`, transforms) or nothing. The value type is
//! taken from the first point of the first batch and kept for the node's
//! lifetime, as Kapacitor caches its reduce context. On a stream, points of
//! a group with the same time are collected and reduced when a point with
//! another time arrives; transforms emit per point.

pub mod multi;
pub mod reduce;
pub mod transform;

use super::super::{Batch, Ctx, Dims, Flow, Stage};
use crate::eval::same_name;
use crate::point::Point;
use crate::value::FieldValue;
use multi::TopBottom;
use reduce::{Num, Reduced, Reducer};
use std::sync::Arc;
use transform::{Transform, TransformState};

/// What the node computes.
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    /// One value or one selected point per batch.
    Reduce(Reducer),
    /// A batch of the distinct values.
    Distinct,
    /// A batch of the n best points.
    TopBottom(TopBottom),
    /// One output per input point.
    Transform(Transform),
}

/// The field type of a batch's reduce context (Kapacitor realizes it from the first point with the field).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Float,
    Int,
    /// Strings: values are stored as their rank among the batch's distinct strings.
    Str,
    /// Booleans: stored as 0 and 1.
    Bool,
}

impl Kind {
    fn of(v: &FieldValue) -> Kind {
        match v {
            FieldValue::Float(_) => Kind::Float,
            FieldValue::Int(_) => Kind::Int,
            FieldValue::Str(_) => Kind::Str,
            FieldValue::Bool(_) => Kind::Bool,
            // A join's `.fill('null')` value: typed as float until a recorded case says otherwise.
            FieldValue::Null => Kind::Float,
        }
    }

    fn go_type(self) -> &'static str {
        match self {
            Kind::Float => "float64",
            Kind::Int => "int64",
            Kind::Str => "string",
            Kind::Bool => "bool",
        }
    }
}

/// The InfluxQL stage.
pub struct InfluxqlStage {
    /// The method name (`mean`), for error messages.
    pub name: &'static str,
    /// What it computes.
    pub method: Method,
    /// The input field.
    pub field: Arc<str>,
    /// `.as()`: the output field (default: the method name).
    pub as_name: Arc<str>,
    /// `.usePointTimes()`.
    pub point_times: bool,
    kind: Option<Kind>,
    floats: Vec<(i64, f64)>,
    ints: Vec<(i64, i64)>,
    /// For each loaded value, the index of its point in the batch.
    rows: Vec<usize>,
    /// String batches: the distinct strings, by rank.
    labels: Vec<Arc<str>>,
    float_scratch: Vec<(i64, f64, usize)>,
    int_scratch: Vec<(i64, i64, usize)>,
    stream: crate::pipeline::GroupMap<StreamGroup>,
    key: String,
}

/// A group's state on a stream.
#[derive(Default)]
struct StreamGroup {
    pending: Option<Batch>,
    transform: TransformState,
}

/// The value of field `name` of `point`: by pointer first (interned names), then by text.
#[inline]
fn field_of<'p>(point: &'p Point, name: &Arc<str>) -> Option<&'p FieldValue> {
    let same = |k: &Arc<str>| Arc::ptr_eq(k, name) || same_name(k, name);
    point.fields.iter().find(|(k, _)| same(k)).map(|(_, v)| v)
}

fn go_type(v: &FieldValue) -> &'static str {
    match v {
        FieldValue::Float(_) => "float64",
        FieldValue::Int(_) => "int64",
        FieldValue::Str(_) => "string",
        FieldValue::Bool(_) => "bool",
        FieldValue::Null => "<nil>",
    }
}

impl InfluxqlStage {
    /// A stage for `name(field)` writing `as_name`.
    pub fn new(name: &'static str, method: Method, field: Arc<str>, as_name: Arc<str>, point_times: bool) -> Self {
        InfluxqlStage {
            name,
            method,
            field,
            as_name,
            point_times,
            kind: None,
            floats: Vec::new(),
            ints: Vec::new(),
            rows: Vec::new(),
            labels: Vec::new(),
            float_scratch: Vec::new(),
            int_scratch: Vec::new(),
            stream: Default::default(),
            key: String::new(),
        }
    }

    /// The reduce context's type for a field value, or why the method cannot take it.
    fn kind_for_value(&self, value: &FieldValue) -> Result<Kind, String> {
        let kind = Kind::of(value);
        let any_type = matches!(self.method, Method::Distinct | Method::Reduce(Reducer::Count | Reducer::First | Reducer::Last));
        if matches!(kind, Kind::Str | Kind::Bool) && !any_type {
            let t = if kind == Kind::Bool { "boolean" } else { "string" };
            return Err(format!("invalid influxql func {} with field {}: cannot apply {} to {t} field", self.name, self.field, self.name));
        }
        Ok(kind)
    }

    /// The transform's type, from the cache or from `example` (a stream group keeps its context).
    fn kind_for(&mut self, example: Option<&FieldValue>) -> Result<Kind, String> {
        if let Some(kind) = self.kind {
            return Ok(kind);
        }
        let kind = match example {
            None => Kind::Float,
            Some(v) => match self.kind_for_value(v)? {
                Kind::Str | Kind::Bool => return Err(format!("invalid influxql func {} with field {}: cannot apply {} to {} field", self.name, self.field, self.name, go_type(v))),
                k => k,
            },
        };
        self.kind = Some(kind);
        Ok(kind)
    }

    /// Loads the field of every point into the typed buffer, as Kapacitor aggregates point by
    /// point: the first point with the field sets the type; a point that lacks the field or has
    /// another type is skipped with an error. None if no point set the type.
    fn load(&mut self, points: &[Point], id: usize, ctx: &mut Ctx, stream: bool) -> Option<Kind> {
        self.floats.clear();
        self.ints.clear();
        self.rows.clear();
        let mut kind = None;
        let mut strings: Vec<(Arc<str>, usize)> = Vec::new();
        let aggregate_error = if stream { "failed to aggregate point" } else { "failed to aggregate point in batch" };
        for (row, p) in points.iter().enumerate() {
            let value = field_of(p, &self.field);
            let k = match (kind, value) {
                (Some(k), _) => k,
                (None, None) => {
                    ctx.error(id, &format!("failed to realize reduce context from fields: field \"{}\" missing from point", self.field));
                    continue;
                }
                (None, Some(v)) => match self.kind_for_value(v) {
                    Ok(k) => *kind.insert(k),
                    Err(e) => {
                        ctx.error(id, &format!("failed to realize reduce context from fields: {e}"));
                        continue;
                    }
                },
            };
            match (k, value) {
                (Kind::Float, Some(FieldValue::Float(f))) => self.floats.push((p.time, *f)),
                (Kind::Int, Some(FieldValue::Int(i))) => self.ints.push((p.time, *i)),
                (Kind::Bool, Some(FieldValue::Bool(b))) => self.ints.push((p.time, i64::from(*b))),
                (Kind::Str, Some(FieldValue::Str(s))) => {
                    strings.push((s.clone(), self.ints.len()));
                    self.ints.push((p.time, 0));
                }
                (_, None) => {
                    ctx.error(id, &format!("{aggregate_error}: field {} missing from point cannot aggregate", self.field));
                    continue;
                }
                (k, Some(v)) => {
                    ctx.error(id, &format!("{aggregate_error}: field {} has wrong type: got {} exp {}", self.field, go_type(v), k.go_type()));
                    continue;
                }
            }
            self.rows.push(row);
        }
        if kind == Some(Kind::Str) {
            self.rank_strings(strings);
        }
        kind
    }

    /// Replaces each string by its rank among the distinct strings (kept in `labels`).
    fn rank_strings(&mut self, mut strings: Vec<(Arc<str>, usize)>) {
        strings.sort();
        self.labels.clear();
        for (s, slot) in strings {
            if self.labels.last().is_none_or(|l| *l != s) {
                self.labels.push(s);
            }
            self.ints[slot].1 = self.labels.len() as i64 - 1;
        }
    }

    /// A loaded value (ranks and 0/1 mapped back to strings and booleans).
    fn label(&self, kind: Kind, v: i64) -> FieldValue {
        match kind {
            Kind::Str => FieldValue::Str(self.labels[v as usize].clone()),
            Kind::Bool => FieldValue::Bool(v != 0),
            _ => FieldValue::Int(v),
        }
    }

    fn reduce(&mut self, r: Reducer, kind: Kind) -> Option<Reduced> {
        match kind {
            Kind::Float => r.reduce(&self.floats, &mut self.float_scratch),
            _ => r.reduce(&self.ints, &mut self.int_scratch),
        }
        .map(|reduced| match reduced {
            Reduced::Selected { index, own_time } => Reduced::Selected { index: self.rows[index], own_time },
            value => value,
        })
    }

    fn value_point(&self, batch: &Batch, value: FieldValue, time: i64) -> Point {
        Point { name: batch.name.clone(), tags: batch.tags.clone(), fields: vec![(self.as_name.clone(), value)], time }
    }

    fn selected_point(&self, batch: &Batch, index: usize, own_time: bool) -> Point {
        let mut p = batch.points[index].clone();
        if *self.as_name != *self.field {
            if let Some(slot) = p.fields.iter_mut().find(|(k, _)| **k == *self.field) {
                slot.0 = self.as_name.clone();
            }
            let as_name = self.as_name.clone();
            let mut seen = false;
            p.fields.retain(|(k, _)| *k != as_name || !std::mem::replace(&mut seen, true));
        }
        if !(self.point_times && own_time) {
            p.time = batch.time;
        }
        p
    }

    /// The node's output for one batch.
    fn on_batch(&mut self, batch: &Batch, id: usize, ctx: &mut Ctx, stream: bool) -> Flow {
        if let Method::Transform(t) = self.method {
            return self.transform_batch(t, batch, id, ctx);
        }
        let Some(kind) = self.load(&batch.points, id, ctx, stream) else {
            return if stream { Flow::Drop } else { self.on_empty(batch) };
        };
        match self.method.clone() {
            Method::Reduce(r) => match self.reduce(r, kind) {
                Some(Reduced::Value(v)) => Flow::point(self.value_point(batch, v, batch.time)),
                Some(Reduced::Selected { index, own_time }) => Flow::point(self.selected_point(batch, index, own_time)),
                None => Flow::Drop,
            },
            Method::Distinct => {
                let values: Vec<FieldValue> = match kind {
                    Kind::Float => multi::distinct(&self.floats).into_iter().map(Num::field).collect(),
                    Kind::Int => multi::distinct(&self.ints).into_iter().map(Num::field).collect(),
                    k => multi::distinct(&self.ints).into_iter().map(|v| self.label(k, v)).collect(),
                };
                let points = values.into_iter().map(|v| self.value_point(batch, v, batch.time)).collect();
                Flow::Batch(Batch { points, ..batch.empty_like(batch.time) })
            }
            Method::TopBottom(tb) => {
                let kept: Vec<Point>;
                let rows = if self.rows.len() == batch.points.len() {
                    &batch.points
                } else {
                    kept = self.rows.iter().map(|&i| batch.points[i].clone()).collect();
                    &kept
                };
                let chosen = match kind {
                    Kind::Float => tb.select(&self.floats, rows),
                    _ => tb.select(&self.ints, rows),
                };
                let points = chosen.into_iter().map(|i| self.top_point(batch, &tb, self.rows[i])).collect();
                Flow::Batch(Batch { points, ..batch.empty_like(batch.time) })
            }
            Method::Transform(_) => unreachable!("handled above"),
        }
    }

    /// A batch where no point had the field: count and sum emit 0 (a float context, as Kapacitor assumes).
    fn on_empty(&self, batch: &Batch) -> Flow {
        match self.method {
            Method::Reduce(Reducer::Count) => Flow::point(self.value_point(batch, FieldValue::Int(0), batch.time)),
            Method::Reduce(r) if r.empty_ok() => Flow::point(self.value_point(batch, FieldValue::Float(0.0), batch.time)),
            _ => Flow::Drop,
        }
    }

    /// A top/bottom winner: `{as: value}` plus the extra fields, the point's tags.
    fn top_point(&self, batch: &Batch, tb: &TopBottom, index: usize) -> Point {
        let src = &batch.points[index];
        let value = src.field(&self.field).cloned().unwrap_or(FieldValue::Float(0.0));
        let mut p = Point { name: batch.name.clone(), tags: src.tags.clone(), fields: vec![(self.as_name.clone(), value)], time: batch.time };
        for name in &tb.by {
            if let Some(v) = src.field(name) {
                p.set_field(name, v.clone());
            }
        }
        if self.point_times {
            p.time = src.time;
        }
        p
    }

    fn transform_batch(&mut self, t: Transform, batch: &Batch, id: usize, ctx: &mut Ctx) -> Flow {
        let mut state = TransformState::default();
        let mut points = Vec::with_capacity(batch.points.len());
        let kind = match self.kind_for(batch.points.first().and_then(|p| p.field(&self.field))) {
            Ok(k) => k,
            Err(e) => {
                ctx.error(id, &format!("failed to aggregate batch: {e}"));
                return Flow::Drop;
            }
        };
        for p in &batch.points {
            match self.step(t, kind, &mut state, p) {
                Ok(Some(v)) => points.push(self.value_point(batch, v, p.time)),
                Ok(None) => {}
                Err(e) => ctx.error(id, &format!("failed to aggregate batch point: {e}")),
            }
        }
        Flow::Batch(Batch { points, ..batch.empty_like(batch.time) })
    }

    fn step(&self, t: Transform, kind: Kind, state: &mut TransformState, p: &Point) -> Result<Option<FieldValue>, String> {
        let value = p.field(&self.field).ok_or_else(|| format!("field {} missing from point cannot aggregate", self.field))?;
        match (kind, value) {
            (Kind::Float, FieldValue::Float(f)) => Ok(t.step(state, p.time, *f, |v| if let FieldValue::Float(f) = v { *f } else { 0.0 })),
            (Kind::Int, FieldValue::Int(i)) => Ok(t.step(state, p.time, *i, |v| if let FieldValue::Int(i) = v { *i } else { 0 })),
            (k, v) => {
                let exp = if k == Kind::Int { "int64" } else { "float64" };
                Err(format!("field {} has wrong type: got {} exp {exp}", self.field, go_type(v)))
            }
        }
    }
}

impl Stage for InfluxqlStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        dims.write_group_id(point, &mut self.key);
        if !self.stream.contains_key(&self.key) {
            self.stream.insert(self.key.clone(), StreamGroup::default());
        }
        if let Method::Transform(t) = self.method {
            let kind = match self.kind_for(point.field(&self.field)) {
                Ok(k) => k,
                Err(e) => {
                    ctx.error(id, &e);
                    return Flow::Drop;
                }
            };
            let mut state = std::mem::take(&mut self.stream.get_mut(&self.key).expect("inserted above").transform);
            let out = self.step(t, kind, &mut state, point);
            self.stream.get_mut(&self.key).expect("inserted above").transform = state;
            return match out {
                Ok(Some(v)) => Flow::point(Point { name: point.name.clone(), tags: dims.group_tags(point), fields: vec![(self.as_name.clone(), v)], time: point.time }),
                Ok(None) => Flow::Drop,
                Err(e) => {
                    ctx.error(id, &format!("failed to aggregate point: {e}"));
                    Flow::Drop
                }
            };
        }
        let group = self.stream.get_mut(&self.key).expect("inserted above");
        let ready = match &mut group.pending {
            Some(b) if b.time == point.time => {
                b.points.push(point.clone());
                return Flow::Drop;
            }
            pending => pending.take(),
        };
        group.pending = Some(Batch { name: point.name.clone(), tags: dims.group_tags(point), time: point.time, points: vec![point.clone()] });
        match ready {
            Some(batch) => self.on_batch(&batch, id, ctx, true),
            None => Flow::Drop,
        }
    }

    fn reads_only_field(&self) -> Option<Arc<str>> {
        // Reducers that produce a new value read only the field (and the row count);
        // selectors copy whole points, the others keep rows.
        match self.method {
            Method::Reduce(Reducer::Count | Reducer::Sum | Reducer::Mean | Reducer::Median | Reducer::Mode | Reducer::Spread | Reducer::Stddev) => Some(self.field.clone()),
            _ => None,
        }
    }

    fn process_batch(&mut self, batch: &Batch, _: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        self.on_batch(batch, id, ctx, false)
    }
}
