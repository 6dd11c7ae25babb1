//! One join set: the messages of each parent at one (rounded) time, and how they
//! become one point or one batch (Kapacitor 1.5.7 `joinset`).

use super::super::{Batch, Emit};
use super::held::{round, Held, Item, Prefixed};
use crate::point::Point;
use crate::value::FieldValue;
use std::sync::Arc;

/// `.fill()`: what stands in for a parent missing from a set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fill {
    /// No fill (`'none'`, the default): a set missing a parent is dropped (inner join).
    None,
    /// `'null'`: the missing parent's fields are null.
    Null,
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
}

impl Fill {
    /// The value filled in, None for an inner join.
    fn value(self) -> Option<FieldValue> {
        match self {
            Fill::None => None,
            Fill::Null => Some(FieldValue::Null),
            Fill::Int(i) => Some(FieldValue::Int(i)),
            Fill::Float(f) => Some(FieldValue::Float(f)),
        }
    }
}

/// What every set of one join node shares.
pub struct SetRules {
    /// `.fill()`.
    pub fill: Fill,
    /// `.tolerance()` in ns.
    pub tolerance: i64,
    /// `.streamName()`, if set.
    pub stream_name: Option<Arc<str>>,
    /// `.as()` prefixes with the delimiter, one per parent.
    pub names: Vec<Prefixed>,
    /// True when prefixed names may collide (an empty delimiter): later fields then win.
    pub may_collide: bool,
}

/// The messages of each parent at one time.
#[derive(Debug)]
pub struct JoinSet {
    /// The set's (rounded) time.
    pub time: i64,
    values: Vec<Option<Item>>,
    size: usize,
}

impl JoinSet {
    /// An empty set at `time` for `parents` parents.
    pub fn new(time: i64, parents: usize) -> Self {
        JoinSet { time, values: (0..parents).map(|_| None).collect(), size: 0 }
    }

    /// True when parent `src` is in the set.
    pub fn has(&self, src: usize) -> bool {
        self.values[src].is_some()
    }

    /// Puts parent `src`'s message in.
    pub fn set(&mut self, src: usize, item: Item) {
        self.values[src] = Some(item);
        self.size += 1;
    }

    /// True when every parent is in.
    pub fn ready(&self) -> bool {
        self.size == self.values.len()
    }

    /// The joined message, or None (an inner join missing a parent, or nothing to join).
    pub fn join(self, rules: &mut SetRules) -> Option<Emit> {
        let first = self.values.iter().flatten().next()?;
        let name = rules.stream_name.clone().unwrap_or_else(|| first.name().clone());
        match &first.held {
            Held::Point(_) => self.join_points(name, rules),
            Held::Batch(_) => self.join_batches(name, rules),
        }
    }

    fn join_points(self, name: Arc<str>, rules: &mut SetRules) -> Option<Emit> {
        let first = self.values.iter().flatten().next()?;
        let Held::Point(first_point) = &first.held else { return None };
        let mut fields = Vec::with_capacity(self.values.len() * first_point.fields.len());
        for (i, value) in self.values.iter().enumerate() {
            match value.as_ref().map(|v| &v.held) {
                Some(Held::Point(p)) => fields.extend(p.fields.iter().map(|(k, v)| (rules.names[i].get(k), v.clone()))),
                Some(Held::Batch(_)) => return None,
                None => {
                    let fill = rules.fill.value()?;
                    fields.extend(first_point.fields.iter().map(|(k, _)| (rules.names[i].get(k), fill.clone())));
                }
            }
        }
        if rules.may_collide {
            dedup_fields(&mut fields);
        }
        let point = Point { name, tags: first.group_tags(), fields, time: self.time };
        Some(Emit::Point(point, first.dims.clone()))
    }

    /// Points of the batches matched on their rounded times, in time order.
    fn join_batches(self, name: Arc<str>, rules: &mut SetRules) -> Option<Emit> {
        let first = self.values.iter().flatten().next()?;
        let Held::Batch(first_batch) = &first.held else { return None };
        let tags = first_batch.tags.clone();
        let batches: Vec<Option<&Batch>> = self
            .values
            .iter()
            .map(|v| match v.as_ref().map(|v| &v.held) {
                Some(Held::Batch(b)) => Some(b),
                _ => None,
            })
            .collect();
        let n = batches.len();
        let mut points = Vec::with_capacity(first_batch.points.len());
        let (mut empty, mut indexes) = (vec![false; n], vec![0usize; n]);
        let mut field_names: Option<Vec<Arc<str>>> = None;
        while empty.iter().filter(|e| **e).count() < n {
            let mut set: Vec<Option<&Point>> = vec![None; n];
            let mut set_time: Option<i64> = None;
            let mut count = 0;
            for (i, batch) in batches.iter().enumerate() {
                if empty[i] {
                    continue;
                }
                let Some(batch) = batch.filter(|b| indexes[i] < b.points.len()) else {
                    empty[i] = true;
                    continue;
                };
                let bp = &batch.points[indexes[i]];
                let t = round(bp.time, rules.tolerance);
                let at = *set_time.get_or_insert(t);
                if t < at {
                    // An earlier time: start the set again from this point.
                    set_time = Some(t);
                    for (j, slot) in set.iter_mut().enumerate() {
                        if slot.take().is_some() {
                            indexes[j] -= 1;
                        }
                    }
                    set[i] = Some(bp);
                    indexes[i] += 1;
                    count = 1;
                } else if t == at {
                    field_names.get_or_insert_with(|| bp.fields.iter().map(|(k, _)| k.clone()).collect());
                    set[i] = Some(bp);
                    indexes[i] += 1;
                    count += 1;
                }
            }
            let (Some(time), true) = (set_time, count > 0) else { continue };
            if let Some(point) = joined_row(&set, field_names.as_deref().unwrap_or(&[]), rules, (&name, &tags), time) {
                points.push(point);
            }
        }
        let batch = Batch { name, tags, time: self.time, points };
        Some(Emit::Batch(batch, first.dims.clone()))
    }
}

/// A batch's group tags.
type Tags = [(Arc<str>, Arc<str>)];

/// One joined batch point, or None when a batch lacks the time and there is no fill.
fn joined_row(set: &[Option<&Point>], field_names: &[Arc<str>], rules: &mut SetRules, group: (&Arc<str>, &Tags), time: i64) -> Option<Point> {
    let mut fields = Vec::new();
    for (i, bp) in set.iter().enumerate() {
        match bp {
            Some(p) => fields.extend(p.fields.iter().map(|(k, v)| (rules.names[i].get(k), v.clone()))),
            None => {
                let fill = rules.fill.value()?;
                fields.extend(field_names.iter().map(|k| (rules.names[i].get(k), fill.clone())));
            }
        }
    }
    if rules.may_collide {
        dedup_fields(&mut fields);
    }
    Some(Point { name: group.0.clone(), tags: group.1.to_vec(), fields, time })
}

/// Later fields win over earlier ones of the same name (Go map assignment); rare, so checked cheaply.
fn dedup_fields(fields: &mut Vec<(Arc<str>, FieldValue)>) {
    if fields.len() < 2 {
        return;
    }
    let mut i = fields.len();
    while i > 0 {
        i -= 1;
        let name = fields[i].0.clone();
        if fields[..i].iter().any(|(k, _)| *k == name) {
            let value = fields.remove(i).1;
            if let Some(slot) = fields[..i].iter_mut().find(|(k, _)| *k == name) {
                slot.1 = value;
            }
        }
    }
}
