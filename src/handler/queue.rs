//! One bounded queue per handler, drained by its own worker task: events of
//! a handler run strictly in order, one at a time; handlers run concurrently.

use super::action::HandlerAction;
use super::dispatch::Shared;
use super::HandlerEvent;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use tokio::sync::mpsc;

/// At most this many failures are kept per handler for the final report.
pub const MAX_KEPT_FAILURES: usize = 100;

/// A topic-handler `match` filter, evaluated by the worker before the action.
/// It keeps its state across events (stateful builtins such as `changed()`).
pub trait Matcher: Send {
    /// True when the event should be handled; an error skips the event.
    fn matches(&mut self, event: &HandlerEvent) -> Result<bool, String>;
}

/// Why one event failed in one handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureKind {
    /// The program exited non-zero or died from a signal.
    Exit,
    /// The program could not be started.
    SpawnFailed,
    /// The program ran past its timeout and was killed.
    TimedOut,
    /// A file, TCP or HTTP error.
    Io,
    /// The `match` expression failed to evaluate (the event was skipped).
    Match,
}

/// One failure of one handler on one event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerFailure {
    /// The handler's name.
    pub handler: String,
    /// The alert ID of the event.
    pub event_id: String,
    /// What kind of failure.
    pub kind: FailureKind,
    /// The full message (with the stderr tail for exec failures).
    pub message: String,
}

/// Counters of one handler, as a plain snapshot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HandlerStats {
    /// Events put into the queue.
    pub queued: u64,
    /// Times the producer had to wait because the queue was full.
    pub blocked: u64,
    /// The longest the queue has been.
    pub queued_max: u64,
    /// Actions run (after `match`).
    pub runs: u64,
    /// Actions that failed (timeouts included).
    pub failures: u64,
    /// Exec runs killed at the timeout.
    pub timeouts: u64,
    /// Exec runs whose program closed stdin early (not failures).
    pub stdin_closed: u64,
    /// Events the `match` expression rejected.
    pub unmatched: u64,
    /// Events skipped because `match` failed to evaluate.
    pub match_errors: u64,
}

/// The atomic form of [`HandlerStats`], shared by producer and worker.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub queued: AtomicU64,
    pub blocked: AtomicU64,
    pub queued_max: AtomicU64,
    pub runs: AtomicU64,
    pub failures: AtomicU64,
    pub timeouts: AtomicU64,
    pub stdin_closed: AtomicU64,
    pub unmatched: AtomicU64,
    pub match_errors: AtomicU64,
}

impl Counters {
    /// A snapshot.
    pub fn snapshot(&self) -> HandlerStats {
        HandlerStats {
            queued: self.queued.load(Relaxed),
            blocked: self.blocked.load(Relaxed),
            queued_max: self.queued_max.load(Relaxed),
            runs: self.runs.load(Relaxed),
            failures: self.failures.load(Relaxed),
            timeouts: self.timeouts.load(Relaxed),
            stdin_closed: self.stdin_closed.load(Relaxed),
            unmatched: self.unmatched.load(Relaxed),
            match_errors: self.match_errors.load(Relaxed),
        }
    }

    /// Records one accepted send and the queue length after it.
    pub fn record_queued(&self, len: usize) {
        self.queued.fetch_add(1, Relaxed);
        self.queued_max.fetch_max(len as u64, Relaxed);
    }
}

/// The final word on one handler after [`super::Dispatcher::finish`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandlerReport {
    /// The handler's name.
    pub name: String,
    /// The topic it listens on.
    pub topic: String,
    /// Its counters.
    pub stats: HandlerStats,
    /// The first [`MAX_KEPT_FAILURES`] failures.
    pub failures: Vec<HandlerFailure>,
}

/// A handler's queue consumer.
pub(crate) struct Worker {
    pub name: String,
    pub action: HandlerAction,
    pub matcher: Option<Box<dyn Matcher>>,
    pub counters: Arc<Counters>,
    pub shared: Arc<Shared>,
}

impl Worker {
    /// Handles every event until the queue is closed and empty.
    pub async fn run(mut self, mut queue: mpsc::Receiver<Arc<HandlerEvent>>) -> Vec<HandlerFailure> {
        let mut kept = Vec::new();
        while let Some(event) = queue.recv().await {
            if let Some(failure) = self.handle(&event).await {
                self.shared.report_failure(&failure);
                if kept.len() < MAX_KEPT_FAILURES {
                    kept.push(failure);
                }
            }
            self.shared.event_done();
        }
        kept
    }

    async fn handle(&mut self, event: &Arc<HandlerEvent>) -> Option<HandlerFailure> {
        if let Some(matcher) = self.matcher.as_mut() {
            // A panicking evaluator must not kill the worker (and hang the drain).
            let verdict = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| matcher.matches(event)))
                .unwrap_or_else(|_| Err("match expression panicked".to_string()));
            match verdict {
                Ok(true) => {}
                Ok(false) => {
                    self.counters.unmatched.fetch_add(1, Relaxed);
                    return None;
                }
                Err(message) => {
                    self.counters.match_errors.fetch_add(1, Relaxed);
                    let message = format!("failed to evaluate match expression: {message}");
                    return Some(self.failure(event, FailureKind::Match, message));
                }
            }
        }
        self.counters.runs.fetch_add(1, Relaxed);
        let result = self.action.perform(event, &self.shared).await;
        if result.stdin_closed_early {
            self.counters.stdin_closed.fetch_add(1, Relaxed);
        }
        let (kind, message) = result.failure?;
        self.counters.failures.fetch_add(1, Relaxed);
        if kind == FailureKind::TimedOut {
            self.counters.timeouts.fetch_add(1, Relaxed);
        }
        Some(self.failure(event, kind, message))
    }

    fn failure(&self, event: &HandlerEvent, kind: FailureKind, message: String) -> HandlerFailure {
        HandlerFailure { handler: self.name.clone(), event_id: event.id.clone(), kind, message }
    }
}
