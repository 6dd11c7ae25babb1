//! `|deadman(threshold, interval, lambdas...)`: Kapacitor's `stats(interval).align()
//! |derivative('emitted').unit(interval).nonNegative() |alert().crit(...)`, as one stage.
//!
//! It counts, per group, the points its parent emits. Its timer runs on point
//! time: every pushed point first advances the clock, and each aligned
//! interval boundary the clock passes emits one `stats` point per group seen
//! so far (`emitted` = the group's total), through the derivative into the
//! alert. A quiet group keeps its total, so its rate drops to 0.

use super::super::alert_node::AlertStage;
use super::super::{Ctx, Dims, Flow, Stage};
use super::derivative::DerivativeStage;
use super::from::adjust_time;
use crate::point::Point;
use crate::value::FieldValue;
use std::sync::Arc;

/// At most this many ticks are replayed for one gap in point time; older ones are skipped.
const MAX_TICKS_PER_GAP: i64 = 100_000;

/// One group's counter.
struct Counter {
    emitted: i64,
    tags: Vec<(Arc<str>, Arc<str>)>,
    dims: Arc<Dims>,
}

/// The deadman stage.
pub struct DeadmanStage {
    interval: i64,
    derivative: DerivativeStage,
    alert: AlertStage,
    order: Vec<String>,
    counters: crate::pipeline::GroupMap<Counter>,
    key: String,
    next_tick: Option<i64>,
}

impl DeadmanStage {
    /// A deadman checking every `interval` ns, alerting through `alert`.
    pub fn new(interval: i64, alert: AlertStage) -> Self {
        let derivative = DerivativeStage::new("emitted".into(), "emitted".into(), interval, true);
        DeadmanStage { interval, derivative, alert, order: Vec::new(), counters: Default::default(), key: String::new(), next_tick: None }
    }

    fn tick(&mut self, time: i64, id: usize, ctx: &mut Ctx, out: &mut Vec<(Point, Arc<Dims>)>) {
        for key in &self.order {
            let counter = &self.counters[key];
            let stats = Point {
                name: "stats".into(),
                tags: counter.tags.clone(),
                fields: vec![("emitted".into(), FieldValue::Int(counter.emitted))],
                time,
            };
            let dims = counter.dims.clone();
            let rate = match self.derivative.process(&stats, &dims, id, ctx) {
                Flow::Forward { point: Some(p), .. } => p,
                _ => continue,
            };
            if let Flow::Forward { point, .. } = self.alert.process(&rate, &dims, id, ctx) {
                out.push((point.unwrap_or(rate), dims));
            }
        }
    }
}

impl Stage for DeadmanStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, _: usize, _: &mut Ctx) -> Flow {
        dims.write_group_id(point, &mut self.key);
        match self.counters.get_mut(&self.key) {
            Some(c) => c.emitted += 1,
            None => {
                let counter = Counter { emitted: 1, tags: dims.group_tags(point), dims: dims.clone() };
                self.counters.insert(self.key.clone(), counter);
                self.order.push(self.key.clone());
            }
        }
        Flow::Drop
    }

    fn has_clock(&self) -> bool {
        true
    }

    fn on_clock(&mut self, now: i64, id: usize, ctx: &mut Ctx) -> Vec<(Point, Arc<Dims>)> {
        let mut out = Vec::new();
        let interval = self.interval.max(1);
        let mut next = *self.next_tick.get_or_insert_with(|| adjust_time(now, interval, 0).saturating_add(interval));
        if now < next {
            return out;
        }
        let behind = (now - next) / interval;
        if behind > MAX_TICKS_PER_GAP {
            next += (behind - MAX_TICKS_PER_GAP) * interval;
        }
        while now >= next {
            self.tick(next, id, ctx, &mut out);
            next += interval;
        }
        self.next_tick = Some(next);
        out
    }
}
