//! Links of a chain: `|node()` (catalogue edges, did-you-mean), `.property()`
//! (on the node or its current handler), `@udf()`; one diagnostic per cause.

use super::super::args::checked_args;
use super::super::catalog::{self, Edge, Node as NodeDef};
use crate::ast::Link;
use crate::diagnostic::{Code, Diag};
use crate::program::{Arg, NodeSpec, PropCall};

use super::Walker;

impl Walker {
    /// `@name(...)`: an ordinary chain node whose own properties are unknown.
    pub(super) fn udf(&mut self, parent: usize, link: &Link) -> usize {
        self.program.udfs.push((link.name.name.clone(), link.span));
        self.visit_args(link);
        let id = self.program.nodes.len();
        self.program.nodes.push(NodeSpec {
            id,
            name: format!("@{}", link.name.name),
            def: catalog::udf(),
            parents: vec![parent],
            args: vec![],
            arg_spans: vec![],
            props: vec![],
            span: link.span,
        });
        id
    }

    /// `.name()` where `name` is a node of the current one: reported once
    /// (E208), then the chain goes on as if `|` had been written.
    pub(super) fn dot_for_node(&mut self, node: usize, handler: Option<usize>, link: &Link, reported: &mut bool) -> bool {
        let def = self.program.nodes[node].def;
        let name = link.name.name.as_str();
        if self.find_property(node, handler, name).is_some() || chain_method(def, name).is_none() {
            return false;
        }
        if std::mem::replace(reported, true) {
            return true;
        }
        self.diags.push(
            Diag::new(Code::DotForNode, link.span, format!("`{name}` is a node, not a property of `{}`", def.name))
                .with_label("`.` sets a property")
                .with_help(format!("use `|` instead: `|{name}(...)`; Kapacitor 1.0 and later chain every node with `|`")),
        );
        true
    }

    /// The property `name` of node `node`, after the handler property `handler` if any.
    fn find_property(&self, node: usize, handler: Option<usize>, name: &str) -> Option<&'static catalog::Prop> {
        let def = self.program.nodes[node].def;
        match self.handler_def(node, handler) {
            Some(h) => catalog::handler_property(h, def, name),
            None => catalog::property(def, name),
        }
    }

    fn handler_def(&self, node: usize, handler: Option<usize>) -> Option<&'static catalog::Handler> {
        let def = self.program.nodes[node].def;
        handler.and_then(|h| catalog::property(def, self.program.nodes[node].props[h].name).and_then(|p| p.handler))
    }

    /// Evaluates a link's arguments only (undefined names, lambda errors) when the link itself is unknown.
    pub(super) fn visit_args(&mut self, link: &Link) {
        for arg in &link.args {
            self.expr(arg);
        }
    }

    pub(super) fn pipe(&mut self, parent: usize, link: &Link) -> Option<usize> {
        let parent_def = self.program.nodes[parent].def;
        let name = link.name.name.as_str();
        let Some(def) = chain_method(parent_def, name) else {
            let owner = if std::ptr::eq(parent_def, catalog::udf()) { &self.program.nodes[parent].name } else { parent_def.name };
            let diag = unknown_node(parent_def, owner, link);
            self.diags.push(diag);
            return None;
        };
        self.check_edge(parent_def, def, link);
        let (args, arg_spans) = checked_args(self, &def.sig, &[], &link.args, link, def.name);
        let id = self.program.nodes.len();
        let mut parents = vec![parent];
        parents.extend(args.iter().filter_map(|a| if let Arg::Node(n) = a { Some(*n) } else { None }));
        self.program.nodes.push(NodeSpec {
            id,
            name: format!("{}{id}", node_desc(def)),
            def,
            parents,
            args,
            arg_spans,
            props: vec![],
            span: link.span,
        });
        Some(id)
    }

    /// `.name(...)` on `node`: the new handler index, or None when unknown.
    /// `quiet` suppresses the report of an unknown name that is probably a
    /// property of the unknown handler before it.
    pub(super) fn dot(&mut self, node: usize, handler: Option<usize>, link: &Link, quiet: bool) -> Option<Option<usize>> {
        let def = self.program.nodes[node].def;
        if std::ptr::eq(def, catalog::udf()) {
            self.visit_args(link);
            return Some(None);
        }
        let name = link.name.name.as_str();
        let handler_def = self.handler_def(node, handler);
        let Some(prop) = self.find_property(node, handler, name) else {
            if !(quiet && self.belongs_to_unknown(def, name)) {
                self.unknown_property(def, handler_def, link);
            }
            if !self.unknown_props.contains(&node) {
                self.unknown_props.push(node);
            }
            return None;
        };
        let (args, arg_spans) = checked_args(self, &prop.sig, prop.rules, &link.args, link, prop.name);
        let props = &mut self.program.nodes[node].props;
        let own = handler_def.is_some_and(|h| h.props.iter().any(|p| p.name == prop.name));
        props.push(PropCall {
            name: prop.name,
            args,
            arg_spans,
            span: link.span,
            handler: if own { handler } else { None },
            is_handler: prop.handler.is_some(),
        });
        let index = props.len() - 1;
        Some(if prop.handler.is_some() { Some(index) } else { handler })
    }

    fn check_edge(&mut self, parent: &NodeDef, child: &NodeDef, link: &Link) {
        let clash = matches!(
            (parent.provides, child.wants),
            (Edge::Stream, Edge::Batch) | (Edge::Batch, Edge::Stream)
        );
        if clash {
            self.diags.push(
                Diag::new(
                    Code::WrongChainTarget,
                    link.name.span,
                    format!("`{}` wants {} but `{}` provides {}", child.name, edge(child.wants), parent.name, edge(parent.provides)),
                )
                .with_help(match child.wants {
                    Edge::Batch => "add `|window()` before it to turn points into batches",
                    _ => "this node works on points; it cannot follow a node that emits batches",
                }),
            );
        }
    }

    fn unknown_property(&mut self, def: &NodeDef, handler: Option<&'static catalog::Handler>, link: &Link) {
        let name = &link.name.name;
        let owner = handler.map_or(def.name, |h| h.name);
        let diag = Diag::new(Code::UnknownProperty, link.name.span, format!("`{owner}` has no property `{name}`"))
            .with_label("unknown property");
        let own = handler.into_iter().flat_map(|h| h.props.iter().map(|p| p.name));
        let later = super::super::later::introduced(owner, name).or_else(|| super::super::later::introduced(def.name, name));
        let help = match later {
            Some(version) => Some(super::super::later::help('.', name, version)),
            None => catalog::suggest(name, own.chain(def.props.iter().map(|p| p.name))).map(|s| format!("did you mean `.{s}()`?")),
        };
        self.diags.push(match help {
            Some(help) => diag.with_help(help),
            None => diag,
        });
    }

    /// After an unknown property of a node with handlers: is `name` one of
    /// some handler's own properties, or far from every property of the node?
    /// Then it belongs to the unknown handler and is not reported again.
    fn belongs_to_unknown(&self, def: &NodeDef, name: &str) -> bool {
        let handlers = || def.props.iter().filter_map(|p| p.handler);
        if handlers().next().is_none() {
            return false;
        }
        let handler_prop = handlers().any(|h| catalog::handler_property(h, def, name).is_some());
        handler_prop || catalog::suggest(name, def.props.iter().map(|p| p.name)).is_none()
    }

}

/// `|name()` that `parent` (shown as `owner`) does not have.
fn unknown_node(parent: &NodeDef, owner: &str, link: &Link) -> Diag {
    let name = &link.name.name;
    if catalog::property(parent, name).is_some() {
        return Diag::new(Code::PipeForProperty, link.span, format!("`{name}` is a property of `{owner}`, not a node"))
            .with_label("`|` creates a new node")
            .with_help(format!("use `.` instead: `.{name}(...)`"));
    }
    let diag = Diag::new(Code::UnknownNode, link.name.span, format!("`{owner}` has no chaining method `{name}`"))
        .with_label("unknown node");
    if let Some(version) = super::super::later::introduced(parent.name, name) {
        return diag.with_help(super::super::later::help('|', name, version));
    }
    match catalog::suggest(name, chain_names(parent)) {
        Some(s) => diag.with_help(format!("did you mean `|{s}()`?")),
        None => diag,
    }
}

fn chain_method(parent: &NodeDef, name: &str) -> Option<&'static NodeDef> {
    catalog::chain_method(parent, name)
}

fn chain_names(parent: &NodeDef) -> impl Iterator<Item = &'static str> + '_ {
    catalog::chain_methods(parent).map(|n| n.name)
}

fn edge(e: Edge) -> &'static str {
    match e {
        Edge::Stream => "points (a stream)",
        Edge::Batch => "batches",
        Edge::Any => "anything",
        Edge::None => "nothing",
    }
}

/// Kapacitor's node description: `from`, `alert`, `window`, `groupby`, `mean`, ...
fn node_desc(def: &NodeDef) -> String {
    def.name.to_ascii_lowercase()
}
