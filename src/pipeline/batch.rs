//! Batches: what a window emits and batch-aware nodes consume (Kapacitor's `models.Batch`).

use super::Dims;
use crate::point::Point;
use std::sync::Arc;

/// A group's batch of points with the window's time.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Batch {
    /// Measurement of the group's first point.
    pub name: Arc<str>,
    /// The group tags (dimension names with the group's values), sorted by key.
    pub tags: Vec<(Arc<str>, Arc<str>)>,
    /// The batch time (`TMax`): a time window's right edge, a count window's last point.
    pub time: i64,
    /// The points, in arrival order; each keeps all of its tags and fields.
    pub points: Vec<Point>,
}

impl Batch {
    /// An empty batch of the same group at `time`.
    pub fn empty_like(&self, time: i64) -> Batch {
        Batch { name: self.name.clone(), tags: self.tags.clone(), time, points: Vec::new() }
    }

    /// Writes the group ID into `out` (cleared first), as [`Dims::write_group_id`] does for points.
    pub fn write_group_id(&self, dims: &Dims, out: &mut String) {
        out.clear();
        if dims.is_empty() {
            return;
        }
        if dims.by_name {
            out.push_str(&self.name);
            if !self.tags.is_empty() {
                out.push('\n');
            }
        }
        for (i, (k, v)) in self.tags.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(k);
            out.push('=');
            out.push_str(v);
        }
    }

    /// The group tags as a point carries them: a point with the batch's name, tags and time.
    pub fn header_point(&self) -> Point {
        Point { name: self.name.clone(), tags: self.tags.clone(), fields: Vec::new(), time: self.time }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_group_ids_match_point_group_ids() {
        let mut p = Point { name: "cpu".into(), ..Point::default() };
        p.set_tag("host", "a".into());
        p.set_tag("dc", "x".into());
        let dims = Dims { by_name: true, ..Dims::from_tags(["host".into(), "dc".into()]) };
        let batch = Batch { name: "cpu".into(), tags: dims.group_tags(&p), time: 0, points: vec![] };
        let (mut a, mut b) = (String::new(), String::new());
        dims.write_group_id(&p, &mut a);
        batch.write_group_id(&dims, &mut b);
        assert_eq!(a, "cpu\ndc=x,host=a");
        assert_eq!(a, b);
        Dims::default().write_group_id(&p, &mut a);
        batch.write_group_id(&Dims::default(), &mut b);
        assert_eq!((a.as_str(), b.as_str()), ("", ""));
    }
}
