//! `tick serve`: a long-running alert server that InfluxDB (subscriptions),
//! Telegraf and Kapacitor clients write to, with alert state that survives restarts.
//!
//! Flow: HTTP write → [`body`] (memory or spool) → [`ingest`] (parse all,
//! all or nothing) → per-task bounded channel → [`runner`] thread (pipeline,
//! persist events, deliver to handler queues). [`app`] holds the shared state
//! and reload; [`state`] the write-ahead log and snapshot.

pub mod api;
pub mod app;
pub mod auth;
pub mod batch;
pub mod body;
pub mod clock;
pub mod config;
pub mod conn;
pub mod handlers;
pub mod http;
pub mod ingest;
pub mod metrics;
pub mod process;
pub mod runner;
pub mod signals;
pub mod state;
pub mod tasks;

pub use app::App;
pub use config::Config;

use std::io::Write;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Exit code of a clean shutdown.
const EXIT_OK: u8 = 0;
/// Exit code when handler queues did not drain before the deadline.
const EXIT_UNDRAINED: u8 = 1;
/// Exit code of a startup failure (bad config, unusable directory or address).
const EXIT_START: u8 = 2;

/// Runs the server until SIGTERM/SIGINT; returns the process exit code.
pub fn run(config: Config) -> u8 {
    init_logging(&config.log_level);
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return EXIT_START;
        }
    };
    runtime.block_on(serve(config))
}

async fn serve(config: Config) -> u8 {
    let (shutdown_timeout, limits) = match config.shutdown_timeout().and_then(|t| Ok((t, config.limits()?))) {
        Ok(settings) => settings,
        Err(e) => return start_error(&e),
    };
    let listener = match tokio::net::TcpListener::bind(&config.bind).await {
        Ok(l) => l,
        Err(e) => return start_error(&format!("cannot listen on {}: {e}", config.bind)),
    };
    let (app, report) = match App::start(config).await {
        Ok(started) => started,
        Err(e) => return start_error(&e),
    };
    if let Err(e) = signals::spawn_reloader(app.clone()) {
        return start_error(&format!("cannot watch SIGHUP: {e}"));
    }
    let addr = listener.local_addr().map(|a| a.to_string()).unwrap_or_default();
    let running: Vec<String> = app.running().iter().map(|t| t.name.clone()).collect();
    tracing::info!(target: "tick::serve", %addr, tasks = ?running, failed = ?report.failed.keys().collect::<Vec<_>>(), "listening");
    println!("tick serve: listening on {addr}");
    let _ = std::io::stdout().flush();
    let router = http::router(app.clone());
    let deadline = conn::serve(listener, router, app.clone(), limits, signals::terminated(), shutdown_timeout).await;
    drain(&app, deadline).await
}

/// Stops every task after its queued batches, then waits for the handler
/// queues until the deadline (shared with closing connections); saves a
/// snapshot of the alert state.
async fn drain(app: &Arc<App>, deadline: Instant) -> u8 {
    let tasks = app.running();
    let _ = tokio::task::spawn_blocking(move || tasks.iter().for_each(|t| t.stop_blocking())).await;
    let mut code = EXIT_OK;
    loop {
        let pending = app.env.handlers.read().await.pending();
        if pending == 0 {
            break;
        }
        if Instant::now() >= deadline {
            tracing::error!(target: "tick::serve", pending, "shutdown deadline passed: {pending} alert events were not handled");
            code = EXIT_UNDRAINED;
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    if code == EXIT_OK {
        let empty = handlers::Handlers::new(tokio::runtime::Handle::current(), 1, std::iter::empty(), &[], app.env.topics.clone(), app.env.store.clone());
        let previous = std::mem::replace(&mut *app.env.handlers.write().await, empty);
        let remaining = deadline.saturating_duration_since(Instant::now()).max(Duration::from_millis(100));
        match tokio::time::timeout(remaining, previous.dispatcher.finish_async()).await {
            Ok(reports) => app.metrics.retire_handlers(&reports),
            Err(_) => code = EXIT_UNDRAINED,
        }
    }
    if let Err(e) = app.env.store.snapshot(&app.env.topics) {
        tracing::error!(target: "tick::state", "cannot save the alert state: {e}");
    }
    tracing::info!(target: "tick::serve", "stopped");
    code
}

fn start_error(message: &str) -> u8 {
    tracing::error!(target: "tick::serve", "{message}");
    eprintln!("error: {message}");
    EXIT_START
}

fn init_logging(level: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(level));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(false).try_init();
}
