//! InfluxQL function nodes (`pipeline/influxql.go`): aggregates, selectors
//! and transformations. All create an `InfluxQLNode` with `.as()` and
//! `.usePointTimes()`.

use super::common::*;
use super::types::{Edge, Kind, Node, Prop, Sig};

const INFLUXQL_PROPS: &[Prop] = &[
    Prop::new("as", STR, "Name of the output field (default: the function name)."),
    Prop::new("usePointTimes", NONE, "Use the selected point's time instead of the window time."),
    QUIET,
];

const TOP: Sig = Sig::rest(&[Kind::Int, Kind::Str], Kind::Str);
const HOLT: Sig = Sig::new(&[Kind::Str, Kind::Int, Kind::Int, Kind::Duration]);

/// Output is one point per batch (or per timestamp on a stream).
const REDUCE: (Edge, Edge) = (Edge::Any, Edge::Stream);
/// Output is a batch.
const TO_BATCH: (Edge, Edge) = (Edge::Any, Edge::Batch);

const fn f(name: &'static str, sig: Sig, edges: (Edge, Edge), doc: &'static str) -> Node {
    node(name, "InfluxQLNode", sig, edges, INFLUXQL_PROPS, doc)
}

/// Every InfluxQL function available as a chaining method in 1.5.7.
pub const INFLUXQL_NODES: [Node; 21] = [
    f("count", STR, REDUCE, "Count the points.").runnable(),
    f("distinct", STR, TO_BATCH, "Emit a batch of the distinct values.").runnable(),
    f("mean", STR, REDUCE, "Average of the values.").runnable(),
    f("median", STR, REDUCE, "Median of the values.").runnable(),
    f("mode", STR, REDUCE, "Most frequent value.").runnable(),
    f("spread", STR, REDUCE, "Difference between the largest and smallest value.").runnable(),
    f("sum", STR, REDUCE, "Sum of the values.").runnable(),
    f("first", STR, REDUCE, "Select the first point.").runnable(),
    f("last", STR, REDUCE, "Select the last point.").runnable(),
    f("min", STR, REDUCE, "Select the point with the smallest value.").runnable(),
    f("max", STR, REDUCE, "Select the point with the largest value.").runnable(),
    f("stddev", STR, REDUCE, "Sample standard deviation of the values.").runnable(),
    f("percentile", Sig::new(&[Kind::Str, Kind::Float]), REDUCE, "Select the point at this percentile (float, 0-100).").runnable(),
    f("top", TOP, TO_BATCH, "Select the num largest points, optionally per tag/field values.").runnable(),
    f("bottom", TOP, TO_BATCH, "Select the num smallest points, optionally per tag/field values.").runnable(),
    f("elapsed", Sig::new(&[Kind::Str, Kind::Duration]), PASS, "Time elapsed between points, in units.").runnable(),
    f("difference", STR, PASS, "Difference between consecutive values.").runnable(),
    f("movingAverage", Sig::new(&[Kind::Str, Kind::Int]), PASS, "Moving average over a window of n points.").runnable(),
    f("cumulativeSum", STR, PASS, "Running sum of the values.").runnable(),
    f("holtWinters", HOLT, TO_BATCH, "Holt-Winters forecast of h values with season m."),
    f("holtWintersWithFit", HOLT, TO_BATCH, "Holt-Winters forecast, also emitting the fitted points."),
];
