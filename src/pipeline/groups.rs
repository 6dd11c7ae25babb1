//! Per-group state keyed by group ID, with a fast path for consecutive points of one group.

use rustc_hash::FxHashMap;

/// Values of type `T`, one per group ID.
#[derive(Debug)]
pub struct GroupTable<T> {
    index: FxHashMap<Box<str>, usize>,
    slots: Vec<T>,
    last: Option<(String, usize)>,
}

impl<T> Default for GroupTable<T> {
    fn default() -> Self {
        GroupTable { index: FxHashMap::default(), slots: Vec::new(), last: None }
    }
}

impl<T> GroupTable<T> {
    /// The value of group `key`, created with `make` the first time.
    pub fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> T) -> &mut T {
        if let Some((last, slot)) = &self.last {
            if last == key {
                return &mut self.slots[*slot];
            }
        }
        let slot = match self.index.get(key) {
            Some(slot) => *slot,
            None => {
                self.slots.push(make());
                self.index.insert(key.into(), self.slots.len() - 1);
                self.slots.len() - 1
            }
        };
        match &mut self.last {
            Some((last, s)) => {
                last.clear();
                last.push_str(key);
                *s = slot;
            }
            None => self.last = Some((key.to_string(), slot)),
        }
        &mut self.slots[slot]
    }

    /// True if group `key` exists.
    pub fn contains(&self, key: &str) -> bool {
        self.last.as_ref().is_some_and(|(last, _)| last == key) || self.index.contains_key(key)
    }

    /// Sets the value of group `key`.
    pub fn insert(&mut self, key: &str, value: T) {
        match self.index.get(key) {
            Some(slot) => self.slots[*slot] = value,
            None => {
                self.slots.push(value);
                self.index.insert(key.into(), self.slots.len() - 1);
            }
        }
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    /// True when no group was seen yet.
    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::GroupTable;

    #[test]
    fn one_value_per_key() {
        let mut t: GroupTable<u32> = GroupTable::default();
        *t.get_or_insert_with("a", || 0) += 1;
        *t.get_or_insert_with("b", || 10) += 1;
        *t.get_or_insert_with("a", || 0) += 1;
        assert_eq!(*t.get_or_insert_with("a", || 99), 2);
        assert_eq!(*t.get_or_insert_with("b", || 99), 11);
        assert_eq!(t.len(), 2);
    }
}
