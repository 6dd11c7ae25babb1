//! A parser that follows Go's `text/template/parse`.

use super::lex::lex;
use super::token::{describe, Tok, Token};
use super::tree::*;
use super::TemplateError;
use crate::span::Span;

mod pipeline;

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
}
