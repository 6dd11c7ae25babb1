//! Streaming reads and whole-body parsing.

use super::*;
use crate::point::Point;
use crate::value::FieldValue;
use std::io::{BufRead, BufReader, Cursor, Read};

const CLOCK: i64 = 1_600_000_000_987_654_321;

/// Every item as `Ok((line, time, first field))` or `Err(error)`.
fn read_all(
    input: impl BufRead,
    precision: Precision,
) -> Vec<Result<(usize, i64, FieldValue), LineError>> {
    let mut reader = Reader::new(input, precision).with_clock(|| CLOCK);
    let mut point = Point::default();
    let mut items = Vec::new();
    while let Some(item) = reader.next_point(&mut point) {
        items.push(item.map(|()| (reader.line_number(), point.time, point.fields[0].1.clone())));
    }
    items
}

fn err(line: usize, column: usize, message: &str) -> Result<(usize, i64, FieldValue), LineError> {
    Err(LineError {
        line,
        column,
        message: message.into(),
    })
}

#[test]
fn line_numbers_skip_blank_and_comment_lines() {
    let input = "# header\n\ncpu v=1 1\n   \n\t# more\ncpu v=2 2\ncpu v=x 3\ncpu v=3\n";
    let items = read_all(Cursor::new(input), Precision::Ns);
    assert_eq!(
        items,
        [
            Ok((3, 1, FieldValue::Float(1.0))),
            Ok((6, 2, FieldValue::Float(2.0))),
            err(7, 7, "invalid boolean"),
            Ok((8, CLOCK, FieldValue::Float(3.0))),
        ]
    );
}

#[test]
fn crlf_and_missing_final_newline() {
    let items = read_all(
        Cursor::new("m v=1 1\r\n\r\nm v=2 2\r\nm v=3 3"),
        Precision::S,
    );
    assert_eq!(
        items,
        [
            Ok((1, 1_000_000_000, FieldValue::Float(1.0))),
            Ok((3, 2_000_000_000, FieldValue::Float(2.0))),
            Ok((4, 3_000_000_000, FieldValue::Float(3.0))),
        ]
    );
    let now = read_all(Cursor::new("m v=1\n"), Precision::S);
    assert_eq!(
        now,
        [Ok((1, 1_600_000_000_000_000_000, FieldValue::Float(1.0)))]
    );
}

#[test]
fn multi_line_strings_and_continuations() {
    let input = "m s=\"a\nb\" 1\nm v=1 \\\n2\nm s=\"x\" 3\n";
    let items = read_all(
        BufReader::with_capacity(4, Cursor::new(input)),
        Precision::Ns,
    );
    assert_eq!(
        items,
        [
            Ok((1, 1, FieldValue::Str("a\nb".into()))),
            // Go joins the lines, then finds `\` where the timestamp goes.
            err(3, 7, "bad timestamp"),
            Ok((5, 3, FieldValue::Str("x".into()))),
        ]
    );
    // The `\`-newline is not a timestamp: Go stops at the newline and fails.
    assert_eq!(
        read_all(Cursor::new("m v=1 5\\\n6\n"), Precision::Ns),
        [err(1, 8, "bad timestamp")]
    );
}

#[test]
fn error_positions_inside_multi_line_points() {
    let items = read_all(Cursor::new("x v=1 1\nm s=\"a\nb\",t=y 1\n"), Precision::Ns);
    assert_eq!(items[1], err(3, 6, "invalid boolean"));
    let unbalanced = read_all(Cursor::new("m v=1 1\nm s=\"open\nm v=2 2\n"), Precision::Ns);
    assert_eq!(unbalanced[1], err(2, 5, "unbalanced quotes"));
    assert_eq!(unbalanced.len(), 2);
}

#[test]
fn invalid_utf8_is_reported_and_reading_goes_on() {
    let input = b"m v=1 1\nm,t=\xC3\xA9\xFF v=2 2\nm v=3 3\n".to_vec();
    let items = read_all(Cursor::new(input), Precision::Ns);
    assert_eq!(items.len(), 3);
    assert_eq!(items[1], err(2, 6, "line is not valid UTF-8"));
    assert_eq!(items[2], Ok((3, 3, FieldValue::Float(3.0))));
}

#[test]
fn over_long_line_is_skipped() {
    let mut input = Vec::new();
    input.extend_from_slice(b"m v=1 1\nm s=\"");
    input.resize(input.len() + (5 << 20), b'a');
    input.extend_from_slice(b"\" 2\nm v=3 3\n");
    let items = read_all(Cursor::new(input), Precision::Ns);
    assert_eq!(items.len(), 3);
    assert_eq!(items[1], err(2, 1, "line is longer than 4194304 bytes"));
    assert_eq!(items[2], Ok((3, 3, FieldValue::Float(3.0))));
}

/// Yields one good line, then fails.
struct Failing(bool);

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if std::mem::replace(&mut self.0, true) {
            return Err(std::io::Error::other("disk on fire"));
        }
        let line = b"m v=1 1\n";
        buf[..line.len()].copy_from_slice(line);
        Ok(line.len())
    }
}

#[test]
fn io_error_ends_the_stream() {
    let items = read_all(BufReader::new(Failing(false)), Precision::Ns);
    assert_eq!(
        items,
        [
            Ok((1, 1, FieldValue::Float(1.0))),
            err(2, 1, "read error: disk on fire")
        ]
    );
}

#[test]
fn body_is_all_or_nothing() {
    let body = "cpu v=1 1\n# c\ncpu v=2\r\ncpu s=\"two\nlines\" 3\n";
    let points = parse_body(body, Precision::Ms, 1_234_567).unwrap();
    assert_eq!(
        points.iter().map(|p| p.time).collect::<Vec<_>>(),
        [1_000_000, 1_000_000, 3_000_000]
    );
    assert_eq!(points[2].fields[0].1, FieldValue::Str("two\nlines".into()));

    let bad = "cpu v=1 1\ncpu v= 2\ncpu v=2 2\ncpu,a=1,a=2 v=1\ncpu s=\"x\ny\",b=q\n";
    let errors = parse_body(bad, Precision::Ns, 0).unwrap_err();
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        shown,
        [
            "2:7: missing field value",
            "4:9: duplicate tags",
            "6:6: invalid boolean"
        ]
    );
    assert_eq!(parse_body("", Precision::Ns, 0), Ok(vec![]));
    assert_eq!(
        parse_body("\n# only comments\n", Precision::Ns, 0),
        Ok(vec![])
    );
}

#[test]
fn buffer_size_does_not_change_the_result() {
    let input: &[u8] =
        b"# c\ncpu,host=a v=1 1\r\n\nm s=\"a\nb\" 2\nbad\xFF\nm v=1 \\\n3\nm v=2i 4\nm,t=\xC3\xA9 v=t";
    let expected = read_all(Cursor::new(input), Precision::Ns);
    assert_eq!(expected.len(), 6);
    assert_eq!(expected[2], err(6, 4, "line is not valid UTF-8"));
    for capacity in 1..=input.len() + 1 {
        let chunked = read_all(
            BufReader::with_capacity(capacity, Cursor::new(input)),
            Precision::Ns,
        );
        assert_eq!(chunked, expected, "capacity {capacity}");
    }
}

#[test]
fn line_numbers_stay_right_across_chunks() {
    // More than one chunk (256 KiB) of plain lines, with special lines between.
    let mut input = String::new();
    for i in 0..30_000 {
        match i % 7_000 {
            10 => input.push_str("m s=\"q\" 1\n"),
            20 => input.push_str("m v=x 1\n"),
            _ => input.push_str(&format!("measurement,host=h{i} value={i} {i}\n")),
        }
    }
    let items = read_all(Cursor::new(input.as_bytes()), Precision::Ns);
    assert_eq!(items.len(), 30_000);
    for (i, item) in items.iter().enumerate() {
        match (i % 7_000, item) {
            (10, Ok((line, _, FieldValue::Str(s)))) => assert_eq!((*line, &**s), (i + 1, "q")),
            (20, Err(e)) => assert_eq!((e.line, e.column), (i + 1, 5)),
            (_, Ok((line, time, FieldValue::Float(v)))) => {
                assert_eq!((*line, *time, *v), (i + 1, i as i64, i as f64));
            }
            other => panic!("line {}: {other:?}", i + 1),
        }
    }
}
