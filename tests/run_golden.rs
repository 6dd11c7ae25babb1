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
//! A case with `kapacitor.txt` was recorded from Kapacitor 1.5.7 by `record.py`: its script
//! names `CAPTURE` and `OUT`, `OUT1`, ... (replaced by an appending program and scratch files),
//! its goldens are `expected-OUT*.jsonl` (never blessed; compared as sorted lines when the case
//! has `unordered`), and the run gets the recording's task name, ServerInfo, dbrp and precision.

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

/// True for a case recorded from Kapacitor 1.5.7 by `record.py`.
fn recorded(dir: &Path) -> bool {
    dir.join("kapacitor.txt").exists()
}

/// The recorded case's script with `CAPTURE` and `OUT*` pointing into `scratch`, and its run arguments.
fn recorded_run(dir: &Path, scratch: &Path) -> (PathBuf, Vec<String>) {
    let capture = scratch.join("capture.sh");
    std::fs::write(&capture, "#!/bin/sh\ncat >> \"$1\"\n").unwrap();
    std::fs::set_permissions(&capture, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let text = std::fs::read_to_string(dir.join("script.tick")).unwrap();
    let text = text.replace("CAPTURE", &capture.to_string_lossy()).replace("CASEDIR", &dir.to_string_lossy());
    let outs = regex::Regex::new(r"\bOUT(\d*)\b").unwrap();
    let text = outs.replace_all(&text, format!("{}/OUT${{1}}.jsonl", scratch.display()).as_str());
    let script = scratch.join("script.tick");
    std::fs::write(&script, text.as_ref()).unwrap();
    let opt = |name: &str, default: &str| std::fs::read_to_string(dir.join(name)).map_or(default.to_string(), |s| s.trim().to_string());
    let dbrp = opt("dbrp", "db.rp");
    let (db, rp) = dbrp.split_once('.').unwrap();
    let task = dir.file_name().unwrap().to_string_lossy().to_string();
    let args = ["-q", "--task-name", &task, "--hostname", "localhost", "--cluster-id", "11111111-1111-4111-8111-111111111111"]
        .into_iter()
        .chain(["--server-id", "22222222-2222-4222-8222-222222222222", "--database", db, "--retention-policy", rp])
        .map(String::from)
        .chain(["--precision".to_string(), opt("precision", "ns")])
        .collect();
    (script, args)
}

/// Compares the recorded `expected-OUT*.jsonl` goldens with what the run's exec programs got.
fn compare_recorded(dir: &Path, scratch: &Path, failures: &mut Vec<String>) {
    let unordered = dir.join("unordered").exists();
    let sorted = |s: String| if unordered { let mut l: Vec<&str> = s.lines().collect(); l.sort(); l.join("\n") } else { s };
    for entry in std::fs::read_dir(dir).unwrap() {
        let golden = entry.unwrap().path();
        let name = golden.file_name().unwrap().to_string_lossy().to_string();
        let Some(out) = name.strip_prefix("expected-").filter(|n| n.starts_with("OUT")) else { continue };
        let want = sorted(std::fs::read_to_string(&golden).unwrap());
        let got = sorted(std::fs::read_to_string(scratch.join(out)).unwrap_or_default());
        if want != got {
            failures.push(format!("--- {} (recorded from Kapacitor 1.5.7)\n{want}\n+++ tick\n{got}", golden.display()));
        }
    }
}

fn command(dir: &Path, scratch: &Path, capture: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tick"));
    cmd.current_dir(dir).env("TICK_CAPTURE", capture).env("NO_COLOR", "1");
    if recorded(dir) {
        let (script, args) = recorded_run(dir, scratch);
        cmd.arg("run").arg(script).args(args).stdin(Stdio::null());
        if dir.join("input.lp").exists() {
            cmd.args(["--input", "input.lp"]);
        }
        return cmd;
    }
    let script = substituted(&dir.join("script.tick"), scratch, scratch);
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
    if recorded(dir) {
        compare_recorded(dir, &scratch, &mut failures);
    } else if let Some(f) = compare(&dir.join("expected.jsonl"), &stdout) {
        failures.push(format!("{f}\nstderr:\n{stderr}"));
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
