//! Parsed points travel to tasks in batches; batches (and their points'
//! vectors) are recycled, so steady ingest allocates nothing per point.

use crate::point::Point;
use std::sync::{Arc, Mutex};

/// Points per batch (Kapacitor's default write size).
pub const BATCH_POINTS: usize = 10_000;
/// Batches kept for reuse.
const POOL_SIZE: usize = 16;

/// Points of one write for one database and retention policy.
pub struct Batch {
    /// Database of the write.
    pub db: Arc<str>,
    /// Retention policy of the write.
    pub rp: Arc<str>,
    points: Vec<Point>,
    used: usize,
}

impl Batch {
    /// The points in this batch.
    pub fn points(&self) -> &[Point] {
        &self.points[..self.used]
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.used
    }

    /// True when the batch holds no point.
    pub fn is_empty(&self) -> bool {
        self.used == 0
    }

    /// True when no more points fit.
    pub fn is_full(&self) -> bool {
        self.used >= BATCH_POINTS
    }

    /// A slot for the next point (old contents to be overwritten by the parser).
    pub fn next_slot(&mut self) -> &mut Point {
        if self.used == self.points.len() {
            self.points.push(Point::default());
        }
        &mut self.points[self.used]
    }

    /// Keeps the point just written into [`Batch::next_slot`].
    pub fn commit_slot(&mut self) {
        self.used += 1;
    }
}

/// A free list of batches.
#[derive(Default)]
pub struct BatchPool {
    free: Mutex<Vec<Batch>>,
}

impl BatchPool {
    /// An empty batch for `db`/`rp`, reusing a returned one when possible.
    pub fn take(&self, db: &Arc<str>, rp: &Arc<str>) -> Batch {
        let recycled = self.free.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let mut batch = recycled.unwrap_or_else(|| Batch { db: db.clone(), rp: rp.clone(), points: Vec::new(), used: 0 });
        batch.db = db.clone();
        batch.rp = rp.clone();
        batch.used = 0;
        batch
    }

    /// Returns a batch once nobody else holds it.
    pub fn give_back(&self, batch: Arc<Batch>) {
        if let Ok(batch) = Arc::try_unwrap(batch) {
            self.put(batch);
        }
    }

    /// Returns an unshared batch.
    pub fn put(&self, batch: Batch) {
        let mut free = self.free.lock().unwrap_or_else(|p| p.into_inner());
        if free.len() < POOL_SIZE {
            free.push(batch);
        }
    }
}
