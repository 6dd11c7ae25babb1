//! The point loop of a local run (`tick run`): line protocol in, pushed
//! through the task's pipeline; every alert event written to the event
//! output (if any) and queued for its handlers. Point time is the clock.
//!
//! It stops at the end of the input, at the first bad line (if asked), when
//! a stop is requested (a signal), or when the event output fails: a write
//! error is reported, never ignored; a closed pipe ends the run quietly.

use super::routing::{deliver, Routing};
use super::Task;
use crate::handler::HandlerReport;
use crate::lineproto::{LineError, Precision, Reader};
use crate::point::Point;
use std::io::{BufRead, ErrorKind, Write};
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

/// What to do with a line that is not valid line protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadLines {
    /// Stop at the first one.
    Fail,
    /// Skip and count them.
    Skip,
}

/// Counts gathered while reading input.
#[derive(Debug, Default)]
pub struct Tally {
    /// Points read and pushed.
    pub points: u64,
    /// Bad input lines.
    pub bad_lines: u64,
    /// The first skipped bad lines, as `FILE:LINE:COL: message`.
    pub bad_examples: Vec<String>,
    /// Alert events by level (OK, INFO, WARNING, CRITICAL).
    pub alerts: [u64; 4],
}

/// Why reading stopped before the end of the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// A bad line, with `fail`: `FILE:LINE:COL: message`.
    BadLine(String),
    /// A stop was requested (a signal).
    Requested,
    /// The event output's reader went away (a closed pipe).
    OutputClosed,
    /// Writing the event output failed: `NAME: reason`.
    OutputFailed(String),
}

/// Where alert events are written, JSON lines; write errors are kept.
pub struct EventOutput {
    writer: std::io::BufWriter<Box<dyn Write>>,
    name: String,
}

impl EventOutput {
    /// Events to `writer`, named `name` (a path, or `<stdout>`) in errors.
    pub fn new(writer: Box<dyn Write>, name: &str) -> EventOutput {
        EventOutput { writer: std::io::BufWriter::with_capacity(1 << 16, writer), name: name.to_string() }
    }

    fn write(&mut self, bytes: &[u8]) -> Result<(), Stopped> {
        self.writer.write_all(bytes).map_err(|e| self.failure(&e))
    }

    fn flush(&mut self) -> Result<(), Stopped> {
        self.writer.flush().map_err(|e| self.failure(&e))
    }

    fn failure(&self, e: &std::io::Error) -> Stopped {
        match e.kind() {
            ErrorKind::BrokenPipe => Stopped::OutputClosed,
            _ => Stopped::OutputFailed(format!("{}: cannot write: {}", self.name, crate::files::io_reason(e))),
        }
    }
}

/// A task being run over local inputs.
pub struct LocalRun {
    /// The task.
    pub task: Task,
    /// Its handlers.
    pub routing: Routing,
    /// What was read and fired so far.
    pub tally: Tally,
    output: Option<EventOutput>,
    stop: Arc<AtomicBool>,
}

impl LocalRun {
    /// A run of `task` whose events go to `output` and `routing`; `stop` ends reading when set.
    pub fn new(task: Task, routing: Routing, output: Option<EventOutput>, stop: Arc<AtomicBool>) -> LocalRun {
        LocalRun { task, routing, tally: Tally::default(), output, stop }
    }

    /// Reads `input` (called `name` in messages) to its end, or until it must stop.
    pub fn feed(&mut self, input: Box<dyn BufRead>, name: &str, precision: Precision, bad: BadLines) -> Result<(), Stopped> {
        let mut reader = Reader::new(input, precision);
        let mut point = Point::default();
        while let Some(result) = reader.next_point(&mut point) {
            if self.stop.load(Relaxed) {
                return Err(Stopped::Requested);
            }
            match result {
                Ok(()) => {
                    self.tally.points += 1;
                    self.task.pipeline.push(&point);
                    self.flush_alerts()?;
                }
                Err(err) => self.bad_line(name, &err, bad)?,
            }
        }
        if self.stop.load(Relaxed) { Err(Stopped::Requested) } else { Ok(()) }
    }

    /// Flushes the event output, then delivers every queued event and stops the handlers.
    pub fn finish(mut self) -> (Task, Tally, Result<(), Stopped>, Vec<HandlerReport>) {
        let flushed = self.output.as_mut().map_or(Ok(()), EventOutput::flush);
        let reports = self.routing.dispatcher.finish();
        (self.task, self.tally, flushed, reports)
    }

    fn bad_line(&mut self, name: &str, err: &LineError, bad: BadLines) -> Result<(), Stopped> {
        let text = format!("{name}:{}:{}: {}", err.line, err.column, err.message);
        self.tally.bad_lines += 1;
        match bad {
            BadLines::Fail => Err(Stopped::BadLine(text)),
            BadLines::Skip => {
                if self.tally.bad_examples.len() < 10 {
                    self.tally.bad_examples.push(text);
                }
                Ok(())
            }
        }
    }

    fn flush_alerts(&mut self) -> Result<(), Stopped> {
        if self.task.pipeline.ctx.alerts.is_empty() {
            return Ok(());
        }
        let mut written = Ok(());
        for alert in self.task.pipeline.drain_alerts() {
            self.tally.alerts[alert.level as usize] += 1;
            if let (Some(out), Ok(())) = (&mut self.output, &written) {
                written = out.write(alert.json.as_bytes());
            }
            deliver(&self.routing.dispatcher, alert.deliveries);
        }
        written
    }
}
