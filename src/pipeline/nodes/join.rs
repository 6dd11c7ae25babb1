//! `a|join(b, ...)`: joins the parents' points (or batches) that share a group and a
//! (rounded) time into one, with every property of Kapacitor 1.5.7 (`join.go`).
//!
//! Per group, messages go into sets by rounded time; each parent has a head (the
//! time of its newest message). The oldest sets go on as soon as they are complete;
//! once every head has passed the oldest time, incomplete sets go on too (filled,
//! or dropped without `.fill()`). `.on()` is in [`super::join_on`].
//!
//! Memory: a group quiet for [`EVICT_AFTER`] of point time, or holding more than
//! [`MAX_PENDING_SETS`], lets its oldest sets go as Kapacitor does when a task stops.

use super::super::{Batch, Ctx, Dims, Emit, Flow, GroupTable, Stage};
use super::held::{many, reuse, round, Held, Item, Prefixed, Sweep};
use super::join_on::OnMatcher;
use super::join_set::{Fill, JoinSet, SetRules};
use crate::point::Point;
use std::collections::VecDeque;
use std::sync::Arc;

/// A group that saw no message for this long (ns of point time) is flushed and forgotten.
pub const EVICT_AFTER: i64 = 5 * 60 * 1_000_000_000;
/// Most sets a group holds; beyond it the oldest goes on as if every parent had passed it.
pub const MAX_PENDING_SETS: usize = 4096;

/// The join's properties.
#[derive(Debug, Clone)]
pub struct JoinSpec {
    /// `.as()`: one prefix per parent.
    pub names: Vec<Arc<str>>,
    /// `.on()`: the dimensions to join on, when a subset of the group's.
    pub on: Vec<Arc<str>>,
    /// `.delimiter()` (default `.`).
    pub delimiter: String,
    /// `.streamName()`.
    pub stream_name: Option<Arc<str>>,
    /// `.tolerance()` in ns.
    pub tolerance: i64,
    /// `.fill()`.
    pub fill: Fill,
}

/// One group's sets, oldest first, and each parent's head.
struct JoinGroup {
    sets: VecDeque<JoinSet>,
    head: Vec<Option<i64>>,
    last_seen: i64,
}

/// The `join` stage.
pub struct JoinStage {
    parents: usize,
    rules: SetRules,
    groups: GroupTable<JoinGroup>,
    on: Option<OnMatcher>,
    /// What `.on()` matching hands on to the groups (reused).
    matched: Vec<(usize, Item)>,
    key: String,
    out: Vec<Emit>,
    sweep: Sweep,
}

impl JoinStage {
    /// A join of `parents` parents.
    pub fn new(spec: JoinSpec, parents: usize) -> Self {
        let names = spec.names.iter().map(|n| Prefixed::new(n, &spec.delimiter)).collect();
        let rules = SetRules { fill: spec.fill, tolerance: spec.tolerance, stream_name: spec.stream_name.clone(), names, may_collide: spec.delimiter.is_empty() };
        let on = (!spec.on.is_empty()).then(|| OnMatcher::new(spec.on.clone(), spec.tolerance, parents));
        JoinStage { parents, rules, groups: GroupTable::default(), on, matched: Vec::new(), key: String::new(), out: Vec::new(), sweep: Sweep::new(EVICT_AFTER) }
    }

    /// Number of groups holding state.
    #[cfg(test)]
    pub fn group_count(&self) -> usize {
        self.groups.len()
    }

    fn take(&mut self, src: usize, item: Item) -> Flow {
        self.sweep(item.time());
        match self.on.as_mut() {
            Some(on) => {
                let mut matched = std::mem::take(&mut self.matched);
                on.match_item(src, item, &mut matched);
                for (src, item) in matched.drain(..) {
                    self.collect(src, item);
                }
                self.matched = matched;
            }
            None => self.collect(src, item),
        }
        self.flow()
    }

    fn flow(&mut self) -> Flow {
        many(&mut self.out)
    }

    /// Puts a message into its group's set and lets the sets that are due go on.
    fn collect(&mut self, src: usize, item: Item) {
        let t = round(item.time(), self.rules.tolerance);
        item.write_group_id(&mut self.key);
        let parents = self.parents;
        let slot = self.groups.slot_of(&self.key, || JoinGroup { sets: VecDeque::new(), head: vec![None; parents], last_seen: t });
        let group = self.groups.slot_mut(slot);
        group.last_seen = group.last_seen.max(t);
        let lo = group.sets.partition_point(|s| s.time < t);
        let hi = group.sets.partition_point(|s| s.time <= t);
        match (lo..hi).find(|&i| !group.sets[i].has(src)) {
            Some(i) => group.sets[i].set(src, item),
            None => {
                let mut set = JoinSet::new(t, parents);
                set.set(src, item);
                group.sets.insert(hi, set);
            }
        }
        group.head[src] = Some(t);
        while group.sets.len() > MAX_PENDING_SETS {
            let set = group.sets.pop_front().expect("more sets than the limit");
            self.out.extend(set.join(&mut self.rules));
        }
        emit_due(group, &mut self.rules, &mut self.out);
    }

    /// Flushes and forgets the groups quiet for longer than [`EVICT_AFTER`].
    fn sweep(&mut self, now: i64) {
        let Some(cutoff) = self.sweep.due(now) else { return };
        for group in self.groups.values_mut().filter(|g| g.last_seen < cutoff) {
            flush(group, &mut self.rules, &mut self.out);
        }
        self.groups.retain(|g| g.last_seen >= cutoff);
        if let Some(on) = &mut self.on {
            on.evict(cutoff);
        }
    }
}

/// Kapacitor's `emit`: the complete sets at the oldest time go on; once every head
/// is past the oldest time, all its sets go (filled or dropped) and the next time is tried.
fn emit_due(group: &mut JoinGroup, rules: &mut SetRules, out: &mut Vec<Emit>) {
    let mut only_ready = waiting(group);
    while let Some(oldest) = group.sets.front().map(|s| s.time) {
        while group.sets.front().is_some_and(|s| s.time == oldest && (s.ready() || !only_ready)) {
            let set = group.sets.pop_front().expect("front exists");
            out.extend(set.join(rules));
        }
        if only_ready {
            return;
        }
        only_ready = waiting(group);
    }
}

/// True while some parent's head has not passed the oldest set (only complete sets may go).
fn waiting(group: &JoinGroup) -> bool {
    let Some(oldest) = group.sets.front().map(|s| s.time) else { return true };
    group.head.iter().any(|h| h.is_none_or(|h| h <= oldest))
}

/// Every set of the group, oldest first (Kapacitor's `emitAll` when a task stops).
fn flush(group: &mut JoinGroup, rules: &mut SetRules, out: &mut Vec<Emit>) {
    while let Some(set) = group.sets.pop_front() {
        out.extend(set.join(rules));
    }
}

impl Stage for JoinStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        self.process_from(0, point, dims, id, ctx)
    }

    fn process_batch(&mut self, batch: &Batch, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        self.process_batch_from(0, batch, dims, id, ctx)
    }

    fn process_from(&mut self, src: usize, point: &Point, dims: &Arc<Dims>, _: usize, _: &mut Ctx) -> Flow {
        self.take(src, Item { held: Held::Point(point.clone()), dims: dims.clone() })
    }

    fn process_batch_from(&mut self, src: usize, batch: &Batch, dims: &Arc<Dims>, _: usize, _: &mut Ctx) -> Flow {
        self.take(src, Item { held: Held::Batch(batch.clone()), dims: dims.clone() })
    }

    fn recycle_many(&mut self, emitted: Vec<Emit>) {
        reuse(&mut self.out, emitted);
    }

    fn finish(&mut self, _id: usize, _ctx: &mut Ctx) -> Flow {
        for group in self.groups.values_mut() {
            flush(group, &mut self.rules, &mut self.out);
        }
        self.flow()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::FieldValue;

    const S: i64 = 1_000_000_000;

    fn point(name: &str, host: &str, t: f64, v: f64) -> Point {
        let mut p = Point { name: name.into(), time: (t * S as f64) as i64, ..Point::default() };
        p.set_tag("host", host.into());
        p.fields.push(("v".into(), FieldValue::Float(v)));
        p
    }

    fn spec(fill: Fill) -> JoinSpec {
        JoinSpec { names: vec!["a".into(), "b".into()], on: vec![], delimiter: ".".into(), stream_name: None, tolerance: 0, fill }
    }

    /// Runs points (parent, point) through a join grouped by host; returns (time s, fields).
    fn run(stage: &mut JoinStage, input: &[(usize, Point)]) -> Vec<(i64, String)> {
        let dims = Arc::new(Dims::from_tags(["host".into()]));
        let mut ctx = Ctx::default();
        let mut out = Vec::new();
        for (src, p) in input {
            if let Flow::Many(emitted) = stage.process_from(*src, p, &dims, 0, &mut ctx) {
                out.extend(emitted.into_iter().map(describe));
            }
        }
        if let Flow::Many(emitted) = stage.finish(0, &mut ctx) {
            out.extend(emitted.into_iter().map(describe));
        }
        out
    }

    fn describe(e: Emit) -> (i64, String) {
        let Emit::Point(p, _) = e else { panic!("a batch") };
        let fields: Vec<String> = p.sorted_fields().iter().map(|(k, v)| format!("{k}={v:?}")).collect();
        (p.time / S, fields.join(","))
    }

    #[test]
    fn inner_join_drops_incomplete_sets_and_fill_fills_them() {
        let input = [(0, point("x", "h", 1.0, 1.0)), (1, point("y", "h", 1.0, 2.0)), (0, point("x", "h", 2.0, 3.0)), (1, point("y", "h", 3.0, 4.0)), (0, point("x", "h", 4.0, 5.0))];
        let inner = run(&mut JoinStage::new(spec(Fill::None), 2), &input);
        assert_eq!(inner, [(1, "a.v=Float(1.0),b.v=Float(2.0)".to_string())]);
        let filled = run(&mut JoinStage::new(spec(Fill::Int(0)), 2), &input);
        let times: Vec<i64> = filled.iter().map(|(t, _)| *t).collect();
        // 2 and 3 go when both heads pass them; 4 only when the input ends.
        assert_eq!(times, [1, 2, 3, 4]);
        assert_eq!(filled[1].1, "a.v=Float(3.0),b.v=Int(0)");
    }

    #[test]
    fn quiet_groups_are_flushed_and_forgotten() {
        let mut stage = JoinStage::new(spec(Fill::Null), 2);
        let input: Vec<(usize, Point)> = (0..2000).map(|i| (0, point("x", &format!("h{i}"), i as f64, 1.0))).collect();
        let out = run(&mut stage, &input);
        assert_eq!(out.len(), 2000, "every point joined with nulls, at eviction or at the end");
        assert!(stage.group_count() <= 400, "{} groups kept", stage.group_count());
    }

    #[test]
    fn a_silent_parent_holds_at_most_the_pending_limit() {
        let mut stage = JoinStage::new(spec(Fill::None), 2);
        let dims = Arc::new(Dims::from_tags(["host".into()]));
        let mut ctx = Ctx::default();
        for i in 0..(MAX_PENDING_SETS as i64 + 100) {
            let p = point("x", "h", i as f64 * 0.001, 1.0);
            let _ = stage.process_from(0, &p, &dims, 0, &mut ctx);
        }
        let held: usize = stage.groups.values_mut().map(|g| g.sets.len()).sum();
        assert_eq!(held, MAX_PENDING_SETS);
    }
}
