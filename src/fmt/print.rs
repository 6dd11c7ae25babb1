//! Printing the formatter's tree with `tickfmt`'s layout rules (Kapacitor's `Format` methods):
//! four-space steps, a chain link per line (`|node` one step in, `.property` two), one argument per
//! line when the source had a newline inside the call, comments on their own lines.

use super::lex::{Op, Tok};
use super::node::{Comment, Kind, Node, Number};

const STEP: &str = "    ";

/// Prints a whole program: statements separated by a blank line, each ending in a newline.
pub fn program(nodes: &[Node], out: &mut String) {
    for (i, node) in nodes.iter().enumerate() {
        if i != 0 {
            out.push('\n');
        }
        format(node, out, "", true);
        out.push('\n');
    }
}

fn indent_if(out: &mut String, indent: &str, on_new_line: bool) {
    if on_new_line {
        out.push_str(indent);
    }
}

fn comment(c: &Comment, out: &mut String, indent: &str, on_new_line: bool) {
    if !on_new_line {
        out.push('\n');
    }
    for line in c {
        match line {
            None => out.push('\n'),
            Some(text) => {
                out.push_str(indent);
                out.push_str("//");
                if !text.is_empty() {
                    out.push(' ');
                    out.push_str(text);
                }
                out.push('\n');
            }
        }
    }
}

/// Prints `node` at `indent`; `on_new_line` says the cursor is at the start of a line.
fn format(node: &Node, out: &mut String, indent: &str, mut on_new_line: bool) {
    match &node.kind {
        Kind::Dbrp(db, rp) => {
            if let Some(c) = &node.comment {
                comment(c, out, indent, on_new_line);
            }
            out.push_str(indent);
            out.push_str("dbrp \"");
            out.push_str(db);
            out.push_str("\".\"");
            out.push_str(rp);
            out.push('"');
            return;
        }
        Kind::Decl(name, value) | Kind::TypeDecl(name, value) => {
            if let Some(c) = &node.comment {
                comment(c, out, indent, on_new_line);
            }
            out.push_str("var ");
            format(name, out, indent, false);
            out.push_str(if matches!(node.kind, Kind::Decl(..)) { " = " } else { " " });
            format(value, out, indent, false);
            return;
        }
        Kind::Chain { op, left, right } => return chain(node, *op, left, right, out, indent, on_new_line),
        Kind::Comment(c) => return comment(c, out, indent, on_new_line),
        _ => {}
    }
    if let Some(c) = &node.comment {
        comment(c, out, indent, on_new_line);
        on_new_line = true;
    }
    indent_if(out, indent, on_new_line);
    match &node.kind {
        Kind::Number(n) => number(*n, out),
        Kind::Duration(d) => out.push_str(d),
        Kind::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        Kind::Unary(op, operand) => {
            out.push(if *op == Tok::Not { '!' } else { '-' });
            format(operand, out, indent, false);
        }
        Kind::Binary { op, left, right, parens, multi_line } => binary(*op, left, right, *parens, *multi_line, out, indent),
        Kind::Ident(name) => out.push_str(name),
        Kind::Reference(r) => quoted(r, '"', out),
        Kind::Str { literal, triple: true } => {
            out.push_str("'''");
            out.push_str(literal);
            out.push_str("'''");
        }
        Kind::Str { literal, triple: false } => quoted(literal, '\'', out),
        Kind::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i != 0 {
                    out.push_str(", ");
                }
                format(item, out, indent, on_new_line);
            }
            out.push(']');
        }
        Kind::Regex(r) => {
            out.push('/');
            out.push_str(r);
            out.push('/');
        }
        Kind::Star => out.push('*'),
        Kind::Func { name, args, multi_line } => func(name, args, *multi_line, out, indent),
        Kind::Lambda(e) => {
            out.push_str("lambda: ");
            format(e, out, indent, false);
        }
        Kind::Dbrp(..) | Kind::Decl(..) | Kind::TypeDecl(..) | Kind::Chain { .. } | Kind::Comment(_) => {}
    }
}

fn chain(node: &Node, op: Tok, left: &Node, right: &Node, out: &mut String, indent: &str, on_new_line: bool) {
    format(left, out, indent, on_new_line);
    out.push('\n');
    let mut inner = String::with_capacity(indent.len() + 2 * STEP.len());
    inner.push_str(indent);
    inner.push_str(STEP);
    if op == Tok::Dot {
        inner.push_str(STEP);
    }
    if let Some(c) = &node.comment {
        comment(c, out, &inner, true);
    }
    out.push_str(&inner);
    out.push(match op {
        Tok::Dot => '.',
        Tok::At => '@',
        _ => '|',
    });
    format(right, out, &inner, false);
}

fn binary(op: Op, left: &Node, right: &Node, parens: bool, multi_line: bool, out: &mut String, indent: &str) {
    let owned;
    let mut indent = indent;
    if parens {
        out.push('(');
        owned = format!("{indent}{STEP}");
        indent = &owned;
    }
    format(left, out, indent, false);
    out.push(' ');
    out.push_str(op.symbol());
    out.push(if multi_line { '\n' } else { ' ' });
    format(right, out, indent, multi_line);
    if parens {
        out.push(')');
    }
}

fn func(name: &str, args: &[Node], multi_line: bool, out: &mut String, indent: &str) {
    out.push_str(name);
    out.push('(');
    let arg_indent = format!("{indent}{STEP}");
    for (i, arg) in args.iter().enumerate() {
        if i != 0 {
            out.push(',');
            if !multi_line {
                out.push(' ');
            }
        }
        if multi_line {
            out.push('\n');
        }
        format(arg, out, &arg_indent, multi_line);
    }
    if multi_line && !args.is_empty() {
        out.push('\n');
        out.push_str(indent);
    }
    out.push(')');
}

/// `text` between `quote`s, each `quote` inside escaped with a backslash.
fn quoted(text: &str, quote: char, out: &mut String) {
    out.push(quote);
    for c in text.chars() {
        if c == quote {
            out.push('\\');
        }
        out.push(c);
    }
    out.push(quote);
}

fn number(n: Number, out: &mut String) {
    use std::fmt::Write;
    match n {
        Number::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Number::Octal(i) => {
            let _ = write!(out, "0{i:o}");
        }
        Number::Float(f) => {
            let start = out.len();
            let _ = write!(out, "{f}");
            if !out[start..].contains('.') {
                out.push_str(".0");
            }
        }
    }
}
