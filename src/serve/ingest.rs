//! From a received body to task channels, all or nothing: every line is
//! parsed (and checked) before any point reaches a task.
//!
//! Bodies of up to [`HELD_BATCHES`] batches are parsed once and held; a
//! larger body is checked in a first pass and parsed again while sending,
//! so memory stays bounded whatever the request size.

use super::batch::{Batch, BatchPool};
use super::body::Received;
use super::runner::TaskHandle;
use crate::lineproto::{LineError, Precision, Reader};
use crate::point::Point;
use std::io::BufRead;
use std::sync::Arc;

/// Parsed batches held before the first pass gives up holding them.
pub const HELD_BATCHES: usize = 5;

/// Where the points of one write go.
pub struct Target {
    /// Database.
    pub db: Arc<str>,
    /// Retention policy.
    pub rp: Arc<str>,
    /// Timestamp unit.
    pub precision: Precision,
    /// Time for lines without one (ns).
    pub now: i64,
    /// The tasks that receive this database and retention policy.
    pub tasks: Vec<Arc<TaskHandle>>,
}

/// The first bad line, and how many lines were bad.
#[derive(Debug)]
pub struct Rejected {
    /// The first error.
    pub first: LineError,
    /// Bad lines in the body.
    pub bad_lines: usize,
}

/// Parses `body` and sends its points to the target tasks; returns how many.
/// Runs on a blocking thread (it waits for full task channels).
pub fn apply(body: Received, target: &Target, pool: &BatchPool) -> Result<u64, Rejected> {
    match body {
        Received::Memory(bytes) => apply_twice_if_large(|| Ok(&bytes[..]), target, pool),
        Received::File(file) => {
            let open = || -> std::io::Result<std::io::BufReader<std::fs::File>> {
                let mut f = file.try_clone()?;
                std::io::Seek::rewind(&mut f)?;
                Ok(std::io::BufReader::with_capacity(1 << 16, f))
            };
            apply_twice_if_large(open, target, pool)
        }
    }
}

fn apply_twice_if_large<R: BufRead>(open: impl Fn() -> std::io::Result<R>, target: &Target, pool: &BatchPool) -> Result<u64, Rejected> {
    let io = |e: std::io::Error| Rejected { first: LineError { line: 0, column: 0, message: format!("read error: {e}") }, bad_lines: 1 };
    let mut reader = new_reader(open().map_err(io)?, target);
    let mut held: Vec<Batch> = Vec::new();
    let mut overflow = false;
    let mut scratch = Point::default();
    let mut errors = Errors::default();
    loop {
        let slot = if overflow {
            &mut scratch
        } else {
            if held.last().is_none_or(Batch::is_full) {
                if held.len() == HELD_BATCHES {
                    overflow = true;
                    held.drain(..).for_each(|b| pool.put(b));
                    continue;
                }
                held.push(pool.take(&target.db, &target.rp));
            }
            held.last_mut().expect("pushed above").next_slot()
        };
        match reader.next_point(slot) {
            None => break,
            Some(Ok(())) if !overflow => held.last_mut().expect("pushed above").commit_slot(),
            Some(Ok(())) => {}
            Some(Err(e)) => errors.add(e),
        }
    }
    if let Some(rejected) = errors.rejected() {
        held.into_iter().for_each(|b| pool.put(b));
        return Err(rejected);
    }
    if !overflow {
        let count = held.iter().map(|b| b.len() as u64).sum();
        held.into_iter().filter(|b| !b.is_empty()).for_each(|b| send(b, target, pool));
        return Ok(count);
    }
    stream_again(new_reader(open().map_err(io)?, target), target, pool)
}

/// The second pass of a large body: parse and send batch by batch.
fn stream_again<R: BufRead>(mut reader: Reader<R>, target: &Target, pool: &BatchPool) -> Result<u64, Rejected> {
    let mut count = 0;
    let mut batch = pool.take(&target.db, &target.rp);
    while let Some(result) = reader.next_point(batch.next_slot()) {
        if result.is_ok() {
            batch.commit_slot();
            count += 1;
        }
        if batch.is_full() {
            send(std::mem::replace(&mut batch, pool.take(&target.db, &target.rp)), target, pool);
        }
    }
    if batch.is_empty() {
        pool.put(batch);
    } else {
        send(batch, target, pool);
    }
    Ok(count)
}

fn new_reader<R: BufRead>(input: R, target: &Target) -> Reader<R> {
    let now = target.now;
    Reader::new(input, target.precision).with_clock(move || now)
}

fn send(batch: Batch, target: &Target, pool: &BatchPool) {
    let batch = Arc::new(batch);
    for task in &target.tasks {
        task.send_blocking(batch.clone());
    }
    pool.give_back(batch);
}

#[derive(Default)]
struct Errors {
    first: Option<LineError>,
    count: usize,
}

impl Errors {
    fn add(&mut self, e: LineError) {
        self.count += 1;
        self.first.get_or_insert(e);
    }

    fn rejected(self) -> Option<Rejected> {
        self.first.map(|first| Rejected { first, bad_lines: self.count })
    }
}
