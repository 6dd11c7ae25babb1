//! `join.on(dims...)`: joins on fewer dimensions than some parents group by
//! (Kapacitor 1.5.7 `matchPoints`).
//!
//! A message grouped by more tags than `.on()` names is *specific*; the others are
//! *match* messages. Per on-group (the `.on()` tags' values), match messages are
//! kept; a specific message takes a copy of each kept match message at its time,
//! re-tagged with the specific message's group, and both go to the specific group's
//! join. A specific message no match can reach any more (older than every parent's
//! newest time in the on-group) goes alone. Each buffer holds at most
//! [`MAX_PENDING_SETS`] messages (Kapacitor's grow without bound).

use super::held::{round, Held, Item};
use super::join::MAX_PENDING_SETS;
use rustc_hash::FxHashMap;
use std::collections::VecDeque;
use std::sync::Arc;

/// One on-group's buffers.
struct OnGroup {
    low_marks: Vec<Option<i64>>,
    matches: VecDeque<(usize, Item)>,
    specifics: VecDeque<(usize, Item)>,
    last_seen: i64,
}

/// The `.on()` state of a join.
pub struct OnMatcher {
    on: Vec<Arc<str>>,
    tolerance: i64,
    reported: Vec<bool>,
    all_reported: bool,
    groups: FxHashMap<String, OnGroup>,
    key: String,
}

impl OnMatcher {
    /// Matching on the tags `on` for `parents` parents.
    pub fn new(on: Vec<Arc<str>>, tolerance: i64, parents: usize) -> Self {
        OnMatcher { on, tolerance, reported: vec![false; parents], all_reported: false, groups: FxHashMap::default(), key: String::new() }
    }

    /// Takes one message from parent `src`; pushes onto `out` the messages to collect, in order.
    pub fn match_item(&mut self, src: usize, item: Item, out: &mut Vec<(usize, Item)>) {
        if !self.all_reported {
            self.reported[src] = true;
            self.all_reported = self.reported.iter().all(|r| *r);
        }
        let t = round(item.time(), self.tolerance);
        self.write_on_key(&item);
        let parents = self.reported.len();
        let group = self.groups.entry(std::mem::take(&mut self.key)).or_insert_with_key(|_| OnGroup {
            low_marks: vec![None; parents],
            matches: VecDeque::new(),
            specifics: VecDeque::new(),
            last_seen: t,
        });
        group.last_seen = group.last_seen.max(t);
        group.low_marks[src] = Some(t);
        let all = self.all_reported;
        let low_mark = if all { low_mark(&group.low_marks) } else { None };
        let tol = self.tolerance;
        let before_low = |time: i64| low_mark.is_some_and(|m| time < m);
        if all {
            while group.specifics.front().is_some_and(|(_, s)| before_low(round(s.time(), tol))) {
                out.extend(group.specifics.pop_front());
            }
        }
        if item.dim_count() > self.on.len() {
            let mut matched = false;
            let mut i = 0;
            while i < group.matches.len() {
                let (msrc, m) = &group.matches[i];
                let mt = round(m.time(), tol);
                if mt == t {
                    out.push((src, item.clone()));
                    out.push((*msrc, retagged(m, &item)));
                    matched = true;
                }
                if !before_low(mt) {
                    break;
                }
                i += 1;
            }
            if all {
                group.matches.drain(..i);
            }
            if !matched {
                if all && before_low(t) {
                    out.push((src, item));
                } else {
                    group.specifics.push_back((src, item));
                }
            }
        } else {
            let mut n = 0;
            while n < group.specifics.len() && round(group.specifics[n].1.time(), tol) == t {
                let (ssrc, s) = &group.specifics[n];
                out.push((*ssrc, s.clone()));
                out.push((src, retagged(&item, s)));
                n += 1;
            }
            group.specifics.drain(..n);
            group.matches.push_back((src, item));
        }
        // The memory bound: the oldest match goes, the oldest specific goes on alone.
        if group.matches.len() > MAX_PENDING_SETS {
            group.matches.pop_front();
        }
        if group.specifics.len() > MAX_PENDING_SETS {
            out.extend(group.specifics.pop_front());
        }
    }

    /// Forgets the on-groups quiet since before `cutoff`.
    pub fn evict(&mut self, cutoff: i64) {
        self.groups.retain(|_, g| g.last_seen >= cutoff);
    }

    /// The on-group ID: the `.on()` tags' values among the message's group tags.
    fn write_on_key(&mut self, item: &Item) {
        let key = &mut self.key;
        key.clear();
        let tags = item.group_tags();
        if item.dims.by_name {
            key.push_str(item.name());
            key.push('\n');
        }
        for (i, name) in self.on.iter().enumerate() {
            if i > 0 {
                key.push(',');
            }
            key.push_str(name);
            key.push('=');
            key.push_str(tags.iter().find(|(k, _)| k == name).map_or("", |(_, v)| v));
        }
    }
}

/// Kapacitor's lowMark: the oldest of the parents' newest times (a parent not seen yet
/// counts as the zero time, but a later parent replaces it, as Go's loop does).
fn low_mark(marks: &[Option<i64>]) -> Option<i64> {
    let mut low = None;
    for &m in marks {
        if low.is_none() || m < low {
            low = m;
        }
    }
    low
}

/// A copy of the match message `m` carrying the specific message's group tags and dimensions.
fn retagged(m: &Item, specific: &Item) -> Item {
    let tags = specific.group_tags();
    match &m.held {
        Held::Point(p) => {
            let mut p = p.clone();
            p.tags = tags;
            Item { held: Held::Point(p), dims: specific.dims.clone() }
        }
        Held::Batch(b) => {
            let mut b = b.clone();
            b.tags = tags;
            Item { held: Held::Batch(b), dims: m.dims.clone() }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::low_mark;

    #[test]
    fn low_mark_follows_gos_zero_time_loop() {
        assert_eq!(low_mark(&[Some(3), Some(5)]), Some(3));
        assert_eq!(low_mark(&[None, Some(5)]), Some(5));
        assert_eq!(low_mark(&[Some(5), None]), None);
    }
}
