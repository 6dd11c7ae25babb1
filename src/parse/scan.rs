//! Small scanners that mirror Kapacitor's lexer on one token, used to classify
//! a failed parse (unterminated literals, bad numbers, illegal characters) and
//! to collect comments after a successful one.

use crate::span::Span;

/// End offset of the `'...'` or `'''...'''` string starting at `pos`, or
/// `None` when it is unterminated (Kapacitor's `lexSingleOrTripleString`).
pub(super) fn string_end(src: &str, pos: usize) -> Option<usize> {
    let rest = &src[pos..];
    if let Some(body) = rest.strip_prefix("'''") {
        return body.find("'''").map(|i| pos + 3 + i + 3);
    }
    if rest.starts_with("''") {
        return Some(pos + 2);
    }
    quoted_end(src, pos, b'\'')
}

/// End offset of the `"..."` reference starting at `pos`, or `None`.
pub(super) fn reference_end(src: &str, pos: usize) -> Option<usize> {
    quoted_end(src, pos, b'"')
}

/// End offset of the `/.../` regex starting at `pos`, or `None`.
pub(super) fn regex_end(src: &str, pos: usize) -> Option<usize> {
    quoted_end(src, pos, b'/')
}

/// A token delimited by `quote` whose only escape is `\quote`.
fn quoted_end(src: &str, pos: usize, quote: u8) -> Option<usize> {
    let bytes = src.as_bytes();
    let mut i = pos + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if bytes.get(i + 1) == Some(&quote) => i += 2,
            b if b == quote => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// Scans a number or duration at `pos`: `Ok(end)`, or `Err(end)` when it has
/// a second decimal point (`multiple decimals in number`).
pub(super) fn number_end(src: &str, pos: usize) -> Result<usize, usize> {
    let bytes = src.as_bytes();
    let mut i = pos;
    let mut seen_dot = false;
    while i < bytes.len() {
        match bytes[i] {
            b'0'..=b'9' => i += 1,
            b'.' if seen_dot => return Err(i + 1),
            b'.' => {
                seen_dot = true;
                i += 1;
            }
            _ => break,
        }
    }
    Ok(i)
}

/// End offset of the identifier or keyword starting at `pos` (at least one char).
pub(super) fn word_end(src: &str, pos: usize) -> usize {
    let mut end = pos;
    for (i, c) in src[pos..].char_indices() {
        if i > 0 && !(c.is_alphanumeric() || c == '_') {
            break;
        }
        end = pos + i + c.len_utf8();
    }
    end
}

/// End offset of the operator or punctuation token starting at `pos`.
pub(super) fn symbol_end(src: &str, pos: usize) -> usize {
    const TWO: [&str; 6] = ["==", "!=", "=~", "!~", "<=", ">="];
    let rest = &src[pos..];
    if TWO.iter().any(|t| rest.starts_with(t)) {
        return pos + 2;
    }
    pos + rest.chars().next().map_or(0, char::len_utf8)
}

/// True for characters that start no token in any lexer state.
pub(super) fn is_illegal(c: char) -> bool {
    !(c.is_alphanumeric()
        || c.is_whitespace()
        || "()[],|@.*/+-%<>=!\"'".contains(c))
}

/// True for characters valid only after an operand (binary operators).
pub(super) fn is_operator_char(c: char) -> bool {
    "+%<>=".contains(c)
}

/// Comments of a successfully parsed script, one entry per line, given the
/// spans of its string, reference and regex tokens (which may contain `//`).
/// A line swallowed by Kapacitor's comment quirk gets its own entry starting
/// at its `/`. Texts are the raw line from the first `/` (trailing `\r` removed).
pub(super) fn comments(src: &str, literals: &[Span]) -> Vec<(Span, String)> {
    let mut out = Vec::new();
    let mut gap_start = 0;
    for lit in literals.iter().chain(std::iter::once(&Span::new(src.len(), src.len()))) {
        let mut i = gap_start;
        while let Some(found) = src[i..lit.start.max(i)].find("//") {
            i = comment_block(src, i + found, &mut out);
        }
        gap_start = lit.end.max(gap_start);
    }
    out
}

/// Records the comment block starting at `start`; returns its end.
fn comment_block(src: &str, start: usize, out: &mut Vec<(Span, String)>) -> usize {
    let mut line_start = start;
    loop {
        let line_end = src[line_start..].find('\n').map_or(src.len(), |i| line_start + i);
        let text = src[line_start..line_end].trim_end_matches('\r');
        out.push((Span::new(line_start, line_start + text.len()), text.to_string()));
        match swallowed_line_start(src, line_end) {
            Some(next) => line_start = next,
            None => return line_end,
        }
    }
}

/// After a comment line ending at `newline`, the offset of the `/` that
/// continues the comment on the next line, if any.
fn swallowed_line_start(src: &str, newline: usize) -> Option<usize> {
    let after = src.get(newline..)?.strip_prefix('\n')?;
    let blank = after.len() - after.trim_start_matches(|c: char| c != '\n' && c.is_whitespace()).len();
    let next = newline + 1 + blank;
    src[next..].starts_with('/').then_some(next)
}

/// The innermost `(` or `[` still open at `end`.
pub(super) fn unclosed_bracket(src: &str, end: usize) -> Option<usize> {
    let mut stack = Vec::new();
    walk_brackets(src, end, |at, b| {
        if b == b'(' || b == b'[' {
            stack.push(at);
        } else {
            stack.pop();
        }
        true
    });
    stack.pop()
}

/// The first `(` or `[` nested deeper than `limit`.
pub(super) fn too_deep(src: &str, limit: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut found = None;
    walk_brackets(src, src.len(), |at, b| {
        if b == b'(' || b == b'[' {
            depth += 1;
        } else {
            depth = depth.saturating_sub(1);
        }
        if depth > limit {
            found = Some(at);
        }
        found.is_none()
    });
    found
}

/// Calls `visit(offset, byte)` for each bracket before `end`, skipping strings,
/// references and comments (regexes are not recognised); stops when it returns false.
fn walk_brackets(src: &str, end: usize, mut visit: impl FnMut(usize, u8) -> bool) {
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < end.min(bytes.len()) {
        match bytes[i] {
            b'\'' => i = string_end(src, i).unwrap_or(src.len()),
            b'"' => i = reference_end(src, i).unwrap_or(src.len()),
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = src[i..].find('\n').map_or(src.len(), |n| i + n)
            }
            b @ (b'(' | b'[' | b')' | b']') => {
                if !visit(i, b) {
                    return;
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
}
