//! Stages for every runnable node: point-to-point nodes here, windows, InfluxQL functions,
//! state tracking, derivative and deadman in their own modules.

pub mod eval;
mod fields;
mod from;
mod group_by;
mod log;
mod pool;
mod where_node;
pub mod window;
pub mod influxql;
pub mod state_tracking;
pub mod derivative;
pub mod deadman;
pub mod combine;
pub mod flatten;
mod held;
pub mod join;
mod join_on;
pub mod join_set;
pub mod union;

pub use eval::EvalStage;
pub use fields::{DefaultStage, DeleteStage};
pub use from::FromStage;
pub use group_by::GroupByStage;
pub use log::LogStage;
pub use where_node::WhereStage;

use super::{Ctx, Dims, Flow, Stage};
use crate::point::Point;
use std::sync::Arc;

/// `stream`: the source; passes every point on.
pub struct PassStage;

impl Stage for PassStage {
    fn process(&mut self, _: &Point, _: &Arc<Dims>, _: usize, _: &mut Ctx) -> Flow {
        Flow::PASS
    }
}

/// Per-group copies of lambdas: stateful functions (sigma, count, spread) keep one state per group.
pub struct PerGroup<T: Clone> {
    prototype: T,
    groups: super::GroupTable<T>,
    key: String,
}

impl<T: Clone> PerGroup<T> {
    /// Copies of `prototype`, made fresh for each new group.
    pub fn new(prototype: T) -> Self {
        PerGroup { prototype, groups: Default::default(), key: String::new() }
    }

    /// The prototype every group's copy starts from.
    pub fn prototype(&self) -> &T {
        &self.prototype
    }

    /// The copy for the group of `point`.
    pub fn get(&mut self, point: &Point, dims: &Dims) -> &mut T {
        dims.write_group_id(point, &mut self.key);
        let prototype = &self.prototype;
        self.groups.get_or_insert_with(&self.key, || prototype.clone())
    }
}
