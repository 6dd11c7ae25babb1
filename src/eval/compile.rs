//! AST → compiled [`Node`] tree, collecting every static error with its span.

use super::node::{CallNode, Node};
use super::signatures::{self, Sig};
use super::stateful::State;
use super::types::{binary_result, valid_as_left, valid_as_right, StaticType};
use super::messages::{invalid_operator_text, mixed_help, render};
use super::CompileOptions;
use crate::ast::{BinOp, Expr, ExprKind, UnaryOp};
use crate::diagnostic::{Code, Diag};
use crate::span::Span;
use crate::value::Value;
use std::sync::Arc;

/// Compiles one lambda body; collects diagnostics instead of stopping at the first.
pub(crate) struct Compiler<'a> {
    opts: &'a CompileOptions,
    /// Static errors found so far.
    pub diags: Vec<Diag>,
    /// References read, in first-seen order.
    pub refs: Vec<String>,
}

impl<'a> Compiler<'a> {
    /// A compiler for identifiers and extra functions in `opts`.
    pub(crate) fn new(opts: &'a CompileOptions) -> Self {
        Compiler { opts, diags: Vec::new(), refs: Vec::new() }
    }

    /// Compiles `e`, returning the node and its static type.
    pub(crate) fn expr(&mut self, e: &Expr) -> (Node, StaticType) {
        match &e.kind {
            ExprKind::Int(i) => constant(Value::Int(*i)),
            ExprKind::Float(f) => constant(Value::Float(*f)),
            ExprKind::Duration(d) => constant(Value::Duration(*d)),
            ExprKind::Str(s) => constant(Value::Str(Arc::from(s.as_str()))),
            ExprKind::Bool(b) => constant(Value::Bool(*b)),
            ExprKind::Regex(pattern) => self.regex(pattern, e.span),
            ExprKind::Ref(name) => self.reference(name),
            ExprKind::Ident(name) => self.ident(name, e.span),
            ExprKind::Lambda(inner) => self.expr(inner),
            ExprKind::Unary { op, expr } => self.unary(*op, expr, e.span),
            ExprKind::Binary { op, op_span, lhs, rhs, .. } => self.binary(*op, *op_span, lhs, rhs),
            ExprKind::Call { name, args } => self.call(&name.name, name.span, args, e.span),
            ExprKind::Star | ExprKind::List(_) | ExprKind::Chain { .. } => {
                let what = match &e.kind {
                    ExprKind::Star => "`*`",
                    ExprKind::List(_) => "a list",
                    _ => "a pipeline chain",
                };
                self.error(Code::TypeMismatch, e.span, format!("{what} cannot be used inside a lambda expression"), None);
                unknown()
            }
        }
    }

    fn error(&mut self, code: Code, span: Span, message: String, help: Option<String>) {
        let mut diag = Diag::new(code, span, message);
        diag.help = help;
        self.diags.push(diag);
    }

    fn regex(&mut self, pattern: &str, span: Span) -> (Node, StaticType) {
        match super::regex::compile_go_regex(pattern) {
            Ok(re) => constant(Value::Regex(Arc::new(re))),
            Err(why) => {
                self.error(Code::BadRegex, span, format!("invalid regular expression: {why}"), None);
                unknown()
            }
        }
    }

    fn reference(&mut self, name: &str) -> (Node, StaticType) {
        if !self.refs.iter().any(|r| r == name) {
            self.refs.push(name.to_string());
        }
        if name == "time" {
            return (Node::Time, StaticType::Time);
        }
        (Node::Ref(name.into()), StaticType::Unknown)
    }

    fn ident(&mut self, name: &str, span: Span) -> (Node, StaticType) {
        if let Some((_, value)) = self.opts.idents.iter().find(|(n, _)| n == name) {
            return constant(value.clone());
        }
        let mut help = format!(
            "field and tag references are written in double quotes (\"{name}\"); variables are declared with `var {name} = ...` before use"
        );
        if !self.opts.idents.is_empty() {
            let known: Vec<&str> = self.opts.idents.iter().map(|(n, _)| n.as_str()).collect();
            help = format!("the only identifiers here are {}; {help}", known.join(", "));
        }
        self.error(Code::UndefinedVar, span, format!("undefined variable `{name}`"), Some(help));
        unknown()
    }

    fn unary(&mut self, op: UnaryOp, operand: &Expr, span: Span) -> (Node, StaticType) {
        let (node, t) = self.expr(operand);
        let op_span = Span::new(span.start, span.start + 1);
        let result = match op {
            UnaryOp::Neg if matches!(t, StaticType::Int | StaticType::Float | StaticType::Duration) => t,
            UnaryOp::Neg if !t.is_known() => StaticType::Unknown,
            UnaryOp::Not if matches!(t, StaticType::Bool | StaticType::Unknown) => StaticType::Bool,
            UnaryOp::Neg => {
                let help = "unary minus works on int, float and duration values".to_string();
                self.error(Code::InvalidOperator, op_span, format!("unary `-` is not defined for {t}"), Some(help));
                StaticType::Unknown
            }
            UnaryOp::Not => {
                let help = "`!` needs a boolean and binds tighter than comparisons: write !(a > b)".to_string();
                self.error(Code::InvalidOperator, op_span, format!("unary `!` is not defined for {t}"), Some(help));
                StaticType::Bool
            }
        };
        (Node::Unary(op, Box::new(node)), result)
    }

    fn binary(&mut self, op: BinOp, op_span: Span, lhs: &Expr, rhs: &Expr) -> (Node, StaticType) {
        let (l, lt) = self.expr(lhs);
        let (r, rt) = self.expr(rhs);
        let valid = self.check_binary(op, op_span, (lhs, lt), (rhs, rt));
        let result = match (op.is_boolean(), valid) {
            (true, _) => StaticType::Bool,
            (false, Some(t)) => t,
            (false, None) => StaticType::Unknown,
        };
        let node = match (op, l, r) {
            (BinOp::And | BinOp::Or, l, r) => Node::Logical(op, Box::new(l), Box::new(r), rt == StaticType::Bool),
            (BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge, Node::Ref(name), Node::Const(k))
                if !matches!(k, Value::Missing) =>
            {
                Node::RefCompare(op, name, k)
            }
            (_, l, r) => Node::Binary(op, Box::new(l), Box::new(r)),
        };
        (node, result)
    }

    /// Reports a statically invalid operation; the result type when both sides are known and valid.
    fn check_binary(
        &mut self,
        op: BinOp,
        span: Span,
        (lhs, lt): (&Expr, StaticType),
        (rhs, rt): (&Expr, StaticType),
    ) -> Option<StaticType> {
        if matches!(op, BinOp::Div | BinOp::Mod)
            && matches!(rhs.kind, ExprKind::Int(0))
            && matches!(lt, StaticType::Int | StaticType::Duration | StaticType::Unknown)
        {
            let what = if op == BinOp::Div { "division" } else { "modulo" };
            let help = "Kapacitor drops the point (in eval) or crashes (in a predicate); remove the operation".to_string();
            self.error(Code::IntDivZero, span, format!("integer {what} by zero"), Some(help));
            return None;
        }
        let left_bad = lt.is_known() && !valid_as_left(op, lt);
        let right_bad = rt.is_known() && !valid_as_right(op, rt);
        if left_bad || right_bad {
            let bad = if left_bad { lt } else { rt };
            let (message, help) = invalid_operator_text(op, bad);
            self.error(Code::InvalidOperator, span, message, Some(help));
            return None;
        }
        if !lt.is_known() || !rt.is_known() {
            return None;
        }
        if let Some(t) = binary_result(op, lt, rt) {
            return Some(t);
        }
        let numeric = |t| matches!(t, StaticType::Int | StaticType::Float);
        if !op.is_boolean() && numeric(lt) && numeric(rt) {
            let help = mixed_help(lhs, rhs);
            let message = format!("cannot mix int and float in arithmetic: {lt} {} {rt}", op.symbol());
            self.error(Code::MixedArithmetic, span, message, Some(help));
            return None;
        }
        let message = format!("mismatched types: {lt} {} {rt}", op.symbol());
        let help = format!(
            "`{}` cannot combine a {lt} with a {rt}; convert one side with bool(), int(), float(), string() or duration()",
            op.symbol()
        );
        self.error(Code::TypeMismatch, span, message, Some(help));
        None
    }

    fn call(&mut self, name: &str, name_span: Span, args: &[Expr], span: Span) -> (Node, StaticType) {
        let compiled: Vec<(Node, StaticType)> = args.iter().map(|a| self.expr(a)).collect();
        let types: Vec<StaticType> = compiled.iter().map(|(_, t)| *t).collect();
        let nodes: Vec<Node> = compiled.into_iter().map(|(n, _)| n).collect();
        if let Some(sigs) = signatures::signatures(name) {
            let ret = self.check_call(name, sigs, args, &types, span);
            let call = CallNode {
                name: name.into(),
                sigs,
                args: nodes,
                arg_texts: args.iter().map(render).collect(),
                state: State::for_function(name),
                scope_refs: Arc::from(Vec::new()),
            };
            return (Node::Call(Box::new(call)), ret);
        }
        if let Some((_, t)) = self.opts.extra_functions.iter().find(|(n, _)| n == name) {
            if !args.is_empty() {
                let msg = format!("`{name}()` takes no arguments");
                self.error(Code::FunctionArgs, span, msg, Some(format!("write {name}()")));
            }
            return (Node::Extra(name.into()), *t);
        }
        self.unknown_function(name, name_span);
        unknown()
    }

    /// Checks arity and argument types; the static result type.
    fn check_call(&mut self, name: &str, sigs: &'static [Sig], args: &[Expr], types: &[StaticType], span: Span) -> StaticType {
        let mut matching = signatures::candidates(sigs, types).peekable();
        let Some(first) = matching.peek().copied() else {
            self.report_signature(name, sigs, args, types, span);
            return StaticType::Unknown;
        };
        if matching.all(|s| s.ret == first.ret) {
            first.ret
        } else {
            StaticType::Unknown
        }
    }

    fn report_signature(&mut self, name: &str, sigs: &[Sig], args: &[Expr], types: &[StaticType], span: Span) {
        let accepted: Vec<String> =
            sigs.iter().map(|s| format!("{name}{}", signatures::format_domain(s.args).replace(',', ", "))).collect();
        let arity_ok = sigs.iter().any(|s| s.args.len() == types.len());
        // Point at the first argument whose known type fits no signature of the right arity.
        let bad_arg = (0..types.len()).find(|&i| {
            types[i].is_known() && !sigs.iter().any(|s| s.args.len() == types.len() && s.args[i] == types[i])
        });
        let (at, message) = match bad_arg {
            Some(i) if arity_ok => (args[i].span, format!("`{name}()` does not accept {} as argument {}", types[i], i + 1)),
            _ => (span, format!("`{name}()` does not accept {} argument(s) of these types", types.len())),
        };
        let got: Vec<&str> = types.iter().map(|t| t.name()).collect();
        let mut help = format!("got {name}({}); accepted: {}", got.join(", "), accepted.join(", "));
        if let Some(i) = bad_arg.filter(|&i| matches!(args[i].kind, ExprKind::Int(_))) {
            if sigs.iter().any(|s| s.args.get(i) == Some(&StaticType::Float)) {
                help.push_str(&format!("; int literals are not floats: write {}.0", render(&args[i])));
            }
        }
        if name == "duration" && types == [StaticType::String] {
            help.push_str("; duration('5m') needs a unit argument in Kapacitor 1.5.7, or write the literal 5m");
        }
        self.error(Code::FunctionArgs, at, message, Some(help));
    }

    fn unknown_function(&mut self, name: &str, span: Span) {
        let mut candidates: Vec<&str> = signatures::builtin_names().collect();
        candidates.extend(self.opts.extra_functions.iter().map(|(n, _)| n.as_str()));
        let mut help = match crate::suggest::closest(name, candidates) {
            Some(best) => format!("did you mean `{best}()`?"),
            None => "see the list of Kapacitor 1.5.7 lambda functions".to_string(),
        };
        if name == "rand" {
            help = "rand() arrived in Kapacitor 1.6.5; 1.5.7 fails on every point with `undefined function: \"rand\"`".into();
        }
        self.error(Code::UnknownFunction, span, format!("unknown function `{name}()`"), Some(help));
    }
}

fn constant(v: Value) -> (Node, StaticType) {
    let t = StaticType::of(&v);
    (Node::Const(v), t)
}

fn unknown() -> (Node, StaticType) {
    (Node::Const(Value::Missing), StaticType::Unknown)
}
