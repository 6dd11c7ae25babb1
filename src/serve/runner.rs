//! One thread per task: it owns the pipeline, takes batches from a bounded
//! channel, persists the alert events of each batch, then hands them to the
//! handlers (waiting while a handler queue is full: nothing is dropped).
//! Timers (deadman) run on the wall clock: while one is pending the thread
//! wakes up when it is due, even if no batch comes.

use super::batch::{Batch, BatchPool};
use super::clock::{self, Clock};
use super::handlers::Handlers;
use super::state::{Record, StateStore};
use crate::alert::Topics;
use crate::pipeline::{AlertOutput, InlineHandler, NodeStats, Pipeline};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use tokio::sync::RwLock;

/// Batches waiting per task before writers wait.
const CHANNEL_BATCHES: usize = 4;

/// What a task thread receives.
pub enum Msg {
    /// Points to push.
    Batch(Arc<Batch>),
    /// Finish what is queued, then stop.
    Stop,
}

/// What task threads share.
#[derive(Clone)]
pub struct RunnerEnv {
    /// Topic state (previousLevel, restore).
    pub topics: Arc<Mutex<Topics>>,
    /// Persistence.
    pub store: Arc<StateStore>,
    /// The current dispatcher.
    pub handlers: Arc<RwLock<Handlers>>,
    /// Where finished batches go back.
    pub pool: Arc<BatchPool>,
    /// The wall clock timers run on.
    pub clock: Arc<dyn Clock>,
}

/// Live counters of a task, published after every batch.
#[derive(Default)]
pub struct TaskStats {
    /// Points received.
    pub points: AtomicU64,
    /// Alert events by level (OK, INFO, WARNING, CRITICAL).
    pub alerts: [AtomicU64; 4],
    /// Node counters as of the last batch.
    pub nodes: Mutex<Vec<NodeStats>>,
    /// `(node, message, count)` evaluation errors as of the last batch.
    pub errors: Mutex<Vec<(String, String, u64)>>,
    /// Set when the task thread panicked: it is stopped and its writes are refused.
    pub crashed: Mutex<Option<String>>,
}

impl TaskStats {
    /// The panic message, when the task thread died.
    pub fn crash(&self) -> Option<String> {
        self.crashed.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

/// A running task.
pub struct TaskHandle {
    /// Task name.
    pub name: String,
    /// Script path.
    pub path: PathBuf,
    /// Script text (a reload restarts the task only when it changed).
    pub source: String,
    /// `(db, rp)` pairs it receives; empty = all.
    pub dbrps: Vec<(String, String)>,
    /// Its inline handlers (registered in every dispatcher generation).
    pub inline: Vec<InlineHandler>,
    /// Counters.
    pub stats: Arc<TaskStats>,
    /// The last reload error, while the previous version keeps running.
    pub reload_error: Mutex<Option<String>>,
    /// When the task thread started (the API's `last-enabled`), ns since the epoch.
    pub started_ns: i64,
    sender: mpsc::SyncSender<Msg>,
    thread: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl TaskHandle {
    /// Starts the task thread.
    pub fn start(name: String, path: PathBuf, source: String, compiled: super::tasks::Compiled, env: RunnerEnv) -> std::io::Result<TaskHandle> {
        let (sender, receiver) = mpsc::sync_channel(CHANNEL_BATCHES);
        let stats = Arc::new(TaskStats::default());
        let mut pipeline = compiled.task.pipeline;
        pipeline.ctx.topics = env.topics.clone();
        pipeline.ctx.restore_groups = true;
        pipeline.use_wall_clock();
        let thread_stats = stats.clone();
        let started_ns = env.clock.now();
        let thread = std::thread::Builder::new()
            .name(format!("task-{name}"))
            .spawn(move || guarded(pipeline, receiver, env, thread_stats))?;
        Ok(TaskHandle {
            name,
            path,
            source,
            dbrps: compiled.dbrps,
            inline: compiled.task.inline,
            stats,
            reload_error: Mutex::new(None),
            started_ns,
            sender,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// The panic message, when the task thread died (see [`guarded`]).
    pub fn crash(&self) -> Option<String> {
        self.stats.crash()
    }

    /// Queues a batch, waiting while the channel is full (call from a blocking thread).
    pub fn send_blocking(&self, batch: Arc<Batch>) {
        let _ = self.sender.send(Msg::Batch(batch));
    }

    /// Asks the thread to stop after the queued batches and waits for it (blocking).
    pub fn stop_blocking(&self) {
        let _ = self.sender.send(Msg::Stop);
        let thread = self.thread.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

/// Runs the task; a panic (a bug) is caught, logged and recorded in the
/// stats, and the thread ends: the task is left stopped, its writes answer
/// 500 until a reload or restart starts it again (the policy in the README).
fn guarded(pipeline: Pipeline, receiver: mpsc::Receiver<Msg>, env: RunnerEnv, stats: Arc<TaskStats>) {
    let name = std::thread::current().name().unwrap_or("task").trim_start_matches("task-").to_string();
    let task_stats = stats.clone();
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || run(pipeline, receiver, env, task_stats)));
    if let Err(payload) = caught {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        tracing::error!(target: "tick::task", task = %name, "task thread panicked and is stopped: {message}");
        *stats.crashed.lock().unwrap_or_else(|p| p.into_inner()) = Some(format!("task panicked: {message}"));
    }
}

/// Test-only fault injection: `TICK_FAULT_PANIC_MEASUREMENT=m` makes a task panic on a point of `m`.
fn fault_measurement() -> Option<Arc<str>> {
    std::env::var("TICK_FAULT_PANIC_MEASUREMENT").ok().filter(|m| !m.is_empty()).map(Arc::from)
}

fn run(mut pipeline: Pipeline, receiver: mpsc::Receiver<Msg>, env: RunnerEnv, stats: Arc<TaskStats>) {
    let fault = fault_measurement();
    let mut outputs: Vec<AlertOutput> = Vec::new();
    pipeline.advance_wall_clock(env.clock.now());
    loop {
        let received = match receive(&receiver, pipeline.next_timer(), env.clock.as_ref()) {
            Some(Msg::Stop) => break,
            Some(Msg::Batch(batch)) => {
                if let Some(m) = &fault {
                    assert!(!batch.points().iter().any(|p| p.name == *m), "fault injected on measurement {m}");
                }
                push_batch(&mut pipeline, batch, &env, &stats, &mut outputs);
                true
            }
            None => false,
        };
        let now = env.clock.now();
        let timed = pipeline.next_timer().is_some_and(|due| due <= now);
        if timed {
            pipeline.advance_wall_clock(now);
            outputs.extend(pipeline.drain_alerts());
        }
        if !outputs.is_empty() {
            persist(&outputs, &env);
            deliver(&mut outputs, &env, &stats);
        }
        if received || timed {
            publish_stats(&pipeline, &stats);
        }
    }
}

/// The next message; None when a timer may be due first. A closed channel reads as Stop.
fn receive(receiver: &mpsc::Receiver<Msg>, next_timer: Option<i64>, clock: &dyn Clock) -> Option<Msg> {
    match clock::wait_for(next_timer, clock.now()) {
        None => Some(receiver.recv().unwrap_or(Msg::Stop)),
        Some(wait) => match receiver.recv_timeout(wait) {
            Ok(msg) => Some(msg),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => Some(Msg::Stop),
        },
    }
}

fn push_batch(pipeline: &mut Pipeline, batch: Arc<Batch>, env: &RunnerEnv, stats: &TaskStats, outputs: &mut Vec<AlertOutput>) {
    if pipeline.ctx.dbrp.as_ref().is_none_or(|(d, r)| *d != batch.db || *r != batch.rp) {
        pipeline.ctx.dbrp = Some((batch.db.clone(), batch.rp.clone()));
    }
    for point in batch.points() {
        pipeline.push(point);
        outputs.extend(pipeline.drain_alerts());
    }
    stats.points.fetch_add(batch.len() as u64, Relaxed);
    env.pool.give_back(batch);
}

/// Syncs the new topic state of every event to disk before any handler runs.
fn persist(outputs: &[AlertOutput], env: &RunnerEnv) {
    let records: Vec<Record> = {
        let topics = env.topics.lock().unwrap_or_else(|p| p.into_inner());
        outputs
            .iter()
            .flat_map(|o| o.deliveries.iter())
            .filter_map(|d| topics.event(&d.topic, &d.id).map(|s| Record::new(&d.topic, &d.id, s)))
            .collect()
    };
    if let Err(e) = env.store.append(&records, &env.topics) {
        tracing::error!(target: "tick::state", "cannot persist alert state: {e}");
    }
}

fn deliver(outputs: &mut Vec<AlertOutput>, env: &RunnerEnv, stats: &TaskStats) {
    let handlers = env.handlers.blocking_read();
    for output in outputs.drain(..) {
        stats.alerts[output.level as usize].fetch_add(1, Relaxed);
        for event in output.deliveries {
            if handlers.dispatcher.has_handlers(&event.topic) {
                let topic = event.topic.clone();
                handlers.dispatcher.deliver(&topic, Arc::new(event));
            }
        }
    }
}

fn publish_stats(pipeline: &Pipeline, stats: &TaskStats) {
    let nodes = pipeline.stats();
    let errors = pipeline
        .ctx
        .errors
        .entries()
        .map(|(node, message, count)| (nodes.get(node).map_or_else(|| "?".to_string(), |n| n.name.clone()), message.to_string(), count))
        .collect();
    *stats.nodes.lock().unwrap_or_else(|p| p.into_inner()) = nodes;
    *stats.errors.lock().unwrap_or_else(|p| p.into_inner()) = errors;
}
