//! `tick serve` settings: built-in defaults, then the TOML file, then command-line flags.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Everything the server needs to start. Every field has a default, so no file is needed.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    /// Address to listen on (`127.0.0.1:9092`; port 0 picks a free port).
    pub bind: String,
    /// Directory of `*.tick` scripts; each one is a task named after its file stem.
    pub tasks_dir: PathBuf,
    /// Directory of topic-handler files (`*.yaml`, `*.yml`, `*.json`); optional.
    pub handlers_dir: Option<PathBuf>,
    /// Where alert state (snapshot and write-ahead log) is kept.
    pub data_dir: PathBuf,
    /// Largest accepted write body after decompression, in bytes (413 above it).
    pub max_body_bytes: u64,
    /// Bodies larger than this are spooled to a file in the data directory while read.
    pub spool_above_bytes: u64,
    /// Capacity of each handler's queue; a full queue answers writes with 503.
    pub queue_capacity: usize,
    /// Kill an exec handler program after this long (Go duration: `30s`, `500ms`).
    pub exec_timeout: String,
    /// On SIGTERM, wait at most this long for handler queues to drain.
    pub shutdown_timeout: String,
    /// `Retry-After` seconds sent with 503 answers.
    pub retry_after_seconds: u64,
    /// Compact the write-ahead log into a snapshot after this many records.
    pub snapshot_every: u64,
    /// Authentication for writes; off when neither is set.
    pub auth: AuthConfig,
    /// Facts shown in alert templates (`ServerInfo`).
    pub server: ServerInfoConfig,
    /// Per-task settings, by task name.
    pub tasks: BTreeMap<String, TaskConfig>,
    /// Log filter (`info`, `debug`, `tick=debug`); `RUST_LOG` wins when set.
    pub log_level: String,
    /// A request's header must arrive within this long of its first byte (else the connection is closed).
    pub read_header_timeout: String,
    /// Grace period of a body read, and the longest wait for its next chunk (408 past it).
    pub body_read_timeout: String,
    /// After the grace period a body must keep arriving at this many bytes per second on average (408 below it).
    pub min_body_rate: u64,
    /// An idle keep-alive connection is closed after this long.
    pub idle_timeout: String,
    /// Open connections at most; more are answered 503 and closed. 0: the open-file limit less 64, at most 1024.
    pub max_connections: usize,
}

/// Credentials every request but ping must carry (`u`/`p` query, basic auth, or `Authorization: Token`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct AuthConfig {
    /// InfluxDB 1.x user name.
    pub username: Option<String>,
    /// InfluxDB 1.x password.
    pub password: Option<String>,
    /// InfluxDB 2.x token (`Authorization: Token X`); also accepted as the 1.x password.
    pub token: Option<String>,
    /// `/metrics` needs credentials too (when credentials are set); `false` leaves it open for scrapers.
    pub metrics_auth: bool,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig { username: None, password: None, token: None, metrics_auth: true }
    }
}

impl AuthConfig {
    /// True when some credential is configured: then every route but ping needs one.
    pub fn enabled(&self) -> bool {
        self.username.is_some() || self.password.is_some() || self.token.is_some()
    }
}

/// `ServerInfo` values of the alert templates.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct ServerInfoConfig {
    /// `ServerInfo.Hostname`.
    pub hostname: String,
    /// `ServerInfo.ClusterID`.
    pub cluster_id: String,
    /// `ServerInfo.ServerID`.
    pub server_id: String,
}

/// Settings of one task.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct TaskConfig {
    /// `db.rp` pairs the task receives (used when the script has no `dbrp` statement).
    pub dbrp: Vec<String>,
}

impl Default for ServerInfoConfig {
    fn default() -> Self {
        ServerInfoConfig { hostname: "localhost".into(), cluster_id: String::new(), server_id: String::new() }
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bind: "127.0.0.1:9092".into(),
            tasks_dir: PathBuf::from("tasks"),
            handlers_dir: None,
            data_dir: PathBuf::from("tick-data"),
            max_body_bytes: 1 << 30,
            spool_above_bytes: 8 << 20,
            queue_capacity: crate::handler::DEFAULT_QUEUE_CAPACITY,
            exec_timeout: "30s".into(),
            shutdown_timeout: "30s".into(),
            retry_after_seconds: 1,
            snapshot_every: 10_000,
            auth: AuthConfig::default(),
            server: ServerInfoConfig::default(),
            tasks: BTreeMap::new(),
            log_level: "info".into(),
            read_header_timeout: "10s".into(),
            body_read_timeout: "10s".into(),
            min_body_rate: 1024,
            idle_timeout: "60s".into(),
            max_connections: 0,
        }
    }
}

impl Config {
    /// Reads a TOML file; unknown keys are errors naming the key.
    pub fn from_file(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Parses TOML text (for `tick check tick.toml`): the error keeps its byte span.
    pub fn from_text(text: &str) -> Result<Config, toml::de::Error> {
        toml::from_str(text)
    }

    /// The exec timeout as a duration.
    pub fn exec_timeout(&self) -> Result<Duration, String> {
        positive_duration("exec-timeout", &self.exec_timeout)
    }

    /// The shutdown deadline as a duration.
    pub fn shutdown_timeout(&self) -> Result<Duration, String> {
        positive_duration("shutdown-timeout", &self.shutdown_timeout)
    }

    /// The connection and body limits, checked.
    pub fn limits(&self) -> Result<Limits, String> {
        Ok(Limits {
            read_header: positive_duration("read-header-timeout", &self.read_header_timeout)?,
            body_read: positive_duration("body-read-timeout", &self.body_read_timeout)?,
            min_body_rate: self.min_body_rate,
            idle: positive_duration("idle-timeout", &self.idle_timeout)?,
            max_connections: if self.max_connections > 0 { self.max_connections } else { default_max_connections() },
        })
    }

    /// The configured `(db, rp)` pairs of task `name`.
    pub fn task_dbrps(&self, name: &str) -> Result<Vec<(String, String)>, String> {
        let Some(task) = self.tasks.get(name) else {
            return Ok(Vec::new());
        };
        task.dbrp.iter().map(|text| parse_dbrp(text)).collect()
    }
}

/// The HTTP limits in force (see the `Config` fields of the same names).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    /// `read-header-timeout`.
    pub read_header: Duration,
    /// `body-read-timeout`.
    pub body_read: Duration,
    /// `min-body-rate`, bytes per second.
    pub min_body_rate: u64,
    /// `idle-timeout`.
    pub idle: Duration,
    /// `max-connections` (resolved).
    pub max_connections: usize,
}

/// The open-file limit less 64 (for the data files, spool files and exec pipes), between 16 and 1024.
fn default_max_connections() -> usize {
    let soft = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE).map_or(1024, |(soft, _)| soft);
    (soft.saturating_sub(64) as usize).clamp(16, 1024)
}

/// `db.rp` (or `"db"."rp"`) into its two parts.
pub fn parse_dbrp(text: &str) -> Result<(String, String), String> {
    let unquote = |s: &str| s.trim().trim_matches('"').to_string();
    match text.rsplit_once('.') {
        Some((db, rp)) if !db.trim().is_empty() && !rp.trim().is_empty() => Ok((unquote(db), unquote(rp))),
        _ => Err(format!("dbrp `{text}` is not of the form db.rp")),
    }
}

fn positive_duration(name: &str, text: &str) -> Result<Duration, String> {
    match crate::gofmt::parse_duration(text) {
        Ok(ns) if ns > 0 => Ok(Duration::from_nanos(ns as u64)),
        Ok(_) => Err(format!("{name} must be positive, got `{text}`")),
        Err(e) => Err(format!("{name} `{text}`: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_overrides_defaults_and_rejects_unknown_keys() {
        let c: Config = toml::from_str("bind = \"0.0.0.0:1\"\n[tasks.cpu]\ndbrp = [\"telegraf.autogen\"]\n").unwrap();
        assert_eq!(c.bind, "0.0.0.0:1");
        assert_eq!(c.data_dir, PathBuf::from("tick-data"));
        assert_eq!(c.task_dbrps("cpu").unwrap(), [("telegraf".to_string(), "autogen".to_string())]);
        let err = toml::from_str::<Config>("bnd = 1").unwrap_err().to_string();
        assert!(err.contains("bnd"), "{err}");
    }

    #[test]
    fn dbrp_forms() {
        assert_eq!(parse_dbrp("\"a.b\".\"rp\"").unwrap(), ("a.b".into(), "rp".into()));
        assert!(parse_dbrp("nodot").is_err());
    }
}
