//! Grammar-rule, AST-shape, literal, comment and span tests.

use super::grammar::{Rule, TickParser};
use super::{parse, parse_lambda_body};
use crate::ast::{BinOp, Expr, ExprKind, LinkOp, Stmt, UnaryOp};
use crate::span::Span;
use pest::Parser;

/// Asserts that `rule` matches the whole of `input` (Tera's `assert_lex_rule!`).
macro_rules! assert_rule {
    ($rule:expr, $input:expr) => {{
        let input: &str = $input;
        let pairs = TickParser::parse($rule, input)
            .unwrap_or_else(|e| panic!("{:?} failed on {input:?}: {e}", $rule));
        let end = pairs.last().map_or(0, |p| p.as_span().end());
        assert_eq!(end, input.len(), "{:?} did not consume all of {input:?}", $rule);
    }};
}

/// Asserts that `rule` does not match the whole of `input`.
macro_rules! refute_rule {
    ($rule:expr, $input:expr) => {{
        let input: &str = $input;
        let whole = TickParser::parse($rule, input)
            .map(|p| p.last().map_or(0, |p| p.as_span().end()) == input.len())
            .unwrap_or(false);
        assert!(!whole, "{:?} unexpectedly matched all of {input:?}", $rule);
    }};
}

/// A Lisp-like rendering of an expression, to assert tree shapes.
fn sexpr(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Int(i) => i.to_string(),
        ExprKind::Float(f) => format!("{f:?}"),
        ExprKind::Duration(ns) => format!("{ns}ns"),
        ExprKind::Str(s) => format!("'{s}'"),
        ExprKind::Bool(b) => b.to_string(),
        ExprKind::Regex(r) => format!("/{r}/"),
        ExprKind::Star => "*".to_string(),
        ExprKind::Ref(r) => format!("\"{r}\""),
        ExprKind::Ident(i) => i.clone(),
        ExprKind::List(items) => format!("[{}]", items.iter().map(sexpr).collect::<Vec<_>>().join(" ")),
        ExprKind::Lambda(body) => format!("(lambda {})", sexpr(body)),
        ExprKind::Unary { op, expr } => {
            format!("({} {})", if *op == UnaryOp::Neg { "-" } else { "!" }, sexpr(expr))
        }
        ExprKind::Binary { op, lhs, rhs, parens, .. } => {
            let p = if *parens { "p" } else { "" };
            format!("({}{p} {} {})", op.symbol(), sexpr(lhs), sexpr(rhs))
        }
        ExprKind::Call { name, args } => {
            format!("{}({})", name.name, args.iter().map(sexpr).collect::<Vec<_>>().join(" "))
        }
        ExprKind::Chain { head, links } => {
            let links: String = links
                .iter()
                .map(|l| {
                    let args = l.args.iter().map(sexpr).collect::<Vec<_>>().join(" ");
                    let parens = if l.has_parens { format!("({args})") } else { String::new() };
                    format!("{}{}{parens}", l.op.symbol(), l.name.name)
                })
                .collect();
            format!("{}{links}", sexpr(head))
        }
    }
}

fn body(src: &str) -> String {
    sexpr(&parse_lambda_body(src).unwrap_or_else(|d| panic!("{src:?}: {}", d.message)))
}

fn stmts(src: &str) -> Vec<Stmt> {
    parse(src).unwrap_or_else(|d| panic!("{src:?}: {}", d.message)).stmts
}

fn var_value(src: &str) -> String {
    match &stmts(src)[0] {
        Stmt::Var { value, .. } => sexpr(value),
        other => panic!("not a var: {other:?}"),
    }
}

// ---- rules consume their whole input --------------------------------------

#[test]
fn token_rules_consume_whole_input() {
    for s in ["x", "usage_idle", "été2", "lambdax", "TRUEx", "var_1", "µ"] {
        assert_rule!(Rule::ident, s);
    }
    for s in ["10s", "5ms", "1u", "1µ", "3m", "2h", "1d", "1w", "010s"] {
        assert_rule!(Rule::duration, s);
    }
    for s in ["0", "10", "010", ".5", "1.", "1.25"] {
        assert_rule!(Rule::number, s);
    }
    for s in ["'a'", "''", "'it\\'s'", "'a\\nb'", "'''raw 'x' ''y'''", "''''''"] {
        assert_rule!(Rule::string, s);
    }
    assert_rule!(Rule::reference, "\"usage idle.x\"");
    assert_rule!(Rule::reference, "\"a\\\"b\"");
    assert_rule!(Rule::regex, "/web\\/[0-9]+/");
    assert_rule!(Rule::boolean, "TRUE");
    assert_rule!(Rule::boolean, "FALSE");
    assert_rule!(Rule::star, "*");
}

#[test]
fn token_rules_reject_non_tokens() {
    for s in ["var", "AND", "OR", "TRUE", "dbrp", "_x", "1x", "lambda:"] {
        refute_rule!(Rule::ident, s);
    }
    for s in ["1ns", "1.5s", "1h30m", "5M"] {
        refute_rule!(Rule::duration, s);
    }
    for s in ["1.2.3", "1e5", "-1"] {
        refute_rule!(Rule::number, s);
    }
    for s in ["'\\\\'", "'abc", "'''abc''"] {
        refute_rule!(Rule::string, s);
    }
    refute_rule!(Rule::boolean, "true");
    refute_rule!(Rule::regex, "//");
}

#[test]
fn structural_rules_consume_whole_input() {
    assert_rule!(Rule::script, "stream|from().measurement('cpu')|alert().crit(lambda: \"v\" > 1)");
    assert_rule!(Rule::script, "var x = 5 var y int dbrp \"db\".\"rp\"");
    assert_rule!(Rule::script, "");
    assert_rule!(Rule::lambda_body, "\"host\" == 'a' AND level() == CRITICAL");
    assert_rule!(Rule::list, "[a, 'b', *,]");
    assert_rule!(Rule::list, "[]");
    assert_rule!(Rule::lambda, "lambda: 1 + 2");
    assert_rule!(Rule::args, "(1, lambda: x, [a], y|f(),)");
}

// ---- precedence --------------------------------------------------------------

#[test]
fn precedence_follows_kapacitor_levels() {
    assert_eq!(body("a OR b AND c"), "(OR a (AND b c))");
    assert_eq!(body("a AND b OR c"), "(OR (AND a b) c)");
    assert_eq!(body("a == b < c"), "(== a (< b c))");
    assert_eq!(body("1 < 2 + 3"), "(< 1 (+ 2 3))");
    assert_eq!(body("1 + 2 * 3 - 4 % 5"), "(- (+ 1 (* 2 3)) (% 4 5))");
    assert_eq!(body("\"h\" =~ /a/ AND \"x\" != 1"), "(AND (=~ \"h\" /a/) (!= \"x\" 1))");
}

#[test]
fn operators_are_left_associative() {
    assert_eq!(body("1 - 2 - 3"), "(- (- 1 2) 3)");
    assert_eq!(body("8 / 4 / 2"), "(/ (/ 8 4) 2)");
    assert_eq!(body("a OR b OR c"), "(OR (OR a b) c)");
    assert_eq!(body("1 < 2 < 3"), "(< (< 1 2) 3)");
}

#[test]
fn unary_binds_to_the_primary_only() {
    assert_eq!(body("!\"a\" == \"b\""), "(== (! \"a\") \"b\")");
    assert_eq!(body("-x * 2"), "(* (- x) 2)");
    assert_eq!(body("!!TRUE"), "(! (! true))");
    assert_eq!(body("!(\"v\" > 5)"), "(! (>p \"v\" 5))");
}

#[test]
fn parentheses_set_the_parens_flag() {
    assert_eq!(body("(1 + 2) * 3"), "(* (+p 1 2) 3)");
    assert_eq!(body("(x)"), "x");
}

#[test]
fn whitespace_and_newlines_are_insignificant() {
    assert_eq!(body("5\n-3"), "(- 5 3)");
    assert_eq!(body("10\n/ 2"), "(/ 10 2)");
    assert_eq!(var_value("var x =\n  sigma(\n \"v\" ,\n )\n"), "sigma(\"v\")");
}

// ---- literals ------------------------------------------------------------------

#[test]
fn numbers_follow_go_rules() {
    assert_eq!(var_value("var x = 010"), "8");
    assert_eq!(var_value("var x = 0"), "0");
    assert_eq!(var_value("var x = 9223372036854775807"), "9223372036854775807");
    assert_eq!(var_value("var x = .5"), "0.5");
    assert_eq!(var_value("var x = 1."), "1.0");
    assert_eq!(var_value("var x = 00.5"), "0.5");
}

#[test]
fn durations_have_one_unit() {
    let ns = |s: &str| var_value(&format!("var x = {s}"));
    assert_eq!(ns("10s"), "10000000000ns");
    assert_eq!(ns("5ms"), "5000000ns");
    assert_eq!(ns("3u"), "3000ns");
    assert_eq!(ns("3µ"), "3000ns");
    assert_eq!(ns("2m"), "120000000000ns");
    assert_eq!(ns("1h"), "3600000000000ns");
    assert_eq!(ns("1d"), "86400000000000ns");
    assert_eq!(ns("1w"), "604800000000000ns");
}

#[test]
fn single_quoted_strings_keep_backslashes_except_before_quote() {
    assert_eq!(var_value(r"var x = 'a\nb'"), r"'a\nb'");
    assert_eq!(var_value(r"var x = 'it\'s'"), "'it's'");
    assert_eq!(var_value(r"var x = 'a\\'b'"), r"'a\'b'");
    assert_eq!(var_value("var x = ''"), "''");
    assert_eq!(var_value("var x = 'two\nlines'"), "'two\nlines'");
}

#[test]
fn triple_quoted_strings_are_raw() {
    assert_eq!(var_value(r"var x = '''a 'b' ''c'' \'d'''"), r"'a 'b' ''c'' \'d'");
    assert_eq!(var_value("var x = ''''''"), "''");
}

#[test]
fn references_unescape_double_quotes_only() {
    assert_eq!(body(r#""a \"b\" \n""#), r#""a "b" \n""#);
    assert_eq!(body(r#""cpu usage.idle""#), r#""cpu usage.idle""#);
}

#[test]
fn regex_unescapes_slash_and_keeps_other_escapes() {
    assert_eq!(body(r#""h" =~ /^web\/\d+$/"#), r#"(=~ "h" /^web/\d+$/)"#);
    assert_eq!(var_value("var r = /a.*b/"), "/a.*b/");
}

#[test]
fn booleans_stars_and_lists() {
    assert_eq!(var_value("var x = TRUE"), "true");
    assert_eq!(var_value("var x = FALSE"), "false");
    assert_eq!(var_value("var x = [a, 'b', *,]"), "[a 'b' *]");
    assert_eq!(var_value("var x = []"), "[]");
    assert_eq!(body("count(*)"), "count(*)");
}

#[test]
fn lambda_only_with_a_colon_right_after() {
    assert_eq!(var_value("var f = lambda: \"v\" > 1"), "(lambda (> \"v\" 1))");
    assert_eq!(var_value("var lambda = 1"), "1");
    assert!(parse("var f = lambda : 1").is_err());
}

// ---- statements and chains --------------------------------------------------

#[test]
fn statements_split_where_kapacitor_splits_them() {
    let s = stmts("var x = 1h30m");
    assert_eq!(s.len(), 2);
    assert!(matches!(&s[0], Stmt::Var { value, .. } if value.kind == ExprKind::Duration(3_600_000_000_000)));
    assert!(matches!(&s[1], Stmt::Expr(e) if e.kind == ExprKind::Duration(1_800_000_000_000)));
    assert_eq!(stmts("var x = 1.5s").len(), 2);
    assert_eq!(stmts("var x = TRUE and FALSE").len(), 3);
    assert_eq!(stmts("var a = 1 var b = 2 stream|from()").len(), 3);
}

#[test]
fn chains_with_every_link_kind() {
    let src = "stream|from().measurement('cpu').groupBy(*)@myudf(1).flag()|alert().crit(lambda: \"v\" < 10)";
    let Stmt::Expr(e) = &stmts(src)[0] else { panic!() };
    assert_eq!(
        sexpr(e),
        "stream|from().measurement('cpu').groupBy(*)@myudf(1).flag()|alert().crit((lambda (< \"v\" 10)))"
    );
    let ExprKind::Chain { links, .. } = &e.kind else { panic!() };
    let ops: Vec<_> = links.iter().map(|l| l.op).collect();
    assert_eq!(ops[..4], [LinkOp::Pipe, LinkOp::Dot, LinkOp::Dot, LinkOp::At]);
    assert!(links[4].has_parens);
}

#[test]
fn method_arguments_are_full_expressions() {
    let src = "stream|eval(lambda: \"a\" * 2.0, lambda: \"b\").as('a2', 'b')|join(x|f(), [a])";
    let Stmt::Expr(e) = &stmts(src)[0] else { panic!() };
    assert!(sexpr(e).ends_with("|join(x|f() [a])"));
}

#[test]
fn global_call_at_statement_start() {
    assert_eq!(var_value("var x = f(lambda: y) + 1"), "(+ f((lambda y)) 1)");
    assert_eq!(var_value("var x = f(1)|g()"), "f(1)|g()");
    assert!(parse("var x = 1 + f(lambda: y)").is_err());
}

#[test]
fn var_typed_var_and_dbrp() {
    let s = stmts("var t float\ndbrp \"tele graf\".\"autogen\"\n");
    assert!(matches!(&s[0], Stmt::TypedVar { name, ty, .. } if name.name == "t" && ty.name == "float"));
    let Stmt::Dbrp { db, rp, .. } = &s[1] else { panic!() };
    assert_eq!((db.0.as_str(), rp.0.as_str()), ("tele graf", "autogen"));
}

// ---- comments ------------------------------------------------------------------

#[test]
fn comments_are_recorded_one_per_line() {
    let script = parse("// first\nstream // trailing\n  |from() // with 'quote\n").unwrap();
    let texts: Vec<_> = script.comments.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(texts, ["// first", "// trailing", "// with 'quote"]);
    assert_eq!(script.comments[1].0, Span::new(16, 27));
}

#[test]
fn slashes_inside_literals_are_not_comments() {
    let script = parse("stream|from().measurement('a//b').where(lambda: \"x//y\" =~ /c\\/\\/d/)").unwrap();
    assert!(script.comments.is_empty());
}

#[test]
fn line_starting_with_slash_after_comment_is_swallowed() {
    let src = "var x = 10 // note\n    / 2\nstream|from()\n";
    let script = parse(src).unwrap();
    assert!(matches!(&script.stmts[0], Stmt::Var { value, .. } if value.kind == ExprKind::Int(10)));
    assert_eq!(script.comments.len(), 2);
    assert_eq!(script.comments[1], (Span::new(23, 26), "/ 2".to_string()));
    // without the comment the same lines are a division
    assert_eq!(var_value("var x = 10\n    / 2\n"), "(/ 10 2)");
    // a blank line ends the comment block
    assert_eq!(parse("// a\n\n/ 2/\n").unwrap().comments.len(), 1);
}

// ---- spans -----------------------------------------------------------------------

#[test]
fn spans_are_exact_byte_ranges() {
    let src = "var x = 5\nstream|from()\n    .measurement('cpu')";
    let s = stmts(src);
    let Stmt::Var { name, value, span } = &s[0] else { panic!() };
    assert_eq!((name.span, value.span, *span), (Span::new(4, 5), Span::new(8, 9), Span::new(0, 9)));
    let Stmt::Expr(chain) = &s[1] else { panic!() };
    assert_eq!(chain.span, Span::new(10, src.len()));
    let ExprKind::Chain { head, links } = &chain.kind else { panic!() };
    assert_eq!(head.span, Span::new(10, 16));
    assert_eq!(links[0].span, Span::new(16, 23));
    assert_eq!(links[1].span, Span::new(28, src.len()));
    assert_eq!(links[1].name.span, Span::new(29, 40));
    assert_eq!(links[1].args[0].span, Span::new(41, 46));
}

#[test]
fn binary_spans_cover_operands_and_operator() {
    let e = parse_lambda_body("\"a\" < 10 AND (b)").unwrap();
    assert_eq!(e.span, Span::new(0, 16));
    let ExprKind::Binary { op, op_span, lhs, rhs, .. } = &e.kind else { panic!() };
    assert_eq!((*op, *op_span), (BinOp::And, Span::new(9, 12)));
    assert_eq!(lhs.span, Span::new(0, 8));
    assert_eq!(rhs.span, Span::new(13, 16));
    let p = parse_lambda_body("-(1 + 2)").unwrap();
    assert_eq!(p.span, Span::new(0, 8));
    let ExprKind::Unary { expr, .. } = &p.kind else { panic!() };
    assert_eq!(expr.span, Span::new(1, 8));
}
