//! Re-publishing events into other topics (the `publish` handler action).

use crate::alert::{Level, Topics};
use crate::handler::HandlerEvent;
use std::sync::Mutex;

/// The event as collected into `topic` by a publish handler: previousLevel is that topic's.
pub fn republish(topics: &Mutex<Topics>, topic: &str, event: &HandlerEvent) -> HandlerEvent {
    let previous = {
        let mut topics = topics.lock().unwrap_or_else(|p| p.into_inner());
        topics.collect(topic, &event.id, event.level, event.time, event.duration, &event.message)
    };
    HandlerEvent {
        topic: topic.into(),
        previous_level: previous,
        json: with_previous_level(&event.json, previous).into(),
        ..event.clone()
    }
}

/// `json` with its `previousLevel` value replaced (the key is unique: strings escape `"`).
fn with_previous_level(json: &str, level: Level) -> String {
    let key = "\"previousLevel\":\"";
    let Some(start) = json.rfind(key).map(|i| i + key.len()) else {
        return json.to_string();
    };
    let Some(len) = json[start..].find('"') else {
        return json.to_string();
    };
    format!("{}{}{}", &json[..start], level.as_str(), &json[start + len..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn republished_events_are_stored_whole() {
        let topics = Mutex::new(Topics::default());
        let event = HandlerEvent {
            topic: "main:t:alert2".into(),
            id: "a".into(),
            level: Level::Critical,
            previous_level: Level::Ok,
            duration: 0,
            time: 7_000,
            message: "disk full".into(),
            name: "cpu".into(),
            task_name: "t".into(),
            tags: Vec::new(),
            json: "{\"previousLevel\":\"OK\"}\n".into(),
        };
        let moved = republish(&topics, "ops", &event);
        assert_eq!((&*moved.topic, moved.previous_level), ("ops", Level::Ok));
        let topics = topics.lock().unwrap();
        let stored = topics.event("ops", "a").expect("stored");
        assert_eq!((stored.level, stored.time, stored.message.as_str()), (Level::Critical, 7_000, "disk full"));
    }

    #[test]
    fn previous_level_is_replaced() {
        let json = "{\"id\":\"x\",\"message\":\"\\\"previousLevel\\\":\\\"OK\",\"previousLevel\":\"OK\",\"recoverable\":true}\n";
        let out = with_previous_level(json, Level::Critical);
        assert!(out.ends_with("\"previousLevel\":\"CRITICAL\",\"recoverable\":true}\n"), "{out}");
        assert!(out.contains("\\\"previousLevel\\\":\\\"OK"));
    }
}
