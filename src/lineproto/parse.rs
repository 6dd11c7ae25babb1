//! One line of line protocol into a [`Point`] (Go's `parsePoint`).

use super::intern::Interner;
use super::text::{char_column, skip_blanks, trim_line_end, unescape, Escapes, Fault};
use super::value::{scan_bool, scan_number, scan_string};
use super::{Precision, MAX_NANO_TIME, MIN_NANO_TIME};
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
    /// Byte spans of this line's tag keys, in input order (for error positions).
    tag_keys: Vec<(usize, usize)>,
}

impl LineParser {
    /// A parser for timestamps in `precision`.
    pub fn new(precision: Precision) -> Self {
        LineParser {
            precision,
            interner: Interner::default(),
            scratch: String::new(),
            tag_keys: Vec::new(),
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
            let message = format!("max key length exceeded: {} > {MAX_KEY_LENGTH}", key_end - start);
            return Err(Fault::owned(start, message));
        }
        let after_fields = self.fields(line, key_end, out)?;
        let time = self.timestamp(bytes, after_fields)?;
        if let Some(time) = time {
            out.time = time;
        }
        Ok(Parsed::Point { timed: time.is_some() })
    }

    /// The measurement: up to an unescaped `,` (tags follow) or space.
    fn measurement(&mut self, line: &str, start: usize, out: &mut Point) -> Result<(usize, bool), Fault> {
        let b = line.as_bytes();
        if b[start] == b',' {
            return Err(Fault::new(start, "missing measurement"));
        }
        let mut i = start + 1;
        loop {
            if i >= b.len() {
                return Err(Fault::new(b.len(), "missing fields"));
            }
            if b[i - 1] != b'\\' && (b[i] == b',' || b[i] == b' ') {
                let name = unescape(&line[start..i], Escapes::Key, &mut self.scratch);
                self.interner.assign(&mut out.name, name);
                return Ok(if b[i] == b',' { (i + 1, true) } else { (i, false) });
            }
            i += 1;
        }
    }

    /// The tag set from `i` (just after the measurement's comma); returns
    /// the offset of the space that ends it. Tags end up sorted, unique.
    fn tags(&mut self, line: &str, mut i: usize, out: &mut Point) -> Result<usize, Fault> {
        let b = line.as_bytes();
        self.tag_keys.clear();
        let mut count = 0;
        let mut sorted = true;
        loop {
            let (key_start, key_end) = scan_tag_key(b, i)?;
            let (value_end, last) = scan_tag_value(b, key_end + 1)?;
            let key = unescape(&line[key_start..key_end], Escapes::Tag, &mut self.scratch);
            if count < out.tags.len() {
                self.interner.assign(&mut out.tags[count].0, key);
            } else {
                let key = self.interner.intern(key);
                out.tags.push((key.clone(), key));
            }
            let value = unescape(&line[key_end + 1..value_end], Escapes::Tag, &mut self.scratch);
            self.interner.assign(&mut out.tags[count].1, value);
            self.tag_keys.push((key_start, key_end));
            if count > 0 && sorted {
                match out.tags[count - 1].0.cmp(&out.tags[count].0) {
                    std::cmp::Ordering::Less => {}
                    std::cmp::Ordering::Equal => return Err(Fault::new(key_start, "duplicate tags")),
                    std::cmp::Ordering::Greater => sorted = false,
                }
            }
            count += 1;
            if last {
                out.tags.truncate(count);
                if !sorted {
                    self.sort_tags(line, out)?;
                }
                return Ok(value_end);
            }
            i = value_end + 1;
        }
    }

    /// Sorts tags by key; a repeated key is an error at its second occurrence.
    fn sort_tags(&mut self, line: &str, out: &mut Point) -> Result<(), Fault> {
        out.tags.sort_by(|a, b| a.0.cmp(&b.0));
        let Some(pair) = out.tags.windows(2).find(|w| w[0].0 == w[1].0) else {
            return Ok(());
        };
        let duplicate = pair[0].0.clone();
        let mut seen = 0;
        for &(start, end) in &self.tag_keys {
            if unescape(&line[start..end], Escapes::Tag, &mut self.scratch) == &*duplicate {
                seen += 1;
                if seen == 2 {
                    return Err(Fault::new(start, "duplicate tags"));
                }
            }
        }
        Err(Fault::new(self.tag_keys[0].0, "duplicate tags"))
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
            let equals = scan_field_key(b, &mut i, &mut stray_comma)?;
            let key_is_empty = equals == key_start
                || (b[equals - 1] == b',' && (equals < 2 || b[equals - 2] != b'\\'));
            if key_is_empty {
                return Err(Fault::new(equals, "missing field key"));
            }
            let key = unescape(&line[key_start..equals], Escapes::Key, &mut self.scratch);
            if count < out.fields.len() {
                self.interner.assign(&mut out.fields[count].0, key);
            } else {
                out.fields.push((self.interner.intern(key), FieldValue::Bool(false)));
            }
            let (end, value) = self.field_value(line, equals + 1)?;
            out.fields[count].1 = value;
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

    /// One field value starting at `start` (just after the `=`).
    #[inline]
    fn field_value(&mut self, line: &str, start: usize) -> Result<(usize, FieldValue), Fault> {
        let b = line.as_bytes();
        match b.get(start) {
            None | Some(b',' | b' ') => Err(Fault::new(start, "missing field value")),
            Some(b'0'..=b'9' | b'.' | b'-' | b'N' | b'n') => scan_number(line, start),
            Some(b'"') => scan_string(line, start, &mut self.scratch),
            Some(_) => scan_bool(line, start),
        }
    }

    /// The optional timestamp after the fields, scaled to ns (Go's `scanTime`).
    fn timestamp(&self, b: &[u8], from: usize) -> Result<Option<i64>, Fault> {
        let start = skip_blanks(b, from);
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
            let why = if i - start == 1 && b[start] == b'-' { "invalid syntax" } else { "value out of range" };
            Fault::owned(start, format!("strconv.ParseInt: parsing {text:?}: {why}"))
        })?;
        let time = self.precision.to_nanos(raw).ok_or_else(|| {
            Fault::owned(start, format!("time outside range {MIN_NANO_TIME} - {MAX_NANO_TIME}"))
        })?;
        if let Some(n) = b[i..].iter().position(|&c| c != b' ') {
            return Err(Fault::new(i + n, "point is invalid"));
        }
        Ok(Some(time))
    }
}

/// A tag key from `i`: returns its span, ending at an unescaped `=`.
#[inline]
fn scan_tag_key(b: &[u8], mut i: usize) -> Result<(usize, usize), Fault> {
    if i >= b.len() || matches!(b[i], b' ' | b',' | b'=') {
        return Err(Fault::new(i, "missing tag key"));
    }
    let start = i;
    loop {
        i += 1;
        if i >= b.len() {
            return Err(Fault::new(i, "missing tag value"));
        }
        if b[i - 1] != b'\\' {
            match b[i] {
                b' ' | b',' => return Err(Fault::new(i, "missing tag value")),
                b'=' => return Ok((start, i)),
                _ => {}
            }
        }
    }
}

/// A tag value from `i`: returns its end and whether a space (not a comma) ends it.
#[inline]
fn scan_tag_value(b: &[u8], mut i: usize) -> Result<(usize, bool), Fault> {
    if i >= b.len() || matches!(b[i], b',' | b' ') {
        return Err(Fault::new(i, "missing tag value"));
    }
    loop {
        i += 1;
        if i >= b.len() {
            return Err(Fault::new(i, "missing fields"));
        }
        if b[i - 1] != b'\\' {
            match b[i] {
                b'=' => return Err(Fault::new(i, "invalid tag format")),
                b',' => return Ok((i, false)),
                b' ' => return Ok((i, true)),
                _ => {}
            }
        }
    }
}

/// Advances `i` to the `=` ending a field key; a backslash skips the next byte.
#[inline]
fn scan_field_key(b: &[u8], i: &mut usize, stray_comma: &mut Option<usize>) -> Result<usize, Fault> {
    loop {
        match b.get(*i) {
            None | Some(b' ') => {
                return Err(Fault::new(stray_comma.unwrap_or(*i), "invalid field format"))
            }
            Some(b'\\') if *i + 1 < b.len() => *i += 2,
            Some(b'=') => return Ok(*i),
            Some(b',') => {
                stray_comma.get_or_insert(*i);
                *i += 1;
            }
            Some(_) => *i += 1,
        }
    }
}

/// A signed decimal integer, `None` on overflow or no digits.
#[inline]
fn parse_timestamp(text: &[u8]) -> Option<i64> {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: i64 = 0;
    for &c in digits {
        let d = i64::from(c - b'0');
        value = value.checked_mul(10)?;
        value = if negative { value.checked_sub(d)? } else { value.checked_add(d)? };
    }
    Some(value)
}

/// Duplicate field keys: the last value wins, kept at the first position.
fn dedup_fields(fields: &mut Vec<(std::sync::Arc<str>, FieldValue)>) {
    if fields.len() > 32 {
        return dedup_many(fields);
    }
    let mut j = 1;
    while j < fields.len() {
        match (0..j).find(|&i| fields[i].0 == fields[j].0) {
            Some(i) => {
                let (_, value) = fields.remove(j);
                fields[i].1 = value;
            }
            None => j += 1,
        }
    }
}

/// [`dedup_fields`] for long field sets, in linear time.
fn dedup_many(fields: &mut Vec<(std::sync::Arc<str>, FieldValue)>) {
    let mut first_at: std::collections::HashMap<std::sync::Arc<str>, usize> =
        std::collections::HashMap::with_capacity(fields.len());
    let mut unique: Vec<(std::sync::Arc<str>, FieldValue)> = Vec::with_capacity(fields.len());
    for (key, value) in fields.drain(..) {
        match first_at.get(&key) {
            Some(&i) => unique[i].1 = value,
            None => {
                first_at.insert(key.clone(), unique.len());
                unique.push((key, value));
            }
        }
    }
    *fields = unique;
}
