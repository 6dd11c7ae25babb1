//! Compiling Go (RE2) regex text with Rust's `regex`, keeping Go's meaning.
//!
//! Go's `\d \w \s \b` are ASCII-only while Rust's are Unicode; `{,n}` is a
//! literal in Go; `\Q…\E` quotes text. The pre-pass rewrites those
//! (ecosystem.md §C12).

use regex::{Regex, RegexBuilder};

/// Compiled programs larger than this are refused (protects against huge patterns).
const SIZE_LIMIT: usize = 10 * (1 << 20);

/// Compiles a Go regex; the error text explains what is wrong.
pub fn compile_go_regex(pattern: &str) -> Result<Regex, String> {
    let translated = translate(pattern);
    RegexBuilder::new(&translated).size_limit(SIZE_LIMIT).build().map_err(|e| match e {
        regex::Error::Syntax(text) => text.lines().last().unwrap_or("invalid regex").trim().to_string(),
        regex::Error::CompiledTooBig(_) => "regex is too large".to_string(),
        other => other.to_string(),
    })
}

/// Rewrites Go-specific syntax into an equivalent Rust pattern.
pub(crate) fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    let mut in_class = false;
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let at_class_start = std::mem::take(&mut class_start);
        match c {
            '\\' => match chars.next() {
                Some('Q') => quote_until_e(&mut chars, &mut out),
                Some(e) => out.push_str(&escape(e, in_class)),
                None => out.push('\\'),
            },
            '[' if !in_class => {
                out.push('[');
                in_class = true;
                if chars.peek() == Some(&'^') {
                    out.push('^');
                    chars.next();
                }
                class_start = true;
            }
            '[' if chars.peek() == Some(&':') => copy_posix_class(&mut chars, &mut out),
            '[' | '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            ']' if in_class && !at_class_start => {
                in_class = false;
                out.push(']');
            }
            '{' if !in_class && chars.peek() == Some(&',') => out.push_str("\\{"),
            c => out.push(c),
        }
    }
    out
}

/// Copies `[:name:]` through unchanged (ASCII classes mean the same in both).
fn copy_posix_class(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, out: &mut String) {
    out.push('[');
    let mut previous = '[';
    for c in chars.by_ref() {
        out.push(c);
        if c == ']' && previous == ':' {
            break;
        }
        previous = c;
    }
}

/// Handles `\Q…\E` (or to the end): the text between is literal.
fn quote_until_e(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, out: &mut String) {
    let mut literal = String::new();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&'E') {
            chars.next();
            break;
        }
        literal.push(c);
    }
    out.push_str(&regex::escape(&literal));
}

/// One escape `\e`, ASCII-only classes as in Go.
fn escape(e: char, in_class: bool) -> String {
    let (set, negated) = match e {
        'd' => ("0-9", false),
        'D' => ("0-9", true),
        'w' => ("0-9A-Za-z_", false),
        'W' => ("0-9A-Za-z_", true),
        's' => ("\\t\\n\\f\\r ", false),
        'S' => ("\\t\\n\\f\\r ", true),
        'b' | 'B' if !in_class => return format!("(?-u:\\{e})"),
        _ => return format!("\\{e}"),
    };
    match (negated, in_class) {
        (false, true) => set.to_string(),
        (false, false) => format!("[{set}]"),
        (true, _) => format!("[^{set}]"),
    }
}
