//! The dispatcher of a serving generation: every running task's inline
//! handlers plus the handler files. A reload builds a new one and drains the old.

use super::state::{Record, StateStore};
use crate::alert::Topics;
use crate::handler::{self, Dispatcher, HandlerEvent, HandlerId, HandlerStats, RealSpawner};
use crate::pipeline::InlineHandler;
use crate::task::routing::{Routing, RoutingSetup};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::runtime::Handle;

pub use crate::task::handler_files::FileHandler;

/// The live dispatcher and the names of its handlers (by [`HandlerId`]).
pub struct Handlers {
    /// Routes events to handler queues.
    pub dispatcher: Dispatcher,
    /// `(name, topic)` in registration order.
    pub names: Vec<(String, String)>,
    capacity: usize,
}

/// Loads every handler file of `dir`; bad files are returned as messages and skipped.
pub fn load_files(dir: Option<&Path>, exec_timeout: Duration) -> (Vec<FileHandler>, Vec<String>) {
    match dir {
        Some(dir) => crate::task::handler_files::load_dir(dir, exec_timeout),
        None => (Vec::new(), Vec::new()),
    }
}

impl Handlers {
    /// A dispatcher on `handle` with the inline handlers of `tasks` and the handler `files`.
    pub fn new<'a>(
        handle: Handle,
        capacity: usize,
        inline: impl Iterator<Item = &'a InlineHandler>,
        files: &[FileHandler],
        topics: Arc<Mutex<Topics>>,
        store: Arc<StateStore>,
    ) -> Handlers {
        let mut setup = RoutingSetup::new(Arc::new(RealSpawner), topics.clone());
        setup.capacity = capacity;
        setup.handle = Some(handle);
        setup.failure_sink = Some(Arc::new(|f: &handler::HandlerFailure| {
            tracing::warn!(target: "tick::handler", handler = %f.handler, event = %f.event_id, "handler failed: {}", f.message);
        }));
        setup.after_republish = Some(Arc::new(move |topic: &str, event: &HandlerEvent| persist(&topics, &store, topic, event)));
        let routing = Routing::new(setup, inline, files).expect("a dispatcher on an existing runtime always starts");
        Handlers { dispatcher: routing.dispatcher, names: routing.names, capacity }
    }

    /// Live counters of every handler, with its name and topic.
    pub fn stats(&self) -> Vec<(&str, &str, HandlerStats)> {
        let stats = (0..self.names.len()).filter_map(|i| self.dispatcher.stats(HandlerId(i)));
        self.names.iter().zip(stats).map(|((n, t), s)| (n.as_str(), t.as_str(), s)).collect()
    }

    /// True when some handler's queue is full: writes are refused until it drains.
    pub fn saturated(&self) -> bool {
        self.stats().iter().any(|(_, _, s)| depth(s) >= self.capacity as u64)
    }

    /// Events queued and not yet handled, over every handler.
    pub fn pending(&self) -> u64 {
        self.stats().iter().map(|(_, _, s)| depth(s)).sum()
    }
}

/// Events in a handler's queue (or being handled).
pub fn depth(s: &HandlerStats) -> u64 {
    s.queued.saturating_sub(s.runs + s.unmatched + s.match_errors)
}

/// Persists a publish handler's event as collected into `topic`, like any other.
fn persist(topics: &Mutex<Topics>, store: &StateStore, topic: &str, event: &HandlerEvent) {
    let record = topics.lock().unwrap_or_else(|p| p.into_inner()).event(topic, &event.id).map(|s| Record::new(topic, &event.id, s));
    if let Some(record) = record {
        if let Err(e) = store.append(&[record], topics) {
            tracing::error!(target: "tick::state", "cannot persist alert state: {e}");
        }
    }
}
