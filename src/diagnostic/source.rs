//! A source text with its line index, built once per file, so that the
//! line and column of each diagnostic cost a binary search, and miette
//! reads only a few lines around each one (40,000 diagnostics stay linear).

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use std::sync::Arc;

/// Lines of context kept around a diagnostic's spans (miette shows one).
const MARGIN: usize = 3;

/// One named source text and the byte offset of each line start.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The name shown in reports (a path, or `-` for stdin).
    pub name: String,
    /// The text.
    pub text: Arc<str>,
    starts: Vec<usize>,
    /// A lone `\r` counts as a line break for miette but not for us: read the whole text then.
    lone_cr: bool,
}

impl SourceFile {
    /// Indexes `text` (one pass).
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let starts = std::iter::once(0).chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1)).collect();
        let lone_cr = text.as_bytes().windows(2).any(|w| w[0] == b'\r' && w[1] != b'\n') || text.ends_with('\r');
        SourceFile { name: name.into(), text, starts, lone_cr }
    }

    /// 1-based line and column (in characters) of byte `offset`, as [`crate::span::line_col`].
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let mut offset = offset.min(self.text.len());
        while offset > 0 && !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(offset);
        let column = self.text[self.starts[line]..offset].chars().count() + 1;
        (line + 1, column)
    }

    /// 0-based line of byte `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset).saturating_sub(1)
    }

    /// The lines around `lo..hi`, for miette.
    pub fn window(&self, lo: usize, hi: usize) -> Window {
        let (start, end, first_line) = if self.lone_cr {
            (0, self.text.len(), 0)
        } else {
            let first = self.line_of(lo.min(self.text.len())).saturating_sub(MARGIN);
            let last = self.line_of(hi.min(self.text.len())) + MARGIN + 1;
            let end = self.starts.get(last).copied().unwrap_or(self.text.len());
            (self.starts[first], end, first)
        };
        Window { text: self.text.clone(), start, end, first_line }
    }
}

/// A range of whole lines of a source text, read by miette as if it were the whole text.
#[derive(Debug)]
pub struct Window {
    text: Arc<str>,
    start: usize,
    end: usize,
    first_line: usize,
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inside = span.offset() >= self.start && span.offset() + span.len() <= self.end;
        if !inside || before > MARGIN || after > MARGIN {
            return self.text.read_span(span, before, after);
        }
        let local = SourceSpan::new((span.offset() - self.start).into(), span.len());
        let part = self.text[self.start..self.end].read_span(&local, before, after)?;
        let whole = SourceSpan::new((part.span().offset() + self.start).into(), part.span().len());
        Ok(Box::new(MietteSpanContents::new(
            part.data(),
            whole,
            part.line() + self.first_line,
            part.column(),
            part.line_count() + self.first_line,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_matches_the_scanning_version() {
        let src = "ab\ncé\n\nxyz";
        let file = SourceFile::new("a", src);
        for offset in 0..=src.len() + 2 {
            assert_eq!(file.line_col(offset), crate::span::line_col(src, offset), "offset {offset}");
        }
    }
}
