//! The static catalogue of every Kapacitor 1.5.7 pipeline node, chaining
//! method and property method, with exact Go argument signatures.
//!
//! Names are matched the way Kapacitor's `tick/eval.go` does: the first
//! letter is upper-cased before the Go method is looked up, so `.Period()`
//! and `.period()` are the same property. User-defined functions (`@name`)
//! are not in the catalogue: they are only known to a running daemon.

mod alert;
mod alert_handlers;
mod common;
mod influxql;
mod nodes;
mod outputs;
mod sources;
pub mod types;

#[cfg(test)]
mod tests;

pub use crate::suggest::closest as suggest;
pub use types::{Chains, Edge, Handler, Kind, Node, Prop, Rule, Sig};

use influxql::INFLUXQL_NODES as Q;

/// Chaining methods that exist on every node, chainable or not (Go `node`).
const NODE_LEVEL: [&str; 2] = ["stats", "deadman"];

/// Nodes that are not created by the chaining methods of a Go `chainnode`.
const NOT_CHAINNODE: [&str; 4] = ["from", "query", "stats", "deadman"];

/// The source nodes: the predefined `stream` and `batch` variables.
static SOURCES: [Node; 2] = [sources::STREAM, sources::BATCH];

/// Every node created by a chaining method.
static ALL_NODES: [Node; 52] = [
    sources::FROM, sources::QUERY,
    nodes::WHERE, nodes::EVAL, nodes::GROUP_BY, nodes::WINDOW, nodes::DEFAULT, nodes::DELETE, nodes::LOG,
    nodes::SHIFT, nodes::SAMPLE, nodes::DERIVATIVE, nodes::CHANGE_DETECT, nodes::STATE_DURATION,
    nodes::STATE_COUNT, nodes::UNION, nodes::JOIN, nodes::COMBINE, nodes::FLATTEN, nodes::BARRIER,
    nodes::STATS, nodes::HTTP_OUT,
    alert::ALERT, alert::DEADMAN,
    outputs::HTTP_POST, outputs::INFLUXDB_OUT, outputs::KAPACITOR_LOOPBACK, outputs::K8S_AUTOSCALE,
    outputs::SWARM_AUTOSCALE, outputs::EC2_AUTOSCALE, outputs::SIDELOAD,
    Q[0], Q[1], Q[2], Q[3], Q[4], Q[5], Q[6], Q[7], Q[8], Q[9], Q[10], Q[11], Q[12], Q[13], Q[14],
    Q[15], Q[16], Q[17], Q[18], Q[19], Q[20],
];

/// Every node created by a chaining method (sources excluded).
pub fn all_nodes() -> &'static [Node] {
    &ALL_NODES
}

/// The node of a user-defined function (`@name()`); not a chaining method.
pub fn udf() -> &'static Node {
    &UDF
}

static UDF: Node = nodes::UDF;

/// The source node `stream` or `batch`.
pub fn source(name: &str) -> Option<&'static Node> {
    SOURCES.iter().find(|n| n.name == name)
}

/// The node created by the chaining method `name` (e.g. `window`).
pub fn node(name: &str) -> Option<&'static Node> {
    ALL_NODES.iter().find(|n| same_name(name, n.name))
}

/// The chaining methods available after `parent`.
pub fn chain_methods(parent: &Node) -> impl Iterator<Item = &'static Node> + '_ {
    ALL_NODES.iter().filter(move |n| has_chain(parent, n.name))
}

/// Whether `parent` offers the chaining method `name` (exact catalogue name).
fn has_chain(parent: &Node, name: &str) -> bool {
    if NODE_LEVEL.contains(&name) {
        return true;
    }
    let standard = !NOT_CHAINNODE.contains(&name);
    match parent.chains {
        Chains::Standard => standard,
        Chains::StandardPlus(extra) => standard || extra.contains(&name),
        Chains::Only(list) => list.contains(&name),
        Chains::None => false,
    }
}

/// The chaining method `name` of `parent`, if it has one.
pub fn chain_method(parent: &Node, name: &str) -> Option<&'static Node> {
    chain_methods(parent).find(|n| same_name(name, n.name))
}

/// The property method `name` of `node`.
pub fn property(node: &Node, name: &str) -> Option<&'static Prop> {
    find_prop(node.props, name)
}

/// A property after a handler property (e.g. `.channel()` after `.slack()`):
/// the handler's own properties first, then the alert node's.
pub fn handler_property(h: &Handler, node: &Node, name: &str) -> Option<&'static Prop> {
    find_prop(h.props, name).or_else(|| property(node, name))
}

fn find_prop(props: &'static [Prop], name: &str) -> Option<&'static Prop> {
    props.iter().find(|p| same_name(name, p.name))
}

/// Kapacitor's name matching: equal after upper-casing the first letter.
fn same_name(query: &str, canonical: &str) -> bool {
    let mut q = query.chars();
    let mut c = canonical.chars();
    match (q.next(), c.next()) {
        (Some(a), Some(b)) => a.to_uppercase().eq(b.to_uppercase()) && q.as_str() == c.as_str(),
        _ => false,
    }
}
