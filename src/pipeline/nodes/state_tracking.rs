//! `|stateDuration(lambda)` and `|stateCount(lambda)`: per-group trackers of how long / how many
//! consecutive points a predicate has held (`state_tracking.go`).

use super::super::{Ctx, Dims, Flow, Stage};
use super::PerGroup;
use crate::eval::Lambda;
use crate::point::Point;
use crate::value::FieldValue;
use std::sync::Arc;

/// Which tracker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tracker {
    /// Duration in `.unit()` ns units (float); -1 when false.
    Duration(i64),
    /// Consecutive count (int); -1 when false.
    Count,
}

/// One group's predicate copy and tracker state.
#[derive(Clone)]
pub struct TrackState {
    lambda: Lambda,
    run: Run,
}

/// The current run: its start time (duration) and length (count).
#[derive(Clone, Default)]
struct Run {
    start: Option<i64>,
    count: i64,
}

impl TrackState {
    /// A fresh state around `lambda`.
    pub fn new(lambda: Lambda) -> Self {
        TrackState { lambda, run: Run::default() }
    }
}

/// The stateDuration/stateCount stage.
pub struct StateStage {
    /// Which tracker.
    pub tracker: Tracker,
    /// `.as()`: the output field.
    pub as_name: String,
    /// Predicate and tracker per group.
    pub groups: PerGroup<TrackState>,
}

impl Tracker {
    fn track(self, state: &mut Run, time: i64, in_state: bool) -> FieldValue {
        match self {
            Tracker::Duration(unit) => {
                if !in_state {
                    state.start = None;
                    return FieldValue::Float(-1.0);
                }
                let start = *state.start.get_or_insert(time);
                // Kapacitor's `t.Sub(start)`: Go's Time.Sub saturates at the largest
                // (or smallest) Duration when the points are ~292 years apart.
                FieldValue::Float(time.saturating_sub(start) as f64 / unit.max(1) as f64)
            }
            Tracker::Count => {
                if !in_state {
                    state.count = 0;
                    return FieldValue::Int(-1);
                }
                state.count += 1;
                FieldValue::Int(state.count)
            }
        }
    }
}

impl Stage for StateStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        let state = self.groups.get(point, dims);
        let in_state = match state.lambda.eval_bool(point) {
            Ok(b) => b,
            Err(e) => {
                ctx.error(id, &format!("error evaluating expression: {e}"));
                return Flow::Drop;
            }
        };
        let value = self.tracker.track(&mut state.run, point.time, in_state);
        let mut out = point.clone();
        out.set_field(&self.as_name, value);
        Flow::point(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trackers_reset_when_false() {
        let mut s = Run::default();
        let d = Tracker::Duration(1_000_000_000);
        assert_eq!(d.track(&mut s, 5_000_000_000, true), FieldValue::Float(0.0));
        assert_eq!(d.track(&mut s, 7_500_000_000, true), FieldValue::Float(2.5));
        assert_eq!(d.track(&mut s, 8_000_000_000, false), FieldValue::Float(-1.0));
        assert_eq!(d.track(&mut s, 9_000_000_000, true), FieldValue::Float(0.0));
        let c = Tracker::Count;
        assert_eq!(c.track(&mut s, 0, true), FieldValue::Int(1));
        assert_eq!(c.track(&mut s, 0, true), FieldValue::Int(2));
        assert_eq!(c.track(&mut s, 0, false), FieldValue::Int(-1));
    }

    #[test]
    fn durations_beyond_int64_saturate_as_go_time_sub() {
        let mut s = Run::default();
        let d = Tracker::Duration(1);
        assert_eq!(d.track(&mut s, i64::MIN + 1, true), FieldValue::Float(0.0));
        assert_eq!(d.track(&mut s, i64::MAX, true), FieldValue::Float(i64::MAX as f64));
    }
}
