//! The one-value reducers (InfluxDB 1.1 `influxql` call iterators as pinned by Kapacitor 1.5.7).
//!
//! Each works on `(time, value)` pairs in batch order and returns either an
//! aggregate value or the index of the selected point.

use crate::value::FieldValue;

/// A number the reducers work on: `f64` or `i64`.
pub trait Num: Copy + PartialOrd + std::fmt::Debug {
    /// The value as a field.
    fn field(self) -> FieldValue;
    /// Go's `float64(v)`.
    fn to_f64(self) -> f64;
    /// `a + b` (wrapping for integers, as Go does).
    fn add(self, other: Self) -> Self;
    /// `a - b` (wrapping for integers).
    fn sub(self, other: Self) -> Self;
    /// Zero.
    const ZERO: Self;
}

impl Num for f64 {
    fn field(self) -> FieldValue {
        FieldValue::Float(self)
    }
    fn to_f64(self) -> f64 {
        self
    }
    fn add(self, other: Self) -> Self {
        self + other
    }
    fn sub(self, other: Self) -> Self {
        self - other
    }
    const ZERO: Self = 0.0;
}

impl Num for i64 {
    fn field(self) -> FieldValue {
        FieldValue::Int(self)
    }
    fn to_f64(self) -> f64 {
        self as f64
    }
    fn add(self, other: Self) -> Self {
        self.wrapping_add(other)
    }
    fn sub(self, other: Self) -> Self {
        self.wrapping_sub(other)
    }
    const ZERO: Self = 0;
}

/// What a one-value reducer produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Reduced {
    /// A computed value (the output time is the window time).
    Value(FieldValue),
    /// The point at this index was selected; `own_time` says whether `.usePointTimes()` may use its time.
    Selected { index: usize, own_time: bool },
}

/// The reducers that yield one value per batch.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reducer {
    /// `count`
    Count,
    /// `sum`
    Sum,
    /// `mean`
    Mean,
    /// `median`
    Median,
    /// `mode`
    Mode,
    /// `spread`
    Spread,
    /// `stddev`
    Stddev,
    /// `first`
    First,
    /// `last`
    Last,
    /// `min`
    Min,
    /// `max`
    Max,
    /// `percentile` with its percentage.
    Percentile(f64),
}

impl Reducer {
    /// True if the reducer emits something for an empty batch (count and sum emit 0).
    pub fn empty_ok(self) -> bool {
        matches!(self, Reducer::Count | Reducer::Sum)
    }

    /// Reduces `values`; `scratch` is reused for sorting.
    pub fn reduce<T: Num>(self, values: &[(i64, T)], scratch: &mut Vec<(i64, T, usize)>) -> Option<Reduced> {
        let value = |v: FieldValue| Some(Reduced::Value(v));
        let select = |index: usize| Some(Reduced::Selected { index, own_time: true });
        match self {
            Reducer::Count => value(FieldValue::Int(values.len() as i64)),
            Reducer::Sum => value(values.iter().fold(T::ZERO, |acc, (_, v)| acc.add(*v)).field()),
            Reducer::Mean => {
                let sum: f64 = values.iter().map(|(_, v)| v.to_f64()).sum();
                value(FieldValue::Float(sum / values.len() as f64))
            }
            Reducer::Median => median(values, scratch).map(FieldValue::Float).map(Reduced::Value),
            Reducer::Mode => mode(values, scratch).map(|v| Reduced::Value(v.field())),
            Reducer::Spread => spread(values).map(|v| Reduced::Value(v.field())),
            Reducer::Stddev => stddev(values).map(FieldValue::Float).map(Reduced::Value),
            Reducer::First => pick(values, |best, cand| cand.0 < best.0 || (cand.0 == best.0 && cand.1 > best.1)).and_then(select),
            Reducer::Last => pick(values, |best, cand| cand.0 > best.0 || (cand.0 == best.0 && cand.1 > best.1)).and_then(select),
            Reducer::Min => pick(values, |best, cand| cand.1 < best.1 || (cand.1 == best.1 && cand.0 < best.0)).and_then(select),
            Reducer::Max => pick(values, |best, cand| cand.1 > best.1 || (cand.1 == best.1 && cand.0 < best.0)).and_then(select),
            Reducer::Percentile(p) => percentile(values, p, scratch),
        }
    }
}

/// Index of the best pair: `better(best, candidate)` replaces the best so far.
fn pick<T: Num>(values: &[(i64, T)], better: impl Fn(&(i64, T), &(i64, T)) -> bool) -> Option<usize> {
    let mut best = 0;
    for i in 1..values.len() {
        if better(&values[best], &values[i]) {
            best = i;
        }
    }
    (!values.is_empty()).then_some(best)
}

fn sorted<T: Num>(values: &[(i64, T)], scratch: &mut Vec<(i64, T, usize)>) {
    scratch.clear();
    scratch.extend(values.iter().enumerate().map(|(i, (t, v))| (*t, *v, i)));
    scratch.sort_by(|a, b| a.1.partial_cmp(&b.1).unwrap_or(std::cmp::Ordering::Equal));
}

fn median<T: Num>(values: &[(i64, T)], scratch: &mut Vec<(i64, T, usize)>) -> Option<f64> {
    sorted(values, scratch);
    let n = scratch.len();
    if n == 0 {
        return None;
    }
    if n % 2 == 1 {
        return Some(scratch[n / 2].1.to_f64());
    }
    let (lo, hi) = (scratch[n / 2 - 1].1, scratch[n / 2].1);
    Some(lo.to_f64() + hi.sub(lo).to_f64() / 2.0)
}

/// The most frequent value; ties go to the value seen first in time.
fn mode<T: Num>(values: &[(i64, T)], scratch: &mut Vec<(i64, T, usize)>) -> Option<T> {
    sorted(values, scratch);
    let mut best: Option<(usize, i64, T)> = None;
    let mut i = 0;
    while i < scratch.len() {
        let mut j = i;
        let mut first_time = scratch[i].0;
        while j < scratch.len() && scratch[j].1 == scratch[i].1 {
            first_time = first_time.min(scratch[j].0);
            j += 1;
        }
        let run = (j - i, first_time, scratch[i].1);
        if best.is_none_or(|b| run.0 > b.0 || (run.0 == b.0 && run.1 < b.1)) {
            best = Some(run);
        }
        i = j.max(i + 1);
    }
    best.map(|b| b.2)
}

fn spread<T: Num>(values: &[(i64, T)]) -> Option<T> {
    let first = values.first()?.1;
    let (mut lo, mut hi) = (first, first);
    for (_, v) in values {
        if *v < lo {
            lo = *v;
        }
        if *v > hi {
            hi = *v;
        }
    }
    Some(hi.sub(lo))
}

/// Sample standard deviation; one point gives 0 (Kapacitor 1.5.7 ignores the Nil flag).
fn stddev<T: Num>(values: &[(i64, T)]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    if values.len() == 1 {
        return Some(0.0);
    }
    let mut mean = 0.0;
    let mut count = 0.0;
    for (_, v) in values {
        count += 1.0;
        mean += (v.to_f64() - mean) / count;
    }
    let variance: f64 = values.iter().map(|(_, v)| (v.to_f64() - mean) * (v.to_f64() - mean)).sum();
    Some((variance / (count - 1.0)).sqrt())
}

/// Nearest rank: i = ⌊n·p/100 + 0.5⌋ − 1 over the values sorted ascending.
fn percentile<T: Num>(values: &[(i64, T)], p: f64, scratch: &mut Vec<(i64, T, usize)>) -> Option<Reduced> {
    sorted(values, scratch);
    let rank = (scratch.len() as f64 * p / 100.0 + 0.5).floor() as i64 - 1;
    if rank < 0 || rank as usize >= scratch.len() {
        return None;
    }
    let index = scratch[rank as usize].2;
    // 1.5.7's integer percentile returns no time: `.usePointTimes()` falls back to the window time.
    let own_time = std::any::type_name::<T>() == "f64";
    Some(Reduced::Selected { index, own_time })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(vals: &[f64]) -> Vec<(i64, f64)> {
        vals.iter().enumerate().map(|(i, v)| (i as i64, *v)).collect()
    }

    fn run<T: Num>(r: Reducer, v: &[(i64, T)]) -> Option<Reduced> {
        r.reduce(v, &mut Vec::new())
    }

    #[test]
    fn aggregates() {
        let v = f(&[1.0, 5.0, 2.0, 2.0]);
        assert_eq!(run(Reducer::Count, &v), Some(Reduced::Value(FieldValue::Int(4))));
        assert_eq!(run(Reducer::Sum, &v), Some(Reduced::Value(FieldValue::Float(10.0))));
        assert_eq!(run(Reducer::Mean, &v), Some(Reduced::Value(FieldValue::Float(2.5))));
        assert_eq!(run(Reducer::Median, &v), Some(Reduced::Value(FieldValue::Float(2.0))));
        assert_eq!(run(Reducer::Mode, &v), Some(Reduced::Value(FieldValue::Float(2.0))));
        assert_eq!(run(Reducer::Spread, &v), Some(Reduced::Value(FieldValue::Float(4.0))));
        let ints: Vec<(i64, i64)> = vec![(0, 1), (1, 4)];
        assert_eq!(run(Reducer::Median, &ints), Some(Reduced::Value(FieldValue::Float(2.5))));
        assert_eq!(run(Reducer::Sum, &ints), Some(Reduced::Value(FieldValue::Int(5))));
        assert_eq!(run(Reducer::Stddev, &ints[..1]), Some(Reduced::Value(FieldValue::Float(0.0))));
        let sd = run(Reducer::Stddev, &f(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]));
        assert_eq!(sd, Some(Reduced::Value(FieldValue::Float((32.0f64 / 7.0).sqrt()))));
    }

    #[test]
    fn selectors_break_ties_like_influxdb() {
        let v = vec![(5, 3.0), (1, 1.0), (1, 2.0), (9, 3.0)];
        let sel = |r| match run(r, &v) {
            Some(Reduced::Selected { index, .. }) => index,
            other => panic!("{other:?}"),
        };
        assert_eq!(sel(Reducer::First), 2);
        assert_eq!(sel(Reducer::Last), 3);
        assert_eq!(sel(Reducer::Min), 1);
        assert_eq!(sel(Reducer::Max), 0);
        assert_eq!(sel(Reducer::Percentile(50.0)), 2);
        assert_eq!(run(Reducer::Percentile(0.0), &v), None);
        let ints = vec![(0, 1i64)];
        assert_eq!(run(Reducer::Percentile(100.0), &ints), Some(Reduced::Selected { index: 0, own_time: false }));
    }
}
