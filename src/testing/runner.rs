//! Runs one case in isolation: fresh pipelines (built exactly as `tick run`
//! builds them), fresh topics, a dispatcher whose exec calls are recorded
//! (and run only with `run_exec: true`). Point time is the only clock.

use super::{CaseSpec, Script};
use crate::alert::Topics;
use crate::handler::exec::{BoxFuture, RecordedCall, DEFAULT_EXEC_TIMEOUT};
use crate::handler::{ExecResult, ExecSpec, HandlerAction, RealSpawner, Spawner};
use crate::pipeline::Pipeline;
use crate::task::handler_files::FileHandler;
use crate::task::routing::{deliver, Routing, RoutingSetup};
use crate::task::{Task, TaskOptions};
use serde_json::{Map, Value};
use std::sync::{Arc, Mutex};

/// What a case produced.
#[derive(Debug, Clone, Default)]
pub struct Actual {
    /// Every alert JSON, in order (with `task` when the case runs several scripts).
    pub alerts: Vec<Value>,
    /// Every exec call `{argv, stdin}`, in alert order (sorted within one alert).
    pub exec: Vec<Value>,
    /// Every topic by name: `{level, collected, events}`.
    pub topics: Value,
    /// Handler failures (only real exec runs can fail).
    pub handler_failures: Vec<String>,
    /// Evaluation errors, as `task node: N × message`.
    pub eval_errors: Vec<String>,
}

/// The task options of `script`: what `tick run` uses by default.
pub fn task_options(script: &Script) -> TaskOptions {
    let mut opts = TaskOptions::new(&script.task_name);
    opts.dbrp = script.dbrp.clone();
    opts
}

/// Runs `case`; an error means the case could not run at all.
pub fn run_case(case: &CaseSpec) -> Result<Actual, String> {
    let topics = Arc::new(Mutex::new(Topics::new()));
    let recorder = Arc::new(Recorder { calls: Mutex::new(Vec::new()), real: case.run_exec.then_some(RealSpawner) });
    let mut tasks = Vec::new();
    for script in &case.scripts {
        let mut task = Task::build(script.program.clone(), &task_options(script)).map_err(|_| format!("{}: cannot build the pipeline", script.path.display()))?;
        task.pipeline.ctx.topics = topics.clone();
        tasks.push((script.task_name.clone(), task));
    }
    let routing = routing(case, recorder.clone(), topics.clone(), &tasks)?;
    let mut actual = Actual::default();
    let multi = tasks.len() > 1;
    for point in &case.points {
        for (name, task) in &mut tasks {
            task.pipeline.push(point);
            for alert in task.pipeline.drain_alerts() {
                let mut json: Value = serde_json::from_str(&alert.json).map_err(|e| format!("alert JSON does not parse: {e}"))?;
                if let (true, Some(map)) = (multi, json.as_object_mut()) {
                    map.insert("task".into(), Value::from(name.as_str()));
                }
                actual.alerts.push(json);
                if deliver(&routing.dispatcher, alert.deliveries) > 0 {
                    routing.dispatcher.wait_idle();
                    actual.exec.extend(recorder.take());
                }
            }
        }
    }
    for report in routing.dispatcher.finish() {
        actual.handler_failures.extend(report.failures.iter().map(|f| format!("handler {}: {}", report.name, f.message)));
    }
    actual.exec.extend(recorder.take());
    actual.eval_errors = tasks.iter().flat_map(|(name, t)| eval_errors(name, &t.pipeline)).collect();
    actual.topics = topic_contents(&topics);
    Ok(actual)
}

/// Exec and publish handlers of every task and handler file; log, tcp and post do not run in tests.
fn routing(case: &CaseSpec, recorder: Arc<Recorder>, topics: Arc<Mutex<Topics>>, tasks: &[(String, Task)]) -> Result<Routing, String> {
    let mut files = Vec::new();
    for file in case.handlers.iter() {
        let mut handler = FileHandler::load(file.clone(), DEFAULT_EXEC_TIMEOUT)?;
        handler.name = file.id.clone();
        files.push(handler);
    }
    let mut setup = RoutingSetup::new(recorder, topics);
    setup.accept = |action| matches!(action, HandlerAction::Exec(_) | HandlerAction::Publish { .. });
    let inline = tasks.iter().flat_map(|(_, t)| t.inline.iter());
    Routing::new(setup, inline, &files).map_err(|e| format!("cannot start the handler runtime: {e}"))
}

fn eval_errors(task: &str, pipeline: &Pipeline) -> Vec<String> {
    let stats = pipeline.stats();
    let name = |node: usize| stats.get(node).map_or("?", |s| s.name.as_str());
    pipeline.ctx.errors.entries().map(|(node, message, count)| format!("{task} {}: {count} × {message}", name(node))).collect()
}

fn topic_contents(topics: &Mutex<Topics>) -> Value {
    let topics = topics.lock().unwrap_or_else(|p| p.into_inner());
    let mut out = Map::new();
    for t in topics.topic_summary() {
        let events = t.events.iter().map(|(id, level, message)| serde_json::json!({"id": id, "level": level.as_str(), "message": message}));
        out.insert(t.name, serde_json::json!({"level": t.level.as_str(), "collected": t.collected, "events": events.collect::<Vec<_>>()}));
    }
    Value::Object(out)
}

/// Records every exec call; runs it for real only when `real` is set.
struct Recorder {
    calls: Mutex<Vec<RecordedCall>>,
    real: Option<RealSpawner>,
}

impl Recorder {
    /// The calls since the last take, as `{argv, stdin}`, sorted (handlers of one event run concurrently).
    fn take(&self) -> Vec<Value> {
        let mut calls = std::mem::take(&mut *self.calls.lock().unwrap_or_else(|p| p.into_inner()));
        calls.sort_by(|a, b| (&a.argv, &a.stdin).cmp(&(&b.argv, &b.stdin)));
        calls
            .into_iter()
            .map(|c| {
                let stdin = serde_json::from_str(&c.stdin).unwrap_or(Value::String(c.stdin));
                serde_json::json!({"argv": c.argv, "stdin": stdin})
            })
            .collect()
    }
}

impl Spawner for Recorder {
    fn run<'a>(&'a self, spec: &'a ExecSpec, stdin: Arc<str>) -> BoxFuture<'a, ExecResult> {
        self.calls.lock().unwrap_or_else(|p| p.into_inner()).push(RecordedCall { argv: spec.argv(), stdin: stdin.to_string() });
        match &self.real {
            Some(real) => real.run(spec, stdin),
            None => Box::pin(async { ExecResult { outcome: crate::handler::ExecOutcome::Ok, stdin_closed_early: false } }),
        }
    }
}
