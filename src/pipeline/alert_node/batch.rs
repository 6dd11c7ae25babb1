//! The alert node on batches (Kapacitor 1.5.7 `alert.go` batch path).
//!
//! Every point is judged against the level the group had before the batch;
//! the batch level is the highest (or the lowest with `.all()`); templates see
//! the group tags and the fields of the first point reaching the highest
//! level; the event's `data.series` holds the whole batch as one row. An empty
//! batch is ignored. The batch itself flows on when an event fires.

use super::{AlertStage, Event};
use crate::alert::{on_batch, GroupState, Level, Outcome, Row};
use crate::pipeline::{Batch, Ctx, Dims, Flow};
use crate::point::Point;
use std::sync::Arc;

impl AlertStage {
    /// Processes one batch.
    pub(super) fn on_batch(&mut self, batch: &Batch, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        if batch.points.is_empty() {
            return Flow::Drop;
        }
        batch.write_group_id(dims, &mut self.key);
        if !self.groups.contains(&self.key) {
            // A new group starts from its stored level in serve mode, as on the point path.
            let first = Point { name: batch.name.clone(), tags: batch.tags.clone(), fields: batch.points[0].fields.clone(), time: batch.time };
            let state = self.initial_state(&first, ctx);
            self.groups.insert(&self.key, state);
        }
        let current = self.group_state().current_level();
        let levels: Vec<(i64, Level)> = batch.points.iter().map(|p| (p.time, self.level_of(p, current, id, ctx))).collect();
        let config = &self.config;
        let state = self.groups.get_or_insert_with(&self.key, || GroupState::new(config));
        let (level, outcome, highest) = on_batch(state, config, batch.time, &levels, self.all);
        let Outcome::Event { duration, recoverable } = outcome else {
            return Flow::Drop;
        };
        let time = crate::alert::batch_event_time(&levels, batch.time, self.all, level, highest);
        // Templates see the batch's name and group tags with the highest point's fields.
        let view = Point { name: batch.name.clone(), tags: batch.tags.clone(), fields: batch.points[highest].fields.clone(), time };
        let group = crate::pipeline::display_group(&self.key).to_string();
        let (alert_id, message, details) = match self.render(&view, &group, level, duration) {
            Ok(r) => r,
            Err(e) => {
                ctx.error(id, &format!("failed to render alert template: {e}"));
                return Flow::Drop;
            }
        };
        let event = Event { id: &alert_id, message: &message, details: &details, level, time, duration, recoverable };
        let row = Row::from_batch(&batch.name, &batch.tags, &batch.points);
        self.publish(event, row, &batch.name, &batch.tags, id, ctx);
        if !self.annotates() {
            return Flow::PASS;
        }
        let points = batch.points.iter().map(|p| self.annotate(p, &alert_id, &message, level, duration)).collect();
        let mut tags_holder = batch.header_point();
        if let Some(t) = &self.annotations.level_tag {
            tags_holder.set_tag(t, level.as_str().into());
        }
        if let Some(t) = &self.annotations.id_tag {
            tags_holder.set_tag(t, alert_id.as_str().into());
        }
        Flow::Batch(Batch { points, tags: tags_holder.tags, ..batch.empty_like(batch.time) })
    }

    fn annotates(&self) -> bool {
        let a = &self.annotations;
        a.level_tag.is_some() || a.level_field.is_some() || a.message_field.is_some() || a.duration_field.is_some() || a.id_tag.is_some() || a.id_field.is_some()
    }
}
