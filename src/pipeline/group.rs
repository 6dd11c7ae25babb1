//! Group dimensions and group IDs exactly as Kapacitor builds them.

use crate::eval::same_name;
use crate::point::Point;
use std::sync::Arc;

/// Most values a group [`Identity`] holds; larger dims are found by their text key only.
pub const MAX_IDENTITY: usize = 4;

/// What decides a point's group under some dims, by `Arc` (see [`Dims::identity`]).
pub type Identity<'p> = [Option<&'p Arc<str>>; MAX_IDENTITY];

/// The group-by dimensions a point travels with.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Dims {
    /// Sorted tag names; empty means "no grouping".
    pub tags: Vec<Arc<str>>,
    /// `*`: group by every tag of each point.
    pub all: bool,
    /// Tags excluded from `*`.
    pub exclude: Vec<Arc<str>>,
    /// Prefix the group ID with the measurement (`groupByMeasurement`).
    pub by_name: bool,
}

impl Dims {
    /// Dimensions from tag names (sorted, deduplicated).
    pub fn from_tags(names: impl IntoIterator<Item = Arc<str>>) -> Dims {
        let mut tags: Vec<Arc<str>> = names.into_iter().collect();
        tags.sort();
        tags.dedup();
        Dims { tags, ..Dims::default() }
    }

    /// True when points are not grouped at all.
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty() && !self.all && !self.by_name
    }

    /// The point's group identity: the measurement (by-name) and each dimension
    /// tag's value, as the point's own `Arc`s (`None` for a missing tag). Two
    /// points with equal identities under the same dims are in the same group.
    /// `None` for `*` and for more than [`MAX_IDENTITY`] values.
    #[inline]
    pub fn identity<'p>(&self, point: &'p Point) -> Option<Identity<'p>> {
        let by_name = usize::from(self.by_name);
        if self.all || self.tags.len() + by_name > MAX_IDENTITY {
            return None;
        }
        let mut identity: Identity<'p> = [None; MAX_IDENTITY];
        if self.by_name {
            identity[0] = Some(&point.name);
        }
        for (slot, name) in identity[by_name..].iter_mut().zip(&self.tags) {
            *slot = point.tags.iter().find(|(k, _)| same_name(k, name)).map(|(_, v)| v);
        }
        Some(identity)
    }

    /// The tag names that group `point` (all of its tags for `*`).
    pub fn names_for<'a>(&'a self, point: &'a Point) -> Vec<&'a str> {
        if self.all {
            point.tags.iter().map(|(k, _)| &**k).filter(|k| !self.exclude.iter().any(|e| &**e == *k)).collect()
        } else {
            self.tags.iter().map(|t| &**t).collect()
        }
    }

    /// Writes the group ID of `point` into `out` (cleared first): `""`,
    /// `host=a,region=eu`, or with by-name `cpu\nhost=a`. Allocates nothing
    /// once `out` has grown to the key's length.
    pub fn write_group_id(&self, point: &Point, out: &mut String) {
        out.clear();
        if self.is_empty() {
            return;
        }
        if self.by_name {
            out.push_str(&point.name);
        }
        let mut first = true;
        let mut write = |name: &str, value: &str| {
            out.push_str(match (first, self.by_name) {
                (true, false) => "",
                (true, true) => "\n",
                (false, _) => ",",
            });
            first = false;
            out.push_str(name);
            out.push('=');
            out.push_str(value);
        };
        if self.all {
            for (k, v) in point.tags.iter().filter(|(k, _)| !self.exclude.iter().any(|e| **e == **k)) {
                write(k, v);
            }
        } else {
            for name in &self.tags {
                write(name, point.tags.iter().find(|(k, _)| same_name(k, name)).map_or("", |(_, v)| v));
            }
        }
    }

    /// The group's tags: each dimension with the point's value (`""` when missing).
    pub fn group_tags(&self, point: &Point) -> Vec<(Arc<str>, Arc<str>)> {
        self.names_for(point)
            .into_iter()
            .map(|n| (Arc::from(n), Arc::from(point.tag(n).unwrap_or(""))))
            .collect()
    }
}

/// The group ID as templates show it: `nil` for the empty group.
pub fn display_group(id: &str) -> &str {
    if id.is_empty() { "nil" } else { id }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point() -> Point {
        let mut p = Point { name: "cpu".into(), ..Point::default() };
        p.set_tag("host", "a".into());
        p.set_tag("region", "eu".into());
        p
    }

    #[test]
    fn group_ids_follow_kapacitor() {
        let mut out = String::new();
        Dims::default().write_group_id(&point(), &mut out);
        assert_eq!(display_group(&out), "nil");
        Dims::from_tags(["region".into(), "host".into()]).write_group_id(&point(), &mut out);
        assert_eq!(out, "host=a,region=eu");
        let by_name = Dims { by_name: true, ..Dims::from_tags(["host".into()]) };
        by_name.write_group_id(&point(), &mut out);
        assert_eq!(out, "cpu\nhost=a");
        Dims::from_tags(["dc".into()]).write_group_id(&point(), &mut out);
        assert_eq!(out, "dc=");
        let star = Dims { all: true, exclude: vec!["region".into()], ..Dims::default() };
        star.write_group_id(&point(), &mut out);
        assert_eq!(out, "host=a");
    }
}
