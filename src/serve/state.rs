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
}

struct Wal {
    file: File,
    records: u64,
}

impl StateStore {
    /// Opens (creating) the store in `dir` and loads the saved topics.
    pub fn open(dir: &Path, snapshot_every: u64) -> Result<(StateStore, Topics), String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let mut topics = Topics::new();
        let mut warnings = Vec::new();
        read_records(&dir.join(SNAPSHOT), &mut topics, &mut warnings)?;
        let records = read_records(&dir.join(WAL), &mut topics, &mut warnings)?;
        for w in warnings {
            tracing::warn!(target: "tick::state", "{w}");
        }
        let path = dir.join(WAL);
        let file = OpenOptions::new().create(true).append(true).open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let store = StateStore { dir: dir.to_path_buf(), wal: Mutex::new(Wal { file, records }), snapshot_every: snapshot_every.max(1) };
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
        wal.file.write_all(text.as_bytes())?;
        wal.file.sync_data()?;
        wal.records += records.len() as u64;
        if wal.records >= self.snapshot_every {
            self.compact(&mut wal, topics)?;
        }
        Ok(())
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
fn read_records(path: &Path, topics: &mut Topics, warnings: &mut Vec<String>) -> Result<u64, String> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut count = 0;
    let mut lines = BufReader::new(file).lines().enumerate().peekable();
    while let Some((n, line)) = lines.next() {
        let line = line.map_err(|e| format!("{}: {e}", path.display()))?;
        let last = lines.peek().is_none();
        let parsed = serde_json::from_str::<Record>(&line).map_err(|e| e.to_string()).and_then(|r| r.apply(topics));
        match parsed {
            Ok(()) => count += 1,
            Err(_) if last => warnings.push(format!("{}:{}: ignoring a torn last record", path.display(), n + 1)),
            Err(e) => warnings.push(format!("{}:{}: skipping a bad record: {e}", path.display(), n + 1)),
        }
    }
    Ok(count)
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
        let (_, loaded) = StateStore::open(&dir, 3).unwrap();
        assert_eq!(loaded.event("t", "a").unwrap().level, Level::Critical);
        assert_eq!(loaded.event("t", "b").unwrap().time, 20);
        assert_eq!(loaded.event("u", "a").unwrap().level, Level::Ok);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
