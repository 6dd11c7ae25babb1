//! Template literals: Go string unquoting and number constants.

use super::value::TValue;

/// A numeric constant as Go's `parse.NumberNode` sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Number {
    /// The integer value, when the text denotes an integer.
    pub int: Option<i64>,
    /// The float value, when the text denotes a float.
    pub float: Option<f64>,
    /// True for constants written as floats (`1.0`, `1e3`).
    pub float_syntax: bool,
}

impl Number {
    /// The value Go passes to an `interface{}` parameter (`idealConstant`).
    pub fn value(&self) -> TValue {
        match (self.float_syntax, self.int, self.float) {
            (true, _, Some(f)) => TValue::Float(f),
            (_, Some(i), _) => TValue::Int(i),
            (_, None, Some(f)) => TValue::Float(f),
            _ => TValue::Nil,
        }
    }
}

/// Parses a number token; `Err` has Go's message.
pub fn parse_number(text: &str) -> Result<Number, String> {
    if text.ends_with('i') {
        return Err(format!("complex constants are not supported: {text:?}"));
    }
    let clean = text.replace('_', "");
    let is_hex = clean
        .trim_start_matches(['+', '-'])
        .to_ascii_lowercase()
        .starts_with("0x");
    let int = parse_int(&clean);
    let mut float = if is_hex {
        int.map(|i| i as f64)
    } else {
        clean.parse::<f64>().ok()
    };
    let float_syntax = !is_hex && clean.contains(['.', 'e', 'E']);
    if let (Some(i), None) = (int, float) {
        float = Some(i as f64);
    }
    let int = int.or_else(|| {
        float
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.2e18)
            .map(|f| f as i64)
    });
    if int.is_none() && float.is_none() {
        return Err(format!("illegal number syntax: {text:?}"));
    }
    Ok(Number {
        int,
        float,
        float_syntax,
    })
}

/// Go's `strconv.ParseInt(s, 0, 64)`: `0x`, `0o`, `0b` and leading-zero octal.
fn parse_int(text: &str) -> Option<i64> {
    let (neg, body) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d)
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d)
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(digits, radix).ok()?;
    i64::try_from(if neg { -magnitude } else { magnitude }).ok()
}

/// The value of a character constant such as `'a'` or `'\n'`.
pub fn parse_char(text: &str) -> Result<Number, String> {
    let inner = unquote_body(&text[1..text.len() - 1], '\'')?;
    let mut chars = inner.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => {
            let i = c as i64;
            Ok(Number {
                int: Some(i),
                float: Some(i as f64),
                float_syntax: false,
            })
        }
        _ => Err(format!("malformed character constant: {text}")),
    }
}

/// Go's `strconv.Unquote` for a double-quoted or back-quoted token.
pub fn unquote(text: &str) -> Result<String, String> {
    let inner = &text[1..text.len() - 1];
    if text.starts_with('`') {
        return Ok(inner.replace('\r', ""));
    }
    unquote_body(inner, '"')
}

fn unquote_body(body: &str, quote: char) -> Result<String, String> {
    let bad = || "invalid syntax".to_string();
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let esc = chars.next().ok_or_else(bad)?;
        let simple = match esc {
            'a' => Some('\u{7}'),
            'b' => Some('\u{8}'),
            'f' => Some('\u{c}'),
            'n' => Some('\n'),
            'r' => Some('\r'),
            't' => Some('\t'),
            'v' => Some('\u{b}'),
            '\\' => Some('\\'),
            c if c == quote => Some(c),
            _ => None,
        };
        if let Some(s) = simple {
            out.push(s);
            continue;
        }
        let (count, radix) = match esc {
            'x' => (2, 16),
            'u' => (4, 16),
            'U' => (8, 16),
            '0'..='7' => (2, 8),
            _ => return Err(bad()),
        };
        let mut digits = String::new();
        if radix == 8 {
            digits.push(esc);
        }
        for _ in 0..count {
            digits.push(chars.next().ok_or_else(bad)?);
        }
        let code = u32::from_str_radix(&digits, radix).map_err(|_| bad())?;
        // Byte escapes above 0x7f become U+0080..U+00FF (Go writes raw bytes).
        if (esc == 'x' || radix == 8) && code > 0xff {
            return Err(bad());
        }
        out.push(char::from_u32(code).ok_or_else(bad)?);
    }
    Ok(out)
}
