//! Per-point transforms: `elapsed`, `difference`, `movingAverage`, `cumulativeSum`.
//!
//! On a batch the state starts fresh for every batch (1.5.7 builds a new
//! reduce context per batch); on a stream it is kept per group.

use super::reduce::Num;
use crate::value::FieldValue;
use std::collections::VecDeque;

/// Which transform.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Transform {
    /// `elapsed(field, unit)`: time since the previous point, in units (int).
    Elapsed(i64),
    /// `difference(field)`: value minus the previous value.
    Difference,
    /// `movingAverage(field, n)`: mean of the last n values (float).
    MovingAverage(usize),
    /// `cumulativeSum(field)`: running sum.
    CumulativeSum,
}

/// The running state of one transform.
#[derive(Debug, Clone, Default)]
pub struct TransformState {
    prev: Option<(i64, FieldValue)>,
    window: VecDeque<f64>,
    sum: Option<FieldValue>,
}

impl Transform {
    /// Feeds one `(time, value)`; returns the output value, if any.
    pub fn step<T: Num>(self, state: &mut TransformState, time: i64, value: T, from: fn(&FieldValue) -> T) -> Option<FieldValue> {
        match self {
            Transform::Elapsed(unit) => {
                let prev = state.prev.replace((time, value.field()));
                prev.map(|(t, _)| FieldValue::Int((time - t) / unit.max(1)))
            }
            Transform::Difference => {
                let prev = state.prev.replace((time, value.field()));
                prev.map(|(_, v)| value.sub(from(&v)).field())
            }
            Transform::MovingAverage(n) => {
                state.window.push_back(value.to_f64());
                if state.window.len() > n {
                    state.window.pop_front();
                }
                (state.window.len() == n).then(|| FieldValue::Float(state.window.iter().sum::<f64>() / n as f64))
            }
            Transform::CumulativeSum => {
                let next = match &state.sum {
                    Some(sum) => from(sum).add(value),
                    None => value,
                };
                state.sum = Some(next.field());
                state.sum.clone()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn as_int(v: &FieldValue) -> i64 {
        if let FieldValue::Int(i) = v { *i } else { 0 }
    }

    #[test]
    fn transforms_step_by_point() {
        let run = |t: Transform| {
            let mut s = TransformState::default();
            [(0, 1i64), (10, 4), (30, 9)].iter().map(|&(time, v)| t.step(&mut s, time, v, as_int)).collect::<Vec<_>>()
        };
        assert_eq!(run(Transform::Elapsed(10)), vec![None, Some(FieldValue::Int(1)), Some(FieldValue::Int(2))]);
        assert_eq!(run(Transform::Difference), vec![None, Some(FieldValue::Int(3)), Some(FieldValue::Int(5))]);
        assert_eq!(run(Transform::MovingAverage(2)), vec![None, Some(FieldValue::Float(2.5)), Some(FieldValue::Float(6.5))]);
        assert_eq!(run(Transform::CumulativeSum), vec![Some(FieldValue::Int(1)), Some(FieldValue::Int(5)), Some(FieldValue::Int(14))]);
    }
}
