//! State-machine traces from Kapacitor's integration tests (semantics
//! Appendix A), the observed exec payloads (kapacitor-observed Example 1)
//! and Go JSON edge cases.

use super::*;
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

    /// Processes one point of `group` at `t` (seconds after `base`).
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

use Level::{Critical as C, Info as I, Ok as O, Warning as W};

#[test]
fn a2_no_recoveries() {
    let cfg = AlertConfig {
        no_recoveries: true,
        ..AlertConfig::default()
    };
    let values = [7.0, 2.0, 6.0, 7.0, 7.0, 8.0, 2.0, 6.0, 3.0, 5.0, 4.0, 5.0];
    let node = Node::run(cfg, &values, |c, v| match c {
        LevelCheck::Trigger(I) => Some(v >= 6.0),
        LevelCheck::Trigger(W) => Some(v >= 7.0),
        LevelCheck::Trigger(C) => Some(v >= 8.0),
        _ => None,
    });
    let want = [
        (0, W, 0, O),
        (2, I, 0, W),
        (3, W, 1, I),
        (4, W, 2, W),
        (5, C, 3, W),
        (7, I, 0, C),
    ];
    assert_eq!(node.events, expected(&want, false));
    assert_eq!(node.outcomes[1], Outcome::NoRecoveryOk);
    assert_eq!(node.outcomes[6], Outcome::NoRecoveryOk);
    assert_eq!(
        node.outcomes[8],
        Outcome::NoRecoveryOk,
        "INFO -> OK at t=8 still calls triggered"
    );
    assert!(node.outcomes[9..].iter().all(|o| *o == Outcome::Nothing));
}

#[test]
fn a3_state_changes_only() {
    let cfg = AlertConfig {
        state_changes_only: Some(0),
        ..AlertConfig::default()
    };
    let node = Node::run(cfg, &ladder_values("OCOOCOCOOOCO"), ladder);
    let times: Vec<i64> = node.events.iter().map(|e| e.t / SEC).collect();
    assert_eq!(times, [1, 2, 4, 5, 6, 7, 10, 11]);
    let levels: Vec<Level> = node.events.iter().map(|e| e.level).collect();
    assert_eq!(levels, [C, O, C, O, C, O, C, O]);
    assert_eq!(
        node.outcomes[0],
        Outcome::Suppressed,
        "t=0 is OK and unchanged"
    );
}

#[test]
fn a4_state_changes_only_with_expiry() {
    let cfg = AlertConfig {
        state_changes_only: Some(2 * SEC),
        ..AlertConfig::default()
    };
    let node = Node::run(cfg, &ladder_values("OCCCCCCCCCO"), ladder);
    let want = [
        (1, C, 0, O),
        (3, C, 2, C),
        (5, C, 4, C),
        (7, C, 6, C),
        (9, C, 8, C),
        (10, O, 9, C),
    ];
    assert_eq!(node.events, expected(&want, true));
    assert_eq!(
        node.outcomes[0],
        Outcome::Nothing,
        "the first steady point counts as expired"
    );
}

#[test]
fn a5_durations_and_previous_level() {
    let cfg = AlertConfig {
        state_changes_only: Some(0),
        ..AlertConfig::default()
    };
    let values = [9.0, 9.0, 8.0, 8.0, 6.0, 8.0, 8.0, 8.0, 3.0, 5.0, 7.0, 7.0];
    let node = Node::run(cfg, &values, |c, v| match c {
        LevelCheck::Trigger(W) => Some(v > 7.0),
        LevelCheck::Trigger(C) => Some(v > 8.0),
        _ => None,
    });
    let want = [
        (0, C, 0, O),
        (2, W, 2, C),
        (4, O, 4, W),
        (5, W, 0, O),
        (8, O, 3, W),
    ];
    assert_eq!(node.events, expected(&want, true));
}

/// info > 40, warn > 60, crit > 80 with the given reset thresholds (`value < reset`).
fn with_resets(resets: [f64; 3]) -> impl Fn(LevelCheck, f64) -> Option<bool> {
    move |c, v| match c {
        LevelCheck::Trigger(I) => Some(v > 40.0),
        LevelCheck::Trigger(W) => Some(v > 60.0),
        LevelCheck::Trigger(C) => Some(v > 80.0),
        LevelCheck::Reset(I) => Some(v < resets[0]),
        LevelCheck::Reset(W) => Some(v < resets[1]),
        LevelCheck::Reset(C) => Some(v < resets[2]),
        _ => None,
    }
}

fn levels_of(node: &Node) -> Vec<Level> {
    node.events.iter().map(|e| e.level).collect()
}

#[test]
fn a6_with_reset_0() {
    let values = [
        45.0, 40.0, 30.0, 9.0, 45.0, 61.0, 30.0, 19.0, 45.0, 61.0, 81.0, 29.0,
    ];
    let node = Node::run(
        AlertConfig::default(),
        &values,
        with_resets([10.0, 20.0, 30.0]),
    );
    assert_eq!(levels_of(&node), [I, I, I, O, I, W, W, O, I, W, C, O]);
    let durations: Vec<i64> = node.events.iter().map(|e| e.duration / SEC).collect();
    assert_eq!(durations, [0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 3]);
    let prevs: Vec<Level> = node.events.iter().map(|e| e.prev).collect();
    assert_eq!(prevs, [O, I, I, I, O, I, W, W, O, I, W, C]);
}

#[test]
fn a6_with_reset_1() {
    let values = [
        45.0, 40.0, 30.0, 29.0, 45.0, 61.0, 49.0, 29.0, 45.0, 61.0, 81.0, 69.0, 50.0, 41.0, 25.0,
    ];
    let node = Node::run(
        AlertConfig::default(),
        &values,
        with_resets([30.0, 50.0, 70.0]),
    );
    assert_eq!(
        levels_of(&node),
        [I, I, I, O, I, W, I, O, I, W, C, W, W, I, O]
    );
}

#[test]
fn a7_flapping() {
    let cfg = AlertConfig {
        flapping: Some((0.25, 0.5)),
        ..AlertConfig::default()
    };
    let mut node = Node::new(cfg);
    let lambdas = |c: LevelCheck, v: f64| match c {
        LevelCheck::Trigger(I) => Some(v < 95.0),
        LevelCheck::Trigger(W) => Some(v < 94.0),
        LevelCheck::Trigger(C) => Some(v < 93.0),
        _ => None,
    };
    let values = [
        96.0, 92.0, 96.0, 93.5, 92.0, 96.0, 92.0, 96.0, 93.5, 96.0, 92.0, 96.0,
    ];
    let mut pct = vec![];
    for (i, v) in values.iter().enumerate() {
        node.point("nil", "cpu:nil", i as i64 * SEC, *v, &lambdas);
        pct.push(node.states["nil"].percent_change());
    }
    assert_eq!(levels_of(&node), [C, O, W, C, O, C, O, W, O]);
    assert!(pct[..10].iter().all(|p| *p <= 0.5), "{pct:?}");
    assert!((pct[9] - 0.432).abs() < 1e-12, "{}", pct[9]);
    assert!((pct[10] - 0.525).abs() < 1e-12, "{}", pct[10]);
    assert!((pct[11] - 0.535).abs() < 1e-12, "{}", pct[11]);
    assert_eq!(
        &node.outcomes[10..],
        [Outcome::Suppressed, Outcome::Suppressed]
    );
}

#[test]
fn a1_batch_single_window() {
    let cfg = AlertConfig::default();
    let mut state = GroupState::new(&cfg);
    let count = 10.0;
    let level = determine_level(state.current_level(), |c| match c {
        LevelCheck::Trigger(I) => Some(count > 6.0),
        LevelCheck::Trigger(W) => Some(count > 7.0),
        LevelCheck::Trigger(C) => Some(count > 8.0),
        _ => None,
    });
    let t = T1971 + 10 * SEC;
    let (l, outcome, highest) = on_batch(&mut state, &cfg, t, &[(t, level)], false);
    assert_eq!((l, highest), (C, 0));
    assert_eq!(
        outcome,
        Outcome::Event {
            duration: 0,
            recoverable: true
        }
    );
}

#[test]
fn batch_levels_time_and_recovery_under_flapping() {
    let cfg = AlertConfig::default();
    let mut state = GroupState::new(&cfg);
    let pts = [(1, O), (2, W), (3, C), (4, C), (5, I)];
    let (l, outcome, highest) = on_batch(&mut state, &cfg, 9, &pts, false);
    assert_eq!(
        (l, highest, batch_event_time(&pts, 9, false, l, highest)),
        (C, 2, 3)
    );
    assert_eq!(
        outcome,
        Outcome::Event {
            duration: 0,
            recoverable: true
        }
    );
    // `.all()`: the lowest level, at the batch time.
    let (l, outcome, _) = on_batch(&mut state, &cfg, 19, &[(11, W), (12, O)], true);
    assert_eq!(l, O);
    assert_eq!(
        outcome,
        Outcome::Event {
            duration: 16,
            recoverable: true
        },
        "from t=3 to the batch time 19"
    );
    // An empty batch touches nothing.
    let before = state.clone();
    assert_eq!(
        on_batch(&mut state, &cfg, 29, &[], false),
        (O, Outcome::Nothing, 0)
    );
    assert_eq!(state, before);
    // Flapping suppresses non-OK batches but never a batch recovery.
    let flappy = AlertConfig {
        flapping: Some((0.0, 0.01)),
        history: 2,
        ..AlertConfig::default()
    };
    let mut state = GroupState::new(&flappy);
    assert_eq!(
        on_batch(&mut state, &flappy, 1, &[(1, C)], false).1,
        Outcome::Suppressed
    );
    assert!(state.is_flapping());
    assert!(matches!(
        on_batch(&mut state, &flappy, 2, &[(2, O)], false).1,
        Outcome::Event { .. }
    ));
}

#[test]
fn determine_level_is_lazy_and_in_kapacitor_order() {
    let mut calls = vec![];
    let level = determine_level(O, |c| {
        calls.push(c);
        Some(c == LevelCheck::Trigger(W))
    });
    assert_eq!(level, W);
    assert_eq!(calls, [LevelCheck::Trigger(C), LevelCheck::Trigger(W)]);

    let mut calls = vec![];
    let level = determine_level(W, |c| {
        calls.push(c);
        match c {
            LevelCheck::Reset(_) => Some(true),
            LevelCheck::Trigger(l) => Some(l == I),
        }
    });
    assert_eq!(level, I);
    let want = [C, W]
        .map(LevelCheck::Trigger)
        .into_iter()
        .chain([LevelCheck::Reset(W)])
        .chain([W, I].map(LevelCheck::Trigger));
    assert_eq!(
        calls,
        want.collect::<Vec<_>>(),
        "the current level's trigger runs twice"
    );
    // An unset reset never holds the level; a failing reset does.
    assert_eq!(
        determine_level(C, |c| Some(c == LevelCheck::Reset(C)).filter(|_| false)),
        O
    );
    assert_eq!(
        determine_level(C, |c| matches!(c, LevelCheck::Reset(_)).then_some(false)),
        C
    );
}

#[test]
fn restore_starts_at_the_stored_level() {
    let cfg = AlertConfig::default();
    let mut state = GroupState::restore(&cfg, W, 5 * SEC);
    assert_eq!(state.current_level(), W);
    assert_eq!(
        on_point(&mut state, &cfg, 7 * SEC, W),
        Outcome::Event {
            duration: 2 * SEC,
            recoverable: true
        }
    );
    assert_eq!(GroupState::restore(&cfg, O, 5 * SEC), GroupState::new(&cfg));
}

// ---------- kapacitor-observed Example 1 and the two-host summaries ----------

fn cpu_point(host: &str, usage_idle: f64, time: i64) -> Point {
    Point {
        name: Arc::from("cpu"),
        tags: vec![(Arc::from("host"), Arc::from(host))],
        fields: vec![(Arc::from("usage_idle"), FieldValue::Float(usage_idle))],
        time,
    }
}

fn crit_below_10(c: LevelCheck, v: f64) -> Option<bool> {
    (c == LevelCheck::Trigger(C)).then_some(v < 10.0)
}

#[test]
fn example1_exec_payloads_are_byte_exact() {
    let golden: Vec<&str> = include_str!("testdata/example1.jsonl").lines().collect();
    assert_eq!(golden.len(), 6);
    let details: Vec<String> = golden
        .iter()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["details"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let cfg = AlertConfig::default();
    let mut state = GroupState::new(&cfg);
    let mut topics = Topics::new();
    let topic = anonymous_topic("cpu_alert", "alert2");
    let mut lines = vec![];
    let values = [50.0, 20.0, 8.0, 5.0, 15.0, 30.0, 9.0, 7.0, 60.0, 55.0];
    for (i, v) in values.iter().enumerate() {
        let p = cpu_point("serverA", *v, 1_700_000_000 * SEC + i as i64 * SEC);
        let level = determine_level(state.current_level(), |c| crit_below_10(c, *v));
        let Outcome::Event {
            duration,
            recoverable,
        } = on_point(&mut state, &cfg, p.time, level)
        else {
            continue;
        };
        let message = "Hey, check your CPU";
        let previous_level = topics.collect(&topic, "cpu:nil", level, p.time, duration, message);
        let data = AlertData {
            id: "cpu:nil".into(),
            message: message.into(),
            details: details[lines.len()].clone(),
            time: p.time,
            duration,
            level,
            data: vec![Row::from_point(&p)],
            previous_level,
            recoverable,
        };
        lines.push(data.to_json_line().unwrap());
    }
    assert_eq!(lines.len(), 6);
    for (got, want) in lines.iter().zip(&golden) {
        assert_eq!(got, &format!("{want}\n"));
    }
    let summary = topics.topic_summary();
    assert_eq!(summary.len(), 1);
    assert_eq!(
        (
            summary[0].name.as_str(),
            summary[0].level,
            summary[0].collected
        ),
        ("main:cpu_alert:alert2", O, 6)
    );
    assert_eq!(
        summary[0].events,
        [("cpu:nil".to_string(), O, "Hey, check your CPU".to_string())]
    );
}

/// Input `A=50, B=5, A=40, B=6` at 1 s spacing; `group_by` chooses per-host state and IDs.
fn two_hosts(group_by: bool) -> Vec<(String, Level, Level, i64)> {
    let mut node = Node::new(AlertConfig::default());
    for (i, (host, v)) in [
        ("serverA", 50.0),
        ("serverB", 5.0),
        ("serverA", 40.0),
        ("serverB", 6.0),
    ]
    .iter()
    .enumerate()
    {
        let (group, id) = if group_by {
            (format!("host={host}"), format!("cpu:host={host}"))
        } else {
            ("nil".into(), "cpu:nil".into())
        };
        node.point(&group, &id, i as i64 * SEC, *v, &crit_below_10);
    }
    node.events
        .into_iter()
        .map(|e| (e.id, e.level, e.prev, e.duration))
        .collect()
}

#[test]
fn two_hosts_share_state_without_group_by() {
    let want = [
        ("cpu:nil", C, O, 0),
        ("cpu:nil", O, C, SEC),
        ("cpu:nil", C, O, 0),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(id, l, p, d)| (id.to_string(), *l, *p, *d))
        .collect();
    assert_eq!(two_hosts(false), want);
}

#[test]
fn two_hosts_with_group_by() {
    let want = [
        ("cpu:host=serverB", C, O, 0),
        ("cpu:host=serverB", C, C, 2 * SEC),
    ];
    let want: Vec<_> = want
        .iter()
        .map(|(id, l, p, d)| (id.to_string(), *l, *p, *d))
        .collect();
    assert_eq!(two_hosts(true), want);
}

#[test]
fn previous_level_is_per_topic() {
    let mut topics = Topics::new();
    let anon_a = anonymous_topic("a", "alert2");
    let anon_b = anonymous_topic("b", "alert2");
    assert_eq!(anon_a, "main:a:alert2");
    // Task a: CRITICAL into its anonymous topic, then the shared named topic.
    assert_eq!(topics.collect(&anon_a, "x", C, 1, 0, "m"), O);
    assert_eq!(topics.collect("shared", "x", C, 1, 0, "m"), O);
    // Task b: WARNING for the same ID: new in its own topic, CRITICAL in the shared one.
    assert_eq!(topics.collect(&anon_b, "x", W, 2, 0, "m"), O);
    assert_eq!(topics.collect("shared", "x", W, 2, 0, "m2"), C);
    assert_eq!(
        topics
            .event("shared", "x")
            .map(|e| (e.level, e.message.as_str())),
        Some((W, "m2"))
    );
    let names: Vec<String> = topics
        .topic_summary()
        .into_iter()
        .map(|s| format!("{} {} {}", s.name, s.level, s.collected))
        .collect();
    assert_eq!(
        names,
        [
            "main:a:alert2 CRITICAL 1",
            "main:b:alert2 WARNING 1",
            "shared WARNING 2"
        ]
    );
}

// ---------- JSON edge cases ----------

fn one_row_data(row: Row) -> AlertData {
    AlertData {
        id: "id".into(),
        message: "m".into(),
        details: String::new(),
        time: T1971,
        duration: 0,
        level: C,
        data: vec![row],
        previous_level: O,
        recoverable: true,
    }
}

fn cells_json(cells: Vec<Cell>) -> Result<String, String> {
    let row = Row {
        name: "cpu".into(),
        tags: vec![],
        columns: vec!["time".into()],
        values: vec![cells],
    };
    let mut out = String::new();
    write_row_json(&mut out, &row).map(|_| out)
}

#[test]
fn stream_alert_exec_golden_with_int_count() {
    // TestStream_AlertExec, re-encoded by Go (semantics §3.5).
    let want = r#"{"id":"kapacitor.cpu.serverA","message":"kapacitor.cpu.serverA is CRITICAL","details":"","time":"1971-01-01T00:00:10Z","duration":0,"level":"CRITICAL","data":{"series":[{"name":"cpu","tags":{"host":"serverA"},"columns":["time","count"],"values":[["1971-01-01T00:00:10Z",10]]}]},"previousLevel":"OK","recoverable":true}"#;
    let group: Vec<(Arc<str>, Arc<str>)> = vec![(Arc::from("host"), Arc::from("serverA"))];
    let point = Point {
        name: Arc::from("cpu"),
        tags: group.clone(),
        fields: vec![(Arc::from("count"), FieldValue::Int(10))],
        time: T1971 + 10 * SEC,
    };
    let mut data = one_row_data(Row::from_batch("cpu", &group, &[point]));
    data.id = "kapacitor.cpu.serverA".into();
    data.message = "kapacitor.cpu.serverA is CRITICAL".into();
    data.time = T1971 + 10 * SEC;
    assert_eq!(data.to_json_line().unwrap(), format!("{want}\n"));
}

#[test]
fn json_numbers_strings_and_times_follow_go() {
    let cells = vec![
        Cell::Time(T1971 + 10 * SEC + SEC / 2),
        Cell::Float(10.0),
        Cell::Float(97.1),
        Cell::Float(1e21),
        Cell::Float(1e-7),
        Cell::Int(-3),
        Cell::Str("<a&b>\"".into()),
        Cell::Bool(false),
        Cell::Null,
    ];
    let want = r#"{"name":"cpu","columns":["time"],"values":[["1971-01-01T00:00:10.5Z",10,97.1,1e+21,1e-7,-3,"\u003ca\u0026b\u003e\"",false,null]]}"#;
    assert_eq!(cells_json(cells).unwrap(), want);
}

#[test]
fn json_escapes_top_level_strings_and_omits_empty_members() {
    let mut data = one_row_data(Row::default());
    data.message = "a<b & c>d\n".into();
    data.data.clear();
    let line = data.to_json_line().unwrap();
    assert!(
        line.contains(r#""message":"a\u003cb \u0026 c\u003ed\n""#),
        "{line}"
    );
    assert!(line.contains(r#""data":{"series":null}"#), "{line}");
    data.data = vec![Row::default()];
    assert!(data
        .to_json_line()
        .unwrap()
        .contains(r#""data":{"series":[{}]}"#));
}

#[test]
fn json_rejects_nan_and_infinity_like_go() {
    assert_eq!(
        cells_json(vec![Cell::Float(f64::NAN)]),
        Err("json: unsupported value: NaN".into())
    );
    assert_eq!(
        cells_json(vec![Cell::Float(f64::NEG_INFINITY)]),
        Err("json: unsupported value: -Inf".into())
    );
    let row = Row {
        values: vec![vec![Cell::Float(f64::INFINITY)]],
        ..Row::default()
    };
    assert_eq!(
        one_row_data(row).to_json_line(),
        Err("failed to marshal alert data json: json: unsupported value: +Inf".into())
    );
}

#[test]
fn batch_row_shape() {
    let group: Vec<(Arc<str>, Arc<str>)> = vec![(Arc::from("host"), Arc::from("a"))];
    let p1 = Point {
        name: Arc::from("cpu"),
        tags: vec![
            (Arc::from("cpu"), Arc::from("cpu0")),
            (Arc::from("host"), Arc::from("a")),
        ],
        fields: vec![
            (Arc::from("value"), FieldValue::Float(1.5)),
            (Arc::from("n"), FieldValue::Int(2)),
        ],
        time: T1971,
    };
    let mut p2 = p1.clone();
    p2.time += SEC;
    p2.remove_field("n");
    let row = Row::from_batch("cpu", &group, &[p1, p2]);
    let mut out = String::new();
    write_row_json(&mut out, &row).unwrap();
    let want = r#"{"name":"cpu","tags":{"host":"a"},"columns":["time","cpu","n","value"],"values":[["1971-01-01T00:00:00Z","cpu0",2,1.5],["1971-01-01T00:00:01Z","cpu0",null,1.5]]}"#;
    assert_eq!(out, want);
}

#[test]
fn point_row_sorts_fields_and_keeps_all_tags() {
    let mut p = cpu_point("h", 1.0, T1971);
    p.set_tag("az", "z1".into());
    p.set_field("a_first", FieldValue::Str("x".into()));
    let row = Row::from_point(&p);
    assert_eq!(row.columns, ["time", "a_first", "usage_idle"]);
    assert_eq!(
        row.tags,
        [
            ("az".to_string(), "z1".to_string()),
            ("host".to_string(), "h".to_string())
        ]
    );
    let untagged = Row::from_point(&Point { tags: vec![], ..p });
    let mut out = String::new();
    write_row_json(&mut out, &untagged).unwrap();
    assert!(!out.contains("tags"), "{out}");
}
