//! `a|union(b, ...)`: merges the parents' points (or batches) into one stream in time
//! order, with `.rename()` (Kapacitor 1.5.7 `union.go`).
//!
//! Each parent's messages wait in its own queue; every message at or before the low
//! mark (the oldest of each parent's next or last time) goes on, parent by parent,
//! as soon as every parent has sent something. When the input ends everything goes.
//!
//! Memory: at most [`MAX_BUFFERED`] messages wait; beyond that the oldest goes on
//! (a parent silent for good would otherwise hold back the others forever).

use super::super::{Batch, Ctx, Dims, Emit, Flow, Stage};
use super::held::{many, reuse, Held, Item};
use crate::point::Point;
use std::collections::VecDeque;
use std::sync::Arc;

/// Most messages a union holds back.
pub const MAX_BUFFERED: usize = 100_000;

/// The `union` stage.
pub struct UnionStage {
    rename: Option<Arc<str>>,
    sources: Vec<VecDeque<Item>>,
    low_marks: Vec<Option<i64>>,
    buffered: usize,
    out: Vec<Emit>,
}

impl UnionStage {
    /// A union of `parents` parents, renaming to `rename` when set.
    pub fn new(parents: usize, rename: Option<Arc<str>>) -> Self {
        UnionStage { rename, sources: (0..parents).map(|_| VecDeque::new()).collect(), low_marks: vec![None; parents], buffered: 0, out: Vec::new() }
    }

    fn take(&mut self, src: usize, item: Item) -> Flow {
        self.sources[src].push_back(item);
        self.buffered += 1;
        self.emit_ready(false);
        while self.buffered > MAX_BUFFERED {
            self.emit_oldest();
        }
        many(&mut self.out)
    }

    /// Kapacitor's `emitReady`: messages at or before the low mark go on until nothing moves.
    fn emit_ready(&mut self, drain: bool) {
        loop {
            let mut mark: Option<i64> = None;
            let mut valid = 0;
            for (queue, low) in self.sources.iter().zip(self.low_marks.iter_mut()) {
                if let Some(t) = queue.front().map(Item::time) {
                    if mark.is_none_or(|m| t < m) {
                        mark = Some(t);
                    }
                    *low = Some(t);
                }
                if let Some(l) = *low {
                    valid += 1;
                    if !drain && mark.is_none_or(|m| l < m) {
                        mark = Some(l);
                    }
                }
            }
            if !drain && valid != self.sources.len() {
                return;
            }
            let Some(mark) = mark else { return };
            let mut emitted = false;
            for queue in &mut self.sources {
                while queue.front().is_some_and(|m| m.time() <= mark) {
                    self.out.extend(queue.pop_front().map(Item::emit));
                    self.buffered -= 1;
                    emitted = true;
                }
            }
            if !emitted {
                return;
            }
        }
    }

    /// Lets the oldest waiting message go (the memory bound).
    fn emit_oldest(&mut self) {
        let oldest = self.sources.iter().enumerate().filter_map(|(i, q)| Some((q.front()?.time(), i))).min();
        if let Some((_, i)) = oldest {
            self.out.extend(self.sources[i].pop_front().map(Item::emit));
            self.buffered -= 1;
        }
    }

    fn renamed_point(&self, point: &Point) -> Point {
        let mut p = point.clone();
        if let Some(name) = &self.rename {
            p.name = name.clone();
        }
        p
    }
}

impl Stage for UnionStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        self.process_from(0, point, dims, id, ctx)
    }

    fn process_batch(&mut self, batch: &Batch, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        self.process_batch_from(0, batch, dims, id, ctx)
    }

    fn process_from(&mut self, src: usize, point: &Point, dims: &Arc<Dims>, _: usize, _: &mut Ctx) -> Flow {
        let item = Item { held: Held::Point(self.renamed_point(point)), dims: dims.clone() };
        self.take(src, item)
    }

    fn process_batch_from(&mut self, src: usize, batch: &Batch, dims: &Arc<Dims>, _: usize, _: &mut Ctx) -> Flow {
        let mut b = batch.clone();
        if let Some(name) = &self.rename {
            b.name = name.clone();
        }
        self.take(src, Item { held: Held::Batch(b), dims: dims.clone() })
    }

    fn recycle_many(&mut self, emitted: Vec<Emit>) {
        reuse(&mut self.out, emitted);
    }

    fn finish(&mut self, _: usize, _: &mut Ctx) -> Flow {
        self.emit_ready(true);
        many(&mut self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(t: i64) -> Point {
        Point { name: "m".into(), time: t, ..Point::default() }
    }

    fn times(flow: Flow) -> Vec<i64> {
        match flow {
            Flow::Many(e) => e.iter().map(|e| if let Emit::Point(p, _) = e { p.time } else { -1 }).collect(),
            _ => vec![],
        }
    }

    #[test]
    fn merges_in_time_order_once_every_parent_reported() {
        let mut u = UnionStage::new(2, Some("u".into()));
        let (dims, mut ctx) = (Arc::new(Dims::default()), Ctx::default());
        assert!(times(u.process_from(0, &point(1), &dims, 0, &mut ctx)).is_empty());
        assert!(times(u.process_from(0, &point(3), &dims, 0, &mut ctx)).is_empty());
        assert_eq!(times(u.process_from(1, &point(2), &dims, 0, &mut ctx)), [1, 2]);
        assert_eq!(times(u.finish(0, &mut ctx)), [3]);
    }

    #[test]
    fn a_silent_parent_holds_back_at_most_the_limit() {
        let mut u = UnionStage::new(2, None);
        let (dims, mut ctx) = (Arc::new(Dims::default()), Ctx::default());
        let mut out = 0;
        for t in 0..(MAX_BUFFERED as i64 + 10) {
            out += times(u.process_from(0, &point(t), &dims, 0, &mut ctx)).len();
        }
        assert_eq!((out, u.buffered), (10, MAX_BUFFERED));
    }
}
