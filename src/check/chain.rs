//! The statement walker: variables, chains and links, building the program.

use super::catalog::{self, Kind};
use super::lambda;
use super::scope::{CVal, Scope};
use crate::ast::{Expr, ExprKind, Link, LinkOp, Stmt};
use crate::diagnostic::{Code, Diag};
use crate::program::{NodeSpec, Program, TaskType};
use crate::span::Span;
use crate::value::Value;

mod links;

/// Walks statements in order, collecting diagnostics and building the program.
pub struct Walker {
    pub(super) scope: Scope,
    pub(super) diags: Vec<Diag>,
    program: Program,
    /// Nodes with an unknown property (a mistyped or newer handler, say).
    unknown_props: Vec<usize>,
}

/// The source node `name` (`stream` or `batch`) with index `id`.
fn source_node(name: &str, id: usize) -> NodeSpec {
    let def = catalog::source(name).expect("the catalogue defines stream and batch");
    NodeSpec {
        id,
        name: format!("{name}{id}"),
        def,
        parents: vec![],
        args: vec![],
        arg_spans: vec![],
        props: vec![],
        span: Span::default(),
    }
}

impl Walker {
    /// A walker with `stream`/`batch` and `time` predefined. In a script that
    /// mixes both (already reported), each keeps its own source node so the
    /// other kind's chains are checked as what they are.
    pub fn new(task_type: TaskType, mixed: bool) -> Self {
        let (own, other) = match task_type {
            TaskType::Stream => ("stream", "batch"),
            TaskType::Batch => ("batch", "stream"),
        };
        let mut nodes = vec![source_node(own, 0)];
        if mixed {
            nodes.push(source_node(other, 1));
        }
        let mut scope = Scope::default();
        scope.predefine(own, CVal::Node(0));
        scope.predefine(other, CVal::Node(if mixed { 1 } else { 0 }));
        scope.predefine("time", CVal::Const { kind: Kind::Any, value: None });
        let program = Program { task_type, dbrps: vec![], nodes, udfs: vec![] };
        Walker { scope, diags: vec![], program, unknown_props: vec![] }
    }

    /// Checks one top-level statement.
    pub fn statement(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Var { name, value, .. } => {
                let v = self.expr(value);
                if let Err(first) = self.scope.declare(&name.name, v, name.span) {
                    self.redefined(&name.name, name.span, first);
                }
            }
            Stmt::TypedVar { name, ty, .. } => {
                let v = self.typed_var(ty);
                if let Err(first) = self.scope.declare(&name.name, v, name.span) {
                    self.redefined(&name.name, name.span, first);
                }
            }
            Stmt::Dbrp { db, rp, .. } => self.program.dbrps.push((db.0.clone(), rp.0.clone())),
            Stmt::Expr(expr) => {
                self.expr(expr);
            }
        }
    }

    /// The program, every diagnostic (unused variables included) and the
    /// nodes that had an unknown property.
    pub fn finish(self) -> (Program, Vec<Diag>, Vec<usize>) {
        let mut diags = self.diags;
        // A var holding a pipeline runs whether it is referenced or not.
        for (name, span) in self.scope.unused().into_iter().filter(|(_, v, _)| !matches!(v, CVal::Node(_))).map(|(n, _, s)| (n, s)) {
            diags.push(
                Diag::new(Code::UnusedVar, span, format!("variable `{name}` is never used"))
                    .with_label("declared here")
                    .with_help("remove it, or silence with `// tick:allow unused-var`"),
            );
        }
        (self.program, diags, self.unknown_props)
    }

    fn redefined(&mut self, name: &str, span: Span, first: Span) {
        let mut diag = Diag::new(Code::RedefinedVar, span, format!("`{name}` is already defined; vars are immutable"))
            .with_label("redefined here")
            .with_help(format!("choose another name, e.g. `{name}2`"));
        if first == Span::default() {
            diag = diag.with_help(format!("`{name}` is predefined by Kapacitor; choose another name"));
        } else {
            diag = diag.with_related(first, "first defined here");
        }
        self.diags.push(diag);
    }

    fn typed_var(&mut self, ty: &crate::ast::Ident) -> CVal {
        let kind = match ty.name.as_str() {
            "int" => Kind::Int,
            "float" => Kind::Float,
            "bool" => Kind::Bool,
            "string" => Kind::Str,
            "regex" => Kind::Regex,
            "duration" => Kind::Duration,
            "lambda" => Kind::Lambda,
            "list" => Kind::StrList,
            "star" => return CVal::Star,
            other => {
                self.diags.push(
                    Diag::new(Code::BadVarType, ty.span, format!("`{other}` is not a var type"))
                        .with_help("use one of int, float, bool, string, regex, duration, lambda, list, star"),
                );
                return CVal::Error;
            }
        };
        CVal::Const { kind, value: None }
    }

    /// The checker's value of an expression outside lambdas.
    pub(super) fn expr(&mut self, expr: &Expr) -> CVal {
        match &expr.kind {
            ExprKind::Int(i) => constant(Kind::Int, Value::Int(*i)),
            ExprKind::Float(f) => constant(Kind::Float, Value::Float(*f)),
            ExprKind::Duration(d) => constant(Kind::Duration, Value::Duration(*d)),
            ExprKind::Str(s) => constant(Kind::Str, Value::Str(s.as_str().into())),
            ExprKind::Bool(b) => constant(Kind::Bool, Value::Bool(*b)),
            ExprKind::Regex(r) => match crate::eval::compile_go_regex(r) {
                Ok(re) => constant(Kind::Regex, Value::Regex(re.into())),
                Err(_) => CVal::Error,
            },
            ExprKind::Star => CVal::Star,
            ExprKind::Ref(name) => CVal::Ref(name.clone()),
            ExprKind::Ident(name) => self.ident(name, expr.span),
            ExprKind::List(items) => CVal::List(items.iter().map(|i| (self.expr(i), i.span)).collect()),
            ExprKind::Lambda(body) => {
                let body = lambda::substitute(body, &mut self.scope, &mut self.diags);
                CVal::Lambda(body)
            }
            ExprKind::Unary { .. } | ExprKind::Binary { .. } => {
                lambda::fold_constant(expr, &mut self.scope, &mut self.diags)
            }
            ExprKind::Call { name, args } => {
                CVal::Call(name.name.clone(), args.iter().map(|a| (self.expr(a), a.span)).collect())
            }
            ExprKind::Chain { head, links } => self.chain(head, links),
        }
    }

    fn ident(&mut self, name: &str, span: Span) -> CVal {
        if let Some(v) = self.scope.get(name) {
            let value = v.clone();
            if let (CVal::Node(id @ (0 | 1)), "stream" | "batch") = (&value, name) {
                if self.program.nodes[*id].span == Span::default() {
                    self.program.nodes[*id].span = span;
                }
            }
            return value;
        }
        let mut diag = Diag::new(Code::UndefinedVar, span, format!("`{name}` is not defined"))
            .with_label("undefined name");
        let suggestion = catalog::suggest(name, self.scope.names()).map(str::to_string);
        diag = match suggestion {
            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
            None => diag.with_help(format!(
                "declare it first with `var {name} = ...`; a field or tag is written in double quotes: \"{name}\""
            )),
        };
        self.diags.push(diag);
        CVal::Error
    }

    fn chain(&mut self, head: &Expr, links: &[Link]) -> CVal {
        let mut current = match self.expr(head) {
            CVal::Node(id) => id,
            CVal::Error => return CVal::Error,
            other => {
                self.diags.push(
                    Diag::new(Code::WrongChainTarget, head.span, format!("{} cannot be chained", other.describe()))
                        .with_help("chains start from `stream`, `batch` or a var holding a node"),
                );
                return CVal::Error;
            }
        };
        let mut handler: Option<usize> = None;
        let mut poisoned = false;
        // After an unknown property, the unknown ones that follow are taken as its own.
        let mut after_unknown = false;
        // A pre-1.0 script writes `.` before every node: one E208 says it.
        let mut dot_reported = false;
        for link in links {
            if poisoned {
                self.visit_args(link);
                continue;
            }
            let as_pipe = link.op == LinkOp::Pipe || (link.op == LinkOp::Dot && self.dot_for_node(current, handler, link, &mut dot_reported));
            if as_pipe {
                match self.pipe(current, link) {
                    Some(id) => {
                        current = id;
                        handler = None;
                        after_unknown = false;
                    }
                    None => {
                        self.visit_args(link);
                        poisoned = true;
                    }
                }
                continue;
            }
            match link.op {
                LinkOp::Dot => match self.dot(current, handler, link, after_unknown) {
                    Some(h) => {
                        // A known handler starts: what follows is its own again.
                        if h != handler {
                            after_unknown = false;
                        }
                        handler = h;
                    }
                    None => {
                        self.visit_args(link);
                        after_unknown = true;
                    }
                },
                _ => {
                    current = self.udf(current, link);
                    handler = None;
                    after_unknown = false;
                }
            }
        }
        if poisoned { CVal::Error } else { CVal::Node(current) }
    }

    /// Records a diagnostic.
    pub(super) fn report(&mut self, diag: Diag) {
        self.diags.push(diag);
    }
}

fn constant(kind: Kind, value: Value) -> CVal {
    CVal::Const { kind, value: Some(value) }
}
