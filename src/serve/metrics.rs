//! `GET /metrics`: Prometheus text format (version 0.0.4).

use super::app::App;
use super::handlers::{depth, Handlers};
use super::process;
use crate::alert::Level;
use crate::handler::{HandlerReport, HandlerStats};
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// Counters of the HTTP side.
#[derive(Default)]
pub struct Metrics {
    /// Points accepted by write endpoints.
    pub points_received: AtomicU64,
    /// Write requests by outcome: 204, 400, 401, 413, 503, other.
    pub writes: [AtomicU64; 6],
    /// Decompressed body bytes received by write endpoints.
    pub bytes_received: AtomicU64,
    /// Reloads done, and reloads that found a script failing check.
    pub reloads: AtomicU64,
    /// Writes refused because the alert state could not be saved.
    pub store_refusals: AtomicU64,
    /// Requests refused for missing or wrong credentials.
    pub auth_failures: AtomicU64,
    /// Request durations by route.
    pub requests: Mutex<BTreeMap<(String, &'static str), Arc<Histogram>>>,
    /// Connections open now.
    pub connections_open: AtomicU64,
    /// Connections accepted since the start.
    pub connections_total: AtomicU64,
    /// Connections answered 503 and closed at the connection limit.
    pub connections_rejected: AtomicU64,
    /// Connections closed for a slow header, a slow body or idleness: `[header, body, idle]`.
    pub timeouts: [AtomicU64; 3],
    /// Final counters of the handlers of retired dispatchers (a reload), by handler and topic.
    pub retired: Mutex<BTreeMap<(String, String), HandlerStats>>,
}

/// Slot of [`Metrics::timeouts`].
#[derive(Debug, Clone, Copy)]
pub enum Timeout {
    /// The request header did not arrive within `read-header-timeout`.
    Header = 0,
    /// The body was slower than `min-body-rate` / `body-read-timeout`.
    Body = 1,
    /// An idle keep-alive connection passed `idle-timeout`.
    Idle = 2,
}

/// Upper bounds (seconds) of the request duration buckets.
const BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 2.5, 10.0];

/// A Prometheus histogram of durations.
#[derive(Default)]
pub struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    sum_ns: AtomicU64,
}

impl Histogram {
    /// Counts one observation of `seconds`.
    pub fn observe(&self, seconds: f64) {
        if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
            self.buckets[i].fetch_add(1, Relaxed);
        }
        self.count.fetch_add(1, Relaxed);
        self.sum_ns.fetch_add((seconds * 1e9) as u64, Relaxed);
    }
}

/// Middleware timing every request into `tick_http_request_duration_seconds{route,method}`.
pub async fn timed(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let route = request.extensions().get::<MatchedPath>().map_or_else(|| "other".to_string(), |m| m.as_str().to_string());
    let method = method_label(request.method());
    let start = Instant::now();
    let response = next.run(request).await;
    let histogram = app.metrics.requests.lock().unwrap_or_else(|p| p.into_inner()).entry((route, method)).or_default().clone();
    histogram.observe(start.elapsed().as_secs_f64());
    response
}

fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    [Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::PATCH, Method::DELETE, Method::OPTIONS]
        .iter()
        .zip(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"])
        .find(|(m, _)| *m == method)
        .map_or("other", |(_, n)| n)
}

const WRITE_CODES: [&str; 6] = ["204", "400", "401", "413", "503", "500"];

impl Metrics {
    /// Counts a write answered with `status`.
    pub fn write_done(&self, status: u16) {
        let slot = WRITE_CODES.iter().position(|c| *c == status.to_string()).unwrap_or(5);
        self.writes[slot].fetch_add(1, Relaxed);
    }

    /// Counts a connection closed by a timeout.
    pub fn timed_out(&self, which: Timeout) {
        self.timeouts[which as usize].fetch_add(1, Relaxed);
    }

    /// Keeps the final counters of a drained dispatcher, so a reload does not reset them.
    pub fn retire_handlers(&self, reports: &[HandlerReport]) {
        let mut retired = self.retired.lock().unwrap_or_else(|p| p.into_inner());
        for r in reports {
            let total = retired.entry((r.name.clone(), r.topic.clone())).or_default();
            add_stats(total, &r.stats);
        }
    }
}

fn add_stats(total: &mut HandlerStats, s: &HandlerStats) {
    total.queued += s.queued;
    total.blocked += s.blocked;
    total.queued_max = total.queued_max.max(s.queued_max);
    total.runs += s.runs;
    total.failures += s.failures;
    total.timeouts += s.timeouts;
    total.stdin_closed += s.stdin_closed;
    total.unmatched += s.unmatched;
    total.match_errors += s.match_errors;
}

/// The whole exposition.
pub fn render(app: &App, handlers: &Handlers) -> String {
    let mut out = String::new();
    let m = &app.metrics;
    family(&mut out, "tick_points_received_total", "counter", "Points accepted by the write endpoints.");
    sample(&mut out, "tick_points_received_total", &[], m.points_received.load(Relaxed));
    family(&mut out, "tick_write_bytes_total", "counter", "Write body bytes received (after decompression).");
    sample(&mut out, "tick_write_bytes_total", &[], m.bytes_received.load(Relaxed));
    family(&mut out, "tick_write_requests_total", "counter", "Write requests by HTTP status.");
    for (code, n) in WRITE_CODES.iter().zip(&m.writes) {
        sample(&mut out, "tick_write_requests_total", &[("status", code)], n.load(Relaxed));
    }
    family(&mut out, "tick_reloads_total", "counter", "Reloads of scripts and handler files.");
    sample(&mut out, "tick_reloads_total", &[], m.reloads.load(Relaxed));
    family(&mut out, "tick_auth_failures_total", "counter", "Requests refused with 401 (missing or wrong credentials).");
    sample(&mut out, "tick_auth_failures_total", &[], m.auth_failures.load(Relaxed));
    state(&mut out, app);
    connections(&mut out, m);
    request_durations(&mut out, m);
    tasks(&mut out, app);
    handler_metrics(&mut out, handlers, m);
    process::render(&mut out);
    out
}

fn state(out: &mut String, app: &App) {
    let store = &app.env.store;
    family(out, "tick_state_damaged_records_total", "counter", "Damaged records of alerts.json / alerts.wal skipped at start.");
    sample(out, "tick_state_damaged_records_total", &[], store.damaged);
    family(out, "tick_state_append_failures_total", "counter", "Failed appends to alerts.wal (disk full, I/O errors).");
    sample(out, "tick_state_append_failures_total", &[], store.append_failures.load(Relaxed));
    family(out, "tick_state_refused_writes_total", "counter", "Writes refused (507/500) while the alert state could not be saved.");
    sample(out, "tick_state_refused_writes_total", &[], app.metrics.store_refusals.load(Relaxed));
}

fn connections(out: &mut String, m: &Metrics) {
    family(out, "tick_http_connections", "gauge", "HTTP connections open.");
    sample(out, "tick_http_connections", &[], m.connections_open.load(Relaxed));
    family(out, "tick_http_connections_total", "counter", "HTTP connections accepted.");
    sample(out, "tick_http_connections_total", &[], m.connections_total.load(Relaxed));
    family(out, "tick_http_connections_rejected_total", "counter", "Connections answered 503 at max-connections.");
    sample(out, "tick_http_connections_rejected_total", &[], m.connections_rejected.load(Relaxed));
    family(out, "tick_http_timeouts_total", "counter", "Connections closed by a read timeout or idleness.");
    for (kind, n) in ["header", "body", "idle"].iter().zip(&m.timeouts) {
        sample(out, "tick_http_timeouts_total", &[("kind", kind)], n.load(Relaxed));
    }
}

fn request_durations(out: &mut String, m: &Metrics) {
    let name = "tick_http_request_duration_seconds";
    family(out, name, "histogram", "HTTP request durations by route and method, in seconds.");
    let requests = m.requests.lock().unwrap_or_else(|p| p.into_inner()).clone();
    for ((route, method), h) in &requests {
        let mut cumulative = 0;
        for (bound, n) in BUCKETS.iter().zip(&h.buckets) {
            cumulative += n.load(Relaxed);
            sample(out, &format!("{name}_bucket"), &[("route", route), ("method", method), ("le", &bound.to_string())], cumulative);
        }
        let count = h.count.load(Relaxed);
        sample(out, &format!("{name}_bucket"), &[("route", route), ("method", method), ("le", "+Inf")], count);
        let sum = h.sum_ns.load(Relaxed) as f64 / 1e9;
        let _ = writeln!(out, "{name}_sum{{route=\"{route}\",method=\"{method}\"}} {sum}");
        sample(out, &format!("{name}_count"), &[("route", route), ("method", method)], count);
    }
}

fn tasks(out: &mut String, app: &App) {
    let running = app.running();
    let failed = app.failed.lock().unwrap_or_else(|p| p.into_inner()).keys().filter(|k| !running.iter().any(|t| &t.name == *k)).count();
    family(out, "tick_tasks", "gauge", "Tasks by status.");
    sample(out, "tick_tasks", &[("status", "running")], running.len() as u64);
    sample(out, "tick_tasks", &[("status", "failed")], failed as u64);
    let errored = running.iter().filter(|t| t.crash().is_some()).count();
    sample(out, "tick_tasks", &[("status", "errored")], errored as u64);
    family(out, "tick_task_points_total", "counter", "Points received by each task.");
    for t in &running {
        sample(out, "tick_task_points_total", &[("task", &t.name)], t.stats.points.load(Relaxed));
    }
    family(out, "tick_alerts_total", "counter", "Alert events by task and level.");
    for t in &running {
        for level in [Level::Ok, Level::Info, Level::Warning, Level::Critical] {
            let n = t.stats.alerts[level as usize].load(Relaxed);
            sample(out, "tick_alerts_total", &[("task", &t.name), ("level", level.as_str())], n);
        }
    }
    let nodes: Vec<_> = running.iter().map(|t| (t.name.as_str(), t.stats.nodes.lock().unwrap_or_else(|p| p.into_inner()).clone())).collect();
    for (name, help, pick) in NODE_COUNTERS {
        family(out, name, "counter", help);
        for (task, stats) in &nodes {
            for s in stats {
                sample(out, name, &[("task", task), ("node", &s.name)], pick(s));
            }
        }
    }
}

type Pick = fn(&crate::pipeline::NodeStats) -> u64;
const NODE_COUNTERS: [(&str, &str, Pick); 3] = [
    ("tick_node_points_in_total", "Points into each node.", |s| s.points_in),
    ("tick_node_points_out_total", "Points out of each node.", |s| s.points_out),
    ("tick_node_eval_errors_total", "Expression evaluation errors of each node.", |s| s.errors),
];

type HandlerPick = fn(&crate::handler::HandlerStats) -> u64;

/// Live counters plus those of retired dispatchers, so counters never go back at a reload
/// (a drained dispatcher's queues were empty, so the summed depth stays right).
fn handler_metrics(out: &mut String, handlers: &Handlers, m: &Metrics) {
    let mut totals = m.retired.lock().unwrap_or_else(|p| p.into_inner()).clone();
    for (name, topic, s) in handlers.stats() {
        add_stats(totals.entry((name.to_string(), topic.to_string())).or_default(), &s);
    }
    let stats: Vec<(&str, &str, &HandlerStats)> = totals.iter().map(|((n, t), s)| (n.as_str(), t.as_str(), s)).collect();
    let families: [(&str, &str, &str, HandlerPick); 5] = [
        ("tick_handler_runs_total", "counter", "Handler actions run.", |s| s.runs),
        ("tick_handler_failures_total", "counter", "Handler actions that failed (timeouts included).", |s| s.failures),
        ("tick_handler_timeouts_total", "counter", "Exec programs killed at the timeout.", |s| s.timeouts),
        ("tick_handler_blocked_total", "counter", "Times an event waited for a full handler queue.", |s| s.blocked),
        ("tick_handler_queue_depth", "gauge", "Events queued and not yet handled.", depth),
    ];
    for (name, kind, help, pick) in families {
        family(out, name, kind, help);
        for (handler, topic, s) in &stats {
            sample(out, name, &[("handler", handler), ("topic", topic)], pick(s));
        }
    }
}

fn family(out: &mut String, name: &str, kind: &str, help: &str) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
}

fn sample(out: &mut String, name: &str, labels: &[(&str, &str)], value: u64) {
    out.push_str(name);
    if !labels.is_empty() {
        out.push('{');
        for (i, (k, v)) in labels.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            let v = v.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n");
            let _ = write!(out, "{k}=\"{v}\"");
        }
        out.push('}');
    }
    let _ = writeln!(out, " {value}");
}
