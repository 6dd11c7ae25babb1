//! Level determination with optional reset lambdas (semantics §3.3).

use super::Level;

/// Which lambda [`determine_level`] wants evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LevelCheck {
    /// The trigger lambda of a level (`.info`, `.warn`, `.crit`).
    Trigger(Level),
    /// The reset lambda of a level (`.infoReset`, `.warnReset`, `.critReset`).
    Reset(Level),
}

/// The new level of a group whose current level is `current`.
///
/// `test` evaluates the lambda for a check: `Some(result)`, or `None` when
/// that lambda is not set. The caller maps trigger errors to `Some(false)`
/// and reset errors to `Some(true)` ("reset passed"), as Kapacitor does.
///
/// Order, exactly as Kapacitor: triggers from CRITICAL down to
/// max(`current`, INFO), first match wins; then a failing reset of `current`
/// keeps `current`; then triggers from `current` down to INFO (so the
/// current level's trigger is evaluated a second time, which matters for
/// stateful lambdas); otherwise OK. Evaluation stops at the first decision.
pub fn determine_level(current: Level, mut test: impl FnMut(LevelCheck) -> Option<bool>) -> Level {
    let floor = current.max(Level::Info);
    if let Some(level) = first_match(Level::Critical, floor, &mut test) {
        return level;
    }
    if current != Level::Ok && test(LevelCheck::Reset(current)) == Some(false) {
        return current;
    }
    if current == Level::Ok {
        return Level::Ok;
    }
    first_match(current, Level::Info, &mut test).unwrap_or(Level::Ok)
}

/// The first level from `high` down to `low` (inclusive) whose trigger is true.
fn first_match(
    high: Level,
    low: Level,
    test: &mut impl FnMut(LevelCheck) -> Option<bool>,
) -> Option<Level> {
    Level::ALL
        .iter()
        .rev()
        .copied()
        .filter(|l| *l <= high && *l >= low)
        .find(|l| test(LevelCheck::Trigger(*l)) == Some(true))
}
