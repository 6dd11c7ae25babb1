//! `|where(lambda)`: keeps points whose predicate is true; state is per group.

use super::super::{Ctx, Dims, Flow, Stage};
use super::PerGroup;
use crate::eval::Lambda;
use crate::point::Point;
use std::sync::Arc;

/// The `where` stage.
pub struct WhereStage {
    /// One predicate copy per group.
    pub lambda: PerGroup<Lambda>,
}

impl Stage for WhereStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        match self.lambda.get(point, dims).eval_bool(point) {
            Ok(true) => Flow::PASS,
            Ok(false) => Flow::Drop,
            Err(e) => {
                ctx.error(id, &format!("error while evaluating expression: {e}"));
                Flow::Drop
            }
        }
    }
}
