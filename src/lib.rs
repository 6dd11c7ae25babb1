//! `tickscript`: parse, check and run Kapacitor TICKscripts without a daemon.
//!
//! Stages: [`parse`] (pest, private grammar) → [`ast`] → [`check`] (catalogue,
//! kinds, lints; all diagnostics collected) → program → pipeline → [`alert`]
//! → [`handler`]s. See `src/README.md` for a map of the source.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod alert;
pub mod ast;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod eval;
pub mod files;
pub mod fmt;
pub mod gofmt;
pub mod handler;
pub mod http;
pub mod lineproto;
pub mod parse;
pub mod pipeline;
pub mod point;
pub mod program;
pub mod serve;
pub mod span;
pub mod suggest;
pub mod task;
pub mod template;
pub mod testing;
pub mod value;
