//! kapacitor-observed Example 1 (byte-exact exec payloads) and the two-host summaries.

use super::*;
use Level::{Critical as C, Ok as O, Warning as W};

fn crit_below_10(c: LevelCheck, v: f64) -> Option<bool> {
    (c == LevelCheck::Trigger(C)).then_some(v < 10.0)
}

#[test]
fn example1_exec_payloads_are_byte_exact() {
    let golden: Vec<&str> = include_str!("../testdata/example1.jsonl").lines().collect();
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
