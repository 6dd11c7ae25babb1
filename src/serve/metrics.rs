//! `GET /metrics`: Prometheus text format (version 0.0.4).

use super::app::App;
use super::handlers::{depth, Handlers};
use crate::alert::Level;
use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

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
}

const WRITE_CODES: [&str; 6] = ["204", "400", "401", "413", "503", "500"];

impl Metrics {
    /// Counts a write answered with `status`.
    pub fn write_done(&self, status: u16) {
        let slot = WRITE_CODES.iter().position(|c| *c == status.to_string()).unwrap_or(5);
        self.writes[slot].fetch_add(1, Relaxed);
    }
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
    tasks(&mut out, app);
    handler_metrics(&mut out, handlers);
    out
}

fn tasks(out: &mut String, app: &App) {
    let running = app.running();
    let failed = app.failed.lock().unwrap_or_else(|p| p.into_inner()).keys().filter(|k| !running.iter().any(|t| &t.name == *k)).count();
    family(out, "tick_tasks", "gauge", "Tasks by status.");
    sample(out, "tick_tasks", &[("status", "running")], running.len() as u64);
    sample(out, "tick_tasks", &[("status", "failed")], failed as u64);
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

fn handler_metrics(out: &mut String, handlers: &Handlers) {
    let stats = handlers.stats();
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
