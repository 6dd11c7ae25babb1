//! Go `strconv`-style number formatting for `printf` verbs (`%e %f %g %x %o %b`).

/// A float formatted by Go's `strconv.FormatFloat(f, verb, prec, 64)`,
/// `prec = None` meaning the shortest representation (`-1`).
/// `verb` is one of `e E f F g G`.
pub fn float(f: f64, verb: char, prec: Option<usize>) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 {
            "+Inf".into()
        } else {
            "-Inf".into()
        };
    }
    let neg = f.is_sign_negative();
    let body = match verb {
        'f' | 'F' => fixed(f.abs(), prec),
        'e' | 'E' => {
            let (digits, exp) = sig_digits(f.abs(), prec.map(|p| p + 1));
            let decimals = prec.unwrap_or(digits.len() - 1);
            exponent_form(&digits, exp, decimals)
        }
        _ => general(f.abs(), prec),
    };
    let body = if verb.is_ascii_uppercase() {
        body.to_uppercase()
    } else {
        body
    };
    if neg {
        format!("-{body}")
    } else {
        body
    }
}

fn fixed(f: f64, prec: Option<usize>) -> String {
    match prec {
        Some(p) => format!("{f:.p$}"),
        None => {
            let (digits, exp) = sig_digits(f, None);
            let decimals = (digits.len() as i32 - (exp + 1)).max(0) as usize;
            fixed_form(&digits, exp + 1, decimals)
        }
    }
}

/// `%g`: exponent form when the exponent is < -4 or >= the precision
/// (6 for the shortest representation), trailing zeros dropped.
fn general(f: f64, prec: Option<usize>) -> String {
    let p = prec.map(|p| p.max(1));
    let (digits, exp) = sig_digits(f, p);
    let nd = digits.len() as i32;
    let dp = exp + 1;
    let mut eprec = p.map_or(nd, |p| p as i32);
    if eprec > nd && nd >= dp {
        eprec = nd;
    }
    if p.is_none() {
        eprec = 6;
    }
    if exp < -4 || exp >= eprec {
        let shown = p.map_or(nd, |p| (p as i32).min(nd));
        return exponent_form(&digits, exp, (shown - 1).max(0) as usize);
    }
    let mut shown = p.map_or(nd, |p| p as i32);
    if shown > dp {
        shown = nd;
    }
    fixed_form(&digits, dp, (shown - dp).max(0) as usize)
}

/// Significant decimal digits (trailing zeros trimmed) and the decimal
/// exponent of `f >= 0`; `count = None` gives the shortest round-trip digits.
fn sig_digits(f: f64, count: Option<usize>) -> (Vec<u8>, i32) {
    let text = match count {
        Some(n) => format!("{:.*e}", n.saturating_sub(1), f),
        None => format!("{f:e}"),
    };
    let (mantissa, exp) = text.split_once('e').unwrap_or((&text, "0"));
    let mut digits: Vec<u8> = mantissa.bytes().filter(u8::is_ascii_digit).collect();
    while digits.len() > 1 && digits.last() == Some(&b'0') {
        digits.pop();
    }
    (digits, exp.parse().unwrap_or(0))
}

fn digit_at(digits: &[u8], i: i32) -> char {
    if i >= 0 && (i as usize) < digits.len() {
        digits[i as usize] as char
    } else {
        '0'
    }
}

fn fixed_form(digits: &[u8], dp: i32, decimals: usize) -> String {
    let mut out = String::new();
    if dp <= 0 {
        out.push('0');
    } else {
        (0..dp).for_each(|i| out.push(digit_at(digits, i)));
    }
    if decimals > 0 {
        out.push('.');
        (0..decimals as i32).for_each(|i| out.push(digit_at(digits, dp + i)));
    }
    out
}

fn exponent_form(digits: &[u8], exp: i32, decimals: usize) -> String {
    let mut out = String::new();
    out.push(digit_at(digits, 0));
    if decimals > 0 {
        out.push('.');
        (1..=decimals as i32).for_each(|i| out.push(digit_at(digits, i)));
    }
    let exp = if digits == [b'0'] { 0 } else { exp };
    let sign = if exp < 0 { '-' } else { '+' };
    out.push_str(&format!("e{sign}{:02}", exp.abs()));
    out
}

/// The magnitude of `i` in `base` (2, 8, 10, 16), lowercase or uppercase hex.
pub fn int_digits(i: i64, base: u32, upper: bool) -> String {
    let u = i.unsigned_abs();
    let s = match base {
        2 => format!("{u:b}"),
        8 => format!("{u:o}"),
        16 if upper => format!("{u:X}"),
        16 => format!("{u:x}"),
        _ => u.to_string(),
    };
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_follow_strconv() {
        assert_eq!(float(8.0, 'f', Some(2)), "8.00");
        assert_eq!(float(97.123, 'f', Some(6)), "97.123000");
        assert_eq!(float(1234.5678, 'e', Some(6)), "1.234568e+03");
        assert_eq!(float(0.0, 'e', Some(2)), "0.00e+00");
        assert_eq!(float(1e-7, 'E', Some(1)), "1.0E-07");
        assert_eq!(float(1234567.0, 'g', None), "1.234567e+06");
        assert_eq!(float(100000.0, 'g', None), "100000");
        assert_eq!(float(1e-5, 'g', None), "1e-05");
        assert_eq!(float(1234.5678, 'g', Some(3)), "1.23e+03");
        assert_eq!(float(100.0, 'g', Some(3)), "100");
        assert_eq!(float(1.5, 'g', Some(3)), "1.5");
        assert_eq!(float(-0.5, 'g', None), "-0.5");
        assert_eq!(float(f64::INFINITY, 'f', None), "+Inf");
    }
}
