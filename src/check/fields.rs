//! Field names that nodes upstream of a lambda are known to produce, so a
//! lint can tell `"m1.value" != "m2.value"` after a join from a mistyped string.

use crate::program::{Arg, NodeSpec, Program};

/// What the ancestors of one node are known to produce.
#[derive(Debug, Default)]
pub struct Upstream {
    /// Exact field names (`.as()` of eval and InfluxQL nodes, defaults, ...).
    names: Vec<String>,
    /// Prefixes of joined or combined fields (`m1.` after `join().as('m1', ...)`).
    prefixes: Vec<String>,
}

impl Upstream {
    /// The fields produced by the ancestors of `node` (and by `node`'s parents' chains).
    pub fn of(program: &Program, node: &NodeSpec) -> Upstream {
        let mut up = Upstream::default();
        let mut seen = vec![false; program.nodes.len()];
        let mut stack: Vec<usize> = node.parents.clone();
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id], true) {
                continue;
            }
            let ancestor = &program.nodes[id];
            up.add(ancestor);
            stack.extend(&ancestor.parents);
        }
        up
    }

    /// True if `field` is known to exist upstream.
    pub fn has(&self, field: &str) -> bool {
        self.names.iter().any(|n| n == field) || self.prefixes.iter().any(|p| field.starts_with(p.as_str()))
    }

    fn add(&mut self, node: &NodeSpec) {
        let as_names = || node.prop("as").into_iter().flat_map(|p| p.args.iter().filter_map(Arg::as_str));
        match node.def.name {
            "join" | "combine" => {
                let delimiter = node.prop("delimiter").and_then(|p| p.args.first()).and_then(Arg::as_str).unwrap_or(".");
                self.prefixes.extend(as_names().map(|p| format!("{p}{delimiter}")));
            }
            "default" => {
                let fields = node.props_named("field").filter_map(|p| p.args.first()).filter_map(Arg::as_str);
                self.names.extend(fields.map(str::to_string));
            }
            name => {
                let produces = node.def.go_type == "InfluxQLNode" || matches!(name, "eval" | "derivative" | "stateDuration" | "stateCount");
                if !produces {
                    return;
                }
                let named: Vec<String> = as_names().map(str::to_string).collect();
                if named.is_empty() {
                    self.names.push(default_name(name).to_string());
                }
                self.names.extend(named);
            }
        }
    }
}

/// The output field of a node without `.as()`.
fn default_name(node: &str) -> &str {
    match node {
        "stateDuration" => "state_duration",
        "stateCount" => "state_count",
        other => other,
    }
}
