//! The template syntax tree produced by [`super::parse`].

use super::literal::Number;
use crate::span::Span;

/// One node of a template body.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// Literal text, copied to the output.
    Text(String),
    /// `{{ pipeline }}`: prints its value unless it declares variables.
    Action(Pipe),
    /// `{{if}}`, `{{with}}` or `{{range}}` with its bodies.
    Control(Box<Control>),
    /// `{{break}}` inside a range.
    Break(Span),
    /// `{{continue}}` inside a range.
    Continue(Span),
}

/// Which control structure a [`Control`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ControlKind {
    /// `{{if}}`
    If,
    /// `{{with}}`
    With,
    /// `{{range}}`
    Range,
}

/// An `if`, `with` or `range` block.
#[derive(Debug, Clone, PartialEq)]
pub struct Control {
    /// The structure's keyword.
    pub kind: ControlKind,
    /// The tested / iterated pipeline.
    pub pipe: Pipe,
    /// Body run when true / per element.
    pub list: Vec<Node>,
    /// `{{else}}` body (an `else if` is a nested `If`).
    pub else_list: Option<Vec<Node>>,
}

/// A pipeline: optional variable declarations, then commands joined by `|`.
#[derive(Debug, Clone, PartialEq)]
pub struct Pipe {
    /// Declared or assigned variables (`$x :=`, `$k, $v :=`).
    pub decl: Vec<Ident>,
    /// True for `=` (assignment), false for `:=`.
    pub is_assign: bool,
    /// The commands, left to right.
    pub cmds: Vec<Command>,
    /// Where the pipeline is.
    pub span: Span,
}

/// One command of a pipeline: a function or value and its arguments.
#[derive(Debug, Clone, PartialEq)]
pub struct Command {
    /// First word (function or operand) and arguments.
    pub args: Vec<Arg>,
    /// Where the command is.
    pub span: Span,
}

/// A name with its position (field names, variable names).
#[derive(Debug, Clone, PartialEq)]
pub struct Ident {
    /// The name (fields without the dot, variables with the `$`).
    pub name: String,
    /// Where the name is, including its `.` or `$`.
    pub span: Span,
}

/// An operand.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg {
    /// What the operand is.
    pub kind: ArgKind,
    /// Where it is.
    pub span: Span,
}

/// The kinds of operand.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgKind {
    /// `.A.B` relative to dot.
    Field(Vec<Ident>),
    /// `$x.A.B` (the variable, then the fields).
    Variable(Ident, Vec<Ident>),
    /// `(pipe).A.B` or `func.A`.
    Chain(Box<Arg>, Vec<Ident>),
    /// A function name.
    Func(String),
    /// `.`
    Dot,
    /// `nil`
    Nil,
    /// `true` / `false`
    Bool(bool),
    /// A numeric or character constant.
    Number(Number),
    /// A string constant, unquoted.
    Str(String),
    /// A parenthesised pipeline.
    Pipe(Box<Pipe>),
}
