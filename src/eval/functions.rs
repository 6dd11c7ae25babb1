//! Stateless builtin functions. Arguments have already matched a signature.
//!
//! Strings use byte semantics like Go (`strLength('héllo')` is 6); time
//! functions read the timestamp in UTC (Kapacitor uses the server's zone).

use super::ops::go_f64_to_i64;
use crate::value::Value;
use chrono::{DateTime, Datelike, Timelike, Utc};
use std::sync::Arc;

/// The result of one builtin call; the error text is wrapped as `error calling "f": …` by the caller.
pub(crate) type CallResult = Result<Value, String>;

fn string(s: impl Into<Arc<str>>) -> Value {
    Value::Str(s.into())
}

/// Calls stateless builtin `name`; `None` when the name is not one.
pub(crate) fn call(name: &str, args: &[Value]) -> Option<CallResult> {
    use Value::*;
    Some(match (name, args) {
        (_, [Float(x)]) if super::signatures::MATH1_NAMES.contains(&name) => Ok(Float(math1(name, *x))),
        (_, [Float(x), Float(y)]) if matches!(name, "atan2" | "hypot" | "max" | "min" | "mod" | "pow") => {
            Ok(Float(math2(name, *x, *y)))
        }
        ("pow10", [Int(n)]) => Ok(Float(pow10(*n))),
        ("jn", [Int(n), Float(x)]) => Ok(Float(libm::jn(clamp_i32(*n), *x))),
        ("yn", [Int(n), Float(x)]) => Ok(Float(libm::yn(clamp_i32(*n), *x))),
        ("bool", [v]) => to_bool(v),
        ("int", [v]) => to_int(v),
        ("float", [v]) => to_float(v),
        ("string", [v]) => Ok(string(to_string(v))),
        ("duration", _) => to_duration(args),
        ("isPresent", [v]) => Ok(Bool(!matches!(v, Missing))),
        ("now", []) => Ok(Time(Utc::now().timestamp_nanos_opt().unwrap_or(i64::MAX))),
        ("humanBytes", [Float(f)]) => Ok(string(human_bytes(go_f64_to_i64(*f) as u64))),
        ("humanBytes", [Int(i)]) => Ok(string(human_bytes(*i as u64))),
        ("if", [Bool(c), a, b]) => Ok(if *c { a.clone() } else { b.clone() }),
        ("regexReplace", [Regex(re), Str(src), Str(repl)]) => Ok(string(re.replace_all(src, &**repl).as_ref())),
        (_, [Time(t)]) => time_part(name, *t).map(Int),
        _ => return super::strings::call(name, args),
    })
}

fn clamp_i32(n: i64) -> i32 {
    n.clamp(i32::MIN as i64, i32::MAX as i64) as i32
}

/// One-argument math, Go's `math` package semantics.
fn math1(name: &str, x: f64) -> f64 {
    match name {
        "abs" => x.abs(),
        "acos" => x.acos(),
        "acosh" => x.acosh(),
        "asin" => x.asin(),
        "asinh" => x.asinh(),
        "atan" => x.atan(),
        "atanh" => x.atanh(),
        "cbrt" => x.cbrt(),
        "ceil" => x.ceil(),
        "cos" => x.cos(),
        "cosh" => x.cosh(),
        "erf" => libm::erf(x),
        "erfc" => libm::erfc(x),
        "exp" => x.exp(),
        "exp2" => x.exp2(),
        "expm1" => x.exp_m1(),
        "floor" => x.floor(),
        "gamma" => libm::tgamma(x),
        "j0" => libm::j0(x),
        "j1" => libm::j1(x),
        "log" => x.ln(),
        "log10" => x.log10(),
        "log1p" => x.ln_1p(),
        "log2" => x.log2(),
        "logb" => logb(x),
        "sin" => x.sin(),
        "sinh" => x.sinh(),
        "sqrt" => x.sqrt(),
        "tan" => x.tan(),
        "tanh" => x.tanh(),
        "trunc" => x.trunc(),
        "y0" => libm::y0(x),
        "y1" => libm::y1(x),
        _ => f64::NAN,
    }
}

/// Two-argument math; `max`/`min` follow Go (NaN wins, -0 < +0).
fn math2(name: &str, x: f64, y: f64) -> f64 {
    match name {
        "atan2" => x.atan2(y),
        "hypot" => x.hypot(y),
        "max" if x.is_nan() || y.is_nan() => f64::NAN,
        "max" if x == 0.0 && y == 0.0 => if x.is_sign_negative() { y } else { x },
        "max" => x.max(y),
        "min" if x.is_nan() || y.is_nan() => f64::NAN,
        "min" if x == 0.0 && y == 0.0 => if x.is_sign_negative() { x } else { y },
        "min" => x.min(y),
        "mod" => x % y,
        "pow" => x.powf(y),
        _ => f64::NAN,
    }
}

/// Go's `math.Logb`: the binary exponent of `x`.
fn logb(x: f64) -> f64 {
    if x == 0.0 {
        return f64::NEG_INFINITY;
    }
    if x.is_infinite() {
        return f64::INFINITY;
    }
    if x.is_nan() {
        return x;
    }
    libm::ilogb(x) as f64
}

/// Go's `math.Pow10`: exact for -323..=308, 0 below, +Inf above.
fn pow10(n: i64) -> f64 {
    match n {
        ..=-324 => 0.0,
        309.. => f64::INFINITY,
        _ => format!("1e{n}").parse().unwrap_or(f64::NAN),
    }
}

fn to_bool(v: &Value) -> CallResult {
    match v {
        Value::Bool(b) => Ok(Value::Bool(*b)),
        Value::Str(s) => match &**s {
            "1" | "t" | "T" | "TRUE" | "true" | "True" => Ok(Value::Bool(true)),
            "0" | "f" | "F" | "FALSE" | "false" | "False" => Ok(Value::Bool(false)),
            _ => Err(format!("strconv.ParseBool: parsing {}: invalid syntax", go_quote(s))),
        },
        Value::Int(0) => Ok(Value::Bool(false)),
        Value::Int(1) => Ok(Value::Bool(true)),
        Value::Float(f) if *f == 0.0 => Ok(Value::Bool(false)),
        Value::Float(f) if *f == 1.0 => Ok(Value::Bool(true)),
        Value::Int(i) => Err(format!("cannot convert {i} to boolean")),
        Value::Float(f) => Err(format!("cannot convert {} to boolean", crate::gofmt::v_float(*f))),
        other => Err(format!("cannot convert {} to boolean", other.type_name())),
    }
}

fn to_int(v: &Value) -> CallResult {
    match v {
        Value::Int(i) => Ok(Value::Int(*i)),
        Value::Float(f) => Ok(Value::Int(go_f64_to_i64(*f))),
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        Value::Str(s) => parse_go_int(s).map(Value::Int),
        other => Err(format!("cannot convert {} to integer", other.type_name())),
    }
}

/// Go's `strconv.ParseInt(s, 10, 64)` with its error texts.
fn parse_go_int(s: &str) -> Result<i64, String> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("strconv.ParseInt: parsing {}: invalid syntax", go_quote(s)));
    }
    s.parse().map_err(|_| format!("strconv.ParseInt: parsing {}: value out of range", go_quote(s)))
}

fn to_float(v: &Value) -> CallResult {
    match v {
        Value::Int(i) => Ok(Value::Float(*i as f64)),
        Value::Float(f) => Ok(Value::Float(*f)),
        Value::Bool(b) => Ok(Value::Float(*b as i64 as f64)),
        Value::Str(s) => s
            .parse::<f64>()
            .map(Value::Float)
            .map_err(|_| format!("strconv.ParseFloat: parsing {}: invalid syntax", go_quote(s))),
        other => Err(format!("cannot convert {} to float", other.type_name())),
    }
}

/// `string(x)`: floats in 'f' format with the shortest digits, never an exponent.
pub(crate) fn to_string(v: &Value) -> String {
    match v {
        Value::Int(i) => i.to_string(),
        Value::Float(f) if f.is_nan() => "NaN".into(),
        Value::Float(f) if f.is_infinite() => if *f > 0.0 { "+Inf" } else { "-Inf" }.into(),
        Value::Float(f) => format!("{f}"),
        Value::Bool(b) => b.to_string(),
        Value::Duration(d) => crate::gofmt::influxql_duration(*d),
        Value::Str(s) => s.to_string(),
        other => other.type_name().to_string(),
    }
}

fn to_duration(args: &[Value]) -> CallResult {
    let unit = match args.get(1) {
        Some(Value::Duration(u)) => *u,
        _ => 0,
    };
    match &args[0] {
        Value::Duration(d) => Ok(Value::Duration(*d)),
        Value::Int(i) => Ok(Value::Duration(i.wrapping_mul(unit))),
        Value::Float(f) => Ok(Value::Duration(go_f64_to_i64(f * unit as f64))),
        Value::Str(s) => parse_influxql_duration(s)
            .map(Value::Duration)
            .ok_or_else(|| format!("invalid duration string {}", go_quote(s))),
        other => Err(format!("cannot convert {} to duration", other.type_name())),
    }
}

/// InfluxQL 1.5.7 duration text: `[-]N<unit>` with units u µ ms s m h d w (no `ns`).
pub(crate) fn parse_influxql_duration(s: &str) -> Option<i64> {
    let (negative, rest) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let split = rest.find(|c: char| !c.is_ascii_digit())?;
    let (digits, unit) = rest.split_at(split);
    let n: i64 = digits.parse().ok()?;
    let scale: i64 = match unit {
        "u" | "µ" => 1_000,
        "ms" => 1_000_000,
        "s" => 1_000_000_000,
        "m" => 60_000_000_000,
        "h" => 3_600_000_000_000,
        "d" => 86_400_000_000_000,
        "w" => 604_800_000_000_000,
        _ => return None,
    };
    let d = n.checked_mul(scale)?;
    Some(if negative { -d } else { d })
}

/// `minute`, `hour`, `weekday` (0 = Sunday), `day`, `month`, `year` and `unixNano`, in UTC.
fn time_part(name: &str, ns: i64) -> Result<i64, String> {
    let t: DateTime<Utc> = DateTime::from_timestamp_nanos(ns);
    Ok(match name {
        "unixNano" => ns,
        "minute" => t.minute() as i64,
        "hour" => t.hour() as i64,
        "weekday" => t.weekday().num_days_from_sunday() as i64,
        "day" => t.day() as i64,
        "month" => t.month() as i64,
        "year" => t.year() as i64,
        _ => return Err(format!("cannot call {name} on a time")),
    })
}

/// go-humanize `Bytes`: SI units (base 1000), one decimal below 10.
pub(crate) fn human_bytes(s: u64) -> String {
    const SIZES: [&str; 7] = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    if s < 10 {
        return format!("{s} B");
    }
    let e = ((s as f64).ln() / 1000f64.ln()).floor();
    let suffix = SIZES[(e as usize).min(SIZES.len() - 1)];
    let val = ((s as f64) / 1000f64.powf(e) * 10.0 + 0.5).floor() / 10.0;
    if val < 10.0 {
        format!("{val:.1} {suffix}")
    } else {
        format!("{val:.0} {suffix}")
    }
}

/// A string quoted like Go's `%q` for the common cases.
pub(crate) fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
