//! The formatter's syntax tree: Kapacitor's node shapes, with the comments its parser attaches.

use super::lex::{Op, Tok};

/// Comment lines of one comment node; `None` entries are blank-line separators between comment blocks.
pub type Comment = Vec<Option<String>>;

/// A node with its position (as Kapacitor records it) and attached comment.
#[derive(Debug, Clone)]
pub struct Node {
    /// What it is.
    pub kind: Kind,
    /// Byte position Kapacitor gives the node (an operator's for binary and chain nodes).
    pub pos: usize,
    /// The comment printed before it.
    pub comment: Option<Comment>,
}

/// Integer base of a number literal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// Decimal integer.
    Int(i64),
    /// Integer written with a leading `0`.
    Octal(i64),
    /// Float.
    Float(f64),
}

/// The kinds of node.
#[derive(Debug, Clone)]
pub enum Kind {
    /// A number literal.
    Number(Number),
    /// A duration, printed as written.
    Duration(String),
    /// `TRUE` / `FALSE`.
    Bool(bool),
    /// `-x` / `!x`.
    Unary(Tok, Box<Node>),
    /// `a op b`.
    Binary {
        /// The operator.
        op: Op,
        /// Left side.
        left: Box<Node>,
        /// Right side.
        right: Box<Node>,
        /// Written in parentheses.
        parens: bool,
        /// A newline between the operands: the right one goes on its own line.
        multi_line: bool,
    },
    /// `dbrp "db"."rp"`.
    Dbrp(String, String),
    /// `var x = value`.
    Decl(Box<Node>, Box<Node>),
    /// `var x type`.
    TypeDecl(Box<Node>, Box<Node>),
    /// `left |right`, `left .right`, `left @right`.
    Chain {
        /// `|`, `.` or `@`.
        op: Tok,
        /// Everything before.
        left: Box<Node>,
        /// The function or property.
        right: Box<Node>,
    },
    /// A name.
    Ident(String),
    /// `"field"` (unescaped).
    Reference(String),
    /// A string literal (unescaped unless triple-quoted).
    Str {
        /// The text.
        literal: String,
        /// `'''...'''`.
        triple: bool,
    },
    /// `[a, 'b']`.
    List(Vec<Node>),
    /// `/regex/` as written between the slashes.
    Regex(String),
    /// `*`.
    Star,
    /// `name(args)`.
    Func {
        /// The name.
        name: String,
        /// Arguments.
        args: Vec<Node>,
        /// A newline before the last argument: one argument per line.
        multi_line: bool,
    },
    /// `lambda: expr`.
    Lambda(Box<Node>),
    /// A comment standing alone (at the end of the script).
    Comment(Comment),
}

impl Node {
    /// A node without comment.
    pub fn new(kind: Kind, pos: usize) -> Node {
        Node { kind, pos, comment: None }
    }

    /// A node with `comment`.
    pub fn with(kind: Kind, pos: usize, comment: Option<Comment>) -> Node {
        Node { kind, pos, comment }
    }
}
