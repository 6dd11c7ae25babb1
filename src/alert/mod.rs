//! Alerts: levels, the per-group state machine, topics and the `alert.Data` JSON.

mod level;

pub use level::Level;
