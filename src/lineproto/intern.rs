//! A bounded string interner: repeated names share one `Arc<str>`.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// Entries kept before the cache is emptied (memory stays flat).
const MAX_ENTRIES: usize = 8192;
/// Longer strings are not worth caching.
const MAX_LEN: usize = 128;

/// Interns measurement names, tag keys and values and field keys.
#[derive(Debug, Default)]
pub(super) struct Interner {
    strings: HashSet<Arc<str>, BuildHasherDefault<FastHasher>>,
}

impl Interner {
    /// The shared copy of `text`, creating it on first sight.
    pub(super) fn intern(&mut self, text: &str) -> Arc<str> {
        if text.len() > MAX_LEN {
            return Arc::from(text);
        }
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
    #[inline]
    pub(super) fn assign(&mut self, slot: &mut Arc<str>, text: &str) {
        if **slot != *text {
            *slot = self.intern(text);
        }
    }

    /// Number of cached strings (for tests).
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.strings.len()
    }
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
        let long = "x".repeat(MAX_LEN + 1);
        interner.intern(&long);
        assert!(interner.strings.get(long.as_str()).is_none());
    }
}
