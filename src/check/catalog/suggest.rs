//! "Did you mean" suggestions by edit distance.

/// The candidate closest to `name`, if it is close enough.
///
/// The distance is the optimal-string-alignment (Damerau-Levenshtein)
/// distance, case-insensitive. A longer word whose start is within one edit
/// of a candidate also matches at distance + 1, so `critical` and `crtical`
/// both suggest `crit`. The accepted distance is `max(2, len / 3)`.
pub fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let query: Vec<char> = name.to_lowercase().chars().collect();
    let limit = (query.len() / 3).max(2);
    let mut best: Option<(usize, &'a str)> = None;
    for cand in candidates {
        let score = score(&query, cand);
        if score <= limit && best.is_none_or(|(b, _)| score < b) {
            best = Some((score, cand));
        }
    }
    best.map(|(_, c)| c)
}

fn score(query: &[char], candidate: &str) -> usize {
    let cand: Vec<char> = candidate.to_lowercase().chars().collect();
    let full = osa(query, &cand);
    if cand.len() >= 3 && query.len() > cand.len() {
        let prefix = osa(&query[..cand.len()], &cand);
        if prefix <= 1 {
            return full.min(prefix + 1);
        }
    }
    full
}

/// Optimal string alignment distance between two char slices.
fn osa(a: &[char], b: &[char]) -> usize {
    let width = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * width + j] + 1).min(d[i * width + j - 1] + 1).min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = v;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<char> {
        s.chars().collect()
    }

    #[test]
    fn osa_counts_a_transposition_as_one_edit() {
        assert_eq!(osa(&chars("crti"), &chars("crit")), 1);
        assert_eq!(osa(&chars("alrt"), &chars("alert")), 1);
        assert_eq!(osa(&chars("kitten"), &chars("sitting")), 3);
        assert_eq!(osa(&chars(""), &chars("abc")), 3);
    }

    #[test]
    fn suggest_picks_the_closest_and_rejects_far_names() {
        let names = ["alert", "eval", "where", "window"];
        assert_eq!(suggest("alrt", names.into_iter()), Some("alert"));
        assert_eq!(suggest("widnow", names.into_iter()), Some("window"));
        assert_eq!(suggest("zzzzzz", names.into_iter()), None);
    }

    #[test]
    fn a_longer_word_suggests_its_abbreviation() {
        let names = ["crit", "critReset", "warn", "category"];
        assert_eq!(suggest("crtical", names.into_iter()), Some("crit"));
        assert_eq!(suggest("warning", names.into_iter()), Some("warn"));
    }
}
