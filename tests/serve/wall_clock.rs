//! Deadman on the wall clock: data stops completely, the deadman still fires.

use super::client::{workdir, Server, CAPTURE};
use std::time::{Duration, Instant};

/// Writes one point every 100 ms for `duration`; every point has the same old timestamp,
/// so point time alone could never move a deadman.
fn write_for(server: &Server, duration: Duration) {
    let end = Instant::now() + duration;
    while Instant::now() < end {
        assert_eq!(server.post("/write?db=db&rp=rp", "cpu,host=a usage_idle=50 1000000000\n").status, 204);
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The `(level, time, message)` of each captured event.
fn events(text: &str) -> Vec<(String, String, String)> {
    let field = |v: &serde_json::Value, key: &str| v[key].as_str().unwrap_or_default().to_string();
    text.lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .map(|v| (field(&v, "level"), field(&v, "time"), field(&v, "message")))
        .collect()
}

#[test]
fn deadman_fires_when_data_stops_and_recovers_when_it_returns() {
    let dir = workdir("deadman-wall");
    let script = format!("stream\n    |from()\n        .measurement('cpu')\n    |deadman(0.0, 1s)\n        .details('')\n        {CAPTURE}\n");
    std::fs::write(dir.join("tasks/dead.tick"), script).unwrap();
    let server = Server::start(&dir, "");
    write_for(&server, Duration::from_millis(2500));
    let stopped = Instant::now();
    let dead = events(&server.captured(1));
    assert!(stopped.elapsed() < Duration::from_secs(5), "no CRITICAL within 5 s; stderr: {}", server.stderr());
    let (level, time, message) = dead.last().cloned().unwrap_or_default();
    assert_eq!(level, "CRITICAL", "{dead:?}");
    assert!(message.ends_with(" is dead: 0.000 points/1s."), "{message}");
    assert!(!time.starts_with("1970") && !time.contains('.'), "stamped by the wall clock on a whole second: {time}");
    write_for(&server, Duration::from_millis(1500));
    let back = events(&server.captured(dead.len() + 1));
    let (level, _, message) = back.last().cloned().unwrap_or_default();
    assert_eq!(level, "OK", "{back:?}");
    assert!(message.contains(" is alive: "), "{message}");
}
