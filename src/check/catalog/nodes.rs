//! General transform nodes created by the chaining methods of every Go
//! `chainnode` (`pipeline/node.go`): filters, evaluation, grouping, windows.

use super::common::*;
use super::types::{Edge, Kind, Node, Prop, Rule, Sig};

/// `|where(lambda)`.
pub const WHERE: Node = node("where", "WhereNode", LAMBDA, PASS, &[QUIET], "Drop points for which the expression is false.").runnable();

const EVAL_PROPS: &[Prop] = &[
    Prop::new("as", STRS, "Names of the results, one per expression."),
    Prop::new("tags", STRS, "Which results become tags instead of fields."),
    Prop::new("keep", STRS, "Keep all original fields, or only the listed ones."),
    QUIET,
];

/// `|eval(lambda...)`.
pub const EVAL: Node = node("eval", "EvalNode", LAMBDAS, PASS, EVAL_PROPS, "Evaluate expressions on each point and store the results.").runnable();

const GROUP_BY_PROPS: &[Prop] = &[
    Prop::new("byMeasurement", NONE, "Include the measurement name in the group ID."),
    Prop::new("exclude", STRS, "Tags to leave out when grouping by `*`."),
    QUIET,
];

/// `|groupBy(dims...)`.
pub const GROUP_BY: Node = node("groupBy", "GroupByNode", DIMS, PASS, GROUP_BY_PROPS, "Regroup the data by a set of tags.").runnable();

const WINDOW_PROPS: &[Prop] = &[
    Prop::new("period", DUR, "How much data each window holds.").with_rules(&[(0, Rule::PositiveDuration)]),
    Prop::new("every", DUR, "How often a window is emitted.").with_rules(&[(0, Rule::NonNegativeDuration)]),
    Prop::new("align", NONE, "Align window edges to multiples of every."),
    Prop::new("fillPeriod", NONE, "Wait for a full period before emitting the first window."),
    Prop::new("periodCount", INT, "How many points each window holds (count windows).").with_rules(&[(0, Rule::PositiveInt)]),
    Prop::new("everyCount", INT, "Emit a window every this many points (count windows).").with_rules(&[(0, Rule::PositiveInt)]),
    QUIET,
];

/// `|window()`: stream in, batches out.
pub const WINDOW: Node = node("window", "WindowNode", NONE, (Edge::Stream, Edge::Batch), WINDOW_PROPS, "Buffer points into windows by time or count.").runnable();

const DEFAULT_PROPS: &[Prop] = &[
    Prop::new("field", Sig::new(&[Kind::Str, Kind::Any]), "Default value of a missing field (float, int, string or bool)."),
    Prop::new("tag", STR2, "Default value of a missing or empty tag."),
    QUIET,
];

/// `|default()`.
pub const DEFAULT: Node = node("default", "DefaultNode", NONE, PASS, DEFAULT_PROPS, "Set default values for missing fields and tags.").runnable();

const DELETE_PROPS: &[Prop] = &[
    Prop::new("field", STR, "Remove this field."),
    Prop::new("tag", STR, "Remove this tag."),
    QUIET,
];

/// `|delete()`.
pub const DELETE: Node = node("delete", "DeleteNode", NONE, PASS, DELETE_PROPS, "Remove fields and tags from points.").runnable();

const LOG_PROPS: &[Prop] = &[
    Prop::new("level", STR, "Log level: DEBUG, INFO or ERROR (others log as info)."),
    Prop::new("prefix", STR, "Text added to every logged line."),
    QUIET,
];

/// `|log()`.
pub const LOG: Node = node("log", "LogNode", NONE, PASS, LOG_PROPS, "Log every point or batch, then pass it on.").runnable();

/// `|shift(d)`.
pub const SHIFT: Node = node("shift", "ShiftNode", DUR, PASS, &[QUIET], "Shift point times by a duration.");

/// `|sample(rate)`: the rate is a count (int) or a duration.
pub const SAMPLE: Node = node("sample", "SampleNode", Sig::new(&[Kind::Any]), PASS, &[QUIET], "Keep one point every count or every duration.");

const DERIVATIVE_PROPS: &[Prop] = &[
    Prop::new("unit", DUR, "Time unit of the rate of change (default 1s)."),
    Prop::new("nonNegative", NONE, "Drop negative results, e.g. counter resets."),
    Prop::new("as", STR, "Name of the output field (default `derivative`)."),
    QUIET,
];

/// `|derivative(field)`.
pub const DERIVATIVE: Node = node("derivative", "DerivativeNode", STR, PASS, DERIVATIVE_PROPS, "Compute the rate of change between adjacent points.").runnable();

/// `|changeDetect(fields...)`.
pub const CHANGE_DETECT: Node = node("changeDetect", "ChangeDetectNode", STRS, PASS, &[QUIET], "Emit a point only when one of the fields changed.");

const STATE_DURATION_PROPS: &[Prop] = &[
    Prop::new("unit", DUR, "Time unit of the duration (default 1s)."),
    Prop::new("as", STR, "Name of the output field (default `state_duration`)."),
    QUIET,
];

/// `|stateDuration(lambda)`.
pub const STATE_DURATION: Node = node("stateDuration", "StateDurationNode", LAMBDA, PASS, STATE_DURATION_PROPS, "Track how long the expression has been true.").runnable();

const STATE_COUNT_PROPS: &[Prop] = &[
    Prop::new("as", STR, "Name of the output field (default `state_count`)."),
    QUIET,
];

/// `|stateCount(lambda)`.
pub const STATE_COUNT: Node = node("stateCount", "StateCountNode", LAMBDA, PASS, STATE_COUNT_PROPS, "Count consecutive points for which the expression is true.").runnable();

/// `|union(nodes...)`.
pub const UNION: Node = node("union", "UnionNode", Sig::rest(&[], Kind::Node), PASS, &[Prop::new("rename", STR, "Name of the merged stream."), QUIET], "Merge the data of several nodes.").runnable();

const JOIN_PROPS: &[Prop] = &[
    Prop::new("as", STRS, "Field-name prefixes, one per parent."),
    Prop::new("on", STRS, "Join on a subset of the group-by dimensions."),
    Prop::new("tolerance", DUR, "Maximum time apart for points to count as equal in time."),
    Prop::new("fill", Sig::new(&[Kind::Any]), "Fill missing points: 'none', 'null' or a number (outer join)."),
    Prop::new("delimiter", STR, "Separator between prefix and field name (default `.`)."),
    Prop::new("streamName", STR, "Measurement name of the joined data."),
    QUIET,
];

/// `|join(nodes...)`.
pub const JOIN: Node = node("join", "JoinNode", Sig::rest(&[], Kind::Node), PASS, JOIN_PROPS, "Join the data of several nodes on time.").runnable();

const COMBINE_PROPS: &[Prop] = &[
    Prop::new("as", STRS, "Field-name prefixes, one per expression."),
    Prop::new("delimiter", STR, "Separator between prefix and field name (default `.`)."),
    Prop::new("tolerance", DUR, "Maximum time apart for points to count as equal in time."),
    Prop::new("max", INT, "Maximum number of combinations (default 1000000)."),
    QUIET,
];

/// `|combine(lambda...)`.
pub const COMBINE: Node = node("combine", "CombineNode", LAMBDAS, (Edge::Any, Edge::Stream), COMBINE_PROPS, "Combine points of one stream with each other.").runnable();

const FLATTEN_PROPS: &[Prop] = &[
    Prop::new("on", STRS, "Tags whose values name the flattened fields."),
    Prop::new("delimiter", STR, "Separator in the new field names (default `.`)."),
    Prop::new("tolerance", DUR, "Maximum time apart for points to be flattened together."),
    Prop::new("dropOriginalFieldName", Sig::rest(&[], Kind::Bool), "Leave the original field name out of the new names."),
    QUIET,
];

/// `|flatten()`.
pub const FLATTEN: Node = node("flatten", "FlattenNode", NONE, PASS, FLATTEN_PROPS, "Flatten points with the same time into one point.").runnable();

const BARRIER_PROPS: &[Prop] = &[
    Prop::new("idle", DUR, "Emit a barrier after the group was idle this long.").with_rules(&[(0, Rule::PositiveDuration)]),
    Prop::new("period", DUR, "Emit a barrier every period.").with_rules(&[(0, Rule::PositiveDuration)]),
    Prop::new("delete", BOOL, "Delete the group after a barrier."),
    QUIET,
];

/// `|barrier()`.
pub const BARRIER: Node = node("barrier", "BarrierNode", NONE, PASS, BARRIER_PROPS, "Emit barrier messages when idle or periodically.");

/// `|stats(interval)`: exists on every node, chainable or not.
pub const STATS: Node = node("stats", "StatsNode", DUR, (Edge::None, Edge::Stream), &[Prop::new("align", NONE, "Align stats times to the interval."), QUIET], "Emit the internal statistics of the parent node.");

/// `|httpOut(endpoint)`.
pub const HTTP_OUT: Node = node("httpOut", "HTTPOutNode", STR, PASS, &[QUIET], "Cache the latest data and serve it over HTTP.");

/// `@name(...)`: a user-defined function. Its options are known only to a
/// daemon with the UDF configured, so its properties are not checked; the
/// nodes after it are.
pub const UDF: Node = node("udf", "UDFNode", Sig::rest(&[], Kind::Any), PASS, &[QUIET], "A user-defined function (`@name()`), configured in the daemon.");
