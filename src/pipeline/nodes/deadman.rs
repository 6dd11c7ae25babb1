//! `|deadman(threshold, interval, lambdas...)`: Kapacitor's `stats(interval).align()
//! |derivative('emitted').unit(interval).nonNegative() |alert().crit(...)`, as one stage.
//!
//! It counts, per group, the points its parent emits. Each aligned interval
//! boundary its clock passes emits one `stats` point per group seen so far
//! (`emitted` = the group's total), through the derivative into the alert.
//! A quiet group keeps its total, so its rate drops to 0.
//!
//! Two clocks drive it. On point time (`tick run`, `tick test`) every pushed
//! point first advances the clock and every missed boundary is replayed. On
//! the wall clock (`tick serve`, like Kapacitor's `stats` node with its
//! `time.Ticker`) the first call fixes the start: the first tick comes at
//! the next boundary, stamped with the start rounded to the interval; later
//! ticks are stamped with their boundary, and boundaries missed while the
//! task was busy are dropped, as a Go ticker drops them.

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
    wall: bool,
    first_stamp: Option<i64>,
}

impl DeadmanStage {
    /// A deadman checking every `interval` ns, alerting through `alert`.
    pub fn new(interval: i64, alert: AlertStage) -> Self {
        let derivative = DerivativeStage::new("emitted".into(), "emitted".into(), interval, true);
        DeadmanStage { interval, derivative, alert, order: Vec::new(), counters: Default::default(), key: String::new(), next_tick: None, wall: false, first_stamp: None }
    }

    /// Point time: every boundary up to `now` ticks (at most [`MAX_TICKS_PER_GAP`] per gap).
    fn on_point_time(&mut self, now: i64, id: usize, ctx: &mut Ctx) -> Vec<(Point, Arc<Dims>)> {
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

    /// Wall clock: one tick when `now` reached the next boundary, then the first boundary after `now`.
    fn on_wall_clock(&mut self, now: i64, id: usize, ctx: &mut Ctx) -> Vec<(Point, Arc<Dims>)> {
        let mut out = Vec::new();
        let interval = self.interval.max(1);
        let Some(next) = self.next_tick else {
            self.next_tick = Some(adjust_time(now, interval, 0).saturating_add(interval));
            self.first_stamp = Some(adjust_time(now, 0, interval));
            return out;
        };
        if now < next {
            return out;
        }
        let stamp = self.first_stamp.take().unwrap_or(next);
        self.tick(stamp, id, ctx, &mut out);
        let passed = (now - next) / interval + 1;
        self.next_tick = Some(next.saturating_add(passed.saturating_mul(interval)));
        out
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

    fn use_wall_clock(&mut self) {
        self.wall = true;
    }

    fn next_timer(&self) -> Option<i64> {
        self.next_tick
    }

    fn on_clock(&mut self, now: i64, id: usize, ctx: &mut Ctx) -> Vec<(Point, Arc<Dims>)> {
        if self.wall {
            self.on_wall_clock(now, id, ctx)
        } else {
            self.on_point_time(now, id, ctx)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::check::{check_source, CheckOptions};
    use crate::pipeline::{build, BuildOptions, Pipeline, RunInfo};
    use crate::point::Point;
    use crate::value::FieldValue;
    use std::sync::Arc;

    const SEC: i64 = 1_000_000_000;
    /// A fake wall clock's origin: 2020-09-13T12:26:40Z, aligned to the second.
    const START: i64 = 1_600_000_000 * SEC;

    fn wall_clock_deadman(threshold: &str) -> Pipeline {
        let script = format!("stream\n    |from()\n        .measurement('cpu')\n    |deadman({threshold}, 1s)\n        .details('')\n");
        let program = check_source(&script, &CheckOptions::default()).program.expect("checks");
        let info = Arc::new(RunInfo { task_name: "t".into(), hostname: String::new(), cluster_id: String::new(), server_id: String::new() });
        let opts = BuildOptions { info, dbrp: None, exec_timeout: std::time::Duration::from_secs(1) };
        let mut pipeline = build(&program, &opts).map_err(|d| format!("{d:?}")).expect("builds").pipeline;
        pipeline.use_wall_clock();
        pipeline
    }

    fn push(pipeline: &mut Pipeline, count: usize) {
        for _ in 0..count {
            // Point time is far from the wall clock: it must not move the timers.
            let point = Point { name: "cpu".into(), fields: vec![("v".into(), FieldValue::Int(1))], time: 5 * SEC, ..Point::default() };
            pipeline.push(&point);
        }
    }

    /// `(level, time)` of each event since the last call.
    fn events(pipeline: &mut Pipeline) -> Vec<(String, String)> {
        let field = |json: &str, key: &str| {
            let at = json.find(&format!("\"{key}\":\"")).map(|i| i + key.len() + 4).unwrap_or(0);
            json[at..].split('"').next().unwrap_or_default().to_string()
        };
        pipeline.drain_alerts().map(|o| (field(&o.json, "level"), field(&o.json, "time"))).collect()
    }

    #[test]
    fn ticks_follow_the_fake_wall_clock_not_point_time() {
        let mut p = wall_clock_deadman("0.0");
        p.advance_wall_clock(START + 300_000_000);
        assert_eq!(p.next_timer(), Some(START + SEC), "the first tick is at the next boundary");
        push(&mut p, 3);
        assert_eq!(p.next_timer(), Some(START + SEC), "points do not move the clock");
        p.advance_wall_clock(START + SEC);
        push(&mut p, 2);
        p.advance_wall_clock(START + 2 * SEC + 50_000_000);
        assert_eq!(events(&mut p), [], "data flows: OK, and an initial OK is no event");
        p.advance_wall_clock(START + 3 * SEC);
        assert_eq!(events(&mut p), [("CRITICAL".into(), "2020-09-13T12:26:43Z".into())]);
        p.advance_wall_clock(START + 3 * SEC + 500_000_000);
        assert_eq!(p.next_timer(), Some(START + 4 * SEC));
        push(&mut p, 1);
        p.advance_wall_clock(START + 4 * SEC);
        assert_eq!(events(&mut p), [("OK".into(), "2020-09-13T12:26:44Z".into())]);
    }

    #[test]
    fn a_late_wakeup_ticks_once_and_skips_missed_boundaries() {
        let mut p = wall_clock_deadman("0.0");
        p.advance_wall_clock(START);
        push(&mut p, 1);
        p.advance_wall_clock(START + SEC);
        push(&mut p, 1);
        p.advance_wall_clock(START + 2 * SEC);
        p.advance_wall_clock(START + 10 * SEC + 200_000_000);
        assert_eq!(events(&mut p), [("CRITICAL".into(), "2020-09-13T12:26:43Z".into())]);
        assert_eq!(p.next_timer(), Some(START + 11 * SEC));
    }

    /// Starts at `START + offset`, sees `first` points, then `second` in the next interval;
    /// the events of the tick after that (rate = second / time between the two stamps).
    fn first_rate(threshold: &str, offset: i64, first: usize, second: usize) -> Vec<(String, String)> {
        let mut p = wall_clock_deadman(threshold);
        p.advance_wall_clock(START + offset);
        push(&mut p, first);
        p.advance_wall_clock(START + SEC);
        push(&mut p, second);
        p.advance_wall_clock(START + 2 * SEC);
        events(&mut p)
    }

    #[test]
    fn the_first_tick_is_stamped_with_the_start_rounded_like_go() {
        // Started early in a second: stamped START, so the first rate spans 2 s (2 points → 1/s).
        assert_eq!(first_rate("1.5", 300_000_000, 3, 2), [("CRITICAL".into(), "2020-09-13T12:26:42Z".into())]);
        // Started late in a second: rounded up onto the first boundary, the rate spans 1 s.
        assert_eq!(first_rate("0.75", 700_000_000, 4, 1), []);
        assert_eq!(first_rate("1.0", 700_000_000, 4, 1), [("CRITICAL".into(), "2020-09-13T12:26:42Z".into())]);
    }
}
