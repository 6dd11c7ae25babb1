//! The statement walker: variables, chains and links, building the program.

use super::args::checked_args;
use super::catalog::{self, Edge, Kind, Node as NodeDef};
use super::lambda;
use super::scope::{CVal, Scope};
use crate::ast::{Expr, ExprKind, Link, LinkOp, Stmt};
use crate::diagnostic::{Code, Diag};
use crate::program::{Arg, NodeSpec, Program, PropCall, TaskType};
use crate::span::Span;
use crate::value::Value;

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

    /// `@name(...)`: an ordinary chain node whose own properties are unknown.
    fn udf(&mut self, parent: usize, link: &Link) -> usize {
        self.program.udfs.push((link.name.name.clone(), link.span));
        self.visit_args(link);
        let id = self.program.nodes.len();
        self.program.nodes.push(NodeSpec {
            id,
            name: format!("@{}", link.name.name),
            def: catalog::udf(),
            parents: vec![parent],
            args: vec![],
            arg_spans: vec![],
            props: vec![],
            span: link.span,
        });
        id
    }

    /// `.name()` where `name` is a node of the current one: reported once
    /// (E208), then the chain goes on as if `|` had been written.
    fn dot_for_node(&mut self, node: usize, handler: Option<usize>, link: &Link, reported: &mut bool) -> bool {
        let def = self.program.nodes[node].def;
        let name = link.name.name.as_str();
        if self.find_property(node, handler, name).is_some() || chain_method(def, name).is_none() {
            return false;
        }
        if std::mem::replace(reported, true) {
            return true;
        }
        self.diags.push(
            Diag::new(Code::DotForNode, link.span, format!("`{name}` is a node, not a property of `{}`", def.name))
                .with_label("`.` sets a property")
                .with_help(format!("use `|` instead: `|{name}(...)`; Kapacitor 1.0 and later chain every node with `|`")),
        );
        true
    }

    /// The property `name` of node `node`, after the handler property `handler` if any.
    fn find_property(&self, node: usize, handler: Option<usize>, name: &str) -> Option<&'static catalog::Prop> {
        let def = self.program.nodes[node].def;
        match self.handler_def(node, handler) {
            Some(h) => catalog::handler_property(h, def, name),
            None => catalog::property(def, name),
        }
    }

    fn handler_def(&self, node: usize, handler: Option<usize>) -> Option<&'static catalog::Handler> {
        let def = self.program.nodes[node].def;
        handler.and_then(|h| catalog::property(def, self.program.nodes[node].props[h].name).and_then(|p| p.handler))
    }

    /// Evaluates a link's arguments only (undefined names, lambda errors) when the link itself is unknown.
    fn visit_args(&mut self, link: &Link) {
        for arg in &link.args {
            self.expr(arg);
        }
    }

    fn pipe(&mut self, parent: usize, link: &Link) -> Option<usize> {
        let parent_def = self.program.nodes[parent].def;
        let name = link.name.name.as_str();
        let Some(def) = chain_method(parent_def, name) else {
            let owner = if std::ptr::eq(parent_def, catalog::udf()) { &self.program.nodes[parent].name } else { parent_def.name };
            let diag = unknown_node(parent_def, owner, link);
            self.diags.push(diag);
            return None;
        };
        self.check_edge(parent_def, def, link);
        let (args, arg_spans) = checked_args(self, &def.sig, &[], &link.args, link, def.name);
        let id = self.program.nodes.len();
        let mut parents = vec![parent];
        parents.extend(args.iter().filter_map(|a| if let Arg::Node(n) = a { Some(*n) } else { None }));
        self.program.nodes.push(NodeSpec {
            id,
            name: format!("{}{id}", node_desc(def)),
            def,
            parents,
            args,
            arg_spans,
            props: vec![],
            span: link.span,
        });
        Some(id)
    }

    /// `.name(...)` on `node`: the new handler index, or None when unknown.
    /// `quiet` suppresses the report of an unknown name that is probably a
    /// property of the unknown handler before it.
    fn dot(&mut self, node: usize, handler: Option<usize>, link: &Link, quiet: bool) -> Option<Option<usize>> {
        let def = self.program.nodes[node].def;
        if std::ptr::eq(def, catalog::udf()) {
            self.visit_args(link);
            return Some(None);
        }
        let name = link.name.name.as_str();
        let handler_def = self.handler_def(node, handler);
        let Some(prop) = self.find_property(node, handler, name) else {
            if !(quiet && self.belongs_to_unknown(def, name)) {
                self.unknown_property(def, handler_def, link);
            }
            if !self.unknown_props.contains(&node) {
                self.unknown_props.push(node);
            }
            return None;
        };
        let (args, arg_spans) = checked_args(self, &prop.sig, prop.rules, &link.args, link, prop.name);
        let props = &mut self.program.nodes[node].props;
        let own = handler_def.is_some_and(|h| h.props.iter().any(|p| p.name == prop.name));
        props.push(PropCall {
            name: prop.name,
            args,
            arg_spans,
            span: link.span,
            handler: if own { handler } else { None },
            is_handler: prop.handler.is_some(),
        });
        let index = props.len() - 1;
        Some(if prop.handler.is_some() { Some(index) } else { handler })
    }

    fn check_edge(&mut self, parent: &NodeDef, child: &NodeDef, link: &Link) {
        let clash = matches!(
            (parent.provides, child.wants),
            (Edge::Stream, Edge::Batch) | (Edge::Batch, Edge::Stream)
        );
        if clash {
            self.diags.push(
                Diag::new(
                    Code::WrongChainTarget,
                    link.name.span,
                    format!("`{}` wants {} but `{}` provides {}", child.name, edge(child.wants), parent.name, edge(parent.provides)),
                )
                .with_help(match child.wants {
                    Edge::Batch => "add `|window()` before it to turn points into batches",
                    _ => "this node works on points; it cannot follow a node that emits batches",
                }),
            );
        }
    }


    fn unknown_property(&mut self, def: &NodeDef, handler: Option<&'static catalog::Handler>, link: &Link) {
        let name = &link.name.name;
        let owner = handler.map_or(def.name, |h| h.name);
        let diag = Diag::new(Code::UnknownProperty, link.name.span, format!("`{owner}` has no property `{name}`"))
            .with_label("unknown property");
        let own = handler.into_iter().flat_map(|h| h.props.iter().map(|p| p.name));
        let later = super::later::introduced(owner, name).or_else(|| super::later::introduced(def.name, name));
        let help = match later {
            Some(version) => Some(super::later::help('.', name, version)),
            None => catalog::suggest(name, own.chain(def.props.iter().map(|p| p.name))).map(|s| format!("did you mean `.{s}()`?")),
        };
        self.diags.push(match help {
            Some(help) => diag.with_help(help),
            None => diag,
        });
    }

    /// After an unknown property of a node with handlers: is `name` one of
    /// some handler's own properties, or far from every property of the node?
    /// Then it belongs to the unknown handler and is not reported again.
    fn belongs_to_unknown(&self, def: &NodeDef, name: &str) -> bool {
        let handlers = || def.props.iter().filter_map(|p| p.handler);
        if handlers().next().is_none() {
            return false;
        }
        let handler_prop = handlers().any(|h| catalog::handler_property(h, def, name).is_some());
        handler_prop || catalog::suggest(name, def.props.iter().map(|p| p.name)).is_none()
    }

    /// Records a diagnostic.
    pub(super) fn report(&mut self, diag: Diag) {
        self.diags.push(diag);
    }
}

/// `|name()` that `parent` (shown as `owner`) does not have.
fn unknown_node(parent: &NodeDef, owner: &str, link: &Link) -> Diag {
    let name = &link.name.name;
    if catalog::property(parent, name).is_some() {
        return Diag::new(Code::PipeForProperty, link.span, format!("`{name}` is a property of `{owner}`, not a node"))
            .with_label("`|` creates a new node")
            .with_help(format!("use `.` instead: `.{name}(...)`"));
    }
    let diag = Diag::new(Code::UnknownNode, link.name.span, format!("`{owner}` has no chaining method `{name}`"))
        .with_label("unknown node");
    if let Some(version) = super::later::introduced(parent.name, name) {
        return diag.with_help(super::later::help('|', name, version));
    }
    match catalog::suggest(name, chain_names(parent)) {
        Some(s) => diag.with_help(format!("did you mean `|{s}()`?")),
        None => diag,
    }
}

fn constant(kind: Kind, value: Value) -> CVal {
    CVal::Const { kind, value: Some(value) }
}

fn chain_method(parent: &NodeDef, name: &str) -> Option<&'static NodeDef> {
    catalog::chain_method(parent, name)
}

fn chain_names(parent: &NodeDef) -> impl Iterator<Item = &'static str> + '_ {
    catalog::chain_methods(parent).map(|n| n.name)
}

fn edge(e: Edge) -> &'static str {
    match e {
        Edge::Stream => "points (a stream)",
        Edge::Batch => "batches",
        Edge::Any => "anything",
        Edge::None => "nothing",
    }
}

/// Kapacitor's node description: `from`, `alert`, `window`, `groupby`, `mean`, ...
fn node_desc(def: &NodeDef) -> String {
    def.name.to_ascii_lowercase()
}
