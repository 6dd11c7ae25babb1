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

/// The field type the node's reducer was made for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Float,
    Int,
    /// String or boolean: only `count` accepts them here.
    Other(&'static str),
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
            float_scratch: Vec::new(),
            int_scratch: Vec::new(),
            stream: Default::default(),
            key: String::new(),
        }
    }

    /// The reducer type, from the cache or from `example` (the first point's field).
    fn kind_for(&mut self, example: Option<&FieldValue>) -> Result<Kind, String> {
        if let Some(kind) = self.kind {
            return Ok(kind);
        }
        let kind = match example {
            Some(FieldValue::Float(_)) | None => Kind::Float,
            Some(FieldValue::Int(_)) => Kind::Int,
            Some(other) if matches!(self.method, Method::Reduce(Reducer::Count)) => Kind::Other(go_type(other)),
            Some(other) => {
                let t = if go_type(other) == "bool" { "boolean" } else { "string" };
                return Err(format!("invalid influxql func {} with field {}: cannot apply {} to {t} field", self.name, self.field, self.name));
            }
        };
        self.kind = Some(kind);
        Ok(kind)
    }

    /// Copies the field of every point into the typed buffer; the first bad point fails the batch.
    fn load(&mut self, kind: Kind, points: &[Point]) -> Result<(), String> {
        self.floats.clear();
        self.ints.clear();
        for p in points {
            let value = field_of(p, &self.field).ok_or_else(|| format!("field {} missing from point cannot aggregate", self.field))?;
            match (kind, value) {
                (Kind::Float, FieldValue::Float(f)) => self.floats.push((p.time, *f)),
                (Kind::Int, FieldValue::Int(i)) => self.ints.push((p.time, *i)),
                (Kind::Other(t), v) if go_type(v) == t => self.ints.push((p.time, 0)),
                (k, v) => {
                    let exp = match k {
                        Kind::Float => "float64",
                        Kind::Int => "int64",
                        Kind::Other(t) => t,
                    };
                    return Err(format!("field {} has wrong type: got {} exp {exp}", self.field, go_type(v)));
                }
            }
        }
        Ok(())
    }

    fn reduce(&mut self, r: Reducer, kind: Kind) -> Option<Reduced> {
        match kind {
            Kind::Float => r.reduce(&self.floats, &mut self.float_scratch),
            _ => r.reduce(&self.ints, &mut self.int_scratch),
        }
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
    fn on_batch(&mut self, batch: &Batch, id: usize, ctx: &mut Ctx) -> Flow {
        if let Method::Transform(t) = self.method {
            return self.transform_batch(t, batch, id, ctx);
        }
        if batch.points.is_empty() {
            return match self.method {
                Method::Reduce(r) if r.empty_ok() => {
                    let kind = self.kind.unwrap_or(Kind::Float);
                    let zero = match (r, kind) {
                        (Reducer::Count, _) | (_, Kind::Int) => FieldValue::Int(0),
                        _ => FieldValue::Float(0.0),
                    };
                    Flow::point(self.value_point(batch, zero, batch.time))
                }
                _ => Flow::Drop,
            };
        }
        let loaded = self.kind_for(batch.points[0].field(&self.field)).and_then(|k| self.load(k, &batch.points).map(|()| k));
        let kind = match loaded {
            Ok(k) => k,
            Err(e) => {
                ctx.error(id, &format!("failed to aggregate batch: {e}"));
                return Flow::Drop;
            }
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
                    _ => multi::distinct(&self.ints).into_iter().map(Num::field).collect(),
                };
                let points = values.into_iter().map(|v| self.value_point(batch, v, batch.time)).collect();
                Flow::Batch(Batch { points, ..batch.empty_like(batch.time) })
            }
            Method::TopBottom(tb) => {
                let chosen = match kind {
                    Kind::Float => tb.select(&self.floats, &batch.points),
                    _ => tb.select(&self.ints, &batch.points),
                };
                let points = chosen.into_iter().map(|i| self.top_point(batch, &tb, i)).collect();
                Flow::Batch(Batch { points, ..batch.empty_like(batch.time) })
            }
            Method::Transform(_) => unreachable!("handled above"),
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
            Some(batch) => self.on_batch(&batch, id, ctx),
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
        self.on_batch(batch, id, ctx)
    }
}
