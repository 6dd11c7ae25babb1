//! Lexer for Go `text/template` syntax (Go 1.19 rules).
//!
//! Produces the whole token list up front; a lexical error becomes a final
//! [`Tok::Error`] token so the parser reports errors in source order, as Go
//! does with its concurrent lexer.

use super::token::{char_desc, Tok, Token};
use crate::span::Span;

const KEYWORDS: [&str; 10] = [
    "block", "break", "continue", "define", "else", "end", "if", "range", "template", "with",
];

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_alnum(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Splits `src` into tokens; the last token is `Eof` or `Error`.
pub fn lex(src: &str) -> Vec<Token> {
    let mut lexer = Lexer {
        src,
        bytes: src.as_bytes(),
        pos: 0,
        out: Vec::new(),
        depth: 0,
    };
    lexer.run();
    lexer.out
}

struct Lexer<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    out: Vec<Token>,
    depth: usize,
}

type LexResult = Result<(), (String, Span)>;

impl Lexer<'_> {
    fn run(&mut self) {
        match self.lex_all() {
            Ok(()) => self.emit(Tok::Eof, self.pos, self.pos),
            Err((msg, span)) => self.out.push(Token {
                tok: Tok::Error(msg),
                span,
            }),
        }
    }

    fn emit(&mut self, tok: Tok, start: usize, end: usize) {
        self.out.push(Token {
            tok,
            span: Span::new(start, end),
        });
    }

    fn rest(&self) -> &str {
        &self.src[self.pos..]
    }

    fn lex_all(&mut self) -> LexResult {
        loop {
            let Some(found) = self.rest().find("{{") else {
                self.emit_text(self.pos, self.src.len(), false);
                self.pos = self.src.len();
                return Ok(());
            };
            let delim = self.pos + found;
            let after = &self.bytes[delim + 2..];
            let trim = after.len() >= 2 && after[0] == b'-' && is_space(after[1]);
            self.emit_text(self.pos, delim, trim);
            let marker = if trim { 2 } else { 0 };
            self.pos = delim + 2 + marker;
            if self.rest().starts_with("/*") {
                self.lex_comment(delim)?;
            } else {
                self.emit(Tok::LeftDelim, delim, delim + 2);
                self.lex_action(delim)?;
            }
        }
    }

    fn emit_text(&mut self, start: usize, end: usize, trim_right: bool) {
        let mut text = &self.src[start..end];
        if trim_right {
            text = text.trim_end_matches([' ', '\t', '\r', '\n']);
        }
        if !text.is_empty() {
            self.emit(Tok::Text(text.to_string()), start, start + text.len());
        }
    }

    /// At a right delimiter: `Some(trim)` and consumes it.
    fn take_right_delim(&mut self) -> Option<usize> {
        let rest = self.rest().as_bytes();
        if rest.len() >= 4 && is_space(rest[0]) && rest[1] == b'-' && &rest[2..4] == b"}}" {
            return Some(4);
        }
        rest.starts_with(b"}}").then_some(2)
    }

    fn finish_delim(&mut self, len: usize) {
        self.pos += len;
        if len == 4 {
            let skip = self.rest().len()
                - self
                    .rest()
                    .trim_start_matches([' ', '\t', '\r', '\n'])
                    .len();
            self.pos += skip;
        }
    }

    fn lex_comment(&mut self, delim: usize) -> LexResult {
        let Some(end) = self.rest().find("*/") else {
            return Err(("unclosed comment".into(), Span::new(delim, self.src.len())));
        };
        self.pos += end + 2;
        match self.take_right_delim() {
            Some(len) => {
                self.finish_delim(len);
                Ok(())
            }
            None => Err((
                "comment ends before closing delimiter".into(),
                Span::new(delim, self.pos),
            )),
        }
    }

    fn lex_action(&mut self, delim: usize) -> LexResult {
        self.depth = 0;
        loop {
            if let Some(len) = self.take_right_delim() {
                if self.depth > 0 {
                    return Err((
                        "unclosed left paren".into(),
                        Span::new(self.pos, self.pos + len),
                    ));
                }
                let start = self.pos + len - 2;
                self.emit(Tok::RightDelim, start, self.pos + len);
                self.finish_delim(len);
                return Ok(());
            }
            let Some(c) = self.rest().chars().next() else {
                return Err(("unclosed action".into(), Span::new(delim, delim + 2)));
            };
            self.lex_one(c)?;
        }
    }

    fn lex_one(&mut self, c: char) -> LexResult {
        let start = self.pos;
        match c {
            ' ' | '\t' | '\r' | '\n' => self.lex_space(),
            '=' => self.single(Tok::Assign),
            ':' => {
                if self.rest().starts_with(":=") {
                    self.pos += 2;
                    self.emit(Tok::Declare, start, self.pos);
                    Ok(())
                } else {
                    Err(("expected :=".into(), Span::new(start, start + 1)))
                }
            }
            '|' => self.single(Tok::Pipe),
            '"' => self.lex_quote(),
            '`' => self.lex_raw(),
            '\'' => self.lex_char(),
            '$' => {
                self.pos += 1;
                let name = self.alnum_run();
                self.emit(Tok::Variable(format!("${name}")), start, self.pos);
                self.check_terminator()
            }
            '.' if !self.bytes.get(start + 1).is_some_and(u8::is_ascii_digit) => {
                self.pos += 1;
                let name = self.alnum_run();
                let tok = if name.is_empty() {
                    Tok::Dot
                } else {
                    Tok::Field(name)
                };
                self.emit(tok, start, self.pos);
                self.check_terminator()
            }
            '.' | '+' | '-' | '0'..='9' => self.lex_number(),
            '(' => {
                self.depth += 1;
                self.single(Tok::LParen)
            }
            ')' => {
                if self.depth == 0 {
                    return Err((
                        format!("unexpected right paren {}", char_desc(c)),
                        Span::new(start, start + 1),
                    ));
                }
                self.depth -= 1;
                self.single(Tok::RParen)
            }
            c if c == '_' || c.is_alphabetic() => self.lex_identifier(),
            c if c.is_ascii() && !c.is_ascii_control() => self.single(Tok::Char(c)),
            c => Err((
                format!("unrecognized character in action: {}", char_desc(c)),
                Span::new(start, start + c.len_utf8()),
            )),
        }
    }

    fn single(&mut self, tok: Tok) -> LexResult {
        self.pos += 1;
        self.emit(tok, self.pos - 1, self.pos);
        Ok(())
    }

    fn alnum_run(&mut self) -> String {
        let len = self
            .rest()
            .find(|c: char| !is_alnum(c))
            .unwrap_or(self.rest().len());
        let word = self.rest()[..len].to_string();
        self.pos += len;
        word
    }

    fn lex_space(&mut self) -> LexResult {
        let start = self.pos;
        while self.bytes.get(self.pos).is_some_and(|b| is_space(*b)) {
            self.pos += 1;
        }
        // A space directly followed by `-}}` belongs to the delimiter.
        if self.rest().starts_with("-}}") {
            self.pos -= 1;
            if self.pos == start {
                return Ok(());
            }
        }
        self.emit(Tok::Space, start, self.pos);
        Ok(())
    }

    fn check_terminator(&self) -> LexResult {
        let Some(c) = self.rest().chars().next() else {
            return Ok(());
        };
        let ok = is_space(c as u8) && c.is_ascii()
            || matches!(c, '.' | ',' | '|' | ':' | ')' | '(')
            || self.rest().starts_with("}}");
        if ok {
            Ok(())
        } else {
            Err((
                format!("bad character {}", char_desc(c)),
                Span::new(self.pos, self.pos + c.len_utf8()),
            ))
        }
    }

    fn lex_identifier(&mut self) -> LexResult {
        let start = self.pos;
        let word = self.alnum_run();
        self.check_terminator()?;
        let tok = match word.as_str() {
            "true" => Tok::Bool(true),
            "false" => Tok::Bool(false),
            "nil" => Tok::Nil,
            w => match KEYWORDS.iter().find(|k| **k == w) {
                Some(k) => Tok::Keyword(k),
                None => Tok::Ident(word),
            },
        };
        self.emit(tok, start, self.pos);
        Ok(())
    }

    fn lex_number(&mut self) -> LexResult {
        let start = self.pos;
        let b = self.bytes;
        let mut i = self.pos;
        if matches!(b[i], b'+' | b'-') {
            i += 1;
        }
        let mut digits: &[u8] = b"0123456789_";
        let mut exp: &[u8] = b"eE";
        if b.get(i) == Some(&b'0') && b.get(i + 1).is_some_and(|c| b"xXoObB".contains(c)) {
            i += 2;
            digits = match b[i - 1] {
                b'x' | b'X' => {
                    exp = b"pP";
                    b"0123456789abcdefABCDEF_"
                }
                b'o' | b'O' => b"01234567_",
                _ => b"01_",
            };
        }
        let run = |i: &mut usize, set: &[u8]| {
            while b.get(*i).is_some_and(|c| set.contains(c)) {
                *i += 1;
            }
        };
        run(&mut i, digits);
        if b.get(i) == Some(&b'.') {
            i += 1;
            run(&mut i, digits);
        }
        if b.get(i).is_some_and(|c| exp.contains(c)) {
            i += 1;
            if b.get(i).is_some_and(|c| matches!(c, b'+' | b'-')) {
                i += 1;
            }
            run(&mut i, b"0123456789_");
        }
        if b.get(i) == Some(&b'i') {
            i += 1;
        }
        self.pos = i;
        if self.rest().chars().next().is_some_and(is_alnum) {
            let end = self.pos
                + self
                    .rest()
                    .find(|c: char| !is_alnum(c))
                    .unwrap_or(self.rest().len());
            return Err((
                format!("bad number syntax: {:?}", &self.src[start..end]),
                Span::new(start, end),
            ));
        }
        self.emit(Tok::Number(self.src[start..i].to_string()), start, i);
        Ok(())
    }

    /// Scans a quoted run ending in `quote`; backslash escapes one character.
    fn scan_quoted(&mut self, quote: u8, what: &str) -> Result<usize, (String, Span)> {
        let start = self.pos;
        let mut i = start + 1;
        loop {
            match self.bytes.get(i) {
                None | Some(b'\n') => {
                    return Err((format!("unterminated {what}"), Span::new(start, i)));
                }
                Some(b'\\') => {
                    if matches!(self.bytes.get(i + 1), None | Some(b'\n')) {
                        return Err((format!("unterminated {what}"), Span::new(start, i + 1)));
                    }
                    i += 2;
                }
                Some(c) if *c == quote => return Ok(i + 1),
                Some(_) => i += 1,
            }
        }
    }

    fn lex_quote(&mut self) -> LexResult {
        let start = self.pos;
        let end = self.scan_quoted(b'"', "quoted string")?;
        self.pos = end;
        self.emit(Tok::Str(self.src[start..end].to_string()), start, end);
        Ok(())
    }

    fn lex_char(&mut self) -> LexResult {
        let start = self.pos;
        let end = self.scan_quoted(b'\'', "character constant")?;
        self.pos = end;
        self.emit(Tok::CharConst(self.src[start..end].to_string()), start, end);
        Ok(())
    }

    fn lex_raw(&mut self) -> LexResult {
        let start = self.pos;
        let Some(len) = self.src[start + 1..].find('`') else {
            return Err((
                "unterminated raw quoted string".into(),
                Span::new(start, self.src.len()),
            ));
        };
        self.pos = start + len + 2;
        self.emit(
            Tok::RawStr(self.src[start..self.pos].to_string()),
            start,
            self.pos,
        );
        Ok(())
    }
}
