//! A parser that follows Go's `text/template/parse`.

use super::lex::lex;
use super::literal;
use super::printf::quote;
use super::token::{describe, Tok, Token};
use super::tree::*;
use super::TemplateError;
use crate::span::Span;

/// What `text_or_action` found.
enum Item {
    Node(Node),
    Else(Span),
    End(Span),
}

type PResult<T> = Result<T, TemplateError>;

fn err<T>(span: Span, message: impl Into<String>) -> PResult<T> {
    Err(TemplateError {
        span,
        message: message.into(),
    })
}

/// Parses `src`; `has_func` tells which function names exist.
pub fn parse(src: &str, has_func: &dyn Fn(&str) -> bool) -> PResult<Vec<Node>> {
    let tokens = lex(src);
    let mut parser = Parser {
        src,
        tokens,
        idx: 0,
        vars: vec!["$".into()],
        range_depth: 0,
        depth: 0,
        has_func,
    };
    parser.root()
}

/// Nesting limit for parentheses and control structures (stack safety).
const MAX_DEPTH: usize = 200;

struct Parser<'f> {
    src: &'f str,
    depth: usize,
    tokens: Vec<Token>,
    idx: usize,
    vars: Vec<String>,
    range_depth: usize,
    has_func: &'f dyn Fn(&str) -> bool,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        &self.tokens[self.idx.min(self.tokens.len() - 1)]
    }

    fn next(&mut self) -> PResult<Token> {
        let tok = self.peek().clone();
        if let Tok::Error(msg) = &tok.tok {
            return err(tok.span, msg.clone());
        }
        self.idx = (self.idx + 1).min(self.tokens.len());
        Ok(tok)
    }

    fn backup(&mut self) {
        self.idx -= 1;
    }

    fn next_non_space(&mut self) -> PResult<Token> {
        loop {
            let tok = self.next()?;
            if tok.tok != Tok::Space {
                return Ok(tok);
            }
        }
    }

    fn peek_non_space(&mut self) -> &Token {
        while self.peek().tok == Tok::Space {
            self.idx += 1;
        }
        self.peek()
    }

    fn last_end(&self) -> usize {
        self.tokens[self.idx.saturating_sub(1)].span.end
    }

    fn unexpected<T>(&self, tok: &Token, context: &str) -> PResult<T> {
        if let Tok::Error(msg) = &tok.tok {
            return err(tok.span, msg.clone());
        }
        err(
            tok.span,
            format!("unexpected {} in {context}", describe(tok)),
        )
    }

    fn root(&mut self) -> PResult<Vec<Node>> {
        let mut nodes = Vec::new();
        while self.peek().tok != Tok::Eof {
            match self.text_or_action()? {
                Item::Node(n) => nodes.push(n),
                Item::Else(span) => return err(span, "unexpected {{else}}"),
                Item::End(span) => return err(span, "unexpected {{end}}"),
            }
        }
        Ok(nodes)
    }

    fn text_or_action(&mut self) -> PResult<Item> {
        let tok = self.next_non_space()?;
        match tok.tok {
            Tok::Text(text) => Ok(Item::Node(Node::Text(text))),
            Tok::LeftDelim => self.action(tok.span.start),
            _ => self.unexpected(&tok, "input"),
        }
    }

    fn action(&mut self, start: usize) -> PResult<Item> {
        let tok = self.next_non_space()?;
        let Tok::Keyword(kw) = tok.tok else {
            self.backup();
            let pipe = self.pipeline("command", &Tok::RightDelim)?;
            return Ok(Item::Node(Node::Action(pipe)));
        };
        match kw {
            "if" => self.control(ControlKind::If, "if", start).map(Item::Node),
            "with" => self
                .control(ControlKind::With, "with", start)
                .map(Item::Node),
            "range" => self
                .control(ControlKind::Range, "range", start)
                .map(Item::Node),
            "else" => {
                if self.peek_non_space().tok == Tok::Keyword("if") {
                    return Ok(Item::Else(Span::new(start, self.peek().span.end)));
                }
                self.expect_close("else")?;
                Ok(Item::Else(Span::new(start, self.last_end())))
            }
            "end" => {
                self.expect_close("end")?;
                Ok(Item::End(Span::new(start, self.last_end())))
            }
            "break" | "continue" => self.loop_control(kw, start).map(Item::Node),
            _ => err(
                Span::new(start, tok.span.end),
                format!("{{{{{kw}}}}} is not supported by tick"),
            ),
        }
    }

    fn expect_close(&mut self, context: &str) -> PResult<()> {
        let tok = self.next_non_space()?;
        if tok.tok != Tok::RightDelim {
            return self.unexpected(&tok, context);
        }
        Ok(())
    }

    fn loop_control(&mut self, kw: &str, start: usize) -> PResult<Node> {
        self.expect_close(&format!("{{{{{kw}}}}}"))?;
        let span = Span::new(start, self.last_end());
        if self.range_depth == 0 {
            return err(span, format!("{{{{{kw}}}}} outside {{{{range}}}}"));
        }
        Ok(if kw == "break" {
            Node::Break(span)
        } else {
            Node::Continue(span)
        })
    }

    fn control(&mut self, kind: ControlKind, context: &str, start: usize) -> PResult<Node> {
        self.depth += 1;
        let node = self.control_inner(kind, context, start);
        self.depth -= 1;
        node
    }

    fn control_inner(&mut self, kind: ControlKind, context: &str, start: usize) -> PResult<Node> {
        let mark = self.vars.len();
        let pipe = self.pipeline(context, &Tok::RightDelim)?;
        let open = Span::new(start, self.last_end());
        let in_range = kind == ControlKind::Range;
        self.range_depth += usize::from(in_range);
        let (list, next) = self.item_list(open)?;
        self.range_depth -= usize::from(in_range);
        let else_list = match next {
            Item::End(_) => None,
            Item::Else(_)
                if kind == ControlKind::If && self.peek_non_space().tok == Tok::Keyword("if") =>
            {
                self.next()?;
                Some(vec![self.control(ControlKind::If, "if", start)?])
            }
            Item::Else(_) => match self.item_list(open)? {
                (list, Item::End(_)) => Some(list),
                (_, Item::Else(span)) => return err(span, "expected end; found {{else}}"),
                (_, Item::Node(_)) => unreachable!("item_list stops only at else or end"),
            },
            Item::Node(_) => unreachable!("item_list stops only at else or end"),
        };
        self.vars.truncate(mark);
        Ok(Node::Control(Box::new(Control {
            kind,
            pipe,
            list,
            else_list,
        })))
    }

    /// Nodes up to the next `{{else}}` or `{{end}}`.
    fn item_list(&mut self, open: Span) -> PResult<(Vec<Node>, Item)> {
        let mut list = Vec::new();
        while self.peek_non_space().tok != Tok::Eof {
            match self.text_or_action()? {
                Item::Node(n) => list.push(n),
                other => return Ok((list, other)),
            }
        }
        err(open, "unexpected EOF")
    }

    fn pipeline(&mut self, context: &str, end: &Tok) -> PResult<Pipe> {
        self.depth += 1;
        let pipe = self.pipeline_inner(context, end);
        self.depth -= 1;
        pipe
    }

    fn pipeline_inner(&mut self, context: &str, end: &Tok) -> PResult<Pipe> {
        let start = self.peek_non_space().span.start;
        if self.depth > MAX_DEPTH {
            return err(
                Span::new(start, start + 1),
                format!("template nesting deeper than {MAX_DEPTH} levels"),
            );
        }
        let mut pipe = Pipe {
            decl: Vec::new(),
            is_assign: false,
            cmds: Vec::new(),
            span: Span::new(start, start),
        };
        self.declarations(&mut pipe, context)?;
        loop {
            let tok = self.next_non_space()?;
            match &tok.tok {
                t if t == end => {
                    pipe.span.end = pipe.cmds.last().map_or(start, |c| c.span.end);
                    self.check_pipeline(&pipe, context, tok.span)?;
                    return Ok(pipe);
                }
                Tok::Bool(_)
                | Tok::CharConst(_)
                | Tok::Dot
                | Tok::Field(_)
                | Tok::Ident(_)
                | Tok::Number(_)
                | Tok::Nil
                | Tok::RawStr(_)
                | Tok::Str(_)
                | Tok::Variable(_)
                | Tok::LParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&tok, context),
            }
        }
    }

    fn declarations(&mut self, pipe: &mut Pipe, context: &str) -> PResult<()> {
        loop {
            let save = self.idx;
            let Tok::Variable(name) = self.peek_non_space().tok.clone() else {
                return Ok(());
            };
            let var = self.next()?;
            let next = self.peek_non_space().clone();
            let ident = Ident {
                name: name.clone(),
                span: var.span,
            };
            match next.tok {
                Tok::Declare | Tok::Assign => {
                    pipe.is_assign = next.tok == Tok::Assign;
                    self.next()?;
                    pipe.decl.push(ident);
                    self.vars.push(name);
                    return Ok(());
                }
                Tok::Char(',') => {
                    self.next()?;
                    pipe.decl.push(ident);
                    self.vars.push(name);
                    if context != "range" || pipe.decl.len() >= 2 {
                        return err(next.span, format!("too many declarations in {context}"));
                    }
                    let follow = self.peek_non_space().clone();
                    if !matches!(follow.tok, Tok::Variable(_) | Tok::RightDelim | Tok::RParen) {
                        return err(follow.span, "range can only initialize variables");
                    }
                }
                _ => {
                    self.idx = save;
                    return Ok(());
                }
            }
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str, close: Span) -> PResult<()> {
        if pipe.cmds.is_empty() {
            return err(
                Span::new(pipe.span.start, close.end),
                format!("missing value for {context}"),
            );
        }
        for (i, cmd) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                cmd.args[0].kind,
                ArgKind::Bool(_)
                    | ArgKind::Dot
                    | ArgKind::Nil
                    | ArgKind::Number(_)
                    | ArgKind::Str(_)
            ) {
                return err(
                    cmd.span,
                    format!("non executable command in pipeline stage {}", i + 1),
                );
            }
        }
        Ok(())
    }

    fn command(&mut self) -> PResult<Command> {
        let start = self.peek_non_space().span.start;
        let mut args = Vec::new();
        loop {
            self.peek_non_space();
            if let Some(arg) = self.operand()? {
                args.push(arg);
            }
            let tok = self.next()?;
            match tok.tok {
                Tok::Space => continue,
                Tok::RightDelim | Tok::RParen => self.backup(),
                Tok::Pipe => {}
                _ => return self.unexpected(&tok, "operand"),
            }
            break;
        }
        let end = args.last().map_or(start, |a: &Arg| a.span.end);
        if args.is_empty() {
            return err(Span::new(start, end), "empty command");
        }
        Ok(Command {
            args,
            span: Span::new(start, end),
        })
    }

    fn operand(&mut self) -> PResult<Option<Arg>> {
        let Some(term) = self.term()? else {
            return Ok(None);
        };
        let mut fields = Vec::new();
        while let Tok::Field(name) = &self.peek().tok {
            fields.push(Ident {
                name: name.clone(),
                span: self.peek().span,
            });
            self.idx += 1;
        }
        if fields.is_empty() {
            return Ok(Some(term));
        }
        let span = term.span.to(fields.last().map_or(term.span, |f| f.span));
        let kind = match term.kind {
            ArgKind::Field(mut head) => {
                head.extend(fields);
                ArgKind::Field(head)
            }
            ArgKind::Variable(var, mut head) => {
                head.extend(fields);
                ArgKind::Variable(var, head)
            }
            ArgKind::Bool(_)
            | ArgKind::Str(_)
            | ArgKind::Number(_)
            | ArgKind::Nil
            | ArgKind::Dot => {
                let term_text = self
                    .src
                    .get(term.span.start..term.span.end)
                    .unwrap_or_default();
                return err(
                    fields[0].span,
                    format!("unexpected . after term {}", quote(term_text)),
                );
            }
            _ => ArgKind::Chain(Box::new(term), fields),
        };
        Ok(Some(Arg { kind, span }))
    }

    fn term(&mut self) -> PResult<Option<Arg>> {
        let tok = self.next_non_space()?;
        let span = tok.span;
        let kind = match tok.tok {
            Tok::Ident(name) => {
                if !(self.has_func)(&name) {
                    return err(span, format!("function {name:?} not defined"));
                }
                ArgKind::Func(name)
            }
            Tok::Dot => ArgKind::Dot,
            Tok::Nil => ArgKind::Nil,
            Tok::Variable(name) => {
                if !self.vars.contains(&name) {
                    return err(span, format!("undefined variable {name:?}"));
                }
                ArgKind::Variable(Ident { name, span }, Vec::new())
            }
            Tok::Field(name) => ArgKind::Field(vec![Ident { name, span }]),
            Tok::Bool(b) => ArgKind::Bool(b),
            Tok::Number(text) => {
                ArgKind::Number(literal::parse_number(&text).or_else(|m| err(span, m))?)
            }
            Tok::CharConst(text) => {
                ArgKind::Number(literal::parse_char(&text).or_else(|m| err(span, m))?)
            }
            Tok::Str(text) | Tok::RawStr(text) => {
                ArgKind::Str(literal::unquote(&text).or_else(|m| err(span, m))?)
            }
            Tok::LParen => {
                let pipe = self.pipeline("parenthesized pipeline", &Tok::RParen)?;
                return Ok(Some(Arg {
                    kind: ArgKind::Pipe(Box::new(pipe)),
                    span: Span::new(span.start, self.last_end()),
                }));
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        };
        Ok(Some(Arg { kind, span }))
    }
}
