//! `|alert()`: levels per point, the state machine per group, events into topics.

mod batch;

use super::{Batch, Ctx, Dims, Flow, GroupTable, Stage};
use crate::alert::{determine_level, on_point, AlertConfig, AlertData, GroupState, Level, LevelCheck, Outcome, Row};
use crate::eval::Lambda;
use crate::handler::HandlerEvent;
use crate::point::Point;
use crate::template::{TValue, Template};
use crate::value::FieldValue;
use std::sync::Arc;

/// Facts about the run that templates and events show.
#[derive(Debug, Clone)]
pub struct RunInfo {
    /// `TaskName` (default: the script's file stem).
    pub task_name: Arc<str>,
    /// `ServerInfo.Hostname`.
    pub hostname: String,
    /// `ServerInfo.ClusterID`.
    pub cluster_id: String,
    /// `ServerInfo.ServerID`.
    pub server_id: String,
}

/// One alert event as produced by an alert node.
#[derive(Debug, Clone)]
pub struct AlertOutput {
    /// The `alert.Data` JSON line (as collected into the first topic).
    pub json: Arc<str>,
    /// The event's level.
    pub level: Level,
    /// The same event as delivered to each topic (previousLevel is per topic).
    pub deliveries: Vec<HandlerEvent>,
}

/// Fields and tags the alert adds to the points it forwards.
#[derive(Debug, Clone, Default)]
pub struct Annotations {
    /// `.levelTag()`.
    pub level_tag: Option<String>,
    /// `.levelField()`.
    pub level_field: Option<String>,
    /// `.messageField()`.
    pub message_field: Option<String>,
    /// `.durationField()`.
    pub duration_field: Option<String>,
    /// `.idTag()`.
    pub id_tag: Option<String>,
    /// `.idField()`.
    pub id_field: Option<String>,
}

/// The `alert` stage.
pub struct AlertStage {
    /// Trigger lambdas for INFO, WARNING, CRITICAL (shared by all groups, as in Kapacitor).
    pub triggers: [Option<Lambda>; 3],
    /// Reset lambdas for INFO, WARNING, CRITICAL.
    pub resets: [Option<Lambda>; 3],
    /// `.id()` template.
    pub id: Template,
    /// `.message()` template.
    pub message: Template,
    /// `.details()` template (html flavour).
    pub details: Template,
    /// State-machine settings.
    pub config: AlertConfig,
    /// Topics events are collected into: the anonymous one first, then `.topic()`.
    pub topics: Vec<Arc<str>>,
    /// Downstream annotations.
    pub annotations: Annotations,
    /// Run facts for templates.
    pub info: Arc<RunInfo>,
    /// `.all()`: a batch's level is its lowest point level.
    pub all: bool,
    groups: GroupTable<GroupState>,
    key: String,
}

impl AlertStage {
    /// A stage with no groups yet.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        triggers: [Option<Lambda>; 3],
        resets: [Option<Lambda>; 3],
        templates: [Template; 3],
        config: AlertConfig,
        topics: Vec<Arc<str>>,
        annotations: Annotations,
        info: Arc<RunInfo>,
    ) -> Self {
        let [id, message, details] = templates;
        AlertStage { triggers, resets, id, message, details, config, topics, annotations, info, all: false, groups: GroupTable::default(), key: String::new() }
    }
}

fn slot(level: Level) -> usize {
    level as usize - 1
}

/// The level of `point` given the group's current level (CRIT first, resets, then lower levels).
fn levels_of(triggers: &mut [Option<Lambda>; 3], resets: &mut [Option<Lambda>; 3], point: &Point, current: Level, id: usize, ctx: &mut Ctx) -> Level {
    if current == Level::Ok {
        // What `determine_level` does from OK: the first true trigger from CRITICAL down.
        for level in [Level::Critical, Level::Warning, Level::Info] {
            if let Some(lambda) = triggers[slot(level)].as_mut() {
                if test(lambda, point, level, false, id, ctx) {
                    return level;
                }
            }
        }
        return Level::Ok;
    }
    determine_level(current, |check| {
        let (lambda, level, on_error) = match check {
            LevelCheck::Trigger(l) => (triggers[slot(l)].as_mut(), l, false),
            LevelCheck::Reset(l) => (resets[slot(l)].as_mut(), l, true),
        };
        Some(test(lambda?, point, level, on_error, id, ctx))
    })
}

/// One level lambda on `point`; an error is logged and counts as `on_error`.
fn test(lambda: &mut Lambda, point: &Point, level: Level, on_error: bool, id: usize, ctx: &mut Ctx) -> bool {
    lambda.eval_bool(point).unwrap_or_else(|e| {
        ctx.error(id, &format!("error evaluating expression for level {level}: {e}"));
        on_error
    })
}

impl Stage for AlertStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        let slot = match self.groups.cached_slot(point, dims) {
            Some(slot) => slot,
            None => self.find_group(point, dims, ctx),
        };
        let AlertStage { groups, config, triggers, resets, .. } = self;
        let state = groups.slot_mut(slot);
        let level = levels_of(triggers, resets, point, state.current_level(), id, ctx);
        match on_point(state, config, point.time, level) {
            Outcome::Event { duration, recoverable } => {
                dims.write_group_id(point, &mut self.key);
                self.event(point, dims, level, duration, recoverable, id, ctx)
            }
            _ => Flow::Drop,
        }
    }

    fn process_batch(&mut self, batch: &Batch, dims: &Arc<Dims>, id: usize, ctx: &mut Ctx) -> Flow {
        self.on_batch(batch, dims, id, ctx)
    }
}

impl AlertStage {
    /// The slot of the group of `point` by its text key (left in `self.key`),
    /// starting it (restored in serve mode) the first time.
    fn find_group(&mut self, point: &Point, dims: &Arc<Dims>, ctx: &Ctx) -> usize {
        dims.write_group_id(point, &mut self.key);
        if !self.groups.contains(&self.key) {
            let state = self.initial_state(point, ctx);
            self.groups.insert(&self.key, state);
        }
        let config = &self.config;
        let slot = self.groups.slot_of(&self.key, || GroupState::new(config));
        self.groups.remember(point, dims, slot);
        slot
    }

    /// The state of the group whose ID is in `self.key`, created at OK.
    fn group_state(&mut self) -> &mut GroupState {
        let config = &self.config;
        self.groups.get_or_insert_with(&self.key, || GroupState::new(config))
    }

    /// [`levels_of`] with this stage's lambdas.
    fn level_of(&mut self, point: &Point, current: Level, id: usize, ctx: &mut Ctx) -> Level {
        levels_of(&mut self.triggers, &mut self.resets, point, current, id, ctx)
    }

    #[allow(clippy::too_many_arguments)]
    fn event(&mut self, point: &Point, dims: &Dims, level: Level, duration: i64, recoverable: bool, node: usize, ctx: &mut Ctx) -> Flow {
        let group = super::display_group(&self.key).to_string();
        let rendered = self.render(point, &group, level, duration);
        let (id, message, details) = match rendered {
            Ok(r) => r,
            Err(e) => {
                ctx.error(node, &format!("failed to render alert template: {e}"));
                return Flow::Drop;
            }
        };
        let event = Event { id: &id, message: &message, details: &details, level, time: point.time, duration, recoverable };
        self.publish(event, Row::from_point(point), &point.name, &point.tags, node, ctx);
        let _ = dims;
        Flow::point(self.annotate(point, &id, &message, level, duration))
    }

    /// Collects the event into every topic and queues its deliveries.
    fn publish(&self, e: Event<'_>, row: Row, name: &Arc<str>, tags: &[(Arc<str>, Arc<str>)], node: usize, ctx: &mut Ctx) {
        let mut deliveries = Vec::with_capacity(self.topics.len());
        let shared = ctx.topics.clone();
        let mut topics = shared.lock().unwrap_or_else(|p| p.into_inner());
        for topic in &self.topics {
            let previous = topics.collect(topic, e.id, e.level, e.time, e.duration, e.message);
            let data = AlertData {
                id: e.id.to_string(),
                message: e.message.to_string(),
                details: e.details.to_string(),
                time: e.time,
                duration: e.duration,
                level: e.level,
                data: vec![row.clone()],
                previous_level: previous,
                recoverable: e.recoverable,
            };
            match data.to_json_line() {
                Ok(json) => deliveries.push(HandlerEvent {
                    topic: topic.clone(),
                    id: e.id.to_string(),
                    level: e.level,
                    previous_level: previous,
                    duration: e.duration,
                    time: e.time,
                    message: e.message.into(),
                    name: name.clone(),
                    task_name: self.info.task_name.clone(),
                    tags: tags.to_vec(),
                    json: json.into(),
                }),
                Err(err) => ctx.error(node, &err),
            }
        }
        drop(topics);
        if let Some(first) = deliveries.first() {
            ctx.alerts.push(AlertOutput { json: first.json.clone(), level: e.level, deliveries });
        }
    }

    /// A new group's state: fresh, or in serve mode the newest event stored
    /// for its ID in this node's topics (Kapacitor's `restoreEventState`).
    fn initial_state(&self, point: &Point, ctx: &Ctx) -> GroupState {
        if !ctx.restore_groups {
            return GroupState::new(&self.config);
        }
        let group = super::display_group(&self.key);
        let Ok(id) = self.id.render(&TValue::Struct("kapacitor.idInfo", base_fields(point, group, &self.info))) else {
            return GroupState::new(&self.config);
        };
        let topics = ctx.topics.lock().unwrap_or_else(|p| p.into_inner());
        let newest = self.topics.iter().filter_map(|t| topics.event(t, &id)).max_by_key(|e| e.time);
        match newest {
            Some(e) => GroupState::restore_since(&self.config, e.level, e.time, e.time.saturating_sub(e.duration)),
            None => GroupState::new(&self.config),
        }
    }

    fn render(&self, point: &Point, group: &str, level: Level, duration: i64) -> Result<(String, String, String), String> {
        let mut fields = base_fields(point, group, &self.info);
        let id = self.id.render(&TValue::Struct("kapacitor.idInfo", fields.clone()))?;
        fields.push(("ID", TValue::Str(id.clone())));
        fields.push(("Fields", field_map(point)));
        fields.push(("Level", TValue::Str(level.as_str().into())));
        fields.push(("Time", TValue::Time(point.time)));
        fields.push(("Duration", TValue::Duration(duration)));
        let message = self.message.render(&TValue::Struct("kapacitor.messageInfo", fields.clone()))?;
        fields.push(("Message", TValue::Str(message.clone())));
        let details = self.details.render(&TValue::Struct("kapacitor.detailsInfo", fields))?;
        Ok((id, message, details))
    }

    fn annotate(&self, point: &Point, id: &str, message: &str, level: Level, duration: i64) -> Point {
        let a = &self.annotations;
        let mut out = point.clone();
        if let Some(t) = &a.level_tag {
            out.set_tag(t, level.as_str().into());
        }
        if let Some(t) = &a.id_tag {
            out.set_tag(t, id.into());
        }
        if let Some(f) = &a.level_field {
            out.set_field(f, FieldValue::Str(level.as_str().into()));
        }
        if let Some(f) = &a.message_field {
            out.set_field(f, FieldValue::Str(message.into()));
        }
        if let Some(f) = &a.id_field {
            out.set_field(f, FieldValue::Str(id.into()));
        }
        if let Some(f) = &a.duration_field {
            out.set_field(f, FieldValue::Int(duration));
        }
        out
    }
}

/// One event's rendered texts and facts.
struct Event<'a> {
    id: &'a str,
    message: &'a str,
    details: &'a str,
    level: Level,
    time: i64,
    duration: i64,
    recoverable: bool,
}

fn base_fields(point: &Point, group: &str, info: &RunInfo) -> Vec<(&'static str, TValue)> {
    let tags = point.tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let server = TValue::Struct(
        "kapacitor.serverInfo",
        vec![
            ("Hostname", TValue::Str(info.hostname.clone())),
            ("ClusterID", TValue::Str(info.cluster_id.clone())),
            ("ServerID", TValue::Str(info.server_id.clone())),
        ],
    );
    vec![
        ("Name", TValue::Str(point.name.to_string())),
        ("TaskName", TValue::Str(info.task_name.to_string())),
        ("Group", TValue::Str(group.to_string())),
        ("Tags", TValue::StrMap(tags)),
        ("ServerInfo", server),
    ]
}

fn field_map(point: &Point) -> TValue {
    let map = point
        .fields
        .iter()
        .map(|(k, v)| {
            let value = match v {
                FieldValue::Float(f) => TValue::Float(*f),
                FieldValue::Int(i) => TValue::Int(*i),
                FieldValue::Str(s) => TValue::Str(s.to_string()),
                FieldValue::Bool(b) => TValue::Bool(*b),
                FieldValue::Null => TValue::Nil,
            };
            (k.to_string(), value)
        })
        .collect();
    TValue::Map(map)
}
