//! `|default()` and `|delete()`: set missing fields/tags, remove fields/tags.

use super::super::{Ctx, Dims, Flow, Stage};
use crate::point::Point;
use crate::value::FieldValue;
use std::sync::Arc;

/// The `default` stage.
pub struct DefaultStage {
    /// `.field(name, value)` calls.
    pub fields: Vec<(String, FieldValue)>,
    /// `.tag(name, value)` calls.
    pub tags: Vec<(String, Arc<str>)>,
}

impl Stage for DefaultStage {
    fn process(&mut self, point: &Point, _: &Arc<Dims>, _: usize, _: &mut Ctx) -> Flow {
        let missing_field = self.fields.iter().any(|(n, _)| point.field(n).is_none());
        let missing_tag = self.tags.iter().any(|(n, _)| point.tag(n).is_none_or(str::is_empty));
        if !missing_field && !missing_tag {
            return Flow::PASS;
        }
        let mut out = point.clone();
        for (name, value) in &self.fields {
            if out.field(name).is_none() {
                out.set_field(name, value.clone());
            }
        }
        for (name, value) in &self.tags {
            if out.tag(name).is_none_or(str::is_empty) {
                out.set_tag(name, value.clone());
            }
        }
        Flow::point(out)
    }
}

/// The `delete` stage.
pub struct DeleteStage {
    /// `.field(name)` calls.
    pub fields: Vec<String>,
    /// `.tag(name)` calls.
    pub tags: Vec<String>,
}

impl Stage for DeleteStage {
    fn process(&mut self, point: &Point, dims: &Arc<Dims>, _: usize, _: &mut Ctx) -> Flow {
        let mut out = point.clone();
        for name in &self.fields {
            out.remove_field(name);
        }
        for name in &self.tags {
            out.remove_tag(name);
        }
        let regrouped = dims.tags.iter().any(|t| self.tags.iter().any(|d| **t == **d));
        let new_dims = regrouped.then(|| {
            let mut d = (**dims).clone();
            d.tags.retain(|t| !self.tags.iter().any(|x| **t == **x));
            Arc::new(d)
        });
        Flow::Forward { point: Some(out), dims: new_dims }
    }
}
