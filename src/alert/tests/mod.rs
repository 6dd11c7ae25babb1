//! Alert tests: a small alert-node driver shared by the submodules.
//!
//! `traces`: semantics Appendix A; `payloads`: kapacitor-observed Example 1
//! and the two-host summaries; `json`: Go JSON edge cases.

use super::*;

mod json;
mod payloads;
mod perf;
mod traces;
use crate::point::Point;
use crate::value::FieldValue;
use std::collections::HashMap;
use std::sync::Arc;

const SEC: i64 = 1_000_000_000;
/// 1971-01-01T00:00:00Z, the rebased start of the integration tests.
const T1971: i64 = 31_536_000 * SEC;

/// One event as the alert node would publish it.
#[derive(Debug, Clone, PartialEq)]
struct Ev {
    t: i64,
    id: String,
    level: Level,
    duration: i64,
    prev: Level,
    recoverable: bool,
}

/// A tiny alert node: per-group state, level lambdas over one value, one topic.
struct Node {
    cfg: AlertConfig,
    states: HashMap<String, GroupState>,
    topics: Topics,
    topic: String,
    events: Vec<Ev>,
    outcomes: Vec<Outcome>,
}

impl Node {
    fn new(cfg: AlertConfig) -> Self {
        let topic = anonymous_topic("task", "alert2");
        Node {
            cfg,
            states: HashMap::new(),
            topics: Topics::new(),
            topic,
            events: vec![],
            outcomes: vec![],
        }
    }

    /// Processes one point of `group` with ID `id` at `time` (ns).
    fn point(
        &mut self,
        group: &str,
        id: &str,
        time: i64,
        value: f64,
        lambdas: &impl Fn(LevelCheck, f64) -> Option<bool>,
    ) {
        let state = self
            .states
            .entry(group.to_string())
            .or_insert_with(|| GroupState::new(&self.cfg));
        let level = determine_level(state.current_level(), |c| lambdas(c, value));
        let outcome = on_point(state, &self.cfg, time, level);
        self.outcomes.push(outcome);
        if let Outcome::Event {
            duration,
            recoverable,
        } = outcome
        {
            let prev = self
                .topics
                .collect(&self.topic, id, level, time, duration, "msg");
            self.events.push(Ev {
                t: time,
                id: id.to_string(),
                level,
                duration,
                prev,
                recoverable,
            });
        }
    }

    fn run(
        cfg: AlertConfig,
        values: &[f64],
        lambdas: impl Fn(LevelCheck, f64) -> Option<bool>,
    ) -> Node {
        let mut node = Node::new(cfg);
        for (i, v) in values.iter().enumerate() {
            node.point("nil", "cpu:nil", i as i64 * SEC, *v, &lambdas);
        }
        node
    }
}

/// `(t seconds, level, duration seconds, previousLevel)` of the expected events.
fn expected(rows: &[(i64, Level, i64, Level)], recoverable: bool) -> Vec<Ev> {
    rows.iter()
        .map(|&(t, level, d, prev)| Ev {
            t: t * SEC,
            id: "cpu:nil".into(),
            level,
            duration: d * SEC,
            prev,
            recoverable,
        })
        .collect()
}

/// Values 0..=3 stand for OK..CRITICAL: every trigger at or below the value matches.
fn ladder(check: LevelCheck, value: f64) -> Option<bool> {
    match check {
        LevelCheck::Trigger(l) => Some(value >= l.as_int() as f64),
        LevelCheck::Reset(_) => None,
    }
}

fn ladder_values(levels: &str) -> Vec<f64> {
    levels
        .chars()
        .map(|c| "OIWC".find(c).expect("level letter") as f64)
        .collect()
}

/// A `cpu` point with tag `host` and float field `usage_idle`.
fn cpu_point(host: &str, usage_idle: f64, time: i64) -> Point {
    Point {
        name: Arc::from("cpu"),
        tags: vec![(Arc::from("host"), Arc::from(host))],
        fields: vec![(Arc::from("usage_idle"), FieldValue::Float(usage_idle))],
        time,
    }
}
