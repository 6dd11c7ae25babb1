//! `|window()`: buffers each group's points and emits batches, driven by point time only.
//!
//! Time windows follow Kapacitor 1.5.7 (`window.go`): the first point of a
//! group sets `nextEmit = t0 + every` (or `t0 + period` with `.fillPeriod()`),
//! truncated to `every` with `.align()` (relative to year 1, as Go does). A
//! point at or after `nextEmit` emits the buffered points with time ≥
//! `nextEmit − period`, stamped `nextEmit`; the next edge is the *triggering
//! point's* time + `every` (the unaligned drift of 1.5.7); then the point is
//! buffered. With `every == 0` every point emits (`(t − period, t]`, stamped
//! `t`). Nothing is flushed at end of input.
//!
//! Memory: a group whose newest point is older than `period + every` behind
//! the newest point seen (of other groups) is evicted; if it comes back, Kapacitor
//! would first emit its stale window (see `tests/run/WINDOWS.md`). A group's own
//! gap is never an eviction: its due window is emitted when its next point comes.

use super::super::{Batch, Ctx, Dims, Flow, GroupTable, Stage};
use super::from::adjust_time;
use super::pool::PointPool;
use crate::point::Point;
use std::collections::VecDeque;
use std::sync::Arc;

/// The window's properties.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct WindowSpec {
    /// `.period()` in ns.
    pub period: i64,
    /// `.every()` in ns.
    pub every: i64,
    /// `.align()`.
    pub align: bool,
    /// `.fillPeriod()`.
    pub fill_period: bool,
    /// `.periodCount()`.
    pub period_count: usize,
    /// `.everyCount()`.
    pub every_count: usize,
}

/// One group's buffer.
struct GroupWindow {
    name: Arc<str>,
    tags: Vec<(Arc<str>, Arc<str>)>,
    buf: VecDeque<Point>,
    /// Time windows: the next right edge; count windows: the count that emits next.
    next_emit: i64,
    count: i64,
    last_time: i64,
}

/// The `window` stage.
pub struct WindowStage {
    spec: WindowSpec,
    groups: GroupTable<GroupWindow>,
    clock: i64,
    next_sweep: i64,
    /// Storage of emitted batches, reused for the next copies.
    pool: PointPool,
    /// The only fields the children read, when known: buffered points keep just these.
    keep: Option<Vec<Arc<str>>>,
}

impl WindowStage {
    /// A window stage with no groups yet.
    pub fn new(spec: WindowSpec) -> Self {
        WindowStage { spec, groups: GroupTable::default(), clock: i64::MIN, next_sweep: i64::MIN, pool: PointPool::default(), keep: None }
    }

    /// Number of groups currently holding a window.
    #[cfg(test)]
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    /// Drops groups that went quiet for longer than `period + every` of point time.
    fn sweep(&mut self, now: i64) {
        if self.spec.period == 0 {
            return;
        }
        if now > self.clock {
            self.clock = now;
        }
        if self.clock < self.next_sweep {
            return;
        }
        let horizon = self.spec.period.saturating_add(self.spec.every).max(1);
        let cutoff = self.clock.saturating_sub(horizon);
        self.groups.retain(|g| g.last_time >= cutoff);
        self.next_sweep = self.clock.saturating_add(horizon);
    }
}

impl Stage for WindowStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, _: usize, _: &mut Ctx) -> Flow {
        let spec = self.spec;
        let group = self.groups.get_or_insert_for(point, dims, || GroupWindow {
            name: point.name.clone(),
            tags: dims.group_tags(point),
            buf: VecDeque::new(),
            next_emit: first_emit(&spec, point.time),
            count: 0,
            last_time: point.time,
        });
        group.last_time = point.time;
        let mut store = Store { pool: &mut self.pool, keep: self.keep.as_deref_mut() };
        let batch = if spec.period != 0 { by_time(group, &spec, point, &mut store) } else { by_count(group, &spec, point, &mut store) };
        // After the point's own group has emitted: a window that fell due during a gap of
        // this group still holds its points (Kapacitor emits it when the group's next point comes).
        self.sweep(point.time);
        batch.map_or(Flow::Drop, Flow::Batch)
    }

    fn process_batch(&mut self, batch: &Batch, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        let mut last = Flow::Drop;
        for point in &batch.points {
            if let Flow::Batch(b) = self.process(point, dims, id, ctx) {
                last = Flow::Batch(b);
            }
        }
        last
    }

    fn recycle(&mut self, batch: Batch) {
        self.pool.recycle(batch.points);
    }

    fn keep_only_fields(&mut self, fields: Vec<Arc<str>>) {
        self.keep = Some(fields);
    }
}

/// The first edge of a group whose first point is at `t0` (the first count for count windows).
fn first_emit(s: &WindowSpec, t0: i64) -> i64 {
    if s.period == 0 {
        return if s.fill_period { s.period_count as i64 } else { s.every_count as i64 };
    }
    if s.fill_period {
        let filled = t0.saturating_add(s.period);
        if !s.align {
            return filled;
        }
        let aligned = adjust_time(filled, s.every, 0);
        return if aligned > filled { aligned } else { aligned.saturating_add(s.every) };
    }
    let next = t0.saturating_add(s.every);
    if s.align { adjust_time(next, s.every, 0) } else { next }
}

fn batch_of(group: &GroupWindow, time: i64, points: Vec<Point>) -> Batch {
    Batch { name: group.name.clone(), tags: group.tags.clone(), time, points }
}

/// Where buffered points come from: pooled storage, trimmed to the fields the children read.
struct Store<'a> {
    pool: &'a mut PointPool,
    keep: Option<&'a mut [Arc<str>]>,
}

impl Store<'_> {
    /// The copy of `point` the window buffers.
    fn copy(&mut self, point: &Point) -> Point {
        match self.keep.as_deref_mut() {
            Some(keep) => self.pool.copy_only(point, keep),
            None => self.pool.copy(point),
        }
    }
}

/// Copies of the buffered points (already trimmed), in a pooled vector.
fn copies(group: &GroupWindow, store: &mut Store) -> Vec<Point> {
    let mut points = store.pool.vec();
    points.extend(group.buf.iter().map(|p| store.pool.copy(p)));
    points
}

fn by_time(group: &mut GroupWindow, spec: &WindowSpec, point: &Point, store: &mut Store) -> Option<Batch> {
    if spec.every == 0 {
        group.buf.push_back(store.copy(point));
        if point.time < group.next_emit {
            return None;
        }
        let oldest = point.time.saturating_sub(spec.period);
        while group.buf.front().is_some_and(|p| p.time <= oldest) {
            group.buf.pop_front();
        }
        group.next_emit = point.time;
        let points = copies(group, store);
        return Some(batch_of(group, point.time, points));
    }
    let mut out = None;
    if point.time >= group.next_emit {
        let oldest = group.next_emit.saturating_sub(spec.period);
        while group.buf.front().is_some_and(|p| p.time < oldest) {
            group.buf.pop_front();
        }
        // With every ≥ period no buffered point can belong to a later window: move them out.
        let points = if spec.every >= spec.period {
            // The buffer becomes the batch (no copy while it starts at its allocation's front).
            Vec::from(std::mem::replace(&mut group.buf, VecDeque::from(store.pool.vec())))
        } else {
            copies(group, store)
        };
        out = Some(batch_of(group, group.next_emit, points));
        let next = point.time.saturating_add(spec.every);
        group.next_emit = if spec.align { adjust_time(next, spec.every, 0) } else { next };
    }
    group.buf.push_back(store.copy(point));
    out
}

fn by_count(group: &mut GroupWindow, spec: &WindowSpec, point: &Point, store: &mut Store) -> Option<Batch> {
    if group.buf.len() == spec.period_count {
        group.buf.pop_front();
    }
    group.buf.push_back(store.copy(point));
    group.count += 1;
    if group.count != group.next_emit {
        return None;
    }
    group.next_emit += spec.every_count as i64;
    let points = copies(group, store);
    let time = points.last().map_or(point.time, |p| p.time);
    Some(batch_of(group, time, points))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;

    fn point(host: &str, t: i64) -> Point {
        let mut p = Point { name: "cpu".into(), time: t * S, ..Point::default() };
        p.set_tag("host", host.into());
        p
    }

    fn run(spec: WindowSpec, points: &[Point]) -> Vec<(i64, Vec<i64>)> {
        let mut stage = WindowStage::new(spec);
        let dims = Arc::new(Dims::from_tags(["host".into()]));
        let mut ctx = Ctx::default();
        let mut out = Vec::new();
        for p in points {
            if let Flow::Batch(b) = stage.process(p, &dims, 0, &mut ctx) {
                out.push((b.time / S, b.points.iter().map(|p| p.time / S).collect()));
            }
        }
        out
    }

    #[test]
    fn unaligned_windows_drift_with_the_triggering_point() {
        let spec = WindowSpec { period: 10 * S, every: 10 * S, ..WindowSpec::default() };
        let pts: Vec<Point> = [3, 8, 14, 25, 40].iter().map(|&t| point("a", t)).collect();
        // first edge 13; 14 emits [3,8]@13, next = 24; 25 emits [14]@24, next = 35; 40 emits [25]@35.
        assert_eq!(run(spec, &pts), vec![(13, vec![3, 8]), (24, vec![14]), (35, vec![25])]);
    }

    #[test]
    fn aligned_windows_and_empty_windows() {
        let spec = WindowSpec { period: 10 * S, every: 10 * S, align: true, ..WindowSpec::default() };
        let pts: Vec<Point> = [3, 8, 14, 33].iter().map(|&t| point("a", t)).collect();
        // edge 10: [3,8]; next trunc(24)=20; 33 emits [14]@20; nothing at 30.
        assert_eq!(run(spec, &pts), vec![(10, vec![3, 8]), (20, vec![14])]);
        let spec = WindowSpec { period: 5 * S, every: 10 * S, align: true, ..WindowSpec::default() };
        let pts: Vec<Point> = [1, 2, 11, 24].iter().map(|&t| point("a", t)).collect();
        // edge 10 keeps ≥5: empty; edge 20 keeps ≥15: empty.
        assert_eq!(run(spec, &pts), vec![(10, vec![]), (20, vec![])]);
    }

    #[test]
    fn sliding_windows_fill_period_and_every_zero() {
        let spec = WindowSpec { period: 10 * S, every: 5 * S, fill_period: true, ..WindowSpec::default() };
        let pts: Vec<Point> = [0, 4, 9, 10, 16].iter().map(|&t| point("a", t)).collect();
        // first edge 10: [0,4,9]; next 15; 16 emits ≥5: [9,10]@15.
        assert_eq!(run(spec, &pts), vec![(10, vec![0, 4, 9]), (15, vec![9, 10])]);
        let spec = WindowSpec { period: 3 * S, ..WindowSpec::default() };
        let pts: Vec<Point> = [0, 2, 3, 7].iter().map(|&t| point("a", t)).collect();
        assert_eq!(run(spec, &pts), vec![(0, vec![0]), (2, vec![0, 2]), (3, vec![2, 3]), (7, vec![7])]);
    }

    #[test]
    fn count_windows() {
        let spec = WindowSpec { period_count: 3, every_count: 2, ..WindowSpec::default() };
        let pts: Vec<Point> = (1..=6).map(|t| point("a", t)).collect();
        assert_eq!(run(spec, &pts), vec![(2, vec![1, 2]), (4, vec![2, 3, 4]), (6, vec![4, 5, 6])]);
    }

    #[test]
    fn quiet_groups_are_evicted() {
        let spec = WindowSpec { period: 10 * S, every: 10 * S, ..WindowSpec::default() };
        let mut stage = WindowStage::new(spec);
        let dims = Arc::new(Dims::from_tags(["host".into()]));
        let mut ctx = Ctx::default();
        for i in 0..1000 {
            stage.process(&point(&format!("h{i}"), i), &dims, 0, &mut ctx);
        }
        assert!(stage.group_count() <= 41, "{} groups kept", stage.group_count());
    }

    #[test]
    fn a_window_due_during_a_gap_is_emitted_when_the_group_comes_back() {
        // Kapacitor emits the stale window [14]@20 when the point at 45 arrives (div_window_gap).
        let spec = WindowSpec { period: 10 * S, every: 10 * S, align: true, ..WindowSpec::default() };
        let pts: Vec<Point> = [3, 8, 14, 45, 52].iter().map(|&t| point("a", t)).collect();
        assert_eq!(run(spec, &pts), vec![(10, vec![3, 8]), (20, vec![14]), (50, vec![45])]);
    }

    #[test]
    fn a_group_evicted_while_others_went_on_starts_afresh() {
        // b goes on while a is quiet for more than period + every: a is forgotten (documented deviation).
        let spec = WindowSpec { period: 10 * S, every: 10 * S, align: true, ..WindowSpec::default() };
        let pts = [point("a", 3), point("a", 14), point("b", 40), point("a", 45), point("a", 52)];
        assert_eq!(run(spec, &pts), vec![(10, vec![3]), (50, vec![45])]);
    }
}
