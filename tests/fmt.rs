//! `tick fmt` against goldens recorded from Kapacitor 1.5.7's tickfmt (`scripts/record_fmt.sh`).
//!
//! tests/fmt/**/NAME.tick with NAME.expected: tickfmt's stdout, byte for byte (never blessed from
//! tick); with NAME.fails: tickfmt rejects the script, so tick fmt must report an error too.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scripts() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fmt")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "tick") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn tick(args: &[&str], stdin: Option<&str>) -> Output {
    use std::io::Write;
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tick"));
    cmd.args(args).current_dir(env!("CARGO_MANIFEST_DIR")).env("NO_COLOR", "1");
    cmd.stdin(std::process::Stdio::piped()).stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("tick runs");
    let mut pipe = child.stdin.take().unwrap();
    pipe.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(pipe);
    child.wait_with_output().unwrap()
}

#[test]
fn fmt_matches_every_tickfmt_golden() {
    let mut failures = Vec::new();
    let (mut formatted, mut rejected) = (0, 0);
    for script in scripts() {
        let source = std::fs::read_to_string(&script).unwrap();
        let expected = script.with_extension("expected");
        let result = tickscript::fmt::format(&source);
        if let Ok(want) = std::fs::read_to_string(&expected) {
            formatted += 1;
            match result {
                Ok(got) if got == want => {}
                Ok(got) => failures.push(format!("{}:\n--- tickfmt\n{want}\n+++ tick fmt\n{got}", script.display())),
                Err(diag) => failures.push(format!("{}: tick fmt rejects it: {}", script.display(), diag.message)),
            }
        } else if script.with_extension("fails").exists() {
            rejected += 1;
            if let Ok(got) = result {
                failures.push(format!("{}: tickfmt rejects it, tick fmt printed\n{got}", script.display()));
            }
        } else {
            failures.push(format!("{}: no .expected or .fails (run scripts/record_fmt.sh)", script.display()));
        }
    }
    assert!(formatted >= 170 && rejected >= 5, "only {formatted} goldens and {rejected} rejected scripts");
    assert!(failures.is_empty(), "{} failure(s):\n\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn fmt_stdin_to_stdout() {
    let out = tick(&["fmt"], Some("stream|from()|log()"));
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "stream\n    |from()\n    |log()\n");
}

#[test]
fn fmt_check_prints_a_diff_and_exits_1() {
    let out = tick(&["fmt", "--check", "tests/fmt/edge/whitespace_mess.tick"], None);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.starts_with("--- a/tests/fmt/edge/whitespace_mess.tick\n+++ b/tests/fmt/edge/whitespace_mess.tick\n@@"), "{stdout}");
    assert!(stdout.contains("\n+    |window()\n"), "{stdout}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 file would be reformatted"));
}

#[test]
fn fmt_check_of_formatted_scripts_exits_0() {
    let out = tick(&["fmt", "--check", "scripts"], None);
    assert_eq!(out.status.code(), Some(0), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn fmt_reports_a_syntax_error_through_the_check_renderer_and_leaves_the_file() {
    let dir = std::env::temp_dir().join(format!("tick-fmt-test-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let bad = dir.join("sub/bad.tick");
    let messy = dir.join("messy.tick");
    std::fs::write(&bad, "stream|from(\n").unwrap();
    std::fs::write(&messy, "stream|from()|log()").unwrap();
    let out = tick(&["fmt", "--write", dir.to_str().unwrap()], None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("E101") && stderr.contains("bad.tick:2:1"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&bad).unwrap(), "stream|from(\n");
    assert_eq!(std::fs::read_to_string(&messy).unwrap(), "stream\n    |from()\n    |log()\n");
    let json = tick(&["fmt", "--check", "--format", "json", bad.to_str().unwrap()], None);
    assert!(String::from_utf8_lossy(&json.stdout).contains("\"code\":\"E101\""));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn fmt_usage_errors_exit_2() {
    assert_eq!(tick(&["fmt", "no/such/file.tick"], None).status.code(), Some(2));
    assert_eq!(tick(&["fmt", "--check", "--write", "scripts"], None).status.code(), Some(2));
    assert_eq!(tick(&["fmt", "--write"], None).status.code(), Some(2));
}
