//! A bounded string interner: repeated names share one `Arc<str>`.

use crate::point::same_name;
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// Entries kept before the cache is emptied (memory stays flat).
const MAX_ENTRIES: usize = 8192;
/// Longer strings are not worth caching.
const MAX_LEN: usize = 128;

/// Slots of the direct-mapped cache in front of the set (a power of two).
const RECENT_SLOTS: usize = 256;

/// Interns measurement names, tag keys and values and field keys.
#[derive(Debug)]
pub(super) struct Interner {
    strings: HashSet<Arc<str>, BuildHasherDefault<FastHasher>>,
    /// Recently used strings by a cheap hash: most lookups end here.
    recent: Vec<Option<Arc<str>>>,
}

impl Default for Interner {
    fn default() -> Self {
        Interner {
            strings: HashSet::default(),
            recent: vec![None; RECENT_SLOTS],
        }
    }
}

impl Interner {
    /// The shared copy of `text`, creating it on first sight.
    #[inline]
    pub(super) fn intern(&mut self, text: &str) -> Arc<str> {
        if text.len() > MAX_LEN {
            return Arc::from(text);
        }
        let slot = recent_slot(text);
        if let Some(shared) = &self.recent[slot] {
            if same_name(shared, text) {
                return shared.clone();
            }
        }
        let shared = self.intern_in_set(text);
        self.recent[slot] = Some(shared.clone());
        shared
    }

    /// The set lookup behind [`intern`](Self::intern).
    fn intern_in_set(&mut self, text: &str) -> Arc<str> {
        if let Some(shared) = self.strings.get(text) {
            return shared.clone();
        }
        if self.strings.len() >= MAX_ENTRIES {
            self.strings.clear();
        }
        let shared: Arc<str> = Arc::from(text);
        self.strings.insert(shared.clone());
        shared
    }

    /// Makes `slot` hold `text`, keeping the current `Arc` when it already does.
    #[inline(always)]
    pub(super) fn assign(&mut self, slot: &mut Arc<str>, text: &str) {
        if !same_name(slot, text) {
            *slot = self.intern(text);
        }
    }

    /// Number of cached strings (for tests).
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.strings.len()
    }
}

/// A cheap hash of the first and last 8 bytes, for the recent cache.
#[inline(always)]
fn recent_slot(text: &str) -> usize {
    let b = text.as_bytes();
    let n = b.len();
    let mixed = if n >= 8 {
        let mut head = [0u8; 8];
        let mut tail = [0u8; 8];
        head.copy_from_slice(&b[..8]);
        tail.copy_from_slice(&b[n - 8..]);
        u64::from_le_bytes(head) ^ u64::from_le_bytes(tail).rotate_left(29)
    } else {
        b.iter().fold(n as u64, |acc, &c| (acc << 8) | u64::from(c))
    };
    (mixed.wrapping_mul(SEED) >> 56) as usize % RECENT_SLOTS
}

/// A small multiply-rotate hash (FxHash style): short keys, no DoS concern
/// worth SipHash's cost since the cache is bounded and cleared when full.
#[derive(Debug, Default, Clone, Copy)]
pub struct FastHasher {
    hash: u64,
}

const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FastHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(SEED);
    }
}

impl Hasher for FastHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word) ^ ((rest.len() as u64) << 59));
        }
    }

    #[inline]
    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    #[inline]
    fn finish(&self) -> u64 {
        // Fold the well-mixed high bits down for the table index.
        self.hash ^ (self.hash >> 29)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_same_arc() {
        let mut interner = Interner::default();
        let a = interner.intern("host");
        let b = interner.intern("host");
        assert!(Arc::ptr_eq(&a, &b));
        assert_eq!(interner.len(), 1);
    }

    #[test]
    fn cache_is_bounded() {
        let mut interner = Interner::default();
        for i in 0..(MAX_ENTRIES * 3) {
            interner.intern(&format!("h{i}"));
        }
        assert!(interner.len() <= MAX_ENTRIES);
        assert!(interner.recent.iter().flatten().count() <= RECENT_SLOTS);
        let long = "x".repeat(MAX_LEN + 1);
        interner.intern(&long);
        assert!(!interner.strings.contains(long.as_str()));
    }
}
