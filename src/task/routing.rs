//! A dispatcher with every handler of a set of tasks registered: their inline
//! handlers, then the handler files; publish handlers re-collect the event
//! into their target topic (and may persist it, as `tick serve` does).

use super::handler_files::FileHandler;
use super::topics;
use crate::alert::Topics;
use crate::handler::{Dispatcher, DispatcherOptions, FailureSink, HandlerAction, HandlerEvent, Spawner};
use crate::pipeline::InlineHandler;
use std::sync::{Arc, Mutex};
use tokio::runtime::Handle;

/// Called after a publish handler re-collected an event into a topic.
pub type AfterRepublish = Arc<dyn Fn(&str, &HandlerEvent) + Send + Sync>;

/// How to build a dispatcher.
pub struct RoutingSetup {
    /// Starts exec programs (real, or recorded by `tick test`).
    pub spawner: Arc<dyn Spawner>,
    /// Capacity of each handler's queue.
    pub capacity: usize,
    /// Told of every handler failure as it happens.
    pub failure_sink: Option<FailureSink>,
    /// The topics publish handlers collect into.
    pub topics: Arc<Mutex<Topics>>,
    /// Called after each re-collection (the server persists the event).
    pub after_republish: Option<AfterRepublish>,
    /// The runtime to run handlers on; None: a runtime of its own.
    pub handle: Option<Handle>,
    /// Which actions are registered (`tick test` runs exec and publish only).
    pub accept: fn(&HandlerAction) -> bool,
}

impl RoutingSetup {
    /// Real programs, the default queue capacity, every action, no sink.
    pub fn new(spawner: Arc<dyn Spawner>, topics: Arc<Mutex<Topics>>) -> RoutingSetup {
        RoutingSetup {
            spawner,
            capacity: crate::handler::DEFAULT_QUEUE_CAPACITY,
            failure_sink: None,
            topics,
            after_republish: None,
            handle: None,
            accept: |_| true,
        }
    }
}

/// The dispatcher and the `(name, topic)` of each handler, in registration order.
pub struct Routing {
    /// Routes events to handler queues.
    pub dispatcher: Dispatcher,
    /// `(name, topic)` by [`crate::handler::HandlerId`].
    pub names: Vec<(String, String)>,
}

impl Routing {
    /// A dispatcher with `inline` handlers, then `files`, registered.
    pub fn new<'a>(setup: RoutingSetup, inline: impl IntoIterator<Item = &'a InlineHandler>, files: &[FileHandler]) -> std::io::Result<Routing> {
        let accept = setup.accept;
        let mut dispatcher = dispatcher(setup)?;
        let mut names = Vec::new();
        for h in inline.into_iter().filter(|h| accept(&h.action)) {
            dispatcher.register(h.name.clone(), h.topic.to_string(), h.action.clone(), None);
            names.push((h.name.clone(), h.topic.to_string()));
        }
        for f in files.iter().filter(|f| accept(&f.action)) {
            dispatcher.register(f.name.clone(), f.topic.clone(), f.action.clone(), f.matcher());
            names.push((f.name.clone(), f.topic.clone()));
        }
        Ok(Routing { dispatcher, names })
    }
}

fn dispatcher(setup: RoutingSetup) -> std::io::Result<Dispatcher> {
    let mut options = DispatcherOptions::new(setup.spawner);
    options.capacity = setup.capacity;
    options.failure_sink = setup.failure_sink;
    let (topics, after) = (setup.topics, setup.after_republish);
    options.republisher = Some(Arc::new(move |topic: &str, event: &HandlerEvent| {
        let moved = topics::republish(&topics, topic, event);
        if let Some(after) = &after {
            after(topic, event);
        }
        moved
    }));
    match setup.handle {
        Some(handle) => Ok(Dispatcher::with_handle(handle, options)),
        None => Dispatcher::new(options),
    }
}

/// Queues every delivery whose topic has handlers; the number of queues it went to.
pub fn deliver(dispatcher: &Dispatcher, deliveries: Vec<HandlerEvent>) -> usize {
    let mut queued = 0;
    for event in deliveries {
        if dispatcher.has_handlers(&event.topic) {
            let topic = event.topic.clone();
            queued += dispatcher.deliver(&topic, Arc::new(event));
        }
    }
    queued
}
