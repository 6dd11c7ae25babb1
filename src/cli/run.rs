//! `tick run`: a stream script over line protocol, alerts to stdout and to handlers.

use super::files::{self, Text};
use super::{EXIT_FINDINGS, EXIT_OK, EXIT_USAGE};
use crate::check::{check_source, CheckOptions};
use crate::diagnostic::render::human;
use crate::diagnostic::Diag;
use crate::handler::{self, Dispatcher, DispatcherOptions, HandlerEvent, RealSpawner};
use crate::lineproto::{LineError, Precision, Reader};
use crate::pipeline::{build, BuildOptions, Pipeline, RunInfo};
use crate::point::Point;
use std::io::{BufRead, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

mod report;
pub(crate) mod topics;

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
    match Runner::prepare(args) {
        Ok(runner) => runner.execute(args),
        Err(code) => code,
    }
}

/// A prepared run: pipeline, handlers, output.
struct Runner {
    pipeline: Pipeline,
    dispatcher: Dispatcher,
    output: Option<Box<dyn Write>>,
}

impl Runner {
    fn prepare(args: &RunArgs) -> Result<Runner, u8> {
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
        let checked = check_source(&source, &CheckOptions::default());
        let Some(program) = checked.program else {
            print_diags(checked.diags.iter().filter(|d| d.is_error()), &name, &source);
            return Err(EXIT_FINDINGS);
        };
        let exec_timeout = parse_timeout(&args.exec_timeout)?;
        let task_name = args.task_name.clone().unwrap_or_else(|| stem(&args.script));
        let info = Arc::new(RunInfo {
            task_name: task_name.into(),
            hostname: args.hostname.clone(),
            cluster_id: args.cluster_id.clone(),
            server_id: args.server_id.clone(),
        });
        let dbrp = args.database.clone().map(|db| (db, args.retention_policy.clone()));
        let built = build(&program, &BuildOptions { info, dbrp, exec_timeout }).map_err(|diags| {
            print_diags(diags.iter(), &name, &source);
            EXIT_FINDINGS
        })?;
        let pipeline = built.pipeline;
        let topics = pipeline.ctx.topics.clone();
        let mut dispatcher = new_dispatcher(args.queue_capacity, topics.clone())?;
        for h in built.handlers {
            dispatcher.register(h.name, h.topic.to_string(), h.action, None);
        }
        if let Some(dir) = &args.handlers {
            topics::register_files(&mut dispatcher, dir, exec_timeout)?;
        }
        let output = open_output(args)?;
        Ok(Runner { pipeline, dispatcher, output })
    }

    fn execute(mut self, args: &RunArgs) -> u8 {
        let Ok(precision) = args.precision.parse::<Precision>() else {
            eprintln!("error: unknown precision `{}`; use ns, us, ms, s, m or h", args.precision);
            return EXIT_USAGE;
        };
        let mut tally = report::Tally::default();
        let mut failed_input = false;
        for input in &args.inputs {
            match self.read_input(input, precision, args.on_bad_line, &mut tally) {
                Ok(true) => {}
                Ok(false) => {
                    failed_input = true;
                    break;
                }
                Err(msg) => {
                    eprintln!("error[E001]: {msg}");
                    let _ = self.dispatcher.finish();
                    return EXIT_USAGE;
                }
            }
        }
        if let Some(out) = &mut self.output {
            let _ = out.flush();
        }
        let reports = self.dispatcher.finish();
        let handler_failures = reports.iter().map(|r| r.stats.failures).sum::<u64>();
        report::print(&tally, &self.pipeline, &reports);
        if failed_input || handler_failures > 0 { EXIT_FINDINGS } else { EXIT_OK }
    }

    /// Reads one input; Ok(false) when a bad line stopped the run.
    fn read_input(&mut self, input: &str, precision: Precision, on_bad: OnBadLine, tally: &mut report::Tally) -> Result<bool, String> {
        let reader: Box<dyn BufRead> = if input == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            let file = std::fs::File::open(input).map_err(|e| format!("{input}: {}", files::io_reason(&e)))?;
            Box::new(std::io::BufReader::with_capacity(1 << 16, file))
        };
        let name = if input == "-" { "<stdin>" } else { input };
        let mut reader = Reader::new(reader, precision);
        let mut point = Point::default();
        while let Some(result) = reader.next_point(&mut point) {
            match result {
                Ok(()) => {
                    tally.points += 1;
                    self.pipeline.push(&point);
                    self.flush_alerts(tally);
                }
                Err(err) => {
                    if !self.bad_line(name, &err, on_bad, tally) {
                        return Ok(false);
                    }
                }
            }
        }
        Ok(true)
    }

    fn bad_line(&mut self, name: &str, err: &LineError, on_bad: OnBadLine, tally: &mut report::Tally) -> bool {
        let text = format!("{name}:{}:{}: {}", err.line, err.column, err.message);
        tally.bad_lines += 1;
        match on_bad {
            OnBadLine::Fail => {
                eprintln!("error[E702]: {text}");
                eprintln!("  (stopped at the first bad line; use --on-bad-line skip to skip bad lines)");
                false
            }
            OnBadLine::Skip => {
                if tally.bad_examples.len() < 10 {
                    tally.bad_examples.push(text);
                }
                true
            }
        }
    }

    fn flush_alerts(&mut self, tally: &mut report::Tally) {
        if self.pipeline.ctx.alerts.is_empty() {
            return;
        }
        for alert in self.pipeline.drain_alerts() {
            tally.alerts[alert.level as usize] += 1;
            if let Some(out) = &mut self.output {
                let _ = out.write_all(alert.json.as_bytes());
            }
            for event in alert.deliveries {
                if self.dispatcher.has_handlers(&event.topic) {
                    let topic = event.topic.clone();
                    self.dispatcher.deliver(&topic, Arc::new(event));
                }
            }
        }
    }
}

fn new_dispatcher(capacity: usize, topics: Arc<std::sync::Mutex<crate::alert::Topics>>) -> Result<Dispatcher, u8> {
    let mut options = DispatcherOptions::new(Arc::new(RealSpawner));
    options.capacity = capacity;
    options.failure_sink = Some(Arc::new(|f: &handler::HandlerFailure| {
        eprintln!("handler {} failed on event {}: {}", f.handler, f.event_id, f.message);
    }));
    options.republisher = Some(Arc::new(move |topic: &str, event: &HandlerEvent| topics::republish(&topics, topic, event)));
    Dispatcher::new(options).map_err(|e| {
        eprintln!("error: cannot start the handler runtime: {e}");
        EXIT_USAGE
    })
}

fn open_output(args: &RunArgs) -> Result<Option<Box<dyn Write>>, u8> {
    if args.quiet {
        return Ok(None);
    }
    Ok(Some(match &args.output {
        None => Box::new(BufWriter::new(std::io::stdout())),
        Some(path) => {
            let file = std::fs::File::create(path).map_err(|e| {
                eprintln!("error[E001]: {}: {}", path.display(), files::io_reason(&e));
                EXIT_USAGE
            })?;
            Box::new(BufWriter::new(file))
        }
    }))
}

fn parse_timeout(text: &str) -> Result<Duration, u8> {
    match handler::kinds::parse_go_duration(text) {
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
