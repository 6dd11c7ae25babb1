//! pest errors → one [`Diag`]: the position is the token where parsing
//! stopped (like Kapacitor), and what was expected is said in words.

use super::{lexerr, scan, Rule};
use crate::diagnostic::{Code, Diag};
use crate::span::{line_col, Span};
use pest::error::{Error, ErrorVariant, InputLocation};

/// Converts a failed parse of `src` into a diagnostic.
pub(super) fn from_pest(src: &str, err: Error<Rule>) -> Diag {
    let pos = match err.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((start, _)) => start,
    };
    let positives = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => positives.clone(),
        ErrorVariant::CustomError { message } => return too_complex(pos, message),
    };
    let operand_expected = positives.iter().any(|r| rule_word(*r, src, pos) == "an expression");
    if let Some(diag) = lexerr::at(src, pos, operand_expected) {
        return diag;
    }
    let tokens = attempted_punctuation(&err, pos);
    syntax_error(src, pos, &positives, &tokens)
}

/// Punctuation pest tried at `pos` (literals are not rules, so they are not in `positives`).
fn attempted_punctuation(err: &Error<Rule>, pos: usize) -> Vec<&'static str> {
    let Some(attempts) = err.parse_attempts().filter(|a| a.max_position == pos) else {
        return Vec::new();
    };
    let tried: Vec<String> = attempts.expected_tokens().iter().map(ToString::to_string).collect();
    [")", "]", ","].into_iter().filter(|p| tried.iter().any(|t| t == p)).collect()
}

fn too_complex(pos: usize, message: &str) -> Diag {
    Diag::new(Code::Syntax, Span::new(pos, pos), "script is nested too deeply to parse")
        .with_label(message.to_string())
        .with_help("split the expression into several `var` declarations")
}

fn syntax_error(src: &str, pos: usize, positives: &[Rule], tokens: &[&str]) -> Diag {
    let (found, span) = found_token(src, pos);
    let expected = join(&expected_words(src, pos, positives, tokens));
    let mut diag = Diag::new(Code::Syntax, span, format!("expected {expected}, found {found}"))
        .with_label(format!("expected {expected}"));
    if let Some(message) = duration_mistake(src, pos, span) {
        diag.message = message;
    }
    match help(src, pos, &found, positives, tokens) {
        Some(help) => diag.with_help(help),
        None => diag,
    }
}

/// Describes the token at `pos` and its span.
fn found_token(src: &str, pos: usize) -> (String, Span) {
    let Some(c) = src.get(pos..).and_then(|s| s.chars().next()) else {
        return ("end of input".to_string(), Span::new(pos, pos));
    };
    let end = match c {
        '\'' => scan::string_end(src, pos),
        '"' => scan::reference_end(src, pos),
        _ => None,
    };
    if let Some(end) = end {
        let what = if c == '\'' { "a string" } else { "a field reference" };
        return (what.to_string(), Span::new(pos, end));
    }
    let end = if c.is_alphanumeric() || c == '_' {
        scan::word_end(src, pos)
    } else if c == '.' && src[pos + 1..].starts_with(|d: char| d.is_ascii_digit()) {
        scan::number_end(src, pos).unwrap_or_else(|e| e)
    } else {
        scan::symbol_end(src, pos)
    };
    (format!("`{}`", &src[pos..end]), Span::new(pos, end))
}

/// What the parser would have accepted at `pos`, in words, without repeats.
fn expected_words(src: &str, pos: usize, positives: &[Rule], tokens: &[&str]) -> Vec<String> {
    let mut words: Vec<String> = tokens.iter().map(|t| format!("`{t}`")).collect();
    let at_statement_end = positives.contains(&Rule::EOI);
    for rule in positives {
        let word = match rule_word(*rule, src, pos) {
            "an expression" | "a statement" if at_statement_end => "a new statement",
            word => word,
        };
        if !words.iter().any(|w| w == word) {
            words.push(word.to_string());
        }
    }
    if let Some(i) = words.iter().position(|w| w == "end of input") {
        let end = words.remove(i);
        words.push(end);
    }
    words
}

/// The one place where grammar rules become words for users.
fn rule_word(rule: Rule, src: &str, pos: usize) -> &'static str {
    use Rule::*;
    match rule {
        op_or | op_and | op_eq | op_ne | op_regex_match | op_regex_not_match | op_lt | op_le
        | op_gt | op_ge | op_add | op_sub | op_mul | op_div | op_mod => "an operator",
        operand | lambda | list | paren | call | number | duration | string | triple_string
        | single_string | boolean | regex | star | binary | chain_expr | neg | not => "an expression",
        reference => "a double-quoted name",
        ident => name_kind(src, pos),
        args => "`(`",
        assign => "`=`",
        pipe_link | dot_link | at_link => "a chain link (`|`, `.` or `@`)",
        kw_var | kw_dbrp | var_decl | typed_var | dbrp | script => "a statement",
        EOI => "end of input",
        lambda_body => "an expression",
        _ => "a valid token",
    }
}

/// Which kind of name an identifier at `pos` would be, from the token before it.
fn name_kind(src: &str, pos: usize) -> &'static str {
    let before = src[..pos].trim_end();
    match before.chars().last() {
        Some('@') => "a UDF name",
        Some('|') => "a node name",
        Some('.') => "a property name",
        _ if before.ends_with("var") => "a variable name",
        _ => "a name",
    }
}

fn join(words: &[String]) -> String {
    match words {
        [] => "a valid token".to_string(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// `10x` (not a unit) or `1.5s` (fractional duration) read as two tokens.
fn duration_mistake(src: &str, pos: usize, span: Span) -> Option<String> {
    let word = &src[span.start..span.end];
    let number_before = src[..pos].trim_end_matches(|c: char| c.is_ascii_digit() || c == '.');
    let digits = &src[number_before.len()..pos];
    if digits.is_empty() || !word.starts_with(|c: char| c.is_alphabetic()) {
        return None;
    }
    if digits.contains('.') {
        return Some(format!("durations take whole numbers: `{digits}{word}` is not a duration"));
    }
    Some(format!("`{word}` is not a duration unit; units are u, ms, s, m, h, d, w"))
}

fn help(src: &str, pos: usize, found: &str, positives: &[Rule], tokens: &[&str]) -> Option<String> {
    let wants_operator = positives.iter().any(|r| rule_word(*r, src, pos) == "an operator");
    if found == "`=`" && wants_operator {
        return Some("use `==` to compare".to_string());
    }
    if duration_follows(src, pos) {
        return Some("a duration has a single unit: write 90m, not 1h30m".to_string());
    }
    if (found == "`)`" || found == "`]`") && !tokens.contains(&")") && !tokens.contains(&"]") {
        return Some(format!("this {found} has no matching opening bracket; remove it"));
    }
    if tokens.contains(&")") || tokens.contains(&"]") {
        let open = scan::unclosed_bracket(src, pos)?;
        let (line, col) = line_col(src, open);
        let close = if src[open..].starts_with('(') { ")" } else { "]" };
        return Some(format!("close the `{}` opened at line {line}, column {col} with `{close}`", &src[open..open + 1]));
    }
    None
}

/// True when the token at `pos` is a duration right after another duration (`1h30m`).
fn duration_follows(src: &str, pos: usize) -> bool {
    let starts_with_digit = src[pos..].starts_with(|c: char| c.is_ascii_digit());
    let before = src[..pos].trim_end_matches(|c: char| c.is_alphabetic());
    let unit = &src[before.len()..pos];
    starts_with_digit && !unit.is_empty() && before.ends_with(|c: char| c.is_ascii_digit())
}
