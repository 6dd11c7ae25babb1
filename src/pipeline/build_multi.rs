//! Building the stages of the nodes that combine streams or points: join, union, combine, flatten.

use super::build::lambda;
use super::nodes::combine::{CombineSpec, CombineStage};
use super::nodes::flatten::{FlattenSpec, FlattenStage};
use super::nodes::join::{JoinSpec, JoinStage};
use super::nodes::join_set::Fill;
use super::nodes::union::UnionStage;
use super::Stage;
use crate::diagnostic::{Code, Diag};
use crate::program::{Arg, NodeSpec};
use crate::value::Value;
use std::sync::Arc;

type Built1 = Result<Box<dyn Stage>, Vec<Diag>>;

/// The stage of a node this module builds, or None if it is not one of them.
pub(super) fn stage(node: &NodeSpec) -> Option<Built1> {
    Some(match node.def.name {
        "join" => prefixes(node, node.parents.len(), "joined streams").map(|()| Box::new(JoinStage::new(join(node), node.parents.len())) as Box<dyn Stage>),
        "union" => Ok(Box::new(UnionStage::new(node.parents.len(), text(node, "rename").map(Arc::from)))),
        "flatten" => Ok(Box::new(FlattenStage::new(flatten(node)))),
        "combine" => prefixes(node, node.args.len(), "combine expressions").and_then(|()| combine(node)),
        _ => return None,
    })
}

/// Kapacitor's define-time checks of `.as()`: one distinct, non-empty prefix per input.
fn prefixes(node: &NodeSpec, want: usize, what: &str) -> Result<(), Vec<Diag>> {
    let as_names = names(node, "as");
    let delimiter = text(node, "delimiter").unwrap_or(".");
    let err = |code, msg: String| Err(vec![Diag::new(code, node.span, msg)]);
    if as_names.is_empty() {
        return err(Code::MissingProperty, format!("a call to {}.as() is required to specify the output stream prefixes.", node.def.name));
    }
    if as_names.len() != want {
        return err(Code::AsCountMismatch, format!("number of prefixes specified by {}.as() must match the number of {what}", node.def.name));
    }
    for (i, name) in as_names.iter().enumerate() {
        if name.is_empty() || (!delimiter.is_empty() && name.contains(delimiter)) || as_names[..i].contains(name) {
            return err(Code::AsCountMismatch, format!("cannot use name {name} as field prefix: each .as() name must be distinct, non-empty and free of the delimiter {delimiter:?}"));
        }
    }
    Ok(())
}

/// The last string argument of property `name`.
fn text<'a>(node: &'a NodeSpec, name: &str) -> Option<&'a str> {
    node.prop(name).and_then(|p| p.args.first()?.as_str())
}

/// Every string argument of the last call of property `name`.
fn names(node: &NodeSpec, name: &str) -> Vec<Arc<str>> {
    node.prop(name).map(|p| p.args.iter().filter_map(Arg::as_str).map(Arc::from).collect()).unwrap_or_default()
}

fn duration(node: &NodeSpec, name: &str) -> i64 {
    node.prop(name).and_then(|p| p.args.first()?.as_duration()).unwrap_or(0)
}

fn join(node: &NodeSpec) -> JoinSpec {
    let fill = match node.prop("fill").and_then(|p| p.args.first()) {
        Some(Arg::Value(Value::Str(s))) if &**s == "null" => Fill::Null,
        Some(Arg::Value(Value::Int(i))) => Fill::Int(*i),
        Some(Arg::Value(Value::Float(f))) => Fill::Float(*f),
        _ => Fill::None,
    };
    JoinSpec {
        names: names(node, "as"),
        on: names(node, "on"),
        delimiter: text(node, "delimiter").unwrap_or(".").to_string(),
        stream_name: text(node, "streamName").filter(|s| !s.is_empty()).map(Arc::from),
        tolerance: duration(node, "tolerance"),
        fill,
    }
}

fn flatten(node: &NodeSpec) -> FlattenSpec {
    let drop = node.prop("dropOriginalFieldName").is_some_and(|p| !matches!(p.args.first(), Some(Arg::Value(Value::Bool(false)))));
    FlattenSpec {
        on: names(node, "on"),
        delimiter: text(node, "delimiter").unwrap_or(".").to_string(),
        tolerance: duration(node, "tolerance"),
        drop_original_field_name: drop,
    }
}

fn combine(node: &NodeSpec) -> Built1 {
    let lambdas = node.args.iter().map(|a| lambda(Some(a), node)).collect::<Result<Vec<_>, _>>()?;
    let spec = CombineSpec {
        names: names(node, "as"),
        delimiter: text(node, "delimiter").unwrap_or(".").to_string(),
        tolerance: duration(node, "tolerance"),
        max: node.prop("max").and_then(|p| p.args.first()?.as_int()).unwrap_or(1_000_000),
    };
    Ok(Box::new(CombineStage::new(spec, lambdas)))
}
