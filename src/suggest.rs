//! "Did you mean" suggestions: one policy for every misspelt name (nodes,
//! properties, variables, functions, handler kinds and option keys).
//!
//! The distance is `strsim`'s optimal-string-alignment distance (a
//! transposition is one edit), case-insensitive. A name is suggested when it
//! is within `max(2, len / 3)` edits (1 for names of three letters or
//! fewer), when it is an abbreviation of the word within one edit (`crtical`
//! suggests `crit`, scored one more), or when the word is the start of it
//! (`chan` suggests `channel`). The closest wins; ties go to the first.

/// The candidate closest to `word`, if it is close enough.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word = word.to_lowercase();
    let len = word.chars().count();
    let limit = if len <= 3 { 1 } else { (len / 3).max(2) };
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let score = score(&word, len, &candidate.to_lowercase(), limit);
        if score <= limit && best.is_none_or(|(b, _)| score < b) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// The distance of `candidate` from `word` (both lower case), with the prefix rules.
fn score(word: &str, len: usize, candidate: &str, limit: usize) -> usize {
    let full = strsim::osa_distance(word, candidate);
    let cand_len = candidate.chars().count();
    if cand_len >= 3 && len > cand_len {
        let head: String = word.chars().take(cand_len).collect();
        let prefix = strsim::osa_distance(&head, candidate);
        if prefix <= 1 {
            return full.min(prefix + 1);
        }
    }
    if len >= 3 && candidate.starts_with(word) {
        return full.min(limit);
    }
    full
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn picks_the_closest_and_rejects_far_names() {
        let names = ["alert", "eval", "where", "window"];
        assert_eq!(closest("alrt", names), Some("alert"));
        assert_eq!(closest("widnow", names), Some("window"));
        assert_eq!(closest("zzzzzz", names), None);
        assert_eq!(closest("ALERT", names), Some("alert"));
    }

    #[test]
    fn a_longer_word_suggests_its_abbreviation() {
        let names = ["crit", "critReset", "warn", "category"];
        assert_eq!(closest("crtical", names), Some("crit"));
        assert_eq!(closest("warning", names), Some("warn"));
    }

    #[test]
    fn the_start_of_a_name_suggests_it() {
        assert_eq!(closest("chan", ["channel", "url"]), Some("channel"));
        assert_eq!(closest("ch", ["channel", "url"]), None);
    }

    #[test]
    fn short_names_allow_one_edit() {
        assert_eq!(closest("abz", ["abs", "min"]), Some("abs"));
        assert_eq!(closest("xyz", ["abs", "min"]), None);
    }
}
