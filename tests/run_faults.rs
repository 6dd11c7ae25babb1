//! `tick run` when its surroundings fail: the event output cannot be written
//! (a full disk), its reader goes away (`| head -1`), a signal arrives
//! mid-run, and a parent that already used CPU in children (`cargo run`).

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A scratch directory with a script whose every point changes the level (so every point fires).
struct Case {
    dir: PathBuf,
}

impl Case {
    fn new(test: &str, exec: &str) -> Case {
        let dir = std::env::temp_dir().join(format!("tick-faults-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let script = format!(
            "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n        .crit(lambda: \"mode\" == 'crit')\n        \
             .details('')\n        .exec('/bin/sh', '-c', '{exec}')\n"
        );
        std::fs::write(dir.join("script.tick"), script).unwrap();
        std::fs::write(dir.join("input.lp"), points(0, 200)).unwrap();
        Case { dir }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_tick"));
        cmd.current_dir(&self.dir).env("TICK_CAPTURE", self.dir.join("capture")).args(["run", "script.tick"]).args(args);
        cmd
    }

    fn captured(&self) -> usize {
        std::fs::read_to_string(self.dir.join("capture")).unwrap_or_default().lines().count()
    }
}

impl Drop for Case {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Points `from..to`, 1 s apart, alternating `crit` and `ok`.
fn points(from: usize, to: usize) -> String {
    (from..to).map(|i| format!("cpu,mode={} v={i} {}\n", if i % 2 == 0 { "crit" } else { "ok" }, (1_700_000_000 + i as i64) * 1_000_000_000)).collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_full_output_file_is_reported_and_exits_1() {
    let case = Case::new("full-file", "cat > /dev/null");
    let out = case.command(&["--input", "input.lp", "--output", "/dev/full"]).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("/dev/full: cannot write: No space left on device"), "{err}");
    assert!(err.contains("200 runs, 0 failures"), "events already read still reach their handlers: {err}");
}

#[test]
fn a_full_stdout_is_reported_and_exits_1() {
    let case = Case::new("full-stdout", "cat > /dev/null");
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
    let out = case.command(&["--input", "input.lp"]).stdout(full).stderr(Stdio::piped()).output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("<stdout>: cannot write: No space left on device"), "{err}");
}

#[test]
fn a_closed_stdout_ends_the_run_quietly() {
    let case = Case::new("head", "cat > /dev/null");
    std::fs::write(case.dir.join("input.lp"), points(0, 200_000)).unwrap();
    let mut child = case.command(&["--input", "input.lp"]).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
    assert!(first.starts_with("{\"id\":\"cpu:nil\""), "{first}");
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "like `rg ... | head -1`: {err}");
    assert!(!err.contains("panicked") && !err.contains("error"), "{err}");
}

/// Starts a quiet run reading stdin (kept open), feeds `n` firing points and waits
/// until the first handler program has run: every event is then queued.
fn start_with_queued_events(case: &Case, n: usize) -> (Child, ChildStdin) {
    let mut child = case.command(&["--input", "-", "-q"]).stdin(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(points(0, n).as_bytes()).unwrap();
    stdin.flush().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while case.captured() == 0 {
        assert!(Instant::now() < deadline, "no handler program ran");
        std::thread::sleep(Duration::from_millis(10));
    }
    (child, stdin)
}

fn signal(child: &Child, sig: Signal) {
    kill(Pid::from_raw(child.id() as i32), sig).unwrap();
}

#[test]
fn sigint_stops_reading_delivers_what_is_queued_and_exits_130() {
    let case = Case::new("sigint", "cat > /dev/null; echo ran >> \"$TICK_CAPTURE\"; sleep 0.2");
    let (child, _stdin_kept_open) = start_with_queued_events(&case, 6);
    signal(&child, Signal::SIGINT);
    let out = child.wait_with_output().unwrap();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert_eq!(case.captured(), 6, "every queued event was delivered: {err}");
    assert!(err.contains("SIGINT: stopped reading"), "{err}");
    assert!(err.contains("tick run: 6 points read") && err.contains("6 runs, 0 failures"), "the summary: {err}");
}

#[test]
fn sigterm_exits_143_after_the_queue_drains() {
    let case = Case::new("sigterm", "cat > /dev/null; echo ran >> \"$TICK_CAPTURE\"; sleep 0.1");
    let (child, _stdin_kept_open) = start_with_queued_events(&case, 4);
    signal(&child, Signal::SIGTERM);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(143), "{}", stderr(&out));
    assert_eq!(case.captured(), 4);
}

#[test]
fn a_second_signal_exits_at_once() {
    let case = Case::new("twice", "cat > /dev/null; echo ran >> \"$TICK_CAPTURE\"; sleep 5");
    let (child, _stdin_kept_open) = start_with_queued_events(&case, 4);
    let started = Instant::now();
    signal(&child, Signal::SIGINT);
    std::thread::sleep(Duration::from_millis(300));
    signal(&child, Signal::SIGINT);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr(&out));
    assert!(started.elapsed() < Duration::from_secs(4), "did not wait for the 5 s programs: {:?}", started.elapsed());
    assert!(case.captured() < 4, "the queue was not drained");
}

#[test]
fn cpu_of_a_parent_s_earlier_children_is_not_counted_as_handler_programs() {
    let case = Case::new("cpu", "cat > /dev/null");
    let tick = env!("CARGO_BIN_EXE_tick");
    // Like `cargo run`: the shell waits for a child that burns ~1 s of CPU, then execs tick.
    let script = format!("timeout 1 sh -c 'while :; do :; done'; exec {tick} run script.tick --input input.lp -q");
    let out = Command::new("bash").arg("-c").arg(script).current_dir(&case.dir).output().unwrap();
    let err = stderr(&out);
    let line = err.lines().find(|l| l.contains("cpu: tick")).unwrap_or_else(|| panic!("no cpu line: {err}"));
    let programs: f64 = line.rsplit("handler programs ").next().unwrap().trim_end_matches(" s").parse().unwrap();
    assert!(programs < 0.5, "200 `cat` runs take well under 0.5 s; the parent's 1 s is not ours: {line}");
}
