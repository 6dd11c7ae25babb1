//! `tick run` under misbehaving exec programs, heavy load and bad input, with real processes:
//! a hanging program is killed at the timeout, failures are reported with the handler name,
//! nothing is lost, and a bad input line stops or is skipped as asked.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

/// A scratch directory holding one test's script, input and capture file.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new(test: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("tick-reliability-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch { dir }
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn capture(&self) -> PathBuf {
        self.dir.join("capture")
    }

    fn captured(&self) -> String {
        std::fs::read_to_string(self.capture()).unwrap_or_default()
    }

    /// Runs `tick run script.tick --input input.lp ARGS...` in the scratch directory.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_tick"))
            .current_dir(&self.dir)
            .env("TICK_CAPTURE", self.capture())
            .env("NO_COLOR", "1")
            .args(["run", "script.tick", "--input", "input.lp"])
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("tick runs")
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A script alerting CRITICAL on every point, with one `.exec()` handler running `sh -c CMD`.
fn exec_script(command: &str) -> String {
    format!(
        "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n        .crit(lambda: TRUE)\n        \
         .message('{{{{ index .Tags \"mode\" }}}}')\n        .details('')\n        .exec('/bin/sh', '-c', '{command}')\n"
    )
}

/// `n` points, 1 s apart, tagged `mode=<mode(i)>`.
fn points(n: usize, mode: impl Fn(usize) -> &'static str) -> String {
    (0..n).map(|i| format!("cpu,mode={} v={i} {}\n", mode(i), (1_700_000_000 + i as i64) * 1_000_000_000)).collect()
}

/// The `time` value of every JSON line in `text`.
fn times(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            v["time"].as_str().unwrap().to_string()
        })
        .collect()
}

/// The RFC 3339 time of point `i` (1700000000 s + i), computed independently of tick.
fn rfc3339(i: usize) -> String {
    let t = 1_700_000_000 + i as i64;
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    // Days since 1970-01-01 to a civil date (proleptic Gregorian).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[test]
fn hanging_exec_is_killed_at_the_timeout_and_the_run_continues() {
    let s = Scratch::new("hang");
    s.write("script.tick", &exec_script(r#"line=$(cat); case "$line" in *hang*) sleep 30;; esac; echo "$line" >> "$TICK_CAPTURE""#));
    s.write("input.lp", &points(3, |i| if i == 0 { "hang" } else { "ok" }));
    let started = Instant::now();
    let out = s.run(&["--exec-timeout", "300ms"]);
    let elapsed = started.elapsed();
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(elapsed < Duration::from_secs(10), "the hanging program was not killed: {elapsed:?}");
    assert!(err.contains("handler alert2.exec[0] failed on event cpu:nil"), "{err}");
    assert!(err.contains("timed out after 300ms"), "{err}");
    assert!(err.contains("3 runs, 1 failures, 1 timeouts"), "{err}");
    assert_eq!(times(&s.captured()), [rfc3339(1), rfc3339(2)], "the events after the hang still ran");
}

/// Runs `script` over `n` points that all fire; the scratch dir (for captures), output and stderr.
fn run_ok_points(name: &str, script: &str, n: usize) -> (Scratch, std::process::Output, String) {
    let s = Scratch::new(name);
    s.write("script.tick", script);
    s.write("input.lp", &points(n, |_| "ok"));
    let out = s.run(&[]);
    let err = stderr(&out);
    (s, out, err)
}

#[test]
fn exec_exiting_1_is_reported_with_its_stderr() {
    let (_s, out, err) = run_ok_points("exit1", &exec_script("cat > /dev/null; echo disk full >&2; exit 1"), 2);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("handler alert2.exec[0] failed on event cpu:nil"), "{err}");
    assert!(err.contains("disk full"), "the stderr tail is reported: {err}");
    assert!(err.contains("2 runs, 2 failures"), "{err}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 2, "events are still printed");
}

#[test]
fn missing_exec_program_is_reported() {
    let script = exec_script("x").replace(".exec('/bin/sh', '-c', 'x')", ".exec('/nonexistent/tick-notify')");
    let (_s, out, err) = run_ok_points("missing", &script, 2);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("handler alert2.exec[0] failed on event cpu:nil"), "{err}");
    assert!(err.contains("\"/nonexistent/tick-notify\" does not exist"), "{err}");
    assert!(err.contains("2 failures"), "{err}");
}

#[test]
fn exec_closing_stdin_early_is_not_a_failure() {
    let (s, out, err) = run_ok_points("stdin", &exec_script("exec < /dev/null; echo ran >> \"$TICK_CAPTURE\""), 50);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("50 runs, 0 failures"), "{err}");
    assert_eq!(s.captured().lines().count(), 50);
}

#[test]
fn ten_thousand_events_through_one_exec_handler_arrive_in_order() {
    const N: usize = 10_000;
    let s = Scratch::new("10k");
    // `tee -a FILE` is one process per event (`sh -c 'cat >> …'` is two): about 2.5 ms each.
    let tee = format!(".exec('tee', '-a', '{}')", s.capture().display());
    let script = exec_script("x")
        .replace(".exec('/bin/sh', '-c', 'x')", &tee)
        .replace(".crit(lambda: TRUE)", ".crit(lambda: \"mode\" == 'crit')");
    s.write("script.tick", &script);
    // Alternating CRITICAL and OK: every point changes the level, so every point fires.
    s.write("input.lp", &points(N, |i| if i % 2 == 0 { "crit" } else { "ok" }));
    let out = s.run(&["--queue-capacity", "64"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains(&format!("{N} runs, 0 failures")), "{err}");
    let expected: Vec<String> = (0..N).map(rfc3339).collect();
    assert_eq!(times(&s.captured()), expected, "every event, once, in order");
    assert_eq!(times(&String::from_utf8_lossy(&out.stdout)), expected);
}

#[test]
fn the_expected_times_are_right() {
    assert_eq!(rfc3339(0), "2023-11-14T22:13:20Z");
    assert_eq!(rfc3339(9_999), "2023-11-15T00:59:59Z");
}

fn bad_line_case(s: &Scratch) {
    s.write("script.tick", &exec_script("cat >> \"$TICK_CAPTURE\""));
    let mut input = points(3, |_| "ok");
    input.push_str("cpu,mode=ok v=\n");
    input.push_str(&points(5, |_| "ok").lines().skip(3).map(|l| format!("{l}\n")).collect::<String>());
    s.write("input.lp", &input);
}

#[test]
fn bad_line_fail_stops_with_its_position_after_delivering_earlier_alerts() {
    let s = Scratch::new("badfail");
    bad_line_case(&s);
    let out = s.run(&["--on-bad-line", "fail"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("error[E702]: input.lp:4:15: missing field value"), "{err}");
    assert!(err.contains("3 points read, 1 bad lines"), "{err}");
    assert_eq!(times(&s.captured()), [rfc3339(0), rfc3339(1), rfc3339(2)]);
}

#[test]
fn bad_line_skip_continues_and_reports() {
    let s = Scratch::new("badskip");
    bad_line_case(&s);
    let out = s.run(&["--on-bad-line", "skip"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.contains("5 points read, 1 bad lines"), "{err}");
    assert!(err.contains("skipped input.lp:4:15: missing field value"), "{err}");
    assert_eq!(times(&s.captured()), (0..5).map(rfc3339).collect::<Vec<_>>());
}
