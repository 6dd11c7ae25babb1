//! A parser shaped like Kapacitor 1.5.7's (`tick/ast/parser.go`): the same lookahead, so comments
//! attach to the same nodes (or are dropped) exactly as `tickfmt` does.
//!
//! Kapacitor reads comments "transparently": each token carries the comment block just before it,
//! and a node takes the comment of the token current when it asks. With two tokens of lookahead,
//! "current" depends on how many tokens were peeked and backed up; this module keeps that state.

use super::lex::{Op, Tok, Token};
use super::node::{Comment, Kind, Node, Number};

/// A parse error: where (byte offset) and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset of the offending token.
    pub pos: usize,
    /// What was wrong.
    pub message: String,
}

type Result<T> = std::result::Result<T, ParseError>;

/// Parses the tokens of `src` into the program's statements (and trailing comments).
pub fn program(src: &str, tokens: &[Token]) -> Result<Vec<Node>> {
    let mut p = Parser { src, tokens, next_tok: 0, slot: [EOF_TOKEN; 2], comments: [None, None], peek_count: 0 };
    let mut out = Vec::new();
    loop {
        if p.peek().tok == Tok::Eof {
            if let Some(c) = p.comments[1].take() {
                out.push(Node::new(Kind::Comment(c), 0));
            }
            if let Some(c) = p.comments[0].take() {
                out.push(Node::new(Kind::Comment(c), 0));
            }
            return Ok(out);
        }
        out.push(p.statement()?);
    }
}

const EOF_TOKEN: Token = Token { tok: Tok::Eof, start: 0, end: 0 };

struct Parser<'a> {
    src: &'a str,
    tokens: &'a [Token],
    next_tok: usize,
    slot: [Token; 2],
    comments: [Option<Comment>; 2],
    peek_count: usize,
}

impl<'a> Parser<'a> {
    /// The next non-comment token and the comment block before it.
    fn read(&mut self) -> (Token, Option<Comment>) {
        let mut lines: Option<Comment> = None;
        loop {
            let t = self.tokens.get(self.next_tok).copied().unwrap_or(EOF_TOKEN);
            if t.tok != Tok::Eof {
                self.next_tok += 1;
            }
            if t.tok != Tok::Comment {
                return (t, lines);
            }
            let c = lines.get_or_insert_with(Vec::new);
            if !c.is_empty() {
                c.push(None);
            }
            comment_lines(&self.src[t.start..t.end], c);
        }
    }

    fn next(&mut self) -> Token {
        if self.peek_count > 0 {
            self.peek_count -= 1;
        } else {
            let (t, c) = self.read();
            self.slot[0] = t;
            self.comments[0] = c;
        }
        self.slot[self.peek_count]
    }

    fn backup(&mut self) {
        self.peek_count += 1;
    }

    fn peek(&mut self) -> Token {
        if self.peek_count > 0 {
            return self.slot[self.peek_count - 1];
        }
        self.peek_count = 1;
        self.slot[1] = self.slot[0];
        self.comments[1] = self.comments[0].take();
        let (t, c) = self.read();
        self.slot[0] = t;
        self.comments[0] = c;
        t
    }

    fn consume_comment(&mut self) -> Option<Comment> {
        self.comments[self.peek_count].take()
    }

    fn text(&self, t: Token) -> &'a str {
        &self.src[t.start..t.end]
    }

    fn error(&self, t: Token, what: &str) -> ParseError {
        let found = if t.tok == Tok::Eof { "end of input".to_string() } else { format!("'{}'", self.text(t)) };
        ParseError { pos: t.start, message: format!("unexpected {found}, expected {what}") }
    }

    fn expect(&mut self, tok: Tok, what: &str) -> Result<Token> {
        let t = self.next();
        if t.tok != tok {
            return Err(self.error(t, what));
        }
        Ok(t)
    }

    fn has_new_line(&self, start: usize, end: usize) -> bool {
        self.src.get(start..end).is_some_and(|s| s.contains('\n'))
    }

    fn statement(&mut self) -> Result<Node> {
        match self.peek().tok {
            Tok::Var => self.declaration(),
            Tok::Dbrp => self.dbrp(),
            _ => self.expression(),
        }
    }

    fn dbrp(&mut self) -> Result<Node> {
        let t = self.expect(Tok::Dbrp, "dbrp")?;
        let c = self.consume_comment();
        let db = self.reference()?;
        self.expect(Tok::Dot, "'.'")?;
        let rp = self.reference()?;
        let (Kind::Reference(db), Kind::Reference(rp)) = (db.kind, rp.kind) else { unreachable!() };
        Ok(Node::with(Kind::Dbrp(db, rp), t.start, c))
    }

    fn declaration(&mut self) -> Result<Node> {
        let t = self.expect(Tok::Var, "var")?;
        let c = self.consume_comment();
        let name = self.identifier()?;
        if self.peek().tok == Tok::Asgn {
            self.next();
            let value = self.expression()?;
            return Ok(Node::with(Kind::Decl(Box::new(name), Box::new(value)), t.start, c));
        }
        let ty = self.identifier()?;
        Ok(Node::with(Kind::TypeDecl(Box::new(name), Box::new(ty)), t.start, c))
    }

    fn expression(&mut self) -> Result<Node> {
        match self.peek().tok {
            Tok::Ident => {
                self.next();
                match self.peek().tok {
                    Tok::LParen => {
                        self.backup();
                        let term = self.function()?;
                        match self.peek().tok {
                            Tok::Dot | Tok::Pipe | Tok::At | Tok::Var | Tok::Ident => self.chain(term),
                            _ => self.precedence(term, 0),
                        }
                    }
                    Tok::Dot | Tok::Pipe | Tok::At | Tok::Var | Tok::Ident => {
                        self.backup();
                        let term = self.identifier()?;
                        self.chain(term)
                    }
                    _ => {
                        self.backup();
                        self.primary_expr()
                    }
                }
            }
            Tok::Lambda => self.lambda(),
            Tok::LBracket => self.string_list(),
            _ => self.primary_expr(),
        }
    }

    fn chain(&mut self, mut lhs: Node) -> Result<Node> {
        while let t @ (Tok::Dot | Tok::Pipe | Tok::At) = self.peek().tok {
            let op = self.next();
            let c = self.consume_comment();
            self.next();
            let call = t == Tok::Pipe || self.peek().tok == Tok::LParen;
            self.backup();
            let rhs = if call { self.function()? } else { self.identifier()? };
            lhs = Node::with(Kind::Chain { op: t, left: Box::new(lhs), right: Box::new(rhs) }, op.start, c);
        }
        Ok(lhs)
    }

    fn identifier(&mut self) -> Result<Node> {
        let t = self.expect(Tok::Ident, "an identifier")?;
        let c = self.consume_comment();
        Ok(Node::with(Kind::Ident(self.text(t).to_string()), t.start, c))
    }

    /// `name(args)` outside lambdas: the name's comment is kept.
    fn function(&mut self) -> Result<Node> {
        let t = self.expect(Tok::Ident, "an identifier")?;
        let c = self.consume_comment();
        self.call(t, c, false)
    }

    /// Arguments and closing parenthesis of a call whose name token is `t`.
    fn call(&mut self, t: Token, c: Option<Comment>, in_lambda: bool) -> Result<Node> {
        self.expect(Tok::LParen, "'('")?;
        let mut args = Vec::new();
        while self.peek().tok != Tok::RParen {
            args.push(if in_lambda { self.lparameter()? } else { self.expression()? });
            if self.next().tok != Tok::Comma {
                self.backup();
                break;
            }
        }
        self.expect(Tok::RParen, "')'")?;
        let multi_line = args.last().is_some_and(|a| self.has_new_line(t.start, a.pos));
        let name = self.text(t).to_string();
        Ok(Node::with(Kind::Func { name, args, multi_line }, t.start, c))
    }

    fn lparameter(&mut self) -> Result<Node> {
        let n = self.primary()?;
        if matches!(self.peek().tok, Tok::Op(_)) {
            return self.precedence(n, 0);
        }
        Ok(n)
    }

    fn string_list(&mut self) -> Result<Node> {
        let t = self.expect(Tok::LBracket, "'['")?;
        let c = self.consume_comment();
        let mut items = Vec::new();
        while self.peek().tok != Tok::RBracket {
            items.push(match self.peek().tok {
                Tok::Ident => self.identifier()?,
                Tok::Str => self.string()?,
                Tok::Star => self.leaf(Tok::Star)?,
                _ => {
                    let t = self.peek();
                    return Err(self.error(t, "an identifier, a string or '*'"));
                }
            });
            if self.next().tok != Tok::Comma {
                self.backup();
                break;
            }
        }
        self.expect(Tok::RBracket, "']'")?;
        Ok(Node::with(Kind::List(items), t.start, c))
    }

    fn lambda(&mut self) -> Result<Node> {
        let t = self.next();
        let c = self.consume_comment();
        let e = self.primary_expr()?;
        Ok(Node::with(Kind::Lambda(Box::new(e)), t.start, c))
    }

    fn primary_expr(&mut self) -> Result<Node> {
        let p = self.primary()?;
        self.precedence(p, 0)
    }

    fn precedence(&mut self, mut lhs: Node, min: u8) -> Result<Node> {
        let mut look = self.peek();
        while let Tok::Op(op) = look.tok {
            if op.precedence() < min {
                break;
            }
            let op_tok = self.next();
            let c = self.consume_comment();
            let mut rhs = self.primary()?;
            look = self.peek();
            while let Tok::Op(next) = look.tok {
                if next.precedence() <= op.precedence() {
                    break;
                }
                rhs = self.precedence(rhs, next.precedence())?;
                look = self.peek();
            }
            let multi_line = self.has_new_line(lhs.pos, rhs.pos);
            let kind = Kind::Binary { op, left: Box::new(lhs), right: Box::new(rhs), parens: false, multi_line };
            lhs = Node::with(kind, op_tok.start, c);
        }
        Ok(lhs)
    }

    fn primary(&mut self) -> Result<Node> {
        let t = self.peek();
        match t.tok {
            Tok::LParen => {
                self.next();
                let c = self.consume_comment();
                let mut n = self.primary_expr()?;
                if let Kind::Binary { parens, .. } = &mut n.kind {
                    *parens = true;
                }
                n.comment = c;
                self.expect(Tok::RParen, "')'")?;
                Ok(n)
            }
            Tok::Number | Tok::Duration | Tok::True | Tok::False | Tok::Regex | Tok::Star => self.leaf(t.tok),
            Tok::Str => self.string(),
            Tok::Reference => self.reference(),
            Tok::Ident => {
                self.next();
                if self.peek().tok == Tok::LParen {
                    self.backup();
                    let name = self.next();
                    return self.call(name, None, true);
                }
                self.backup();
                self.identifier()
            }
            Tok::Op(Op::Minus) | Tok::Not => {
                self.next();
                let operand = self.primary()?;
                let c = self.consume_comment();
                Ok(Node::with(Kind::Unary(t.tok, Box::new(operand)), t.start, c))
            }
            _ => Err(self.error(t, "a value")),
        }
    }

    /// A one-token literal node of kind `tok`.
    fn leaf(&mut self, tok: Tok) -> Result<Node> {
        let t = self.next();
        if t.tok != tok {
            return Err(self.error(t, "a value"));
        }
        let c = self.consume_comment();
        let text = self.text(t);
        let kind = match tok {
            Tok::Number => Kind::Number(number(text).ok_or_else(|| ParseError {
                pos: t.start,
                message: format!("illegal number syntax: \"{text}\""),
            })?),
            Tok::Duration => Kind::Duration(text.to_string()),
            Tok::True => Kind::Bool(true),
            Tok::False => Kind::Bool(false),
            Tok::Regex => {
                let literal = &text[1..text.len() - 1];
                crate::eval::compile_go_regex(&unescape(literal, '/'))
                    .map_err(|e| ParseError { pos: t.start, message: e })?;
                Kind::Regex(literal.to_string())
            }
            _ => Kind::Star,
        };
        Ok(Node::with(kind, t.start, c))
    }

    fn string(&mut self) -> Result<Node> {
        let t = self.expect(Tok::Str, "a string")?;
        let c = self.consume_comment();
        let text = self.text(t);
        let kind = if text.len() >= 6 && text.starts_with("'''") {
            Kind::Str { literal: text[3..text.len() - 3].to_string(), triple: true }
        } else {
            Kind::Str { literal: unescape(&text[1..text.len() - 1], '\''), triple: false }
        };
        Ok(Node::with(kind, t.start, c))
    }

    fn reference(&mut self) -> Result<Node> {
        let t = self.expect(Tok::Reference, "a field reference")?;
        let c = self.consume_comment();
        let text = self.text(t);
        Ok(Node::with(Kind::Reference(unescape(&text[1..text.len() - 1], '"')), t.start, c))
    }
}

/// Removes the backslash of each `\q`, as Kapacitor's literal constructors do.
fn unescape(literal: &str, quote: char) -> String {
    let mut out = String::with_capacity(literal.len());
    let mut chars = literal.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek() == Some(&quote) {
            continue;
        }
        out.push(c);
    }
    out
}

/// A number literal's value: float with a `.`, octal with a leading `0`, else decimal.
fn number(text: &str) -> Option<Number> {
    if text.contains('.') {
        return text.parse::<f64>().ok().map(Number::Float);
    }
    if text.len() > 1 && text.starts_with('0') {
        return i64::from_str_radix(text, 8).ok().map(Number::Octal);
    }
    text.parse::<i64>().ok().map(Number::Int)
}

/// Adds the lines of one comment token: trimmed, without `//` and one space, blank lines skipped.
fn comment_lines(token: &str, out: &mut Comment) {
    for line in token.split('\n') {
        let line = line.trim_matches(char::is_whitespace);
        if line.is_empty() {
            continue;
        }
        let line = line.strip_prefix("//").unwrap_or(line);
        out.push(Some(line.strip_prefix(' ').unwrap_or(line).to_string()));
    }
}
