//! Streaming reader over files/stdin, and whole-body parsing for HTTP writes.

use super::parse::{LineParser, Parsed};
use super::split::{logical_lines, LineSplit};
use super::text::Fault;
use super::{LineError, Precision};
use crate::point::Point;
use crate::span::line_col;
use std::io::{BufRead, Read};
use std::time::{SystemTime, UNIX_EPOCH};

/// Longest logical line read; longer ones are reported and skipped, so
/// memory stays bounded whatever the input.
const MAX_LINE_BYTES: usize = 4 << 20;
/// Line-buffer capacity kept between lines.
const KEEP_CAPACITY: usize = 64 << 10;
/// Most bytes copied from the input's buffer into the chunk at a time.
const CHUNK_BYTES: usize = 256 << 10;

/// Reads points one at a time from a `BufRead`, reusing one line buffer.
///
/// A line without timestamp gets the time it was read (the clock, see
/// [`with_clock`](Self::with_clock)) truncated to the precision. Errors
/// come back as [`LineError`]s and reading goes on with the next line,
/// except after an I/O error (`read error: ...`), which ends the stream.
pub struct Reader<R: BufRead> {
    input: R,
    parser: LineParser,
    buffer: Vec<u8>,
    /// Whole lines validated as UTF-8 in one go, none holding a quote or a
    /// backslash (so each is one logical line and nothing needs unescaping).
    chunk: String,
    /// Bytes of `chunk` already parsed.
    chunk_pos: usize,
    /// Physical lines consumed so far.
    lines_read: usize,
    /// First physical line of the last logical line.
    current_line: usize,
    clock: Box<dyn FnMut() -> i64 + Send>,
    finished: bool,
}

/// The wall clock in ns since the Unix epoch.
fn wall_clock_ns() -> i64 {
    match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(since) => i64::try_from(since.as_nanos()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_nanos()).unwrap_or(i64::MAX),
    }
}

impl<R: BufRead> Reader<R> {
    /// A reader of `input` with timestamps in `precision`.
    pub fn new(input: R, precision: Precision) -> Self {
        Reader {
            input,
            parser: LineParser::new(precision),
            buffer: Vec::new(),
            chunk: String::new(),
            chunk_pos: 0,
            lines_read: 0,
            current_line: 0,
            clock: Box::new(wall_clock_ns),
            finished: false,
        }
    }

    /// Replaces the clock used for lines without timestamp (ns since epoch).
    pub fn with_clock(mut self, clock: impl FnMut() -> i64 + Send + 'static) -> Self {
        self.clock = Box::new(clock);
        self
    }

    /// 1-based number of the line where the last point (or error) started;
    /// 0 before the first read.
    pub fn line_number(&self) -> usize {
        self.current_line
    }

    /// The next point into `out` (reusing its storage); `None` at the end.
    /// Blank and comment lines are skipped.
    pub fn next_point(&mut self, out: &mut Point) -> Option<Result<(), LineError>> {
        loop {
            match self.next_chunk_line(out) {
                ChunkLine::Point => return Some(Ok(())),
                ChunkLine::Skip => continue,
                ChunkLine::Failed(error) => return Some(Err(*error)),
                ChunkLine::Empty => {}
            }
            if self.refill_chunk() {
                continue;
            }
            match self.parse_buffered_line(out) {
                Some(Some(item)) => return Some(item),
                Some(None) => continue,
                None => {}
            }
            match self.read_logical_line() {
                Ok(false) => return None,
                Ok(true) => {}
                Err(error) => return Some(Err(error)),
            }
            let clock = &mut *self.clock;
            if let Some(item) = parse_bytes(
                &mut self.parser,
                clock,
                &self.buffer,
                self.current_line,
                out,
            ) {
                return Some(item);
            }
        }
    }

    /// Fastest path: the next line of the validated chunk.
    fn next_chunk_line(&mut self, out: &mut Point) -> ChunkLine {
        let start = self.chunk_pos;
        let rest = &self.chunk.as_bytes()[start.min(self.chunk.len())..];
        if rest.is_empty() {
            return ChunkLine::Empty;
        }
        let len = memchr::memchr(b'\n', rest).map_or(rest.len(), |n| n + 1);
        self.chunk_pos += len;
        self.lines_read += 1;
        self.current_line = self.lines_read;
        let line = &self.chunk[start..start + len];
        match self.parser.parse_raw(line, out) {
            Ok(Parsed::Skip) => ChunkLine::Skip,
            Ok(Parsed::Point { timed }) => {
                if !timed {
                    out.time = self.parser.precision().truncate((self.clock)());
                }
                ChunkLine::Point
            }
            Err(fault) => ChunkLine::Failed(Box::new(locate(line, self.current_line, &fault))),
        }
    }

    /// Copies the longest run of whole lines at the front of the input's
    /// buffer that are valid UTF-8 and hold no quote or backslash into the
    /// chunk (validated once for all of them); false if there is none, and
    /// the line-at-a-time paths take the next line.
    fn refill_chunk(&mut self) -> bool {
        if self.finished {
            return false;
        }
        let Ok(available) = self.input.fill_buf() else {
            return false;
        };
        let window = &available[..available.len().min(CHUNK_BYTES)];
        let Some(last) = memchr::memrchr(b'\n', window) else {
            return false;
        };
        let mut end = last + 1;
        if let Some(special) = memchr::memchr2(b'"', b'\\', &window[..end]) {
            end = line_start(window, special);
        }
        let valid = match std::str::from_utf8(&window[..end]) {
            Ok(text) => text,
            Err(bad) => std::str::from_utf8(&window[..line_start(window, bad.valid_up_to())]).unwrap_or(""),
        };
        if valid.is_empty() {
            return false;
        }
        self.chunk.clear();
        self.chunk.push_str(valid);
        self.chunk_pos = 0;
        let taken = valid.len();
        self.input.consume(taken);
        true
    }

    /// Fast path: when the next line lies whole in the input's buffer and
    /// does not continue, parses it in place (no copy). `None` when the
    /// slow path must run; `Some(None)` for a skipped line.
    fn parse_buffered_line(&mut self, out: &mut Point) -> Option<Option<Result<(), LineError>>> {
        if self.finished {
            return None;
        }
        let available = self.input.fill_buf().ok()?;
        let end = memchr::memchr(b'\n', available)?;
        // Only a line holding a quote or backslash can continue past its newline.
        let may_continue = memchr::memchr2(b'"', b'\\', &available[..end]).is_some();
        if end >= MAX_LINE_BYTES || (may_continue && LineSplit::default().continues(&available[..=end])) {
            return None;
        }
        let line = self.lines_read + 1;
        let clock = &mut *self.clock;
        let item = parse_bytes(&mut self.parser, clock, &available[..=end], line, out);
        self.input.consume(end + 1);
        self.lines_read = line;
        self.current_line = line;
        Some(item)
    }

    /// Fills the buffer with the next logical line; false at the end.
    fn read_logical_line(&mut self) -> Result<bool, LineError> {
        if self.finished {
            return Ok(false);
        }
        self.buffer.clear();
        if self.buffer.capacity() > KEEP_CAPACITY {
            self.buffer.shrink_to(KEEP_CAPACITY);
        }
        self.current_line = self.lines_read + 1;
        let mut split = LineSplit::default();
        loop {
            let room = MAX_LINE_BYTES.saturating_sub(self.buffer.len());
            if room == 0 {
                // A string that never closes: stop joining, let the parser say so.
                return Ok(true);
            }
            let segment_start = self.buffer.len();
            let result = (&mut self.input)
                .take(room as u64)
                .read_until(b'\n', &mut self.buffer);
            let read = match result {
                Ok(read) => read,
                Err(error) => return Err(self.io_error(error)),
            };
            if read == 0 {
                return Ok(segment_start > 0);
            }
            self.lines_read += 1;
            if read == room && !self.buffer.ends_with(b"\n") && !self.at_end()? {
                return Err(self.too_long());
            }
            if !split.continues(&self.buffer[segment_start..]) {
                return Ok(true);
            }
        }
    }

    /// True when the input has nothing more.
    fn at_end(&mut self) -> Result<bool, LineError> {
        match self.input.fill_buf() {
            Ok(rest) => Ok(rest.is_empty()),
            Err(error) => Err(self.io_error(error)),
        }
    }

    /// Skips the rest of an over-long physical line and reports it.
    fn too_long(&mut self) -> LineError {
        let line = self.lines_read;
        let mut skip = Vec::new();
        if let Err(error) = (&mut self.input)
            .take(MAX_LINE_BYTES as u64)
            .read_until(b'\n', &mut skip)
        {
            return self.io_error(error);
        }
        while !skip.is_empty() && !skip.ends_with(b"\n") {
            skip.clear();
            if let Err(error) = (&mut self.input)
                .take(MAX_LINE_BYTES as u64)
                .read_until(b'\n', &mut skip)
            {
                return self.io_error(error);
            }
        }
        self.buffer.clear();
        LineError {
            line,
            column: 1,
            message: format!("line is longer than {MAX_LINE_BYTES} bytes"),
        }
    }

    /// An I/O error ends the stream.
    fn io_error(&mut self, error: std::io::Error) -> LineError {
        self.finished = true;
        LineError {
            line: self.lines_read + 1,
            column: 1,
            message: format!("read error: {error}"),
        }
    }
}

/// What the chunk's next line held; small, so it comes back in registers
/// rather than through memory (a copy that stalls on every point).
enum ChunkLine {
    /// The chunk is used up.
    Empty,
    /// A blank or comment line.
    Skip,
    /// The point was parsed into the output.
    Point,
    /// A bad line.
    Failed(Box<LineError>),
}

/// Offset of the start of the line holding byte `at`.
fn line_start(bytes: &[u8], at: usize) -> usize {
    memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |n| n + 1)
}

/// Parses one logical line; `None` for a blank or comment line.
fn parse_bytes(
    parser: &mut LineParser,
    clock: &mut dyn FnMut() -> i64,
    bytes: &[u8],
    first_line: usize,
    out: &mut Point,
) -> Option<Result<(), LineError>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_text(parser, clock, text, first_line, out),
        Err(bad) => {
            let fault = Fault::new(bad.valid_up_to(), "line is not valid UTF-8");
            let text = String::from_utf8_lossy(&bytes[..bad.valid_up_to()]);
            Some(Err(locate(&text, first_line, &fault)))
        }
    }
}

/// [`parse_bytes`] of text known to be UTF-8.
#[inline]
fn parse_text(
    parser: &mut LineParser,
    clock: &mut dyn FnMut() -> i64,
    text: &str,
    first_line: usize,
    out: &mut Point,
) -> Option<Result<(), LineError>> {
    match parser.parse_raw(text, out) {
        Ok(Parsed::Skip) => None,
        Ok(Parsed::Point { timed }) => {
            if !timed {
                out.time = parser.precision().truncate(clock());
            }
            Some(Ok(()))
        }
        Err(fault) => Some(Err(locate(text, first_line, &fault))),
    }
}

/// Line and column of `fault` in `text`, whose first line is `first_line`.
fn locate(text: &str, first_line: usize, fault: &Fault) -> LineError {
    let (line, column) = line_col(text, fault.at);
    LineError {
        line: first_line + line - 1,
        column,
        message: fault.message.to_string(),
    }
}

/// Parses a whole HTTP write body, all or nothing like Kapacitor: the
/// points, or every bad line's error. Lines without timestamp get `now_ns`
/// truncated to the precision. Unlike Kapacitor, CRLF line ends are
/// accepted (a trailing `\r` is stripped).
pub fn parse_body(
    body: &str,
    precision: Precision,
    now_ns: i64,
) -> Result<Vec<Point>, Vec<LineError>> {
    let mut parser = LineParser::new(precision);
    let default_time = precision.truncate(now_ns);
    let mut points = Vec::with_capacity(body.len() / 64 + 1);
    let mut errors = Vec::new();
    // Parsing into one scratch point and cloning it shares the interned
    // names without looking them up again.
    let mut point = Point::default();
    for (first_line, line) in logical_lines(body) {
        match parser.parse_raw(line, &mut point) {
            Ok(Parsed::Skip) => {}
            Ok(Parsed::Point { timed }) => {
                if !timed {
                    point.time = default_time;
                }
                if errors.is_empty() {
                    points.push(point.clone());
                }
            }
            Err(fault) => errors.push(locate(line, first_line, &fault)),
        }
    }
    if errors.is_empty() {
        Ok(points)
    } else {
        Err(errors)
    }
}
