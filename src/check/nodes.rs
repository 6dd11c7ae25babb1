//! Per-node rules that need several properties at once (windows, eval, groupBy, alert templates).

use crate::diagnostic::{Code, Diag};
use crate::program::{Arg, NodeSpec, Program, PropCall};
use crate::span::Span;
use crate::template::{Flavor, Template};

/// Template data available to `.id()`.
pub const ID_FIELDS: &[&str] = &["Name", "TaskName", "Group", "Tags", "ServerInfo"];
/// Template data available to `.message()`.
pub const MESSAGE_FIELDS: &[&str] =
    &["Name", "TaskName", "Group", "Tags", "ServerInfo", "ID", "Fields", "Level", "Time", "Duration"];
/// Template data available to `.details()`.
pub const DETAILS_FIELDS: &[&str] =
    &["Name", "TaskName", "Group", "Tags", "ServerInfo", "ID", "Fields", "Level", "Time", "Duration", "Message"];

/// Every multi-property rule of every node.
pub fn validate(program: &Program, source: &str) -> Vec<Diag> {
    let mut diags = Vec::new();
    if program.nodes.len() == 1 && program.udfs.is_empty() {
        diags.push(
            Diag::new(Code::NothingToDo, program.nodes[0].span, "the task does nothing: nothing is chained to its source")
                .with_help("chain nodes to it, e.g. `stream|from().measurement('cpu')|alert()...`"),
        );
    }
    for node in &program.nodes {
        match node.def.name {
            "window" => window(node, &mut diags),
            "eval" => eval(node, &mut diags),
            "alert" => alert_templates(node, source, &mut diags),
            _ => {}
        }
        group_by(node, &mut diags);
    }
    diags
}

fn window(node: &NodeSpec, diags: &mut Vec<Diag>) {
    let period = node.prop("period");
    let period_count = node.prop("periodCount");
    if let (Some(p), Some(c)) = (period, period_count) {
        diags.push(
            Diag::new(Code::ConflictingProperties, c.span, "a window cannot have both `.period()` and `.periodCount()`")
                .with_related(p.span, "period set here")
                .with_help("window by time (.period/.every) or by count (.periodCount/.everyCount), not both"),
        );
    }
    if period.is_none() && period_count.is_none() {
        diags.push(
            Diag::new(Code::MissingProperty, node.span, "the window has neither `.period()` nor `.periodCount()`")
                .with_label("this window never emits")
                .with_help("add e.g. `.period(10s).every(10s)`"),
        );
    }
    if let (Some(a), None) = (node.prop("align"), period) {
        diags.push(Diag::new(Code::ConflictingProperties, a.span, "only time windows can be aligned, not count windows"));
    }
    if period.is_some() && node.prop("every").is_none() && node.prop("everyCount").is_none() {
        // Kapacitor allows a zero `every`: the window is emitted on every point. Nothing to report.
    }
}

fn eval(node: &NodeSpec, diags: &mut Vec<Diag>) {
    let lambdas = node.args.len();
    let as_call = node.prop("as");
    let names = as_call.map_or(0, |p| p.args.len());
    if names != lambdas {
        let span = as_call.map_or(node.span, |p| p.span);
        diags.push(
            Diag::new(
                Code::AsCountMismatch,
                span,
                format!("eval has {lambdas} expression(s) but {names} `.as()` name(s)"),
            )
            .with_help("give one `.as('name')` per lambda, in the same order"),
        );
    }
    if let (Some(tags), Some(as_call)) = (node.prop("tags"), as_call) {
        let names: Vec<&str> = as_call.args.iter().filter_map(Arg::as_str).collect();
        for (arg, span) in tags.args.iter().zip(&tags.arg_spans) {
            if let Some(tag) = arg.as_str().filter(|t| !names.contains(t)) {
                diags.push(Diag::new(Code::BadDimension, *span, format!("`{tag}` is not one of the `.as()` names")));
            }
        }
    }
}

fn group_by(node: &NodeSpec, diags: &mut Vec<Diag>) {
    let calls: Vec<(&[Arg], &[Span], Span)> = if node.def.name == "groupBy" {
        vec![(&node.args[..], &node.arg_spans[..], node.span)]
    } else {
        node.props_named("groupBy").map(|p| (&p.args[..], &p.arg_spans[..], p.span)).collect()
    };
    for (args, spans, span) in calls {
        let star = args.iter().any(|a| matches!(a, Arg::Star));
        // `query().groupBy(time(1m), *)` is valid: QueryNode stores its dimensions unvalidated.
        if star && args.len() > 1 && node.def.name != "query" {
            diags.push(
                Diag::new(Code::BadDimension, span, "cannot group by both `*` and named tags")
                    .with_help("use `*` alone (optionally with `.exclude(...)`), or list the tags"),
            );
        }
        for (arg, s) in args.iter().zip(spans) {
            if arg.as_str() == Some("") {
                diags.push(Diag::new(Code::BadDimension, *s, "a group-by dimension cannot be the empty string"));
            }
        }
        let excluded = node.def.name == "groupBy" && node.prop("exclude").is_some();
        if excluded && !star {
            let at = node.prop("exclude").map_or(span, |p| p.span);
            diags.push(Diag::new(Code::BadDimension, at, "`.exclude()` needs `groupBy(*)`"));
        }
    }
}

fn alert_templates(node: &NodeSpec, source: &str, diags: &mut Vec<Diag>) {
    for (name, flavor, fields) in [
        ("id", Flavor::Text, ID_FIELDS),
        ("message", Flavor::Text, MESSAGE_FIELDS),
        ("details", Flavor::Html, DETAILS_FIELDS),
    ] {
        if let Some(call) = node.prop(name) {
            template(call, source, flavor, fields, diags);
        }
    }
}

fn template(call: &PropCall, source: &str, flavor: Flavor, fields: &[&str], diags: &mut Vec<Diag>) {
    let (Some(text), Some(span)) = (call.args.first().and_then(Arg::as_str), call.arg_spans.first()) else {
        return;
    };
    let raw = source.get(span.start..span.end).unwrap_or("");
    if let Some(prec) = crate::template::printf::precision_beyond_limit(text) {
        let limit = crate::template::printf::MAX_FLOAT_PRECISION;
        diags.push(
            Diag::new(Code::TemplateSyntax, *span, format!("printf precision {prec} is larger than tick can format ({limit})"))
                .with_label("this template")
                .with_help(format!("use a float precision of at most {limit} digits, e.g. %.2f")),
        );
    }
    let errors = match Template::parse(text, flavor) {
        Ok(t) => t.check_fields(fields).into_iter().map(|e| (Code::TemplateField, e)).collect(),
        Err(e) => {
            let code = if e.message.contains("not defined") { Code::TemplateFunction } else { Code::TemplateSyntax };
            vec![(code, e)]
        }
    };
    for (code, err) in errors {
        let start = span.start + literal_offset(raw, err.span.start);
        let end = span.start + literal_offset(raw, err.span.end).max(literal_offset(raw, err.span.start) + 1);
        let help = match code {
            Code::TemplateField => format!("available here: {}", fields.join(", ")),
            Code::TemplateFunction => "Kapacitor 1.5.7 templates have Go's builtins, plus `json` in .details()".into(),
            _ => "see https://pkg.go.dev/text/template for the syntax".into(),
        };
        diags.push(Diag::new(code, Span::new(start, end.min(span.end)), err.message).with_help(help));
    }
}

/// Byte offset in the raw literal (`'...'` or `'''...'''`) of byte `offset` of its value.
fn literal_offset(raw: &str, offset: usize) -> usize {
    if let Some(inner) = raw.strip_prefix("'''") {
        return 3 + offset.min(inner.len());
    }
    let mut value_pos = 0;
    let mut chars = raw.char_indices().skip(1).peekable();
    while let Some((i, c)) = chars.next() {
        if value_pos >= offset {
            return i;
        }
        if c == '\\' && chars.peek().is_some_and(|(_, n)| *n == '\'') {
            chars.next();
            value_pos += 1;
            continue;
        }
        value_pos += c.len_utf8();
    }
    raw.len().saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::literal_offset;

    #[test]
    fn offsets_skip_quotes_and_escapes() {
        assert_eq!(literal_offset("'abc'", 0), 1);
        assert_eq!(literal_offset("'abc'", 2), 3);
        assert_eq!(literal_offset("'a\\'bc'", 2), 4);
        assert_eq!(literal_offset("'''abc'''", 1), 4);
    }
}
