//! InfluxDB 1.x line protocol, parsed the way Kapacitor parses it.
//!
//! A hand-written byte-level parser (no allocation per line once warm:
//! repeated names are interned and the output [`Point`](crate::point::Point)'s vectors are
//! reused). The accepted syntax and the error messages follow
//! `influxdb/models/points.go` as vendored by Kapacitor 1.5.7:
//!
//! - `measurement[,tag=value...] field=value[,field=value...] [timestamp]`;
//! - escapes: `\,` `\ ` in the measurement (plus `\=` `\"`, as Go's
//!   `escape.Unescape` does), `\,` `\ ` `\=` in tag keys and values,
//!   `\,` `\"` `\ ` `\=` in field keys, `\"` `\\` in string values;
//! - field values: float (`1`, `-1.5E-3`, `.5`), integer (`5i`), string
//!   (`"..."`, may span lines), boolean (`t T true True TRUE f F false False FALSE`);
//!   `1u`, `NaN`, `Inf` and a leading `+` are rejected;
//! - duplicate fields: the last one wins (at the first one's position);
//!   duplicate tags: error; tags come out sorted by key;
//! - timestamp optional (missing: the time the line was read, truncated to
//!   the precision), may be negative, scaled by [`Precision`];
//! - blank lines and lines starting with `#` (after blanks) are skipped;
//!   leading spaces, tabs and NULs are ignored; a `\` before a newline and a
//!   newline inside a quoted field string continue the line.
//!
//! Deliberate differences from Kapacitor, all on inputs it rejects or
//! mangles: a trailing `\r` is stripped everywhere (Kapacitor strips it only
//! in replay files, so CRLF HTTP bodies fail there); a `#` comment line never
//! continues onto the next line; `1u` gets a hint in its message; lines must
//! be UTF-8; the [`Reader`] reports and skips lines over 4 MiB (memory stays
//! bounded); a few doubly-malformed field sets report a different one of
//! their errors. The key-length limit is 1.5.7's (measurement+tags ≤ 65535
//! bytes; the field-key term added in later InfluxDB versions is not applied).

mod digits;
mod intern;
mod parse;
mod reader;
mod scan;
mod split;
mod text;
mod value;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_reader;

pub use intern::FastHasher;
pub use parse::LineParser;
pub use reader::{parse_body, Reader};

use std::fmt;
use std::str::FromStr;

/// The unit of line-protocol timestamps (`--precision`, `?precision=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Precision {
    /// Nanoseconds (`n`, `ns`), the default.
    #[default]
    Ns,
    /// Microseconds (`u`, `us`, `µ`, `µs`).
    Us,
    /// Milliseconds (`ms`).
    Ms,
    /// Seconds (`s`).
    S,
    /// Minutes (`m`).
    M,
    /// Hours (`h`).
    H,
}

/// InfluxDB 1.1's `ErrTimeOutOfRange` (the parser Kapacitor 1.5.7 vendors):
/// the whole int64 ns range is accepted, only overflow is an error. (Later
/// versions narrow the range by 2 ns at each end and print it as numbers.)
const TIME_OUT_OF_RANGE: &str = "time outside range 1677-09-21 00:12:43.145224192 +0000 UTC - \
     2262-04-11 23:47:16.854775807 +0000 UTC";

impl Precision {
    /// Nanoseconds per unit.
    pub fn nanos(self) -> i64 {
        match self {
            Precision::Ns => 1,
            Precision::Us => 1_000,
            Precision::Ms => 1_000_000,
            Precision::S => 1_000_000_000,
            Precision::M => 60_000_000_000,
            Precision::H => 3_600_000_000_000,
        }
    }

    /// Kapacitor's HTTP reading of `?precision=`: `u ms s m h`, anything else is ns.
    pub fn from_http(text: &str) -> Precision {
        match text {
            "u" => Precision::Us,
            "ms" => Precision::Ms,
            "s" => Precision::S,
            "m" => Precision::M,
            "h" => Precision::H,
            _ => Precision::Ns,
        }
    }

    /// A timestamp in this unit as ns, if it fits in an int64.
    pub fn to_nanos(self, timestamp: i64) -> Option<i64> {
        timestamp.checked_mul(self.nanos())
    }

    /// `now_ns` truncated to this unit (Go's `Time.Truncate`).
    pub fn truncate(self, now_ns: i64) -> i64 {
        now_ns - now_ns.rem_euclid(self.nanos())
    }
}

impl FromStr for Precision {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Ok(match text {
            "n" | "ns" => Precision::Ns,
            "u" | "us" | "µ" | "µs" => Precision::Us,
            "ms" => Precision::Ms,
            "s" => Precision::S,
            "m" => Precision::M,
            "h" => Precision::H,
            _ => {
                return Err(format!(
                    "unknown precision {text:?}: valid precisions are n, ns, u, us, µ, ms, s, m, h"
                ))
            }
        })
    }
}

impl fmt::Display for Precision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Precision::Ns => "ns",
            Precision::Us => "us",
            Precision::Ms => "ms",
            Precision::S => "s",
            Precision::M => "m",
            Precision::H => "h",
        })
    }
}

/// A bad line: where (1-based line and character column) and what is wrong.
///
/// Messages are Kapacitor's (`missing field value`, `invalid boolean`,
/// `unbalanced quotes`, `bad timestamp`, `duplicate tags`, ...). Reading
/// problems are reported the same way: `line is not valid UTF-8`,
/// `line is longer than N bytes`, `read error: ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.message)
    }
}

impl std::error::Error for LineError {}
