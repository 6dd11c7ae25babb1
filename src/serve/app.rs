//! The server's shared state, its start, and reload (SIGHUP or `POST /kapacitor/v1/reload`).

use super::batch::BatchPool;
use super::config::Config;
use super::handlers::{self, Handlers};
use super::metrics::Metrics;
use super::runner::{RunnerEnv, TaskHandle};
use super::state::StateStore;
use super::tasks;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

/// Everything request handlers and task threads share.
pub struct App {
    /// The settings in force.
    pub config: Config,
    /// Exec handler timeout.
    pub exec_timeout: Duration,
    /// Running tasks, by name order.
    pub tasks: RwLock<Vec<Arc<TaskHandle>>>,
    /// Scripts that failed check or build: name → every diagnostic.
    pub failed: Mutex<BTreeMap<String, String>>,
    /// What task threads share (topics, store, dispatcher, batch pool).
    pub env: RunnerEnv,
    /// Request and ingest counters.
    pub metrics: Metrics,
    reload_lock: tokio::sync::Mutex<()>,
    /// Held shared by every write while it is routed and sent, and exclusively while a
    /// reload swaps tasks: a write waits for the swap instead of missing a restarting task.
    pub swap_gate: tokio::sync::RwLock<()>,
}

/// What a reload did.
#[derive(Debug, Default, Serialize)]
pub struct ReloadReport {
    /// Tasks started for the first time.
    pub started: Vec<String>,
    /// Tasks restarted because their script changed.
    pub restarted: Vec<String>,
    /// Tasks stopped because their script is gone.
    pub stopped: Vec<String>,
    /// Tasks whose script fails check (the previous version, if any, keeps running).
    pub failed: BTreeMap<String, String>,
    /// Handler files that could not be loaded.
    pub handler_errors: Vec<String>,
}

impl App {
    /// Opens the state, starts every task that checks and the handlers.
    pub async fn start(config: Config) -> Result<(Arc<App>, ReloadReport), String> {
        let exec_timeout = config.exec_timeout()?;
        config.shutdown_timeout()?;
        if !config.tasks_dir.is_dir() {
            return Err(format!("{}: the tasks directory does not exist", config.tasks_dir.display()));
        }
        let (store, topics) = StateStore::open(&config.data_dir, config.snapshot_every)?;
        let topics = Arc::new(Mutex::new(topics));
        let store = Arc::new(store);
        let handle = tokio::runtime::Handle::current();
        let handlers = Handlers::new(handle, config.queue_capacity, std::iter::empty(), &[], topics.clone(), store.clone());
        let env = RunnerEnv { topics, store, handlers: Arc::new(tokio::sync::RwLock::new(handlers)), pool: Arc::new(BatchPool::default()), clock: Arc::new(super::clock::SystemClock) };
        let app = Arc::new(App {
            config,
            exec_timeout,
            tasks: RwLock::new(Vec::new()),
            failed: Mutex::new(BTreeMap::new()),
            env,
            metrics: Metrics::default(),
            reload_lock: tokio::sync::Mutex::new(()),
            swap_gate: tokio::sync::RwLock::new(()),
        });
        let report = app.reload().await?;
        Ok((app, report))
    }

    /// A snapshot of the running tasks.
    pub fn running(&self) -> Vec<Arc<TaskHandle>> {
        self.tasks.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Re-reads scripts and handler files: changed or new scripts (re)start,
    /// removed ones stop, unchanged tasks keep running with their alert state;
    /// the dispatcher is rebuilt and the old one drained before new events flow.
    pub async fn reload(self: &Arc<Self>) -> Result<ReloadReport, String> {
        let _serial = self.reload_lock.lock().await;
        let files = tasks::scan(&self.config.tasks_dir)?;
        let (handler_files, handler_errors) = handlers::load_files(self.config.handlers_dir.as_deref(), self.exec_timeout);
        let mut report = ReloadReport { handler_errors, ..ReloadReport::default() };
        let old = self.running();
        let mut keep = Vec::new();
        let mut retire = Vec::new();
        let mut start = Vec::new();
        for file in &files {
            let current = old.iter().find(|t| t.name == file.name);
            if let (Some(task), Ok(source)) = (current, &file.source) {
                if task.source == *source && task.crash().is_none() {
                    keep.push(task.clone());
                    continue;
                }
            }
            match tasks::compile(file, &self.config, self.exec_timeout) {
                Ok(compiled) => {
                    if let Some(task) = current {
                        retire.push(task.clone());
                        report.restarted.push(file.name.clone());
                    } else {
                        report.started.push(file.name.clone());
                    }
                    start.push((file.clone(), compiled));
                }
                Err(error) => {
                    tracing::error!(target: "tick::task", task = %file.name, "task not started:\n{error}");
                    if let Some(task) = current {
                        *task.reload_error.lock().unwrap_or_else(|p| p.into_inner()) = Some(error.clone());
                        keep.push(task.clone());
                    }
                    report.failed.insert(file.name.clone(), error);
                }
            }
        }
        for task in &old {
            if !files.iter().any(|f| f.name == task.name) {
                retire.push(task.clone());
                report.stopped.push(task.name.clone());
            }
        }
        for e in &report.handler_errors {
            tracing::error!(target: "tick::handler", "handler file not loaded: {e}");
        }
        self.swap(keep, retire, start, handler_files).await?;
        *self.failed.lock().unwrap_or_else(|p| p.into_inner()) = report.failed.clone();
        Ok(report)
    }

    /// Stops retired tasks, swaps in a dispatcher for the new set (draining
    /// the old one), then starts the new tasks: no event meets a dispatcher
    /// without its handlers.
    async fn swap(
        &self,
        keep: Vec<Arc<TaskHandle>>,
        retire: Vec<Arc<TaskHandle>>,
        start: Vec<(tasks::TaskFile, tasks::Compiled)>,
        files: Vec<handlers::FileHandler>,
    ) -> Result<(), String> {
        let _no_writes = self.swap_gate.write().await;
        self.tasks.write().unwrap_or_else(|p| p.into_inner()).retain(|t| !retire.iter().any(|r| Arc::ptr_eq(r, t)));
        tokio::task::spawn_blocking(move || retire.iter().for_each(|t| t.stop_blocking())).await.map_err(|e| e.to_string())?;
        let inline: Vec<_> = keep.iter().flat_map(|t| t.inline.iter()).chain(start.iter().flat_map(|(_, c)| c.task.inline.iter())).cloned().collect();
        let next = Handlers::new(
            tokio::runtime::Handle::current(),
            self.config.queue_capacity,
            inline.iter(),
            &files,
            self.env.topics.clone(),
            self.env.store.clone(),
        );
        {
            let mut current = self.env.handlers.write().await;
            let previous = std::mem::replace(&mut *current, next);
            let reports = previous.dispatcher.finish_async().await;
            self.metrics.retire_handlers(&reports);
        }
        let mut running = keep;
        for (file, compiled) in start {
            let source = file.source.clone().unwrap_or_default();
            let task = TaskHandle::start(file.name.clone(), file.path.clone(), source, compiled, self.env.clone()).map_err(|e| e.to_string())?;
            tracing::info!(target: "tick::task", task = %file.name, "task started");
            running.push(Arc::new(task));
        }
        running.sort_by(|a, b| a.name.cmp(&b.name));
        *self.tasks.write().unwrap_or_else(|p| p.into_inner()) = running;
        Ok(())
    }
}
