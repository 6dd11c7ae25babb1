//! `|derivative(field)`: rate of change between a group's consecutive points
//! (`.unit()` default 1s, `.nonNegative()`, `.as()` default the field name).

use super::super::{Batch, Ctx, Dims, Flow, Stage};
use crate::point::Point;
use crate::value::FieldValue;
use std::sync::Arc;

/// The `derivative` stage.
pub struct DerivativeStage {
    /// The input field.
    pub field: String,
    /// The output field.
    pub as_name: String,
    /// `.unit()` in ns.
    pub unit: i64,
    /// `.nonNegative()`: negative rates emit nothing.
    pub non_negative: bool,
    previous: crate::pipeline::GroupMap<(i64, f64)>,
    key: String,
}

impl DerivativeStage {
    /// A stage with no history yet.
    pub fn new(field: String, as_name: String, unit: i64, non_negative: bool) -> Self {
        DerivativeStage { field, as_name, unit, non_negative, previous: Default::default(), key: String::new() }
    }

    fn value(&self, point: &Point) -> Result<f64, String> {
        match point.field(&self.field) {
            Some(FieldValue::Float(f)) => Ok(*f),
            Some(FieldValue::Int(i)) => Ok(*i as f64),
            Some(FieldValue::Str(_)) => Err("cannot apply derivative to type string".into()),
            Some(FieldValue::Bool(_)) => Err("cannot apply derivative to type bool".into()),
            Some(FieldValue::Null) => Err("cannot apply derivative to type <nil>".into()),
            None => Err(format!("derivative field {} missing from point", self.field)),
        }
    }

    /// The rate from `prev` to `point`; Ok(None) when nothing is emitted.
    fn rate(&self, prev: (i64, f64), point: &Point, current: f64) -> Result<Option<f64>, String> {
        let elapsed = (point.time - prev.0) as f64;
        if elapsed == 0.0 {
            return Err("cannot perform derivative elapsed time was 0".into());
        }
        let diff = current - prev.1;
        if self.non_negative && diff < 0.0 {
            return Ok(None);
        }
        Ok(Some(diff / (elapsed / self.unit as f64)))
    }

    /// One step: stores `point` as the previous one and returns the output point, if any.
    fn step(&self, previous: &mut Option<(i64, f64)>, point: &Point, id: usize, ctx: &mut Ctx) -> Option<Point> {
        let current = match self.value(point) {
            Ok(v) => v,
            Err(e) => {
                ctx.error(id, &e);
                return None;
            }
        };
        let prev = previous.replace((point.time, current))?;
        match self.rate(prev, point, current) {
            Ok(Some(rate)) => {
                let mut out = point.clone();
                out.set_field(&self.as_name, FieldValue::Float(rate));
                Some(out)
            }
            Ok(None) => None,
            Err(e) => {
                ctx.error(id, &e);
                None
            }
        }
    }
}

impl Stage for DerivativeStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        dims.write_group_id(point, &mut self.key);
        let mut previous = self.previous.get(&self.key).copied();
        let out = self.step(&mut previous, point, id, ctx);
        if let Some(prev) = previous {
            if let Some(slot) = self.previous.get_mut(&self.key) {
                *slot = prev;
            } else {
                self.previous.insert(self.key.clone(), prev);
            }
        }
        out.map_or(Flow::Drop, Flow::point)
    }

    fn process_batch(&mut self, batch: &Batch, _: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        let mut previous = None;
        let points = batch.points.iter().filter_map(|p| self.step(&mut previous, p, id, ctx)).collect();
        Flow::Batch(Batch { points, ..batch.empty_like(batch.time) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_per_unit_and_non_negative() {
        let s = 1_000_000_000;
        let mut stage = DerivativeStage::new("n".into(), "rate".into(), 10 * s, true);
        let dims = Arc::new(Dims::default());
        let mut ctx = Ctx::default();
        let mut out = Vec::new();
        for (t, v) in [(0, 0i64), (10, 20), (20, 5), (40, 25), (40, 30)] {
            let mut p = Point { name: "m".into(), time: t * s, ..Point::default() };
            p.set_field("n", FieldValue::Int(v));
            if let Flow::Forward { point: Some(p), .. } = stage.process(&p, &dims, 0, &mut ctx) {
                out.push(p.field("rate").cloned());
            }
        }
        assert_eq!(out, vec![Some(FieldValue::Float(20.0)), Some(FieldValue::Float(10.0))]);
        assert_eq!(ctx.errors.total(), 1);
    }
}
