//! `tests/run/<case>/`: `tick run` on `script.tick` + `input.lp` must print `expected.jsonl`;
//! when `expected_exec.jsonl` exists, what exec programs received must match it byte for byte.
//!
//! Optional files: `args` (extra CLI arguments, one per line), `handlers/` (topic-handler
//! files), `expected_stderr.txt` (lines that must appear in stderr), `exit_code` (default 0).
//! Exec programs in scripts append their stdin to `$TICK_CAPTURE`.

use crate::harness::{assert_no_failures, blessing, compare, root};
use std::path::Path;
use std::process::Command;

fn run_case(dir: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    let capture = std::env::temp_dir().join(format!(
        "tick-capture-{}-{}",
        std::process::id(),
        dir.file_name().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_file(&capture);
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tick"));
    cmd.current_dir(dir).env("TICK_CAPTURE", &capture).env("NO_COLOR", "1");
    cmd.args(["run", "script.tick", "--input", "input.lp"]);
    if dir.join("handlers").is_dir() {
        cmd.args(["--handlers", "handlers"]);
    }
    if let Ok(args) = std::fs::read_to_string(dir.join("args")) {
        cmd.args(args.lines().filter(|l| !l.trim().is_empty()));
    }
    let out = cmd.output().expect("tick runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let name = dir.display();
    let want_code: i32 = std::fs::read_to_string(dir.join("exit_code")).map_or(0, |s| s.trim().parse().unwrap());
    if out.status.code() != Some(want_code) {
        failures.push(format!("{name}: exit code {:?}, expected {want_code}\nstderr:\n{stderr}", out.status.code()));
    }
    if let Some(f) = compare(&dir.join("expected.jsonl"), &stdout) {
        failures.push(format!("{f}\nstderr:\n{stderr}"));
    }
    let exec_golden = dir.join("expected_exec.jsonl");
    if exec_golden.exists() {
        let captured = std::fs::read_to_string(&capture).unwrap_or_default();
        if let Some(f) = compare(&exec_golden, &captured) {
            failures.push(f);
        }
    }
    if let Ok(expected) = std::fs::read_to_string(dir.join("expected_stderr.txt")) {
        for line in expected.lines().filter(|l| !l.is_empty()) {
            if !stderr.contains(line) && !blessing() {
                failures.push(format!("{name}: stderr lacks `{line}`:\n{stderr}"));
            }
        }
    }
    let _ = std::fs::remove_file(&capture);
    failures
}

#[test]
fn run_cases_match_their_goldens() {
    let mut dirs: Vec<_> = std::fs::read_dir(root().join("tests/run"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("script.tick").exists())
        .collect();
    dirs.sort();
    let filter = std::env::var("TICK_CASE").unwrap_or_default();
    dirs.retain(|d| d.to_string_lossy().contains(&filter));
    assert!(!dirs.is_empty());
    let failures: Vec<String> = dirs.iter().flat_map(|d| run_case(d)).collect();
    assert_no_failures(failures);
}
