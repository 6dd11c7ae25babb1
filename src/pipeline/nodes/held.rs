//! What the nodes that combine streams hold: a point or a batch with its dimensions,
//! and the helpers they share (Go's `Time.Round`, a point's group tags, prefixed names).

use super::super::{Batch, Dims, Emit, Flow};
use super::from::adjust_time;
use crate::eval::same_name;
use crate::point::Point;
use std::sync::Arc;

/// A message a join or union keeps until it can go on.
#[derive(Debug, Clone)]
pub enum Held {
    /// A point.
    Point(Point),
    /// A batch.
    Batch(Batch),
}

/// A held message with the dimensions it travels with.
#[derive(Debug, Clone)]
pub struct Item {
    /// The message.
    pub held: Held,
    /// Its dimensions.
    pub dims: Arc<Dims>,
}

impl Item {
    /// The point's time, or the batch's.
    pub fn time(&self) -> i64 {
        match &self.held {
            Held::Point(p) => p.time,
            Held::Batch(b) => b.time,
        }
    }

    /// The measurement name.
    pub fn name(&self) -> &Arc<str> {
        match &self.held {
            Held::Point(p) => &p.name,
            Held::Batch(b) => &b.name,
        }
    }

    /// Writes the group ID into `out` (cleared first).
    pub fn write_group_id(&self, out: &mut String) {
        match &self.held {
            Held::Point(p) => self.dims.write_group_id(p, out),
            Held::Batch(b) => b.write_group_id(&self.dims, out),
        }
    }

    /// The group tags (Kapacitor's `GroupInfo().Tags`).
    pub fn group_tags(&self) -> Vec<(Arc<str>, Arc<str>)> {
        match &self.held {
            Held::Point(p) => group_tags(p, &self.dims),
            Held::Batch(b) => b.tags.clone(),
        }
    }

    /// The number of group-by tags (`len(Dimensions().TagNames)`).
    pub fn dim_count(&self) -> usize {
        match &self.held {
            Held::Point(p) if self.dims.all => self.dims.names_for(p).len(),
            Held::Batch(b) if self.dims.all => b.tags.len(),
            _ => self.dims.tags.len(),
        }
    }

    /// The message as the pipeline sends it on.
    pub fn emit(self) -> Emit {
        match self.held {
            Held::Point(p) => Emit::Point(p, self.dims),
            Held::Batch(b) => Emit::Batch(b, self.dims),
        }
    }
}

/// When a node's quiet groups are due to be forgotten, on point time.
#[derive(Debug)]
pub struct Sweep {
    clock: i64,
    next: i64,
    after: i64,
}

impl Sweep {
    /// Groups quiet for `after` ns of point time go, checked every quarter of that.
    pub fn new(after: i64) -> Self {
        Sweep { clock: i64::MIN, next: i64::MIN, after }
    }

    /// Advances the clock to `now`; the cutoff (forget groups last seen before it) when a sweep is due.
    pub fn due(&mut self, now: i64) -> Option<i64> {
        self.clock = self.clock.max(now);
        if self.clock < self.next {
            return None;
        }
        self.next = self.clock.saturating_add(self.after / 4);
        Some(self.clock.saturating_sub(self.after))
    }
}

/// The flow of what a stage emitted into `out` (left empty).
pub fn many(out: &mut Vec<Emit>) -> Flow {
    if out.is_empty() { Flow::Drop } else { Flow::Many(std::mem::take(out)) }
}

/// Keeps the larger of two emit vectors for the next [`many`] (what `recycle_many` does).
pub fn reuse(out: &mut Vec<Emit>, mut emitted: Vec<Emit>) {
    emitted.clear();
    if out.capacity() < emitted.capacity() {
        *out = emitted;
    }
}

/// Go's `Time.Round(d)`: to the nearest multiple of `d` since 0001-01-01, halves up; `d <= 0` keeps `t`.
pub fn round(t: i64, d: i64) -> i64 {
    if d <= 0 { t } else { adjust_time(t, 0, d) }
}

/// The group tags of `point` under `dims`, sharing the point's `Arc`s (`""` for a missing tag).
pub fn group_tags(point: &Point, dims: &Dims) -> Vec<(Arc<str>, Arc<str>)> {
    if dims.all {
        return point.tags.iter().filter(|(k, _)| !dims.exclude.iter().any(|e| **e == **k)).cloned().collect();
    }
    let empty: Arc<str> = Arc::from("");
    dims.tags
        .iter()
        .map(|name| match point.tags.iter().find(|(k, _)| same_name(k, name)) {
            Some(pair) => pair.clone(),
            None => (name.clone(), empty.clone()),
        })
        .collect()
}

/// Most names a [`Prefixed`] cache keeps per prefix.
const MAX_CACHED_NAMES: usize = 256;

/// `prefix + delimiter + name`, built once per name (the per-point path only looks them up).
#[derive(Debug, Default)]
pub struct Prefixed {
    prefix: String,
    cache: Vec<(Arc<str>, Arc<str>)>,
}

impl Prefixed {
    /// Names under `prefix` followed by `delimiter`.
    pub fn new(prefix: &str, delimiter: &str) -> Self {
        Prefixed { prefix: format!("{prefix}{delimiter}"), cache: Vec::new() }
    }

    /// The prefixed form of `name`.
    pub fn get(&mut self, name: &Arc<str>) -> Arc<str> {
        if let Some((_, full)) = self.cache.iter().find(|(n, _)| Arc::ptr_eq(n, name) || same_name(n, name)) {
            return full.clone();
        }
        let full: Arc<str> = Arc::from(format!("{}{name}", self.prefix));
        if self.cache.len() < MAX_CACHED_NAMES {
            self.cache.push((name.clone(), full.clone()));
        }
        full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_is_go_time_round() {
        let s = 1_000_000_000;
        assert_eq!(round(1_400_000_000, s), s);
        assert_eq!(round(2_500_000_000, s), 3 * s);
        assert_eq!(round(2_499_999_999, s), 2 * s);
        assert_eq!(round(1_234, 0), 1_234);
    }

    #[test]
    fn group_tags_keep_missing_dimensions_empty() {
        let mut p = Point { name: "cpu".into(), ..Point::default() };
        p.set_tag("host", "a".into());
        p.set_tag("x", "y".into());
        let dims = Dims::from_tags(["host".into(), "dc".into()]);
        let tags: Vec<(String, String)> = group_tags(&p, &dims).iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        assert_eq!(tags, [("dc".to_string(), String::new()), ("host".to_string(), "a".to_string())]);
    }

    #[test]
    fn prefixed_names_are_cached() {
        let mut names = Prefixed::new("cpu", ".");
        let field: Arc<str> = "usage".into();
        let a = names.get(&field);
        assert_eq!(&*a, "cpu.usage");
        assert!(Arc::ptr_eq(&a, &names.get(&"usage".into())));
    }
}
