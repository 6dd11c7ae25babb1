//! [`Dispatcher`]: routes events from topics to handler queues, with
//! back-pressure instead of drops, and drains every queue at the end.

use super::action::HandlerAction;
use super::exec::Spawner;
use super::queue::{Counters, HandlerFailure, HandlerReport, HandlerStats, Matcher, Worker};
use super::HandlerEvent;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use tokio::runtime::Handle;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::JoinHandle;

/// Default per-handler queue capacity (Kapacitor's topic buffer length).
pub const DEFAULT_QUEUE_CAPACITY: usize = 5000;

/// Index of a registered handler, in registration order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HandlerId(pub usize);

/// Gives the event as it appears in another topic (a publish target):
/// called with the target topic; the default only replaces `topic`.
pub type Republisher = Arc<dyn Fn(&str, &HandlerEvent) -> HandlerEvent + Send + Sync>;

/// Called for every failure as it happens (e.g. to print it at once).
pub type FailureSink = Arc<dyn Fn(&HandlerFailure) + Send + Sync>;

#[derive(Clone)]
struct Route {
    queue: mpsc::Sender<Arc<HandlerEvent>>,
    counters: Arc<Counters>,
}

/// State shared by the producer side and every worker.
pub(crate) struct Shared {
    routes: RwLock<HashMap<String, Vec<Route>>>,
    in_flight: watch::Sender<usize>,
    pub spawner: Arc<dyn Spawner>,
    /// Sends HTTP requests (post and service handlers).
    pub http: Arc<dyn crate::http::Sender>,
    republisher: Option<Republisher>,
    failure_sink: Option<FailureSink>,
}

impl Shared {
    fn routes_for(&self, topic: &str) -> Vec<Route> {
        let routes = self.routes.read().unwrap_or_else(|p| p.into_inner());
        routes.get(topic).cloned().unwrap_or_default()
    }

    /// Marks one queued event as fully handled.
    pub fn event_done(&self) {
        self.in_flight.send_modify(|n| *n = n.saturating_sub(1));
    }

    /// Hands a failure to the live sink, if any.
    pub fn report_failure(&self, failure: &HandlerFailure) {
        if let Some(sink) = &self.failure_sink {
            sink(failure);
        }
    }

    /// Re-collects `event` into `topic` (the publish action).
    pub async fn publish(&self, topic: &str, event: &HandlerEvent) {
        let moved = match &self.republisher {
            Some(f) => f(topic, event),
            None => HandlerEvent { topic: Arc::from(topic), ..event.clone() },
        };
        send_async(self, topic, Arc::new(moved)).await;
    }
}

async fn send_async(shared: &Shared, topic: &str, event: Arc<HandlerEvent>) -> usize {
    let routes = shared.routes_for(topic);
    for route in &routes {
        let sent = match try_enqueue(shared, route, event.clone()) {
            Enqueue::Done(sent) => sent,
            Enqueue::Full(event) => route.queue.send(event).await.is_ok(),
        };
        after_send(shared, route, sent);
    }
    routes.len()
}

fn send_blocking(shared: &Shared, topic: &str, event: Arc<HandlerEvent>) -> usize {
    let routes = shared.routes_for(topic);
    for route in &routes {
        let sent = match try_enqueue(shared, route, event.clone()) {
            Enqueue::Done(sent) => sent,
            Enqueue::Full(event) => route.queue.blocking_send(event).is_ok(),
        };
        after_send(shared, route, sent);
    }
    routes.len()
}

/// The outcome of an attempt to queue without waiting.
enum Enqueue {
    /// Queued (true) or the queue is closed (false).
    Done(bool),
    /// The queue is full: the caller waits (back-pressure) with this event.
    Full(Arc<HandlerEvent>),
}

/// Counts the event in flight and queues it if there is room.
fn try_enqueue(shared: &Shared, route: &Route, event: Arc<HandlerEvent>) -> Enqueue {
    shared.in_flight.send_modify(|n| *n += 1);
    match route.queue.try_send(event) {
        Ok(()) => Enqueue::Done(true),
        Err(mpsc::error::TrySendError::Full(event)) => {
            route.counters.blocked.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            Enqueue::Full(event)
        }
        Err(mpsc::error::TrySendError::Closed(_)) => Enqueue::Done(false),
    }
}

fn after_send(shared: &Shared, route: &Route, sent: bool) {
    if sent {
        let len = route.queue.max_capacity() - route.queue.capacity();
        route.counters.record_queued(len);
    } else {
        shared.event_done();
    }
}

struct Registered {
    name: String,
    topic: String,
    counters: Arc<Counters>,
    worker: JoinHandle<Vec<HandlerFailure>>,
}

/// Where the workers run: a runtime owned on a background thread, or a
/// runtime the caller already has (the server).
enum Host {
    Owned { handle: Handle, stop: Option<oneshot::Sender<()>>, thread: Option<std::thread::JoinHandle<()>> },
    External(Handle),
}

impl Host {
    fn owned() -> std::io::Result<Host> {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let handle = runtime.handle().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new().name("tick-handlers".into()).spawn(move || {
            let _ = runtime.block_on(stopped);
        })?;
        Ok(Host::Owned { handle, stop: Some(stop), thread: Some(thread) })
    }

    fn handle(&self) -> &Handle {
        match self {
            Host::Owned { handle, .. } | Host::External(handle) => handle,
        }
    }

    fn stop(&mut self) {
        if let Host::Owned { stop, thread, .. } = self {
            if let Some(stop) = stop.take() {
                let _ = stop.send(());
            }
            if let Some(thread) = thread.take() {
                let _ = thread.join();
            }
        }
    }
}

/// Routes alert events to handlers: one bounded queue and one worker per
/// handler; a full queue makes the producer wait (nothing is dropped).
pub struct Dispatcher {
    host: Host,
    shared: Arc<Shared>,
    capacity: usize,
    handlers: Vec<Registered>,
}

/// Options for a [`Dispatcher`].
#[derive(Clone)]
pub struct DispatcherOptions {
    /// Runs exec handlers ([`super::RealSpawner`] in production).
    pub spawner: Arc<dyn Spawner>,
    /// Sends HTTP requests ([`crate::http::Client::shared`] by default; a recorder in tests).
    pub http: Arc<dyn crate::http::Sender>,
    /// Capacity of each handler's queue (at least 1).
    pub capacity: usize,
    /// How publish targets see an event (None: only the topic changes).
    pub republisher: Option<Republisher>,
    /// Live failure callback.
    pub failure_sink: Option<FailureSink>,
}

impl DispatcherOptions {
    /// Defaults: the given spawner, the shared HTTP client, capacity 5000, no hooks.
    pub fn new(spawner: Arc<dyn Spawner>) -> Self {
        let http = Arc::new(crate::http::SharedClient);
        DispatcherOptions { spawner, http, capacity: DEFAULT_QUEUE_CAPACITY, republisher: None, failure_sink: None }
    }
}

impl Dispatcher {
    /// A dispatcher with its own single-threaded runtime on a background
    /// thread; use it from synchronous code ([`Dispatcher::deliver`]).
    pub fn new(options: DispatcherOptions) -> std::io::Result<Self> {
        Ok(Self::build(Host::owned()?, options))
    }

    /// A dispatcher whose workers run on an existing runtime; use the
    /// `_async` methods from inside it.
    pub fn with_handle(handle: Handle, options: DispatcherOptions) -> Self {
        Self::build(Host::External(handle), options)
    }

    fn build(host: Host, options: DispatcherOptions) -> Self {
        let shared = Shared {
            routes: RwLock::new(HashMap::new()),
            in_flight: watch::Sender::new(0),
            spawner: options.spawner,
            http: options.http,
            republisher: options.republisher,
            failure_sink: options.failure_sink,
        };
        Dispatcher { host, shared: Arc::new(shared), capacity: options.capacity.max(1), handlers: Vec::new() }
    }

    /// Adds a handler on `topic` and starts its worker.
    pub fn register(&mut self, name: String, topic: String, action: HandlerAction, matcher: Option<Box<dyn Matcher>>) -> HandlerId {
        let (queue, events) = mpsc::channel(self.capacity);
        let counters = Arc::new(Counters::default());
        let worker = Worker { name: name.clone(), action, matcher, counters: counters.clone(), shared: self.shared.clone() };
        let worker = self.host.handle().spawn(worker.run(events));
        let mut routes = self.shared.routes.write().unwrap_or_else(|p| p.into_inner());
        routes.entry(topic.clone()).or_default().push(Route { queue, counters: counters.clone() });
        self.handlers.push(Registered { name, topic, counters, worker });
        HandlerId(self.handlers.len() - 1)
    }

    /// True when at least one handler listens on `topic`.
    pub fn has_handlers(&self, topic: &str) -> bool {
        !self.shared.routes_for(topic).is_empty()
    }

    /// Queues `event` for every handler of `topic`, waiting while a queue is
    /// full. Returns how many handlers got it. Must not be called from inside
    /// an async runtime (use [`Dispatcher::deliver_async`] there).
    pub fn deliver(&self, topic: &str, event: Arc<HandlerEvent>) -> usize {
        send_blocking(&self.shared, topic, event)
    }

    /// The async form of [`Dispatcher::deliver`].
    pub async fn deliver_async(&self, topic: &str, event: Arc<HandlerEvent>) -> usize {
        send_async(&self.shared, topic, event).await
    }

    /// Waits until every queued event (including publish chains) has been
    /// handled; handlers stay registered. Not from inside an async runtime.
    pub fn wait_idle(&self) {
        let mut in_flight = self.shared.in_flight.subscribe();
        self.host.handle().block_on(async move {
            let _ = in_flight.wait_for(|n| *n == 0).await;
        });
    }

    /// A live snapshot of one handler's counters.
    pub fn stats(&self, id: HandlerId) -> Option<HandlerStats> {
        self.handlers.get(id.0).map(|h| h.counters.snapshot())
    }

    /// Waits until every queued event (including publish chains) has been
    /// handled, stops the workers and reports on each handler. Must not be
    /// called from inside an async runtime (use [`Dispatcher::finish_async`]).
    pub fn finish(mut self) -> Vec<HandlerReport> {
        let handle = self.host.handle().clone();
        let reports = handle.block_on(self.drain());
        self.host.stop();
        reports
    }

    /// The async form of [`Dispatcher::finish`].
    pub async fn finish_async(mut self) -> Vec<HandlerReport> {
        let reports = self.drain().await;
        self.host.stop();
        reports
    }

    async fn drain(&mut self) -> Vec<HandlerReport> {
        let mut in_flight = self.shared.in_flight.subscribe();
        let _ = in_flight.wait_for(|n| *n == 0).await;
        self.shared.routes.write().unwrap_or_else(|p| p.into_inner()).clear();
        let mut reports = Vec::with_capacity(self.handlers.len());
        for handler in self.handlers.drain(..) {
            let failures = handler.worker.await.unwrap_or_default();
            let stats = handler.counters.snapshot();
            reports.push(HandlerReport { name: handler.name, topic: handler.topic, stats, failures });
        }
        reports
    }
}

impl Drop for Dispatcher {
    fn drop(&mut self) {
        self.host.stop();
    }
}

