//! Runs one case in isolation: fresh pipelines (built exactly as `tick run`
//! builds them), fresh topics, a dispatcher whose exec calls are recorded
//! (and run only with `run_exec: true`). Point time is the only clock.

use super::{CaseSpec, Script};
use crate::alert::Topics;
use crate::handler::exec::{BoxFuture, RecordedCall, DEFAULT_EXEC_TIMEOUT};
use crate::handler::matching::MatchExpr;
use crate::handler::{
    action_for, Dispatcher, DispatcherOptions, ExecResult, ExecSpec, HandlerAction, HandlerEvent, Matcher, RealSpawner, Spawner,
};
use crate::pipeline::{build, BuildOptions, Pipeline, RunInfo};
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

/// The build options of `script`: what `tick run` uses by default.
pub fn build_options(script: &Script) -> BuildOptions {
    let info = RunInfo { task_name: script.task_name.as_str().into(), hostname: "localhost".into(), cluster_id: String::new(), server_id: String::new() };
    BuildOptions { info: Arc::new(info), dbrp: script.dbrp.clone(), exec_timeout: DEFAULT_EXEC_TIMEOUT }
}

/// Runs `case`; an error means the case could not run at all.
pub fn run_case(case: &CaseSpec) -> Result<Actual, String> {
    let topics = Arc::new(Mutex::new(Topics::new()));
    let recorder = Arc::new(Recorder { calls: Mutex::new(Vec::new()), real: case.run_exec.then_some(RealSpawner) });
    let mut dispatcher = dispatcher(recorder.clone(), topics.clone())?;
    let mut tasks = Vec::new();
    for script in &case.scripts {
        let built = build(&script.program, &build_options(script)).map_err(|_| format!("{}: cannot build the pipeline", script.path.display()))?;
        let mut pipeline = built.pipeline;
        pipeline.ctx.topics = topics.clone();
        for h in built.handlers {
            register(&mut dispatcher, h.name, h.topic.to_string(), h.action, None);
        }
        tasks.push((script.task_name.clone(), pipeline));
    }
    for file in case.handlers.iter() {
        let action = action_for(file, DEFAULT_EXEC_TIMEOUT).map_err(|e| e.to_string())?;
        let matcher = match &file.match_expr {
            Some(expr) => Some(Box::new(MatchExpr::compile(&expr.text).map_err(|_| format!("{}: bad match", file.path.display()))?) as Box<dyn Matcher>),
            None => None,
        };
        register(&mut dispatcher, file.id.clone(), file.topic.clone(), action, matcher);
    }
    let mut actual = Actual::default();
    let multi = tasks.len() > 1;
    for point in &case.points {
        for (task, pipeline) in &mut tasks {
            pipeline.push(point);
            for alert in pipeline.drain_alerts() {
                let mut json: Value = serde_json::from_str(&alert.json).map_err(|e| format!("alert JSON does not parse: {e}"))?;
                if let (true, Some(map)) = (multi, json.as_object_mut()) {
                    map.insert("task".into(), Value::from(task.as_str()));
                }
                actual.alerts.push(json);
                if deliver(&dispatcher, alert.deliveries) {
                    dispatcher.wait_idle();
                    actual.exec.extend(recorder.take());
                }
            }
        }
    }
    for report in dispatcher.finish() {
        actual.handler_failures.extend(report.failures.iter().map(|f| format!("handler {}: {}", report.name, f.message)));
    }
    actual.exec.extend(recorder.take());
    actual.eval_errors = tasks.iter().flat_map(|(task, p)| eval_errors(task, p)).collect();
    actual.topics = topic_contents(&topics);
    Ok(actual)
}

fn dispatcher(recorder: Arc<Recorder>, topics: Arc<Mutex<Topics>>) -> Result<Dispatcher, String> {
    let mut options = DispatcherOptions::new(recorder);
    options.republisher = Some(Arc::new(move |topic: &str, event: &HandlerEvent| crate::cli::run::topics::republish(&topics, topic, event)));
    Dispatcher::new(options).map_err(|e| format!("cannot start the handler runtime: {e}"))
}

/// Registers exec and publish handlers; log, tcp and post do not run in tests.
fn register(dispatcher: &mut Dispatcher, name: String, topic: String, action: HandlerAction, matcher: Option<Box<dyn Matcher>>) {
    if matches!(action, HandlerAction::Exec(_) | HandlerAction::Publish { .. }) {
        dispatcher.register(name, topic, action, matcher);
    }
}

/// Queues every delivery that has handlers; true if any was queued.
fn deliver(dispatcher: &Dispatcher, deliveries: Vec<HandlerEvent>) -> bool {
    let mut any = false;
    for event in deliveries {
        if dispatcher.has_handlers(&event.topic) {
            let topic = event.topic.clone();
            any |= dispatcher.deliver(&topic, Arc::new(event)) > 0;
        }
    }
    any
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
