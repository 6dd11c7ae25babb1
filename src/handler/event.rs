//! The event every handler receives.

use crate::alert::Level;
use std::sync::Arc;

/// One alert event as delivered to a handler: the exact JSON payload plus
/// the metadata that `match` expressions and summaries need.
#[derive(Debug, Clone, PartialEq)]
pub struct HandlerEvent {
    /// The topic it was collected into.
    pub topic: Arc<str>,
    /// Rendered alert ID.
    pub id: String,
    /// Level of this event.
    pub level: Level,
    /// Level of the previous event stored in this topic for this ID (OK if none).
    pub previous_level: Level,
    /// Alert duration in nanoseconds.
    pub duration: i64,
    /// Event time, ns since the epoch.
    pub time: i64,
    /// Rendered message.
    pub message: Arc<str>,
    /// Measurement name.
    pub name: Arc<str>,
    /// Task name.
    pub task_name: Arc<str>,
    /// Event tags (all point tags for stream alerts, group tags for batches).
    pub tags: Vec<(Arc<str>, Arc<str>)>,
    /// The `alert.Data` JSON followed by `\n`, byte-identical to Kapacitor's.
    pub json: Arc<str>,
}
