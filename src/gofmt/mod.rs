//! Go-compatible formatting of floats, times and durations, and Go's
//! duration parsing ([`parse_duration`]): every Go rule in one place.
//!
//! Kapacitor's output is produced by Go's `encoding/json`, `fmt` and `time`
//! packages; byte compatibility needs their exact rules, written down here
//! once and tested against outputs recorded from Go.

use chrono::{DateTime, Utc};

mod duration;
pub use duration::parse_duration;

/// A float as Go's `encoding/json` writes it: `10`, `97.1`, `1e+21`, `1e-7`.
pub fn json_float(f: f64) -> String {
    let abs = f.abs();
    if abs != 0.0 && !(1e-6..1e21).contains(&abs) {
        let (mantissa, exp) = shortest_exponent(f);
        let sign = if exp < 0 { '-' } else { '+' };
        // encoding/json trims `e-07` to `e-7`, but keeps `e+21`.
        let digits = if exp < 0 { format!("{}", -exp) } else { format!("{:02}", exp) };
        return format!("{mantissa}e{sign}{digits}");
    }
    format!("{f}")
}

/// A float as Go's `%v` prints it (`strconv` 'g', shortest): `10`, `1e+06`, `1e-05`.
pub fn v_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf".into() } else { "-Inf".into() };
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0".into() } else { "0".into() };
    }
    let (mantissa, exp) = shortest_exponent(f);
    if !(-4..6).contains(&exp) {
        let sign = if exp < 0 { '-' } else { '+' };
        return format!("{mantissa}e{sign}{:02}", exp.abs());
    }
    format!("{f}")
}

/// The shortest round-trip mantissa (`-1.5`) and decimal exponent of `f`.
fn shortest_exponent(f: f64) -> (String, i32) {
    let text = format!("{f:e}");
    let (mantissa, exp) = text.split_once('e').expect("exponent format always has an 'e'");
    (mantissa.to_string(), exp.parse().expect("exponent is an integer"))
}

/// Appends `s` as a JSON string exactly as Go's `encoding/json` does:
/// `<`, `>`, `&`, U+2028 and U+2029 become `\u003c`-style escapes, control
/// characters use `\n`, `\r`, `\t` or `\u00XX`.
pub fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// A timestamp as Go's `time.RFC3339Nano` in UTC: `2023-11-14T22:13:20.5Z`.
pub fn rfc3339_nano(ns: i64) -> String {
    let mut out = datetime(ns).format("%Y-%m-%dT%H:%M:%S").to_string();
    push_fraction(&mut out, ns);
    out.push('Z');
    out
}

/// A timestamp as Go's `time.Time.String` in UTC: `2023-11-14 22:13:20.5 +0000 UTC`.
pub fn time_string(ns: i64) -> String {
    let mut out = datetime(ns).format("%Y-%m-%d %H:%M:%S").to_string();
    push_fraction(&mut out, ns);
    out.push_str(" +0000 UTC");
    out
}

fn datetime(ns: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(ns)
}

/// Appends `.fraction` with trailing zeros trimmed, nothing when zero.
fn push_fraction(out: &mut String, ns: i64) {
    let frac = ns.rem_euclid(1_000_000_000);
    if frac != 0 {
        let digits = format!(".{frac:09}");
        out.push_str(digits.trim_end_matches('0'));
    }
}

/// A duration as Go's `time.Duration.String`: `0s`, `1.5s`, `1m30s`, `25h0m1s`, `1.5ms`.
pub fn duration_string(ns: i64) -> String {
    if ns == 0 {
        return "0s".into();
    }
    let neg = ns < 0;
    let u = ns.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        let (unit, scale) = match u {
            0..=999 => ("ns", 1),
            1_000..=999_999 => ("µs", 1_000),
            _ => ("ms", 1_000_000),
        };
        out.push_str(&(u / scale).to_string());
        push_trimmed_fraction(&mut out, u % scale, scale);
        out.push_str(unit);
    } else {
        let secs = u / 1_000_000_000;
        let (h, m, s) = (secs / 3600, (secs / 60) % 60, secs % 60);
        if h > 0 {
            out.push_str(&format!("{h}h{m}m"));
        } else if m > 0 {
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&s.to_string());
        push_trimmed_fraction(&mut out, u % 1_000_000_000, 1_000_000_000);
        out.push('s');
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

fn push_trimmed_fraction(out: &mut String, rem: u64, scale: u64) {
    if rem == 0 {
        return;
    }
    let width = scale.ilog10() as usize;
    let digits = format!("{rem:0width$}");
    out.push('.');
    out.push_str(digits.trim_end_matches('0'));
}

/// A duration as InfluxQL (Kapacitor 1.5.7) formats it: `5m`, `2d`, `1500ms`, `1u`.
pub fn influxql_duration(ns: i64) -> String {
    const US: i64 = 1_000;
    const MS: i64 = 1_000_000;
    const S: i64 = 1_000_000_000;
    const M: i64 = 60 * S;
    const H: i64 = 60 * M;
    const D: i64 = 24 * H;
    const W: i64 = 7 * D;
    if ns == 0 {
        return "0s".into();
    }
    for (unit, size) in [("w", W), ("d", D), ("h", H), ("m", M), ("s", S), ("ms", MS)] {
        if ns % size == 0 {
            return format!("{}{unit}", ns / size);
        }
    }
    format!("{}u", ns / US)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_floats_match_go_encoding_json() {
        assert_eq!(json_float(10.0), "10");
        assert_eq!(json_float(97.1), "97.1");
        assert_eq!(json_float(1e6), "1000000");
        assert_eq!(json_float(1e20), "100000000000000000000");
        assert_eq!(json_float(1e21), "1e+21");
        assert_eq!(json_float(1e-6), "0.000001");
        assert_eq!(json_float(1e-7), "1e-7");
        assert_eq!(json_float(1.5e-10), "1.5e-10");
        assert_eq!(json_float(-2.5e300), "-2.5e+300");
        assert_eq!(json_float(0.0), "0");
    }

    #[test]
    fn v_floats_match_go_fmt() {
        assert_eq!(v_float(10.0), "10");
        assert_eq!(v_float(97.1), "97.1");
        assert_eq!(v_float(100000.0), "100000");
        assert_eq!(v_float(1e6), "1e+06");
        assert_eq!(v_float(1234567.0), "1.234567e+06");
        assert_eq!(v_float(2.5e6), "2.5e+06");
        assert_eq!(v_float(1e-5), "1e-05");
        assert_eq!(v_float(0.0001), "0.0001");
        assert_eq!(v_float(1e21), "1e+21");
    }

    #[test]
    fn json_strings_escape_like_go() {
        let mut out = String::new();
        json_string(&mut out, "a\"b\\c<d>&\n\u{1}\u{2028}é");
        assert_eq!(out, r#""a\"b\\c\u003cd\u003e\u0026\n\u0001\u2028é""#);
    }

    #[test]
    fn times_trim_trailing_zeros() {
        let base = 1_700_000_000_000_000_000;
        assert_eq!(rfc3339_nano(base), "2023-11-14T22:13:20Z");
        assert_eq!(rfc3339_nano(base + 500_000_000), "2023-11-14T22:13:20.5Z");
        assert_eq!(rfc3339_nano(base + 120_000_000), "2023-11-14T22:13:20.12Z");
        assert_eq!(rfc3339_nano(base + 1), "2023-11-14T22:13:20.000000001Z");
        assert_eq!(rfc3339_nano(0), "1970-01-01T00:00:00Z");
        assert_eq!(time_string(base + 500_000_000), "2023-11-14 22:13:20.5 +0000 UTC");
    }

    #[test]
    fn durations_match_go_string() {
        let s = 1_000_000_000;
        assert_eq!(duration_string(0), "0s");
        assert_eq!(duration_string(1_500_000_000), "1.5s");
        assert_eq!(duration_string(90 * s), "1m30s");
        assert_eq!(duration_string(25 * 3600 * s + s), "25h0m1s");
        assert_eq!(duration_string(3600 * s), "1h0m0s");
        assert_eq!(duration_string(1_500_000), "1.5ms");
        assert_eq!(duration_string(1_000), "1µs");
        assert_eq!(duration_string(500), "500ns");
        assert_eq!(duration_string(-2 * s), "-2s");
    }

    #[test]
    fn influxql_durations_use_the_largest_exact_unit() {
        let s = 1_000_000_000;
        assert_eq!(influxql_duration(90 * s), "90s");
        assert_eq!(influxql_duration(300 * s), "5m");
        assert_eq!(influxql_duration(14 * 86400 * s), "2w");
        assert_eq!(influxql_duration(1_500_000_000), "1500ms");
        assert_eq!(influxql_duration(1_500), "1u");
        assert_eq!(influxql_duration(999), "0u");
    }
}
