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

/// Whether two (usually short) names are equal: lengths first, then the
/// bytes as two overlapping words, without a library `memcmp` call for
/// names of up to 16 bytes.
#[inline]
pub fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    match n {
        8..=16 => word8(a, 0) == word8(b, 0) && word8(a, n - 8) == word8(b, n - 8),
        4..=7 => word4(a, 0) == word4(b, 0) && word4(a, n - 4) == word4(b, n - 4),
        0..=3 => a.iter().zip(b).all(|(x, y)| x == y),
        _ => a == b,
    }
}

/// The 8 bytes of `s` from `at`.
#[inline(always)]
fn word8(s: &[u8], at: usize) -> u64 {
    let mut w = [0; 8];
    w.copy_from_slice(&s[at..at + 8]);
    u64::from_ne_bytes(w)
}

/// The 4 bytes of `s` from `at`.
#[inline(always)]
fn word4(s: &[u8], at: usize) -> u32 {
    let mut w = [0; 4];
    w.copy_from_slice(&s[at..at + 4]);
    u32::from_ne_bytes(w)
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

    #[test]
    fn same_name_agrees_with_equality() {
        let text = "abcdefghijklmnopqrstuvwxyz";
        for n in 0..text.len() {
            let a = &text[..n];
            assert!(same_name(a, &String::from(a)));
            assert!(!same_name(a, &text[..n + 1]));
            for i in 0..n {
                let mut b = a.as_bytes().to_vec();
                b[i] = b'_';
                assert!(!same_name(a, std::str::from_utf8(&b).unwrap()), "{a} {i}");
            }
        }
    }
}
