//! `tick run`: a stream script over line protocol, alerts to stdout and to handlers.

use super::files::{self, Text};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::diagnostic::render::human;
use crate::diagnostic::Diag;
use crate::handler::{self, RealSpawner};
use crate::lineproto::Precision;
use crate::task::handler_files::{self, FileHandler};
use crate::task::local::{BadLines, EventOutput, LocalRun, Stopped};
use crate::task::routing::{Routing, RoutingSetup};
use crate::task::{input, Task, TaskOptions};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

mod report;
mod signals;

/// What to do with a line that is not valid line protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OnBadLine {
    /// Stop reading, report the line, exit 1.
    Fail,
    /// Skip it, count it, report at the end.
    Skip,
}

/// Arguments of `tick run`.
#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// The TICKscript to run (a stream task).
    script: PathBuf,
    /// Line-protocol input file, `-` for stdin; repeat to read several files in order.
    #[arg(long = "input", short = 'i', required = true, value_name = "FILE")]
    inputs: Vec<String>,
    /// Directory of topic-handler files (*.yaml, *.yml, *.json).
    #[arg(long, value_name = "DIR")]
    handlers: Option<PathBuf>,
    /// Timestamp precision of the input: ns, us, ms, s, m, h.
    #[arg(long, default_value = "ns")]
    precision: String,
    /// What to do with a bad input line.
    #[arg(long, value_enum, default_value_t = OnBadLine::Fail)]
    on_bad_line: OnBadLine,
    /// Kill an exec handler program (and its process group) after this long, e.g. 30s, 500ms.
    #[arg(long, default_value = "30s")]
    exec_timeout: String,
    /// Write alert events (JSON lines) to FILE instead of stdout.
    #[arg(long, short = 'o', value_name = "FILE")]
    output: Option<PathBuf>,
    /// Do not write alert events.
    #[arg(long, short = 'q')]
    quiet: bool,
    /// TaskName in alert data (default: the script's file stem).
    #[arg(long)]
    task_name: Option<String>,
    /// ServerInfo.Hostname in alert data.
    #[arg(long, default_value = "localhost")]
    hostname: String,
    /// ServerInfo.ClusterID in alert data.
    #[arg(long, default_value = "")]
    cluster_id: String,
    /// ServerInfo.ServerID in alert data.
    #[arg(long, default_value = "")]
    server_id: String,
    /// Database the input was written to (for `from().database()` filters).
    #[arg(long)]
    database: Option<String>,
    /// Retention policy the input was written to.
    #[arg(long, default_value = "autogen")]
    retention_policy: String,
    /// Capacity of each handler's queue; a full queue pauses reading (nothing is dropped).
    #[arg(long, default_value_t = handler::DEFAULT_QUEUE_CAPACITY)]
    queue_capacity: usize,
}

/// Runs `tick run`; returns the exit code.
pub fn run(args: &RunArgs) -> u8 {
    let children_before = report::children_cpu();
    let signals = match signals::Signals::install() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot install signal handlers: {e}");
            return EXIT_USAGE;
        }
    };
    let run = match prepare(args, signals.stop.clone()) {
        Ok(run) => run,
        Err(code) => return code,
    };
    let Ok(precision) = args.precision.parse::<Precision>() else {
        eprintln!("error: unknown precision `{}`; use ns, us, ms, s, m or h", args.precision);
        let _ = run.finish();
        return EXIT_USAGE;
    };
    execute(run, args, precision, &signals, children_before)
}

/// Reads every input, then delivers what is queued and prints the summary.
fn execute(mut run: LocalRun, args: &RunArgs, precision: Precision, signals: &signals::Signals, children_before: f64) -> u8 {
    let bad = match args.on_bad_line {
        OnBadLine::Fail => BadLines::Fail,
        OnBadLine::Skip => BadLines::Skip,
    };
    let mut stopped = Ok(());
    for name in &args.inputs {
        let reader = match input::open(name, &signals.stop) {
            Ok(reader) => reader,
            Err(msg) => {
                eprintln!("error[E001]: {msg}");
                let _ = run.finish();
                return EXIT_USAGE;
            }
        };
        let shown = if name == "-" { "<stdin>" } else { name.as_str() };
        stopped = run.feed(reader, shown, precision, bad);
        if stopped.is_err() {
            break;
        }
    }
    if let Err(Stopped::BadLine(text)) = &stopped {
        eprintln!("error[E702]: {text}");
        eprintln!("  (stopped at the first bad line; use --on-bad-line skip to skip bad lines)");
    }
    if let Err(Stopped::Requested) = &stopped {
        eprintln!("tick run: {}: stopped reading; delivering queued events (a second signal exits at once)", signals.name());
    }
    let (task, tally, flushed, reports) = run.finish();
    let stopped = stopped.and(flushed);
    if let Err(Stopped::OutputFailed(msg)) = &stopped {
        eprintln!("error[E001]: {msg}");
    }
    if stopped == Err(Stopped::OutputClosed) {
        return EXIT_OK;
    }
    report::print(&tally, &task.pipeline, &reports, children_before);
    let handler_failures = reports.iter().map(|r| r.stats.failures).sum::<u64>();
    match stopped {
        Err(Stopped::Requested) => signals.exit_code(),
        Err(_) => EXIT_FINDINGS,
        Ok(()) if handler_failures > 0 => EXIT_FINDINGS,
        Ok(()) => EXIT_OK,
    }
}

/// Checks and builds the script, loads handler files, opens the event output.
fn prepare(args: &RunArgs, stop: Arc<AtomicBool>) -> Result<LocalRun, u8> {
    let name = args.script.display().to_string();
    let source = match files::read_text(&args.script) {
        Ok(Text::Utf8(s)) => s,
        Ok(Text::Invalid(..)) => {
            eprintln!("error[E002]: {name}: the script is not valid UTF-8 (run `tick check` for the position)");
            return Err(EXIT_FINDINGS);
        }
        Err(msg) => {
            eprintln!("error[E001]: {msg}");
            return Err(EXIT_USAGE);
        }
    };
    let opts = task_options(args)?;
    let task = Task::compile(&source, &opts).map_err(|diags| {
        print_diags(diags.iter(), &name, &source);
        EXIT_FINDINGS
    })?;
    let files = match &args.handlers {
        Some(dir) => handler_files(dir, opts.exec_timeout)?,
        None => Vec::new(),
    };
    let routing = routing(args.queue_capacity, &task, &files)?;
    let output = open_output(args)?;
    Ok(LocalRun::new(task, routing, output, stop))
}

fn task_options(args: &RunArgs) -> Result<TaskOptions, u8> {
    let mut opts = TaskOptions::new(&args.task_name.clone().unwrap_or_else(|| stem(&args.script)));
    opts.info.hostname = args.hostname.clone();
    opts.info.cluster_id = args.cluster_id.clone();
    opts.info.server_id = args.server_id.clone();
    opts.dbrp = args.database.clone().map(|db| (db, args.retention_policy.clone()));
    opts.exec_timeout = parse_timeout(&args.exec_timeout)?;
    Ok(opts)
}

/// Every handler file of `dir`; any invalid file stops the run (each is reported).
fn handler_files(dir: &Path, exec_timeout: Duration) -> Result<Vec<FileHandler>, u8> {
    if !dir.is_dir() {
        eprintln!("error[E001]: {}: not a directory", dir.display());
        return Err(EXIT_USAGE);
    }
    let (files, problems) = handler_files::load_dir(dir, exec_timeout);
    for p in &problems {
        eprintln!("{p}");
    }
    if problems.is_empty() { Ok(files) } else { Err(EXIT_FINDINGS) }
}

fn routing(capacity: usize, task: &Task, files: &[FileHandler]) -> Result<Routing, u8> {
    let topics = task.pipeline.ctx.topics.clone();
    let mut setup = RoutingSetup::new(Arc::new(RealSpawner), topics);
    setup.capacity = capacity;
    setup.failure_sink = Some(Arc::new(|f: &handler::HandlerFailure| {
        eprintln!("handler {} failed on event {}: {}", f.handler, f.event_id, f.message);
    }));
    Routing::new(setup, &task.inline, files).map_err(|e| {
        eprintln!("error: cannot start the handler runtime: {e}");
        EXIT_USAGE
    })
}

fn open_output(args: &RunArgs) -> Result<Option<EventOutput>, u8> {
    if args.quiet {
        return Ok(None);
    }
    Ok(Some(match &args.output {
        None => EventOutput::new(Box::new(std::io::stdout()), "<stdout>"),
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| {
                eprintln!("error[E001]: {}: {}", path.display(), files::io_reason(&e));
                EXIT_USAGE
            })?;
            EventOutput::new(Box::new(file), &path.display().to_string())
        }
    }))
}

fn parse_timeout(text: &str) -> Result<Duration, u8> {
    match crate::gofmt::parse_duration(text) {
        Ok(ns) if ns > 0 => Ok(Duration::from_nanos(ns as u64)),
        Ok(_) => {
            eprintln!("error: --exec-timeout must be positive, got `{text}`");
            Err(EXIT_USAGE)
        }
        Err(e) => {
            eprintln!("error: --exec-timeout `{text}`: {e}");
            Err(EXIT_USAGE)
        }
    }
}

fn stem(path: &Path) -> String {
    path.file_stem().map_or_else(|| "task".into(), |s| s.to_string_lossy().into_owned())
}

fn print_diags<'a>(diags: impl Iterator<Item = &'a Diag>, name: &str, source: &str) {
    for d in diags {
        eprint!("{}", human(d, name, source, false));
    }
}
