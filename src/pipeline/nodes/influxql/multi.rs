//! Reducers that emit a batch: `distinct`, `top`, `bottom` (Kapacitor 1.5.7 / InfluxDB 1.1 rules).

use super::reduce::Num;
use crate::point::Point;

/// `top` or `bottom`.
#[derive(Debug, Clone, PartialEq)]
pub struct TopBottom {
    /// True for top (largest first), false for bottom.
    pub top: bool,
    /// How many points to keep.
    pub n: usize,
    /// Extra field/tag names: one point per distinct combination competes.
    pub by: Vec<String>,
}

/// Distinct values, each with the time it was first seen, ordered by that time, then value (InfluxDB 1.1).
pub fn distinct<T: Num>(values: &[(i64, T)]) -> Vec<T> {
    let by_value = |a: &(i64, T), b: &(i64, T)| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal);
    let mut out: Vec<(i64, T)> = values.to_vec();
    out.sort_by(by_value);
    out.dedup_by(|a, b| a.1 == b.1);
    out.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| by_value(a, b)));
    out.into_iter().map(|(_, v)| v).collect()
}

impl TopBottom {
    /// Indices of the selected points, in time order (1.5.7 re-sorts the winners by time, stably).
    pub fn select<T: Num>(&self, values: &[(i64, T)], points: &[Point]) -> Vec<usize> {
        let mut candidates: Vec<usize> = (0..values.len()).collect();
        if !self.by.is_empty() {
            candidates = self.best_per_combination(values, points);
        }
        candidates.sort_by(|&a, &b| self.rank(values, a, b));
        candidates.truncate(self.n);
        candidates.sort_by_key(|&i| values[i].0);
        candidates
    }

    /// Better first: by value (descending for top), then earlier time.
    fn rank<T: Num>(&self, values: &[(i64, T)], a: usize, b: usize) -> std::cmp::Ordering {
        let (ta, va) = values[a];
        let (tb, vb) = values[b];
        let by_value = va.partial_cmp(&vb).unwrap_or(std::cmp::Ordering::Equal);
        let by_value = if self.top { by_value.reverse() } else { by_value };
        by_value.then(ta.cmp(&tb))
    }

    fn best_per_combination<T: Num>(&self, values: &[(i64, T)], points: &[Point]) -> Vec<usize> {
        let key = |p: &Point| -> Vec<String> {
            self.by
                .iter()
                .map(|name| match (p.field(name), p.tag(name)) {
                    (Some(v), _) => format!("{v:?}"),
                    (None, Some(t)) => t.to_string(),
                    (None, None) => String::new(),
                })
                .collect()
        };
        let mut best: Vec<(Vec<String>, usize)> = Vec::new();
        for (i, point) in points.iter().enumerate().take(values.len()) {
            let k = key(point);
            match best.iter_mut().find(|(bk, _)| *bk == k) {
                Some(slot) if self.rank(values, i, slot.1).is_lt() => slot.1 = i,
                Some(_) => {}
                None => best.push((k, i)),
            }
        }
        best.into_iter().map(|(_, i)| i).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn top_keeps_the_best_then_orders_by_time() {
        let values = vec![(1, 5.0), (2, 9.0), (3, 7.0), (4, 9.0)];
        let points = vec![Point::default(); 4];
        let top = TopBottom { top: true, n: 2, by: vec![] };
        assert_eq!(top.select(&values, &points), vec![1, 3]);
        let bottom = TopBottom { top: false, n: 2, by: vec![] };
        assert_eq!(bottom.select(&values, &points), vec![0, 2]);
        assert_eq!(distinct(&[(0, 3i64), (1, 1), (2, 3)]), vec![3, 1]);
        assert_eq!(distinct(&[(0, 5i64), (1, 3), (3, 9), (3, 1), (4, 3)]), vec![5, 3, 1, 9]);
    }

    #[test]
    fn extra_names_dedup_first() {
        let mut points = vec![Point::default(); 3];
        points[0].set_tag("host", "a".into());
        points[1].set_tag("host", "a".into());
        points[2].set_tag("host", "b".into());
        let values = vec![(1, 5.0), (2, 9.0), (3, 7.0)];
        let top = TopBottom { top: true, n: 2, by: vec!["host".into()] };
        assert_eq!(top.select(&values, &points), vec![1, 2]);
    }
}
