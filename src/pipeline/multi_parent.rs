//! Nodes with several parents (`a|join(b)`, `a|union(b, c)`): which parent an edge comes from.
//!
//! The pipeline stays a synchronous walk: a point pushed at the root reaches each
//! parent in creation order, and each parent's output reaches the shared child
//! tagged with the parent's position (0 for the node the method is chained on,
//! then the arguments in order), so a join sees its parents' points in input order.

use crate::program::Program;

/// For every edge `children[node][i]`: the position of `node` among that child's parents.
pub fn sources(program: &Program, children: &[Vec<usize>]) -> Vec<Vec<usize>> {
    children
        .iter()
        .enumerate()
        .map(|(node, kids)| {
            kids.iter().map(|&child| program.nodes[child].parents.iter().position(|&p| p == node).unwrap_or(0)).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::check::{check_source, CheckOptions};
    use crate::lineproto::Reader;
    use crate::pipeline::{build, BuildOptions, RunInfo};
    use crate::point::Point;
    use std::sync::Arc;

    /// Pushes `input` through `script`; the alert ids and times, then those after `finish()`.
    fn run(script: &str, input: &str) -> (Vec<String>, Vec<String>) {
        let program = check_source(script, &CheckOptions::default()).program.expect("the script checks");
        let info = RunInfo { task_name: "t".into(), hostname: "localhost".into(), cluster_id: String::new(), server_id: String::new() };
        let opts = BuildOptions { info: Arc::new(info), dbrp: None, exec_timeout: std::time::Duration::from_secs(1) };
        let Ok(built) = build(&program, &opts) else { panic!("the pipeline builds") };
        let mut pipeline = built.pipeline;
        let mut reader = Reader::new(input.as_bytes(), crate::lineproto::Precision::Ns);
        let mut point = Point::default();
        let events = |p: &mut crate::pipeline::Pipeline| p.drain_alerts().map(|a| a.json.split("\"data\"").next().unwrap().to_string()).collect::<Vec<_>>();
        let mut pushed = Vec::new();
        while let Some(r) = reader.next_point(&mut point) {
            r.expect("good line");
            pipeline.push(&point);
            pushed.extend(events(&mut pipeline));
        }
        pipeline.finish();
        (pushed, events(&mut pipeline))
    }

    const JOIN: &str = "var a = stream|from().measurement('a')\nvar b = stream|from().measurement('b')\n\
        a|join(b).as('a', 'b').fill(0)|alert().crit(lambda: \"a.v\" + \"b.v\" > 0).details('').log('/dev/null')\n";

    #[test]
    fn both_parents_reach_the_join_and_finish_flushes_it() {
        let (pushed, finished) = run(JOIN, "a v=1 1000000000\nb v=2 1000000000\na v=3 2000000000\n");
        assert_eq!(pushed.len(), 1, "{pushed:?}");
        assert!(pushed[0].contains("00:00:01Z"));
        assert_eq!(finished.len(), 1, "the held set at 2s goes at the end: {finished:?}");
        assert!(finished[0].contains("00:00:02Z"));
    }
}
