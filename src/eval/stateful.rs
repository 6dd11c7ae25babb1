//! The stateful builtins `count()`, `sigma(float)` and `spread(float)`.
//!
//! Each call site owns its state; cloning a [`super::Lambda`] resets it,
//! as Kapacitor builds fresh functions for each group.

/// The running state of one stateful call site.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum State {
    /// `count()`: evaluations so far.
    Count(i64),
    /// `sigma(x)`: Welford's running mean and sum of squares.
    Sigma {
        /// Values seen (as a float, like Kapacitor).
        n: f64,
        /// Running mean.
        mean: f64,
        /// Running sum of squared differences.
        m2: f64,
    },
    /// `spread(x)`: running minimum and maximum.
    Spread {
        /// Smallest value seen.
        min: f64,
        /// Largest value seen.
        max: f64,
    },
}

impl State {
    /// The initial state for a stateful function name, `None` for stateless ones.
    pub(crate) fn for_function(name: &str) -> Option<State> {
        Some(match name {
            "count" => State::Count(0),
            "sigma" => State::Sigma { n: 0.0, mean: 0.0, m2: 0.0 },
            "spread" => State::Spread { min: f64::INFINITY, max: f64::NEG_INFINITY },
            _ => return None,
        })
    }

    /// Back to the initial state.
    pub(crate) fn reset(&mut self) {
        *self = match self {
            State::Count(_) => State::Count(0),
            State::Sigma { .. } => State::Sigma { n: 0.0, mean: 0.0, m2: 0.0 },
            State::Spread { .. } => State::Spread { min: f64::INFINITY, max: f64::NEG_INFINITY },
        };
    }

    /// Increments the counter and returns it.
    pub(crate) fn count(&mut self) -> i64 {
        if let State::Count(n) = self {
            *n = n.wrapping_add(1);
            return *n;
        }
        0
    }

    /// Feeds `x` and returns how many standard deviations it is from the running mean
    /// (the mean and variance include `x`); 0 while fewer than 2 values or no variance.
    pub(crate) fn sigma(&mut self, x: f64) -> f64 {
        let State::Sigma { n, mean, m2 } = self else { return 0.0 };
        *n += 1.0;
        let delta = x - *mean;
        *mean += delta / *n;
        *m2 += delta * (x - *mean);
        let variance = *m2 / (*n - 1.0);
        if *n < 2.0 || variance == 0.0 {
            return 0.0;
        }
        (x - *mean).abs() / variance.sqrt()
    }

    /// Feeds `x` and returns the running max − min.
    pub(crate) fn spread(&mut self, x: f64) -> f64 {
        let State::Spread { min, max } = self else { return 0.0 };
        if x < *min {
            *min = x;
        }
        if x > *max {
            *max = x;
        }
        *max - *min
    }
}
