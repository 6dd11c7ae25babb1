//! From a validated [`HandlerFile`] to a runnable [`HandlerAction`].

use super::action::{HandlerAction, DEFAULT_IO_TIMEOUT};
use super::exec::ExecSpec;
use super::kinds;
use super::log::DEFAULT_LOG_MODE;
use super::spec::{HandlerFile, HandlerFileError};
use crate::diagnostic::Code;
use serde_json::{Map, Value};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn text<'a>(options: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    options.get(key).and_then(Value::as_str)
}

fn strings(options: &Map<String, Value>, key: &str) -> Vec<String> {
    options.get(key).and_then(Value::as_array).map_or_else(Vec::new, |items| {
        items.iter().filter_map(Value::as_str).map(str::to_string).collect()
    })
}

/// A problem with required options that makes the handler useless (Kapacitor
/// would accept some of these and then fail on every event).
pub(crate) fn missing_required(kind: &str, options: &Map<String, Value>) -> Option<String> {
    let empty = |key| text(options, key).is_none_or(str::is_empty);
    match kind {
        "exec" if empty("prog") => Some("exec handler needs a non-empty `prog` option".into()),
        "log" if empty("path") => Some("log handler needs a `path` option".into()),
        "log" => {
            let path = text(options, "path").unwrap_or_default();
            let absolute = Path::new(path).is_absolute();
            (!absolute).then(|| format!("log path must be absolute: {path} is not absolute"))
        }
        "tcp" if empty("address") => Some("tcp handler needs an `address` option (host:port)".into()),
        "post" if empty("url") && empty("endpoint") => Some("post handler needs a `url` option".into()),
        _ => None,
    }
}

/// The action `tick run` performs for `file`; kinds that only a Kapacitor
/// daemon can run (slack, smtp, ...) give an E701 error. `exec_timeout`
/// bounds each exec run.
pub fn action_for(file: &HandlerFile, exec_timeout: Duration) -> Result<HandlerAction, HandlerFileError> {
    let opts = &file.options;
    let action = match file.kind.as_str() {
        "exec" => {
            let prog = text(opts, "prog").unwrap_or_default().to_string();
            HandlerAction::Exec(ExecSpec { prog, args: strings(opts, "args"), timeout: exec_timeout })
        }
        "log" => HandlerAction::Log { path: PathBuf::from(text(opts, "path").unwrap_or_default()), mode: log_mode(file)? },
        "tcp" => HandlerAction::Tcp { addr: text(opts, "address").unwrap_or_default().to_string() },
        "post" => post_action(file)?,
        "publish" => HandlerAction::Publish { topics: strings(opts, "topics") },
        kind => {
            let runnable = kinds::schema(kind).is_some_and(|s| s.runnable);
            debug_assert!(!runnable);
            return Err(error(file, Code::Unsupported, format!("kind `{kind}` is valid but tick does not run it")));
        }
    };
    Ok(action)
}

fn error(file: &HandlerFile, code: Code, message: String) -> HandlerFileError {
    HandlerFileError {
        path: file.path.clone(),
        line: 0,
        column: 0,
        span: Default::default(),
        code,
        message,
        help: None,
    }
}

fn log_mode(file: &HandlerFile) -> Result<u32, HandlerFileError> {
    let Some(mode) = file.options.get("mode").filter(|v| !v.is_null()) else { return Ok(DEFAULT_LOG_MODE) };
    match mode.as_f64() {
        Some(m) if (0.0..=4095.0).contains(&m) => Ok(m as u32),
        _ => Err(error(file, Code::HandlerOption, format!("log mode {mode} is not a file mode (0 to 0o7777)"))),
    }
}

fn post_action(file: &HandlerFile) -> Result<HandlerAction, HandlerFileError> {
    let opts = &file.options;
    let Some(url) = text(opts, "url").filter(|u| !u.is_empty()) else {
        return Err(error(file, Code::Unsupported, "post `endpoint` refers to kapacitor.conf, which tick does not read; use `url`".into()));
    };
    super::post::validate_url(url).map_err(|e| error(file, Code::HandlerOption, e))?;
    let headers = opts.get("headers").and_then(Value::as_object).map_or_else(Vec::new, |map| {
        map.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect()
    });
    let timeout = match opts.get("timeout") {
        Some(Value::String(s)) => crate::gofmt::parse_duration(s).map_err(|e| error(file, Code::HandlerOption, e))?,
        Some(Value::Number(n)) => n.as_i64().unwrap_or(0),
        _ => 0,
    };
    let timeout = if timeout > 0 { Duration::from_nanos(timeout as u64) } else { DEFAULT_IO_TIMEOUT };
    Ok(HandlerAction::Post { url: url.to_string(), headers, timeout })
}
