//! Lexical errors (E102-E107): what Kapacitor's lexer would report for the
//! token starting where pest stopped.

use super::scan;
use crate::diagnostic::{Code, Diag};
use crate::span::Span;

/// The lexical error at `pos`, if the token there cannot be lexed at all.
/// `operand_expected` tells whether the parser wanted an operand there
/// (Kapacitor's operand lexer state, where `/` starts a regex).
pub(super) fn at(src: &str, pos: usize, operand_expected: bool) -> Option<Diag> {
    let c = src.get(pos..)?.chars().next()?;
    let one = Span::new(pos, pos + c.len_utf8());
    match c {
        '\'' if scan::string_end(src, pos).is_none() => Some(
            Diag::new(Code::UnterminatedString, one, "unterminated string")
                .with_label("this string is never closed")
                .with_help("close it with '; the only escape inside '...' is \\', so a string cannot end with a backslash"),
        ),
        '"' if scan::reference_end(src, pos).is_none() => Some(
            Diag::new(Code::UnterminatedRef, one, "unterminated field reference")
                .with_label("this reference is never closed")
                .with_help("close it with \"; the only escape inside \"...\" is \\\""),
        ),
        '/' if operand_expected && scan::regex_end(src, pos).is_none() => Some(
            Diag::new(Code::UnterminatedRegex, one, "unterminated regex")
                .with_label("this regex is never closed")
                .with_help("close it with /; write \\/ for a slash inside the regex"),
        ),
        '.' if ellipsis_start(src, pos).is_some() => ellipsis_start(src, pos).map(ellipsis),
        '0'..='9' | '.' => multiple_decimals(src, pos),
        c if scan::is_illegal(c) => Some(illegal(src, pos, c, one)),
        c if operand_expected && scan::is_operator_char(c) => Some(
            Diag::new(Code::IllegalChar, one, format!("unexpected `{c}`: expected an operand"))
                .with_label("an operand must come first")
                .with_help("operators need an operand on each side, e.g. \"value\" > 5"),
        ),
        _ => None,
    }
}

/// Start of the `...` that the dot at `pos` belongs to, if any.
fn ellipsis_start(src: &str, pos: usize) -> Option<usize> {
    let start = src[..pos].trim_end_matches('.').len();
    src[start..].starts_with("...").then_some(start)
}

/// A documentation ellipsis `...` left in a script.
fn ellipsis(pos: usize) -> Diag {
    Diag::new(Code::Syntax, Span::new(pos, pos + 3), "unexpected `...`")
        .with_label("not TICKscript")
        .with_help("`...` in documentation stands for elided code: replace it with the real arguments or properties")
}

fn multiple_decimals(src: &str, pos: usize) -> Option<Diag> {
    let end = scan::number_end(src, pos).err()?;
    Some(
        Diag::new(Code::BadNumber, Span::new(pos, end), "multiple decimals in number")
            .with_label("a number has at most one decimal point"),
    )
}

fn illegal(src: &str, pos: usize, c: char, span: Span) -> Diag {
    let help = match c {
        '$' => "TICKscript variables have no `$`: declare `var name = ...` and write `name`".to_string(),
        ';' => "statements need no separator in TICKscript; remove the `;`".to_string(),
        '#' => "comments start with `//`".to_string(),
        '\u{2018}' | '\u{2019}' | '\u{201C}' | '\u{201D}' => {
            "use straight quotes: 'string' or \"field\"".to_string()
        }
        ':' if src[..pos].trim_end().ends_with("lambda") => "write `lambda:` with no space before the colon".to_string(),
        ':' => "`:` only appears in `lambda:`".to_string(),
        '~' => "`~` only appears in the regex operators `=~` and `!~`".to_string(),
        _ => "this character cannot start any TICKscript token".to_string(),
    };
    Diag::new(Code::IllegalChar, span, format!("illegal character `{c}`"))
        .with_label("not allowed here")
        .with_help(help)
}
