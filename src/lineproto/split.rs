//! Where a logical line ends (Go's `scanLine`): at a newline that is
//! neither escaped by a backslash nor inside a quoted field string.

use super::text::has_either;

/// The state of Go's `scanLine`, carried across physical lines.
#[derive(Debug, Default)]
pub(super) struct LineSplit {
    /// An unescaped space was seen: quotes may now open strings.
    fields: bool,
    quoted: bool,
    equals: u32,
    commas: u32,
    /// The segments so far form a `#` comment (never continued).
    comment: bool,
    started: bool,
}

impl LineSplit {
    /// Feeds the next physical line `segment` (ending in `\n`, or the last
    /// one); true when the logical line goes on past its newline.
    pub(super) fn continues(&mut self, segment: &[u8]) -> bool {
        if !self.started {
            self.started = true;
            let first = segment.iter().find(|&&c| !matches!(c, b' ' | b'\t' | 0));
            self.comment = first == Some(&b'#');
        }
        let Some(body) = segment.strip_suffix(b"\n") else {
            return false;
        };
        if self.comment || (!self.quoted && !has_either(body, b'"', b'\\')) {
            return false;
        }
        self.scan(body)
    }

    /// Runs the state machine over `body`; true if its newline is escaped or quoted.
    fn scan(&mut self, body: &[u8]) -> bool {
        let mut i = 0;
        while i < body.len() {
            let c = body[i];
            if c == b'\\' {
                if i + 1 == body.len() {
                    return true;
                }
                i += 2;
                continue;
            }
            if c == b' ' {
                self.fields = true;
            }
            if self.fields {
                match c {
                    b'=' if !self.quoted => self.equals += 1,
                    b',' if !self.quoted => self.commas += 1,
                    b'"' if self.equals > self.commas => self.quoted = !self.quoted,
                    _ => {}
                }
            }
            i += 1;
        }
        self.quoted
    }
}

/// Splits `text` into logical lines: yields `(first_line_number, line)`
/// where `line` keeps its trailing newline.
pub(super) fn logical_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut rest = text;
    let mut line_number = 1;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut split = LineSplit::default();
        let mut end = 0;
        let mut newlines = 0;
        loop {
            let segment_end = rest[end..].find('\n').map_or(rest.len(), |n| end + n + 1);
            let segment = &rest.as_bytes()[end..segment_end];
            newlines += usize::from(segment.ends_with(b"\n"));
            end = segment_end;
            if end >= rest.len() || !split.continues(segment) {
                break;
            }
        }
        let line = &rest[..end];
        let first = line_number;
        line_number += newlines;
        rest = &rest[end..];
        Some((first, line))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, &str)> {
        logical_lines(text).collect()
    }

    #[test]
    fn splits_on_plain_newlines() {
        assert_eq!(lines("a b=1\nc d=2"), [(1, "a b=1\n"), (2, "c d=2")]);
        assert_eq!(lines("a b=1\r\n\r\n"), [(1, "a b=1\r\n"), (2, "\r\n")]);
    }

    #[test]
    fn quoted_newline_and_escaped_newline_continue() {
        let text = "m s=\"x\ny\" 1\nm v=1\n";
        assert_eq!(lines(text), [(1, "m s=\"x\ny\" 1\n"), (3, "m v=1\n")]);
        assert_eq!(lines("m v=1 \\\n5\nn"), [(1, "m v=1 \\\n5\n"), (3, "n")]);
    }

    #[test]
    fn comments_never_continue() {
        assert_eq!(lines("# a=\"x\nm v=1"), [(1, "# a=\"x\n"), (2, "m v=1")]);
    }

    #[test]
    fn quotes_before_fields_do_not_open_strings() {
        assert_eq!(
            lines("m,t=\"a v=1\nn v=2"),
            [(1, "m,t=\"a v=1\n"), (2, "n v=2")]
        );
    }
}
