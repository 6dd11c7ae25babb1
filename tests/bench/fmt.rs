//! Criterion benchmark of `tick fmt` on a generated, unformatted 5,000-line script.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

/// `blocks` unformatted pipelines of 10 lines each: comments, a multi-line lambda, a long chain.
pub fn unformatted(blocks: usize) -> String {
    let mut out = String::new();
    for i in 0..blocks {
        out.push_str(&format!(
            "// block {i}\nvar limit{i} = {i}.50\nstream|from().measurement('m{i}')\n  .groupBy('host', 'cpu')\n|window().period(10s).every(5s) // windows\n|mean('v')\n|alert().crit(lambda: \"mean\" > limit{i} AND\n   (\"host\" =~ /web/ OR \"cpu\" != 'cpu-total'))\n  .message('{{{{ .ID }}}} is {{{{ .Level }}}}')\n  .exec('/bin/true', 'x')\n"
        ));
    }
    out
}

fn bench(c: &mut Criterion) {
    let big = unformatted(500);
    assert_eq!(big.lines().count(), 5000);
    let formatted = tickscript::fmt::format(&big).expect("formats");
    assert!(formatted.lines().count() > 5000);
    c.bench_function("fmt unformatted 5000-line script", |b| b.iter(|| tickscript::fmt::format(black_box(&big))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
