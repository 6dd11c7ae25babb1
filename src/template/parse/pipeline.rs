//! Pipelines, commands and operands of an action (Go's `pipeline`, `command`, `operand`, `term`).

use super::{err, PResult, Parser, MAX_DEPTH};
use crate::span::Span;
use crate::template::literal;
use crate::template::printf::quote;
use crate::template::token::Tok;
use crate::template::tree::*;

impl Parser<'_> {
    pub(super) fn pipeline(&mut self, context: &str, end: &Tok) -> PResult<Pipe> {
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
