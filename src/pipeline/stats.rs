//! Per-node counters and evaluation errors counted once per distinct message.

use std::collections::BTreeMap;

/// Counters of one node.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NodeStats {
    /// Kapacitor's node name (`from1`).
    pub name: String,
    /// Points received.
    pub points_in: u64,
    /// Points passed on to children.
    pub points_out: u64,
    /// Points skipped because an expression failed.
    pub errors: u64,
}

/// Distinct error messages per node, with how often each happened.
#[derive(Debug, Default)]
pub struct ErrorLog {
    counts: BTreeMap<(usize, String), u64>,
    total: u64,
    /// Errors by node index.
    per_node: Vec<u64>,
}

impl ErrorLog {
    /// Counts one occurrence of `message` on node `node`.
    pub fn record(&mut self, node: usize, message: &str) {
        self.total += 1;
        if self.per_node.len() <= node {
            self.per_node.resize(node + 1, 0);
        }
        self.per_node[node] += 1;
        if let Some(count) = self.counts.get_mut(&(node, message.to_string())) {
            *count += 1;
        } else {
            self.counts.insert((node, message.to_string()), 1);
        }
    }

    /// `(node, message, count)` in node order.
    pub fn entries(&self) -> impl Iterator<Item = (usize, &str, u64)> {
        self.counts.iter().map(|((n, m), c)| (*n, m.as_str(), *c))
    }

    /// Number of errors recorded so far.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Number of errors recorded on node `node`.
    pub fn on_node(&self, node: usize) -> u64 {
        self.per_node.get(node).copied().unwrap_or(0)
    }

    /// True if nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }
}
