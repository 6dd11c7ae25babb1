//! Read-only JSON API in the shape of Kapacitor's `/kapacitor/v1/tasks` and
//! `/kapacitor/v1/alerts/topics` (the fields that apply here).

use super::app::App;
use super::http::error;
use super::runner::TaskHandle;
use crate::gofmt::{duration_string, rfc3339_nano};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Value};
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

const TASKS: &str = "/kapacitor/v1/tasks";
const TOPICS: &str = "/kapacitor/v1/alerts/topics";

/// The API routes.
pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route(TASKS, get(list_tasks))
        .route(&format!("{TASKS}/{{id}}"), get(one_task))
        .route(TOPICS, get(list_topics))
        .route(&format!("{TOPICS}/{{topic}}"), get(one_topic))
        .route(&format!("{TOPICS}/{{topic}}/events"), get(topic_events))
        .route("/kapacitor/v1/debug/vars", get(debug_vars))
}

/// Kapacitor's expvar document (what `kapacitor stats general` and `kapacitor vars` read):
/// the same top-level keys but Go's `memstats`, with each task's node counters under `kapacitor`.
async fn debug_vars(State(app): State<Arc<App>>) -> Response {
    let server = &app.config.server;
    let running = app.running();
    let enabled = running.len();
    let failed = app.failed.lock().unwrap_or_else(|p| p.into_inner()).keys().filter(|k| !running.iter().any(|t| &t.name == *k)).count();
    let mut stats = serde_json::Map::new();
    for t in &running {
        for n in t.stats.nodes.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            let tags = json!({ "cluster_id": server.cluster_id, "server_id": server.server_id, "host": server.hostname, "task": t.name, "node": n.name, "type": "stream" });
            let values = json!({ "points_in": n.points_in, "points_out": n.points_out, "errors": n.errors });
            stats.insert(format!("{}:{}", t.name, n.name), json!({ "name": "nodes", "tags": tags, "values": values }));
        }
    }
    let body = json!({
        "cluster_id": server.cluster_id,
        "server_id": server.server_id,
        "host": server.hostname,
        "cmdline": std::env::args().collect::<Vec<_>>(),
        "kapacitor": stats,
        "num_tasks": running.len() + failed,
        "num_enabled_tasks": enabled,
        "num_subscriptions": 0,
        "platform": "OSS",
        "product": "kapacitor",
        "version": "1.5.7",
    });
    Json(body).into_response()
}

fn link(rel: &str, href: String) -> Value {
    json!({ "rel": rel, "href": href })
}

fn all_tasks(app: &App) -> Vec<Value> {
    let running = app.running();
    let failed = app.failed.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let mut out: Vec<(String, Value)> = running.iter().map(|t| (t.name.clone(), running_task(t))).collect();
    for (name, error) in failed.iter().filter(|(n, _)| !running.iter().any(|t| &t.name == *n)) {
        let task = json!({
            "link": link("self", format!("{TASKS}/{name}")), "id": name, "type": "stream", "dbrps": [],
            "status": "disabled", "executing": false, "error": error, "stats": {},
        });
        out.push((name.clone(), task));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, v)| v).collect()
}

fn running_task(t: &TaskHandle) -> Value {
    let nodes = t.stats.nodes.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let node_stats: serde_json::Map<String, Value> = nodes
        .iter()
        .map(|n| (n.name.clone(), json!({ "points_in": n.points_in, "points_out": n.points_out, "errors": n.errors })))
        .collect();
    let errors: Vec<Value> = t.stats.errors.lock().unwrap_or_else(|p| p.into_inner()).iter().map(|(n, m, c)| json!({ "node": n, "message": m, "count": c })).collect();
    let alerts = |i: usize| t.stats.alerts[i].load(Relaxed);
    let crash = t.crash();
    let modified = modified_ns(&t.path).unwrap_or(t.started_ns);
    let reload_error = t.reload_error.lock().unwrap_or_else(|p| p.into_inner()).clone();
    let error = crash.clone().or(reload_error).unwrap_or_default();
    json!({
        "link": link("self", format!("{TASKS}/{}", t.name)),
        "id": t.name,
        "type": "stream",
        "dbrps": t.dbrps.iter().map(|(db, rp)| json!({ "db": db, "rp": rp })).collect::<Vec<_>>(),
        "script": t.source,
        "template-id": "",
        "vars": {},
        "created": rfc3339_nano(modified),
        "modified": rfc3339_nano(modified),
        "last-enabled": rfc3339_nano(t.started_ns),
        "status": "enabled",
        "executing": crash.is_none(),
        "error": error,
        "stats": {
            "task-stats": { "points_received": t.stats.points.load(Relaxed) },
            "node-stats": node_stats,
            "alerts": { "OK": alerts(0), "INFO": alerts(1), "WARNING": alerts(2), "CRITICAL": alerts(3) },
            "eval-errors": errors,
        },
    })
}

/// A script file's modification time: a task of the load directory was defined when its file was written.
fn modified_ns(path: &std::path::Path) -> Option<i64> {
    let since = std::fs::metadata(path).ok()?.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?;
    i64::try_from(since.as_nanos()).ok()
}

async fn list_tasks(State(app): State<Arc<App>>) -> Response {
    Json(json!({ "link": link("self", TASKS.into()), "tasks": all_tasks(&app) })).into_response()
}

async fn one_task(State(app): State<Arc<App>>, Path(id): Path<String>) -> Response {
    match all_tasks(&app).into_iter().find(|t| t["id"] == id.as_str()) {
        Some(task) => Json(task).into_response(),
        None => error(StatusCode::NOT_FOUND, &format!("no task exists with id {id}")),
    }
}

fn topic_json(name: &str, level: &str, collected: u64) -> Value {
    json!({
        "link": link("self", format!("{TOPICS}/{name}")),
        "id": name,
        "level": level,
        "collected": collected,
        "events-link": link("events", format!("{TOPICS}/{name}/events")),
    })
}

async fn list_topics(State(app): State<Arc<App>>) -> Response {
    let summary = app.env.topics.lock().unwrap_or_else(|p| p.into_inner()).topic_summary();
    let topics: Vec<Value> = summary.iter().map(|t| topic_json(&t.name, t.level.as_str(), t.collected)).collect();
    Json(json!({ "link": link("self", TOPICS.into()), "topics": topics })).into_response()
}

async fn one_topic(State(app): State<Arc<App>>, Path(topic): Path<String>) -> Response {
    let summary = app.env.topics.lock().unwrap_or_else(|p| p.into_inner()).topic_summary();
    match summary.iter().find(|t| t.name == topic) {
        Some(t) => Json(topic_json(&t.name, t.level.as_str(), t.collected)).into_response(),
        None => error(StatusCode::NOT_FOUND, &format!("topic {topic:?} does not exist")),
    }
}

async fn topic_events(State(app): State<Arc<App>>, Path(topic): Path<String>) -> Response {
    let topics = app.env.topics.lock().unwrap_or_else(|p| p.into_inner());
    let mut events: Vec<Value> = topics
        .events()
        .filter(|(t, _, _)| *t == topic)
        .map(|(_, id, s)| {
            json!({
                "link": link("self", format!("{TOPICS}/{topic}/events/{id}")),
                "id": id,
                "state": { "level": s.level.as_str(), "message": s.message, "time": rfc3339_nano(s.time), "duration": duration_string(s.duration) },
            })
        })
        .collect();
    drop(topics);
    events.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    Json(json!({ "link": link("self", format!("{TOPICS}/{topic}/events")), "topic": topic, "events": events })).into_response()
}
