//! Criterion benchmarks of `tick check`: a typical 20-line script and a generated 5,000-line one.

use criterion::{criterion_group, Criterion};
use std::hint::black_box;
use tickscript::check::{check_source, CheckOptions};

/// The windowed benchmark script plus a few properties: about 20 lines.
const TYPICAL: &str = "var warn = 30.0
var crit = 10.0
stream
    |from()
        .measurement('cpu')
        .where(lambda: \"host\" != 'h0')
        .groupBy('host')
    |window()
        .period(10s)
        .every(10s)
    |mean('usage_idle')
    |alert()
        .warn(lambda: \"mean\" < warn)
        .crit(lambda: \"mean\" < crit)
        .id('{{ .Name }}/{{ index .Tags \"host\" }}')
        .message('{{ .ID }} is {{ .Level }}: {{ index .Fields \"mean\" | printf \"%.1f\" }}')
        .stateChangesOnly()
        .exec('/usr/local/bin/notify', '--team', 'ops')
        .log('/var/log/alerts.log')
";

/// A script of `blocks` independent alert pipelines, 10 lines each.
pub fn generated(blocks: usize) -> String {
    let mut out = String::new();
    for i in 0..blocks {
        out.push_str(&format!(
            "var t{i} = {i}.5\nstream\n    |from()\n        .measurement('m{i}')\n        .groupBy('host')\n    |alert()\n        .crit(lambda: \"v\" > t{i} AND \"host\" =~ /web/)\n        .message('{{{{ .ID }}}} {i}')\n        .exec('/bin/true')\n\n"
        ));
    }
    out
}

fn bench(c: &mut Criterion) {
    let opts = CheckOptions::default();
    assert!(check_source(TYPICAL, &opts).diags.is_empty());
    c.bench_function("check typical 20-line script", |b| b.iter(|| check_source(black_box(TYPICAL), &opts)));
    let big = generated(500);
    assert_eq!(big.lines().count(), 5000);
    assert!(check_source(&big, &opts).diags.is_empty());
    c.bench_function("check generated 5000-line script", |b| b.iter(|| check_source(black_box(&big), &opts)));
}

/// 40,000 unused-var warnings rendered (human and json) through the line index,
/// and the same through the old per-diagnostic scans (miette over a copy of the
/// whole text, `span::line_col` from the start), timed once in the same run.
fn render_40k() {
    use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource};
    use std::time::Instant;
    use tickscript::diagnostic::render::{render_in, Format};
    use tickscript::diagnostic::source::SourceFile;
    let vars: String = (0..40_000).map(|i| format!("var x{i} = {i}\n")).collect();
    let source = format!("{vars}stream|from()|log()\n");
    let diags = check_source(&source, &CheckOptions::default()).diags;
    assert_eq!(diags.len(), 40_000);
    let started = Instant::now();
    let file = SourceFile::new("many.tick", source.as_str());
    let mut bytes = 0;
    for d in &diags {
        bytes += render_in(d, &file, Format::Human, false).len() + render_in(d, &file, Format::Json, false).len();
    }
    let linear = started.elapsed();
    let started = Instant::now();
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor()).with_width(80).with_links(false);
    let mut old_bytes = 0;
    for d in &diags {
        let report = miette::Report::new(d.clone()).with_source_code(NamedSource::new("many.tick", source.clone()));
        let mut out = String::new();
        let _ = handler.render_report(&mut out, report.as_ref());
        let (line, col) = tickscript::span::line_col(&source, d.span.start);
        let (end_line, end_col) = tickscript::span::line_col(&source, d.span.end);
        old_bytes += out.len() + black_box(line + col + end_line + end_col);
    }
    let quadratic = started.elapsed();
    black_box((bytes, old_bytes));
    println!(
        "render 40,000 diagnostics (human + json): line index {:.3} s, old per-diagnostic scans {:.3} s, ratio {:.0}x",
        linear.as_secs_f64(),
        quadratic.as_secs_f64(),
        quadratic.as_secs_f64() / linear.as_secs_f64()
    );
    assert!(linear.as_secs_f64() < 1.0, "40,000 diagnostics took {linear:?}");
}

criterion_group!(benches, bench);

fn main() {
    render_40k();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
