//! The checked plan of a script: nodes with resolved, typed arguments.
//!
//! `check` builds it; `pipeline` runs it. Variables are already substituted,
//! lambdas are complete expressions, and every node knows its catalogue entry.

use crate::ast::Expr;
use crate::check::catalog::Node as NodeDef;
use crate::span::Span;
use crate::value::Value;

/// Whether the task is fed by pushed points or by queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskType {
    /// Starts from `stream`.
    Stream,
    /// Starts from `batch`.
    Batch,
}

/// A checked script.
#[derive(Debug, Clone)]
pub struct Program {
    /// Stream or batch.
    pub task_type: TaskType,
    /// `dbrp "db"."rp"` statements.
    pub dbrps: Vec<(String, String)>,
    /// Nodes in creation order; index 0 is the source (`stream`/`batch`).
    pub nodes: Vec<NodeSpec>,
    /// `@udf()` calls: checked as far as possible, never runnable here.
    pub udfs: Vec<(String, Span)>,
}

impl Program {
    /// The children of node `id`, in creation order.
    pub fn children(&self, id: usize) -> impl Iterator<Item = &NodeSpec> {
        self.nodes.iter().filter(move |n| n.parents.contains(&id))
    }
}

/// One node of the pipeline.
#[derive(Debug, Clone)]
pub struct NodeSpec {
    /// Index in [`Program::nodes`].
    pub id: usize,
    /// Kapacitor's node name: description plus id (`from1`, `alert2`).
    pub name: String,
    /// The catalogue entry.
    pub def: &'static NodeDef,
    /// Parent nodes (several for join/union).
    pub parents: Vec<usize>,
    /// Arguments of the chaining method (`window()` has none, `mean('x')` one).
    pub args: Vec<Arg>,
    /// Where each argument is written.
    pub arg_spans: Vec<Span>,
    /// Property calls in source order.
    pub props: Vec<PropCall>,
    /// Where the chaining method is written.
    pub span: Span,
}

impl NodeSpec {
    /// The last call of property `name` outside any handler, if any.
    pub fn prop(&self, name: &str) -> Option<&PropCall> {
        self.props.iter().rev().find(|p| p.name == name && p.handler.is_none())
    }

    /// Every call of property `name` outside any handler (e.g. several `.where()`).
    pub fn props_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a PropCall> {
        self.props.iter().filter(move |p| p.name == name && p.handler.is_none())
    }

    /// True if the flag property `name` (no arguments) was set.
    pub fn flag(&self, name: &str) -> bool {
        self.prop(name).is_some()
    }
}

/// One `.name(args)` call.
#[derive(Debug, Clone)]
pub struct PropCall {
    /// Property name.
    pub name: &'static str,
    /// Checked arguments.
    pub args: Vec<Arg>,
    /// Where each argument is written.
    pub arg_spans: Vec<Span>,
    /// Where it is written.
    pub span: Span,
    /// Index (in the node's `props`) of the handler call this property configures, if any.
    pub handler: Option<usize>,
    /// True if this call creates a handler (`.exec()`, `.slack()`, ...).
    pub is_handler: bool,
}

/// A checked argument.
#[derive(Debug, Clone)]
pub enum Arg {
    /// A literal or folded constant.
    Value(Value),
    /// A lambda body with variables substituted.
    Lambda(Expr),
    /// `*`.
    Star,
    /// A list (spread already where Kapacitor spreads it).
    List(Vec<Arg>),
    /// A global call such as `time(1m)` in a batch `groupBy`.
    Call(String, Vec<Arg>),
    /// Another node (join/union arguments).
    Node(usize),
    /// A value of known kind but unknown content (a template var).
    Template,
}

impl Arg {
    /// The string inside, if this is a string constant.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Arg::Value(Value::Str(s)) => Some(s),
            _ => None,
        }
    }

    /// The duration in ns, if this is a duration constant.
    pub fn as_duration(&self) -> Option<i64> {
        match self {
            Arg::Value(Value::Duration(d)) => Some(*d),
            _ => None,
        }
    }

    /// The integer, if this is an int constant.
    pub fn as_int(&self) -> Option<i64> {
        match self {
            Arg::Value(Value::Int(i)) => Some(*i),
            _ => None,
        }
    }

    /// The float, if this is a float constant.
    pub fn as_float(&self) -> Option<f64> {
        match self {
            Arg::Value(Value::Float(f)) => Some(*f),
            _ => None,
        }
    }
}
