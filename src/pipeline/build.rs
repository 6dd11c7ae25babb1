//! From a checked [`Program`] to a runnable [`Pipeline`]; refuses what `tick run` does not implement.

use super::alert_node::{AlertStage, Annotations, RunInfo};
use super::nodes::{DefaultStage, DeleteStage, EvalStage, FromStage, GroupByStage, LogStage, PassStage, PerGroup, WhereStage};
use super::nodes::eval::Keep;
use super::{multi_parent, Ctx, Dims, NodeStats, Pipeline, Stage};
use crate::alert::{anonymous_topic, AlertConfig};
use crate::diagnostic::{Code, Diag};
use crate::eval::{CompileOptions, Lambda};
use crate::handler::{ExecSpec, HandlerAction};
use crate::program::{Arg, NodeSpec, Program};
use crate::template::{Flavor, Template};
use crate::value::FieldValue;
use std::sync::Arc;
use std::time::Duration;

/// A handler declared inline in the script (`.exec()`, `.log()`, ...).
#[derive(Debug, Clone)]
pub struct InlineHandler {
    /// The topic it listens to (the alert node's anonymous topic).
    pub topic: Arc<str>,
    /// A readable name: `alert2.exec[0]`.
    pub name: String,
    /// What it does.
    pub action: HandlerAction,
}

/// A pipeline plus the inline handlers its alert nodes feed.
pub struct Built {
    /// The pipeline.
    pub pipeline: Pipeline,
    /// Inline handlers to register.
    pub handlers: Vec<InlineHandler>,
}

/// Options that shape the runtime but not the script.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Templates' run facts.
    pub info: Arc<RunInfo>,
    /// The database and retention policy the input belongs to, when known.
    pub dbrp: Option<(String, String)>,
    /// Timeout of every exec handler.
    pub exec_timeout: Duration,
}

/// Builds the pipeline, or explains every node and handler `tick run` cannot run.
pub fn build(program: &Program, opts: &BuildOptions) -> Result<Built, Vec<Diag>> {
    let mut diags = Vec::new();
    let mut stages: Vec<Box<dyn Stage>> = Vec::new();
    let mut handlers = Vec::new();
    diags.extend(template_values(program));
    for (name, span) in &program.udfs {
        diags.push(unsupported(*span, &format!("the user-defined function `@{name}()`")));
    }
    for node in &program.nodes {
        match stage(node, program, opts, &mut handlers) {
            Ok(stage) => stages.push(stage),
            Err(mut d) => {
                diags.append(&mut d);
                stages.push(Box::new(PassStage));
            }
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let children: Vec<Vec<usize>> = (0..program.nodes.len()).map(|id| program.children(id).map(|c| c.id).collect()).collect();
    let sources = multi_parent::sources(program, &children);
    let multi = program.nodes.iter().map(|n| n.parents.len() > 1).collect();
    trim_batched_fields(&mut stages, &children);
    let stats = program.nodes.iter().map(|n| NodeStats { name: n.name.clone(), ..NodeStats::default() }).collect();
    let clocked = (0..stages.len()).filter(|&i| stages[i].has_clock()).collect();
    let root_passes = program.nodes.first().is_some_and(|n| n.def.name == "stream");
    let pipeline = Pipeline { stages, children, sources, multi, stats, root_dims: Some(Arc::new(Dims::default())), clocked, wall_clock: false, root_passes, ctx: Ctx::default() };
    Ok(Built { pipeline, handlers })
}

/// Template variables (`var x duration` with no value) cannot run.
fn template_values(program: &Program) -> Vec<Diag> {
    let node_args = program.nodes.iter().flat_map(|n| n.args.iter().zip(&n.arg_spans));
    let prop_args = program.nodes.iter().flat_map(|n| n.props.iter().flat_map(|p| p.args.iter().zip(&p.arg_spans)));
    node_args
        .chain(prop_args)
        .filter(|(arg, _)| matches!(arg, Arg::Template))
        .map(|(_, span)| {
            Diag::new(Code::MissingVarValue, *span, "this template variable has no value, so the task cannot run")
                .with_help("template tasks get their values from `kapacitor define -template ... -vars`; give the var a value to run it here")
        })
        .collect()
}

/// Lets every batching node whose children all read a single known field store only those fields.
fn trim_batched_fields(stages: &mut [Box<dyn Stage>], children: &[Vec<usize>]) {
    for (node, kids) in children.iter().enumerate() {
        let fields: Option<Vec<Arc<str>>> = kids.iter().map(|&c| stages[c].reads_only_field()).collect();
        if let Some(fields) = fields.filter(|f| !f.is_empty()) {
            stages[node].keep_only_fields(fields);
        }
    }
}

pub(super) fn unsupported(span: crate::span::Span, what: &str) -> Diag {
    Diag::new(Code::Unsupported, span, format!("{what} is not supported by `tick run`"))
        .with_help("`tick check` accepts it; `tick run` runs stream, from, where, eval, default, delete, log, groupBy, window, join, union, combine, flatten, the InfluxQL functions, derivative, stateDuration, stateCount, deadman and alert with exec, log, tcp, post and topic handlers")
}

type Built1 = Result<Box<dyn Stage>, Vec<Diag>>;

fn stage(node: &NodeSpec, program: &Program, opts: &BuildOptions, handlers: &mut Vec<InlineHandler>) -> Built1 {
    Ok(match node.def.name {
        "stream" => Box::new(PassStage),
        "from" => Box::new(from(node, opts)?),
        "where" => Box::new(WhereStage { lambda: PerGroup::new(lambda(node.args.first(), node)?) }),
        "eval" => Box::new(eval(node)?),
        "default" => Box::new(default(node)),
        "delete" => Box::new(DeleteStage { fields: strings(node, "field"), tags: strings(node, "tag") }),
        "log" => Box::new(LogStage {
            level: node.prop("level").and_then(|p| p.args[0].as_str()).unwrap_or("INFO").to_string(),
            prefix: node.prop("prefix").and_then(|p| p.args[0].as_str()).unwrap_or("").to_string(),
        }),
        "groupBy" => Box::new(GroupByStage::new(Arc::new(dims(&node.args, node.flag("byMeasurement"), node)))),
        "alert" => Box::new(alert(node, opts, handlers)?),
        "batch" => return Err(vec![unsupported(node.span, "a batch task (it queries InfluxDB)")]),
        // Reported once above, from `program.udfs`.
        "udf" => return Err(vec![]),
        other => match super::build_nodes::stage(node, program, opts, handlers).or_else(|| super::build_multi::stage(node)) {
            Some(built) => return built,
            None => return Err(vec![unsupported(node.span, &format!("the `{other}` node"))]),
        },
    })
}

pub(super) fn lambda(arg: Option<&Arg>, node: &NodeSpec) -> Result<Lambda, Vec<Diag>> {
    match arg {
        Some(Arg::Lambda(body)) => Lambda::compile(body, &CompileOptions::default()),
        _ => Err(vec![unsupported(node.span, "a template lambda without a value")]),
    }
}

fn from(node: &NodeSpec, opts: &BuildOptions) -> Result<FromStage, Vec<Diag>> {
    let text = |name: &str| node.prop(name).and_then(|p| p.args[0].as_str()).unwrap_or("").to_string();
    let duration = |name: &str| node.prop(name).and_then(|p| p.args[0].as_duration()).unwrap_or(0);
    let wheres = node.props_named("where").map(|p| lambda(p.args.first(), node)).collect::<Result<_, _>>()?;
    let group = node.prop("groupBy").map(|p| Arc::new(dims(&p.args, node.flag("groupByMeasurement"), node)));
    let group = group.or_else(|| node.flag("groupByMeasurement").then(|| Arc::new(Dims { by_name: true, ..Dims::default() })));
    Ok(FromStage {
        database: text("database"),
        retention_policy: text("retentionPolicy"),
        measurement: text("measurement"),
        point_dbrp: opts.dbrp.clone(),
        wheres,
        truncate: duration("truncate"),
        round: duration("round"),
        dims: group,
        matched_name: None,
    })
}

fn dims(args: &[Arg], by_name: bool, node: &NodeSpec) -> Dims {
    let all = args.iter().any(|a| matches!(a, Arg::Star));
    let tags = args.iter().filter_map(Arg::as_str).map(Arc::from);
    let exclude = node.prop("exclude").map(|p| p.args.iter().filter_map(Arg::as_str).map(Arc::from).collect()).unwrap_or_default();
    Dims { all, exclude, by_name, ..Dims::from_tags(tags) }
}

fn eval(node: &NodeSpec) -> Result<EvalStage, Vec<Diag>> {
    let lambdas = node.args.iter().map(|a| lambda(Some(a), node)).collect::<Result<Vec<_>, _>>()?;
    let names = node.prop("as").map(|p| p.args.iter().filter_map(Arg::as_str).map(Arc::from).collect()).unwrap_or_default();
    let keep = match node.prop("keep") {
        None => Keep::Results,
        Some(p) if p.args.is_empty() => Keep::All,
        Some(p) => Keep::Only(p.args.iter().filter_map(Arg::as_str).map(String::from).collect()),
    };
    Ok(EvalStage { lambdas: PerGroup::new(lambdas), names, tags: strings(node, "tags"), keep, quiet: node.flag("quiet"), refill: None })
}

/// Every string argument of every call of property `name`.
fn strings(node: &NodeSpec, name: &str) -> Vec<String> {
    node.props_named(name).flat_map(|p| p.args.iter().filter_map(Arg::as_str).map(String::from)).collect()
}

fn default(node: &NodeSpec) -> DefaultStage {
    let fields = node
        .props_named("field")
        .filter_map(|p| {
            let name = p.args.first()?.as_str()?.to_string();
            let value = match p.args.get(1)? {
                Arg::Value(v) => FieldValue::from_value(v)?,
                _ => return None,
            };
            Some((name, value))
        })
        .collect();
    let tags = node
        .props_named("tag")
        .filter_map(|p| Some((p.args.first()?.as_str()?.to_string(), Arc::from(p.args.get(1)?.as_str()?))))
        .collect();
    DefaultStage { fields, tags }
}

/// Defaults an alert node starts from (deadman has its own).
pub(super) struct AlertDefaults {
    /// `.id()` default.
    pub id: String,
    /// `.message()` default.
    pub message: String,
    /// A crit expression used when `.crit()` is not set.
    pub crit: Option<Lambda>,
}

fn alert(node: &NodeSpec, opts: &BuildOptions, handlers: &mut Vec<InlineHandler>) -> Result<AlertStage, Vec<Diag>> {
    let defaults = AlertDefaults { id: "{{ .Name }}:{{ .Group }}".into(), message: "{{ .ID }} is {{ .Level }}".into(), crit: None };
    alert_with(node, opts, handlers, &defaults)
}

pub(super) fn alert_with(node: &NodeSpec, opts: &BuildOptions, handlers: &mut Vec<InlineHandler>, defaults: &AlertDefaults) -> Result<AlertStage, Vec<Diag>> {
    let mut diags = Vec::new();
    let mut level_lambda = |name: &str| -> Option<Lambda> {
        let call = node.prop(name)?;
        lambda(call.args.first(), node).map_err(|mut d| diags.append(&mut d)).ok()
    };
    let triggers = [level_lambda("info"), level_lambda("warn"), level_lambda("crit").or_else(|| defaults.crit.clone())];
    let resets = [level_lambda("infoReset"), level_lambda("warnReset"), level_lambda("critReset")];
    let template = |name: &str, default: &str, flavor: Flavor| -> Result<Template, Diag> {
        let text = node.prop(name).and_then(|p| p.args[0].as_str()).unwrap_or(default);
        Template::parse(text, flavor).map(|t| t.named(name)).map_err(|e| Diag::new(Code::TemplateSyntax, node.span, e.message))
    };
    let templates = [
        template("id", &defaults.id, Flavor::Text),
        template("message", &defaults.message, Flavor::Text),
        template("details", "{{ json . }}", Flavor::Html),
    ];
    let anon: Arc<str> = anonymous_topic(&opts.info.task_name, &node.name).into();
    let mut topics = vec![anon.clone()];
    if let Some(t) = node.prop("topic").and_then(|p| p.args[0].as_str()) {
        topics.push(t.into());
    }
    inline_handlers(node, &anon, opts, handlers, &mut diags);
    if !diags.is_empty() {
        return Err(diags);
    }
    let templates = templates.map(|t| t.map_err(|d| vec![d]));
    let [id, message, details] = templates;
    let mut stage = AlertStage::new(
        triggers,
        resets,
        [id?, message?, details?],
        alert_config(node),
        topics,
        annotations(node),
        opts.info.clone(),
    );
    stage.all = node.flag("all");
    Ok(stage)
}

fn alert_config(node: &NodeSpec) -> AlertConfig {
    let sco = node.prop("stateChangesOnly").map(|p| p.args.first().and_then(Arg::as_duration).unwrap_or(0));
    let flapping = node.prop("flapping").and_then(|p| Some((p.args.first()?.as_float()?, p.args.get(1)?.as_float()?)));
    let history = node.prop("history").and_then(|p| p.args[0].as_int()).unwrap_or(21).max(2) as usize;
    AlertConfig { state_changes_only: sco, no_recoveries: node.flag("noRecoveries"), flapping, history }
}

fn annotations(node: &NodeSpec) -> Annotations {
    let name = |p: &str| node.prop(p).and_then(|c| c.args[0].as_str()).map(String::from);
    Annotations {
        level_tag: name("levelTag"),
        level_field: name("levelField"),
        message_field: name("messageField"),
        duration_field: name("durationField"),
        id_tag: name("idTag"),
        id_field: name("idField"),
    }
}

fn inline_handlers(node: &NodeSpec, topic: &Arc<str>, opts: &BuildOptions, out: &mut Vec<InlineHandler>, diags: &mut Vec<Diag>) {
    for (index, call) in node.props.iter().enumerate().filter(|(_, p)| p.is_handler) {
        let own = |name: &'static str| node.props.iter().filter(move |p| p.handler == Some(index) && p.name == name);
        let text_args: Vec<String> = call.args.iter().filter_map(Arg::as_str).map(String::from).collect();
        let action = match call.name {
            "exec" => HandlerAction::Exec(ExecSpec {
                prog: text_args[0].clone(),
                args: text_args[1..].to_vec(),
                timeout: opts.exec_timeout,
            }),
            "log" => HandlerAction::Log {
                path: text_args[0].clone().into(),
                mode: own("mode").next_back().and_then(|p| p.args[0].as_int()).unwrap_or(0o600) as u32,
            },
            "tcp" => HandlerAction::Tcp { addr: text_args[0].clone() },
            "post" if !text_args.is_empty() => HandlerAction::Post {
                url: text_args[0].clone(),
                headers: own("header")
                    .filter_map(|p| Some((p.args[0].as_str()?.to_string(), p.args.get(1)?.as_str()?.to_string())))
                    .collect(),
                timeout: own("timeout").next_back().and_then(|p| p.args[0].as_duration()).map_or(
                    crate::handler::DEFAULT_IO_TIMEOUT,
                    |ns| Duration::from_nanos(ns.max(0) as u64),
                ),
            },
            other => {
                diags.push(unsupported(call.span, &format!("the `.{other}()` handler")));
                continue;
            }
        };
        let name = format!("{}.{}[{}]", node.name, call.name, out.len());
        out.push(InlineHandler { topic: topic.clone(), name, action });
    }
}

