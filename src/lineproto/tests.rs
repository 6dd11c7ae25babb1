//! Line syntax, per row of the Kapacitor line-protocol table (semantics §7).

use super::*;
use crate::point::Point;
use crate::value::FieldValue;
use std::sync::Arc;

const NOW: i64 = 1_700_000_000_123_456_789;

fn parse_with(precision: Precision, line: &str) -> Point {
    let mut point = Point::default();
    match LineParser::new(precision).parse_line(line, NOW, &mut point) {
        Ok(true) => point,
        other => panic!("{line:?}: {other:?}"),
    }
}

fn parse(line: &str) -> Point {
    parse_with(Precision::Ns, line)
}

fn error(line: &str) -> (usize, String) {
    let mut point = Point::default();
    match LineParser::new(Precision::Ns).parse_line(line, NOW, &mut point) {
        Err(error) => error,
        other => panic!("{line:?} should fail: {other:?} {point:?}"),
    }
}

fn tags(point: &Point) -> Vec<(&str, &str)> {
    point.tags.iter().map(|(k, v)| (&**k, &**v)).collect()
}

fn field(line: &str) -> FieldValue {
    parse(&format!("m f={line}")).fields[0].1.clone()
}

fn text(s: &str) -> FieldValue {
    FieldValue::Str(Arc::from(s))
}

#[test]
fn typical_line() {
    let p = parse("cpu,host=h3 usage_idle=55.123,usage_user=12.5 1700000000100000000");
    assert_eq!(&*p.name, "cpu");
    assert_eq!(tags(&p), [("host", "h3")]);
    assert_eq!(
        p.fields[0],
        (Arc::from("usage_idle"), FieldValue::Float(55.123))
    );
    assert_eq!(
        p.fields[1],
        (Arc::from("usage_user"), FieldValue::Float(12.5))
    );
    assert_eq!(p.time, 1_700_000_000_100_000_000);
}

#[test]
fn measurement_escapes() {
    assert_eq!(&*parse(r#"cp\,u\ x\=y\"z v=1"#).name, r#"cp,u x=y"z"#);
    assert_eq!(&*parse(r#"c=p"u v=1"#).name, r#"c=p"u"#);
    assert_eq!(&*parse(r"a\\b v=1").name, r"a\\b");
    assert_eq!(&*parse(r"a\b v=1").name, r"a\b");
    assert_eq!(&*parse(r"\ cpu v=1").name, " cpu");
    assert_eq!(&*parse(r"\,cpu v=1").name, ",cpu");
}

#[test]
fn tag_escapes() {
    let p = parse(r"m,t\,k\ e\=y=v\,a\ l\=ue v=1");
    assert_eq!(tags(&p), [("t,k e=y", "v,a l=ue")]);
    assert_eq!(
        tags(&parse(r#"m,t=a\"b,u=c\\d v=1"#)),
        [("t", r#"a\"b"#), ("u", r"c\\d")]
    );
    // Go only checks `=` from the second byte of a value on.
    assert_eq!(tags(&parse("m,a==b v=1")), [("a", "=b")]);
    assert_eq!(
        tags(&parse(r"m,\=a=\,b,\ c=\ d v=1")),
        [(" c", " d"), ("=a", ",b")]
    );
}

#[test]
fn field_key_escapes() {
    let p = parse(r#"m f\,i\ e\=l\"d=1,g\\h=2"#);
    assert_eq!(&*p.fields[0].0, r#"f,i e=l"d"#);
    assert_eq!(&*p.fields[1].0, r"g\\h");
}

#[test]
fn string_values() {
    assert_eq!(field(r#""a \"q\" \\ b, c=d""#), text(r#"a "q" \ b, c=d"#));
    assert_eq!(field(r#""x\ny\,""#), text(r"x\ny\,"));
    assert_eq!(field(r#""""#), text(""));
    assert_eq!(field(r#""héllo wörld""#), text("héllo wörld"));
    // Go keeps bytes after the closing quote and drops the last byte.
    assert_eq!(field(r#""x"y"#), text("x\""));
}

#[test]
fn booleans() {
    for spelling in ["t", "T", "true", "True", "TRUE"] {
        assert_eq!(field(spelling), FieldValue::Bool(true), "{spelling}");
    }
    for spelling in ["f", "F", "false", "False", "FALSE"] {
        assert_eq!(field(spelling), FieldValue::Bool(false), "{spelling}");
    }
    for bad in ["tru", "TRue", "yes", "falsey", "fALSE"] {
        assert_eq!(
            error(&format!("m f={bad}")),
            (5, "invalid boolean".into()),
            "{bad}"
        );
    }
}

#[test]
fn integers() {
    assert_eq!(field("5i"), FieldValue::Int(5));
    assert_eq!(field("-5i"), FieldValue::Int(-5));
    assert_eq!(field("007i"), FieldValue::Int(7));
    assert_eq!(field("9223372036854775807i"), FieldValue::Int(i64::MAX));
    assert_eq!(field("-9223372036854775808i"), FieldValue::Int(i64::MIN));
    assert_eq!(
        error("m f=9223372036854775808i"),
        (5, "unable to parse integer 9223372036854775808: strconv.ParseInt: parsing \"9223372036854775808\": value out of range".into())
    );
    assert!(error("m f=-9223372036854775809i")
        .1
        .contains("value out of range"));
    for bad in ["1.5i", "1e5i", "9i10", "-i", "1ii"] {
        assert_eq!(error(&format!("m f={bad}")).1, "invalid number", "{bad}");
    }
    assert_eq!(error("m f=1ii").0, 7);
}

#[test]
fn floats() {
    assert_eq!(field("1e5"), FieldValue::Float(100000.0));
    assert_eq!(field("-1.5E-3"), FieldValue::Float(-0.0015));
    assert_eq!(field("1e+5"), FieldValue::Float(100000.0));
    assert_eq!(field(".5"), FieldValue::Float(0.5));
    assert_eq!(field("1."), FieldValue::Float(1.0));
    assert_eq!(field("-.5"), FieldValue::Float(-0.5));
    assert_eq!(field("7"), FieldValue::Float(7.0));
    assert_eq!(field("0.1"), FieldValue::Float(0.1));
    assert_eq!(field("1e-400"), FieldValue::Float(0.0));
    assert_eq!(
        field("123456789012345678901234567890"),
        FieldValue::Float(1.2345678901234568e29)
    );
    let FieldValue::Float(zero) = field("-0") else {
        panic!()
    };
    assert!(zero == 0.0 && zero.is_sign_negative());
    assert_eq!(error("m f=1e400"), (5, "invalid float".into()));
    assert_eq!(error("m f=1e"), (5, "invalid float".into()));
    assert_eq!(error("m f=.e5"), (5, "invalid float".into()));
    assert_eq!(error("m f=1.2.3"), (8, "invalid number".into()));
    assert_eq!(error("m f=1-2"), (6, "invalid number".into()));
    assert_eq!(error("m f=-"), (5, "invalid number".into()));
    assert_eq!(error("m f=-,g=1"), (5, "invalid number".into()));
    assert_eq!(error("m f=."), (5, "invalid number".into()));
}

#[test]
fn float_fast_path_matches_std() {
    let mut seed: u64 = 42;
    for _ in 0..20_000 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let whole = (seed >> 33) % 100_000;
        let frac_digits = (seed >> 20) as usize % 12;
        let frac = (seed >> 8) % 10u64.pow(frac_digits as u32).max(1);
        let text = format!("{whole}.{frac:0width$}", width = frac_digits);
        assert_eq!(
            field(&text),
            FieldValue::Float(text.parse().unwrap()),
            "{text}"
        );
    }
}

#[test]
fn rejected_like_go() {
    assert_eq!(
        error("m f=1u"),
        (
            6,
            "invalid number: unsigned integers (1u) are not supported; use 1i".into()
        )
    );
    assert_eq!(error("m f=1.5u"), (8, "invalid number".into()));
    assert_eq!(error("m f=NaN"), (5, "invalid number".into()));
    assert_eq!(error("m f=nan"), (5, "invalid number".into()));
    assert_eq!(error("m f=-Inf"), (6, "invalid number".into()));
    // Not a number start, so Go tries a boolean.
    assert_eq!(error("m f=Inf"), (5, "invalid boolean".into()));
    assert_eq!(error("m f=+1"), (5, "invalid boolean".into()));
}

#[test]
fn duplicate_fields_last_wins() {
    let p = parse("m a=1,b=2,a=3i");
    assert_eq!(p.fields.len(), 2);
    assert_eq!(p.field("a"), Some(&FieldValue::Int(3)));
    assert_eq!(&*p.fields[0].0, "a");
    let many: Vec<String> = (0..40).map(|i| format!("f{}={i}", i % 35)).collect();
    let p = parse(&format!("m {}", many.join(",")));
    assert_eq!(p.fields.len(), 35);
    assert_eq!(p.field("f0"), Some(&FieldValue::Float(35.0)));
    assert_eq!(p.field("f5"), Some(&FieldValue::Float(5.0)));
}

#[test]
fn tags_sorted_and_unique() {
    assert_eq!(
        tags(&parse("m,z=1,a=2,m=3 v=1")),
        [("a", "2"), ("m", "3"), ("z", "1")]
    );
    assert_eq!(error("m,a=1,a=2 v=1"), (7, "duplicate tags".into()));
    assert_eq!(error("m,b=1,a=2,b=3 v=1"), (11, "duplicate tags".into()));
    assert_eq!(
        error(r"m,b\ c=1,a=2,b\ c=3 v=1"),
        (14, "duplicate tags".into())
    );
}

#[test]
fn timestamps_and_precision() {
    assert_eq!(parse("m v=1").time, NOW);
    assert_eq!(
        parse_with(Precision::S, "m v=1").time,
        1_700_000_000_000_000_000
    );
    assert_eq!(
        parse_with(Precision::Ms, "m v=1").time,
        1_700_000_000_123_000_000
    );
    let cases = [
        (Precision::Ns, 5),
        (Precision::Us, 5_000),
        (Precision::Ms, 5_000_000),
        (Precision::S, 5_000_000_000),
        (Precision::M, 300_000_000_000),
        (Precision::H, 18_000_000_000_000),
    ];
    for (precision, ns) in cases {
        assert_eq!(parse_with(precision, "m v=1 5").time, ns, "{precision}");
        assert_eq!(parse_with(precision, "m v=1 -5").time, -ns, "{precision}");
    }
    assert_eq!(parse("m v=1 1  ").time, 1);
    assert_eq!(parse("m v=1 \t 7").time, 7);
}

#[test]
fn timestamp_errors() {
    let range = "time outside range 1677-09-21 00:12:43.145224192 +0000 UTC - 2262-04-11 23:47:16.854775807 +0000 UTC";
    assert_eq!(parse("m v=1 9223372036854775807").time, i64::MAX);
    assert_eq!(parse("m v=1 -9223372036854775808").time, i64::MIN);
    let mut point = Point::default();
    let mut seconds = LineParser::new(Precision::S);
    assert_eq!(
        seconds.parse_line("m v=1 9300000000", NOW, &mut point),
        Err((7, range.into()))
    );
    assert_eq!(
        error("m v=1 99999999999999999999"),
        (
            7,
            "strconv.ParseInt: parsing \"99999999999999999999\": value out of range".into()
        )
    );
    assert_eq!(
        error("m v=1 -"),
        (7, "strconv.ParseInt: parsing \"-\": invalid syntax".into())
    );
    assert_eq!(error("m v=1 12a"), (9, "bad timestamp".into()));
    assert_eq!(error("m v=1 1-2"), (8, "bad timestamp".into()));
    assert_eq!(error("m v=1 1 2"), (9, "point is invalid".into()));
    assert_eq!(error("m v=1 1\t"), (8, "bad timestamp".into()));
}

#[test]
fn blanks_comments_and_line_ends() {
    let mut parser = LineParser::new(Precision::Ns);
    let mut point = Point::default();
    for skipped in [
        "",
        "   ",
        "\t",
        "\r\n",
        "# comment",
        "  \t# indented = comment",
        "\n",
    ] {
        assert_eq!(
            parser.parse_line(skipped, NOW, &mut point),
            Ok(false),
            "{skipped:?}"
        );
    }
    assert_eq!(parse(" \t\0m v=1 5").time, 5);
    assert_eq!(parse("m v=1 5\r\n").time, 5);
    assert_eq!(parse("m v=1\r").fields[0].1, FieldValue::Float(1.0));
    assert_eq!(parse("m s=\"a\"\r\n").fields[0].1, text("a"));
    assert_eq!(parse("m  \t v=1").fields.len(), 1);
}

#[test]
fn error_columns() {
    let cases: &[(&str, usize, &str)] = &[
        ("cpu", 4, "missing fields"),
        (",cpu v=1", 1, "missing measurement"),
        ("cpu\tv=1", 8, "missing fields"),
        ("cpu,host", 9, "missing tag value"),
        ("cpu,host=", 10, "missing tag value"),
        ("cpu,host value=1", 9, "missing tag value"),
        ("cpu,host=a,=b v=1", 12, "missing tag key"),
        ("cpu,=a v=1", 5, "missing tag key"),
        ("cpu,host=a", 11, "missing fields"),
        ("cpu,host=f=o v=1", 11, "invalid tag format"),
        ("cpu ", 5, "invalid field format"),
        ("cpu,host=a usage_idle= 17", 23, "missing field value"),
        ("cpu v=", 7, "missing field value"),
        ("cpu v=,w=1", 7, "missing field value"),
        ("cpu =1", 5, "missing field key"),
        ("cpu a=1,=2", 9, "missing field key"),
        ("cpu a=1,b", 10, "invalid field format"),
        ("cpu a=1,b c=1", 10, "invalid field format"),
        ("cpu a,b=1", 6, "invalid field format"),
        ("cpu a=1,", 9, "invalid field format"),
        ("cpu a=x", 7, "invalid boolean"),
        ("cpu s=\"abc", 7, "unbalanced quotes"),
        ("cpu s=\"abc\",t=\"d e", 15, "unbalanced quotes"),
        ("cpu a=1 x", 9, "bad timestamp"),
        ("héllo,wörld=1 v=x", 17, "invalid boolean"),
    ];
    for &(line, column, message) in cases {
        assert_eq!(error(line), (column, message.to_string()), "{line:?}");
    }
}

#[test]
fn max_key_length() {
    let name = "m".repeat(65536);
    let message = "max key length exceeded: 65536 > 65535".to_string();
    assert_eq!(error(&format!("{name} v=1")), (1, message));
    assert_eq!(parse(&format!("{} v=1", &name[1..])).name.len(), 65535);
}

#[test]
fn reuses_point_storage() {
    let mut parser = LineParser::new(Precision::Ns);
    let mut point = Point::default();
    parser
        .parse_line("cpu,a=1,b=2 x=1,y=2 1", NOW, &mut point)
        .unwrap();
    let name = point.name.clone();
    let key = point.tags[0].0.clone();
    parser
        .parse_line("cpu,a=3 x=\"s\" 2", NOW, &mut point)
        .unwrap();
    assert!(Arc::ptr_eq(&name, &point.name));
    assert!(Arc::ptr_eq(&key, &point.tags[0].0));
    assert_eq!(tags(&point), [("a", "3")]);
    assert_eq!(point.fields, [(Arc::from("x"), text("s"))]);
    parser.parse_line("mem v=1 3", NOW, &mut point).unwrap();
    assert!(point.tags.is_empty());
    assert_eq!(&*point.name, "mem");
}

#[test]
fn precision_names() {
    for (text, precision) in [
        ("n", Precision::Ns),
        ("ns", Precision::Ns),
        ("u", Precision::Us),
        ("us", Precision::Us),
        ("µ", Precision::Us),
        ("ms", Precision::Ms),
        ("s", Precision::S),
        ("m", Precision::M),
        ("h", Precision::H),
    ] {
        assert_eq!(text.parse::<Precision>(), Ok(precision));
    }
    let error = "x".parse::<Precision>().unwrap_err();
    assert!(error.contains("n, ns, u, us, µ, ms, s, m, h"), "{error}");
    assert_eq!(Precision::from_http("us"), Precision::Ns);
    assert_eq!(Precision::from_http("u"), Precision::Us);
    assert_eq!(Precision::from_http("bogus"), Precision::Ns);
}

#[test]
fn never_panics() {
    let tricky = [
        "cpu,host=h3 usage_idle=55.123,usage_user=12.5 1700000000100000000",
        r#"m\ x,t\,a=v\=1,b=é s="q\"u\\o,te x=1",i=-5i,b=TRUE,f=-1.5E-3 -17"#,
        r#"m,a==b f="x"y,g=1u,h=NaN,k=9223372036854775808i 99999999999999999999"#,
        "\\\\,\\ =\\ \"é\u{1F600} ,=\"\\",
    ];
    let specials = [
        "\\", "\"", ",", " ", "=", "é", "\t", "-", "i", "e", "\n", "\r", "#",
    ];
    let mut parser = LineParser::new(Precision::H);
    let mut point = Point::default();
    for line in tricky {
        for end in (0..=line.len()).filter(|&n| line.is_char_boundary(n)) {
            let cut = &line[..end];
            let _ = parser.parse_line(cut, i64::MAX, &mut point);
            let _ = parser.parse_line(&line[end..], i64::MIN, &mut point);
            for special in specials {
                let mutated = format!("{cut}{special}{}", &line[end..]);
                if let Err((column, _)) = parser.parse_line(&mutated, NOW, &mut point) {
                    assert!(
                        column >= 1 && column <= mutated.chars().count() + 1,
                        "{mutated:?}"
                    );
                }
            }
        }
    }
}

#[test]
fn word_alignment_does_not_matter() {
    let lines = [
        "cpu,host=h3 usage_idle=55.123,usage_user=12.5 1700000000100000000",
        r#"m\ x,t\,a=v\=1,b=é s="q\"u\\o,te x=1",i=-5i,b=TRUE,f=-1.5E-3 -17"#,
        r"\ cpu,\=a=\,b,\ c=\ d long_field_key_name\,\ \==1,another_long_key=2 3",
        "measurement_with_a_long_name,tag_key_number_one=value_one field=1",
        "cpu,host=h3 usage_idle= 17",
        "cpu,a=1,b=2,a=3 v=1",
        "m a,b=1",
    ];
    for line in lines {
        let mut reference = Point::default();
        let expected = LineParser::new(Precision::Ns).parse_line(line, NOW, &mut reference);
        for pad in 1..=9 {
            let padded = format!("{}{line}", " ".repeat(pad));
            let mut point = Point::default();
            let got = LineParser::new(Precision::Ns).parse_line(&padded, NOW, &mut point);
            match (&expected, got) {
                (Ok(_), Ok(_)) => assert_eq!(point, reference, "{padded:?}"),
                (Err((column, message)), Err(got)) => {
                    assert_eq!(got, (column + pad, message.clone()), "{padded:?}")
                }
                (expected, got) => panic!("{padded:?}: {expected:?} vs {got:?}"),
            }
        }
    }
}
