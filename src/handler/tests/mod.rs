//! Tests for handlers: exec against real processes, queues, file loading.

mod dispatch;
mod exec;
mod io;
mod spec;

use super::HandlerEvent;
use crate::alert::Level;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The exact stdin of Kapacitor's `TestStream_AlertExec` (kapacitor-semantics.md §3.5).
pub(super) const ALERT_EXEC_JSON: &str = concat!(
    r#"{"id":"kapacitor.cpu.serverA","message":"kapacitor.cpu.serverA is CRITICAL","details":"","time":"1971-01-01T00:00:10Z","duration":0,"level":"CRITICAL","data":{"series":[{"name":"cpu","tags":{"host":"serverA"},"columns":["time","count"],"values":[["1971-01-01T00:00:10Z",10]]}]},"previousLevel":"OK","recoverable":true}"#,
    "\n"
);

/// An event whose JSON is `json`.
pub(super) fn event_with(id: &str, json: &str) -> Arc<HandlerEvent> {
    Arc::new(HandlerEvent {
        topic: Arc::from("main:t:alert2"),
        id: id.to_string(),
        level: Level::Critical,
        previous_level: Level::Ok,
        duration: 0,
        time: 10_000_000_000,
        message: Arc::from("m"),
        name: Arc::from("cpu"),
        task_name: Arc::from("t"),
        tags: vec![(Arc::from("host"), Arc::from("serverA"))],
        json: Arc::from(json),
    })
}

/// Event number `n`, with a small JSON line that names it.
pub(super) fn numbered(n: usize) -> Arc<HandlerEvent> {
    event_with(&format!("e{n}"), &format!("{{\"n\":{n}}}\n"))
}

/// A fresh, empty scratch directory unique to this test process and call.
pub(super) fn scratch_dir(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("tick-handler-{}-{name}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch dir");
    dir
}
