//! Byte-level helpers shared by the scanners: faults, blanks, unescaping.

use std::borrow::Cow;

/// A parse failure at byte offset `at` of the line.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Fault {
    /// Byte offset of the offending byte (the line length for "ran out").
    pub(super) at: usize,
    /// Kapacitor's message.
    pub(super) message: Cow<'static, str>,
}

impl Fault {
    /// A fault with a fixed message.
    pub(super) fn new(at: usize, message: &'static str) -> Fault {
        Fault {
            at,
            message: Cow::Borrowed(message),
        }
    }

    /// A fault with a computed message.
    pub(super) fn owned(at: usize, message: String) -> Fault {
        Fault {
            at,
            message: Cow::Owned(message),
        }
    }
}

/// Position of the first byte at or after `i` that is not a space, tab or NUL
/// (Go's `skipWhitespace`).
#[inline]
pub(super) fn skip_blanks(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && matches!(bytes[i], b' ' | b'\t' | 0) {
        i += 1;
    }
    i
}

/// The line without its trailing `\n` and then `\r`.
#[inline]
pub(super) fn trim_line_end(line: &str) -> &str {
    let line = line.strip_suffix('\n').unwrap_or(line);
    line.strip_suffix('\r').unwrap_or(line)
}

/// Which escapes a part of the line honours.
#[derive(Debug, Clone, Copy)]
pub(super) enum Escapes {
    /// Measurement and field keys: `\,` `\"` `\ ` `\=` (Go `escape.Unescape`).
    Key,
    /// Tag keys and values: `\,` `\ ` `\=`.
    Tag,
    /// String field values: `\"` `\\`.
    Str,
}

impl Escapes {
    #[inline]
    fn unescapes(self, byte: u8) -> bool {
        match self {
            Escapes::Key => matches!(byte, b',' | b'"' | b' ' | b'='),
            Escapes::Tag => matches!(byte, b',' | b' ' | b'='),
            Escapes::Str => matches!(byte, b'"' | b'\\'),
        }
    }
}

/// Whether `bytes` holds `a` or `b`, 8 bytes at a time (SWAR).
#[inline]
pub(super) fn has_either(bytes: &[u8], a: u8, b: u8) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero_byte = |v: u64| v.wrapping_sub(ONES) & !v & HIGHS != 0;
    let (spread_a, spread_b) = (ONES * u64::from(a), ONES * u64::from(b));
    let mut chunks = bytes.chunks_exact(8);
    let mut found = false;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        found |= has_zero_byte(word ^ spread_a) | has_zero_byte(word ^ spread_b);
    }
    found || chunks.remainder().iter().any(|&c| c == a || c == b)
}

/// `raw` with its escapes removed; borrows `raw` when it has no backslash.
#[inline]
pub(super) fn unescape<'a>(raw: &'a str, escapes: Escapes, scratch: &'a mut String) -> &'a str {
    if !has_either(raw.as_bytes(), b'\\', b'\\') {
        return raw;
    }
    scratch.clear();
    let bytes = raw.as_bytes();
    let mut copied = 0;
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\\' && escapes.unescapes(bytes[i + 1]) {
            scratch.push_str(&raw[copied..i]);
            copied = i + 1;
            i += 2;
        } else {
            i += 1;
        }
    }
    scratch.push_str(&raw[copied..]);
    scratch
}

/// [`unescape`] only when the line has a backslash somewhere.
#[inline(always)]
pub(super) fn unescape_if<'a>(
    line_has_backslash: bool,
    raw: &'a str,
    escapes: Escapes,
    scratch: &'a mut String,
) -> &'a str {
    if line_has_backslash {
        unescape(raw, escapes, scratch)
    } else {
        raw
    }
}

/// 1-based character column of byte `at` in `line` (counting across any
/// embedded newlines; `at` may point inside a character or past the end).
pub(super) fn char_column(line: &str, at: usize) -> usize {
    let bytes = &line.as_bytes()[..at.min(line.len())];
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count() + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unescape_per_part() {
        let mut s = String::new();
        assert_eq!(
            unescape(r#"a\,b\ c\=d\"e"#, Escapes::Key, &mut s),
            "a,b c=d\"e"
        );
        assert_eq!(
            unescape(r#"a\,b\ c\=d\"e"#, Escapes::Tag, &mut s),
            "a,b c=d\\\"e"
        );
        assert_eq!(
            unescape(r#"a\"b\\c\nd"#, Escapes::Str, &mut s),
            "a\"b\\c\\nd"
        );
        assert_eq!(unescape(r"\\,", Escapes::Tag, &mut s), r"\,");
        assert_eq!(unescape(r"end\", Escapes::Tag, &mut s), r"end\");
    }

    #[test]
    fn finds_bytes_anywhere() {
        let base = b"cpu,host=h3 usage_idle=55.123,usage_user=12.5 17000".to_vec();
        assert!(!has_either(&base, b'"', b'\\'));
        for i in 0..base.len() {
            for special in [b'"', b'\\'] {
                let mut bytes = base.clone();
                bytes[i] = special;
                assert!(has_either(&bytes, b'"', b'\\'), "{i}");
            }
        }
        assert!(!has_either(
            "é\u{80}\u{2022}\u{FF}ÿ".as_bytes(),
            b'"',
            b'\\'
        ));
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(char_column("héllo", 0), 1);
        assert_eq!(char_column("héllo", 3), 3);
        assert_eq!(char_column("héllo", 99), 6);
    }
}
