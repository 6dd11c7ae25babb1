//! Alerts: levels, the per-group state machine, topics and the `alert.Data` JSON.
//!
//! Everything here is pure and synchronous: the alert node evaluates its
//! lambdas through [`determine_level`], feeds the level to [`on_point`] (or
//! [`on_batch`]), and for every [`Outcome::Event`] collects the event into
//! [`Topics`] (anonymous topic first, then the named one) to learn its
//! `previousLevel`, then encodes an [`AlertData`] with
//! [`AlertData::to_json_line`].

mod data;
mod json;
mod level;
mod levels;
mod state;
mod topics;

#[cfg(test)]
mod tests;

pub use data::{AlertData, Cell, Row};
pub use json::write_row_json;
pub use level::Level;
pub use levels::{determine_level, LevelCheck};
pub use state::{batch_event_time, on_batch, on_point, AlertConfig, GroupState, Outcome};
pub use topics::{anonymous_topic, EventState, TopicSummary, Topics};
