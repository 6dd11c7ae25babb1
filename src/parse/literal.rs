//! Literal tokens → values, with Kapacitor's conversion rules (`tick/ast/node.go`).

use crate::diagnostic::{Code, Diag};
use crate::span::Span;

/// Nanoseconds per duration unit, as Kapacitor's lexer accepts them.
const UNITS: [(&str, i64); 8] = [
    ("ms", 1_000_000),
    ("u", 1_000),
    ("µ", 1_000),
    ("s", 1_000_000_000),
    ("m", 60 * 1_000_000_000),
    ("h", 3_600 * 1_000_000_000),
    ("d", 86_400 * 1_000_000_000),
    ("w", 604_800 * 1_000_000_000),
];

/// An integer literal: octal when it has a leading `0` and more than one digit.
pub(super) fn int(text: &str, span: Span) -> Result<i64, Diag> {
    let octal = text.len() > 1 && text.starts_with('0');
    let radix = if octal { 8 } else { 10 };
    i64::from_str_radix(text, radix).map_err(|_| {
        let help = if octal && text.bytes().any(|b| b == b'8' || b == b'9') {
            "a leading 0 makes an integer octal (010 is 8), so 8 and 9 are not digits; drop the leading 0"
        } else {
            "integers must fit in a signed 64-bit value; use a float (with a decimal point) for larger numbers"
        };
        bad_number(text, span).with_help(help)
    })
}

/// A float literal (`1.5`, `.5`, `1.`).
pub(super) fn float(text: &str, span: Span) -> Result<f64, Diag> {
    match text.parse::<f64>() {
        Ok(f) if f.is_finite() => Ok(f),
        _ => Err(bad_number(text, span).with_help("the value does not fit in a 64-bit float")),
    }
}

/// A duration literal (`10s`, `5ms`, `1w`) in nanoseconds.
pub(super) fn duration(text: &str, span: Span) -> Result<i64, Diag> {
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let per_unit = UNITS.iter().find(|(u, _)| *u == unit).map(|(_, n)| *n);
    digits
        .parse::<i64>()
        .ok()
        .zip(per_unit)
        .and_then(|(n, per)| n.checked_mul(per))
        .ok_or_else(|| {
            Diag::new(Code::BadNumber, span, format!("duration {text} is out of range"))
                .with_label("larger than about 292 years")
        })
}

fn bad_number(text: &str, span: Span) -> Diag {
    Diag::new(Code::BadNumber, span, format!("illegal number syntax: {text:?}"))
        .with_label("not a valid number")
}

/// The value of a `'...'` or `'''...'''` token (only `\'` is an escape, and
/// only in the single-quoted form).
pub(super) fn string(token: &str) -> String {
    if token.len() >= 6 && token.starts_with("'''") {
        return token[3..token.len() - 3].to_string();
    }
    token[1..token.len() - 1].replace("\\'", "'")
}

/// The name inside a `"..."` reference (only `\"` is an escape).
pub(super) fn reference(token: &str) -> String {
    token[1..token.len() - 1].replace("\\\"", "\"")
}

/// The pattern inside a `/.../` token with `\/` turned into `/`, checked to compile.
pub(super) fn regex(token: &str, span: Span) -> Result<String, Diag> {
    let pattern = token[1..token.len() - 1].replace("\\/", "/");
    match crate::eval::compile_go_regex(&pattern) {
        Ok(_) => Ok(pattern),
        Err(detail) => {
            Err(Diag::new(Code::BadRegex, span, "invalid regular expression")
                .with_label(detail.trim_start_matches("error: ").to_string())
                .with_help("regexes use Go's RE2 syntax: no look-around, no back-references; write \\/ for a slash"))
        }
    }
}
