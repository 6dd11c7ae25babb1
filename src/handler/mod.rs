//! Alert handlers (exec, log, tcp, post, publish) and topic-handler files.
//!
//! - [`exec`]: one program run per event, with timeout and process-group kill;
//! - [`Dispatcher`]: one bounded queue + worker per handler, back-pressure,
//!   drain at the end, per-handler stats;
//! - [`kinds`] and [`spec`]: Kapacitor 1.5.7 handler kinds, option schemas
//!   and topic-handler file loading.

mod action;
mod convert;
mod dispatch;
mod event;
mod file_error;
pub mod exec;
pub mod kinds;
mod log;
pub mod matching;
mod post;
mod queue;
pub mod spec;
mod tcp;
pub(crate) mod tree;
#[cfg(test)]
mod tests;

pub use action::{HandlerAction, DEFAULT_IO_TIMEOUT};
pub use dispatch::{Dispatcher, DispatcherOptions, FailureSink, HandlerId, Republisher, DEFAULT_QUEUE_CAPACITY};
pub use event::HandlerEvent;
pub use exec::{ExecOutcome, ExecResult, ExecSpec, RealSpawner, RecordingSpawner, Spawner};
pub use log::DEFAULT_LOG_MODE;
pub use post::validate_url;
pub use queue::{FailureKind, HandlerFailure, HandlerReport, HandlerStats, Matcher};
pub use spec::{action_for, load_handler_dir, load_handler_file, HandlerFile, HandlerFileError};
