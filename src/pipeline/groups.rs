//! Per-group state keyed by group ID, found by the point's tag values before any text key is built.
//!
//! Lookups go, fastest first: the recent-identity cache (the point's tag-value
//! `Arc`s, compared by pointer: line protocol interns them), the last key
//! looked up, then the table by text key.

use super::group::{Identity, MAX_IDENTITY};
use super::Dims;
use crate::point::Point;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// Entries of the identity cache: two-way sets (a power of two).
const RECENT_SLOTS: usize = 256;

/// Values of type `T`, one per group ID.
#[derive(Debug)]
pub struct GroupTable<T> {
    index: FxHashMap<Box<str>, usize>,
    slots: Vec<T>,
    last: Option<(String, usize)>,
    recent: Recent,
    /// The slot of the one group of ungrouped points (empty dims), once known.
    ungrouped: Option<usize>,
    key: String,
}

impl<T> Default for GroupTable<T> {
    fn default() -> Self {
        GroupTable { index: FxHashMap::default(), slots: Vec::new(), last: None, recent: Recent::default(), ungrouped: None, key: String::new() }
    }
}

impl<T> GroupTable<T> {
    /// The value of the group of `point` under `dims`, created with `make` the first time.
    #[inline]
    pub fn get_or_insert_for(&mut self, point: &Point, dims: &Arc<Dims>, make: impl FnOnce() -> T) -> &mut T {
        let identity = dims.identity(point);
        if let Some(slot) = identity.as_ref().and_then(|id| self.recent.get(dims, id)) {
            return &mut self.slots[slot];
        }
        let mut key = std::mem::take(&mut self.key);
        dims.write_group_id(point, &mut key);
        let slot = self.slot_or_insert_with(&key, make);
        self.key = key;
        if let Some(identity) = identity {
            self.recent.put(dims, &identity, slot);
        }
        &mut self.slots[slot]
    }

    /// The slot of the group of `point` under `dims`, when the identity cache
    /// knows it (no text key is built); see [`slot_mut`](Self::slot_mut).
    #[inline]
    pub fn cached_slot(&self, point: &Point, dims: &Arc<Dims>) -> Option<usize> {
        if dims.is_empty() {
            return self.ungrouped;
        }
        self.recent.get(dims, &dims.identity(point)?)
    }

    /// Remembers that the group of `point` under `dims` is in `slot`.
    pub fn remember(&mut self, point: &Point, dims: &Arc<Dims>, slot: usize) {
        if dims.is_empty() {
            self.ungrouped = Some(slot);
        } else if let Some(identity) = dims.identity(point) {
            self.recent.put(dims, &identity, slot);
        }
    }

    /// The value in `slot` (from [`cached_slot`](Self::cached_slot) or [`slot_of`](Self::slot_of)).
    #[inline]
    pub fn slot_mut(&mut self, slot: usize) -> &mut T {
        &mut self.slots[slot]
    }

    /// The slot of group `key`, created with `make` the first time.
    pub fn slot_of(&mut self, key: &str, make: impl FnOnce() -> T) -> usize {
        self.slot_or_insert_with(key, make)
    }

    /// The value of group `key`, created with `make` the first time.
    pub fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> T) -> &mut T {
        let slot = self.slot_or_insert_with(key, make);
        &mut self.slots[slot]
    }

    fn slot_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> T) -> usize {
        if let Some((last, slot)) = &self.last {
            if last == key {
                return *slot;
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
        slot
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

    /// Keeps only the groups whose value passes `keep` (the caches are emptied when any goes).
    pub fn retain(&mut self, mut keep: impl FnMut(&T) -> bool) {
        if self.slots.iter().all(&mut keep) {
            return;
        }
        let kept: Vec<bool> = self.slots.iter().map(&mut keep).collect();
        let mut moved = Vec::with_capacity(kept.len());
        let mut next = 0;
        for k in &kept {
            moved.push(next);
            next += usize::from(*k);
        }
        let mut i = 0;
        self.slots.retain(|_| {
            i += 1;
            kept[i - 1]
        });
        self.index.retain(|_, slot| kept[*slot]);
        self.index.values_mut().for_each(|slot| *slot = moved[*slot]);
        self.last = None;
        self.ungrouped = None;
        self.recent.clear();
    }

    /// Every group's value, in creation order (for flushing before a [`retain`](Self::retain)).
    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.slots.iter_mut()
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

/// Recently found groups by identity: the identity's `Arc`s are held, so an
/// address seen again is the same text; entries hold for one dims `Arc` only.
#[derive(Debug, Default)]
struct Recent {
    dims: Option<Arc<Dims>>,
    entries: Vec<Entry>,
}

/// One remembered identity: its addresses (compared) and its slot.
#[derive(Debug, Clone)]
struct Entry {
    addresses: Addresses,
    /// The identity's `Arc`s, only kept alive: while held, no other text can get their addresses.
    _alive: [Option<Arc<str>>; MAX_IDENTITY],
    slot: usize,
}

/// An identity's addresses (0 for a missing value).
type Addresses = [usize; MAX_IDENTITY];

/// A slot no group has: marks an empty entry.
const EMPTY: usize = usize::MAX;

impl Entry {
    const EMPTY: Entry = Entry { addresses: [0; MAX_IDENTITY], _alive: [const { None }; MAX_IDENTITY], slot: EMPTY };
}

impl Recent {
    #[inline]
    fn get(&self, dims: &Arc<Dims>, identity: &Identity<'_>) -> Option<usize> {
        if !self.dims.as_ref().is_some_and(|d| Arc::ptr_eq(d, dims)) {
            return None;
        }
        let addresses = addresses_of(identity);
        let set = set_of(&addresses);
        let hit = self.entries[set..set + 2].iter().find(|e| e.addresses == addresses && e.slot != EMPTY)?;
        Some(hit.slot)
    }

    /// Remembers `identity`'s slot; the set's older entry makes room.
    fn put(&mut self, dims: &Arc<Dims>, identity: &Identity<'_>, slot: usize) {
        if !self.dims.as_ref().is_some_and(|d| Arc::ptr_eq(d, dims)) {
            self.clear();
            self.dims = Some(dims.clone());
            self.entries.resize(RECENT_SLOTS, Entry::EMPTY);
        }
        let addresses = addresses_of(identity);
        let set = set_of(&addresses);
        self.entries.swap(set, set + 1);
        self.entries[set] = Entry { addresses, _alive: identity.map(|v| v.cloned()), slot };
    }

    fn clear(&mut self) {
        self.entries.fill(Entry::EMPTY);
    }
}

/// The addresses of an identity's values.
#[inline]
fn addresses_of(identity: &Identity<'_>) -> Addresses {
    identity.map(|v| v.map_or(0, |a| Arc::as_ptr(a) as *const u8 as usize))
}

/// The first entry of an identity's two-way set: a multiplicative hash of its addresses.
#[inline]
fn set_of(addresses: &Addresses) -> usize {
    let hash = addresses.iter().fold(0u64, |h, a| (h ^ *a as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    (hash >> 56) as usize & (RECENT_SLOTS - 2)
}

#[cfg(test)]
mod tests {
    use super::{GroupTable, RECENT_SLOTS};
    use crate::pipeline::Dims;
    use crate::point::Point;
    use std::collections::HashMap;
    use std::sync::Arc;

    /// A point of `name` with `tags`; every string is a fresh `Arc` (so never the cached one).
    fn point(name: &str, tags: &[(&str, &str)]) -> Point {
        let mut p = Point { name: name.into(), ..Point::default() };
        for (k, v) in tags {
            p.set_tag(k, (*v).into());
        }
        p
    }

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

    /// Finds the group of every point through the identity cache and checks it
    /// against a table keyed by the text group ID.
    fn agree(table: &mut GroupTable<String>, dims: &Arc<Dims>, points: &[Point]) {
        let mut key = String::new();
        for p in points {
            dims.write_group_id(p, &mut key);
            let found = table.get_or_insert_for(p, dims, || key.clone()).clone();
            assert_eq!(found, key, "{p:?}");
        }
    }

    #[test]
    fn identities_find_the_group_of_the_text_key() {
        let by_host = Arc::new(Dims::from_tags(["host".into(), "dc".into()]));
        let shared: Vec<Point> = (0..40).map(|i| point("cpu", &[("host", &format!("h{}", i % 7)), ("dc", "eu")])).collect();
        let mut table = GroupTable::default();
        // The same points twice: the second pass hits the cache (same Arcs).
        agree(&mut table, &by_host, &shared);
        agree(&mut table, &by_host, &shared);
        assert_eq!(table.len(), 7);
        // Equal texts in other Arcs, a missing tag, an empty value: same text keys, same groups.
        let others = [point("cpu", &[("host", "h1"), ("dc", "eu")]), point("cpu", &[("host", "h1")]), point("cpu", &[("host", "h1"), ("dc", "")])];
        agree(&mut table, &by_host, &others);
        agree(&mut table, &by_host, &others);
        assert_eq!(table.len(), 8, "host=h1 without dc is one more group, whatever the Arc");
    }

    #[test]
    fn identities_hold_for_one_dims_and_survive_eviction() {
        let by_host = Arc::new(Dims::from_tags(["host".into()]));
        let by_name = Arc::new(Dims { by_name: true, ..Dims::from_tags(["host".into()]) });
        let star = Arc::new(Dims { all: true, ..Dims::default() });
        let many: Vec<Point> = (0..RECENT_SLOTS * 3).map(|i| point(if i % 2 == 0 { "cpu" } else { "mem" }, &[("host", &format!("h{}", i % 300))])).collect();
        let mut table = GroupTable::default();
        for dims in [&by_host, &by_name, &star, &by_host] {
            agree(&mut table, dims, &many);
        }
        let groups = table.len();
        table.retain(|key| key.ends_with('7'));
        assert!(table.len() < groups);
        for dims in [&by_host, &by_name, &star] {
            agree(&mut table, dims, &many);
        }
        let mut expected: HashMap<String, ()> = HashMap::new();
        let mut key = String::new();
        for dims in [&by_host, &by_name, &star] {
            for p in &many {
                dims.write_group_id(p, &mut key);
                expected.insert(key.clone(), ());
            }
        }
        assert_eq!(table.len(), expected.len());
    }

    #[test]
    fn an_identity_is_only_reused_under_its_own_dims() {
        let value: Arc<str> = "x".into();
        let mut p = point("cpu", &[]);
        p.set_tag("host", value.clone());
        p.set_tag("dc", value);
        let (by_host, by_dc) = (Arc::new(Dims::from_tags(["host".into()])), Arc::new(Dims::from_tags(["dc".into()])));
        let mut table = GroupTable::default();
        for dims in [&by_host, &by_dc, &by_host, &by_dc] {
            agree(&mut table, dims, std::slice::from_ref(&p));
        }
        assert_eq!(table.len(), 2);
    }

    #[test]
    fn slots_found_by_cache_match_the_text_keys() {
        let by_host = Arc::new(Dims::from_tags(["host".into()]));
        let none = Arc::new(Dims::default());
        let mut table: GroupTable<String> = GroupTable::default();
        let mut key = String::new();
        for round in 0..3 {
            for (i, dims) in [&by_host, &none, &by_host].into_iter().enumerate() {
                let p = point("cpu", &[("host", &format!("h{i}"))]);
                dims.write_group_id(&p, &mut key);
                let slot = match table.cached_slot(&p, dims) {
                    Some(slot) => slot,
                    None => {
                        let slot = table.slot_of(&key, || key.clone());
                        table.remember(&p, dims, slot);
                        slot
                    }
                };
                assert_eq!(*table.slot_mut(slot), key, "round {round}, {i}");
            }
            // Eviction forgets every cached slot, the ungrouped one too.
            table.retain(|k| !k.is_empty());
            assert_eq!(table.cached_slot(&point("cpu", &[]), &none), None);
        }
    }
}
