//! Source nodes (`stream`, `batch`) and what they chain into: `from` and
//! `query` (`pipeline/stream.go`, `pipeline/batch.go`).

use super::common::*;
use super::types::{Chains, Edge, Kind, Node, Prop, Rule, Sig};

/// The `stream` variable of stream tasks: chains only into `from`.
pub const STREAM: Node = node("stream", "StreamNode", NONE, (Edge::None, Edge::Stream), &[QUIET], "The source of streamed data in a stream task.")
    .chains(Chains::Only(&["from"]))
    .runnable();

/// The `batch` variable of batch tasks: chains only into `query`.
pub const BATCH: Node = node("batch", "BatchNode", NONE, (Edge::None, Edge::Batch), &[QUIET], "The source of queried data in a batch task.")
    .chains(Chains::Only(&["query"]));

const FROM_PROPS: &[Prop] = &[
    Prop::new("database", STR, "Only points from this database; empty means any."),
    Prop::new("retentionPolicy", STR, "Only points from this retention policy; empty means any."),
    Prop::new("measurement", STR, "Only points of this measurement.").with_rules(&[(0, Rule::NonEmptyStr)]),
    Prop::new("where", LAMBDA, "Filter points by an expression; several calls are AND-ed."),
    Prop::new("groupBy", DIMS, "Group by these tags, or `*` for all tags."),
    Prop::new("groupByMeasurement", NONE, "Include the measurement name in the group ID."),
    Prop::new("truncate", DUR, "Truncate point times to a multiple of this duration."),
    Prop::new("round", DUR, "Round point times to a multiple of this duration."),
    QUIET,
];

/// `stream|from()`: selects a subset of the stream. A FromNode can itself
/// chain `|from()` again, and `|where`/`|groupBy` chain as separate nodes.
pub const FROM: Node = node("from", "FromNode", NONE, (Edge::Stream, Edge::Stream), FROM_PROPS, "Select a subset of the data stream.")
    .chains(Chains::StandardPlus(&["from"]))
    .runnable();

const QUERY_PROPS: &[Prop] = &[
    Prop::new("period", DUR, "Length of time queried from InfluxDB.").with_rules(&[(0, Rule::PositiveDuration)]),
    Prop::new("every", DUR, "How often to query InfluxDB (exclusive with cron).").with_rules(&[(0, Rule::NonNegativeDuration)]),
    Prop::new("cron", STR, "Schedule queries with a cron expression (exclusive with every)."),
    Prop::new("offset", DUR, "How far back in time to query from now."),
    Prop::new("align", NONE, "Align query start and stop times to multiples of every."),
    Prop::new("alignGroup", NONE, "Align group-by time buckets with the query start time."),
    Prop::new("cluster", STR, "Name of the configured InfluxDB cluster to query."),
    Prop::new("groupBy", DIMS, "Group by dimensions; one may be time(d) or time(d, offset)."),
    Prop::new("groupByMeasurement", NONE, "Include the measurement name in the group ID."),
    Prop::new("fill", Sig::new(&[Kind::Any]), "Fill empty buckets: a number, 'null', 'previous', 'none' or 'linear'."),
    QUIET,
];

/// `batch|query('SELECT ...')`: a scheduled InfluxDB query.
pub const QUERY: Node = node("query", "QueryNode", STR, (Edge::Batch, Edge::Batch), QUERY_PROPS, "Query InfluxDB on a schedule and emit the results as batches.");
