//! Template tokens and their descriptions in Go's error messages.

use super::printf::quote;
use crate::span::Span;

/// Kind of a token, with its text where needed.
#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    /// Literal template text between actions.
    Text(String),
    /// `{{` (with or without trim marker).
    LeftDelim,
    /// `}}` (with or without trim marker).
    RightDelim,
    /// A run of spaces inside an action.
    Space,
    /// `|`
    Pipe,
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `:=`
    Declare,
    /// `=`
    Assign,
    /// Any other printable ASCII character, e.g. `,`.
    Char(char),
    /// `.Name` (the name without the dot).
    Field(String),
    /// `$name` or `$` (with the dollar).
    Variable(String),
    /// An identifier that is not a keyword: a function name.
    Ident(String),
    /// A keyword such as `if`, `end`, `range`.
    Keyword(&'static str),
    /// `.` alone.
    Dot,
    /// `nil`
    Nil,
    /// `true` / `false`
    Bool(bool),
    /// A number, as written.
    Number(String),
    /// A character constant, as written with its quotes.
    CharConst(String),
    /// A double-quoted string, as written with its quotes.
    Str(String),
    /// A back-quoted raw string, as written with its quotes.
    RawStr(String),
    /// End of input.
    Eof,
    /// A lexical error; always the last token.
    Error(String),
}

/// A token and where it is.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// What the token is.
    pub tok: Tok,
    /// Byte range in the template text.
    pub span: Span,
}

/// Go's `%#U` rendering of a character: `U+0025 '%'`.
pub fn char_desc(c: char) -> String {
    format!("U+{:04X} '{c}'", c as u32)
}

/// Go's rendering of a token in "unexpected X in Y" messages.
pub fn describe(tok: &Token) -> String {
    let text = match &tok.tok {
        Tok::Eof => return "EOF".into(),
        Tok::Keyword(k) => return format!("<{k}>"),
        Tok::Text(t) | Tok::Field(t) | Tok::Variable(t) | Tok::Ident(t) | Tok::Number(t) => {
            if matches!(tok.tok, Tok::Field(_)) {
                format!(".{t}")
            } else {
                t.clone()
            }
        }
        Tok::CharConst(t) | Tok::Str(t) | Tok::RawStr(t) => t.clone(),
        Tok::LeftDelim => "{{".into(),
        Tok::RightDelim => "}}".into(),
        Tok::Space => " ".into(),
        Tok::Pipe => "|".into(),
        Tok::LParen => "(".into(),
        Tok::RParen => ")".into(),
        Tok::Declare => ":=".into(),
        Tok::Assign => "=".into(),
        Tok::Char(c) => c.to_string(),
        Tok::Dot => return "<.>".into(),
        Tok::Nil => return "<nil>".into(),
        Tok::Bool(b) => b.to_string(),
        Tok::Error(e) => return e.clone(),
    };
    if text.chars().count() > 10 {
        format!("{}...", quote(&text.chars().take(10).collect::<String>()))
    } else {
        quote(&text)
    }
}
