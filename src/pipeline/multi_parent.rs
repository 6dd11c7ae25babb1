//! Nodes with several parents (`a|join(b)`, `a|union(b, c)`): which parent an edge comes from.
//!
//! The pipeline stays a synchronous walk: a point pushed at the root reaches each
//! parent in creation order, and each parent's output reaches the shared child
//! tagged with the parent's position (0 for the node the method is chained on,
//! then the arguments in order), so a join sees its parents' points in input order.

use crate::program::Program;

/// For every edge `children[node][i]`: the position of `node` among that child's parents.
pub fn sources(program: &Program, children: &[Vec<usize>]) -> Vec<Vec<usize>> {
    children
        .iter()
        .enumerate()
        .map(|(node, kids)| {
            kids.iter().map(|&child| program.nodes[child].parents.iter().position(|&p| p == node).unwrap_or(0)).collect()
        })
        .collect()
}
