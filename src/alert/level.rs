//! Alert levels, ordered OK < INFO < WARNING < CRITICAL.

use std::fmt;

/// An alert level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Level {
    /// No alert (also a recovery).
    #[default]
    Ok,
    /// `.info()` matched.
    Info,
    /// `.warn()` matched.
    Warning,
    /// `.crit()` matched.
    Critical,
}

impl Level {
    /// All levels, lowest first.
    pub const ALL: [Level; 4] = [Level::Ok, Level::Info, Level::Warning, Level::Critical];

    /// The upper-case name Kapacitor prints: `OK`, `INFO`, `WARNING`, `CRITICAL`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Ok => "OK",
            Level::Info => "INFO",
            Level::Warning => "WARNING",
            Level::Critical => "CRITICAL",
        }
    }

    /// The level named `text` (upper case, as printed).
    pub fn parse(text: &str) -> Option<Level> {
        Level::ALL.into_iter().find(|l| l.as_str() == text)
    }

    /// 0 for OK up to 3 for CRITICAL (the values of `level()` in `match`).
    pub fn as_int(self) -> i64 {
        self as i64
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
