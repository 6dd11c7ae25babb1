//! Topic registry: the latest event state per alert ID, which gives each
//! event its `previousLevel` (semantics §3.5, §3.6, §5.4).

use super::Level;
use std::collections::{BTreeMap, HashMap};

/// The anonymous topic of an alert node with inline handlers: `main:<task>:<node>`.
pub fn anonymous_topic(task: &str, node: &str) -> String {
    format!("main:{task}:{node}")
}

/// The latest event a topic stored for one alert ID.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventState {
    /// Event level.
    pub level: Level,
    /// Event time, ns since the epoch.
    pub time: i64,
    /// Alert duration, ns.
    pub duration: i64,
    /// Rendered message.
    pub message: String,
}

/// One topic: its events by ID and how many it collected.
#[derive(Debug, Clone, Default)]
struct Topic {
    collected: u64,
    events: HashMap<String, EventState>,
}

/// A topic as `kapacitor list topics` / `show-topic` report it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicSummary {
    /// Topic name.
    pub name: String,
    /// Highest level among the stored events (OK when none).
    pub level: Level,
    /// Number of events collected.
    pub collected: u64,
    /// `(id, level, message)` of each stored event, sorted by ID.
    pub events: Vec<(String, Level, String)>,
}

/// All topics of a run, keyed by name.
#[derive(Debug, Clone, Default)]
pub struct Topics {
    topics: BTreeMap<String, Topic>,
}

impl Topics {
    /// An empty registry.
    pub fn new() -> Self {
        Topics::default()
    }

    /// Collects an event into `topic` (created if missing) and returns its
    /// `previousLevel`: the level last stored there for `id`, OK if none.
    pub fn collect(
        &mut self,
        topic: &str,
        id: &str,
        level: Level,
        time: i64,
        duration: i64,
        message: &str,
    ) -> Level {
        let entry = match self.topics.get_mut(topic) {
            Some(entry) => entry,
            None => self.topics.entry(topic.to_string()).or_default(),
        };
        entry.collected += 1;
        match entry.events.get_mut(id) {
            Some(state) => {
                let previous = state.level;
                state.level = level;
                state.time = time;
                state.duration = duration;
                state.message.clear();
                state.message.push_str(message);
                previous
            }
            None => {
                let state = EventState {
                    level,
                    time,
                    duration,
                    message: message.to_string(),
                };
                entry.events.insert(id.to_string(), state);
                Level::Ok
            }
        }
    }

    /// The event stored in `topic` for `id`, if any (used to restore a group, §3.7).
    pub fn event(&self, topic: &str, id: &str) -> Option<&EventState> {
        self.topics.get(topic)?.events.get(id)
    }

    /// Every stored event as `(topic, id, state)`, topics in name order.
    pub fn events(&self) -> impl Iterator<Item = (&str, &str, &EventState)> {
        self.topics
            .iter()
            .flat_map(|(name, t)| t.events.iter().map(move |(id, s)| (name.as_str(), id.as_str(), s)))
    }

    /// Stores `state` for `id` in `topic` without counting a collection (restoring a snapshot).
    pub fn insert_event(&mut self, topic: &str, id: &str, state: EventState) {
        let entry = self.topics.entry(topic.to_string()).or_default();
        entry.events.insert(id.to_string(), state);
    }

    /// Every topic, sorted by name, with its max level, count and events.
    pub fn topic_summary(&self) -> Vec<TopicSummary> {
        self.topics
            .iter()
            .map(|(name, topic)| summarize(name, topic))
            .collect()
    }
}

fn summarize(name: &str, topic: &Topic) -> TopicSummary {
    let mut events: Vec<(String, Level, String)> = topic
        .events
        .iter()
        .map(|(id, s)| (id.clone(), s.level, s.message.clone()))
        .collect();
    events.sort_by(|a, b| a.0.cmp(&b.0));
    let level = events.iter().map(|e| e.1).max().unwrap_or(Level::Ok);
    TopicSummary {
        name: name.to_string(),
        level,
        collected: topic.collected,
        events,
    }
}
