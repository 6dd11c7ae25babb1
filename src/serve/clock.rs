//! The wall clock of task threads: what time it is, and how long to wait for
//! the next batch before the pipeline's timers (deadman) are due.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The longest a task thread with timers sleeps before it looks at the clock
/// again (so a clock step, or a fake clock in tests, is noticed quickly).
pub const MAX_WAIT: Duration = Duration::from_millis(100);

/// A source of wall time in ns since the Unix epoch.
pub trait Clock: Send + Sync {
    /// The current time.
    fn now(&self) -> i64;
}

/// The system clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> i64 {
        match SystemTime::now().duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_nanos()).unwrap_or(i64::MAX),
            Err(e) => -i64::try_from(e.duration().as_nanos()).unwrap_or(i64::MAX),
        }
    }
}

/// How long to wait for a message: forever without a timer, else until it is
/// due (at most [`MAX_WAIT`]); `Duration::ZERO` when it is already due.
pub fn wait_for(next_timer: Option<i64>, now: i64) -> Option<Duration> {
    let due = next_timer?;
    let ns = u64::try_from(due.saturating_sub(now)).unwrap_or(0);
    Some(Duration::from_nanos(ns).min(MAX_WAIT))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_timer_waits_forever_and_a_due_timer_not_at_all() {
        assert_eq!(wait_for(None, 5), None);
        assert_eq!(wait_for(Some(5), 5), Some(Duration::ZERO));
        assert_eq!(wait_for(Some(5), 9), Some(Duration::ZERO));
    }

    #[test]
    fn waits_until_due_but_at_most_max_wait() {
        assert_eq!(wait_for(Some(1_000_000), 0), Some(Duration::from_millis(1)));
        assert_eq!(wait_for(Some(i64::MAX), i64::MIN), Some(MAX_WAIT));
    }

    #[test]
    fn system_clock_is_after_2020() {
        assert!(SystemClock.now() > 1_577_836_800_000_000_000);
    }
}
