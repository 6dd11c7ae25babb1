//! The synchronous, single-threaded pipeline core: `push(point)` runs it through every node.
//!
//! Nodes form a tree rooted at `stream`. A node's [`Stage`] looks at one point
//! and says what flows on ([`Flow`]); the pipeline walks children depth first,
//! so output order is input order.

mod alert_node;
mod build;
mod group;
mod nodes;
mod stats;

pub use alert_node::{AlertOutput, RunInfo};
pub use build::{build, BuildOptions, Built, InlineHandler};
pub use group::{display_group, Dims};
pub use stats::{ErrorLog, NodeStats};

use crate::point::Point;
use std::sync::Arc;

/// What a stage does with one point.
pub enum Flow {
    /// Nothing goes on.
    Drop,
    /// The point goes on, changed or not, possibly with new dimensions.
    Forward {
        /// A replacement point, or None to forward the input unchanged.
        point: Option<Point>,
        /// New dimensions, or None to keep the input's.
        dims: Option<Arc<Dims>>,
    },
}

impl Flow {
    /// Forward the input unchanged.
    pub const PASS: Flow = Flow::Forward { point: None, dims: None };

    /// Forward a replacement point.
    pub fn point(point: Point) -> Flow {
        Flow::Forward { point: Some(point), dims: None }
    }
}

/// Shared state stages write into while processing.
#[derive(Default)]
pub struct Ctx {
    /// Evaluation errors by node.
    pub errors: ErrorLog,
    /// Alert events produced, in order (drained by the caller).
    pub alerts: Vec<AlertOutput>,
    /// Topic state: the last event per alert ID, for `previousLevel` (shared with publish handlers).
    pub topics: Arc<std::sync::Mutex<crate::alert::Topics>>,
    /// The database and retention policy of the points being pushed (serve mode, per write).
    pub dbrp: Option<(Arc<str>, Arc<str>)>,
    /// Start new alert groups from the level stored in the topics (serve mode, semantics §3.7).
    pub restore_groups: bool,
}

/// One node's behaviour.
pub trait Stage: Send {
    /// Processes one point belonging to group `dims`.
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow;
}

/// A runnable pipeline.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
    children: Vec<Vec<usize>>,
    stats: Vec<NodeStats>,
    root_dims: Arc<Dims>,
    /// Errors and alert events of the points pushed so far.
    pub ctx: Ctx,
}

impl Pipeline {
    /// Pushes one point through every node.
    pub fn push(&mut self, point: &Point) {
        let dims = self.root_dims.clone();
        self.visit(0, point, &dims);
    }

    fn visit(&mut self, node: usize, point: &Point, dims: &Arc<Dims>) {
        self.stats[node].points_in += 1;
        let errors_before = self.ctx.errors_total();
        let flow = self.stages[node].process(point, dims, node, &mut self.ctx);
        self.stats[node].errors += self.ctx.errors_total() - errors_before;
        let Flow::Forward { point: replaced, dims: new_dims } = flow else {
            return;
        };
        self.stats[node].points_out += 1;
        let point = replaced.as_ref().unwrap_or(point);
        let dims = new_dims.as_ref().unwrap_or(dims);
        for i in 0..self.children[node].len() {
            let child = self.children[node][i];
            self.visit(child, point, dims);
        }
    }

    /// Counters of every node, in node order.
    pub fn stats(&self) -> &[NodeStats] {
        &self.stats
    }

    /// Takes the alert events produced since the last call.
    pub fn drain_alerts(&mut self) -> std::vec::Drain<'_, AlertOutput> {
        self.ctx.alerts.drain(..)
    }
}

impl Ctx {
    /// Records an evaluation error of node `node`.
    pub fn error(&mut self, node: usize, message: &str) {
        self.errors.record(node, message);
    }

    fn errors_total(&self) -> u64 {
        self.errors.total()
    }
}
