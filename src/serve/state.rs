//! Alert state on disk: every topic's latest event per alert ID (level, time,
//! duration, message), kept as a snapshot plus a write-ahead log.
//!
//! Crash safety: a batch's events are appended to `alerts.wal` and synced
//! before any handler sees them; `alerts.json` is replaced atomically
//! (write a temporary file, sync, rename, sync the directory). At start the
//! snapshot is read, then the log is replayed; a torn last line is ignored.

use crate::alert::{EventState, Level, Topics};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Mutex;

const SNAPSHOT: &str = "alerts.json";
const WAL: &str = "alerts.wal";

/// One stored event: the latest state of alert `id` in `topic`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Topic name.
    pub topic: String,
    /// Alert ID.
    pub id: String,
    /// Level name (`OK`, `INFO`, `WARNING`, `CRITICAL`).
    pub level: String,
    /// Event time, ns since the epoch.
    pub time: i64,
    /// Alert duration, ns (the duration started at `time - duration`).
    pub duration: i64,
    /// Rendered message.
    pub message: String,
}

impl Record {
    /// The record of an event.
    pub fn new(topic: &str, id: &str, state: &EventState) -> Record {
        Record {
            topic: topic.into(),
            id: id.into(),
            level: state.level.as_str().into(),
            time: state.time,
            duration: state.duration,
            message: state.message.clone(),
        }
    }

    fn apply(self, topics: &mut Topics) -> Result<(), String> {
        let level = Level::parse(&self.level).ok_or_else(|| format!("unknown level `{}`", self.level))?;
        let state = EventState { level, time: self.time, duration: self.duration, message: self.message };
        topics.insert_event(&self.topic, &self.id, state);
        Ok(())
    }
}

/// The open store: the log file and how many records it holds.
pub struct StateStore {
    dir: PathBuf,
    wal: Mutex<Wal>,
    snapshot_every: u64,
    /// Damaged records skipped at start (bad UTF-8, bad JSON, torn).
    pub damaged: u64,
    /// Appends that failed (disk full, I/O error).
    pub append_failures: AtomicU64,
}

struct Wal {
    file: File,
    records: u64,
    /// Records whose append failed, kept in order for the next attempt.
    pending: String,
    /// The last failure, while `pending` is not empty.
    failure: Option<(std::io::ErrorKind, Option<i32>, String)>,
}

impl StateStore {
    /// Opens (creating) the store in `dir` and loads the saved topics.
    pub fn open(dir: &Path, snapshot_every: u64) -> Result<(StateStore, Topics), String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut topics = Topics::new();
        let mut warnings = Vec::new();
        read_records(&dir.join(SNAPSHOT), &mut topics, &mut warnings)?;
        let (records, whole) = read_records(&dir.join(WAL), &mut topics, &mut warnings)?;
        for w in &warnings {
            tracing::warn!(target: "tick::state", "{w}");
        }
        let path = dir.join(WAL);
        let file = OpenOptions::new().create(true).append(true).open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        // Cut a torn tail, so the next record starts on a line of its own.
        if file.metadata().is_ok_and(|m| m.len() > whole) {
            file.set_len(whole).map_err(|e| format!("{}: {e}", path.display()))?;
        }
        let wal = Wal { file, records, pending: String::new(), failure: None };
        let damaged = warnings.len() as u64;
        let store = StateStore { dir: dir.to_path_buf(), wal: Mutex::new(wal), snapshot_every: snapshot_every.max(1), damaged, append_failures: AtomicU64::new(0) };
        Ok((store, topics))
    }

    /// Appends `records` and syncs them to disk; compacts when the log is long.
    pub fn append(&self, records: &[Record], topics: &Mutex<Topics>) -> std::io::Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for r in records {
            text.push_str(&serde_json::to_string(r).map_err(std::io::Error::other)?);
            text.push('\n');
        }
        let mut wal = self.wal.lock().unwrap_or_else(|p| p.into_inner());
        wal.pending.push_str(&text);
        self.flush_pending(&mut wal)?;
        if wal.records >= self.snapshot_every {
            self.compact(&mut wal, topics)?;
        }
        Ok(())
    }

    /// Appends the records of failed appends again; Err while the disk still refuses them.
    /// Writes are refused (507/500) until this succeeds.
    pub fn retry(&self) -> std::io::Result<()> {
        let mut wal = self.wal.lock().unwrap_or_else(|p| p.into_inner());
        if wal.pending.is_empty() {
            return Ok(());
        }
        self.flush_pending(&mut wal)
    }

    /// Writes and syncs `wal.pending`; on failure cuts the file back to its last whole
    /// record (no torn line is left behind) and keeps the records for the next attempt.
    fn flush_pending(&self, wal: &mut Wal) -> std::io::Result<()> {
        let before = wal.file.metadata().map(|m| m.len());
        let written = wal.file.write_all(wal.pending.as_bytes()).and_then(|()| wal.file.sync_data());
        match written {
            Ok(()) => {
                wal.records += wal.pending.matches('\n').count() as u64;
                wal.pending.clear();
                if wal.failure.take().is_some() {
                    tracing::info!(target: "tick::state", "alert state is saved again");
                }
                Ok(())
            }
            Err(e) => {
                self.append_failures.fetch_add(1, Relaxed);
                if let Ok(len) = before {
                    let _ = wal.file.set_len(len);
                }
                tracing::error!(target: "tick::state", "cannot persist alert state: {e}; writes are refused until it can");
                wal.failure = Some((e.kind(), e.raw_os_error(), e.to_string()));
                Err(e)
            }
        }
    }

    /// Writes a snapshot of `topics` and empties the log.
    pub fn snapshot(&self, topics: &Mutex<Topics>) -> std::io::Result<()> {
        let mut wal = self.wal.lock().unwrap_or_else(|p| p.into_inner());
        self.compact(&mut wal, topics)
    }

    /// Holding the log lock, so no append falls between the snapshot and the truncation.
    fn compact(&self, wal: &mut Wal, topics: &Mutex<Topics>) -> std::io::Result<()> {
        let text = {
            let topics = topics.lock().unwrap_or_else(|p| p.into_inner());
            let mut text = String::new();
            for (topic, id, state) in topics.events() {
                text.push_str(&serde_json::to_string(&Record::new(topic, id, state)).map_err(std::io::Error::other)?);
                text.push('\n');
            }
            text
        };
        let tmp = self.dir.join(format!("{SNAPSHOT}.tmp"));
        let mut file = File::create(&tmp)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::rename(&tmp, self.dir.join(SNAPSHOT))?;
        File::open(&self.dir)?.sync_all()?;
        wal.file.set_len(0)?;
        wal.file.sync_all()?;
        wal.records = 0;
        Ok(())
    }
}

/// Applies every record of `path` (missing file: none); returns how many.
/// A damaged record (bad UTF-8, bad JSON, unknown level, torn) is skipped with a
/// warning; a read error ends the file there with a warning: start-up goes on.
fn read_records(path: &Path, topics: &mut Topics, warnings: &mut Vec<String>) -> Result<(u64, u64), String> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((0, 0)),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut reader = BufReader::new(file);
    let mut count = 0;
    let mut whole = 0u64;
    let mut line = Vec::new();
    for n in 1.. {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                warnings.push(format!("{}:{n}: read error, ignoring the rest of the file: {e}", path.display()));
                break;
            }
        }
        let torn = line.last() != Some(&b'\n');
        if !torn {
            whole += line.len() as u64;
        }
        let parsed = std::str::from_utf8(&line)
            .map_err(|e| format!("not UTF-8: {e}"))
            .and_then(|text| serde_json::from_str::<Record>(text.trim_end()).map_err(|e| e.to_string()))
            .and_then(|r| r.apply(topics));
        match parsed {
            Ok(()) => count += 1,
            Err(_) if line.iter().all(u8::is_ascii_whitespace) => {}
            Err(_) if torn => warnings.push(format!("{}:{n}: ignoring a torn last record", path.display())),
            Err(e) => warnings.push(format!("{}:{n}: skipping a damaged record: {e}", path.display())),
        }
    }
    Ok((count, whole))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(level: Level, time: i64) -> EventState {
        EventState { level, time, duration: 5, message: "m".into() }
    }

    #[test]
    fn log_and_snapshot_survive_reopen_and_a_torn_tail() {
        let dir = std::env::temp_dir().join(format!("tick-state-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let (store, topics) = StateStore::open(&dir, 3).unwrap();
        let topics = Mutex::new(topics);
        let r1 = Record::new("t", "a", &event(Level::Critical, 10));
        topics.lock().unwrap().insert_event("t", "a", event(Level::Critical, 10));
        store.append(&[r1], &topics).unwrap();
        let r2 = Record::new("t", "b", &event(Level::Warning, 20));
        topics.lock().unwrap().insert_event("t", "b", event(Level::Warning, 20));
        store.append(&[r2.clone(), r2.clone(), r2], &topics).unwrap(); // compacts
        assert_eq!(std::fs::metadata(dir.join(WAL)).unwrap().len(), 0);
        let r3 = Record::new("u", "a", &event(Level::Ok, 30));
        store.append(&[r3], &topics).unwrap();
        drop(store);
        let mut wal = OpenOptions::new().append(true).open(dir.join(WAL)).unwrap();
        wal.write_all(b"{\"topic\":\"t\",\"id\":").unwrap();
        let (reopened, loaded) = StateStore::open(&dir, 3).unwrap();
        assert_eq!(reopened.damaged, 1);
        assert_eq!(loaded.event("t", "a").unwrap().level, Level::Critical);
        assert_eq!(loaded.event("t", "b").unwrap().time, 20);
        assert_eq!(loaded.event("u", "a").unwrap().level, Level::Ok);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn bad_bytes_and_bad_json_are_skipped_and_counted() {
        let dir = std::env::temp_dir().join(format!("tick-state-bad-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let good = |id: &str| serde_json::to_string(&Record::new("t", id, &event(Level::Warning, 7))).unwrap();
        let mut snapshot = format!("{}\n", good("a")).into_bytes();
        snapshot.extend_from_slice(b"{\"topic\":\"t\",\"id\":\"\xff\xfe\"}\n");
        snapshot.extend_from_slice(format!("{}\n", good("b")).as_bytes());
        std::fs::write(dir.join(SNAPSHOT), snapshot).unwrap();
        let mut wal = format!("not json\n{}\n{{\"level\":\"NOPE\"}}\n", good("c")).into_bytes();
        wal.push(0xff);
        std::fs::write(dir.join(WAL), wal).unwrap();
        let (store, topics) = StateStore::open(&dir, 100).unwrap();
        assert_eq!(store.damaged, 4, "bad UTF-8, bad JSON, bad record, torn tail");
        for id in ["a", "b", "c"] {
            assert_eq!(topics.event("t", id).unwrap().level, Level::Warning, "{id}");
        }
        let topics = Mutex::new(topics);
        store.append(&[Record::new("t", "d", &event(Level::Critical, 9))], &topics).unwrap();
        drop(store);
        let (store, topics) = StateStore::open(&dir, 100).unwrap();
        assert_eq!(topics.event("t", "d").unwrap().level, Level::Critical, "the torn tail was cut before appending");
        assert_eq!(store.damaged, 3);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
