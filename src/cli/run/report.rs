//! The end-of-run summary on stderr: points, nodes, evaluation errors, alerts, handlers.

use crate::handler::HandlerReport;
use crate::pipeline::Pipeline;
use crate::task::local::Tally;
use nix::sys::resource::{getrusage, Usage, UsageWho};

/// Prints the summary.
pub fn print(tally: &Tally, pipeline: &Pipeline, reports: &[HandlerReport], children_before: f64) {
    let mut out = String::new();
    out.push_str(&format!("tick run: {} points read", tally.points));
    if tally.bad_lines > 0 {
        out.push_str(&format!(", {} bad lines", tally.bad_lines));
    }
    out.push('\n');
    for example in &tally.bad_examples {
        out.push_str(&format!("  skipped {example}\n"));
    }
    out.push_str("  nodes:");
    let stats = pipeline.stats();
    for s in &stats {
        out.push_str(&format!(" {} {}→{}", s.name, s.points_in, s.points_out));
        if s.errors > 0 {
            out.push_str(&format!(" ({} errors)", s.errors));
        }
        out.push(';');
    }
    out.push('\n');
    for (node, message, count) in pipeline.ctx.errors.entries() {
        let name = stats.get(node).map_or("?", |s| s.name.as_str());
        out.push_str(&format!("  {name}: {count} × {message}\n"));
    }
    let [ok, info, warn, crit] = tally.alerts;
    out.push_str(&format!("  alerts: {crit} CRITICAL, {warn} WARNING, {info} INFO, {ok} OK\n"));
    for r in reports {
        let s = &r.stats;
        out.push_str(&format!("  handler {} (topic {}): {} runs, {} failures", r.name, r.topic, s.runs, s.failures));
        if s.timeouts > 0 {
            out.push_str(&format!(", {} timeouts", s.timeouts));
        }
        if s.match_errors > 0 {
            out.push_str(&format!(", {} match errors", s.match_errors));
        }
        if s.unmatched > 0 {
            out.push_str(&format!(", {} not matched", s.unmatched));
        }
        out.push('\n');
    }
    out.push_str(&cpu_line(children_before));
    eprint!("{out}");
}

/// CPU time used: by `tick` itself (every thread) and by the handler
/// programs it ran and waited for, so each cost can be told apart.
///
/// The programs' time is what `RUSAGE_CHILDREN` gained since the run began
/// (`children_before`): that counter is the sum of the `wait4` rusage of
/// every child reaped, and it survives `exec`, so under `cargo run` it starts
/// with cargo's compile, which is not ours.
fn cpu_line(children_before: f64) -> String {
    let own = seconds(getrusage(UsageWho::RUSAGE_SELF));
    let programs = (children_cpu() - children_before).max(0.0);
    format!("  cpu: tick {own:.2} s, handler programs {programs:.2} s\n")
}

/// CPU seconds (user + system) of every child this process has waited for.
pub fn children_cpu() -> f64 {
    seconds(getrusage(UsageWho::RUSAGE_CHILDREN))
}

fn seconds(usage: nix::Result<Usage>) -> f64 {
    usage.map_or(0.0, |u| {
        let (user, system) = (u.user_time(), u.system_time());
        (user.tv_sec() + system.tv_sec()) as f64 + (user.tv_usec() + system.tv_usec()) as f64 / 1e6
    })
}
