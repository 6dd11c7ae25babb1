//! Queues, ordering, back-pressure, drain, match and publish.

use super::{event_with, numbered, scratch_dir};
use crate::handler::{
    Dispatcher, DispatcherOptions, ExecOutcome, ExecSpec, FailureKind, HandlerAction, HandlerEvent, Matcher, RealSpawner,
    RecordingSpawner,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn recording(delay_ms: u64) -> Arc<RecordingSpawner> {
    Arc::new(RecordingSpawner::new(Duration::from_millis(delay_ms), ExecOutcome::Ok))
}

fn dispatcher(spawner: Arc<dyn crate::handler::Spawner>, capacity: usize) -> Dispatcher {
    Dispatcher::new(DispatcherOptions { capacity, ..DispatcherOptions::new(spawner) }).expect("dispatcher")
}

fn exec(prog: &str, args: &[&str]) -> HandlerAction {
    HandlerAction::Exec(ExecSpec::new(prog, args.iter().map(|a| a.to_string()).collect()))
}

#[test]
fn recording_spawner_sees_argv_and_stdin_in_order() {
    let spawner = recording(0);
    let mut d = dispatcher(spawner.clone(), 16);
    d.register("h".into(), "cpu".into(), exec("/usr/bin/notify", &["--level", "crit"]), None);
    for n in 0..100 {
        assert_eq!(d.deliver("cpu", numbered(n)), 1);
    }
    assert_eq!(d.deliver("other-topic", numbered(0)), 0);
    let reports = d.finish();
    let calls = spawner.calls();
    assert_eq!(calls.len(), 100);
    for (n, call) in calls.iter().enumerate() {
        assert_eq!(call.argv, ["/usr/bin/notify", "--level", "crit"]);
        assert_eq!(call.stdin, format!("{{\"n\":{n}}}\n"));
    }
    assert_eq!((reports[0].stats.runs, reports[0].stats.queued, reports[0].stats.failures), (100, 100, 0));
}

#[test]
fn full_queue_blocks_the_producer_instead_of_dropping() {
    let spawner = recording(40);
    let mut d = dispatcher(spawner.clone(), 2);
    let id = d.register("slow".into(), "cpu".into(), exec("x", &[]), None);
    let started = Instant::now();
    for n in 0..10 {
        d.deliver("cpu", numbered(n));
    }
    // 10 events, at most 2 queued + 1 running: the producer waited for ~7 runs.
    assert!(started.elapsed() >= Duration::from_millis(7 * 40 - 20), "deliver returned after {:?}", started.elapsed());
    let stats = d.stats(id).unwrap();
    assert!(stats.blocked >= 5, "blocked {} times", stats.blocked);
    assert!(stats.queued_max <= 2);
    let reports = d.finish();
    assert_eq!(spawner.calls().len(), 10, "every event must be handled, none dropped");
    assert_eq!(reports[0].stats.runs, 10);
}

#[test]
fn handlers_run_concurrently_each_in_order() {
    let a = recording(20);
    let mut d = dispatcher(a.clone(), 100);
    d.register("a".into(), "cpu".into(), exec("a", &[]), None);
    d.register("b".into(), "cpu".into(), exec("b", &[]), None);
    let started = Instant::now();
    for n in 0..10 {
        d.deliver("cpu", numbered(n));
    }
    d.finish();
    // Serially that would be 20 runs x 20 ms; two workers overlap.
    assert!(started.elapsed() < Duration::from_millis(20 * 20 - 50), "took {:?}", started.elapsed());
    let calls = a.calls();
    for prog in ["a", "b"] {
        let order: Vec<&str> = calls.iter().filter(|c| c.argv[0] == prog).map(|c| c.stdin.as_str()).collect();
        let expected: Vec<String> = (0..10).map(|n| format!("{{\"n\":{n}}}\n")).collect();
        assert_eq!(order, expected);
    }
}

#[test]
fn ten_thousand_real_execs_lose_nothing_and_keep_order() {
    let dir = scratch_dir("10k");
    let out = dir.join("all.jsonl");
    let mut d = dispatcher(Arc::new(RealSpawner), 64);
    // `tee -a` appends stdin to the file: one process per event, no shell.
    d.register("tee".into(), "cpu".into(), exec("tee", &["-a", &out.display().to_string()]), None);
    let started = Instant::now();
    for n in 0..10_000 {
        d.deliver("cpu", numbered(n));
    }
    let reports = d.finish();
    eprintln!("10k exec runs took {:?}", started.elapsed());
    let expected: String = (0..10_000).map(|n| format!("{{\"n\":{n}}}\n")).collect();
    assert_eq!(std::fs::read_to_string(&out).unwrap(), expected);
    assert_eq!((reports[0].stats.runs, reports[0].stats.failures), (10_000, 0));
}

#[test]
fn timeout_is_reported_and_the_next_event_still_runs() {
    let dir = scratch_dir("timeout");
    let out = dir.join("seen");
    let script = format!("read line; case \"$line\" in *hang*) echo hanging >&2; sleep 60;; esac; echo \"$line\" >> '{}'", out.display());
    let spec = ExecSpec { prog: "/bin/sh".into(), args: vec!["-c".into(), script], timeout: Duration::from_millis(300) };
    let mut d = dispatcher(Arc::new(RealSpawner), 8);
    d.register("h".into(), "cpu".into(), HandlerAction::Exec(spec), None);
    d.deliver("cpu", event_with("first", "{\"hang\":true}\n"));
    d.deliver("cpu", event_with("second", "{\"ok\":true}\n"));
    let report = d.finish().remove(0);
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "{\"ok\":true}\n");
    assert_eq!((report.stats.runs, report.stats.failures, report.stats.timeouts), (2, 1, 1));
    let failure = &report.failures[0];
    assert_eq!((failure.kind, failure.event_id.as_str()), (FailureKind::TimedOut, "first"));
    assert!(failure.message.starts_with("exec /bin/sh -c read line;"), "{}", failure.message);
    assert!(failure.message.contains("timed out after 300ms; its process group was killed\nstderr:\nhanging"), "{}", failure.message);
}

#[test]
fn exit_failure_reaches_the_report_and_the_live_sink() {
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink_seen = seen.clone();
    let options = DispatcherOptions {
        failure_sink: Some(Arc::new(move |f: &crate::handler::HandlerFailure| sink_seen.lock().unwrap().push(f.message.clone()))),
        ..DispatcherOptions::new(Arc::new(RealSpawner))
    };
    let mut d = Dispatcher::new(options).unwrap();
    d.register("h".into(), "cpu".into(), exec("/bin/sh", &["-c", "echo boom >&2; exit 1"]), None);
    d.deliver("cpu", numbered(1));
    let report = d.finish().remove(0);
    let expected = "exec /bin/sh -c echo boom >&2; exit 1: exit status 1\nstderr:\nboom";
    assert_eq!(report.failures[0].message, expected);
    assert_eq!(report.failures[0].kind, FailureKind::Exit);
    assert_eq!(*seen.lock().unwrap(), vec![expected.to_string()]);
}

struct EvenOnly;

impl Matcher for EvenOnly {
    fn matches(&mut self, event: &HandlerEvent) -> Result<bool, String> {
        let n: usize = event.id.trim_start_matches('e').parse().map_err(|_| format!("no number in {}", event.id))?;
        Ok(n.is_multiple_of(2))
    }
}

#[test]
fn matcher_filters_before_the_action() {
    let spawner = recording(0);
    let mut d = dispatcher(spawner.clone(), 8);
    d.register("even".into(), "cpu".into(), exec("x", &[]), Some(Box::new(EvenOnly)));
    for n in 0..6 {
        d.deliver("cpu", numbered(n));
    }
    d.deliver("cpu", event_with("bad", "{}\n"));
    let report = d.finish().remove(0);
    let stdins: Vec<String> = spawner.calls().into_iter().map(|c| c.stdin).collect();
    assert_eq!(stdins, ["{\"n\":0}\n", "{\"n\":2}\n", "{\"n\":4}\n"]);
    assert_eq!((report.stats.runs, report.stats.unmatched, report.stats.match_errors), (3, 3, 1));
    assert_eq!(report.failures[0].message, "failed to evaluate match expression: no number in bad");
}

#[test]
fn publish_re_collects_into_other_topics_and_finish_drains_the_chain() {
    let spawner = recording(5);
    let mut d = dispatcher(spawner.clone(), 1);
    d.register("fan-out".into(), "cpu".into(), HandlerAction::Publish { topics: vec!["ops".into(), "audit".into()] }, None);
    d.register("ops-exec".into(), "ops".into(), exec("ops", &[]), Some(Box::new(TopicIs("ops"))));
    d.register("audit-exec".into(), "audit".into(), exec("audit", &[]), None);
    for n in 0..5 {
        d.deliver("cpu", numbered(n));
    }
    let reports = d.finish();
    let calls = spawner.calls();
    assert_eq!(calls.iter().filter(|c| c.argv[0] == "ops").count(), 5);
    assert_eq!(calls.iter().filter(|c| c.argv[0] == "audit").count(), 5);
    assert_eq!(reports.iter().map(|r| r.stats.runs).collect::<Vec<_>>(), [5, 5, 5]);
    assert_eq!(reports[1].stats.match_errors, 0, "published events carry their new topic: {:?}", reports[1].failures);
}

/// Accepts events of one topic; any other topic is an error.
struct TopicIs(&'static str);

impl Matcher for TopicIs {
    fn matches(&mut self, event: &HandlerEvent) -> Result<bool, String> {
        if &*event.topic == self.0 { Ok(true) } else { Err(format!("topic {}", event.topic)) }
    }
}

struct Panics;

impl Matcher for Panics {
    fn matches(&mut self, _: &HandlerEvent) -> Result<bool, String> {
        panic!("evaluator bug")
    }
}

#[test]
fn panicking_matcher_skips_the_event_and_the_queue_still_drains() {
    let spawner = recording(0);
    let mut d = dispatcher(spawner.clone(), 1);
    d.register("p".into(), "cpu".into(), exec("x", &[]), Some(Box::new(Panics)));
    for n in 0..3 {
        d.deliver("cpu", numbered(n));
    }
    let report = d.finish().remove(0);
    assert_eq!((report.stats.runs, report.stats.match_errors), (0, 3));
    assert_eq!(report.failures[0].message, "failed to evaluate match expression: match expression panicked");
}
