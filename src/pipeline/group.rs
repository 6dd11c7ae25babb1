//! Group dimensions and group IDs exactly as Kapacitor builds them.

use crate::point::Point;
use std::sync::Arc;

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

    /// The tag names that group `point` (all of its tags for `*`).
    pub fn names_for<'a>(&'a self, point: &'a Point) -> Vec<&'a str> {
        if self.all {
            point.tags.iter().map(|(k, _)| &**k).filter(|k| !self.exclude.iter().any(|e| &**e == *k)).collect()
        } else {
            self.tags.iter().map(|t| &**t).collect()
        }
    }

    /// Writes the group ID of `point` into `out` (cleared first): `""`,
    /// `host=a,region=eu`, or with by-name `cpu\nhost=a`.
    pub fn write_group_id(&self, point: &Point, out: &mut String) {
        out.clear();
        if self.is_empty() {
            return;
        }
        if self.by_name {
            out.push_str(&point.name);
        }
        let names = self.names_for(point);
        if self.by_name && !names.is_empty() {
            out.push('\n');
        }
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(name);
            out.push('=');
            out.push_str(point.tag(name).unwrap_or(""));
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
