//! Field-value scanners: Go's `scanNumber`, `scanBoolean` and quoted strings.
//!
//! Each takes the line and the offset of the value's first byte and returns
//! the offset just past the value (an unquoted `,` or space, or the line end)
//! with the parsed value.

use super::digits::POW10;
use super::text::{unescape, Escapes, Fault};
use crate::point::same_name;
use crate::value::FieldValue;
use std::sync::Arc;

const INVALID_NUMBER: &str = "invalid number";
const UNSIGNED_HINT: &str = "invalid number: unsigned integers (1u) are not supported; use 1i";

/// What the number scan has seen so far.
#[derive(Default)]
struct Seen {
    int_suffix: bool,
    decimal: bool,
    scientific: bool,
    mantissa: u64,
    mantissa_overflow: bool,
    fraction_digits: usize,
}

impl Seen {
    #[inline]
    fn digit(&mut self, c: u8) {
        match self
            .mantissa
            .checked_mul(10)
            .and_then(|m| m.checked_add(u64::from(c - b'0')))
        {
            Some(m) => self.mantissa = m,
            None => self.mantissa_overflow = true,
        }
        if self.decimal {
            self.fraction_digits += 1;
        }
    }
}

/// A float (`-1.5E-3`) or an integer (`5i`), validated as Go does.
pub(super) fn scan_number(line: &str, start: usize) -> Result<(usize, FieldValue), Fault> {
    let b = line.as_bytes();
    let negative = b[start] == b'-';
    let mut i = start + usize::from(negative);
    if i == b.len() {
        return Err(Fault::new(start, INVALID_NUMBER));
    }
    let mut seen = Seen::default();
    while i < b.len() {
        let c = b[i];
        match c {
            b',' | b' ' => break,
            b'0'..=b'9' => seen.digit(c),
            b'i' if i > start && !seen.int_suffix => seen.int_suffix = true,
            b'u' if i > start && !seen.int_suffix => return Err(unsigned(b, start, i)),
            b'.' if seen.decimal => return Err(Fault::new(i, INVALID_NUMBER)),
            b'.' => seen.decimal = true,
            b'e' | b'E' if i > start => seen.scientific = true,
            b'+' | b'-' if i > start && matches!(b[i - 1], b'e' | b'E') => {}
            _ => return Err(Fault::new(i, INVALID_NUMBER)),
        }
        i += 1;
    }
    // Go's "numericDigits": everything but the sign, the `i` and the point.
    let numeric = i
        - start
        - usize::from(negative)
        - usize::from(seen.int_suffix)
        - usize::from(seen.decimal);
    if (seen.int_suffix && (seen.decimal || seen.scientific)) || numeric == 0 {
        return Err(Fault::new(start, INVALID_NUMBER));
    }
    let value = if seen.int_suffix {
        if b[i - 1] != b'i' {
            return Err(Fault::new(start, INVALID_NUMBER));
        }
        FieldValue::Int(parse_int(&line[start..i - 1], start)?)
    } else {
        FieldValue::Float(parse_float(&line[start..i], negative, &seen, start)?)
    };
    Ok((i, value))
}

/// `1u`: rejected like Kapacitor, with a hint when it is a plain unsigned.
fn unsigned(b: &[u8], start: usize, at: usize) -> Fault {
    let digits_before = b[start..at].iter().all(u8::is_ascii_digit);
    let ends_here = at + 1 == b.len() || matches!(b[at + 1], b',' | b' ');
    if digits_before && ends_here {
        Fault::new(at, UNSIGNED_HINT)
    } else {
        Fault::new(at, INVALID_NUMBER)
    }
}

/// A decimal integer (optional `-`, digits only), checked against int64.
fn parse_int(text: &str, at: usize) -> Result<i64, Fault> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let mut value: i64 = 0;
    for c in digits.bytes() {
        let d = i64::from(c - b'0');
        let next = value.checked_mul(10).and_then(|v| {
            if negative {
                v.checked_sub(d)
            } else {
                v.checked_add(d)
            }
        });
        match next {
            Some(v) => value = v,
            None => {
                return Err(Fault::owned(
                    at,
                    format!(
                        "unable to parse integer {text}: strconv.ParseInt: parsing {text:?}: value out of range"
                    ),
                ))
            }
        }
    }
    Ok(value)
}

/// A float: exact fast path for short decimals, `str::parse` otherwise.
#[inline]
fn parse_float(text: &str, negative: bool, seen: &Seen, at: usize) -> Result<f64, Fault> {
    let fast = !seen.scientific
        && !seen.mantissa_overflow
        && seen.mantissa <= (1 << 53)
        && seen.fraction_digits < POW10.len();
    let value = if fast {
        // Both operands are exact, so the one division rounds correctly.
        let magnitude = seen.mantissa as f64 / POW10[seen.fraction_digits];
        if negative {
            -magnitude
        } else {
            magnitude
        }
    } else {
        text.parse::<f64>()
            .map_err(|_| Fault::new(at, "invalid float"))?
    };
    if value.is_finite() {
        Ok(value)
    } else {
        Err(Fault::new(at, "invalid float"))
    }
}

/// `t T true True TRUE f F false False FALSE`.
pub(super) fn scan_bool(line: &str, start: usize) -> Result<(usize, FieldValue), Fault> {
    let b = line.as_bytes();
    let invalid = || Fault::new(start, "invalid boolean");
    if !matches!(b[start], b't' | b'f' | b'T' | b'F') {
        return Err(invalid());
    }
    let end = b[start..]
        .iter()
        .position(|&c| c == b',' || c == b' ')
        .map_or(b.len(), |n| start + n);
    let value = match &b[start..end] {
        b"t" | b"T" | b"true" | b"True" | b"TRUE" => true,
        b"f" | b"F" | b"false" | b"False" | b"FALSE" => false,
        _ => return Err(invalid()),
    };
    Ok((end, FieldValue::Bool(value)))
}

/// `"..."`: backslash skips the next byte while scanning; `\"` and `\\`
/// are unescaped. Like Go, bytes after the closing quote stay part of the
/// value token and the value is the token minus its first and last byte.
pub(super) fn scan_string(
    line: &str,
    start: usize,
    scratch: &mut String,
) -> Result<(usize, FieldValue), Fault> {
    let b = line.as_bytes();
    let mut quoted = false;
    let mut i = start;
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() => {
                i += 2;
                continue;
            }
            b'"' => quoted = !quoted,
            b',' | b' ' if !quoted => break,
            b'=' if !quoted => return Err(Fault::new(i, "invalid field format")),
            _ => {}
        }
        i += 1;
    }
    if quoted {
        return Err(Fault::new(start, "unbalanced quotes"));
    }
    let mut last = i - 1;
    while !line.is_char_boundary(last) {
        last -= 1;
    }
    let raw = &line[start + 1..last.max(start + 1)];
    Ok((
        i,
        FieldValue::Str(Arc::from(unescape(raw, Escapes::Str, scratch))),
    ))
}

/// Duplicate field keys: the last value wins, kept at the first position.
pub(super) fn dedup_fields(fields: &mut Vec<(Arc<str>, FieldValue)>) {
    if fields.len() > 32 {
        return dedup_many(fields);
    }
    let mut j = 1;
    while j < fields.len() {
        let key = &fields[j].0;
        match (0..j).find(|&i| Arc::ptr_eq(&fields[i].0, key) || same_name(&fields[i].0, key)) {
            Some(i) => {
                let (_, value) = fields.remove(j);
                fields[i].1 = value;
            }
            None => j += 1,
        }
    }
}

/// [`dedup_fields`] for long field sets, in linear time.
fn dedup_many(fields: &mut Vec<(Arc<str>, FieldValue)>) {
    let mut first_at: std::collections::HashMap<Arc<str>, usize> =
        std::collections::HashMap::with_capacity(fields.len());
    let mut unique: Vec<(Arc<str>, FieldValue)> = Vec::with_capacity(fields.len());
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
