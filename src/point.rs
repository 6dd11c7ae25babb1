//! A data point: measurement, sorted tags, fields and a nanosecond timestamp.

use crate::value::FieldValue;
use std::sync::Arc;

/// One point, as read from line protocol or produced by a node.
///
/// Tags are kept sorted by key (as InfluxDB does); fields keep their
/// first-seen order and are sorted only when rendered.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Point {
    /// Measurement name.
    pub name: Arc<str>,
    /// Tag key/value pairs, sorted by key, keys unique.
    pub tags: Vec<(Arc<str>, Arc<str>)>,
    /// Field key/value pairs, keys unique.
    pub fields: Vec<(Arc<str>, FieldValue)>,
    /// Nanoseconds since the Unix epoch, UTC.
    pub time: i64,
}

impl Point {
    /// The value of tag `key`, if present.
    pub fn tag(&self, key: &str) -> Option<&str> {
        self.tags.iter().find(|(k, _)| &**k == key).map(|(_, v)| &**v)
    }

    /// The value of field `key`, if present.
    pub fn field(&self, key: &str) -> Option<&FieldValue> {
        self.fields.iter().find(|(k, _)| &**k == key).map(|(_, v)| v)
    }

    /// Sets tag `key`, keeping tags sorted.
    pub fn set_tag(&mut self, key: &str, value: Arc<str>) {
        match self.tags.binary_search_by(|(k, _)| (**k).cmp(key)) {
            Ok(i) => self.tags[i].1 = value,
            Err(i) => self.tags.insert(i, (Arc::from(key), value)),
        }
    }

    /// Removes tag `key`; true if it was present.
    pub fn remove_tag(&mut self, key: &str) -> bool {
        let before = self.tags.len();
        self.tags.retain(|(k, _)| &**k != key);
        before != self.tags.len()
    }

    /// Sets field `key`, replacing an existing value.
    pub fn set_field(&mut self, key: &str, value: FieldValue) {
        match self.fields.iter_mut().find(|(k, _)| &**k == key) {
            Some(slot) => slot.1 = value,
            None => self.fields.push((Arc::from(key), value)),
        }
    }

    /// Removes field `key`; true if it was present.
    pub fn remove_field(&mut self, key: &str) -> bool {
        let before = self.fields.len();
        self.fields.retain(|(k, _)| &**k != key);
        before != self.fields.len()
    }

    /// Field names in sorted order (the `columns` order of alert data).
    pub fn sorted_fields(&self) -> Vec<&(Arc<str>, FieldValue)> {
        let mut fields: Vec<_> = self.fields.iter().collect();
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        fields
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_stay_sorted() {
        let mut p = Point::default();
        p.set_tag("host", "a".into());
        p.set_tag("cpu", "0".into());
        p.set_tag("host", "b".into());
        let keys: Vec<&str> = p.tags.iter().map(|(k, _)| &**k).collect();
        assert_eq!(keys, ["cpu", "host"]);
        assert_eq!(p.tag("host"), Some("b"));
        assert!(p.remove_tag("cpu"));
        assert!(!p.remove_tag("cpu"));
    }
}
