//! Semantics Appendix A traces, driven through the state machine and topics.

use super::*;
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
