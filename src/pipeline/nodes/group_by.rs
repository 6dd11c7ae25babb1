//! `|groupBy(...)`: regroups points, and splits each batch into one batch per new group.
//!
//! As in Kapacitor 1.5.7 (`group_by.go`), the batches of the new groups are held until a
//! batch with another time begins: batches of one time (from several parent groups) merge
//! into the same new groups, and each new group's points are then sorted by time.

use super::super::{Batch, Ctx, Dims, Emit, Flow, GroupMap, Stage};
use crate::point::Point;
use std::sync::Arc;

/// The `groupBy` stage.
pub struct GroupByStage {
    /// The new dimensions.
    pub dims: Arc<Dims>,
    /// The regrouped batches of the current batch time, in order of their first point.
    held: Vec<Batch>,
    /// Index into `held` by group ID.
    index: GroupMap<usize>,
    /// The time of the batches being regrouped.
    time: Option<i64>,
    key: String,
}

impl GroupByStage {
    /// A stage grouping by `dims`.
    pub fn new(dims: Arc<Dims>) -> Self {
        GroupByStage { dims, held: Vec::new(), index: GroupMap::default(), time: None, key: String::new() }
    }

    /// Releases the held batches, each sorted by point time.
    fn release(&mut self) -> Vec<Emit> {
        self.index.clear();
        self.held
            .drain(..)
            .map(|mut b| {
                b.points.sort_by_key(|p| p.time);
                Emit::Batch(b, self.dims.clone())
            })
            .collect()
    }

    /// Adds `point` of a batch named `name` at `time` to its new group.
    fn hold(&mut self, name: &Arc<str>, time: i64, point: &Point) {
        let header = Point { name: name.clone(), tags: point.tags.clone(), fields: Vec::new(), time };
        self.dims.write_group_id(&header, &mut self.key);
        let slot = match self.index.get(&self.key) {
            Some(&slot) => slot,
            None => {
                self.index.insert(self.key.clone(), self.held.len());
                self.held.push(Batch { name: name.clone(), tags: self.dims.group_tags(&header), time, points: Vec::new() });
                self.held.len() - 1
            }
        };
        self.held[slot].points.push(point.clone());
    }
}

impl Stage for GroupByStage {
    fn process(&mut self, _: &Point, _: &Arc<Dims>, _: usize, _: &mut Ctx) -> Flow {
        Flow::Forward { point: None, dims: Some(self.dims.clone()) }
    }

    fn process_batch(&mut self, batch: &Batch, _: &Arc<Dims>, _: usize, _: &mut Ctx) -> Flow {
        let released = if self.time != Some(batch.time) { self.release() } else { Vec::new() };
        self.time = Some(batch.time);
        for point in &batch.points {
            self.hold(&batch.name, batch.time, point);
        }
        if released.is_empty() {
            Flow::Drop
        } else {
            Flow::Many(released)
        }
    }
}
