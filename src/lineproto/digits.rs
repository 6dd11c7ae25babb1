//! Fast paths for the common numbers: plain decimals, `Ni` integers and
//! 19-digit timestamps. Anything unusual returns `None` and goes through
//! the general scanners, which also produce the errors.

use crate::value::FieldValue;

/// Exact powers of ten for the float fast path.
pub(super) const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Longest digit string whose value stays below 2^53 (exact in an f64).
const MAX_EXACT_DIGITS: usize = 15;

/// The value of 8 ASCII digits loaded little-endian, `None` if any is not a digit.
#[inline]
fn eight_digits(chunk: u64) -> Option<u64> {
    const ZEROS: u64 = 0x3030_3030_3030_3030;
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let digits = chunk & HIGH_NIBBLES == ZEROS
        && chunk.wrapping_add(0x0606_0606_0606_0606) & HIGH_NIBBLES == ZEROS;
    if !digits {
        return None;
    }
    // Lemire's SWAR: pairs, then quads, then the 8-digit value.
    let mut value = chunk - ZEROS;
    value = value.wrapping_mul(10).wrapping_add(value >> 8);
    const MASK: u64 = 0x0000_00FF_0000_00FF;
    const MUL1: u64 = 100 + (1_000_000 << 32);
    const MUL2: u64 = 1 + (10_000 << 32);
    let high = (value & MASK).wrapping_mul(MUL1);
    let low = ((value >> 16) & MASK).wrapping_mul(MUL2);
    Some(high.wrapping_add(low) >> 32)
}

#[inline]
fn load(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0u8; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// `bytes` as a non-negative int64 when it is 1 to 19 ASCII digits.
#[inline]
pub(super) fn unsigned_digits(bytes: &[u8]) -> Option<i64> {
    let n = bytes.len();
    if n == 0 || n > 19 {
        return None;
    }
    let mut value: u64 = 0;
    let mut i = 0;
    while n - i >= 8 {
        // At most two chunks: value < 10^16 before the last multiply.
        value = value * 100_000_000 + eight_digits(load(bytes, i))?;
        i += 8;
    }
    for &c in &bytes[i..] {
        if !c.is_ascii_digit() {
            return None;
        }
        value = value * 10 + u64::from(c - b'0');
    }
    i64::try_from(value).ok()
}

/// `-?digits[.digits]` (at most 15 digits) as a float, or `-?digits i` as an
/// int, when followed by `,`, space or the line end: stored into `slot`,
/// returning the offset past the number (`slot` is untouched on `None`).
#[inline]
pub(super) fn simple_number(b: &[u8], start: usize, slot: &mut FieldValue) -> Option<usize> {
    let negative = b[start] == b'-';
    let mut i = start + usize::from(negative);
    let mut mantissa: u64 = 0;
    let whole_start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        mantissa = mantissa
            .wrapping_mul(10)
            .wrapping_add(u64::from(b[i] - b'0'));
        i += 1;
    }
    let whole_digits = i - whole_start;
    let mut fraction_digits = 0;
    if i < b.len() && b[i] == b'.' {
        i += 1;
        let fraction_start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            mantissa = mantissa
                .wrapping_mul(10)
                .wrapping_add(u64::from(b[i] - b'0'));
            i += 1;
        }
        fraction_digits = i - fraction_start;
    }
    let digits = whole_digits + fraction_digits;
    if digits == 0 || digits > MAX_EXACT_DIGITS {
        return None;
    }
    let ends_at = |at: usize| at >= b.len() || b[at] == b',' || b[at] == b' ';
    if ends_at(i) {
        // Both operands are exact, so the one division rounds correctly.
        let magnitude = mantissa as f64 / POW10[fraction_digits];
        *slot = FieldValue::Float(if negative { -magnitude } else { magnitude });
        return Some(i);
    }
    if b[i] == b'i' && fraction_digits == 0 && i == whole_start + whole_digits && ends_at(i + 1) {
        // 15 digits always fit; the sign cannot overflow.
        let magnitude = mantissa as i64;
        *slot = FieldValue::Int(if negative { -magnitude } else { magnitude });
        return Some(i + 1);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_strings() {
        assert_eq!(
            unsigned_digits(b"1700000000100000000"),
            Some(1_700_000_000_100_000_000)
        );
        assert_eq!(unsigned_digits(b"9223372036854775807"), Some(i64::MAX));
        assert_eq!(unsigned_digits(b"9223372036854775808"), None);
        assert_eq!(unsigned_digits(b"12345678"), Some(12_345_678));
        assert_eq!(unsigned_digits(b"0000000000000000001"), Some(1));
        assert_eq!(unsigned_digits(b"1234567/"), None);
        assert_eq!(unsigned_digits(b"1234:678"), None);
        assert_eq!(unsigned_digits(b""), None);
        for n in 1..=19 {
            let text = "1234567890123456789"[..n].to_string();
            assert_eq!(
                unsigned_digits(text.as_bytes()),
                text.parse().ok(),
                "{text}"
            );
        }
    }

    fn simple(text: &[u8]) -> Option<(usize, FieldValue)> {
        let mut slot = FieldValue::Bool(false);
        let end = simple_number(text, 0, &mut slot);
        assert!(end.is_some() || slot == FieldValue::Bool(false), "slot written on failure");
        end.map(|end| (end, slot))
    }

    #[test]
    fn simple_numbers() {
        assert_eq!(simple(b"55.123,"), Some((6, FieldValue::Float(55.123))));
        assert_eq!(simple(b"-5i"), Some((3, FieldValue::Int(-5))));
        assert_eq!(simple(b"5.i"), None);
        assert_eq!(simple(b"1e5"), None);
        assert_eq!(simple(b"-"), None);
        assert_eq!(simple(b"1234567890123456"), None);
    }
}
