//! Per-group alert state: history ring, flapping, stateChangesOnly expiry and
//! durations, plus the stream and batch event decisions (semantics §3.4).

use super::Level;

/// Default `.history()` length.
const DEFAULT_HISTORY: usize = 21;
/// Smallest history Kapacitor runs with (smaller values are forced up).
const MIN_HISTORY: usize = 2;
/// Flapping weights: the first pair weighs 1.2/1.5, the last 1.2.
const MAX_WEIGHT: f64 = 1.2;
const WEIGHT_DIFF: f64 = 1.5;

/// The alert node properties that drive the state machine.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertConfig {
    /// `.stateChangesOnly([d])`: `None` off, `Some(0)` plain, `Some(ns)` with a max interval.
    pub state_changes_only: Option<i64>,
    /// `.noRecoveries()`.
    pub no_recoveries: bool,
    /// `.flapping(low, high)`.
    pub flapping: Option<(f64, f64)>,
    /// `.history(n)`: default 21; values below 2 run as 2.
    pub history: usize,
}

impl Default for AlertConfig {
    fn default() -> Self {
        AlertConfig {
            state_changes_only: None,
            no_recoveries: false,
            flapping: None,
            history: DEFAULT_HISTORY,
        }
    }
}

/// What a point (or batch) did to a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Suppressed by flapping or stateChangesOnly; `triggered` was not called.
    Suppressed,
    /// No change and OK: nothing happens.
    Nothing,
    /// An event: collect it into the topics and forward the point downstream.
    Event {
        /// `lastTriggered − firstTriggered`, in nanoseconds.
        duration: i64,
        /// `!noRecoveries`.
        recoverable: bool,
    },
    /// A recovery swallowed by `.noRecoveries()`: the state was updated, no event.
    NoRecoveryOk,
}

/// The state of one alert group. Allocates only in [`GroupState::new`].
#[derive(Debug, Clone, PartialEq)]
pub struct GroupState {
    history: Vec<Level>,
    idx: usize,
    changed: bool,
    flapping: bool,
    expired: bool,
    /// `None` is Go's zero time.
    first_triggered: Option<i64>,
    /// `None` is Go's zero time.
    last_triggered: Option<i64>,
}

impl GroupState {
    /// A fresh group: the whole history OK.
    pub fn new(cfg: &AlertConfig) -> Self {
        GroupState {
            history: vec![Level::Ok; cfg.history.max(MIN_HISTORY)],
            idx: 0,
            changed: false,
            flapping: false,
            expired: false,
            first_triggered: None,
            last_triggered: None,
        }
    }

    /// A group restored from a stored topic event (§3.7): `addEvent` + `triggered`
    /// at the stored time when the stored level is not OK.
    pub fn restore(cfg: &AlertConfig, level: Level, time: i64) -> Self {
        let mut state = GroupState::new(cfg);
        if level != Level::Ok {
            state.add_event(cfg, time, level);
            state.triggered(time);
        }
        state
    }

    /// [`GroupState::restore`] keeping the alert's duration: `since` is the
    /// stored `firstTriggered` (the event time minus its duration).
    pub fn restore_since(cfg: &AlertConfig, level: Level, time: i64, since: i64) -> Self {
        let mut state = GroupState::restore(cfg, level, time);
        if level != Level::Ok {
            state.first_triggered = Some(since);
        }
        state
    }

    /// The newest level in the history: the level lambdas are tested against it.
    pub fn current_level(&self) -> Level {
        self.history[self.idx]
    }

    /// Whether the last `addEvent` changed the level.
    pub fn changed(&self) -> bool {
        self.changed
    }

    /// Whether the group is currently flapping.
    pub fn is_flapping(&self) -> bool {
        self.flapping
    }

    /// `lastTriggered − firstTriggered` in ns, saturating like Go's `Time.Sub`.
    pub fn duration(&self) -> i64 {
        match (self.last_triggered, self.first_triggered) {
            (Some(last), Some(first)) => last.saturating_sub(first),
            (Some(_), None) => i64::MAX,
            (None, Some(_)) => i64::MIN,
            (None, None) => 0,
        }
    }

    /// Kapacitor's weighted percentage of level changes in the history (§3.4).
    pub fn percent_change(&self) -> f64 {
        let len = self.history.len();
        let mut weight = MAX_WEIGHT / WEIGHT_DIFF;
        let step = (MAX_WEIGHT - weight) / (len - 1) as f64;
        let mut changes = 0.0;
        // Pairs (cur, cur-1) for cur = idx, idx+1, … (L−1 of them), wrapping.
        let mut cur = self.idx;
        for _ in 0..len - 1 {
            let prev = if cur == 0 { len - 1 } else { cur - 1 };
            if self.history[cur] != self.history[prev] {
                changes += weight;
            }
            weight += step;
            cur = if cur + 1 == len { 0 } else { cur + 1 };
        }
        changes / (len - 1) as f64
    }

    /// `addEvent`: record `level`, then update flapping and expiry.
    fn add_event(&mut self, cfg: &AlertConfig, time: i64, level: Level) {
        self.changed = self.history[self.idx] != level;
        self.idx = (self.idx + 1) % self.history.len();
        self.history[self.idx] = level;
        self.update_flapping(cfg);
        self.update_expired(cfg, time);
    }

    fn update_flapping(&mut self, cfg: &AlertConfig) {
        let Some((low, high)) = cfg.flapping else {
            return;
        };
        let pct = self.percent_change();
        if self.flapping && pct < low {
            self.flapping = false;
        } else if !self.flapping && pct > high {
            self.flapping = true;
        }
    }

    fn update_expired(&mut self, cfg: &AlertConfig, time: i64) {
        let max_interval = cfg.state_changes_only.unwrap_or(0);
        let since = match self.last_triggered {
            Some(last) => time.saturating_sub(last),
            None => i64::MAX,
        };
        self.expired = !self.changed && max_interval != 0 && since >= max_interval;
    }

    /// `triggered`: stamp lastTriggered; restart the duration after an OK entry.
    fn triggered(&mut self, time: i64) {
        self.last_triggered = Some(time);
        let len = self.history.len();
        let prev = if self.idx == 0 { len - 1 } else { self.idx - 1 };
        if self.history[prev] == Level::Ok {
            self.first_triggered = Some(time);
        }
    }

    /// Flapping or stateChangesOnly suppression after the latest `addEvent`.
    fn suppressed(&self, cfg: &AlertConfig) -> bool {
        let flapping = cfg.flapping.is_some() && self.flapping;
        let unchanged = cfg.state_changes_only.is_some() && !self.changed && !self.expired;
        flapping || unchanged
    }

    /// `triggered`, then the event unless it is a recovery under noRecoveries.
    fn fire(&mut self, cfg: &AlertConfig, time: i64, level: Level) -> Outcome {
        self.triggered(time);
        if cfg.no_recoveries && level == Level::Ok {
            return Outcome::NoRecoveryOk;
        }
        Outcome::Event {
            duration: self.duration(),
            recoverable: !cfg.no_recoveries,
        }
    }
}

/// The stream path (§3.4): record `level` for a point at `time` and decide.
pub fn on_point(state: &mut GroupState, cfg: &AlertConfig, time: i64, level: Level) -> Outcome {
    state.add_event(cfg, time, level);
    if state.suppressed(cfg) {
        return Outcome::Suppressed;
    }
    if level != Level::Ok || state.changed {
        return state.fire(cfg, time, level);
    }
    Outcome::Nothing
}

/// The batch path (§3.4). `levels` holds each point's time and level, all
/// evaluated against the level the group had before the batch.
///
/// Returns the batch level (highest, or lowest with `all`), the outcome, and
/// the index of the first point reaching the highest level (its fields feed
/// the templates). An empty batch returns `(OK, Nothing, 0)` and leaves the
/// state untouched. The event time is [`batch_event_time`].
pub fn on_batch(
    state: &mut GroupState,
    cfg: &AlertConfig,
    batch_time: i64,
    levels: &[(i64, Level)],
    all: bool,
) -> (Level, Outcome, usize) {
    if levels.is_empty() {
        return (Level::Ok, Outcome::Nothing, 0);
    }
    let (highest_index, highest) = highest_point(levels);
    let lowest = levels.iter().map(|(_, l)| *l).min().unwrap_or(Level::Ok);
    let level = if all { lowest } else { highest };
    let time = batch_event_time(levels, batch_time, all, level, highest_index);
    state.add_event(cfg, time, level);
    let recovery = state.changed && level == Level::Ok;
    let outcome = if recovery || (level != Level::Ok && !state.suppressed(cfg)) {
        state.fire(cfg, time, level)
    } else if level != Level::Ok {
        Outcome::Suppressed
    } else {
        Outcome::Nothing
    };
    (level, outcome, highest_index)
}

/// The event time of a batch: the highest point's time, or the batch time
/// (TMax) with `.all()` or when the level is OK.
pub fn batch_event_time(
    levels: &[(i64, Level)],
    batch_time: i64,
    all: bool,
    level: Level,
    highest: usize,
) -> i64 {
    match levels.get(highest) {
        Some((time, _)) if !all && level != Level::Ok => *time,
        _ => batch_time,
    }
}

/// Index and level of the first point reaching the highest level.
fn highest_point(levels: &[(i64, Level)]) -> (usize, Level) {
    let mut best = (0, levels[0].1);
    for (i, (_, level)) in levels.iter().enumerate().skip(1) {
        if *level > best.1 {
            best = (i, *level);
        }
    }
    best
}
