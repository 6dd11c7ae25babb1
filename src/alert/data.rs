//! `alert.Data` and its result rows (semantics §2.13, §3.5).

use super::Level;
use crate::point::Point;
use crate::value::FieldValue;
use std::sync::Arc;

/// One cell of a row's `values`.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// A timestamp (ns since the epoch), written as RFC3339Nano.
    Time(i64),
    /// A float, written like Go's `encoding/json` (NaN/Inf cannot be encoded).
    Float(f64),
    /// An integer.
    Int(i64),
    /// A string.
    Str(String),
    /// A boolean.
    Bool(bool),
    /// A missing value (`null`), e.g. a batch point lacking a column.
    Null,
}

impl From<&FieldValue> for Cell {
    fn from(value: &FieldValue) -> Self {
        match value {
            FieldValue::Float(f) => Cell::Float(*f),
            FieldValue::Int(i) => Cell::Int(*i),
            FieldValue::Str(s) => Cell::Str(s.to_string()),
            FieldValue::Bool(b) => Cell::Bool(*b),
            FieldValue::Null => Cell::Null,
        }
    }
}

/// One series of a result (InfluxDB `models.Row`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Row {
    /// Measurement name (omitted from JSON when empty).
    pub name: String,
    /// Tags, sorted by key (omitted from JSON when empty).
    pub tags: Vec<(String, String)>,
    /// Column names: `time` first (omitted from JSON when empty).
    pub columns: Vec<String>,
    /// One row of cells per point (omitted from JSON when empty).
    pub values: Vec<Vec<Cell>>,
}

impl Row {
    /// A stream point as a row: all point tags; columns `time` + sorted field names.
    pub fn from_point(p: &Point) -> Row {
        let fields = p.sorted_fields();
        let mut columns = Vec::with_capacity(fields.len() + 1);
        let mut cells = Vec::with_capacity(fields.len() + 1);
        columns.push("time".to_string());
        cells.push(Cell::Time(p.time));
        for (key, value) in fields {
            columns.push(key.to_string());
            cells.push(Cell::from(value));
        }
        Row {
            name: p.name.to_string(),
            tags: owned_tags(&p.tags),
            columns,
            values: vec![cells],
        }
    }

    /// A batch as one row: the group tags; columns `time` + the first point's
    /// fields and non-group tags, sorted; missing cells are `null`.
    pub fn from_batch(name: &str, group_tags: &[(Arc<str>, Arc<str>)], points: &[Point]) -> Row {
        let mut row = Row {
            name: name.to_string(),
            tags: owned_tags(group_tags),
            ..Row::default()
        };
        let Some(first) = points.first() else {
            return row;
        };
        let is_group_tag = |k: &str| group_tags.iter().any(|(g, _)| &**g == k);
        let mut columns: Vec<String> = first.fields.iter().map(|(k, _)| k.to_string()).collect();
        columns.extend(
            first
                .tags
                .iter()
                .filter(|(k, _)| !is_group_tag(k))
                .map(|(k, _)| k.to_string()),
        );
        columns.sort();
        columns.insert(0, "time".to_string());
        row.values = points
            .iter()
            .map(|p| batch_cells(p, &columns[1..]))
            .collect();
        row.columns = columns;
        row
    }
}

/// One batch point's cells: time, then each column from fields, else tags, else null.
fn batch_cells(p: &Point, columns: &[String]) -> Vec<Cell> {
    let mut cells = Vec::with_capacity(columns.len() + 1);
    cells.push(Cell::Time(p.time));
    for column in columns {
        let cell = match (p.field(column), p.tag(column)) {
            (Some(value), _) => Cell::from(value),
            (None, Some(tag)) => Cell::Str(tag.to_string()),
            (None, None) => Cell::Null,
        };
        cells.push(cell);
    }
    cells
}

fn owned_tags(tags: &[(Arc<str>, Arc<str>)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = tags
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    out.sort();
    out
}

/// The payload exec, log, tcp and post handlers receive (`alert.Data`).
#[derive(Debug, Clone, PartialEq)]
pub struct AlertData {
    /// Rendered ID.
    pub id: String,
    /// Rendered message.
    pub message: String,
    /// Rendered details (html/template output).
    pub details: String,
    /// Event time, ns since the epoch (UTC).
    pub time: i64,
    /// Alert duration in ns.
    pub duration: i64,
    /// Event level.
    pub level: Level,
    /// The `data.series` rows (one for real events; empty encodes as `null`).
    pub data: Vec<Row>,
    /// Level of the last event stored in the topic for this ID.
    pub previous_level: Level,
    /// `!noRecoveries`.
    pub recoverable: bool,
}
