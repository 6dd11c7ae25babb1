//! The task runtime: how a script becomes a running task, the same way for
//! `tick run`, `tick test` and `tick serve` (they differ only in their clock,
//! their input and where results go).
//!
//! - [`Task`]: the checked program and its pipeline with its inline handlers;
//! - [`handler_files`]: topic-handler files loaded, `match` compiled, once;
//! - [`routing`]: a dispatcher with every handler registered, and publish
//!   handlers re-collecting events into their target topic ([`topics`]);
//! - [`local`]: the point loop of `tick run` (line protocol in, events out,
//!   stop on a signal), and [`input`]: inputs a signal can interrupt.

pub mod handler_files;
pub mod input;
pub mod local;
pub mod routing;
pub mod topics;

use crate::check::{check_source, CheckOptions};
use crate::diagnostic::Diag;
use crate::handler::exec::DEFAULT_EXEC_TIMEOUT;
use crate::pipeline::{build, BuildOptions, InlineHandler, Pipeline, RunInfo};
use crate::program::Program;
use std::sync::Arc;
use std::time::Duration;

/// What shapes a task besides its script: run facts, input dbrp, exec timeout.
#[derive(Debug, Clone)]
pub struct TaskOptions {
    /// TaskName and ServerInfo in alert data.
    pub info: RunInfo,
    /// The database and retention policy the input belongs to, when known.
    pub dbrp: Option<(String, String)>,
    /// Timeout of every exec handler.
    pub exec_timeout: Duration,
}

impl TaskOptions {
    /// Options with `tick run`'s defaults: hostname `localhost`, empty IDs, 30 s exec timeout.
    pub fn new(task_name: &str) -> TaskOptions {
        let info = RunInfo { task_name: task_name.into(), hostname: "localhost".into(), cluster_id: String::new(), server_id: String::new() };
        TaskOptions { info, dbrp: None, exec_timeout: DEFAULT_EXEC_TIMEOUT }
    }
}

/// A task ready to run: its checked plan, its pipeline, its inline handlers.
pub struct Task {
    /// The checked plan.
    pub program: Program,
    /// The synchronous core points are pushed into.
    pub pipeline: Pipeline,
    /// Handlers written inline on its alert nodes (`.exec()`, `.log()`, ...).
    pub inline: Vec<InlineHandler>,
}

impl Task {
    /// Checks `source` and builds it; the error holds every error diagnostic.
    pub fn compile(source: &str, opts: &TaskOptions) -> Result<Task, Vec<Diag>> {
        let checked = check_source(source, &CheckOptions::default());
        match checked.program {
            Some(program) => Task::build(program, opts),
            None => Err(checked.diags.into_iter().filter(Diag::is_error).collect()),
        }
    }

    /// Builds a checked `program`; the error explains what cannot run.
    pub fn build(program: Program, opts: &TaskOptions) -> Result<Task, Vec<Diag>> {
        let build_opts = BuildOptions { info: Arc::new(opts.info.clone()), dbrp: opts.dbrp.clone(), exec_timeout: opts.exec_timeout };
        let built = build(&program, &build_opts)?;
        Ok(Task { program, pipeline: built.pipeline, inline: built.handlers })
    }
}
