//! One line of line protocol into a [`Point`] (Go's `parsePoint`).

use super::digits::{simple_number, unsigned_digits};
use super::intern::Interner;
use super::scan::{find_unescaped, parse_timestamp, scan_field_key, scan_tag_key, scan_tag_value};
use super::text::{char_column, skip_blanks, trim_line_end, unescape, unescape_if, Escapes, Fault};
use super::value::{dedup_fields, scan_bool, scan_number, scan_string};
use super::{Precision, TIME_OUT_OF_RANGE};
use crate::point::Point;
use crate::value::FieldValue;

/// Longest measurement+tags text InfluxDB 1.1 accepts (`MaxKeyLength`).
const MAX_KEY_LENGTH: usize = 65535;

/// What a line turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Parsed {
    /// Blank or comment.
    Skip,
    /// A point; `timed` is false when the line had no timestamp.
    Point {
        /// Whether the line carried its own timestamp.
        timed: bool,
    },
}

/// A reusable line parser: keeps the precision and an interner of names.
#[derive(Debug)]
pub struct LineParser {
    precision: Precision,
    interner: Interner,
    scratch: String,
}

impl LineParser {
    /// A parser for timestamps in `precision`.
    pub fn new(precision: Precision) -> Self {
        LineParser {
            precision,
            interner: Interner::default(),
            scratch: String::new(),
        }
    }

    /// The timestamp unit.
    pub fn precision(&self) -> Precision {
        self.precision
    }

    /// Parses one line into `out`, reusing its vectors and strings.
    ///
    /// `Ok(false)` for a blank or comment line (`out` untouched); `Ok(true)`
    /// when `out` holds the point. A line without timestamp gets `now_ns`
    /// truncated to the precision. A trailing `\n` / `\r\n` is ignored. On
    /// error, returns the 1-based character column of the offending byte
    /// (counted from the start of `line`, across any embedded newline) and
    /// Kapacitor's message; `out` is then left partly overwritten.
    pub fn parse_line(
        &mut self,
        line: &str,
        now_ns: i64,
        out: &mut Point,
    ) -> Result<bool, (usize, String)> {
        match self.parse_raw(line, out) {
            Ok(Parsed::Skip) => Ok(false),
            Ok(Parsed::Point { timed }) => {
                if !timed {
                    out.time = self.precision.truncate(now_ns);
                }
                Ok(true)
            }
            Err(fault) => Err((char_column(line, fault.at), fault.message.into_owned())),
        }
    }

    /// [`parse_line`](Self::parse_line) with byte offsets and without the clock.
    pub(super) fn parse_raw(&mut self, line: &str, out: &mut Point) -> Result<Parsed, Fault> {
        let line = trim_line_end(line);
        let bytes = line.as_bytes();
        let start = skip_blanks(bytes, 0);
        if start >= bytes.len() || bytes[start] == b'#' {
            return Ok(Parsed::Skip);
        }
        let (after_name, has_tags) = self.measurement(line, start, out)?;
        let key_end = if has_tags {
            self.tags(line, after_name, out)?
        } else {
            out.tags.clear();
            after_name
        };
        if key_end - start > MAX_KEY_LENGTH {
            let message = format!(
                "max key length exceeded: {} > {MAX_KEY_LENGTH}",
                key_end - start
            );
            return Err(Fault::owned(start, message));
        }
        let after_fields = self.fields(line, key_end, out)?;
        let time = self.timestamp(bytes, after_fields)?;
        if let Some(time) = time {
            out.time = time;
        }
        Ok(Parsed::Point {
            timed: time.is_some(),
        })
    }

    /// The measurement: up to an unescaped `,` (tags follow) or space.
    fn measurement(
        &mut self,
        line: &str,
        start: usize,
        out: &mut Point,
    ) -> Result<(usize, bool), Fault> {
        let b = line.as_bytes();
        if b[start] == b',' {
            return Err(Fault::new(start, "missing measurement"));
        }
        let (end, escaped) = find_unescaped(b, start + 1, [b',', b' ', b' ']);
        let escapes = escaped || b[start] == b'\\';
        if end >= b.len() {
            return Err(Fault::new(b.len(), "missing fields"));
        }
        let name = unescape_if(escapes, &line[start..end], Escapes::Key, &mut self.scratch);
        self.interner.assign(&mut out.name, name);
        Ok(if b[end] == b',' {
            (end + 1, true)
        } else {
            (end, false)
        })
    }

    /// The tag set from `i` (just after the measurement's comma); returns
    /// the offset of the space that ends it. Tags end up sorted, unique.
    fn tags(&mut self, line: &str, tags_start: usize, out: &mut Point) -> Result<usize, Fault> {
        let b = line.as_bytes();
        let mut i = tags_start;
        let mut count = 0;
        let mut sorted = true;
        loop {
            let key_start = i;
            let (key_end, key_escaped) = scan_tag_key(b, key_start)?;
            let (value_end, last, value_escaped) = scan_tag_value(b, key_end + 1)?;
            let key = unescape_if(
                key_escaped,
                &line[key_start..key_end],
                Escapes::Tag,
                &mut self.scratch,
            );
            if count < out.tags.len() {
                self.interner.assign(&mut out.tags[count].0, key);
            } else {
                let key = self.interner.intern(key);
                out.tags.push((key.clone(), key));
            }
            let value = unescape_if(
                value_escaped,
                &line[key_end + 1..value_end],
                Escapes::Tag,
                &mut self.scratch,
            );
            self.interner.assign(&mut out.tags[count].1, value);
            if count > 0 && sorted {
                match out.tags[count - 1].0.cmp(&out.tags[count].0) {
                    std::cmp::Ordering::Less => {}
                    std::cmp::Ordering::Equal => {
                        return Err(Fault::new(key_start, "duplicate tags"))
                    }
                    std::cmp::Ordering::Greater => sorted = false,
                }
            }
            count += 1;
            if last {
                out.tags.truncate(count);
                if !sorted {
                    self.sort_tags(line, tags_start, out)?;
                }
                return Ok(value_end);
            }
            i = value_end + 1;
        }
    }

    /// Sorts tags by key; a repeated key is an error at its second occurrence.
    fn sort_tags(&mut self, line: &str, tags_start: usize, out: &mut Point) -> Result<(), Fault> {
        out.tags.sort_by(|a, b| a.0.cmp(&b.0));
        let Some(pair) = out.tags.windows(2).find(|w| w[0].0 == w[1].0) else {
            return Ok(());
        };
        let duplicate = pair[0].0.clone();
        // Walk the (already validated) tag set again for the second occurrence.
        let b = line.as_bytes();
        let (mut i, mut seen) = (tags_start, 0);
        while let Ok((end, _)) = scan_tag_key(b, i) {
            if unescape(&line[i..end], Escapes::Tag, &mut self.scratch) == &*duplicate {
                seen += 1;
                if seen == 2 {
                    return Err(Fault::new(i, "duplicate tags"));
                }
            }
            match scan_tag_value(b, end + 1) {
                Ok((value_end, false, _)) => i = value_end + 1,
                _ => break,
            }
        }
        Err(Fault::new(tags_start, "duplicate tags"))
    }

    /// The field set from `from` (at the space after the key); returns the
    /// offset just past it.
    fn fields(&mut self, line: &str, from: usize, out: &mut Point) -> Result<usize, Fault> {
        let b = line.as_bytes();
        let mut i = skip_blanks(b, from);
        let mut count = 0;
        // Go reports a comma inside a field key only once the set is scanned.
        let mut stray_comma: Option<usize> = None;
        loop {
            let key_start = i;
            let escaped = scan_field_key(b, &mut i, &mut stray_comma)?;
            let equals = i;
            let key_is_empty = equals == key_start
                || (b[equals - 1] == b',' && (equals < 2 || b[equals - 2] != b'\\'));
            if key_is_empty {
                return Err(Fault::new(equals, "missing field key"));
            }
            let key = unescape_if(
                escaped,
                &line[key_start..equals],
                Escapes::Key,
                &mut self.scratch,
            );
            if count < out.fields.len() {
                self.interner.assign(&mut out.fields[count].0, key);
            } else {
                out.fields
                    .push((self.interner.intern(key), FieldValue::Bool(false)));
            }
            let end = self.field_value(line, equals + 1, &mut out.fields[count].1)?;
            count += 1;
            if end >= b.len() || b[end] == b' ' {
                if let Some(at) = stray_comma {
                    return Err(Fault::new(at, "invalid field format"));
                }
                out.fields.truncate(count);
                dedup_fields(&mut out.fields);
                return Ok(end);
            }
            i = end + 1;
        }
    }

    /// One field value starting at `start` (just after the `=`), written
    /// straight into `slot` (no temporary); returns the offset past it.
    #[inline]
    fn field_value(&mut self, line: &str, start: usize, slot: &mut FieldValue) -> Result<usize, Fault> {
        let b = line.as_bytes();
        let (end, value) = match b.get(start) {
            None | Some(b',' | b' ') => return Err(Fault::new(start, "missing field value")),
            Some(b'0'..=b'9' | b'.' | b'-' | b'N' | b'n') => match simple_number(b, start, slot) {
                Some(end) => return Ok(end),
                None => scan_number(line, start)?,
            },
            Some(b'"') => scan_string(line, start, &mut self.scratch)?,
            Some(_) => scan_bool(line, start)?,
        };
        *slot = value;
        Ok(end)
    }

    /// The optional timestamp after the fields, scaled to ns (Go's `scanTime`).
    fn timestamp(&self, b: &[u8], from: usize) -> Result<Option<i64>, Fault> {
        let start = skip_blanks(b, from);
        if let Some(raw) = unsigned_digits(&b[start..]) {
            return match self.precision.to_nanos(raw) {
                Some(time) => Ok(Some(time)),
                None => Err(out_of_range(start)),
            };
        }
        let mut i = start;
        while i < b.len() && b[i] != b' ' && b[i] != b'\n' {
            if !(b[i].is_ascii_digit() || (i == start && b[i] == b'-')) {
                return Err(Fault::new(i, "bad timestamp"));
            }
            i += 1;
        }
        if i == start {
            return Ok(None);
        }
        let raw = parse_timestamp(&b[start..i]).ok_or_else(|| {
            let text = String::from_utf8_lossy(&b[start..i]);
            let why = if i - start == 1 && b[start] == b'-' {
                "invalid syntax"
            } else {
                "value out of range"
            };
            Fault::owned(start, format!("strconv.ParseInt: parsing {text:?}: {why}"))
        })?;
        let time = self
            .precision
            .to_nanos(raw)
            .ok_or_else(|| out_of_range(start))?;
        if let Some(n) = b[i..].iter().position(|&c| c != b' ') {
            return Err(Fault::new(i + n, "point is invalid"));
        }
        Ok(Some(time))
    }
}

/// Go's `ErrTimeOutOfRange`.
fn out_of_range(at: usize) -> Fault {
    Fault::new(at, TIME_OUT_OF_RANGE)
}
