//! The TICKscript syntax tree: every node carries its byte [`Span`]; no pest types.

use crate::span::Span;

/// A whole parsed script.
#[derive(Debug, Clone, PartialEq)]
pub struct Script {
    /// Top-level statements in source order.
    pub stmts: Vec<Stmt>,
    /// Comment texts with their spans (only used by lints and formatters).
    pub comments: Vec<(Span, String)>,
}

/// A name as written in the source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    /// The identifier text.
    pub name: String,
    /// Where it is written.
    pub span: Span,
}

/// A top-level statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Stmt {
    /// `var name = value`.
    Var {
        /// The declared name.
        name: Ident,
        /// The bound expression.
        value: Expr,
        /// The whole statement.
        span: Span,
    },
    /// `var name type` (a template variable without a value).
    TypedVar {
        /// The declared name.
        name: Ident,
        /// The declared type word (`int`, `duration`, `lambda`, ...).
        ty: Ident,
        /// The whole statement.
        span: Span,
    },
    /// `dbrp "db"."rp"`.
    Dbrp {
        /// Database name and its span.
        db: (String, Span),
        /// Retention policy name and its span.
        rp: (String, Span),
        /// The whole statement.
        span: Span,
    },
    /// A bare expression statement, usually a pipeline chain.
    Expr(Expr),
}

impl Stmt {
    /// The span of the whole statement.
    pub fn span(&self) -> Span {
        match self {
            Stmt::Var { span, .. } | Stmt::TypedVar { span, .. } | Stmt::Dbrp { span, .. } => *span,
            Stmt::Expr(e) => e.span,
        }
    }
}

/// An expression with its span.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it is written.
    pub span: Span,
}

/// The kinds of expression.
#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    /// Integer literal (decimal, or octal with a leading `0`).
    Int(i64),
    /// Float literal.
    Float(f64),
    /// Duration literal, in nanoseconds.
    Duration(i64),
    /// Single- or triple-quoted string, escapes already applied.
    Str(String),
    /// `TRUE` or `FALSE`.
    Bool(bool),
    /// Regex literal `/.../`, with `\/` already turned into `/`.
    Regex(String),
    /// `*`.
    Star,
    /// Double-quoted reference to a field or tag: `"usage_idle"`.
    Ref(String),
    /// A bare identifier: a variable or a predefined name (`stream`, `batch`).
    Ident(String),
    /// `[a, 'b', *]`.
    List(Vec<Expr>),
    /// `lambda: expr`.
    Lambda(Box<Expr>),
    /// Unary `-x` or `!x`.
    Unary {
        /// The operator.
        op: UnaryOp,
        /// The operand.
        expr: Box<Expr>,
    },
    /// A binary operation.
    Binary {
        /// The operator.
        op: BinOp,
        /// Where the operator token is.
        op_span: Span,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
        /// True when the source wrapped it in parentheses.
        parens: bool,
    },
    /// A function call: a lambda builtin (`sigma("x")`) or a global such as `time(1m)`.
    Call {
        /// Function name.
        name: Ident,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// A chain: `head |node() .prop() @udf()`.
    Chain {
        /// The start of the chain (an identifier such as `stream` or a variable).
        head: Box<Expr>,
        /// The links, left to right.
        links: Vec<Link>,
    },
}

/// The operator that starts a chain link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkOp {
    /// `|name(...)`: creates a child node.
    Pipe,
    /// `.name(...)` or `.name`: sets a property.
    Dot,
    /// `@name(...)`: a user-defined function node.
    At,
}

impl LinkOp {
    /// The operator character.
    pub fn symbol(self) -> char {
        match self {
            LinkOp::Pipe => '|',
            LinkOp::Dot => '.',
            LinkOp::At => '@',
        }
    }
}

/// One `|x()`, `.x()` or `@x()` link of a chain.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// Which operator introduced the link.
    pub op: LinkOp,
    /// The method name.
    pub name: Ident,
    /// Arguments (empty when written without parentheses).
    pub args: Vec<Expr>,
    /// False for `.name` written without parentheses.
    pub has_parens: bool,
    /// From the operator to the closing parenthesis.
    pub span: Span,
}

/// Unary operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnaryOp {
    /// `-`
    Neg,
    /// `!`
    Not,
}

/// Binary operators, in Kapacitor's precedence groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `OR`
    Or,
    /// `AND`
    And,
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `=~`
    RegexMatch,
    /// `!~`
    RegexNotMatch,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Mod,
}

impl BinOp {
    /// The operator as written in TICKscript.
    pub fn symbol(self) -> &'static str {
        use BinOp::*;
        match self {
            Or => "OR",
            And => "AND",
            Eq => "==",
            Ne => "!=",
            RegexMatch => "=~",
            RegexNotMatch => "!~",
            Lt => "<",
            Le => "<=",
            Gt => ">",
            Ge => ">=",
            Add => "+",
            Sub => "-",
            Mul => "*",
            Div => "/",
            Mod => "%",
        }
    }

    /// True for comparison and logical operators (whose result is boolean).
    pub fn is_boolean(self) -> bool {
        use BinOp::*;
        matches!(self, Or | And | Eq | Ne | RegexMatch | RegexNotMatch | Lt | Le | Gt | Ge)
    }
}
