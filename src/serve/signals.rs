//! Signals: SIGHUP reloads; SIGTERM and SIGINT start the graceful shutdown.

use super::app::App;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use tokio::signal::unix::{signal, SignalKind};

/// Reloads on every SIGHUP, for as long as the server runs.
pub fn spawn_reloader(app: Arc<App>) -> std::io::Result<()> {
    let mut hangups = signal(SignalKind::hangup())?;
    tokio::spawn(async move {
        while hangups.recv().await.is_some() {
            tracing::info!(target: "tick::serve", "SIGHUP: reloading scripts and handler files");
            app.metrics.reloads.fetch_add(1, Relaxed);
            match app.reload().await {
                Ok(r) => tracing::info!(target: "tick::serve", started = ?r.started, restarted = ?r.restarted, stopped = ?r.stopped, failed = ?r.failed.keys().collect::<Vec<_>>(), "reloaded"),
                Err(e) => tracing::error!(target: "tick::serve", "reload failed: {e}"),
            }
        }
    });
    Ok(())
}

/// Resolves at the first SIGTERM or SIGINT.
pub async fn terminated() {
    let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else {
        std::future::pending::<()>().await;
        return;
    };
    tokio::select! {
        _ = term.recv() => tracing::info!(target: "tick::serve", "SIGTERM: draining"),
        _ = int.recv() => tracing::info!(target: "tick::serve", "SIGINT: draining"),
    }
}
