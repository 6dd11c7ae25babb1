//! Lints: warnings with kebab-case names, suppressible with `--allow` or `// tick:allow NAME`.

use crate::ast::{BinOp, Expr, ExprKind, Script, Stmt};
use crate::diagnostic::{Code, Diag};
use crate::program::{Arg, Program};
use super::fields::Upstream;

/// Properties that hold one value: setting them twice drops the first call.
const SINGLE_VALUED: &[&str] = &[
    "measurement", "database", "retentionPolicy", "period", "every", "periodCount", "everyCount",
    "id", "message", "details", "history", "flapping", "crit", "warn", "info", "critReset",
    "warnReset", "infoReset", "stateChangesOnly", "topic", "levelTag", "levelField", "idTag",
    "idField", "messageField", "durationField", "truncate", "round", "as", "unit", "category",
];

/// All lints over the script and its program (unused vars are found by the
/// walker). `unknown_props` are nodes with an unknown property, already reported.
pub fn lints(script: &Script, source: &str, program: &Program, unknown_props: &[usize]) -> Vec<Diag> {
    let mut diags = Vec::new();
    alert_without_handler(program, unknown_props, &mut diags);
    duplicate_properties(program, &mut diags);
    for node in &program.nodes {
        let lambdas = node.args.iter().chain(node.props.iter().flat_map(|p| p.args.iter()));
        let mut upstream = None;
        for arg in lambdas {
            if let Arg::Lambda(body) = arg {
                let upstream = upstream.get_or_insert_with(|| Upstream::of(program, node));
                reference_comparisons(body, upstream, &mut diags);
            }
        }
    }
    split_statements(script, &mut diags);
    swallowed_lines(script, source, &mut diags);
    diags
}

fn alert_without_handler(program: &Program, unknown_props: &[usize], diags: &mut Vec<Diag>) {
    // An unknown property of an alert is most likely a handler: it is reported already.
    for node in program.nodes.iter().filter(|n| n.def.name == "alert" && !unknown_props.contains(&n.id)) {
        let handled = node.props.iter().any(|p| p.is_handler || p.name == "topic");
        if !handled && program.children(node.id).next().is_none() {
            diags.push(
                Diag::new(Code::AlertWithoutHandler, node.span, "this alert sends its events nowhere")
                    .with_label("alert without a handler")
                    .with_help("add a handler such as .exec('/path/prog'), .log('/var/log/alerts.log') or .topic('name')"),
            );
        }
    }
}

fn duplicate_properties(program: &Program, diags: &mut Vec<Diag>) {
    for node in &program.nodes {
        for (i, call) in node.props.iter().enumerate() {
            if !SINGLE_VALUED.contains(&call.name) {
                continue;
            }
            let earlier = node.props[..i].iter().rev().find(|p| p.name == call.name && p.handler == call.handler);
            if let Some(first) = earlier {
                diags.push(
                    Diag::new(Code::DuplicateProperty, call.span, format!("`.{}()` is set twice; this call replaces the first", call.name))
                        .with_related(first.span, "first set here, with no effect"),
                );
            }
        }
    }
}

fn reference_comparisons(expr: &Expr, upstream: &Upstream, diags: &mut Vec<Diag>) {
    match &expr.kind {
        ExprKind::Binary { op, op_span, lhs, rhs, .. } => {
            let refs = (op, &lhs.kind, &rhs.kind);
            // Two fields known to exist upstream (after a join, say): comparing them is the point.
            if let (BinOp::Eq | BinOp::Ne, ExprKind::Ref(l), ExprKind::Ref(r)) = refs {
                if !(upstream.has(l) && upstream.has(r)) {
                    diags.push(
                        Diag::new(Code::RefComparison, *op_span, "both sides are field or tag references")
                            .with_related(rhs.span, "a reference, not a string")
                            .with_help(format!("to compare with the string, use single quotes: '{r}'")),
                    );
                }
            }
            reference_comparisons(lhs, upstream, diags);
            reference_comparisons(rhs, upstream, diags);
        }
        ExprKind::Unary { expr, .. } | ExprKind::Lambda(expr) => reference_comparisons(expr, upstream, diags),
        ExprKind::Call { args, .. } => args.iter().for_each(|a| reference_comparisons(a, upstream, diags)),
        _ => {}
    }
}

fn split_statements(script: &Script, diags: &mut Vec<Diag>) {
    let mut previous_end = None;
    for stmt in &script.stmts {
        if let Stmt::Expr(expr) = stmt {
            if is_inert(expr) {
                let glued = previous_end == Some(expr.span.start);
                let message = if glued {
                    "this is read as a separate statement that does nothing"
                } else {
                    "this statement does nothing"
                };
                let help = if glued {
                    "Kapacitor splits `1h30m` into `1h` and `30m`: write a single unit such as `90m`"
                } else {
                    "remove it"
                };
                diags.push(Diag::new(Code::SplitStatement, expr.span, message).with_help(help));
            }
        }
        previous_end = Some(stmt.span().end);
    }
}

fn is_inert(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Chain { .. } | ExprKind::Call { .. } => false,
        // A bare `stream` is reported as a task that does nothing (E212).
        ExprKind::Ident(name) => name != "stream" && name != "batch",
        _ => true,
    }
}

fn swallowed_lines(script: &Script, source: &str, diags: &mut Vec<Diag>) {
    for (span, _) in &script.comments {
        let text = source.get(span.start..span.end).unwrap_or("");
        if !text.starts_with("//") {
            diags.push(
                Diag::new(Code::SwallowedLine, *span, "this line is part of the comment above it")
                    .with_help("Kapacitor treats a line starting with `/` after a `//` line as comment; move it or add a blank line"),
            );
        }
    }
}
