//! Parser errors: the Kapacitor rows of `kapacitor-observed.md` ("Diagnostics:
//! exact messages") give the code and line:column; the rest guard robustness.

use super::{parse, parse_lambda_body};
use crate::diagnostic::{Code, Diag};
use crate::span::line_col;

/// The documentation alert script with `line5` as its fifth line.
fn alert_script(line3: &str, line5: &str) -> String {
    format!(
        "stream\n    |from()\n{line3}\n    |alert()\n{line5}\n        .message('Hey, check your CPU')\n        .exec('/bin/cat')\n"
    )
}

const MEASUREMENT: &str = "        .measurement('cpu')";
const CRIT: &str = "        .crit(lambda: \"usage_idle\" < 10)";

fn error(src: &str) -> Diag {
    match parse(src) {
        Err(d) => d,
        Ok(s) => panic!("{src:?} parsed: {s:?}"),
    }
}

/// Asserts the code and Kapacitor's 1-based line:column of the error.
fn assert_error(src: &str, code: Code, line: usize, col: usize) -> Diag {
    let d = error(src);
    assert_eq!(d.code, code, "{src:?}: {}", d.message);
    assert_eq!(line_col(src, d.span.start), (line, col), "{src:?}: {}", d.message);
    d
}

#[test]
fn missing_closing_paren() {
    let src = alert_script(MEASUREMENT, "        .crit(lambda: \"usage_idle\" < 10");
    let d = assert_error(&src, Code::Syntax, 6, 9);
    assert!(d.message.contains("`)`") && d.message.contains("an operator"), "{}", d.message);
    assert!(d.message.ends_with("found `.`"), "{}", d.message);
    assert_eq!(d.help.as_deref(), Some("close the `(` opened at line 5, column 14 with `)`"));
}

#[test]
fn unterminated_string() {
    // Kapacitor's case has no later quote: a string may span lines, so with
    // the full example the `'` of `.message('` would close it, as in Kapacitor.
    let src = format!("stream\n    |from()\n        .measurement('cpu)\n    |alert()\n{CRIT}\n");
    assert_error(&src, Code::UnterminatedString, 3, 22);
    let spans_lines = alert_script("        .measurement('cpu)", CRIT);
    assert_eq!(error(&spans_lines).message, "expected `)`, `,`, a chain link (`|`, `.` or `@`) or an operator, found `Hey`");
    assert_error("var x = 'abc", Code::UnterminatedString, 1, 9);
    assert_error(r"var x = '\\'", Code::UnterminatedString, 1, 9);
    assert_error("var x = '''abc''", Code::UnterminatedString, 1, 9);
}

#[test]
fn bad_duration_unit() {
    let src = "stream\n    |from()\n        .measurement('cpu')\n    |window()\n        .period(10x)\n";
    let d = assert_error(src, Code::Syntax, 5, 19);
    assert_eq!(d.message, "`x` is not a duration unit; units are u, ms, s, m, h, d, w");
    assert!(d.label.as_deref().unwrap_or("").contains("`)`"));
}

#[test]
fn single_equals_instead_of_double() {
    let src = alert_script(MEASUREMENT, "        .crit(lambda: \"usage_idle\" = 10)");
    let d = assert_error(&src, Code::Syntax, 5, 36);
    assert!(d.message.ends_with("found `=`"), "{}", d.message);
    assert_eq!(d.help.as_deref(), Some("use `==` to compare"));
}

#[test]
fn extra_closing_paren() {
    let src = alert_script(MEASUREMENT, "        .crit(lambda: \"usage_idle\" < 10))");
    let d = assert_error(&src, Code::Syntax, 5, 41);
    assert!(d.message.contains("a new statement"), "{}", d.message);
    assert!(d.help.as_deref().unwrap_or("").contains("no matching"));
}

#[test]
fn unterminated_reference() {
    let src = alert_script(MEASUREMENT, "        .crit(lambda: \"usage_idle < 10)");
    assert_error(&src, Code::UnterminatedRef, 5, 23);
}

#[test]
fn stray_at_at_end_expects_a_udf_name() {
    let src = "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n        .crit(lambda: \"usage_idle\" < 10) @\n";
    let d = assert_error(src, Code::Syntax, 6, 1);
    assert_eq!(d.message, "expected a UDF name, found end of input");
}

#[test]
fn illegal_characters() {
    let d = assert_error(&alert_script("        .measurement($cpu)", CRIT), Code::IllegalChar, 3, 22);
    assert!(d.help.as_deref().unwrap_or("").contains("no `$`"));
    let d = assert_error(&alert_script("        .measurement('cpu');", CRIT), Code::IllegalChar, 3, 28);
    assert!(d.help.as_deref().unwrap_or("").contains("no separator"));
    let d = assert_error("# comment\nstream|from()", Code::IllegalChar, 1, 1);
    assert!(d.help.as_deref().unwrap_or("").contains("//"));
    let d = assert_error("var f = lambda : 1", Code::IllegalChar, 1, 16);
    assert!(d.help.as_deref().unwrap_or("").contains("no space"));
    assert_error("var x = 5 > = 4", Code::IllegalChar, 1, 13);
}

#[test]
fn empty_scripts() {
    assert_eq!(error("").code, Code::EmptyScript);
    assert_eq!(error("  \n\t\n").code, Code::EmptyScript);
    assert_eq!(error("// only a comment\n/ swallowed\n").code, Code::EmptyScript);
}

#[test]
fn eof_after_assignment() {
    let d = assert_error("a\n\n\nvar b = ", Code::Syntax, 4, 9);
    assert_eq!(d.message, "expected an expression, found end of input");
    let d = assert_error("var x", Code::Syntax, 1, 6);
    assert!(d.message.contains("`=`"), "{}", d.message);
}

#[test]
fn bad_numbers() {
    let d = assert_error("var x = 08", Code::BadNumber, 1, 9);
    assert_eq!(d.message, "illegal number syntax: \"08\"");
    assert_error("var x = 9223372036854775808", Code::BadNumber, 1, 9);
    let d = assert_error("var x = 1.2.3", Code::BadNumber, 1, 9);
    assert_eq!(d.message, "multiple decimals in number");
    assert_error("var x = 99999999999999999999w", Code::BadNumber, 1, 9);
}

#[test]
fn regex_errors() {
    let d = assert_error("stream|from().where(lambda: \"host\" =~ /web(/)", Code::BadRegex, 1, 39);
    assert_eq!(d.message, "invalid regular expression");
    assert_error("stream|from().where(lambda: \"host\" =~ /web.*)", Code::UnterminatedRegex, 1, 39);
}

#[test]
fn compound_durations_inside_arguments() {
    let d = assert_error("stream|window().period(1h30m)", Code::Syntax, 1, 26);
    assert!(d.help.as_deref().unwrap_or("").contains("single unit"));
    let d = assert_error("stream|window().period(1.5s)", Code::Syntax, 1, 27);
    assert!(d.message.contains("whole numbers"), "{}", d.message);
}

#[test]
fn node_without_parentheses_expects_paren() {
    let d = assert_error("stream|from", Code::Syntax, 1, 12);
    assert_eq!(d.message, "expected `(`, found end of input");
}

#[test]
fn chains_only_from_names_and_calls() {
    assert_error("var x = (a)|f()", Code::Syntax, 1, 12);
    assert_error("stream|alert().crit(lambda: x|f())", Code::Syntax, 1, 30);
}

#[test]
fn lexer_state_restrictions() {
    // a line after a comment, and a regex, leave Kapacitor's lexer in operand state
    assert_error("var x = 5 // c\n+ 3", Code::IllegalChar, 2, 1);
    assert!(parse("var x = 5 // c\n- 3").is_ok());
    assert_error("var x = lambda: \"h\" =~ /a/ == TRUE", Code::IllegalChar, 1, 28);
    // after AND/OR/lambda: Kapacitor reads `/` as division
    assert_error("var x = lambda: a AND /b/ =~ \"h\"", Code::Syntax, 1, 23);
    assert_error("var x = lambda: /b/ =~ \"h\"", Code::Syntax, 1, 17);
}

#[test]
fn lambda_body_errors() {
    assert_eq!(parse_lambda_body("").unwrap_err().code, Code::Syntax);
    assert_eq!(parse_lambda_body("\"host\" == ").unwrap_err().code, Code::Syntax);
    assert!(parse_lambda_body("\"host\" == 'a' AND level() == CRITICAL").is_ok());
}

#[test]
fn deep_nesting_is_rejected_without_overflow() {
    let ok = format!("var x = {}1{}", "(".repeat(200), ")".repeat(200));
    assert!(parse(&ok).is_ok());
    let deep = format!("var x = {}1{}", "(".repeat(100_000), ")".repeat(100_000));
    let d = error(&deep);
    assert_eq!((d.code, d.span.start), (Code::Syntax, 8 + 200));
    let long = format!("var x = 1{}", " + 1".repeat(5_000));
    assert_eq!(error(&long).code, Code::Syntax);
    let nots = format!("var x = {}TRUE", "!".repeat(5_000));
    assert_eq!(error(&nots).code, Code::Syntax);
}

#[test]
fn no_panic_on_any_prefix_or_garbage() {
    let src = alert_script(MEASUREMENT, CRIT) + "var r = /a\\/b/ var l = [a, 'b', *] dbrp \"db\".\"rp\" // c\n";
    for end in (0..=src.len()).filter(|i| src.is_char_boundary(*i)) {
        let _ = parse(&src[..end]);
        let _ = parse_lambda_body(&src[..end]);
    }
    for junk in ["\u{0}", "'''", "\"", "/", "@", "|", ".", "((", "))", "[", "]", "é", "“x”", "1..", "\\", "var var", "lambda:"] {
        let _ = parse(junk);
        let _ = parse_lambda_body(junk);
    }
}
