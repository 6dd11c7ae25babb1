//! Expected versus actual as a line diff of their YAML renderings.
//!
//! Actual items are first cut down to the keys the test names (see
//! [`super::expect::project`]), so the diff shows only what the test asked
//! about and equal values line up.

use super::expect::{project, Frame};
use super::yaml;
use serde_json::Value;

/// Above this many line pairs the diff is not aligned (all `-`, then all `+`).
const MAX_CELLS: usize = 4_000_000;

/// The diff of two lists of maps: `-` expected only, `+` actual only.
pub fn list_diff(expected: &[Value], actual: &[Value], view: &dyn Fn(&Value) -> Value, frame: Frame, depth: usize) -> String {
    let shown: Vec<Value> =
        actual.iter().enumerate().map(|(i, a)| expected.get(i).map_or_else(|| view(a), |e| project(e, a, "", frame))).collect();
    lines(&yaml::list(expected, 0, depth), &yaml::list(&shown, 0, depth))
}

/// The diff of two maps of maps (topics), key by key so lines never pair across keys.
pub fn map_diff(expected: &Value, actual: &Value, frame: Frame, depth: usize) -> String {
    let shown = project(expected, actual, "", frame);
    let (Some(expected), Some(shown)) = (expected.as_object(), shown.as_object()) else {
        return lines(&[yaml::flow(expected)], &[yaml::flow(&shown)]);
    };
    let block = |key: &String, value: &Value| {
        let one: serde_json::Map<String, Value> = [(key.clone(), value.clone())].into_iter().collect();
        yaml::map_lines(&one, 0, depth)
    };
    expected.iter().map(|(key, e)| lines(&block(key, e), &block(key, &shown[key]))).collect()
}

/// A line diff (longest common subsequence), one `- `, `+ ` or `  ` line each.
pub fn lines(expected: &[String], actual: &[String]) -> String {
    let mut out = String::new();
    let mut push = |sign: &str, line: &str| {
        out.push_str(sign);
        out.push_str(line);
        out.push('\n');
    };
    let (n, m) = (expected.len(), actual.len());
    if n * m > MAX_CELLS {
        expected.iter().for_each(|l| push("- ", l));
        actual.iter().for_each(|l| push("+ ", l));
        return out;
    }
    // common[i][j]: length of the LCS of expected[i..] and actual[j..].
    let mut common = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            common[i][j] = if expected[i] == actual[j] { common[i + 1][j + 1] + 1 } else { common[i + 1][j].max(common[i][j + 1]) };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < n || j < m {
        if i < n && j < m && expected[i] == actual[j] {
            push("  ", &expected[i]);
            (i, j) = (i + 1, j + 1);
        } else if i < n && (j == m || common[i + 1][j] >= common[i][j + 1]) {
            push("- ", &expected[i]);
            i += 1;
        } else {
            push("+ ", &actual[j]);
            j += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn v(lines: &[&str]) -> Vec<String> {
        lines.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn changed_lines_show_as_minus_then_plus() {
        let diff = lines(&v(&["a", "b", "c"]), &v(&["a", "x", "c", "d"]));
        assert_eq!(diff, "  a\n- b\n+ x\n  c\n+ d\n");
    }

    #[test]
    fn a_list_diff_shows_only_named_keys_and_extra_items_in_the_view() {
        let expected = [json!({"level": "CRITICAL"})];
        let actual = [json!({"level": "WARNING", "id": "a"}), json!({"level": "OK", "id": "a", "message": "m"})];
        let view = |a: &Value| project(&json!({"id": null, "level": null}), a, "", Frame::default());
        let diff = list_diff(&expected, &actual, &view, Frame::default(), 1);
        assert_eq!(diff, "- - level: CRITICAL\n+ - level: WARNING\n+ - id: a\n+   level: OK\n");
    }
}
