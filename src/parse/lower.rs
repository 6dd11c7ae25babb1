//! pest pairs → [`crate::ast`]: one function per grammar rule.

use super::{limits, literal, scan, Rule};
use crate::ast::{BinOp, Expr, ExprKind, Ident, Link, LinkOp, Script, Stmt, UnaryOp};
use crate::diagnostic::{Code, Diag};
use crate::span::Span;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use std::sync::LazyLock;

type Result<T> = std::result::Result<T, Diag>;

/// Kapacitor's precedence table (`parser.go`), lowest first; all left-associative.
static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    let left = |rule| Op::infix(rule, Assoc::Left);
    PrattParser::new()
        .op(left(Rule::op_or))
        .op(left(Rule::op_and))
        .op(left(Rule::op_eq) | left(Rule::op_ne) | left(Rule::op_regex_match) | left(Rule::op_regex_not_match))
        .op(left(Rule::op_lt) | left(Rule::op_le) | left(Rule::op_gt) | left(Rule::op_ge))
        .op(left(Rule::op_add) | left(Rule::op_sub))
        .op(left(Rule::op_mul) | left(Rule::op_div) | left(Rule::op_mod))
});

/// Where an expression sits, which decides what a function call may take.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// A statement, `var` value or method argument: a leading call takes full
    /// expressions (lambdas, lists, chains) as arguments.
    Top,
    /// Inside a lambda, parentheses or after an operator: calls take plain expressions.
    Nested,
}

/// Lowers the `script` rule.
pub(super) fn script(src: &str, mut pairs: Pairs<'_, Rule>) -> Result<Script> {
    let Some(script) = pairs.next() else {
        return Ok(Script { stmts: Vec::new(), comments: Vec::new() });
    };
    let literals = literal_spans(&script);
    let lower = Lowerer { src };
    let mut stmts = Vec::new();
    for pair in script.into_inner() {
        if pair.as_rule() != Rule::EOI {
            limits::check_depth(&pair)?;
            stmts.push(lower.statement(pair)?);
        }
    }
    Ok(Script { stmts, comments: scan::comments(src, &literals) })
}

/// `.where` with no `(...)`: Kapacitor's parser accepts it, then its HTTP handler panics.
fn no_parens(name: &Ident) -> Diag {
    let n = &name.name;
    Diag::new(Code::Syntax, name.span, format!("expected `(` after `.{n}`"))
        .with_label("a property call needs parentheses")
        .with_help(format!("write `.{n}(...)`; a property without arguments is still called: `.{n}()`"))
}

/// Lowers the `lambda_body` rule (a bare expression, as in handler `match:`).
pub(super) fn lambda_body(src: &str, mut pairs: Pairs<'_, Rule>) -> Result<Expr> {
    let body = pairs.next().and_then(|p| p.into_inner().next());
    let Some(binary) = body else {
        return Err(Diag::new(Code::Syntax, Span::new(0, src.len()), "expected an expression"));
    };
    limits::check_depth(&binary)?;
    Lowerer { src }.binary(binary, Mode::Nested)
}

/// Spans of tokens that may contain `//` without it being a comment.
fn literal_spans(script: &Pair<'_, Rule>) -> Vec<Span> {
    let is_literal = |p: &Pair<'_, Rule>| matches!(p.as_rule(), Rule::string | Rule::reference | Rule::regex);
    script.clone().into_inner().flatten().filter(is_literal).map(|p| span(&p)).collect()
}

fn span(pair: &Pair<'_, Rule>) -> Span {
    let s = pair.as_span();
    Span::new(s.start(), s.end())
}

fn ident(pair: Pair<'_, Rule>) -> Ident {
    Ident { name: pair.as_str().to_string(), span: span(&pair) }
}

struct Lowerer<'s> {
    src: &'s str,
}

impl Lowerer<'_> {
    fn statement(&self, pair: Pair<'_, Rule>) -> Result<Stmt> {
        match pair.as_rule() {
            Rule::var_decl => self.var_decl(pair),
            Rule::typed_var => Ok(typed_var(pair)),
            Rule::dbrp => Ok(dbrp(pair)),
            Rule::chain_expr => Ok(Stmt::Expr(self.chain_expr(pair, Mode::Top)?)),
            rule => unreachable!("{rule:?} in statement"),
        }
    }

    fn var_decl(&self, pair: Pair<'_, Rule>) -> Result<Stmt> {
        let start = pair.as_span().start();
        let mut inner = pair.into_inner().filter(|p| !matches!(p.as_rule(), Rule::kw_var | Rule::assign));
        let (Some(name), Some(value)) = (inner.next(), inner.next()) else {
            unreachable!("var_decl without name or value")
        };
        let value = self.expression(value)?;
        let span = Span::new(start, value.span.end);
        Ok(Stmt::Var { name: ident(name), value, span })
    }

    /// `lambda`, `list` or `chain_expr` in a full-expression position.
    fn expression(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        match pair.as_rule() {
            Rule::lambda => self.lambda(pair),
            Rule::list => self.list(pair),
            Rule::chain_expr => self.chain_expr(pair, Mode::Top),
            rule => unreachable!("{rule:?} in expression"),
        }
    }

    fn lambda(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let start = pair.as_span().start();
        let Some(body) = pair.into_inner().next() else { unreachable!("lambda without body") };
        self.check_after_keyword("lambda:", &body)?;
        let body = self.binary(body, Mode::Nested)?;
        let span = Span::new(start, body.span.end);
        Ok(Expr { kind: ExprKind::Lambda(Box::new(body)), span })
    }

    fn list(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let whole = span(&pair);
        let items = pair.into_inner().map(|item| self.primary(item, Mode::Nested)).collect::<Result<_>>()?;
        Ok(Expr { kind: ExprKind::List(items), span: whole })
    }

    fn chain_expr(&self, pair: Pair<'_, Rule>, mode: Mode) -> Result<Expr> {
        let mut inner = pair.into_inner();
        let Some(head) = inner.next() else { unreachable!("chain_expr without head") };
        let links: Vec<_> = inner.collect();
        let Some(first_link) = links.first() else {
            return self.binary(head, mode);
        };
        if mode == Mode::Nested || !is_chainable(&head) {
            return Err(bad_chain(first_link));
        }
        let head = self.binary(head, mode)?;
        let links = links.into_iter().map(|l| self.link(l)).collect::<Result<Vec<_>>>()?;
        let end = links.last().map_or(head.span.end, |l| l.span.end);
        let span = Span::new(head.span.start, end);
        Ok(Expr { kind: ExprKind::Chain { head: Box::new(head), links }, span })
    }

    fn link(&self, pair: Pair<'_, Rule>) -> Result<Link> {
        let op = match pair.as_rule() {
            Rule::pipe_link => LinkOp::Pipe,
            Rule::dot_link => LinkOp::Dot,
            Rule::at_link => LinkOp::At,
            rule => unreachable!("{rule:?} in link"),
        };
        let start = pair.as_span().start();
        let mut inner = pair.into_inner();
        let Some(name) = inner.next() else { unreachable!("link without name") };
        let name = ident(name);
        let (args, end) = match inner.next() {
            Some(a) => {
                let end = a.as_span().end();
                (Some(self.args(a, Mode::Top)?), end)
            }
            None => (None, name.span.end),
        };
        let has_parens = args.is_some();
        if op == LinkOp::Dot && !has_parens {
            return Err(no_parens(&name));
        }
        let args = args.unwrap_or_default();
        Ok(Link { op, name, args, has_parens, span: Span::new(start, end) })
    }

    /// Arguments of a method or call. In [`Mode::Nested`] (a call inside an
    /// expression) Kapacitor accepts plain expressions only.
    fn args(&self, pair: Pair<'_, Rule>, mode: Mode) -> Result<Vec<Expr>> {
        pair.into_inner()
            .map(|arg| match (mode, arg.as_rule()) {
                (Mode::Top, _) => self.expression(arg),
                (Mode::Nested, Rule::chain_expr) => self.chain_expr(arg, Mode::Nested),
                (Mode::Nested, _) => Err(nested_arg_error(&arg)),
            })
            .collect()
    }

    /// Operands and operators, folded with Kapacitor's precedence.
    fn binary(&self, pair: Pair<'_, Rule>, mode: Mode) -> Result<Expr> {
        self.check_operators(&pair)?;
        let mut first = mode == Mode::Top;
        PRATT
            .map_primary(|operand| {
                let operand_mode = if first { Mode::Top } else { Mode::Nested };
                first = false;
                self.operand(operand, operand_mode)
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let whole = lhs.span.to(rhs.span);
                let kind = ExprKind::Binary {
                    op: bin_op(op.as_rule()),
                    op_span: span(&op),
                    lhs: Box::new(lhs),
                    rhs: Box::new(rhs),
                    parens: false,
                };
                Ok(Expr { kind, span: whole })
            })
            .parse(pair.into_inner())
    }

    /// Unary operators (applied right to left) around one primary.
    fn operand(&self, pair: Pair<'_, Rule>, mode: Mode) -> Result<Expr> {
        let mut parts: Vec<_> = pair.into_inner().collect();
        let Some(primary) = parts.pop() else { unreachable!("operand without primary") };
        let mode = if parts.is_empty() { mode } else { Mode::Nested };
        let mut expr = self.primary(primary, mode)?;
        for op in parts.into_iter().rev() {
            let op_kind = if op.as_rule() == Rule::neg { UnaryOp::Neg } else { UnaryOp::Not };
            let span = Span::new(op.as_span().start(), expr.span.end);
            expr = Expr { kind: ExprKind::Unary { op: op_kind, expr: Box::new(expr) }, span };
        }
        Ok(expr)
    }

    fn primary(&self, pair: Pair<'_, Rule>, mode: Mode) -> Result<Expr> {
        let sp = span(&pair);
        let text = pair.as_str();
        let kind = match pair.as_rule() {
            Rule::paren => return self.paren(pair),
            Rule::call => return self.call(pair, mode),
            Rule::duration => ExprKind::Duration(literal::duration(text, sp)?),
            Rule::number if text.contains('.') => ExprKind::Float(literal::float(text, sp)?),
            Rule::number => ExprKind::Int(literal::int(text, sp)?),
            Rule::string => ExprKind::Str(literal::string(text)),
            Rule::boolean => ExprKind::Bool(text == "TRUE"),
            Rule::regex => ExprKind::Regex(literal::regex(text, sp)?),
            Rule::star => ExprKind::Star,
            Rule::reference => ExprKind::Ref(literal::reference(text)),
            Rule::ident => ExprKind::Ident(text.to_string()),
            rule => unreachable!("{rule:?} in primary"),
        };
        Ok(Expr { kind, span: sp })
    }

    /// `( binary )`: the expression gets the span of the parentheses, and a
    /// binary inside gets its `parens` flag.
    fn paren(&self, pair: Pair<'_, Rule>) -> Result<Expr> {
        let whole = span(&pair);
        let Some(inner) = pair.into_inner().next() else { unreachable!("empty paren") };
        let mut expr = self.binary(inner, Mode::Nested)?;
        if let ExprKind::Binary { parens, .. } = &mut expr.kind {
            *parens = true;
        }
        expr.span = whole;
        Ok(expr)
    }

    fn call(&self, pair: Pair<'_, Rule>, mode: Mode) -> Result<Expr> {
        let whole = span(&pair);
        let mut inner = pair.into_inner();
        let (Some(name), Some(args)) = (inner.next(), inner.next()) else { unreachable!("call parts") };
        let args = self.args(args, mode)?;
        Ok(Expr { kind: ExprKind::Call { name: ident(name), args }, span: whole })
    }
}

fn typed_var(pair: Pair<'_, Rule>) -> Stmt {
    let whole = span(&pair);
    let mut inner = pair.into_inner().filter(|p| p.as_rule() == Rule::ident);
    let (Some(name), Some(ty)) = (inner.next(), inner.next()) else { unreachable!("typed_var parts") };
    Stmt::TypedVar { name: ident(name), ty: ident(ty), span: whole }
}

fn dbrp(pair: Pair<'_, Rule>) -> Stmt {
    let whole = span(&pair);
    let mut refs = pair.into_inner().filter(|p| p.as_rule() == Rule::reference);
    let (Some(db), Some(rp)) = (refs.next(), refs.next()) else { unreachable!("dbrp parts") };
    let value = |p: Pair<'_, Rule>| (literal::reference(p.as_str()), span(&p));
    Stmt::Dbrp { db: value(db), rp: value(rp), span: whole }
}

fn bin_op(rule: Rule) -> BinOp {
    match rule {
        Rule::op_or => BinOp::Or,
        Rule::op_and => BinOp::And,
        Rule::op_eq => BinOp::Eq,
        Rule::op_ne => BinOp::Ne,
        Rule::op_regex_match => BinOp::RegexMatch,
        Rule::op_regex_not_match => BinOp::RegexNotMatch,
        Rule::op_lt => BinOp::Lt,
        Rule::op_le => BinOp::Le,
        Rule::op_gt => BinOp::Gt,
        Rule::op_ge => BinOp::Ge,
        Rule::op_add => BinOp::Add,
        Rule::op_sub => BinOp::Sub,
        Rule::op_mul => BinOp::Mul,
        Rule::op_div => BinOp::Div,
        Rule::op_mod => BinOp::Mod,
        rule => unreachable!("{rule:?} in bin_op"),
    }
}

/// True when a binary is one bare name or call, the only heads a chain accepts.
fn is_chainable(binary: &Pair<'_, Rule>) -> bool {
    let mut operands = binary.clone().into_inner();
    let (Some(operand), None) = (operands.next(), operands.next()) else { return false };
    let mut parts = operand.into_inner();
    match (parts.next(), parts.next()) {
        (Some(p), None) => matches!(p.as_rule(), Rule::ident | Rule::call),
        _ => false,
    }
}

fn bad_chain(link: &Pair<'_, Rule>) -> Diag {
    let op = &link.as_str()[..1];
    let at = link.as_span().start();
    Diag::new(Code::Syntax, Span::new(at, at + 1), format!("unexpected `{op}`: this expression cannot be chained"))
        .with_label("a chain must start from a name (`stream`, a variable) or a function call")
        .with_help("inside a lambda or after an operator, end the expression before chaining")
}

fn nested_arg_error(arg: &Pair<'_, Rule>) -> Diag {
    let at = arg.as_span().start();
    let what = if arg.as_rule() == Rule::lambda { "`lambda:`" } else { "a list" };
    Diag::new(Code::Syntax, Span::new(at, at + 1), format!("unexpected {what} in a function call inside an expression"))
        .with_label("only plain expressions are allowed here")
}

mod checks;
