//! Writes in every protocol, the documentation example, bad requests,
//! kill -9 and restart, reload, back-pressure and the SIGTERM drain.

use super::client::{cpu_script, gzip, workdir, Server};
use crate::harness::root;
use nix::sys::signal::Signal;

fn level_of(line: &str) -> (String, String, i64) {
    let v: serde_json::Value = serde_json::from_str(line).unwrap();
    (v["level"].as_str().unwrap().into(), v["previousLevel"].as_str().unwrap().into(), v["duration"].as_i64().unwrap())
}

#[test]
fn writes_in_each_protocol_reach_the_tasks_of_their_dbrp() {
    let dir = workdir("protocols");
    std::fs::write(dir.join("tasks/a.tick"), "dbrp \"telegraf\".\"autogen\"\nstream|from().measurement('cpu')|log()").unwrap();
    std::fs::write(dir.join("tasks/b.tick"), "stream|from().measurement('cpu')|log()").unwrap();
    let server = Server::start(&dir, "[auth]\ntoken = \"secret\"\nmetrics-auth = false\n");
    for method in ["GET", "HEAD"] {
        assert_eq!(server.request(method, "/ping", &[], b"").status, 204);
    }
    let line = "cpu,host=a usage_idle=50 1700000000000000000\n";
    assert_eq!(server.post("/write?db=telegraf&rp=autogen", line).status, 401);
    assert_eq!(server.post("/write?db=telegraf&rp=autogen&u=x&p=secret", line).status, 204);
    let v2 = server.request("POST", "/api/v2/write?org=o&bucket=telegraf/autogen&precision=s", &[("Authorization", "Token secret")], b"cpu,host=a usage_idle=50 1700000001\n");
    assert_eq!(v2.status, 204, "{}", v2.body);
    let body = gzip("cpu,host=a usage_idle=1 1\ncpu,host=b usage_idle=2 2\n");
    let gz = server.request("POST", "/kapacitor/v1/write?db=other&p=secret", &[("Content-Encoding", "gzip")], &body);
    assert_eq!(gz.status, 204, "{}", gz.body);
    assert_eq!(server.post("/query?q=CREATE+DATABASE+x&p=secret", "").status, 200);
    let metrics = server.metric("tick_task_points_total{task=\"b\"} 4");
    assert!(metrics.lines().any(|l| l == "tick_task_points_total{task=\"b\"} 4"), "{metrics}");
    assert!(metrics.lines().any(|l| l == "tick_task_points_total{task=\"a\"} 2"), "{metrics}");
    assert!(metrics.lines().any(|l| l == "tick_points_received_total 4"), "{metrics}");
    let tasks: serde_json::Value = serde_json::from_str(&server.get("/kapacitor/v1/tasks/a?p=secret").body).unwrap();
    assert_eq!(tasks["dbrps"][0]["db"], "telegraf");
}

#[test]
fn documentation_example_exec_output_is_byte_identical_to_tick_run() {
    let case = root().join("tests/run/doc_exec_example");
    let dir = workdir("doc");
    std::fs::copy(case.join("script.tick"), dir.join("tasks/cpu_alert.tick")).unwrap();
    let config = "[server]\nhostname = \"localhost\"\ncluster-id = \"12d49a64-b432-4044-acf5-af3b2f39318a\"\nserver-id = \"f4407bcd-1175-4566-8230-1bfc50a49378\"\n";
    let server = Server::start(&dir, config);
    let input = std::fs::read_to_string(case.join("input.lp")).unwrap();
    assert_eq!(server.post("/kapacitor/v1/write?db=db&rp=rp&precision=ns", &input).status, 204);
    let expected = std::fs::read_to_string(case.join("expected_exec.jsonl")).unwrap();
    assert_eq!(server.captured(expected.lines().count()), expected);
}

#[test]
fn bad_requests_are_rejected_whole() {
    let dir = workdir("bad");
    std::fs::write(dir.join("tasks/cpu.tick"), cpu_script("")).unwrap();
    std::fs::write(dir.join("tasks/broken.tick"), "stream\n    |from(\n").unwrap();
    let server = Server::start(&dir, "max-body-bytes = 2000\n");
    let bad = server.post("/write?db=db", "cpu,host=a usage_idle=5 1\ncpu,host=a usage_idle= 2\ncpu usage_idle=x 3\n");
    assert_eq!(bad.status, 400);
    let error: serde_json::Value = serde_json::from_str(&bad.body).unwrap();
    assert_eq!(error["line"], 2, "{}", bad.body);
    assert_eq!(error["bad_lines"], 2);
    assert!(error["error"].as_str().unwrap().contains("line 2, column 23: missing field value"), "{}", bad.body);
    assert_eq!(server.post("/write", "cpu usage_idle=1 1\n").status, 400, "db is required");
    assert_eq!(server.post("/api/v2/write?bucket=b&precision=xs", "cpu usage_idle=1 1\n").status, 400);
    let big = "cpu,host=a usage_idle=50 1\n".repeat(100);
    assert_eq!(server.post("/write?db=db", &big).status, 413);
    let not_gzip = server.request("POST", "/write?db=db", &[("Content-Encoding", "gzip")], b"cpu usage_idle=1 1\n");
    assert_eq!(not_gzip.status, 400, "{}", not_gzip.body);
    let metrics = server.get("/metrics").body;
    assert!(metrics.contains("tick_points_received_total 0\n"), "no point of a rejected request is applied:\n{metrics}");
    assert!(metrics.contains("tick_tasks{status=\"failed\"} 1\n"), "{metrics}");
    let broken: serde_json::Value = serde_json::from_str(&server.get("/kapacitor/v1/tasks/broken").body).unwrap();
    assert!(broken["error"].as_str().unwrap().contains("broken.tick:3:1: error[E101]"), "{broken}");
    assert_eq!(server.captured(0), "", "the rejected CRITICAL point fired nothing");
}

#[test]
fn recovery_after_kill_9_has_previous_level_and_duration() {
    let dir = workdir("kill9");
    std::fs::write(dir.join("tasks/cpu.tick"), cpu_script(".message('{{ .Level }}')")).unwrap();
    let mut server = Server::start(&dir, "");
    let s = 1_000_000_000i64;
    let crit = format!("cpu,host=a usage_idle=5 {}\ncpu,host=a usage_idle=4 {}\n", 10 * s, 12 * s);
    assert_eq!(server.post("/write?db=db", &crit).status, 204);
    assert_eq!(server.captured(2).lines().count(), 2);
    server.signal(Signal::SIGKILL);
    server.wait();
    drop(server);
    let server = Server::start(&dir, "");
    assert_eq!(server.post("/write?db=db", &format!("cpu,host=a usage_idle=50 {}\n", 15 * s)).status, 204);
    let lines: Vec<String> = server.captured(3).lines().map(String::from).collect();
    assert_eq!(lines.len(), 3, "{lines:?}\n{}", server.stderr());
    assert_eq!(level_of(&lines[2]), ("OK".into(), "CRITICAL".into(), 5 * s), "{}", lines[2]);
    let events: serde_json::Value = serde_json::from_str(&server.get("/kapacitor/v1/alerts/topics/main:cpu:alert2/events").body).unwrap();
    assert_eq!(events["events"][0]["state"]["level"], "OK");
}

#[test]
fn alert_state_on_batches_survives_kill_9() {
    let dir = workdir("kill9win");
    let script = cpu_script(".message('{{ .Level }}')")
        .replace("    |alert()", "        .groupBy('host')\n    |window()\n        .period(10s)\n        .every(10s)\n    |alert()");
    std::fs::write(dir.join("tasks/cpu.tick"), script).unwrap();
    let mut server = Server::start(&dir, "");
    let s = 1_000_000_000i64;
    let crit = format!("cpu,host=a usage_idle=5 {}\ncpu,host=a usage_idle=5 {}\n", 10 * s, 20 * s);
    assert_eq!(server.post("/write?db=db", &crit).status, 204);
    assert_eq!(server.captured(1).lines().count(), 1, "{}", server.stderr());
    server.signal(Signal::SIGKILL);
    server.wait();
    drop(server);
    // The window restarts empty (as in Kapacitor); the alert on its batches restarts at CRITICAL.
    let server = Server::start(&dir, "");
    let ok = format!("cpu,host=a usage_idle=50 {}\ncpu,host=a usage_idle=50 {}\n", 30 * s, 40 * s);
    assert_eq!(server.post("/write?db=db", &ok).status, 204);
    let lines: Vec<String> = server.captured(2).lines().map(String::from).collect();
    assert_eq!(lines.len(), 2, "{lines:?}\n{}", server.stderr());
    assert_eq!(level_of(&lines[0]).0, "CRITICAL", "{}", lines[0]);
    let (level, previous, _) = level_of(&lines[1]);
    assert_eq!((level.as_str(), previous.as_str()), ("OK", "CRITICAL"), "{}", lines[1]);
}

#[test]
fn reload_keeps_unchanged_tasks_and_restores_changed_ones() {
    let (dir, server) = start_critical_v1("reload", "");
    std::fs::write(dir.join("tasks/mem.tick"), "stream|from().measurement('mem')|log()").unwrap();
    let report = server.post("/kapacitor/v1/reload", "");
    let report: serde_json::Value = serde_json::from_str(&report.body).unwrap();
    assert_eq!(report["started"], serde_json::json!(["mem"]), "{report}");
    assert_eq!(report["restarted"], serde_json::json!([]), "{report}");
    std::fs::write(dir.join("tasks/cpu.tick"), cpu_script(".message('v2')")).unwrap();
    server.signal(Signal::SIGHUP);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !server.stderr().contains("restarted=[\"cpu\"]") && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(server.post("/write?db=db", "cpu,host=a usage_idle=50 3000000000\n").status, 204);
    assert_v2_recovered(&server);
}

/// A server running `cpu.tick` v1 (plus `extra` properties) whose one point fired CRITICAL.
fn start_critical_v1(name: &str, extra: &str) -> (std::path::PathBuf, Server) {
    let dir = workdir(name);
    std::fs::write(dir.join("tasks/cpu.tick"), cpu_script(&format!(".message('v1'){extra}"))).unwrap();
    let server = Server::start(&dir, "");
    assert_eq!(server.post("/write?db=db", "cpu,host=a usage_idle=5 1000000000\n").status, 204);
    server.captured(1);
    (dir, server)
}

/// The second captured event is v2's recovery from v1's CRITICAL two seconds earlier.
fn assert_v2_recovered(server: &Server) {
    let lines: Vec<String> = server.captured(2).lines().map(String::from).collect();
    assert_eq!(lines.len(), 2, "{}", server.stderr());
    assert_eq!(level_of(&lines[1]), ("OK".into(), "CRITICAL".into(), 2_000_000_000));
    assert!(lines[1].contains("\"message\":\"v2\""), "{}", lines[1]);
}

#[test]
fn writes_during_a_reload_reach_the_restarted_task() {
    // v1's second handler keeps the old dispatcher draining for a second during the swap.
    let (dir, server) = start_critical_v1("reloadgap", "\n        .exec('/bin/sh', '-c', 'sleep 1')");
    std::fs::write(dir.join("tasks/cpu.tick"), cpu_script(".message('v2')")).unwrap();
    let reload = std::thread::spawn({
        let addr = server.addr.clone();
        move || super::client::request(&addr, "POST", "/kapacitor/v1/reload", &[], b"")
    });
    std::thread::sleep(std::time::Duration::from_millis(300));
    // Sent mid-swap: it waits for the new task instead of finding no `cpu` task.
    assert_eq!(server.post("/write?db=db", "cpu,host=a usage_idle=50 3000000000\n").status, 204);
    assert_eq!(reload.join().unwrap().status, 200);
    assert_v2_recovered(&server);
}

#[test]
fn slow_handlers_push_back_with_503_and_sigterm_drains_every_event() {
    let dir = workdir("drain");
    let slow = ".exec('/bin/sh', '-c', 'sleep 0.05; cat >> \"$TICK_CAPTURE\"')";
    let script = format!("stream\n    |from()\n        .measurement('cpu')\n    |alert()\n        .crit(lambda: \"usage_idle\" < 10)\n        {slow}\n");
    std::fs::write(dir.join("tasks/cpu.tick"), script).unwrap();
    let mut server = Server::start(&dir, "queue-capacity = 2\nretry-after-seconds = 3\n");
    let (mut accepted, mut expected_events, mut critical) = (0, 0, false);
    let mut busy = None;
    for i in 0..40i64 {
        let crit = i % 2 == 0;
        let value = if crit { 5 } else { 50 };
        let answer = server.post("/write?db=db", &format!("cpu usage_idle={value} {}\n", (i + 1) * 1_000_000_000));
        match answer.status {
            204 => {
                accepted += 1;
                expected_events += usize::from(crit || critical);
                critical = crit;
            }
            503 => busy = Some(answer),
            other => panic!("unexpected {other}: {}", answer.body),
        }
    }
    let busy = busy.expect("a full queue answers 503");
    assert_eq!(busy.header("retry-after"), Some("3"));
    server.signal(Signal::SIGTERM);
    assert_eq!(server.wait(), Some(0), "{}", server.stderr());
    let captured = std::fs::read_to_string(&server.capture).unwrap_or_default();
    assert!(accepted > 2, "{accepted}");
    assert_eq!(captured.lines().count(), expected_events, "{accepted} writes accepted; every event is handled before exit");
    let data = std::fs::read_to_string(dir.join("data/alerts.json")).unwrap();
    assert!(data.contains("\"topic\":\"main:cpu:alert2\""), "{data}");
}
