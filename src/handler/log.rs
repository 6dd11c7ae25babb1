//! The `log` handler: append the alert JSON (already ending in `\n`) to a
//! file that is opened for every event, created with `mode` (0600 default).

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Kapacitor's default file mode for the log handler.
pub const DEFAULT_LOG_MODE: u32 = 0o600;

/// Appends `json` to `path`, creating the file with `mode` if it is missing.
/// Blocking: call it from `spawn_blocking` inside the runtime.
pub fn append_event(path: &Path, mode: u32, json: &str) -> Result<(), String> {
    let mut file = OpenOptions::new()
        .append(true)
        .create(true)
        .mode(mode)
        .open(path)
        .map_err(|e| format!("cannot open log file {}: {e}", path.display()))?;
    file.write_all(json.as_bytes())
        .map_err(|e| format!("cannot write log file {}: {e}", path.display()))
}
