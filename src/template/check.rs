//! Static validation of field references against the data a template gets.
//!
//! Kapacitor only notices `{{ .Nope }}` when the first alert renders, and the
//! error then stops the task; here it is found before the task runs.

use super::tree::{Arg, ArgKind, Control, ControlKind, Ident, Node, Pipe};
use super::value::TValue;
use super::TemplateError;

/// Fields of Kapacitor's `serverInfo` struct.
const SERVER_INFO_FIELDS: [&str; 3] = ["Hostname", "ClusterID", "ServerID"];

/// What dot is known to be while walking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DotType {
    /// The top-level data struct.
    Root,
    /// `.ServerInfo`
    ServerInfo,
    /// `.Time`
    Time,
    /// `.Duration`
    Duration,
    /// Anything else (maps, map values, variables): not checked.
    Unknown,
}

/// Errors for every field reference that cannot exist, given the top-level
/// struct's `fields`.
pub fn check_fields(nodes: &[Node], fields: &[&str]) -> Vec<TemplateError> {
    let mut checker = Checker {
        fields,
        errors: Vec::new(),
    };
    checker.list(nodes, DotType::Root);
    checker.errors
}

struct Checker<'f> {
    fields: &'f [&'f str],
    errors: Vec<TemplateError>,
}

impl Checker<'_> {
    fn list(&mut self, nodes: &[Node], dot: DotType) {
        for node in nodes {
            match node {
                Node::Action(pipe) => self.pipe(pipe, dot),
                Node::Control(control) => self.control(control, dot),
                Node::Text(_) | Node::Break(_) | Node::Continue(_) => {}
            }
        }
    }

    fn control(&mut self, control: &Control, dot: DotType) {
        self.pipe(&control.pipe, dot);
        let inner = match control.kind {
            ControlKind::If => dot,
            ControlKind::With => self.pipe_type(&control.pipe, dot),
            ControlKind::Range => DotType::Unknown,
        };
        self.list(&control.list, inner);
        if let Some(else_list) = &control.else_list {
            self.list(else_list, dot);
        }
    }

    /// The static type of a pipeline that is a single field reference.
    fn pipe_type(&self, pipe: &Pipe, dot: DotType) -> DotType {
        match pipe.cmds.as_slice() {
            [cmd] if cmd.args.len() == 1 => match &cmd.args[0].kind {
                ArgKind::Dot => dot,
                ArgKind::Field(idents) => idents.iter().fold(dot, |ty, ident| {
                    self.step(ty, ident).unwrap_or(DotType::Unknown)
                }),
                ArgKind::Variable(var, idents) if var.name == "$" => {
                    idents.iter().fold(DotType::Root, |ty, ident| {
                        self.step(ty, ident).unwrap_or(DotType::Unknown)
                    })
                }
                _ => DotType::Unknown,
            },
            _ => DotType::Unknown,
        }
    }

    fn pipe(&mut self, pipe: &Pipe, dot: DotType) {
        for cmd in &pipe.cmds {
            for arg in &cmd.args {
                self.arg(arg, dot);
            }
        }
    }

    fn arg(&mut self, arg: &Arg, dot: DotType) {
        match &arg.kind {
            ArgKind::Field(idents) => self.chain(dot, idents),
            ArgKind::Variable(var, idents) if var.name == "$" => self.chain(DotType::Root, idents),
            ArgKind::Chain(inner, _) => self.arg(inner, dot),
            ArgKind::Pipe(pipe) => self.pipe(pipe, dot),
            _ => {}
        }
    }

    fn chain(&mut self, mut ty: DotType, idents: &[Ident]) {
        for ident in idents {
            match self.step(ty, ident) {
                Ok(next) => ty = next,
                Err(error) => {
                    self.errors.push(error);
                    return;
                }
            }
            if ty == DotType::Unknown {
                return;
            }
        }
    }

    /// The type of `.ident` on a value of type `ty`.
    fn step(&self, ty: DotType, ident: &Ident) -> Result<DotType, TemplateError> {
        let name = ident.name.as_str();
        let error = |message: String| {
            Err(TemplateError {
                span: ident.span,
                message,
            })
        };
        match ty {
            DotType::Root if !self.fields.contains(&name) => {
                error(format!("can't evaluate field {name}"))
            }
            DotType::Root => Ok(match name {
                "ServerInfo" => DotType::ServerInfo,
                "Time" => DotType::Time,
                "Duration" => DotType::Duration,
                _ => DotType::Unknown,
            }),
            DotType::ServerInfo if !SERVER_INFO_FIELDS.contains(&name) => {
                error(format!("can't evaluate field {name}"))
            }
            DotType::Time if !TValue::Time(0).has_method(name) => {
                error(format!("method {name} of time.Time is not supported"))
            }
            DotType::Duration if !TValue::Duration(0).has_method(name) => {
                error(format!("method {name} of time.Duration is not supported"))
            }
            _ => Ok(DotType::Unknown),
        }
    }
}
