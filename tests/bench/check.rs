//! Criterion benchmarks of `tick check`: a typical 20-line script and a generated 5,000-line one.

use criterion::{criterion_group, criterion_main, Criterion};
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

criterion_group!(benches, bench);
criterion_main!(benches);
