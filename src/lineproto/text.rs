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
        Fault { at, message: Cow::Borrowed(message) }
    }

    /// A fault with a computed message.
    pub(super) fn owned(at: usize, message: String) -> Fault {
        Fault { at, message: Cow::Owned(message) }
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

/// `raw` with its escapes removed; borrows `raw` when it has no backslash.
#[inline]
pub(super) fn unescape<'a>(raw: &'a str, escapes: Escapes, scratch: &'a mut String) -> &'a str {
    if !raw.as_bytes().contains(&b'\\') {
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
        assert_eq!(unescape(r#"a\,b\ c\=d\"e"#, Escapes::Key, &mut s), "a,b c=d\"e");
        assert_eq!(unescape(r#"a\,b\ c\=d\"e"#, Escapes::Tag, &mut s), "a,b c=d\\\"e");
        assert_eq!(unescape(r#"a\"b\\c\nd"#, Escapes::Str, &mut s), "a\"b\\c\\nd");
        assert_eq!(unescape(r"\\,", Escapes::Tag, &mut s), r"\,");
        assert_eq!(unescape(r"end\", Escapes::Tag, &mut s), r"end\");
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(char_column("héllo", 0), 1);
        assert_eq!(char_column("héllo", 3), 3);
        assert_eq!(char_column("héllo", 99), 6);
    }
}
