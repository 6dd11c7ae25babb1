//! Golden-file helpers: compare with an expected file, or rewrite it when `TICK_BLESS=1`.

use std::path::{Path, PathBuf};

/// True when goldens should be rewritten instead of compared.
pub fn blessing() -> bool {
    std::env::var_os("TICK_BLESS").is_some_and(|v| v != "0")
}

/// The crate root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Files in `dir` with extension `ext`, sorted.
pub fn files_with_extension(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

/// Compares `actual` with the file at `expected_path`; returns a failure description.
pub fn compare(expected_path: &Path, actual: &str) -> Option<String> {
    if blessing() {
        std::fs::write(expected_path, actual).unwrap();
        return None;
    }
    let expected = std::fs::read_to_string(expected_path).unwrap_or_default();
    if expected == actual {
        return None;
    }
    Some(format!(
        "--- {} (expected)\n{}\n+++ actual\n{}\n(run with TICK_BLESS=1 to accept)",
        expected_path.display(),
        expected,
        actual
    ))
}

/// Panics with every failure at once.
pub fn assert_no_failures(failures: Vec<String>) {
    if !failures.is_empty() {
        panic!("{} golden failure(s):\n\n{}", failures.len(), failures.join("\n\n"));
    }
}
