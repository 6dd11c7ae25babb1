//! Scanners for the key part (tags) and field keys, with Go's escape rules,
//! plus a word-at-a-time search used when the line has no backslash.
//!
//! Go decides "escaped" two ways: in the measurement and tags a byte is
//! escaped when the *previous byte* is a backslash; in the field set a
//! backslash *skips the next byte*. Without any backslash both reduce to a
//! plain search.

use super::text::Fault;

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Marks (high bit) the zero bytes of `v`; the lowest mark is always exact.
#[inline(always)]
fn zero_bytes(v: u64) -> u64 {
    v.wrapping_sub(ONES) & !v & HIGHS
}

/// Position of the first byte of `set` at or after `from`, or `b.len()`.
#[inline(always)]
pub(super) fn find_any<const N: usize>(b: &[u8], mut from: usize, set: [u8; N]) -> usize {
    let spread = set.map(|c| ONES * u64::from(c));
    while from + 8 <= b.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&b[from..from + 8]);
        let word = u64::from_le_bytes(word);
        let marks = spread
            .iter()
            .fold(0, |marks, s| marks | zero_bytes(word ^ s));
        if marks != 0 {
            return from + (marks.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    b[from.min(b.len())..]
        .iter()
        .position(|c| set.contains(c))
        .map_or(b.len(), |n| from + n)
}

/// The first byte of `set` at or after `from` not escaped by Go's
/// previous-byte rule (or `b.len()`), and whether a backslash came first.
#[inline(always)]
pub(super) fn find_unescaped(b: &[u8], from: usize, set: [u8; 3]) -> (usize, bool) {
    // The token's first byte (just before `from`) may escape the byte at `from`.
    let slow_from = if from > 0 && b[from - 1] == b'\\' {
        from
    } else {
        let at = find_any(b, from, [set[0], set[1], set[2], b'\\']);
        if at >= b.len() || b[at] != b'\\' {
            return (at, false);
        }
        at + 1
    };
    let end = (slow_from..b.len())
        .find(|&i| set.contains(&b[i]) && b[i - 1] != b'\\')
        .unwrap_or(b.len());
    (end, true)
}

/// A tag key from `i`: its end (an unescaped `=`) and whether it has a backslash.
#[inline]
pub(super) fn scan_tag_key(b: &[u8], i: usize) -> Result<(usize, bool), Fault> {
    if i >= b.len() || matches!(b[i], b' ' | b',' | b'=') {
        return Err(Fault::new(i, "missing tag key"));
    }
    let (end, escaped) = find_unescaped(b, i + 1, [b'=', b',', b' ']);
    match b.get(end) {
        Some(b'=') => Ok((end, escaped || b[i] == b'\\')),
        _ => Err(Fault::new(end, "missing tag value")),
    }
}

/// A tag value from `i`: its end, whether a space (not a comma) ends it and
/// whether it has a backslash.
#[inline]
pub(super) fn scan_tag_value(b: &[u8], i: usize) -> Result<(usize, bool, bool), Fault> {
    if i >= b.len() || matches!(b[i], b',' | b' ') {
        return Err(Fault::new(i, "missing tag value"));
    }
    // Go checks for `=` from the value's second byte on.
    let (end, escaped) = find_unescaped(b, i + 1, [b'=', b',', b' ']);
    match b.get(end) {
        None => Err(Fault::new(end, "missing fields")),
        Some(b'=') => Err(Fault::new(end, "invalid tag format")),
        Some(&c) => Ok((end, c == b' ', escaped || b[i] == b'\\')),
    }
}

/// Advances `i` to the `=` ending a field key; returns whether the key has
/// a backslash. A comma on the way is remembered in `stray_comma` (Go
/// reports it only after the whole set).
#[inline]
pub(super) fn scan_field_key(
    b: &[u8],
    i: &mut usize,
    stray_comma: &mut Option<usize>,
) -> Result<bool, Fault> {
    let mut escaped = false;
    loop {
        let mut at = find_any(b, *i, [b'=', b',', b' ', b'\\']);
        if b.get(at) == Some(&b'\\') {
            escaped = true;
            at = skip_to_key_end(b, at);
        }
        match b.get(at) {
            Some(b'=') => {
                *i = at;
                return Ok(escaped);
            }
            Some(b',') => {
                stray_comma.get_or_insert(at);
                *i = at + 1;
            }
            _ => {
                return Err(Fault::new(
                    stray_comma.unwrap_or(at),
                    "invalid field format",
                ))
            }
        }
    }
}

/// The next `=`, `,` or space from `i`, a backslash skipping the next byte.
fn skip_to_key_end(b: &[u8], mut i: usize) -> usize {
    while i < b.len() {
        match b[i] {
            b'\\' if i + 1 < b.len() => i += 2,
            b'=' | b',' | b' ' => return i,
            _ => i += 1,
        }
    }
    b.len()
}

/// A signed decimal integer, `None` on overflow or no digits.
pub(super) fn parse_timestamp(text: &[u8]) -> Option<i64> {
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
        value = if negative {
            value.checked_sub(d)?
        } else {
            value.checked_add(d)?
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn find_any_matches_a_plain_search() {
        let text = b"cpu,host=h3 usage_idle=55.123,usage_user=12.5 1700000000100000000";
        for from in 0..=text.len() {
            let expected = text[from..]
                .iter()
                .position(|&c| c == b'=' || c == b',' || c == b' ')
                .map_or(text.len(), |n| from + n);
            assert_eq!(find_any(text, from, [b'=', b',', b' ']), expected, "{from}");
        }
        assert_eq!(find_any("ééééé,".as_bytes(), 0, [b',', b',', b',']), 10);
    }

    #[test]
    fn previous_byte_escape_rule() {
        assert_eq!(find_unescaped(br"a\,b,c", 1, [b',', b' ', b' ']), (4, true));
        assert_eq!(find_unescaped(br"a\\,b", 1, [b',', b' ', b' ']), (5, true));
        assert_eq!(find_unescaped(br"ab,\c", 1, [b',', b' ', b' ']), (2, false));
        assert_eq!(find_unescaped(br"\ b c", 1, [b',', b' ', b' ']), (3, true));
        assert_eq!(skip_to_key_end(br"a\\,b", 0), 3);
    }
}
