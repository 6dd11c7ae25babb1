//! A bounded pool of spare points and point vectors, so a window copies points
//! into reused storage instead of allocating per point (issue 5).

use crate::eval::same_name;
use crate::point::Point;
use std::sync::Arc;

/// Spare points kept at most (bounds the memory a burst leaves behind).
const MAX_SPARE_POINTS: usize = 1024;
/// Spare point vectors kept at most.
const MAX_SPARE_VECS: usize = 16;

/// Spare points and vectors handed back by [`PointPool::recycle`].
#[derive(Default)]
pub struct PointPool {
    points: Vec<Point>,
    vecs: Vec<Vec<Point>>,
}

impl PointPool {
    /// A copy of `source`, built in a spare point's storage when there is one.
    pub fn copy(&mut self, source: &Point) -> Point {
        let Some(mut point) = self.points.pop() else {
            return source.clone();
        };
        share(&mut point.name, &source.name);
        copy_pairs(&mut point.tags, &source.tags, share);
        copy_pairs(&mut point.fields, &source.fields, |to, from| to.clone_from(from));
        point.time = source.time;
        point
    }

    /// A copy of `source` with its name, time and only the fields named in
    /// `keep` (a name matched by text is stored back as the point's own `Arc`,
    /// so later points match by pointer).
    pub fn copy_only(&mut self, source: &Point, keep: &mut [Arc<str>]) -> Point {
        let mut point = self.points.pop().unwrap_or_default();
        share(&mut point.name, &source.name);
        point.tags.clear();
        let mut kept = 0;
        for (key, value) in &source.fields {
            if !keeps(keep, key) {
                continue;
            }
            match point.fields.get_mut(kept) {
                Some(slot) => {
                    share(&mut slot.0, key);
                    slot.1.clone_from(value);
                }
                None => point.fields.push((key.clone(), value.clone())),
            }
            kept += 1;
        }
        point.fields.truncate(kept);
        point.time = source.time;
        point
    }

    /// An empty vector, reusing a spare one's capacity when there is one.
    pub fn vec(&mut self) -> Vec<Point> {
        self.vecs.pop().unwrap_or_default()
    }

    /// Takes back `points` (and the vector) for later copies.
    pub fn recycle(&mut self, mut points: Vec<Point>) {
        let room = MAX_SPARE_POINTS.saturating_sub(self.points.len());
        self.points.extend(points.drain(..).take(room));
        points.clear();
        if self.vecs.len() < MAX_SPARE_VECS && points.capacity() <= MAX_SPARE_POINTS {
            self.vecs.push(points);
        }
    }
}

/// Makes `to` the same string as `from`; skips the reference-count traffic
/// when it already is (interned names usually are).
#[inline]
fn share(to: &mut Arc<str>, from: &Arc<str>) {
    if !Arc::ptr_eq(to, from) {
        *to = from.clone();
    }
}

/// Whether `key` is one of `keep`; a text match caches `key`'s pointer.
#[inline]
fn keeps(keep: &mut [Arc<str>], key: &Arc<str>) -> bool {
    for name in keep.iter_mut() {
        if Arc::ptr_eq(name, key) {
            return true;
        }
        if same_name(name, key) {
            *name = key.clone();
            return true;
        }
    }
    false
}

/// Copies `from` into `to`, reusing `to`'s storage and its equal keys.
#[inline]
fn copy_pairs<V: Clone>(to: &mut Vec<(Arc<str>, V)>, from: &[(Arc<str>, V)], value: impl Fn(&mut V, &V)) {
    to.truncate(from.len());
    let kept = to.len();
    for ((to_key, to_value), (key, v)) in to.iter_mut().zip(from) {
        share(to_key, key);
        value(to_value, v);
    }
    to.extend_from_slice(&from[kept..]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::FieldValue;

    /// A `cpu` point of host `a` at `time` with `fields`.
    fn sample(time: i64, fields: &[(&str, FieldValue)]) -> Point {
        let mut p = Point { name: "cpu".into(), time, ..Point::default() };
        p.set_tag("host", "a".into());
        for (k, v) in fields {
            p.set_field(k, v.clone());
        }
        p
    }

    #[test]
    fn copies_equal_their_source_and_reuse_storage() {
        let mut pool = PointPool::default();
        let a = sample(1, &[("v", FieldValue::Float(1.0))]);
        let first = pool.copy(&a);
        assert_eq!(first, a);
        pool.recycle(vec![first]);
        let mut b = Point { name: "mem".into(), time: 2, ..Point::default() };
        b.set_field("w", FieldValue::Int(3));
        let second = pool.copy(&b);
        assert_eq!(second, b);
        assert!(second.tags.is_empty());
        assert!(pool.vec().capacity() >= 1);
    }

    #[test]
    fn trimmed_copies_keep_only_the_named_fields() {
        let mut pool = PointPool::default();
        let a = sample(5, &[("x", FieldValue::Float(1.0)), ("v", FieldValue::Float(2.0))]);
        let mut keep: Vec<Arc<str>> = vec!["v".into()];
        for _ in 0..2 {
            let copy = pool.copy_only(&a, &mut keep);
            assert_eq!(copy.fields, vec![(Arc::from("v"), FieldValue::Float(2.0))]);
            assert_eq!((copy.time, &*copy.name, copy.tags.len()), (5, "cpu", 0));
            pool.recycle(vec![copy]);
        }
        assert!(Arc::ptr_eq(&keep[0], &a.fields[1].0), "the matched key is cached");
        let missing = pool.copy_only(&Point::default(), &mut keep);
        assert!(missing.fields.is_empty());
    }

    #[test]
    fn the_pool_is_bounded() {
        let mut pool = PointPool::default();
        pool.recycle(vec![Point::default(); MAX_SPARE_POINTS * 2]);
        assert_eq!(pool.points.len(), MAX_SPARE_POINTS);
        assert!(pool.vecs.is_empty(), "an oversized vector is not kept");
    }
}
