//! Per-point cost of the hot path (run with `--release -- --ignored --nocapture`).

use super::*;
use std::time::Instant;

#[test]
#[ignore = "timing only"]
fn per_point_cost() {
    let cfgs = [
        ("plain", AlertConfig::default()),
        (
            "stateChangesOnly+flapping",
            AlertConfig {
                state_changes_only: Some(0),
                flapping: Some((0.25, 0.5)),
                ..AlertConfig::default()
            },
        ),
    ];
    let n = 10_000_000i64;
    for (name, cfg) in cfgs {
        let mut state = GroupState::new(&cfg);
        let mut events = 0u64;
        let start = Instant::now();
        for i in 0..n {
            let value = (i % 100) as f64;
            let level = determine_level(state.current_level(), |c| {
                ladder(c, if value < 97.0 { 0.0 } else { 3.0 })
            });
            if matches!(on_point(&mut state, &cfg, i, level), Outcome::Event { .. }) {
                events += 1;
            }
        }
        let ns = start.elapsed().as_nanos() as f64 / n as f64;
        println!("{name}: {ns:.1} ns/point, {events} events");
    }
}
