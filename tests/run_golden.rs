//! `tests/run/<case>/`: `tick run` on `script.tick` + `input.lp` must print `expected.jsonl`;
//! when `expected_exec.jsonl` exists, what exec programs received must match it byte for byte.
//!
//! Optional files: `args` (extra CLI arguments, one per line), `handlers/` (topic-handler
//! files), `expected_stderr.txt` (lines that must appear in stderr), `exit_code` (default 0),
//! `stdin.lp` (piped to tick's stdin; `input.lp` is passed with `--input` only if it exists),
//! `expected_files/NAME` (must equal the file NAME the run wrote into its scratch directory).
//! Exec programs in scripts append their stdin to `$TICK_CAPTURE`. `@SCRATCH@` in the script
//! or a handler file is replaced by the case's scratch directory (an absolute path) before
//! the run, for handlers that need absolute paths (`.log()`, `kind: log`).
//! See `tests/run/README.md`.
//!
//! Cases recorded from Kapacitor 1.5.7 by `record.py` (they hold `kapacitor.txt`) keep its
//! layout: `CAPTURE`, `OUT`, `OUT1`, ... and `CASEDIR` in the script are filled in, the run
//! gets the task name and ServerInfo `record.py` gives the daemon, and each `expected-OUT*.jsonl`
//! must equal what the exec programs got (as sorted lines when the case has `unordered`).
//! These goldens are never blessed.

use crate::harness::{assert_no_failures, blessing, compare, root};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

const SCRATCH: &str = "@SCRATCH@";

/// A fresh scratch directory for one case.
fn scratch_dir(dir: &Path) -> PathBuf {
    let scratch = std::env::temp_dir().join(format!(
        "tick-golden-{}-{}",
        std::process::id(),
        dir.file_name().unwrap().to_string_lossy()
    ));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).unwrap();
    scratch
}

/// `path` itself, or a copy in `scratch` with `@SCRATCH@` replaced when the file mentions it.
fn substituted(path: &Path, scratch: &Path, into: &Path) -> PathBuf {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    if !text.contains(SCRATCH) {
        return path.to_path_buf();
    }
    let copy = into.join(path.file_name().unwrap());
    std::fs::write(&copy, text.replace(SCRATCH, &scratch.to_string_lossy())).unwrap();
    copy
}

/// The handlers directory to pass: the case's own, or a substituted copy.
fn handlers_dir(dir: &Path, scratch: &Path) -> PathBuf {
    let own = dir.join("handlers");
    let needs_copy = std::fs::read_dir(&own)
        .unwrap()
        .any(|e| std::fs::read_to_string(e.unwrap().path()).is_ok_and(|t| t.contains(SCRATCH)));
    if !needs_copy {
        return PathBuf::from("handlers");
    }
    let copy = scratch.join("handlers");
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(&own).unwrap() {
        let path = entry.unwrap().path();
        let out = substituted(&path, scratch, &copy);
        if out == path {
            std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
        }
    }
    copy
}

fn command(dir: &Path, scratch: &Path, capture: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tick"));
    cmd.current_dir(dir).env("TICK_CAPTURE", capture).env("NO_COLOR", "1");
    let script = if recorded(dir) { recorded_script(dir, scratch) } else { substituted(&dir.join("script.tick"), scratch, scratch) };
    let script = if script.starts_with(dir) { PathBuf::from("script.tick") } else { script };
    cmd.arg("run").arg(script);
    if dir.join("input.lp").exists() {
        cmd.args(["--input", "input.lp"]);
    }
    if dir.join("handlers").is_dir() {
        cmd.arg("--handlers").arg(handlers_dir(dir, scratch));
    }
    if let Ok(args) = std::fs::read_to_string(dir.join("args")) {
        cmd.args(args.lines().filter(|l| !l.trim().is_empty()));
    }
    if recorded(dir) {
        cmd.args(recorded_args(dir));
    }
    cmd.stdin(match std::fs::File::open(dir.join("stdin.lp")) {
        Ok(file) => Stdio::from(file),
        Err(_) => Stdio::null(),
    });
    cmd
}

fn run_case(dir: &Path) -> Vec<String> {
    let mut failures = Vec::new();
    let scratch = scratch_dir(dir);
    let capture = scratch.join("capture");
    let out = command(dir, &scratch, &capture).output().expect("tick runs");
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
    if recorded(dir) {
        failures.extend(recorded_outputs(dir, &scratch));
    }
    let exec_golden = dir.join("expected_exec.jsonl");
    if exec_golden.exists() {
        let captured = std::fs::read_to_string(&capture).unwrap_or_default();
        if let Some(f) = compare(&exec_golden, &captured) {
            failures.push(f);
        }
    }
    if let Ok(entries) = std::fs::read_dir(dir.join("expected_files")) {
        for entry in entries {
            let golden = entry.unwrap().path();
            let written = std::fs::read_to_string(scratch.join(golden.file_name().unwrap())).unwrap_or_default();
            if let Some(f) = compare(&golden, &written) {
                failures.push(f);
            }
        }
    }
    if let Ok(expected) = std::fs::read_to_string(dir.join("expected_stderr.txt")) {
        for line in expected.lines().filter(|l| !l.is_empty()) {
            if !stderr.contains(line) && !blessing() {
                failures.push(format!("{name}: stderr lacks `{line}`:\n{stderr}"));
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);
    failures
}

/// True for a case recorded from Kapacitor by `record.py`.
fn recorded(dir: &Path) -> bool {
    dir.join("kapacitor.txt").exists()
}

/// The recorded script with `record.py`'s placeholders filled in for this run.
fn recorded_script(dir: &Path, scratch: &Path) -> PathBuf {
    let capture = scratch.join("capture.sh");
    std::fs::write(&capture, "#!/bin/sh\ncat >> \"$1\"\n").unwrap();
    let text = std::fs::read_to_string(dir.join("script.tick")).unwrap();
    let text = text.replace("CAPTURE", &format!("/bin/sh', '{}", capture.display())).replace("CASEDIR", &dir.display().to_string());
    let out = regex::Regex::new(r"\bOUT(\d*)\b").unwrap();
    let text = out.replace_all(&text, |c: &regex::Captures| scratch.join(format!("OUT{}.jsonl", &c[1])).display().to_string());
    let path = scratch.join("script.tick");
    std::fs::write(&path, text.as_bytes()).unwrap();
    path
}

/// The task name, ServerInfo and input options `record.py` gives the daemon.
fn recorded_args(dir: &Path) -> Vec<String> {
    let name = dir.file_name().unwrap().to_string_lossy().to_string();
    let mut args: Vec<String> = ["--task-name", &name, "--hostname", "localhost", "-q"].map(String::from).to_vec();
    args.extend(["--cluster-id", "11111111-1111-4111-8111-111111111111", "--server-id", "22222222-2222-4222-8222-222222222222"].map(String::from));
    if let Ok(precision) = std::fs::read_to_string(dir.join("precision")) {
        args.extend(["--precision".to_string(), precision.trim().to_string()]);
    }
    args
}

/// Each `expected-OUT*.jsonl` against the file the run's exec programs wrote.
fn recorded_outputs(dir: &Path, scratch: &Path) -> Vec<String> {
    let unordered = dir.join("unordered").exists();
    let lines = |text: &str| {
        let mut lines: Vec<String> = text.lines().map(String::from).collect();
        if unordered {
            lines.sort();
        }
        lines
    };
    let mut failures = Vec::new();
    for golden in crate::harness::files_with_extension(dir, "jsonl") {
        let file = golden.file_name().unwrap().to_string_lossy().to_string();
        let Some(out) = file.strip_prefix("expected-") else { continue };
        let want = std::fs::read_to_string(&golden).unwrap();
        let got = std::fs::read_to_string(scratch.join(out)).unwrap_or_default();
        if lines(&want) != lines(&got) || (!unordered && want != got) {
            let how = if unordered { " (compared as sorted lines)" } else { "" };
            failures.push(format!("--- {} (recorded from Kapacitor 1.5.7){how}\n{want}\n+++ tick run\n{got}", golden.display()));
        }
    }
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
