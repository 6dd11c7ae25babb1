//! Tasks from the tasks directory: every `*.tick` is checked and built; a
//! script that fails is reported (with every diagnostic) and not started.

use super::config::Config;
use crate::check::{check_source, CheckOptions};
use crate::diagnostic::Diag;
use crate::program::TaskType;
use crate::task::{Task, TaskOptions};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// One script file of the tasks directory.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskFile {
    /// Task name: the file stem.
    pub name: String,
    /// Where it was read from.
    pub path: PathBuf,
    /// The script text, or why it could not be read.
    pub source: Result<String, String>,
}

/// A script that checked and built.
pub struct Compiled {
    /// The pipeline and its inline handlers.
    pub task: Task,
    /// The `(db, rp)` pairs it receives; empty = every write.
    pub dbrps: Vec<(String, String)>,
}

/// Every `*.tick` directly in `dir`, sorted by name.
pub fn scan(dir: &Path) -> Result<Vec<TaskFile>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<TaskFile> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "tick"))
        .map(|path| {
            let name = path.file_stem().map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            let source = std::fs::read(&path)
                .map_err(|e| e.to_string())
                .and_then(|b| String::from_utf8(b).map_err(|_| "the script is not valid UTF-8 (E002)".to_string()));
            TaskFile { name, path, source }
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(files)
}

/// Checks and builds `file` for serving; the error text lists every diagnostic as `file:line:col`.
pub fn compile(file: &TaskFile, config: &Config, exec_timeout: Duration) -> Result<Compiled, String> {
    let name = file.path.display().to_string();
    let source = file.source.as_ref().map_err(|e| format!("{name}: {e}"))?;
    let checked = check_source(source, &CheckOptions::default());
    let Some(program) = checked.program else {
        return Err(describe(checked.diags.iter().filter(|d| d.is_error()), &name, source));
    };
    if program.task_type == TaskType::Batch {
        return Err(format!("{name}: batch tasks are not supported by `tick serve` (they query InfluxDB)"));
    }
    let mut dbrps = program.dbrps.clone();
    if dbrps.is_empty() {
        dbrps = config.task_dbrps(&file.name).map_err(|e| format!("{name}: {e}"))?;
    }
    let mut opts = TaskOptions::new(&file.name);
    opts.info.hostname = config.server.hostname.clone();
    opts.info.cluster_id = config.server.cluster_id.clone();
    opts.info.server_id = config.server.server_id.clone();
    opts.exec_timeout = exec_timeout;
    let task = Task::build(program, &opts).map_err(|d| describe(d.iter(), &name, source))?;
    Ok(Compiled { task, dbrps })
}

/// `file:line:col: error[CODE]: message` per diagnostic, one per line.
fn describe<'a>(diags: impl Iterator<Item = &'a Diag>, name: &str, source: &str) -> String {
    let lines: Vec<String> = diags
        .map(|d| {
            let (line, col) = crate::span::line_col(source, d.span.start);
            format!("{name}:{line}:{col}: error[{}]: {}", d.code.as_str(), d.message)
        })
        .collect();
    lines.join("\n")
}

/// True when a write to `db`/`rp` goes to a task with these dbrps (none = all).
pub fn receives(dbrps: &[(String, String)], db: &str, rp: &str) -> bool {
    dbrps.is_empty() || dbrps.iter().any(|(d, r)| d == db && r == rp)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, source: &str) -> TaskFile {
        TaskFile { name: name.into(), path: format!("{name}.tick").into(), source: Ok(source.into()) }
    }

    #[test]
    fn dbrp_from_script_then_config() {
        let mut config = Config::default();
        config.tasks.insert("b".into(), super::super::config::TaskConfig { dbrp: vec!["db.rp".into()] });
        let with = compile(&file("a", "dbrp \"telegraf\".\"autogen\"\nstream|from()"), &config, Duration::from_secs(1)).unwrap();
        assert_eq!(with.dbrps, [("telegraf".to_string(), "autogen".to_string())]);
        let from_config = compile(&file("b", "stream|from()"), &config, Duration::from_secs(1)).unwrap();
        assert_eq!(from_config.dbrps, [("db".to_string(), "rp".to_string())]);
        assert!(receives(&[], "x", "y"));
        assert!(!receives(&from_config.dbrps, "db", "autogen"));
    }

    #[test]
    fn a_bad_script_names_file_line_and_code() {
        let err = compile(&file("bad", "stream\n|from()\n|alert().crit(lambda: x < 1)"), &Config::default(), Duration::from_secs(1))
            .err()
            .unwrap();
        assert!(err.starts_with("bad.tick:3:"), "{err}");
    }
}
