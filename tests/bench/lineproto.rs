//! Line-protocol parsing throughput on the `gen_cpu.py` data shape:
//! `cpu,host=hN usage_idle=XX.XXX,usage_user=YY.YYY <ns>` (~67 bytes/line).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::hint::black_box;
use std::io::Cursor;
use tickscript::lineproto::{parse_body, LineParser, Precision, Reader};
use tickscript::point::Point;

const LINES: usize = 100_000;
const T0: i64 = 1_577_836_800_000_000_000;
const STEP: i64 = 100_000_000;

/// Deterministic data like /work/shared/bench/gen_cpu.py (own RNG, same shape).
fn generate(points: usize) -> String {
    let mut state: u64 = 42;
    let mut uniform = |lo: f64, hi: f64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        lo + (hi - lo) * ((state >> 11) as f64 / (1u64 << 53) as f64)
    };
    let mut out = String::with_capacity(points * 70);
    for i in 0..points {
        let idle = uniform(10.5, 99.5);
        let user = uniform(0.0, 50.0);
        let time = T0 + i as i64 * STEP;
        out.push_str(&format!(
            "cpu,host=h{} usage_idle={idle:.3},usage_user={user:.3} {time}\n",
            i % 10
        ));
    }
    out
}

fn bench(c: &mut Criterion) {
    let data = generate(LINES);
    let mut group = c.benchmark_group("lineproto");
    group.throughput(Throughput::Elements(LINES as u64));
    group.bench_function("parse_line", |b| {
        let mut parser = LineParser::new(Precision::Ns);
        let mut point = Point::default();
        b.iter(|| {
            for line in data.lines() {
                black_box(parser.parse_line(line, 0, &mut point).is_ok());
            }
        })
    });
    group.bench_function("reader", |b| {
        let mut point = Point::default();
        b.iter(|| {
            let mut reader = Reader::new(Cursor::new(data.as_bytes()), Precision::Ns);
            while let Some(result) = reader.next_point(&mut point) {
                black_box(result.is_ok());
            }
        })
    });
    group.bench_function("parse_body", |b| {
        b.iter(|| black_box(parse_body(&data, Precision::Ns, 0).map(|p| p.len())))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
