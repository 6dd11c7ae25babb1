//! Real processes through RealSpawner.

use super::{scratch_dir, ALERT_EXEC_JSON};
use crate::handler::exec::{tail_text, ExecOutcome, ExecSpec, RealSpawner, Spawner};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

fn sh(script: &str, timeout: Duration) -> ExecSpec {
    ExecSpec { prog: "/bin/sh".into(), args: vec!["-c".into(), script.into()], timeout }
}

fn run(spec: &ExecSpec, stdin: &str) -> crate::handler::ExecResult {
    runtime().block_on(RealSpawner.run(spec, Arc::from(stdin)))
}

#[test]
fn stdin_arrives_byte_for_byte() {
    let dir = scratch_dir("stdin");
    let out = dir.join("out.json");
    let spec = sh(&format!("cat > '{}'", out.display()), Duration::from_secs(10));
    let result = run(&spec, ALERT_EXEC_JSON);
    assert_eq!(result.outcome, ExecOutcome::Ok);
    assert!(!result.stdin_closed_early);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), ALERT_EXEC_JSON);
}

#[test]
fn args_are_passed_without_a_shell() {
    let dir = scratch_dir("args");
    let out = dir.join("args.txt");
    // printf receives `$HOME` and `a b` literally: no shell expands or splits them.
    let spec = ExecSpec {
        prog: "/bin/sh".into(),
        args: vec!["-c".into(), "printf '%s|' \"$@\" > \"$0\"".into(), out.display().to_string(), "$HOME".into(), "a b".into()],
        timeout: Duration::from_secs(10),
    };
    assert_eq!(run(&spec, "").outcome, ExecOutcome::Ok);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "$HOME|a b|");
}

#[test]
fn non_zero_exit_reports_code_and_stderr_tail() {
    let script = "for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo line$i >&2; done; exit 3";
    let result = run(&sh(script, Duration::from_secs(10)), ALERT_EXEC_JSON);
    let ExecOutcome::ExitFailure { code, signal, stderr_tail } = result.outcome else {
        panic!("expected an exit failure, got {:?}", result.outcome);
    };
    assert_eq!((code, signal), (Some(3), None));
    let expected: Vec<String> = (3..=12).map(|i| format!("line{i}")).collect();
    assert_eq!(stderr_tail, expected.join("\n"));
}

#[test]
fn false_is_an_exit_failure_with_code_1() {
    let spec = ExecSpec::new("false", vec![]);
    assert!(matches!(run(&spec, "{}\n").outcome, ExecOutcome::ExitFailure { code: Some(1), .. }));
}

#[test]
fn missing_program_is_reported() {
    let on_path = run(&ExecSpec::new("tick-no-such-program-xyz", vec![]), "{}\n");
    assert_eq!(
        on_path.outcome,
        ExecOutcome::SpawnFailed { message: "program \"tick-no-such-program-xyz\" not found on PATH".into() }
    );
    let absolute = run(&ExecSpec::new("/nonexistent/notify", vec![]), "{}\n");
    assert_eq!(absolute.outcome, ExecOutcome::SpawnFailed { message: "program \"/nonexistent/notify\" does not exist".into() });
}

#[test]
fn hanging_group_is_killed_at_the_timeout_children_included() {
    let dir = scratch_dir("hang");
    let pidfile = dir.join("bg.pid");
    let script = format!("echo starting >&2; sleep 60 & echo $! > '{}'; sleep 60", pidfile.display());
    let started = Instant::now();
    let result = run(&sh(&script, Duration::from_millis(300)), ALERT_EXEC_JSON);
    let elapsed = started.elapsed();
    assert_eq!(result.outcome, ExecOutcome::TimedOut { stderr_tail: "starting".into() });
    assert!(elapsed >= Duration::from_millis(300) && elapsed < Duration::from_secs(5), "took {elapsed:?}");
    // The background `sleep 60` was in the same process group: it must be gone.
    let pid = std::fs::read_to_string(&pidfile).unwrap().trim().to_string();
    let alive = |pid: &str| {
        std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|s| !s.contains(") Z "))
    };
    let deadline = Instant::now() + Duration::from_secs(2);
    while alive(&pid) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(!alive(&pid), "background child {pid} survived the timeout");
}

#[test]
fn program_that_ignores_stdin_is_fine_and_counted() {
    let big = "x".repeat(1 << 20) + "\n";
    let result = run(&ExecSpec::new("true", vec![]), &big);
    assert_eq!(result.outcome, ExecOutcome::Ok);
    assert!(result.stdin_closed_early, "a 1 MiB payload cannot fit in the pipe, so `true` must close it early");
}

#[test]
fn tail_keeps_last_ten_lines_and_two_kib() {
    let many: String = (1..=20).map(|i| format!("l{i}\n")).collect();
    assert_eq!(tail_text(many.as_bytes()), (11..=20).map(|i| format!("l{i}")).collect::<Vec<_>>().join("\n"));
    let long = "a".repeat(5000);
    assert_eq!(tail_text(long.as_bytes()).len(), 2048);
}
