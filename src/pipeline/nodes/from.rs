//! `|from()`: filter by database, retention policy, measurement and where; truncate/round; group.

use super::super::{Ctx, Dims, Flow, Stage};
use crate::eval::Lambda;
use crate::point::Point;
use std::sync::Arc;

/// Nanoseconds between Go's zero time (0001-01-01) and the Unix epoch.
const GO_EPOCH_OFFSET: i128 = 62_135_596_800 * 1_000_000_000;

/// The `from` stage.
pub struct FromStage {
    /// `.database()`; empty = any.
    pub database: String,
    /// `.retentionPolicy()`; empty = any.
    pub retention_policy: String,
    /// `.measurement()`; empty = any.
    pub measurement: String,
    /// The run's database and retention policy, when known.
    pub point_dbrp: Option<(String, String)>,
    /// `.where()` lambdas, AND-ed (one shared expression for all groups).
    pub wheres: Vec<Lambda>,
    /// `.truncate()` in ns, 0 = off.
    pub truncate: i64,
    /// `.round()` in ns, 0 = off.
    pub round: i64,
    /// `.groupBy()` dimensions, if set.
    pub dims: Option<Arc<Dims>>,
    /// The last point name that matched the measurement (compared by pointer first).
    pub matched_name: Option<Arc<str>>,
}

impl FromStage {
    /// Whether `name` is the measurement; an interned name seen before matches without comparing text.
    #[inline]
    fn measurement_matches(&mut self, name: &Arc<str>) -> bool {
        if self.matched_name.as_ref().is_some_and(|m| Arc::ptr_eq(m, name)) {
            return true;
        }
        let matches = **name == *self.measurement;
        if matches {
            self.matched_name = Some(name.clone());
        }
        matches
    }
}

impl Stage for FromStage {
    fn process(&mut self, point: &Point, _: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        if !self.measurement.is_empty() && !self.measurement_matches(&point.name) {
            return Flow::Drop;
        }
        let dbrp = ctx.dbrp.as_ref().map(|(d, r)| (&**d, &**r));
        if let Some((db, rp)) = dbrp.or(self.point_dbrp.as_ref().map(|(d, r)| (d.as_str(), r.as_str()))) {
            let db_ok = self.database.is_empty() || db == self.database;
            let rp_ok = self.retention_policy.is_empty() || rp == self.retention_policy;
            if !db_ok || !rp_ok {
                return Flow::Drop;
            }
        }
        for lambda in &mut self.wheres {
            match lambda.eval_bool(point) {
                Ok(true) => {}
                Ok(false) => return Flow::Drop,
                Err(e) => {
                    ctx.error(id, &format!("failed to evaluate WHERE expression: {e}"));
                    return Flow::Drop;
                }
            }
        }
        let time = if self.truncate == 0 && self.round == 0 { point.time } else { adjust_time(point.time, self.truncate, self.round) };
        let replaced = (time != point.time).then(|| Point { time, ..point.clone() });
        Flow::Forward { point: replaced, dims: self.dims.clone() }
    }
}

/// Go's `Time.Truncate` then `Time.Round`, both relative to 0001-01-01 UTC.
pub fn adjust_time(time: i64, truncate: i64, round: i64) -> i64 {
    let mut t = time as i128 + GO_EPOCH_OFFSET;
    if truncate > 0 {
        t -= t.rem_euclid(truncate as i128);
    }
    if round > 0 {
        let r = round as i128;
        let rem = t.rem_euclid(r);
        t = if rem + rem < r { t - rem } else { t + r - rem };
    }
    (t - GO_EPOCH_OFFSET) as i64
}

#[cfg(test)]
mod tests {
    use super::adjust_time;

    #[test]
    fn truncation_is_relative_to_year_one() {
        let s = 1_000_000_000;
        assert_eq!(adjust_time(65 * s, 60 * s, 0), 60 * s);
        assert_eq!(adjust_time(90 * s, 0, 60 * s), 120 * s);
        assert_eq!(adjust_time(89 * s, 0, 60 * s), 60 * s);
        // 7m does not divide a day: Go aligns to 0001-01-01, giving 1969-12-31T23:59:00Z.
        assert_eq!(adjust_time(0, 7 * 60 * s, 0), -60 * s);
    }
}
