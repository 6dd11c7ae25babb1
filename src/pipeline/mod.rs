//! The synchronous, single-threaded pipeline core: `push(point)` runs it through every node.
//!
//! Nodes form a graph rooted at `stream` (join and union have several parents,
//! told apart by [`Stage::process_from`]). A node's [`Stage`] looks at one
//! message (a point or a [`Batch`]) and says what flows on ([`Flow`]); the
//! pipeline walks children depth first, so output order is input order.
//! [`Pipeline::finish`] ends the input: join and union emit what they hold, as
//! Kapacitor does when a task stops.
//! Timers (deadman) run on point time by default: [`Stage::on_clock`] is
//! called with the time of each pushed point before that point is processed.
//! After [`Pipeline::use_wall_clock`] (`tick serve`) points no longer move
//! the timers; the caller drives them with [`Pipeline::advance_wall_clock`].

mod alert_node;
mod batch;
mod build;
mod build_nodes;
mod build_multi;
mod group;
mod groups;
mod multi_parent;
mod nodes;
mod stats;

pub use alert_node::{AlertOutput, RunInfo};
pub use batch::Batch;
pub use build::{build, BuildOptions, Built, InlineHandler};
pub use group::{display_group, Dims};
pub use groups::GroupTable;
pub use stats::{ErrorLog, NodeStats};

use crate::point::Point;
use std::sync::Arc;

/// Group-keyed maps: group IDs are short, trusted strings, so a fast hash beats SipHash.
pub type GroupMap<V> = std::collections::HashMap<String, V, std::hash::BuildHasherDefault<crate::lineproto::FastHasher>>;

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
    /// A batch goes on (a window's output, or a batch node's result).
    Batch(Batch),
    /// Several messages go on, in order (join, union, combine); given back by [`Stage::recycle_many`].
    Many(Vec<Emit>),
}

/// One message among several a stage emits at once ([`Flow::Many`]), with its dimensions.
#[derive(Debug, Clone)]
pub enum Emit {
    /// A point.
    Point(Point, Arc<Dims>),
    /// A batch.
    Batch(Batch, Arc<Dims>),
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

    /// Processes one batch. `Flow::PASS` forwards the input batch; a point
    /// flow forwards a point. By default each point goes through [`Stage::process`]
    /// and the kept points form the output batch.
    fn process_batch(&mut self, batch: &Batch, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        per_point(self, batch, dims, id, ctx)
    }

    /// Takes back a batch this stage emitted, once every child has seen it (to reuse its storage).
    fn recycle(&mut self, _batch: Batch) {}

    /// Processes one point from parent number `src` (only called on nodes with several parents).
    fn process_from(&mut self, _src: usize, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        self.process(point, dims, id, ctx)
    }

    /// Processes one batch from parent number `src` (only called on nodes with several parents).
    fn process_batch_from(&mut self, _src: usize, batch: &Batch, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        self.process_batch(batch, dims, id, ctx)
    }

    /// Takes back the messages of a [`Flow::Many`] once every child has seen them.
    fn recycle_many(&mut self, _emitted: Vec<Emit>) {}

    /// The input ended: what the stage still holds and Kapacitor emits when a task stops.
    fn finish(&mut self, _id: usize, _ctx: &mut Ctx) -> Flow {
        Flow::Drop
    }

    /// The one field this stage reads from the points of the batches it gets,
    /// when it reads nothing else of them (not their name, tags or time-ordered rows).
    fn reads_only_field(&self) -> Option<Arc<str>> {
        None
    }

    /// Tells a batching stage that its children read only `fields` of the batched
    /// points, so it may store just those (no effect by default).
    fn keep_only_fields(&mut self, _fields: Vec<Arc<str>>) {}

    /// True if the stage runs timers ([`Stage::on_clock`]).
    fn has_clock(&self) -> bool {
        false
    }

    /// Switches the stage's timers from point time to the wall clock.
    fn use_wall_clock(&mut self) {}

    /// When the stage's next timer is due (ns), if it has one.
    fn next_timer(&self) -> Option<i64> {
        None
    }

    /// Advances the stage's clock to `now`; returns the points its timers emit.
    fn on_clock(&mut self, _now: i64, _id: usize, _ctx: &mut Ctx) -> Vec<(Point, Arc<Dims>)> {
        Vec::new()
    }
}

/// The default batch behaviour: every point through `process`, kept points in order.
fn per_point<S: Stage + ?Sized>(stage: &mut S, batch: &Batch, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
    let mut out: Option<Vec<Point>> = None;
    for (i, point) in batch.points.iter().enumerate() {
        let kept = match stage.process(point, dims, id, ctx) {
            Flow::Drop | Flow::Batch(_) | Flow::Many(_) => None,
            Flow::Forward { point: None, .. } => Some(point.clone()),
            Flow::Forward { point: Some(p), .. } => Some(p),
        };
        let unchanged = matches!(&kept, Some(p) if p == point);
        if out.is_none() && !unchanged {
            out = Some(batch.points[..i].to_vec());
        }
        if let (Some(out), Some(p)) = (out.as_mut(), kept) {
            out.push(p);
        }
    }
    match out {
        None => Flow::PASS,
        Some(points) => Flow::Batch(Batch { points, ..batch.empty_like(batch.time) }),
    }
}

/// One message on an edge.
#[derive(Clone, Copy)]
enum Msg<'a> {
    Point(&'a Point),
    Batch(&'a Batch),
    /// No input message: the stage's own output at the end of the input.
    Finished,
}

/// A runnable pipeline.
pub struct Pipeline {
    stages: Vec<Box<dyn Stage>>,
    children: Vec<Vec<usize>>,
    /// For each edge in `children`: the parent's position among the child's parents.
    sources: Vec<Vec<usize>>,
    /// Nodes with several parents: they are told which parent a message comes from.
    multi: Vec<bool>,
    stats: Vec<NodeStats>,
    /// The stream's (empty) dimensions; `None` only while a point is being pushed.
    root_dims: Option<Arc<Dims>>,
    clocked: Vec<usize>,
    wall_clock: bool,
    /// Node 0 is `stream`, which passes every point: pushes go straight to its children.
    root_passes: bool,
    /// Errors and alert events of the points pushed so far.
    pub ctx: Ctx,
}

impl Pipeline {
    /// Pushes one point through every node (timers first, on the point's time).
    pub fn push(&mut self, point: &Point) {
        if !self.wall_clock {
            self.run_timers(point.time);
        }
        // Borrowed out and back: no reference-count traffic per point.
        let dims = self.root_dims.take().unwrap_or_default();
        if self.root_passes {
            self.stats[0].points_in += 1;
            self.stats[0].points_out += 1;
            self.visit_children(0, Msg::Point(point), &dims);
        } else {
            self.visit(0, 0, Msg::Point(point), &dims);
        }
        self.root_dims = Some(dims);
    }

    /// Drives the timers by the wall clock from now on; points no longer move them.
    pub fn use_wall_clock(&mut self) {
        self.wall_clock = true;
        for &node in &self.clocked {
            self.stages[node].use_wall_clock();
        }
    }

    /// Advances the timers to wall time `now` (ns); their output flows on like points.
    /// The first call starts them (a deadman aligns its ticks to it).
    pub fn advance_wall_clock(&mut self, now: i64) {
        self.run_timers(now);
    }

    /// When the earliest timer is due (ns); None if there is none (or none started).
    pub fn next_timer(&self) -> Option<i64> {
        self.clocked.iter().filter_map(|&node| self.stages[node].next_timer()).min()
    }

    fn run_timers(&mut self, now: i64) {
        for i in 0..self.clocked.len() {
            let node = self.clocked[i];
            let emitted = self.stages[node].on_clock(now, node, &mut self.ctx);
            for (p, dims) in &emitted {
                self.stats[node].points_out += 1;
                self.visit_children(node, Msg::Point(p), dims);
            }
        }
    }

    /// Ends the input: every stage, parents first, emits what Kapacitor emits when a task stops.
    pub fn finish(&mut self) {
        for node in 0..self.stages.len() {
            let flow = self.stages[node].finish(node, &mut self.ctx);
            self.forward(node, Msg::Finished, flow, &Arc::default());
        }
    }

    fn visit(&mut self, node: usize, src: usize, msg: Msg<'_>, dims: &Arc<Dims>) {
        self.stats[node].points_in += 1;
        let stage = &mut self.stages[node];
        let flow = match (msg, self.multi[node]) {
            (Msg::Point(p), false) => stage.process(p, dims, node, &mut self.ctx),
            (Msg::Batch(b), false) => stage.process_batch(b, dims, node, &mut self.ctx),
            (Msg::Point(p), true) => stage.process_from(src, p, dims, node, &mut self.ctx),
            (Msg::Batch(b), true) => stage.process_batch_from(src, b, dims, node, &mut self.ctx),
            (Msg::Finished, _) => return,
        };
        self.forward(node, msg, flow, dims);
    }

    /// Sends what `node` made of `msg` on to its children.
    #[inline(always)]
    fn forward(&mut self, node: usize, msg: Msg<'_>, flow: Flow, dims: &Arc<Dims>) {
        // Matched by reference: moving the flow out of the callee's frame
        // costs a store-forwarding stall per point.
        match &flow {
            Flow::Drop => return,
            Flow::Forward { point: replaced, dims: new_dims } => {
                self.stats[node].points_out += 1;
                let dims = new_dims.as_ref().unwrap_or(dims);
                match replaced {
                    Some(p) => self.visit_children(node, Msg::Point(p), dims),
                    None => self.visit_children(node, msg, dims),
                }
            }
            Flow::Batch(batch) => {
                self.stats[node].points_out += 1;
                self.visit_children(node, Msg::Batch(batch), dims);
            }
            Flow::Many(out) => self.visit_many(node, out),
        }
        match flow {
            Flow::Batch(batch) => self.stages[node].recycle(batch),
            Flow::Many(emitted) => self.stages[node].recycle_many(emitted),
            _ => {}
        }
    }

    fn visit_many(&mut self, node: usize, out: &[Emit]) {
        for emit in out {
            self.stats[node].points_out += 1;
            match emit {
                Emit::Point(p, dims) => self.visit_children(node, Msg::Point(p), dims),
                Emit::Batch(b, dims) => self.visit_children(node, Msg::Batch(b), dims),
            }
        }
    }

    fn visit_children(&mut self, node: usize, msg: Msg<'_>, dims: &Arc<Dims>) {
        for i in 0..self.children[node].len() {
            let (child, src) = (self.children[node][i], self.sources[node][i]);
            self.visit(child, src, msg, dims);
        }
    }

    /// Counters of every node, in node order.
    pub fn stats(&self) -> Vec<NodeStats> {
        let errors = |node| self.ctx.errors.on_node(node);
        self.stats.iter().enumerate().map(|(node, s)| NodeStats { errors: errors(node), ..s.clone() }).collect()
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
}
