//! Running one exec-handler program for one event: no shell, the alert JSON
//! on stdin, a timeout that kills the whole process group, and a stderr tail
//! for the report.
//!
//! [`Spawner`] is the seam: [`RealSpawner`] starts processes with tokio,
//! [`RecordingSpawner`] only records argv and stdin (for tests of the queue
//! and of the pipeline above it).

use std::future::Future;
use std::io::ErrorKind;
use std::pin::Pin;
use std::process::{ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, ChildStdin, Command};

/// Default time a program may run before its process group is killed.
pub const DEFAULT_EXEC_TIMEOUT: Duration = Duration::from_secs(30);

/// At most this many bytes of stderr are kept for a report.
const TAIL_BYTES: usize = 2048;
/// At most this many lines of stderr are kept for a report.
const TAIL_LINES: usize = 10;
/// How long to wait for stderr to reach EOF after the program exited (a
/// background grandchild may keep the pipe open).
const PIPE_GRACE: Duration = Duration::from_millis(200);

/// What to run: the program, its arguments (no shell) and the time limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecSpec {
    /// The program: looked up on `PATH` unless it contains a `/`.
    pub prog: String,
    /// Arguments, passed exactly as given.
    pub args: Vec<String>,
    /// The process group is killed when the program runs longer than this.
    pub timeout: Duration,
}

impl ExecSpec {
    /// A spec with the default 30 s timeout.
    pub fn new(prog: impl Into<String>, args: Vec<String>) -> Self {
        ExecSpec { prog: prog.into(), args, timeout: DEFAULT_EXEC_TIMEOUT }
    }

    /// `prog` followed by `args`: what a human would type.
    pub fn argv(&self) -> Vec<String> {
        std::iter::once(self.prog.clone()).chain(self.args.iter().cloned()).collect()
    }
}

/// How one run ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExecOutcome {
    /// Exit status 0.
    Ok,
    /// Non-zero exit (`code`) or death by a signal (`signal`).
    ExitFailure {
        /// The exit code, if the program exited.
        code: Option<i32>,
        /// The signal that ended it, if any.
        signal: Option<i32>,
        /// The last lines of its stderr (stdout when stderr was empty).
        stderr_tail: String,
    },
    /// The program could not be started (not found, not executable, ...).
    SpawnFailed {
        /// Why, in words, naming the program.
        message: String,
    },
    /// It ran longer than the timeout; its whole process group was killed.
    TimedOut {
        /// The last lines of its stderr before it was killed.
        stderr_tail: String,
    },
}

impl ExecOutcome {
    /// True for [`ExecOutcome::Ok`].
    pub fn is_ok(&self) -> bool {
        matches!(self, ExecOutcome::Ok)
    }
}

/// The outcome plus facts that are counted but are not failures.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecResult {
    /// How the run ended.
    pub outcome: ExecOutcome,
    /// The program closed stdin before reading all of the JSON (EPIPE).
    pub stdin_closed_early: bool,
}

impl ExecResult {
    fn of(outcome: ExecOutcome) -> Self {
        ExecResult { outcome, stdin_closed_early: false }
    }
}

/// A boxed future, as returned by [`Spawner::run`].
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Runs one program for one event.
pub trait Spawner: Send + Sync + 'static {
    /// Runs `spec` with `stdin` as its whole standard input.
    fn run<'a>(&'a self, spec: &'a ExecSpec, stdin: Arc<str>) -> BoxFuture<'a, ExecResult>;
}

/// Starts real processes with tokio.
#[derive(Debug, Default, Clone, Copy)]
pub struct RealSpawner;

impl Spawner for RealSpawner {
    fn run<'a>(&'a self, spec: &'a ExecSpec, stdin: Arc<str>) -> BoxFuture<'a, ExecResult> {
        Box::pin(run_process(spec, stdin))
    }
}

async fn run_process(spec: &ExecSpec, stdin: Arc<str>) -> ExecResult {
    let mut child = match spawn(spec) {
        Ok(child) => child,
        Err(e) => return ExecResult::of(ExecOutcome::SpawnFailed { message: spawn_error(spec, &e) }),
    };
    let pgid = child.id();
    let stdin_pipe = child.stdin.take();
    let stderr_task = child.stderr.take().map(|r| tokio::spawn(read_tail(r)));
    let stdout_task = child.stdout.take().map(|r| tokio::spawn(read_tail(r)));
    let waited = tokio::time::timeout(spec.timeout, async {
        tokio::join!(write_stdin(stdin_pipe, &stdin), child.wait())
    })
    .await;
    let (stdin_closed_early, status) = match waited {
        Ok((closed, status)) => (closed, Some(status)),
        Err(_elapsed) => {
            kill_group(pgid, &mut child).await;
            (false, None)
        }
    };
    let tail = collect_tail(stderr_task, stdout_task).await;
    let outcome = match status {
        None => ExecOutcome::TimedOut { stderr_tail: tail },
        Some(Ok(status)) => exit_outcome(status, tail),
        Some(Err(e)) => ExecOutcome::SpawnFailed { message: format!("waiting for {}: {e}", spec.prog) },
    };
    ExecResult { outcome, stdin_closed_early }
}

fn spawn(spec: &ExecSpec) -> std::io::Result<Child> {
    Command::new(&spec.prog)
        .args(&spec.args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .process_group(0)
        .spawn()
}

fn spawn_error(spec: &ExecSpec, e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::NotFound if spec.prog.contains('/') => format!("program {:?} does not exist", spec.prog),
        ErrorKind::NotFound => format!("program {:?} not found on PATH", spec.prog),
        ErrorKind::PermissionDenied => format!("program {:?} is not executable (permission denied)", spec.prog),
        _ => format!("cannot start {:?}: {e}", spec.prog),
    }
}

/// Writes the payload and closes stdin; returns true when the program had
/// already closed its end (EPIPE), which is counted but is not an error.
async fn write_stdin(pipe: Option<ChildStdin>, payload: &str) -> bool {
    let Some(mut pipe) = pipe else { return false };
    let closed = match pipe.write_all(payload.as_bytes()).await {
        Ok(()) => pipe.flush().await.is_err(),
        Err(_) => true,
    };
    drop(pipe);
    closed
}

/// SIGKILL to the whole group (the program and anything it started), then reap.
async fn kill_group(pgid: Option<u32>, child: &mut Child) {
    use nix::sys::signal::{killpg, Signal};
    use nix::unistd::Pid;
    if let Some(pgid) = pgid.and_then(|p| i32::try_from(p).ok()) {
        let _ = killpg(Pid::from_raw(pgid), Signal::SIGKILL);
    }
    let _ = child.start_kill();
    let _ = child.wait().await;
}

fn exit_outcome(status: ExitStatus, stderr_tail: String) -> ExecOutcome {
    use std::os::unix::process::ExitStatusExt;
    if status.success() {
        return ExecOutcome::Ok;
    }
    ExecOutcome::ExitFailure { code: status.code(), signal: status.signal(), stderr_tail }
}

/// Reads a pipe to EOF, keeping only its last bytes.
async fn read_tail<R: AsyncRead + Unpin>(mut reader: R) -> Vec<u8> {
    let mut kept = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n @ 1..) = reader.read(&mut chunk).await {
        kept.extend_from_slice(&chunk[..n]);
        if kept.len() > 2 * TAIL_BYTES {
            kept.drain(..kept.len() - TAIL_BYTES);
        }
    }
    kept
}

type TailTask = Option<tokio::task::JoinHandle<Vec<u8>>>;

async fn collect_tail(stderr: TailTask, stdout: TailTask) -> String {
    let err = finish_reader(stderr).await;
    if !err.trim().is_empty() {
        return err;
    }
    finish_reader(stdout).await
}

async fn finish_reader(task: TailTask) -> String {
    let Some(mut task) = task else { return String::new() };
    match tokio::time::timeout(PIPE_GRACE, &mut task).await {
        Ok(Ok(bytes)) => tail_text(&bytes),
        _ => {
            task.abort();
            String::new()
        }
    }
}

/// The last [`TAIL_LINES`] lines and at most [`TAIL_BYTES`] bytes of `bytes`,
/// as lossy UTF-8 without the trailing newline.
pub fn tail_text(bytes: &[u8]) -> String {
    let start = bytes.len().saturating_sub(TAIL_BYTES);
    let text = String::from_utf8_lossy(&bytes[start..]);
    let text = text.trim_end_matches(['\n', '\r']);
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n")
}

/// One call seen by a [`RecordingSpawner`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedCall {
    /// `prog` followed by the args.
    pub argv: Vec<String>,
    /// The exact stdin payload.
    pub stdin: String,
}

/// A fake spawner for tests: records every call, optionally sleeps, and
/// returns a fixed outcome.
#[derive(Debug)]
pub struct RecordingSpawner {
    calls: Mutex<Vec<RecordedCall>>,
    delay: Duration,
    outcome: ExecOutcome,
}

impl Default for RecordingSpawner {
    fn default() -> Self {
        RecordingSpawner::new(Duration::ZERO, ExecOutcome::Ok)
    }
}

impl RecordingSpawner {
    /// A spawner that takes `delay` per call and always returns `outcome`.
    pub fn new(delay: Duration, outcome: ExecOutcome) -> Self {
        RecordingSpawner { calls: Mutex::new(Vec::new()), delay, outcome }
    }

    /// Every call so far, in the order they started.
    pub fn calls(&self) -> Vec<RecordedCall> {
        self.calls.lock().map(|c| c.clone()).unwrap_or_default()
    }
}

impl Spawner for RecordingSpawner {
    fn run<'a>(&'a self, spec: &'a ExecSpec, stdin: Arc<str>) -> BoxFuture<'a, ExecResult> {
        if let Ok(mut calls) = self.calls.lock() {
            calls.push(RecordedCall { argv: spec.argv(), stdin: stdin.to_string() });
        }
        Box::pin(async move {
            if !self.delay.is_zero() {
                tokio::time::sleep(self.delay).await;
            }
            ExecResult::of(self.outcome.clone())
        })
    }
}
