//! Go `fmt` printing of template values: `Sprint`, `Sprintln`, `Sprintf`.

use super::numfmt;
use super::value::TValue;
use crate::gofmt;

/// Flags, width and precision of one verb.
#[derive(Debug, Clone, Copy, Default)]
struct Spec {
    minus: bool,
    plus: bool,
    sharp: bool,
    space: bool,
    zero: bool,
    width: Option<usize>,
    prec: Option<usize>,
}

/// A value as Go's `%v` prints it (`<nil>` for a missing value).
pub fn format_v(v: &TValue) -> String {
    let mut out = String::new();
    arg(&mut out, v, 'v', &Spec::default());
    out
}

/// Go's `fmt.Sprint`: spaces between operands when neither is a string.
pub fn sprint(args: &[TValue]) -> String {
    let mut out = String::new();
    let mut prev_string = false;
    for (i, a) in args.iter().enumerate() {
        let is_string = matches!(a, TValue::Str(_));
        if i > 0 && !is_string && !prev_string {
            out.push(' ');
        }
        arg(&mut out, a, 'v', &Spec::default());
        prev_string = is_string;
    }
    out
}

/// Go's `fmt.Sprintln`: operands separated by spaces, then a newline.
pub fn sprintln(args: &[TValue]) -> String {
    let parts: Vec<String> = args.iter().map(format_v).collect();
    format!("{}\n", parts.join(" "))
}

/// Go's `fmt.Sprintf` for the verbs templates use.
pub fn sprintf(format: &str, args: &[TValue]) -> String {
    let mut out = String::new();
    let mut next_arg = 0;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let mut spec = Spec::default();
        while let Some(&f) = chars.peek() {
            match f {
                '-' => (spec.minus, spec.zero) = (true, false),
                '+' => spec.plus = true,
                '#' => spec.sharp = true,
                ' ' => spec.space = true,
                '0' => spec.zero = !spec.minus,
                _ => break,
            }
            chars.next();
        }
        spec.width = number(&mut chars);
        if chars.peek() == Some(&'.') {
            chars.next();
            spec.prec = Some(number(&mut chars).unwrap_or(0));
        }
        let Some(verb) = chars.next() else {
            out.push_str("%!(NOVERB)");
            break;
        };
        if verb == '%' {
            out.push('%');
            continue;
        }
        match args.get(next_arg) {
            Some(a) => arg(&mut out, a, verb, &spec),
            None => out.push_str(&format!("%!{verb}(MISSING)")),
        }
        next_arg += 1;
    }
    if next_arg < args.len() {
        let extra: Vec<String> = args[next_arg..].iter().map(typed).collect();
        out.push_str(&format!("%!(EXTRA {})", extra.join(", ")));
    }
    out
}

fn number(chars: &mut std::iter::Peekable<std::str::Chars>) -> Option<usize> {
    let mut n: Option<usize> = None;
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        n = Some(
            n.unwrap_or(0)
                .saturating_mul(10)
                .saturating_add(d as usize)
                .min(1_000_000),
        );
        chars.next();
    }
    n
}

/// `type=value`, as in `%!d(float64=8)`.
fn typed(v: &TValue) -> String {
    match v {
        TValue::Nil => "<nil>".into(),
        v => format!("{}={}", v.go_type(), format_v(v)),
    }
}

fn bad_verb(out: &mut String, v: &TValue, verb: char) {
    out.push_str(&format!("%!{verb}({})", typed(v)));
}

fn arg(out: &mut String, v: &TValue, verb: char, spec: &Spec) {
    if verb == 'T' {
        return pad(out, v.go_type(), spec);
    }
    match v {
        TValue::Nil if verb == 'v' => pad(out, "<nil>", spec),
        TValue::Bool(b) if matches!(verb, 't' | 'v') => pad(out, &b.to_string(), spec),
        TValue::Int(i) => int(out, v, *i, verb, spec),
        TValue::Duration(ns) if matches!(verb, 'v' | 's' | 'x' | 'X' | 'q') => {
            string(out, v, &gofmt::duration_string(*ns), verb, spec)
        }
        TValue::Duration(ns) => int(out, v, *ns, verb, spec),
        TValue::Time(ns) if matches!(verb, 'v' | 's' | 'x' | 'X' | 'q') => {
            string(out, v, &gofmt::time_string(*ns), verb, spec)
        }
        TValue::Float(f) => float(out, v, *f, verb, spec),
        TValue::Str(s) => string(out, v, s, verb, spec),
        TValue::StrMap(m) => {
            out.push_str("map[");
            for (i, (k, val)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                string(out, v, k, verb, spec);
                out.push(':');
                string(out, v, val, verb, spec);
            }
            out.push(']');
        }
        TValue::Map(m) => {
            out.push_str("map[");
            for (i, (k, val)) in m.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                string(out, v, k, verb, spec);
                out.push(':');
                arg(out, val, verb, spec);
            }
            out.push(']');
        }
        TValue::Struct(_, fields) => {
            out.push('{');
            for (i, (name, val)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                if spec.plus && verb == 'v' {
                    out.push_str(name);
                    out.push(':');
                }
                arg(out, val, verb, spec);
            }
            out.push('}');
        }
        _ => bad_verb(out, v, verb),
    }
}

/// Pads `s` to the width, with zeros when the `0` flag is set.
fn pad(out: &mut String, s: &str, spec: &Spec) {
    let len = s.chars().count();
    let fill = spec.width.unwrap_or(0).saturating_sub(len);
    if spec.minus {
        out.push_str(s);
        out.extend(std::iter::repeat_n(' ', fill));
    } else {
        out.extend(std::iter::repeat_n(if spec.zero { '0' } else { ' ' }, fill));
        out.push_str(s);
    }
}

/// Pads a signed number: zeros go between the sign and the digits.
fn pad_number(out: &mut String, sign: &str, body: &str, spec: &Spec, allow_zero: bool) {
    if spec.zero && allow_zero && !spec.minus {
        if let Some(width) = spec.width {
            let fill = width.saturating_sub(sign.len() + body.chars().count());
            out.push_str(sign);
            out.extend(std::iter::repeat_n('0', fill));
            out.push_str(body);
            return;
        }
    }
    pad(
        out,
        &format!("{sign}{body}"),
        &Spec {
            zero: false,
            ..*spec
        },
    );
}

fn sign_of(negative: bool, spec: &Spec) -> &'static str {
    match (negative, spec.plus, spec.space) {
        (true, _, _) => "-",
        (false, true, _) => "+",
        (false, false, true) => " ",
        _ => "",
    }
}

fn int(out: &mut String, v: &TValue, i: i64, verb: char, spec: &Spec) {
    let (base, upper, prefix) = match verb {
        'v' | 'd' => (10, false, ""),
        'b' => (2, false, "0b"),
        'o' => (8, false, "0"),
        'O' => (8, false, "0o"),
        'x' => (16, false, "0x"),
        'X' => (16, true, "0X"),
        'c' => {
            return pad(
                out,
                &char::from_u32(i as u32).unwrap_or('\u{FFFD}').to_string(),
                spec,
            )
        }
        'q' => return pad(out, &quote_rune(i), spec),
        'U' => return pad(out, &format!("U+{:04X}", i), spec),
        _ => return bad_verb(out, v, verb),
    };
    let mut digits = numfmt::int_digits(i, base, upper);
    if let Some(p) = spec.prec {
        if p == 0 && i == 0 {
            digits.clear();
        }
        if digits.len() < p {
            digits.insert_str(0, &"0".repeat(p - digits.len()));
        }
    }
    let prefix = if spec.sharp || verb == 'O' {
        prefix
    } else {
        ""
    };
    let sign = format!("{}{prefix}", sign_of(i < 0, spec));
    pad_number(out, &sign, &digits, spec, spec.prec.is_none());
}

/// The largest float precision Rust's formatter takes (it panics above).
pub const MAX_FLOAT_PRECISION: usize = 65_535;

/// The first float precision in `format` (`%.65536f`) beyond [`MAX_FLOAT_PRECISION`], if any.
pub fn precision_beyond_limit(format: &str) -> Option<usize> {
    let mut rest = format;
    while let Some(i) = rest.find('%') {
        rest = &rest[i + 1..];
        let spec = rest.trim_start_matches(['-', '+', '#', ' ', '0']).trim_start_matches(|c: char| c.is_ascii_digit());
        let Some(digits) = spec.strip_prefix('.') else { continue };
        let end = digits.find(|c: char| !c.is_ascii_digit()).unwrap_or(digits.len());
        let prec: usize = digits[..end].parse().unwrap_or(0);
        if prec > MAX_FLOAT_PRECISION && digits[end..].starts_with(['e', 'E', 'f', 'F', 'g', 'G', 'v']) {
            return Some(prec);
        }
    }
    None
}

fn float(out: &mut String, v: &TValue, f: f64, verb: char, spec: &Spec) {
    let (verb, prec) = match verb {
        'v' | 'g' | 'G' => (if verb == 'G' { 'G' } else { 'g' }, spec.prec),
        'e' | 'E' | 'f' | 'F' => (verb, Some(spec.prec.unwrap_or(6))),
        _ => return bad_verb(out, v, verb),
    };
    if prec.is_some_and(|p| p > MAX_FLOAT_PRECISION) {
        // `tick check` rejects it (E501); rendering never panics.
        out.push_str("%!(BADPREC)");
        return;
    }
    let text = numfmt::float(f, verb, prec);
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, text.trim_start_matches('+').to_string()),
    };
    let sign = if f.is_infinite() && f > 0.0 && !spec.plus && !spec.space {
        "+"
    } else {
        sign_of(negative, spec)
    };
    pad_number(out, sign, &body, spec, f.is_finite());
}

fn string(out: &mut String, v: &TValue, s: &str, verb: char, spec: &Spec) {
    let s = match spec.prec {
        Some(p) => s.chars().take(p).collect::<String>(),
        None => s.to_string(),
    };
    match verb {
        'v' | 's' => pad(out, &s, spec),
        'q' => pad(out, &quote(&s), spec),
        'x' => pad(out, &hex(&s, false), spec),
        'X' => pad(out, &hex(&s, true), spec),
        _ => bad_verb(out, v, verb),
    }
}

fn hex(s: &str, upper: bool) -> String {
    s.bytes()
        .map(|b| {
            if upper {
                format!("{b:02X}")
            } else {
                format!("{b:02x}")
            }
        })
        .collect()
}

/// Go's `strconv.Quote`.
pub fn quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        escape_char(&mut out, c, '"');
    }
    out.push('"');
    out
}

fn quote_rune(i: i64) -> String {
    let c = u32::try_from(i)
        .ok()
        .and_then(char::from_u32)
        .unwrap_or('\u{FFFD}');
    let mut out = String::from("'");
    escape_char(&mut out, c, '\'');
    out.push('\'');
    out
}

fn escape_char(out: &mut String, c: char, quote: char) {
    match c {
        c if c == quote || c == '\\' => {
            out.push('\\');
            out.push(c);
        }
        '\u{7}' => out.push_str("\\a"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\u{b}' => out.push_str("\\v"),
        c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
        c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
        c => out.push(c),
    }
}

#[cfg(test)]
mod precision_tests {
    use super::*;

    #[test]
    fn a_precision_beyond_the_formatter_renders_badprec_instead_of_panicking() {
        let out = sprintf("%.65536f|%.2f", &[TValue::Float(1.5), TValue::Float(2.25)]);
        assert_eq!(out, "%!(BADPREC)|2.25");
        assert_eq!(sprintf("%.65535f", &[TValue::Float(1.0)]).len(), 65_537);
        assert_eq!(sprintf("%.300000d", &[TValue::Int(7)]).len(), 300_000);
    }

    #[test]
    fn precisions_beyond_the_limit_are_found_in_template_text() {
        assert_eq!(precision_beyond_limit(r#"{{ printf "%.65536f" .Level }}"#), Some(65_536));
        assert_eq!(precision_beyond_limit(r#"{{ printf "%-08.70000e" 1.0 }}"#), Some(70_000));
        assert_eq!(precision_beyond_limit(r#"{{ printf "%.65535f %.99999s" 1.0 "x" }}"#), None);
        assert_eq!(precision_beyond_limit("100% done"), None);
    }
}
