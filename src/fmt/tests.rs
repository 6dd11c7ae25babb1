//! Unit tests of the formatter's layout rules (the goldens in tests/fmt/ are recorded from tickfmt).

use super::format;

#[test]
fn chain_links_get_their_own_lines() {
    let out = format("stream|from().measurement('cpu')|alert().crit(lambda: \"x\">1)").unwrap();
    assert_eq!(out, "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n        .crit(lambda: \"x\" > 1)\n");
}

#[test]
fn statements_are_separated_by_a_blank_line() {
    assert_eq!(format("var a = 5 var b = 1.50").unwrap(), "var a = 5\n\nvar b = 1.5\n");
}

#[test]
fn octal_and_float_literals_are_normalised() {
    assert_eq!(format("var a = 010\nvar b = 2.\n").unwrap(), "var a = 010\n\nvar b = 2.0\n");
}

#[test]
fn a_syntax_error_is_a_diagnostic() {
    let err = format("stream|from(").unwrap_err();
    assert!(err.is_error());
}
