//! `tick test`: unit tests for TICKscripts, with no daemon and point time as the only clock.
//!
//! A test file ([`format`]) names scripts, input points ([`input`]) and
//! expectations. [`load`] validates all of it up front (every problem is a
//! [`Problem`] with a position); [`runner`] runs one case in isolation through
//! the same [`crate::pipeline::build`] as `tick run`, recording exec calls;
//! [`verdict`] compares with [`expect`]'s partial matching and [`diff`]s the
//! rest; [`report`] prints human, JSON or JUnit; [`update`] rewrites expectations.

pub mod diff;
pub mod expect;
pub mod format;
pub mod input;
pub mod load;
pub mod report;
pub mod runner;
pub mod update;
pub mod verdict;
pub mod yaml;

use crate::diagnostic::Diag;
use crate::handler::HandlerFile;
use crate::point::Point;
use crate::program::Program;
use expect::Frame;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;

pub use load::load;
pub use runner::{run_case, Actual};
pub use verdict::{judge, Mismatch};

/// A loaded, valid test file.
#[derive(Debug)]
pub struct Suite {
    /// The test file.
    pub path: PathBuf,
    /// Its text (for `--update`).
    pub source: String,
    /// Its cases, in file order.
    pub cases: Vec<CaseSpec>,
}

/// One case, ready to run.
#[derive(Debug)]
pub struct CaseSpec {
    /// The case name.
    pub name: String,
    /// Byte offset of the case's first key in the test file.
    pub offset: usize,
    /// The scripts, each run as its own task; topics are shared.
    pub scripts: Vec<Arc<Script>>,
    /// Topic-handler files.
    pub handlers: Arc<Vec<HandlerFile>>,
    /// The input, in order.
    pub points: Vec<Point>,
    /// The base time relative expectations use.
    pub frame: Frame,
    /// Run exec programs for real.
    pub run_exec: bool,
    /// What must happen.
    pub expect: Expectations,
}

/// A checked script under test.
#[derive(Debug)]
pub struct Script {
    /// Where it is.
    pub path: PathBuf,
    /// Its checked plan.
    pub program: Program,
    /// TaskName in alert data: the file stem, as in `tick run`.
    pub task_name: String,
    /// `from().database()` filters see this database and retention policy.
    pub dbrp: Option<(String, String)>,
}

/// The expectations of one case; `None` means "not checked".
#[derive(Debug, Default, Clone)]
pub struct Expectations {
    /// Alerts emitted, in order (partial maps).
    pub alerts: Option<Vec<Value>>,
    /// Patterns no alert may match.
    pub not_fire: Vec<Value>,
    /// Exec calls `{argv, stdin}`, in order.
    pub exec: Option<Vec<Value>>,
    /// Topic contents by name.
    pub topics: Option<Value>,
}

/// Something wrong in a test file, a script, an input or a handler file.
#[derive(Debug, Clone)]
pub struct Problem {
    /// The file the span points into.
    pub file: String,
    /// That file's text.
    pub source: String,
    /// What and where.
    pub diag: Diag,
}
