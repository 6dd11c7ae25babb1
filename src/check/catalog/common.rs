//! Shorthands shared by the data modules: common signatures, the
//! node-level `quiet` property and a `const` node builder.

use super::types::{Chains, Edge, Kind, Node, Prop, Sig};

/// No arguments.
pub const NONE: Sig = Sig::NONE;
/// One string.
pub const STR: Sig = Sig::new(&[Kind::Str]);
/// Two strings.
pub const STR2: Sig = Sig::new(&[Kind::Str, Kind::Str]);
/// Any number of strings.
pub const STRS: Sig = Sig::rest(&[], Kind::Str);
/// One duration.
pub const DUR: Sig = Sig::new(&[Kind::Duration]);
/// One integer.
pub const INT: Sig = Sig::new(&[Kind::Int]);
/// One boolean.
pub const BOOL: Sig = Sig::new(&[Kind::Bool]);
/// One lambda.
pub const LAMBDA: Sig = Sig::new(&[Kind::Lambda]);
/// Any number of lambdas.
pub const LAMBDAS: Sig = Sig::rest(&[], Kind::Lambda);
/// Group-by dimensions: strings, `*` (and `time(d)` for queries).
pub const DIMS: Sig = Sig::rest(&[], Kind::Dimension);

/// `.quiet()`: defined on the Go base `node`, so every node has it.
pub const QUIET: Prop = Prop::new("quiet", NONE, "Suppress all error logging events from this node.");

/// Build a node with standard chaining methods that `tick run` does not run.
pub const fn node(
    name: &'static str,
    go_type: &'static str,
    sig: Sig,
    edges: (Edge, Edge),
    props: &'static [Prop],
    doc: &'static str,
) -> Node {
    Node { name, go_type, sig, wants: edges.0, provides: edges.1, props, chains: Chains::Standard, doc, runnable: false }
}

impl Node {
    /// The same node, marked as implemented by `tick run`.
    pub const fn runnable(self) -> Node {
        Node { runnable: true, ..self }
    }

    /// The same node with other chaining methods.
    pub const fn chains(self, chains: Chains) -> Node {
        Node { chains, ..self }
    }
}

/// Input and output are the same edge type as the parent's.
pub const PASS: (Edge, Edge) = (Edge::Any, Edge::Any);
