//! `|combine(lambda, ...)`: every combination of a group's points at one (rounded)
//! time where the k-th point matches the k-th lambda becomes one point, fields and
//! non-group tags prefixed by `.as()` names (Kapacitor 1.5.7 `combine.go`).
//!
//! A stream group's points wait until a point with another time arrives; a batch is
//! combined time by time inside it; the output is always a stream. More
//! combinations than `.max()` fail the node (Kapacitor stops the task): the error is
//! counted and nothing more goes on from it.
//!
//! Memory: a group quiet for [`EVICT_AFTER`] of point time is forgotten.

use super::super::{Batch, Ctx, Dims, Emit, Flow, GroupTable, Stage};
use super::held::{many, reuse, round, Prefixed, Sweep};
use super::join::EVICT_AFTER;
use crate::eval::Lambda;
use crate::point::Point;
use std::sync::Arc;

/// The combine's properties.
#[derive(Debug, Clone)]
pub struct CombineSpec {
    /// `.as()`: one prefix per lambda.
    pub names: Vec<Arc<str>>,
    /// `.delimiter()` (default `.`).
    pub delimiter: String,
    /// `.tolerance()` in ns.
    pub tolerance: i64,
    /// `.max()` combinations (default 1,000,000).
    pub max: i64,
}

/// One group's waiting points and its own copies of the lambdas.
struct CombGroup {
    /// The time of the waiting points; None at the start of a batch.
    time: Option<i64>,
    name: Arc<str>,
    dims: Arc<Dims>,
    points: Vec<Point>,
    lambdas: Vec<Lambda>,
    last_seen: i64,
}

/// What one combination run needs besides the group.
struct Rules<'a> {
    names: &'a mut [Prefixed],
    max: i64,
    id: usize,
}

/// The `combine` stage.
pub struct CombineStage {
    spec: CombineSpec,
    lambdas: Vec<Lambda>,
    names: Vec<Prefixed>,
    groups: GroupTable<CombGroup>,
    failed: bool,
    key: String,
    out: Vec<Emit>,
    sweep: Sweep,
}

impl CombineStage {
    /// A combine of `lambdas`.
    pub fn new(spec: CombineSpec, lambdas: Vec<Lambda>) -> Self {
        let names = spec.names.iter().map(|n| Prefixed::new(n, &spec.delimiter)).collect();
        CombineStage { spec, lambdas, names, groups: GroupTable::default(), failed: false, key: String::new(), out: Vec::new(), sweep: Sweep::new(EVICT_AFTER) }
    }

    fn sweep(&mut self, now: i64) {
        if let Some(cutoff) = self.sweep.due(now) {
            self.groups.retain(|g| g.last_seen >= cutoff);
        }
    }

    fn new_group(&self, time: Option<i64>, name: &Arc<str>, dims: &Arc<Dims>) -> CombGroup {
        CombGroup { time, name: name.clone(), dims: dims.clone(), points: Vec::new(), lambdas: self.lambdas.clone(), last_seen: time.unwrap_or(i64::MIN) }
    }

    /// Adds one point to a group, combining the waiting ones first when its time differs.
    fn add(&mut self, slot: usize, point: &Point, ctx: &mut Ctx, id: usize) {
        let t = round(point.time, self.spec.tolerance);
        let group = self.groups.slot_mut(slot);
        group.last_seen = group.last_seen.max(t);
        if group.time != Some(t) {
            let mut rules = Rules { names: &mut self.names, max: self.spec.max, id };
            if let Err(e) = combine(group, &mut rules, ctx, &mut self.out) {
                ctx.error(id, &e);
                self.failed = true;
            }
            group.points.clear();
            group.time = Some(t);
        }
        group.points.push(Point { time: t, ..point.clone() });
    }

    fn flow(&mut self) -> Flow {
        if self.failed {
            self.out.clear();
        }
        many(&mut self.out)
    }
}

/// Go's n choose k as 1.5.7 counts it (-1 when n < k; int64 arithmetic).
fn choose(n: i64, k: i64) -> i64 {
    if n < k {
        return -1;
    }
    (0..k).fold(1i64, |count, i| count.wrapping_mul(n - i) / (i + 1))
}

/// Emits every valid combination of the group's waiting points.
fn combine(group: &mut CombGroup, rules: &mut Rules, ctx: &mut Ctx, out: &mut Vec<Emit>) -> Result<(), String> {
    let (n, k) = (group.points.len(), group.lambdas.len());
    if n == 0 {
        return Ok(());
    }
    let count = choose(n as i64, k as i64);
    if count > rules.max {
        return Err(format!("refusing to perform combination as total combinations {count} exceeds max combinations {}", rules.max));
    }
    if count == -1 {
        return Ok(());
    }
    let matches: Vec<Vec<bool>> = group
        .lambdas
        .iter_mut()
        .map(|lambda| {
            group.points.iter().map(|p| lambda.eval_bool(p).unwrap_or_else(|e| {
                ctx.error(rules.id, &format!("error evaluating lambda expression: {e}"));
                false
            })).collect()
        })
        .collect();
    let mut indices: Vec<usize> = (0..k).collect();
    loop {
        if let Some(set) = pick(&indices, &matches) {
            out.push(merged(group, &set, rules));
        }
        let Some(i) = (0..k).rev().find(|&i| indices[i] != i + n - k) else { return Ok(()) };
        indices[i] += 1;
        for j in i + 1..k {
            indices[j] = indices[j - 1] + 1;
        }
    }
}

/// For lambda s, the first remaining point of the combination it matches; None if one has none.
fn pick(indices: &[usize], matches: &[Vec<bool>]) -> Option<Vec<usize>> {
    let mut left = indices.to_vec();
    matches
        .iter()
        .map(|m| {
            let at = left.iter().position(|&i| m[i])?;
            Some(left.remove(at))
        })
        .collect()
}

/// One combination as a point: prefixed fields, group tags kept, other tags prefixed.
fn merged(group: &CombGroup, set: &[usize], rules: &mut Rules) -> Emit {
    let mut fields = Vec::new();
    let mut tags: Vec<(Arc<str>, Arc<str>)> = Vec::new();
    let put = |tags: &mut Vec<(Arc<str>, Arc<str>)>, k: Arc<str>, v: &Arc<str>| match tags.iter_mut().find(|(t, _)| *t == k) {
        Some(slot) => slot.1 = v.clone(),
        None => tags.push((k, v.clone())),
    };
    for (s, &i) in set.iter().enumerate() {
        let p = &group.points[i];
        fields.extend(p.fields.iter().map(|(k, v)| (rules.names[s].get(k), v.clone())));
        let dims = group.dims.names_for(p);
        for (k, v) in &p.tags {
            let key = if dims.contains(&&**k) { k.clone() } else { rules.names[s].get(k) };
            put(&mut tags, key, v);
        }
    }
    tags.sort_by(|a, b| a.0.cmp(&b.0));
    let time = group.points[set[0]].time;
    Emit::Point(Point { name: group.name.clone(), tags, fields, time }, group.dims.clone())
}

impl Stage for CombineStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        if self.failed {
            return Flow::Drop;
        }
        self.sweep(point.time);
        dims.write_group_id(point, &mut self.key);
        let fresh = self.new_group(Some(point.time), &point.name, dims);
        let before = self.groups.len();
        let slot = self.groups.slot_of(&self.key, || fresh);
        if self.groups.len() > before && round(point.time, self.spec.tolerance) != point.time {
            // 1.5.7 slices its still unallocated buffer here and the daemon panics.
            ctx.error(id, "a group's first point is off the .tolerance() grid: Kapacitor 1.5.7 crashes here (slice bounds out of range)");
            self.failed = true;
            return Flow::Drop;
        }
        self.add(slot, point, ctx, id);
        self.flow()
    }

    fn process_batch(&mut self, batch: &Batch, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        if self.failed {
            return Flow::Drop;
        }
        batch.write_group_id(dims, &mut self.key);
        let fresh = self.new_group(None, &batch.name, dims);
        let slot = self.groups.slot_of(&self.key, || fresh);
        let group = self.groups.slot_mut(slot);
        (group.name, group.time) = (batch.name.clone(), None);
        group.points.clear();
        for point in &batch.points {
            self.add(slot, point, ctx, id);
        }
        let group = self.groups.slot_mut(slot);
        let mut rules = Rules { names: &mut self.names, max: self.spec.max, id };
        if let Err(e) = combine(group, &mut rules, ctx, &mut self.out) {
            ctx.error(id, &e);
            self.failed = true;
        }
        group.points.clear();
        self.flow()
    }

    fn recycle_many(&mut self, emitted: Vec<Emit>) {
        reuse(&mut self.out, emitted);
    }
}

#[cfg(test)]
mod tests {
    use super::choose;

    #[test]
    fn counts_like_go() {
        assert_eq!(choose(3, 2), 3);
        assert_eq!(choose(1, 2), -1);
        assert_eq!(choose(5, 0), 1);
        assert_eq!(choose(10, 3), 120);
    }
}
