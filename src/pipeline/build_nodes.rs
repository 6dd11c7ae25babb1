//! Building the window, InfluxQL, state-tracking, derivative and deadman stages.

use super::build::{alert_with, lambda, unsupported, AlertDefaults, BuildOptions, InlineHandler};
use super::nodes::deadman::DeadmanStage;
use super::nodes::derivative::DerivativeStage;
use super::nodes::influxql::multi::TopBottom;
use super::nodes::influxql::reduce::Reducer;
use super::nodes::influxql::transform::Transform;
use super::nodes::influxql::{InfluxqlStage, Method};
use super::nodes::state_tracking::{StateStage, TrackState, Tracker};
use super::nodes::window::{WindowSpec, WindowStage};
use super::nodes::PerGroup;
use super::Stage;
use crate::ast::{BinOp, Expr, ExprKind};
use crate::diagnostic::{Code, Diag};
use crate::program::{Arg, NodeSpec, Program};
use std::sync::Arc;

const SECOND: i64 = 1_000_000_000;

type Built1 = Result<Box<dyn Stage>, Vec<Diag>>;

/// The stage of a node this module builds, or None if it is not one of them.
pub(super) fn stage(node: &NodeSpec, program: &Program, opts: &BuildOptions, handlers: &mut Vec<InlineHandler>) -> Option<Built1> {
    Some(match node.def.name {
        "window" => window(node),
        "stateDuration" | "stateCount" => state(node),
        "derivative" => Ok(Box::new(derivative(node))),
        "deadman" => deadman(node, program, opts, handlers),
        name => influxql(node, name)?,
    })
}

fn duration(node: &NodeSpec, name: &str) -> Option<i64> {
    node.prop(name).and_then(|p| p.args.first()?.as_duration())
}

fn window(node: &NodeSpec) -> Built1 {
    let count = |name: &str| node.prop(name).and_then(|p| p.args.first()?.as_int()).unwrap_or(0).max(0) as usize;
    let spec = WindowSpec {
        period: duration(node, "period").unwrap_or(0),
        every: duration(node, "every").unwrap_or(0),
        align: node.flag("align"),
        fill_period: node.flag("fillPeriod"),
        period_count: count("periodCount"),
        every_count: count("everyCount"),
    };
    if spec.period == 0 && spec.period_count == 0 {
        let message = "window node must have either a non zero period or non zero period count";
        return Err(vec![Diag::new(Code::Unsupported, node.span, message.to_string())]);
    }
    Ok(Box::new(WindowStage::new(spec)))
}

fn influxql(node: &NodeSpec, name: &str) -> Option<Built1> {
    let args = &node.args;
    let int_arg = |i: usize| args.get(i).and_then(Arg::as_int).unwrap_or(0);
    let (method, field_at) = match name {
        "count" => (Method::Reduce(Reducer::Count), 0),
        "sum" => (Method::Reduce(Reducer::Sum), 0),
        "mean" => (Method::Reduce(Reducer::Mean), 0),
        "median" => (Method::Reduce(Reducer::Median), 0),
        "mode" => (Method::Reduce(Reducer::Mode), 0),
        "spread" => (Method::Reduce(Reducer::Spread), 0),
        "stddev" => (Method::Reduce(Reducer::Stddev), 0),
        "first" => (Method::Reduce(Reducer::First), 0),
        "last" => (Method::Reduce(Reducer::Last), 0),
        "min" => (Method::Reduce(Reducer::Min), 0),
        "max" => (Method::Reduce(Reducer::Max), 0),
        "percentile" => (Method::Reduce(Reducer::Percentile(args.get(1).and_then(Arg::as_float).unwrap_or(0.0))), 0),
        "distinct" => (Method::Distinct, 0),
        "top" | "bottom" => {
            let by = args.iter().skip(2).filter_map(Arg::as_str).map(String::from).collect();
            (Method::TopBottom(TopBottom { top: name == "top", n: int_arg(0).max(0) as usize, by }), 1)
        }
        "elapsed" => (Method::Transform(Transform::Elapsed(args.get(1).and_then(Arg::as_duration).unwrap_or(SECOND))), 0),
        "difference" => (Method::Transform(Transform::Difference), 0),
        "movingAverage" => (Method::Transform(Transform::MovingAverage(int_arg(1).max(1) as usize)), 0),
        "cumulativeSum" => (Method::Transform(Transform::CumulativeSum), 0),
        _ => return None,
    };
    let field: Arc<str> = args.get(field_at).and_then(Arg::as_str).unwrap_or("").into();
    let as_name: Arc<str> = node.prop("as").and_then(|p| p.args.first()?.as_str()).unwrap_or(node.def.name).into();
    let stage = InfluxqlStage::new(node.def.name, method, field, as_name, node.flag("usePointTimes"));
    Some(Ok(Box::new(stage)))
}

fn state(node: &NodeSpec) -> Built1 {
    let predicate = lambda(node.args.first(), node)?;
    let (tracker, default_as) = if node.def.name == "stateDuration" {
        (Tracker::Duration(duration(node, "unit").unwrap_or(SECOND)), "state_duration")
    } else {
        (Tracker::Count, "state_count")
    };
    let as_name = node.prop("as").and_then(|p| p.args.first()?.as_str()).unwrap_or(default_as).to_string();
    Ok(Box::new(StateStage { tracker, as_name, groups: PerGroup::new(TrackState::new(predicate)) }))
}

fn derivative(node: &NodeSpec) -> DerivativeStage {
    let field = node.args.first().and_then(Arg::as_str).unwrap_or("").to_string();
    let as_name = node.prop("as").and_then(|p| p.args.first()?.as_str()).unwrap_or(&field).to_string();
    DerivativeStage::new(field, as_name, duration(node, "unit").unwrap_or(SECOND), node.flag("nonNegative"))
}

/// `"emitted" <= threshold AND extra...`, the deadman's crit expression.
fn deadman_crit(node: &NodeSpec, threshold: f64) -> Result<Expr, Vec<Diag>> {
    let at = |kind| Expr { kind, span: node.span };
    let mut crit = at(ExprKind::Binary {
        op: BinOp::Le,
        op_span: node.span,
        lhs: Box::new(at(ExprKind::Ref("emitted".into()))),
        rhs: Box::new(at(ExprKind::Float(threshold))),
        parens: false,
    });
    for extra in node.args.iter().skip(2) {
        let Arg::Lambda(body) = extra else {
            return Err(vec![unsupported(node.span, "a deadman argument that is not a lambda")]);
        };
        crit = at(ExprKind::Binary { op: BinOp::And, op_span: node.span, lhs: Box::new(crit), rhs: Box::new(body.clone()), parens: false });
    }
    Ok(crit)
}

fn deadman(node: &NodeSpec, program: &Program, opts: &BuildOptions, handlers: &mut Vec<InlineHandler>) -> Built1 {
    let threshold = node.args.first().and_then(Arg::as_float).unwrap_or(0.0);
    let interval = node.args.get(1).and_then(Arg::as_duration).unwrap_or(SECOND).max(1);
    let crit = lambda(Some(&Arg::Lambda(deadman_crit(node, threshold)?)), node)?;
    let parent = node.parents.first().and_then(|&p| program.nodes.get(p)).map_or("", |n| n.name.as_str());
    let defaults = AlertDefaults {
        id: format!("node '{parent}' in task '{{{{ .TaskName }}}}'"),
        message: format!(
            "{{{{ .ID }}}} is {{{{ if eq .Level \"OK\" }}}}alive{{{{ else }}}}dead{{{{ end }}}}: {{{{ index .Fields \"emitted\" | printf \"%0.3f\" }}}} points/{}.",
            crate::gofmt::duration_string(interval)
        ),
        crit: Some(crit),
    };
    let alert = alert_with(node, opts, handlers, &defaults)?;
    Ok(Box::new(DeadmanStage::new(interval, alert)))
}
