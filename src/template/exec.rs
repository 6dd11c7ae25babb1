//! Executes a parsed template against a [`TValue`], following Go's
//! `text/template/exec.go`; in the `Html` flavor every printed action goes
//! through `html/template`'s text-context escaper.

use super::escape;
use super::funcs;
use super::printf;
use super::tree::{Arg, ArgKind, Command, Control, ControlKind, Ident, Node, Pipe};
use super::value::TValue;
use super::Flavor;
use crate::span::Span;

/// An execution error and the node it happened at.
#[derive(Debug, Clone, PartialEq)]
pub struct ExecError {
    /// The node being evaluated.
    pub span: Span,
    /// Go's message, e.g. `can't evaluate field Nope in type kapacitor.idInfo`.
    pub message: String,
}

type EResult<T> = Result<T, ExecError>;

fn fail<T>(span: Span, message: impl Into<String>) -> EResult<T> {
    Err(ExecError {
        span,
        message: message.into(),
    })
}

/// What a walked node asks its enclosing range to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Flow {
    Normal,
    Break,
    Continue,
}

/// Runs `nodes` with `data` as dot and `$`.
/// `src` is the template text, used to quote nodes in messages.
pub fn execute(src: &str, nodes: &[Node], data: &TValue, flavor: Flavor) -> EResult<String> {
    let mut state = State {
        src,
        vars: vec![("$".into(), data.clone())],
        out: String::new(),
        flavor,
    };
    state.walk_list(data, nodes)?;
    Ok(state.out)
}

struct State<'s> {
    src: &'s str,
    vars: Vec<(String, TValue)>,
    out: String,
    flavor: Flavor,
}

impl State<'_> {
    fn walk_list(&mut self, dot: &TValue, nodes: &[Node]) -> EResult<Flow> {
        for node in nodes {
            let flow = self.walk(dot, node)?;
            if flow != Flow::Normal {
                return Ok(flow);
            }
        }
        Ok(Flow::Normal)
    }

    fn walk(&mut self, dot: &TValue, node: &Node) -> EResult<Flow> {
        match node {
            Node::Text(text) => self.out.push_str(text),
            Node::Action(pipe) => {
                let value = self.eval_pipeline(dot, pipe)?;
                if pipe.decl.is_empty() {
                    self.print(&value);
                }
            }
            Node::Control(control) => {
                let mark = self.vars.len();
                let flow = match control.kind {
                    ControlKind::Range => self.walk_range(dot, control),
                    _ => self.walk_if_or_with(dot, control),
                };
                self.vars.truncate(mark);
                return flow;
            }
            Node::Break(_) => return Ok(Flow::Break),
            Node::Continue(_) => return Ok(Flow::Continue),
        }
        Ok(Flow::Normal)
    }

    fn print(&mut self, value: &TValue) {
        match (self.flavor, value) {
            (Flavor::Text, TValue::Nil) => self.out.push_str("<no value>"),
            (Flavor::Text, v) => self.out.push_str(&printf::format_v(v)),
            // html/template's stringify skips untyped nil: a missing value prints nothing.
            (Flavor::Html, TValue::Nil) => {}
            (Flavor::Html, TValue::Str(s)) => self.out.push_str(&escape::html_text(s)),
            (Flavor::Html, v) => self.out.push_str(&escape::html_text(&printf::format_v(v))),
        }
    }

    fn walk_if_or_with(&mut self, dot: &TValue, control: &Control) -> EResult<Flow> {
        let value = self.eval_pipeline(dot, &control.pipe)?;
        if value.is_true() {
            let dot = if control.kind == ControlKind::With {
                &value
            } else {
                dot
            };
            self.walk_list(dot, &control.list)
        } else if let Some(else_list) = &control.else_list {
            self.walk_list(dot, else_list)
        } else {
            Ok(Flow::Normal)
        }
    }

    fn walk_range(&mut self, dot: &TValue, control: &Control) -> EResult<Flow> {
        let value = self.eval_pipeline(dot, &control.pipe)?;
        let items: Vec<(TValue, TValue)> = match &value {
            TValue::StrMap(m) => m
                .iter()
                .map(|(k, v)| (TValue::Str(k.clone()), TValue::Str(v.clone())))
                .collect(),
            TValue::Map(m) => m
                .iter()
                .map(|(k, v)| (TValue::Str(k.clone()), v.clone()))
                .collect(),
            TValue::Nil => Vec::new(),
            other => {
                return fail(
                    control.pipe.span,
                    format!("range can't iterate over {}", printf::format_v(other)),
                )
            }
        };
        if items.is_empty() {
            return match &control.else_list {
                Some(list) => self.walk_list(dot, list),
                None => Ok(Flow::Normal),
            };
        }
        for (key, elem) in items {
            self.set_range_vars(&control.pipe, key, &elem)?;
            let mark = self.vars.len();
            let flow = self.walk_list(&elem, &control.list)?;
            self.vars.truncate(mark);
            if flow == Flow::Break {
                break;
            }
        }
        Ok(Flow::Normal)
    }

    /// One declared variable gets the element; two get key and element.
    fn set_range_vars(&mut self, pipe: &Pipe, key: TValue, elem: &TValue) -> EResult<()> {
        match pipe.decl.as_slice() {
            [] => Ok(()),
            [only] => self.set_var(only, elem.clone()),
            [k, v, ..] => {
                self.set_var(k, key)?;
                self.set_var(v, elem.clone())
            }
        }
    }

    fn set_var(&mut self, ident: &Ident, value: TValue) -> EResult<()> {
        match self.vars.iter_mut().rev().find(|(n, _)| *n == ident.name) {
            Some(slot) => {
                slot.1 = value;
                Ok(())
            }
            None => fail(ident.span, format!("undefined variable: {}", ident.name)),
        }
    }

    fn var(&self, ident: &Ident) -> EResult<TValue> {
        match self.vars.iter().rev().find(|(n, _)| *n == ident.name) {
            Some((_, v)) => Ok(v.clone()),
            None => fail(ident.span, format!("undefined variable: {}", ident.name)),
        }
    }

    fn eval_pipeline(&mut self, dot: &TValue, pipe: &Pipe) -> EResult<TValue> {
        let mut value = None;
        for cmd in &pipe.cmds {
            value = Some(self.eval_command(dot, cmd, value)?);
        }
        let value = value.unwrap_or(TValue::Nil);
        for var in &pipe.decl {
            if pipe.is_assign {
                self.set_var(var, value.clone())?;
            } else {
                self.vars.push((var.name.clone(), value.clone()));
            }
        }
        Ok(value)
    }

    fn eval_command(
        &mut self,
        dot: &TValue,
        cmd: &Command,
        last: Option<TValue>,
    ) -> EResult<TValue> {
        let first = &cmd.args[0];
        let has_args = cmd.args.len() > 1 || last.is_some();
        let literal = match &first.kind {
            ArgKind::Field(idents) => {
                return self.eval_fields(dot.clone(), idents, has_args, first.span)
            }
            ArgKind::Variable(var, idents) if !idents.is_empty() => {
                return self.eval_fields(self.var(var)?, idents, has_args, first.span)
            }
            ArgKind::Chain(inner, idents) => {
                let receiver = self.eval_arg(dot, inner)?;
                return self.eval_fields(receiver, idents, has_args, first.span);
            }
            ArgKind::Func(name) => {
                return self.eval_function(dot, name, first.span, &cmd.args[1..], last)
            }
            ArgKind::Nil => return fail(first.span, "nil is not a command"),
            _ => self.eval_arg(dot, first)?,
        };
        if has_args {
            let text = self
                .src
                .get(first.span.start..first.span.end)
                .unwrap_or_default();
            return fail(
                first.span,
                format!("can't give argument to non-function {text}"),
            );
        }
        Ok(literal)
    }

    /// Evaluates `.a.b.c` from `receiver`; `has_args` applies to the last name.
    /// Errors point at the whole chain (`span`), as Go's do.
    fn eval_fields(
        &mut self,
        mut receiver: TValue,
        idents: &[Ident],
        has_args: bool,
        span: Span,
    ) -> EResult<TValue> {
        for (i, ident) in idents.iter().enumerate() {
            let value = match receiver.field(&ident.name) {
                Ok(v) => v,
                Err(msg) => return fail(span, msg),
            };
            if has_args && i + 1 == idents.len() && receiver != TValue::Nil {
                return fail(span, args_error(&receiver, &ident.name));
            }
            receiver = value;
        }
        Ok(receiver)
    }

    fn eval_arg(&mut self, dot: &TValue, arg: &Arg) -> EResult<TValue> {
        Ok(match &arg.kind {
            ArgKind::Dot => dot.clone(),
            ArgKind::Nil => TValue::Nil,
            ArgKind::Bool(b) => TValue::Bool(*b),
            ArgKind::Number(n) => n.value(),
            ArgKind::Str(s) => TValue::Str(s.clone()),
            ArgKind::Field(idents) => self.eval_fields(dot.clone(), idents, false, arg.span)?,
            ArgKind::Variable(var, idents) => {
                self.eval_fields(self.var(var)?, idents, false, arg.span)?
            }
            ArgKind::Chain(inner, idents) => {
                let receiver = self.eval_arg(dot, inner)?;
                self.eval_fields(receiver, idents, false, arg.span)?
            }
            ArgKind::Pipe(pipe) => self.eval_pipeline(dot, pipe)?,
            ArgKind::Func(name) => self.eval_function(dot, name, arg.span, &[], None)?,
        })
    }

    fn eval_function(
        &mut self,
        dot: &TValue,
        name: &str,
        span: Span,
        args: &[Arg],
        last: Option<TValue>,
    ) -> EResult<TValue> {
        let given = args.len() + usize::from(last.is_some());
        if let Err(msg) = funcs::check_arity(name, self.flavor, given) {
            return fail(span, msg);
        }
        if name == "and" || name == "or" {
            return self.and_or(dot, name == "or", args, last);
        }
        let mut values = Vec::with_capacity(given);
        for arg in args {
            values.push(self.eval_arg(dot, arg)?);
        }
        values.extend(last);
        funcs::call(name, &values).or_else(|msg| fail(span, format!("error calling {name}: {msg}")))
    }

    /// Short-circuit `and` / `or`: the first deciding operand, else the last.
    fn and_or(
        &mut self,
        dot: &TValue,
        is_or: bool,
        args: &[Arg],
        last: Option<TValue>,
    ) -> EResult<TValue> {
        let mut value = TValue::Nil;
        for arg in args {
            value = self.eval_arg(dot, arg)?;
            if value.is_true() == is_or {
                return Ok(value);
            }
        }
        Ok(last.unwrap_or(value))
    }
}

/// Go's complaint when a field or map key is given arguments.
fn args_error(receiver: &TValue, name: &str) -> String {
    match receiver {
        TValue::Struct(..) => format!("{name} has arguments but cannot be invoked as function"),
        TValue::StrMap(_) | TValue::Map(_) => format!("{name} is not a method but has arguments"),
        v if v.has_method(name) => format!("wrong number of args for {name}: want 0 got 1"),
        v => format!("can't evaluate field {name} in type {}", v.go_type()),
    }
}
