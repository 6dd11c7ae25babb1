//! What a handler does with one event: [`HandlerAction`] and its execution.

use super::dispatch::Shared;
use super::exec::{ExecOutcome, ExecSpec};
use super::queue::FailureKind;
use super::{log, post, tcp, HandlerEvent};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Default limit for one tcp connection or HTTP POST (Kapacitor 1.5.7 has none).
pub const DEFAULT_IO_TIMEOUT: Duration = Duration::from_secs(30);

/// The runnable part of a handler.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HandlerAction {
    /// Run a program with the JSON on stdin.
    Exec(ExecSpec),
    /// Append the JSON to a file created with `mode`.
    Log {
        /// Absolute path of the file.
        path: PathBuf,
        /// Permission bits for a new file (0600 by default).
        mode: u32,
    },
    /// Send the JSON plus a blank line over a fresh TCP connection.
    Tcp {
        /// `host:port`.
        addr: String,
    },
    /// POST the JSON as `application/json`.
    Post {
        /// An `http://` or `https://` URL.
        url: String,
        /// Extra request headers.
        headers: Vec<(String, String)>,
        /// Limit for connect, write and response.
        timeout: Duration,
    },
    /// Re-collect the event into other topics.
    Publish {
        /// The topics to publish into.
        topics: Vec<String>,
    },
}

/// What one action run produced, for the stats.
#[derive(Debug, Default)]
pub(crate) struct ActionResult {
    /// `None` on success, else what went wrong.
    pub failure: Option<(FailureKind, String)>,
    /// The exec program closed stdin without reading everything.
    pub stdin_closed_early: bool,
}

impl ActionResult {
    fn from_io(result: Result<(), String>) -> Self {
        ActionResult { failure: result.err().map(|m| (FailureKind::Io, m)), stdin_closed_early: false }
    }
}

impl HandlerAction {
    /// Runs the action for one event (blocking I/O goes to the blocking pool).
    pub(crate) async fn perform(&self, event: &Arc<HandlerEvent>, shared: &Shared) -> ActionResult {
        match self {
            HandlerAction::Exec(spec) => run_exec(spec, event, shared).await,
            HandlerAction::Log { path, mode } => {
                let (path, mode, json) = (path.clone(), *mode, event.json.clone());
                blocking(move || log::append_event(&path, mode, &json)).await
            }
            HandlerAction::Tcp { addr } => {
                let (addr, json) = (addr.clone(), event.json.clone());
                blocking(move || tcp::send_event(&addr, &json, DEFAULT_IO_TIMEOUT)).await
            }
            HandlerAction::Post { url, headers, timeout } => {
                ActionResult::from_io(post::post_event(shared.http.as_ref(), url, headers, &event.json, *timeout).await)
            }
            HandlerAction::Publish { topics } => {
                for topic in topics {
                    shared.publish(topic, event).await;
                }
                ActionResult::default()
            }
        }
    }
}

async fn blocking<F>(work: F) -> ActionResult
where
    F: FnOnce() -> Result<(), String> + Send + 'static,
{
    let result = tokio::task::spawn_blocking(work)
        .await
        .unwrap_or_else(|e| Err(format!("handler task failed: {e}")));
    ActionResult::from_io(result)
}

async fn run_exec(spec: &ExecSpec, event: &HandlerEvent, shared: &Shared) -> ActionResult {
    let result = shared.spawner.run(spec, event.json.clone()).await;
    let command = spec.argv().join(" ");
    let failure = match result.outcome {
        ExecOutcome::Ok => None,
        ExecOutcome::ExitFailure { code, signal, stderr_tail } => {
            let status = match (code, signal) {
                (Some(code), _) => format!("exit status {code}"),
                (None, Some(sig)) => format!("killed by signal {sig}"),
                (None, None) => "failed".to_string(),
            };
            Some((FailureKind::Exit, with_tail(format!("exec {command}: {status}"), &stderr_tail)))
        }
        ExecOutcome::SpawnFailed { message } => Some((FailureKind::SpawnFailed, format!("exec {command}: {message}"))),
        ExecOutcome::TimedOut { stderr_tail } => {
            let head = format!("exec {command}: timed out after {:?}; its process group was killed", spec.timeout);
            Some((FailureKind::TimedOut, with_tail(head, &stderr_tail)))
        }
    };
    ActionResult { failure, stdin_closed_early: result.stdin_closed_early }
}

fn with_tail(head: String, tail: &str) -> String {
    if tail.is_empty() {
        head
    } else {
        format!("{head}\nstderr:\n{tail}")
    }
}
