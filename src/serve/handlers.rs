//! The dispatcher of a serving generation: every running task's inline
//! handlers plus the handler files. A reload builds a new one and drains the old.

use super::state::{Record, StateStore};
use crate::alert::Topics;
use crate::handler::{self, Dispatcher, DispatcherOptions, HandlerAction, HandlerEvent, HandlerId, HandlerStats, Matcher, RealSpawner};
use crate::pipeline::InlineHandler;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::runtime::Handle;

/// A handler file, loaded and compiled.
pub struct FileHandler {
    /// `id (path)`.
    pub name: String,
    /// The topic it listens on.
    pub topic: String,
    /// What it does.
    pub action: HandlerAction,
    /// Its `match` source text, compiled again for each generation.
    file: handler::HandlerFile,
}

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
    let Some(dir) = dir else {
        return (Vec::new(), Vec::new());
    };
    let (files, errors) = handler::load_handler_dir(dir);
    let mut problems: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    let mut loaded = Vec::new();
    for file in files {
        let checked = handler::action_for(&file, exec_timeout).map_err(|e| e.to_string());
        let checked = checked.and_then(|action| crate::cli::matcher::for_file(&file).map(|_| action));
        match checked {
            Ok(action) => loaded.push(FileHandler { name: format!("{} ({})", file.id, file.path.display()), topic: file.topic.clone(), action, file }),
            Err(e) => problems.push(e),
        }
    }
    (loaded, problems)
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
        let mut options = DispatcherOptions::new(Arc::new(RealSpawner));
        options.capacity = capacity;
        options.failure_sink = Some(Arc::new(|f: &handler::HandlerFailure| {
            tracing::warn!(target: "tick::handler", handler = %f.handler, event = %f.event_id, "handler failed: {}", f.message);
        }));
        options.republisher = Some(Arc::new(move |topic: &str, event: &HandlerEvent| republish(&topics, &store, topic, event)));
        let mut dispatcher = Dispatcher::with_handle(handle, options);
        let mut names = Vec::new();
        for h in inline {
            dispatcher.register(h.name.clone(), h.topic.to_string(), h.action.clone(), None);
            names.push((h.name.clone(), h.topic.to_string()));
        }
        for f in files {
            let matcher: Option<Box<dyn Matcher>> = crate::cli::matcher::for_file(&f.file).ok().flatten();
            dispatcher.register(f.name.clone(), f.topic.clone(), f.action.clone(), matcher);
            names.push((f.name.clone(), f.topic.clone()));
        }
        Handlers { dispatcher, names, capacity }
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

/// A publish handler's event as collected into `topic`, persisted like any other.
fn republish(topics: &Mutex<Topics>, store: &StateStore, topic: &str, event: &HandlerEvent) -> HandlerEvent {
    let moved = crate::cli::run_topics::republish(topics, topic, event);
    let record = topics.lock().unwrap_or_else(|p| p.into_inner()).event(topic, &event.id).map(|s| Record::new(topic, &event.id, s));
    if let Some(record) = record {
        if let Err(e) = store.append(&[record], topics) {
            tracing::error!(target: "tick::state", "cannot persist alert state: {e}");
        }
    }
    moved
}
