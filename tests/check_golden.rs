//! `tests/check/invalid/*.tick` render to their `.stderr`; `tests/check/valid/*.tick` are clean.

use crate::harness::{assert_no_failures, compare, files_with_extension, root};
use tickscript::check::{check_source, CheckOptions};
use tickscript::diagnostic::render::human;

fn rendered(path: &std::path::Path) -> (String, usize) {
    let source = std::fs::read_to_string(path).unwrap();
    let name = format!("{}", path.strip_prefix(root()).unwrap().display());
    let checked = check_source(&source, &CheckOptions::default());
    let text: String = checked.diags.iter().map(|d| human(d, &name, &source, false)).collect();
    (text, checked.diags.len())
}

#[test]
fn invalid_scripts_match_their_goldens() {
    let dir = root().join("tests/check/invalid");
    let mut failures = Vec::new();
    let scripts = files_with_extension(&dir, "tick");
    assert!(scripts.len() >= 40, "expected at least 40 broken scripts, found {}", scripts.len());
    for script in scripts {
        let (text, count) = rendered(&script);
        if count == 0 {
            failures.push(format!("{}: no diagnostic at all", script.display()));
            continue;
        }
        let expect_line = std::fs::read_to_string(&script).unwrap();
        if let Some(code) = expect_line.lines().next().and_then(|l| l.strip_prefix("// expect: ")) {
            for code in code.split_whitespace() {
                if !text.contains(code) {
                    failures.push(format!("{}: expected code {code} in:\n{text}", script.display()));
                }
            }
        }
        if let Some(f) = compare(&script.with_extension("stderr"), &text) {
            failures.push(f);
        }
    }
    assert_no_failures(failures);
}

#[test]
fn valid_scripts_have_no_diagnostics() {
    let mut failures = Vec::new();
    let mut dirs = vec![root().join("tests/check/valid"), root().join("scripts")];
    dirs.retain(|d| d.is_dir());
    let mut count = 0;
    for dir in dirs {
        for script in files_with_extension(&dir, "tick") {
            count += 1;
            let (text, n) = rendered(&script);
            if n > 0 {
                failures.push(format!("{}:\n{text}", script.display()));
            }
        }
    }
    assert!(count >= 15, "expected at least 15 valid scripts, found {count}");
    assert_no_failures(failures);
}
