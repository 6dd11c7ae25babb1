//! Go's `time.ParseDuration`, with its error messages (handler-file
//! options, config values, test-file relative times and CLI flags).

/// Go's `time.ParseDuration`: `[-+]` then one or more `<decimal><unit>` with
/// units ns, us, µs, ms, s, m, h; `0` alone is allowed. Returns nanoseconds.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let bad = || format!("time: invalid duration {text:?}");
    let (negative, mut rest) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if rest == "0" {
        return Ok(0);
    }
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(rest.len());
        let number = &rest[..num_len];
        if number.is_empty() || number == "." {
            return Err(bad());
        }
        let value: f64 = number.parse().map_err(|_| bad())?;
        rest = &rest[num_len..];
        let unit_len = rest.find(|c: char| c.is_ascii_digit() || c == '.').unwrap_or(rest.len());
        let scale = unit_nanos(&rest[..unit_len]).ok_or_else(|| {
            if unit_len == 0 { format!("time: missing unit in duration {text:?}") } else { format!("time: unknown unit {:?} in duration {text:?}", &rest[..unit_len]) }
        })?;
        total += value * scale;
        rest = &rest[unit_len..];
    }
    if total > i64::MAX as f64 {
        return Err(format!("time: invalid duration {text:?}"));
    }
    Ok(if negative { -(total as i64) } else { total as i64 })
}

fn unit_nanos(unit: &str) -> Option<f64> {
    Some(match unit {
        "ns" => 1.0,
        "us" | "µs" | "μs" => 1e3,
        "ms" => 1e6,
        "s" => 1e9,
        "m" => 60e9,
        "h" => 3600e9,
        _ => return None,
    })
}


#[cfg(test)]
mod tests {
    use super::parse_duration;

    #[test]
    fn go_durations_and_go_errors() {
        assert_eq!(parse_duration("1m30s"), Ok(90_000_000_000));
        assert_eq!(parse_duration("1.5h"), Ok(5_400_000_000_000));
        assert_eq!(parse_duration("-10ms"), Ok(-10_000_000));
        assert_eq!(parse_duration("300us"), Ok(300_000));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("10"), Err("time: missing unit in duration \"10\"".into()));
        assert_eq!(parse_duration("3d"), Err("time: unknown unit \"d\" in duration \"3d\"".into()));
        assert_eq!(parse_duration(""), Err("time: invalid duration \"\"".into()));
    }
}
