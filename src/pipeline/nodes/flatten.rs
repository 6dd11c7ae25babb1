//! `|flatten()`: the points of a group at one (rounded) time become one point whose
//! field names are built from `.on()` tag values (Kapacitor 1.5.7 `flatten.go`).
//!
//! A stream group's points wait until a point with another time arrives; a batch is
//! flattened time by time inside it. The output carries the group's tags only and,
//! for streams, the measurement of the group's first point.
//!
//! Memory: a stream group quiet for [`EVICT_AFTER`] of point time is forgotten (what
//! it held would only go on if the group came back).

use super::super::{Batch, Ctx, Dims, Flow, GroupTable, Stage};
use super::held::{group_tags, round, Sweep};
use super::join::EVICT_AFTER;
use crate::point::Point;
use crate::value::FieldValue;
use std::sync::Arc;

/// The flatten's properties.
#[derive(Debug, Clone)]
pub struct FlattenSpec {
    /// `.on()`: the tags whose values prefix the field names.
    pub on: Vec<Arc<str>>,
    /// `.delimiter()` (default `.`).
    pub delimiter: String,
    /// `.tolerance()` in ns.
    pub tolerance: i64,
    /// `.dropOriginalFieldName()`.
    pub drop_original_field_name: bool,
}

/// One stream group's waiting points.
struct FlatGroup {
    time: i64,
    name: Arc<str>,
    tags: Vec<(Arc<str>, Arc<str>)>,
    points: Vec<Point>,
    last_seen: i64,
}

/// The `flatten` stage.
pub struct FlattenStage {
    spec: FlattenSpec,
    groups: GroupTable<FlatGroup>,
    sweep: Sweep,
}

impl FlattenStage {
    /// A flatten with no groups yet.
    pub fn new(spec: FlattenSpec) -> Self {
        FlattenStage { spec, groups: GroupTable::default(), sweep: Sweep::new(EVICT_AFTER) }
    }

    fn sweep(&mut self, now: i64) {
        if let Some(cutoff) = self.sweep.due(now) {
            self.groups.retain(|g| g.last_seen >= cutoff);
        }
    }
}

/// The flattened fields of `points`; a point lacking an `.on()` tag is skipped with an error.
fn flatten(spec: &FlattenSpec, points: &[Point], id: usize, ctx: &mut Ctx) -> Vec<(Arc<str>, FieldValue)> {
    let mut fields: Vec<(Arc<str>, FieldValue)> = Vec::new();
    // Kapacitor keeps the prefix written so far when it skips a point (1.5.7); so does this.
    let mut prefix = String::new();
    'points: for p in points {
        for (i, tag) in spec.on.iter().enumerate() {
            match p.tag(tag) {
                Some(v) => {
                    if i > 0 {
                        prefix.push_str(&spec.delimiter);
                    }
                    prefix.push_str(v);
                }
                None => {
                    ctx.error(id, &format!("point missing tag for flatten operation: tag {tag} is missing from point"));
                    continue 'points;
                }
            }
        }
        let len = prefix.len();
        for (name, value) in &p.fields {
            if !spec.drop_original_field_name {
                if len > 0 {
                    prefix.push_str(&spec.delimiter);
                }
                prefix.push_str(name);
            }
            match fields.iter_mut().find(|(k, _)| **k == *prefix) {
                Some(slot) => slot.1 = value.clone(),
                None => fields.push((Arc::from(prefix.as_str()), value.clone())),
            }
            prefix.truncate(len);
        }
        prefix.clear();
    }
    fields
}

impl Stage for FlattenStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        self.sweep(point.time);
        let t = round(point.time, self.spec.tolerance);
        let group = self.groups.get_or_insert_for(point, dims, || FlatGroup {
            time: t,
            name: point.name.clone(),
            tags: group_tags(point, dims),
            points: Vec::new(),
            last_seen: t,
        });
        group.last_seen = group.last_seen.max(t);
        let mut out = None;
        if t != group.time {
            if !group.points.is_empty() {
                let fields = flatten(&self.spec, &group.points, id, ctx);
                out = Some(Point { name: group.name.clone(), tags: group.tags.clone(), fields, time: group.time });
                group.points.clear();
            }
            group.time = t;
        }
        group.points.push(Point { time: t, ..point.clone() });
        match out {
            Some(p) if !p.fields.is_empty() => Flow::Forward { point: Some(p), dims: None },
            _ => Flow::Drop,
        }
    }

    fn process_batch(&mut self, batch: &Batch, _: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        let mut out = batch.empty_like(batch.time);
        let mut time = None;
        let mut waiting: Vec<Point> = Vec::new();
        for bp in &batch.points {
            let t = round(bp.time, self.spec.tolerance);
            if time != Some(t) {
                if let (Some(at), false) = (time, waiting.is_empty()) {
                    let fields = flatten(&self.spec, &waiting, id, ctx);
                    if !fields.is_empty() {
                        out.points.push(Point { name: batch.name.clone(), tags: batch.tags.clone(), fields, time: at });
                    }
                    waiting.clear();
                }
                time = Some(t);
            }
            waiting.push(Point { time: t, ..bp.clone() });
        }
        if let (Some(at), false) = (time, waiting.is_empty()) {
            let fields = flatten(&self.spec, &waiting, id, ctx);
            out.points.push(Point { name: batch.name.clone(), tags: batch.tags.clone(), fields, time: at });
        }
        Flow::Batch(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(path: Option<&str>, t: i64, v: f64) -> Point {
        let mut p = Point { name: "disk".into(), time: t, ..Point::default() };
        if let Some(path) = path {
            p.set_tag("path", path.into());
        }
        p.fields.push(("used".into(), FieldValue::Float(v)));
        p
    }

    #[test]
    fn flattens_one_time_when_the_next_arrives() {
        let spec = FlattenSpec { on: vec!["path".into()], delimiter: ".".into(), tolerance: 0, drop_original_field_name: false };
        let mut stage = FlattenStage::new(spec);
        let (dims, mut ctx) = (Arc::new(Dims::default()), Ctx::default());
        assert!(matches!(stage.process(&point(Some("/"), 1, 1.0), &dims, 0, &mut ctx), Flow::Drop));
        assert!(matches!(stage.process(&point(None, 1, 2.0), &dims, 0, &mut ctx), Flow::Drop));
        let Flow::Forward { point: Some(p), .. } = stage.process(&point(Some("/"), 2, 3.0), &dims, 0, &mut ctx) else { panic!("no point") };
        assert_eq!((p.time, p.fields), (1, vec![("/.used".into(), FieldValue::Float(1.0))]));
        assert_eq!(ctx.errors.on_node(0), 1);
    }
}
