//! Tokens as Kapacitor 1.5.7's two-state lexer (`tick/ast/lex.go`) produces them, comments included.
//!
//! The lexer is in one of two states: expecting an operand (`-` and `!` are unary,
//! `*` is a star, `/` starts a regex) or, after an operand, expecting an operator
//! (`*` multiplies, `/` divides, `=` assigns). The formatter needs exactly these
//! tokens, with their byte positions, to attach comments as Kapacitor does.

/// The kinds of token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tok {
    /// End of input.
    Eof,
    /// `var`.
    Var,
    /// `dbrp`.
    Dbrp,
    /// `=`.
    Asgn,
    /// `.`.
    Dot,
    /// `|`.
    Pipe,
    /// `@`.
    At,
    /// A name.
    Ident,
    /// `"field"`.
    Reference,
    /// `lambda:`.
    Lambda,
    /// Integer or float literal.
    Number,
    /// `'string'` or `'''string'''`.
    Str,
    /// Duration literal (`10s`).
    Duration,
    /// `(`.
    LParen,
    /// `)`.
    RParen,
    /// `[`.
    LBracket,
    /// `]`.
    RBracket,
    /// `,`.
    Comma,
    /// `!` (unary).
    Not,
    /// `TRUE`.
    True,
    /// `FALSE`.
    False,
    /// `/regex/`.
    Regex,
    /// `// comment` (with any swallowed lines).
    Comment,
    /// `*` where an operand is expected.
    Star,
    /// An infix operator.
    Op(Op),
}

/// Infix operators (and unary `-`, which Kapacitor lexes as `Minus`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Mult,
    /// `/`
    Div,
    /// `%`
    Mod,
    /// `AND`
    And,
    /// `OR`
    Or,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `>`
    Gt,
    /// `<=`
    Le,
    /// `>=`
    Ge,
    /// `=~`
    RegexEq,
    /// `!~`
    RegexNe,
}

impl Op {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Plus => "+",
            Op::Minus => "-",
            Op::Mult => "*",
            Op::Div => "/",
            Op::Mod => "%",
            Op::And => "AND",
            Op::Or => "OR",
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Ge => ">=",
            Op::RegexEq => "=~",
            Op::RegexNe => "!~",
        }
    }

    /// Kapacitor's precedence level (OR 0 ... `*` 5).
    pub fn precedence(self) -> u8 {
        match self {
            Op::Or => 0,
            Op::And => 1,
            Op::Eq | Op::Ne | Op::RegexEq | Op::RegexNe => 2,
            Op::Lt | Op::Gt | Op::Le | Op::Ge => 3,
            Op::Plus | Op::Minus => 4,
            Op::Mult | Op::Div | Op::Mod => 5,
        }
    }
}

/// One token: its kind and where its text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub tok: Tok,
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A lexical error: what and where (byte offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// Byte offset of the token that failed.
    pub pos: usize,
    /// Kapacitor's wording.
    pub message: String,
}

#[derive(Clone, Copy)]
enum State {
    Operand,
    Operator,
    Regex,
}

/// Splits `src` into tokens, ending with [`Tok::Eof`].
pub fn lex(src: &str) -> Result<Vec<Token>, LexError> {
    let mut l = Lexer { src, start: 0, pos: 0, width: 0, out: Vec::with_capacity(src.len() / 4) };
    let mut state = State::Operand;
    loop {
        state = match state {
            State::Operand => match l.operand()? {
                Some(s) => s,
                None => return Ok(l.out),
            },
            State::Operator => l.operator()?,
            State::Regex => l.regex()?,
        };
    }
}

struct Lexer<'a> {
    src: &'a str,
    start: usize,
    pos: usize,
    width: usize,
    out: Vec<Token>,
}

impl Lexer<'_> {
    fn next(&mut self) -> Option<char> {
        let c = self.src[self.pos..].chars().next();
        self.width = c.map_or(0, char::len_utf8);
        self.pos += self.width;
        c
    }

    fn backup(&mut self) {
        self.pos -= self.width;
    }

    fn peek(&mut self) -> Option<char> {
        let c = self.next();
        self.backup();
        c
    }

    fn emit(&mut self, tok: Tok) {
        self.out.push(Token { tok, start: self.start, end: self.pos });
        self.start = self.pos;
    }

    fn error(&self, message: impl Into<String>) -> LexError {
        LexError { pos: self.start, message: message.into() }
    }

    fn ignore_space(&mut self) {
        while self.next().is_some_and(is_space) {
            self.start = self.pos;
        }
        self.backup();
    }

    /// Expecting an operand; `None` after the end of input.
    fn operand(&mut self) -> Result<Option<State>, LexError> {
        loop {
            let Some(r) = self.next() else {
                self.emit(Tok::Eof);
                return Ok(None);
            };
            let tok = match r {
                '-' => Tok::Op(Op::Minus),
                '!' => Tok::Not,
                '(' => Tok::LParen,
                '[' => Tok::LBracket,
                ']' => Tok::RBracket,
                '|' => Tok::Pipe,
                '@' => Tok::At,
                ',' => Tok::Comma,
                '*' => Tok::Star,
                ')' => {
                    self.emit(Tok::RParen);
                    return Ok(Some(State::Operator));
                }
                '"' => return self.reference().map(Some),
                '\'' => {
                    self.backup();
                    return self.string().map(Some);
                }
                '/' => {
                    self.backup();
                    return if self.src[self.pos + 1..].starts_with('/') { self.comment() } else { Ok(State::Regex) }
                        .map(Some);
                }
                c if is_digit(c) || c == '.' => {
                    self.backup();
                    return self.number().map(Some);
                }
                c if is_letter(c) => return Ok(Some(self.ident())),
                c if is_space(c) => {
                    self.start = self.pos;
                    continue;
                }
                c => return Err(self.error(format!("unknown state, last char: '{c}'"))),
            };
            self.emit(tok);
            return Ok(Some(State::Operand));
        }
    }

    /// After an operand: an infix operator, `=`, or back to operands.
    fn operator(&mut self) -> Result<State, LexError> {
        self.ignore_space();
        let op = match self.next() {
            Some('+') => Op::Plus,
            Some('-') => Op::Minus,
            Some('*') => Op::Mult,
            Some('%') => Op::Mod,
            Some('/') => {
                if self.peek() == Some('/') {
                    self.backup();
                    return self.comment();
                }
                Op::Div
            }
            Some('!') => return Ok(self.bang()),
            Some(c @ ('<' | '>')) => {
                let eq = self.peek() == Some('=');
                if eq {
                    self.next();
                }
                match (c, eq) {
                    ('<', false) => Op::Lt,
                    ('<', true) => Op::Le,
                    (_, false) => Op::Gt,
                    (_, true) => Op::Ge,
                }
            }
            Some('=') => return Ok(self.equals()),
            Some(_) => {
                self.backup();
                return Ok(State::Operand);
            }
            None => return Ok(State::Operand),
        };
        self.emit(Tok::Op(op));
        Ok(State::Operand)
    }

    /// `!`, `!=` or `!~` (then a regex may follow) after an operand.
    fn bang(&mut self) -> State {
        let tok = match self.peek() {
            Some('=') => Tok::Op(Op::Ne),
            Some('~') => Tok::Op(Op::RegexNe),
            _ => Tok::Not,
        };
        if tok != Tok::Not {
            self.next();
        }
        self.emit(tok);
        if tok == Tok::Op(Op::RegexNe) {
            return self.maybe_regex();
        }
        State::Operand
    }

    /// `=`, `==` or `=~` after an operand; a regex may follow `=` and `=~`.
    fn equals(&mut self) -> State {
        match self.peek() {
            Some(c @ ('~' | '=')) => {
                self.next();
                if c == '~' {
                    self.emit(Tok::Op(Op::RegexEq));
                    return self.maybe_regex();
                }
                self.emit(Tok::Op(Op::Eq));
                State::Operand
            }
            _ => {
                self.emit(Tok::Asgn);
                self.maybe_regex()
            }
        }
    }

    fn maybe_regex(&mut self) -> State {
        self.ignore_space();
        if self.peek() == Some('/') {
            State::Regex
        } else {
            State::Operand
        }
    }

    fn ident(&mut self) -> State {
        while self.next().is_some_and(|c| is_digit(c) || is_letter(c) || c == '_') {}
        self.backup();
        let tok = match &self.src[self.start..self.pos] {
            "AND" => Tok::Op(Op::And),
            "OR" => Tok::Op(Op::Or),
            "TRUE" => Tok::True,
            "FALSE" => Tok::False,
            "var" => Tok::Var,
            "dbrp" => Tok::Dbrp,
            "lambda" => {
                if self.next() == Some(':') {
                    Tok::Lambda
                } else {
                    self.backup();
                    Tok::Ident
                }
            }
            _ => Tok::Ident,
        };
        self.emit(tok);
        State::Operator
    }

    fn number(&mut self) -> Result<State, LexError> {
        let mut decimal = false;
        let mut first = true;
        loop {
            match self.next() {
                Some('.') => {
                    if first && !self.peek().is_some_and(is_digit) {
                        self.emit(Tok::Dot);
                        return Ok(State::Operand);
                    }
                    if decimal {
                        return Err(self.error("multiple decimals in number"));
                    }
                    decimal = true;
                }
                Some(c) if is_digit(c) => {}
                Some(c) if !decimal && "uµsmhdw".contains(c) => {
                    if c == 'm' && self.peek() == Some('s') {
                        self.next();
                    }
                    self.emit(Tok::Duration);
                    return Ok(State::Operator);
                }
                _ => {
                    self.backup();
                    self.emit(Tok::Number);
                    return Ok(State::Operator);
                }
            }
            first = false;
        }
    }

    fn reference(&mut self) -> Result<State, LexError> {
        self.until('"', Tok::Reference, State::Operator, "unterminated field reference")
    }

    /// Scans to the closing `end` (a backslash escapes it), then emits `tok`.
    fn until(&mut self, end: char, tok: Tok, then: State, unterminated: &str) -> Result<State, LexError> {
        loop {
            match self.next() {
                Some('\\') => {
                    if self.peek() == Some(end) {
                        self.next();
                    }
                }
                Some(c) if c == end => {
                    self.emit(tok);
                    return Ok(then);
                }
                Some(_) => {}
                None => return Err(self.error(unterminated)),
            }
        }
    }

    /// `'...'`, `''` or `'''...'''`, counting quotes as Kapacitor does.
    fn string(&mut self) -> Result<State, LexError> {
        let mut count = 0;
        loop {
            if self.next() != Some('\'') {
                return Err(self.error("unterminated string"));
            }
            count += 1;
            if count == 1 && self.peek() == Some('\'') {
                count += 1;
                self.next();
                if self.peek() != Some('\'') {
                    self.emit(Tok::Str);
                    return Ok(State::Operator);
                }
                count += 1;
                self.next();
            }
            if (count == 1 && self.peek() != Some('\'')) || count == 3 {
                return self.string_body(count);
            }
        }
    }

    fn string_body(&mut self, total: u32) -> Result<State, LexError> {
        let mut count = total;
        loop {
            match self.next() {
                Some('\\') if count == 1 => {
                    if self.peek() == Some('\'') {
                        self.next();
                    }
                }
                Some('\'') => {
                    count -= 1;
                    if count == 0 {
                        self.emit(Tok::Str);
                        return Ok(State::Operator);
                    }
                }
                None => return Err(self.error("unterminated string")),
                Some(_) => count = total,
            }
        }
    }

    fn regex(&mut self) -> Result<State, LexError> {
        match self.next() {
            Some('/') => {}
            c => return Err(self.error(format!("unexpected \"{}\" expected \"/\"", c.unwrap_or('\u{FFFD}')))),
        }
        self.until('/', Tok::Regex, State::Operand, "unterminated regex")
    }

    /// `//` to the end of line, swallowing following lines that start with `/`.
    fn comment(&mut self) -> Result<State, LexError> {
        self.next();
        if self.next() != Some('/') {
            return Err(self.error("invalid character '/'"));
        }
        loop {
            match self.next() {
                Some('\n') => {
                    let mut n = self.next();
                    while let Some(c) = n.filter(|&c| c != '\n' && is_space(c)) {
                        let _ = c;
                        n = self.next();
                    }
                    if n == Some('/') {
                        continue;
                    }
                    self.backup();
                    break;
                }
                None => break,
                Some(_) => {}
            }
        }
        self.emit(Tok::Comment);
        Ok(State::Operand)
    }
}

/// Go's `unicode.IsSpace`.
fn is_space(c: char) -> bool {
    c.is_whitespace()
}

/// Go's `unicode.IsDigit` (Unicode Nd).
fn is_digit(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_digit()
    } else {
        pest::unicode::DECIMAL_NUMBER(c)
    }
}

/// Go's `unicode.IsLetter` (Unicode L).
fn is_letter(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphabetic()
    } else {
        pest::unicode::LETTER(c)
    }
}
