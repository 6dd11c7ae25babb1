//! State that survives bad bytes and full disks, and a task that panics.

use super::client::{cpu_script, workdir, Server};
use std::process::Command;

#[test]
fn damaged_state_files_are_skipped_and_counted_at_start() {
    let dir = workdir("damaged");
    std::fs::create_dir_all(dir.join("data")).unwrap();
    let good = r#"{"topic":"main:cpu:alert2","id":"cpu:nil","level":"CRITICAL","time":1,"duration":0,"message":"m"}"#;
    let mut snapshot = format!("{good}\n").into_bytes();
    snapshot.extend_from_slice(b"{\"topic\":\"t\",\"id\":\"\xff\xfe\"}\n");
    std::fs::write(dir.join("data/alerts.json"), snapshot).unwrap();
    let mut wal = b"not json\n".to_vec();
    wal.extend_from_slice(b"\xc3\x28 bad utf-8\n{\"topic\":\"t\",\"id\":");
    std::fs::write(dir.join("data/alerts.wal"), wal).unwrap();
    let server = Server::start(&dir, "");
    let metrics = server.get("/metrics").body;
    assert!(metrics.contains("tick_state_damaged_records_total 4\n"), "{metrics}");
    let topics = server.get("/kapacitor/v1/alerts/topics").body;
    assert!(topics.contains("main:cpu:alert2") && topics.contains("CRITICAL"), "{topics}");
    let log = server.stderr();
    assert!(log.contains("alerts.json:2: skipping a damaged record: not UTF-8"), "{log}");
    assert!(log.contains("alerts.wal:3: ignoring a torn last record"), "{log}");
}

#[test]
fn a_panicking_task_is_marked_errored_and_its_writes_are_refused() {
    let dir = workdir("panic");
    std::fs::write(dir.join("tasks/a.tick"), "dbrp \"db\".\"autogen\"\nstream|from().measurement('cpu')|log()").unwrap();
    std::fs::write(dir.join("tasks/b.tick"), "dbrp \"other\".\"autogen\"\nstream|from().measurement('cpu')|log()").unwrap();
    let server = Server::start_with_env(&dir, "", &[("TICK_FAULT_PANIC_MEASUREMENT", "boom")]);
    assert_eq!(server.post("/write?db=db", "cpu v=1 1\n").status, 204);
    assert_eq!(server.post("/write?db=db", "boom v=1 1\n").status, 204, "the panic happens after the write was routed");
    let metrics = server.metric("tick_tasks{status=\"errored\"} 1");
    assert!(metrics.contains("tick_tasks{status=\"errored\"} 1\n"), "{metrics}");
    let refused = server.post("/write?db=db", "cpu v=2 2\n");
    assert_eq!(refused.status, 500, "{refused:?}");
    assert!(refused.body.contains("task a is stopped (task panicked: fault injected on measurement boom)"), "{}", refused.body);
    let task: serde_json::Value = serde_json::from_str(&server.get("/kapacitor/v1/tasks/a").body).unwrap();
    assert_eq!(task["executing"], false);
    assert!(task["error"].as_str().unwrap().contains("task panicked"), "{task}");
    assert_eq!(server.post("/write?db=other", "cpu v=2 2\n").status, 204, "tasks of other dbrps go on");
    assert!(server.stderr().contains("task thread panicked and is stopped"), "{}", server.stderr());
    let reload = server.post("/kapacitor/v1/reload", "");
    assert!(reload.body.contains("\"restarted\":[\"a\"]"), "a reload restarts it: {}", reload.body);
    assert_eq!(server.post("/write?db=db", "cpu v=3 3\n").status, 204);
}

/// Mounts a tmpfs of `kib` KiB at `path`; false when this machine does not allow it.
fn mount_tmpfs(path: &std::path::Path, kib: u32) -> bool {
    std::fs::create_dir_all(path).unwrap();
    Command::new("mount").args(["-t", "tmpfs", "-o", &format!("size={kib}k"), "tmpfs"]).arg(path).status().is_ok_and(|s| s.success())
}

struct Unmount(std::path::PathBuf);

impl Drop for Unmount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_data_disk_refuses_writes_with_507_until_space_returns() {
    let dir = workdir("full-disk");
    let data = dir.join("data");
    if !mount_tmpfs(&data, 64) {
        eprintln!("skipping: cannot mount a tmpfs here (needs root and mount permission)");
        return;
    }
    let _unmount = Unmount(data.clone());
    std::fs::write(dir.join("tasks/cpu.tick"), cpu_script("")).unwrap();
    let server = Server::start(&dir, "snapshot-every = 1000000\n");
    let filler = data.join("filler");
    let _ = Command::new("dd").arg("if=/dev/zero").arg(format!("of={}", filler.display())).args(["bs=4k", "count=100"]).output();
    let mut seen = None;
    for i in 0..200 {
        let answer = server.post("/write?db=db", &format!("cpu,host=h{i} usage_idle=1 {i}\n"));
        if answer.status != 204 {
            seen = Some(answer);
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let refused = seen.expect("a write is refused once the disk is full");
    assert_eq!(refused.status, 507, "{refused:?}");
    assert!(refused.body.contains("cannot save the alert state"), "{}", refused.body);
    let metrics = server.get("/metrics").body;
    assert!(!metrics.contains("tick_state_append_failures_total 0\n"), "{metrics}");
    assert!(!metrics.contains("tick_state_refused_writes_total 0\n"), "{metrics}");
    std::fs::remove_file(&filler).unwrap();
    assert_eq!(server.post("/write?db=db", "cpu,host=z usage_idle=50 999\n").status, 204, "space is back");
}
