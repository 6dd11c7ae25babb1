//! Behaviour tests against outputs recorded from Kapacitor 1.5.7 / Go 1.19
//! (kapacitor-semantics.md §3.2, kapacitor-observed.md Example 1, ecosystem.md §C7).

use super::*;
use std::collections::BTreeMap;

const ID_FIELDS: [&str; 5] = ["Name", "TaskName", "Group", "Tags", "ServerInfo"];
const MESSAGE_FIELDS: [&str; 10] = [
    "Name",
    "TaskName",
    "Group",
    "Tags",
    "ServerInfo",
    "ID",
    "Fields",
    "Level",
    "Time",
    "Duration",
];

fn s(v: &str) -> TValue {
    TValue::Str(v.into())
}

fn server_info() -> TValue {
    TValue::Struct(
        "kapacitor.serverInfo",
        vec![
            ("Hostname", s("localhost")),
            ("ClusterID", s("12d49a64-b432-4044-acf5-af3b2f39318a")),
            ("ServerID", s("f4407bcd-1175-4566-8230-1bfc50a49378")),
        ],
    )
}

fn tags() -> TValue {
    TValue::StrMap(BTreeMap::from([(
        "host".to_string(),
        "serverA".to_string(),
    )]))
}

fn fields(pairs: &[(&str, TValue)]) -> TValue {
    TValue::Map(
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

/// The `detailsInfo` of Example 1's first event.
fn details_data(message: &str, field_map: TValue) -> TValue {
    TValue::Struct(
        "kapacitor.detailsInfo",
        vec![
            ("Name", s("cpu")),
            ("TaskName", s("cpu_alert")),
            ("Group", s("nil")),
            ("Tags", tags()),
            ("ServerInfo", server_info()),
            ("ID", s("cpu:nil")),
            ("Fields", field_map),
            ("Level", s("CRITICAL")),
            ("Time", TValue::Time(1_700_000_002_000_000_000)),
            ("Duration", TValue::Duration(0)),
            ("Message", s(message)),
        ],
    )
}

fn message_data() -> TValue {
    let TValue::Struct(_, mut f) = details_data("", fields(&[("usage_idle", TValue::Float(8.0))]))
    else {
        unreachable!()
    };
    f.pop();
    TValue::Struct("kapacitor.messageInfo", f)
}

fn id_data() -> TValue {
    let TValue::Struct(_, f) = message_data() else {
        unreachable!()
    };
    TValue::Struct("kapacitor.idInfo", f.into_iter().take(5).collect())
}

fn render(src: &str, data: &TValue) -> String {
    Template::parse(src, Flavor::Text)
        .unwrap()
        .render(data)
        .unwrap()
}

fn parse_err(src: &str) -> TemplateError {
    Template::parse(src, Flavor::Text).unwrap_err()
}

#[test]
fn default_details_match_kapacitor_example_1_bytes() {
    let t = Template::parse(details_default(), Flavor::Html).unwrap();
    let data = details_data(
        "Hey, check your CPU",
        fields(&[("usage_idle", TValue::Float(8.0))]),
    );
    let expected = "{&#34;Name&#34;:&#34;cpu&#34;,&#34;TaskName&#34;:&#34;cpu_alert&#34;,&#34;Group&#34;:&#34;nil&#34;,&#34;Tags&#34;:{&#34;host&#34;:&#34;serverA&#34;},&#34;ServerInfo&#34;:{&#34;Hostname&#34;:&#34;localhost&#34;,&#34;ClusterID&#34;:&#34;12d49a64-b432-4044-acf5-af3b2f39318a&#34;,&#34;ServerID&#34;:&#34;f4407bcd-1175-4566-8230-1bfc50a49378&#34;},&#34;ID&#34;:&#34;cpu:nil&#34;,&#34;Fields&#34;:{&#34;usage_idle&#34;:8},&#34;Level&#34;:&#34;CRITICAL&#34;,&#34;Time&#34;:&#34;2023-11-14T22:13:22Z&#34;,&#34;Duration&#34;:0,&#34;Message&#34;:&#34;Hey, check your CPU&#34;}\n";
    assert_eq!(t.render(&data).unwrap(), expected);
}

#[test]
fn details_escape_json_html_and_quotes() {
    let t = Template::parse(details_default(), Flavor::Html).unwrap();
    let data = details_data("it's <b> & a+b", fields(&[("x", TValue::Float(1e21))]));
    let out = t.render(&data).unwrap();
    // encoding/json writes < > & as \u003c.. first; html/template then escapes the rest.
    assert!(
        out.contains(r"&#34;Message&#34;:&#34;it&#39;s \u003cb\u003e \u0026 a&#43;b&#34;}"),
        "{out}"
    );
    assert!(out.contains("&#34;x&#34;:1e&#43;21"), "{out}");
}

#[test]
fn html_flavor_escapes_actions_but_not_text() {
    let t = Template::parse("<b>{{ .Message }}</b> {{ .Tags.nope }}|", Flavor::Html).unwrap();
    let data = details_data("O'Neil said \"hi\" & <left>\0", fields(&[]));
    assert_eq!(
        t.render(&data).unwrap(),
        "<b>O&#39;Neil said &#34;hi&#34; &amp; &lt;left&gt;\u{FFFD}</b> |"
    );
}

#[test]
fn default_id_and_message() {
    assert_eq!(render("{{ .Name }}:{{ .Group }}", &id_data()), "cpu:nil");
    assert_eq!(
        render("{{ .ID }} is {{ .Level }}", &message_data()),
        "cpu:nil is CRITICAL"
    );
}

#[test]
fn missing_keys_follow_the_map_type() {
    let data = message_data();
    assert_eq!(render("[{{ .Tags.dc }}]", &data), "[<no value>]");
    assert_eq!(render("[{{ index .Tags \"dc\" }}]", &data), "[]");
    assert_eq!(render("[{{ index .Fields \"x\" }}]", &data), "[<no value>]");
    assert_eq!(render("[{{ .Fields.x }}]", &data), "[<no value>]");
    assert_eq!(render("[{{ print .Tags.dc }}]", &data), "[<nil>]");
    assert_eq!(render("{{ index .Tags \"host\" }}", &data), "serverA");
}

#[test]
fn values_print_like_go_percent_v() {
    let data = fields(&[
        ("a", TValue::Float(10.0)),
        ("b", TValue::Float(97.1)),
        ("c", TValue::Float(1e21)),
        ("d", TValue::Int(42)),
        ("e", TValue::Float(2.5e6)),
        ("f", TValue::Float(1e-6)),
        ("t", TValue::Time(31_536_010_000_000_000)),
        ("u", TValue::Duration(90_000_000_000)),
        ("v", TValue::Bool(true)),
    ]);
    assert_eq!(
        render("{{.a}} {{.b}} {{.c}} {{.d}} {{.e}} {{.f}}", &data),
        "10 97.1 1e+21 42 2.5e+06 1e-06"
    );
    assert_eq!(
        render("{{.t}}|{{.u}}|{{.v}}", &data),
        "1971-01-01 00:00:10 +0000 UTC|1m30s|true"
    );
    assert_eq!(render("{{ .Tags }}", &message_data()), "map[host:serverA]");
    assert_eq!(
        render("{{ .Fields }}", &message_data()),
        "map[usage_idle:8]"
    );
    assert_eq!(
        render("{{ .ServerInfo }}", &id_data()),
        "{localhost 12d49a64-b432-4044-acf5-af3b2f39318a f4407bcd-1175-4566-8230-1bfc50a49378}"
    );
}

#[test]
fn printf_verbs() {
    let data = fields(&[
        ("x", TValue::Float(8.0)),
        ("i", TValue::Int(7)),
        ("s", s("ab")),
    ]);
    assert_eq!(
        render(r#"{{ index . "x" | printf "%0.2f" }}"#, &data),
        "8.00"
    );
    assert_eq!(render(r#"{{ printf "%.1f%%" .x }}"#, &data), "8.0%");
    assert_eq!(
        render(
            r#"{{ printf "%5d|%-4s|%05.1f|%x|%q" .i .s .x .i .s }}"#,
            &data
        ),
        "    7|ab  |008.0|7|\"ab\""
    );
    assert_eq!(
        render(r#"{{ printf "%d %s" .x }}"#, &data),
        "%!d(float64=8) %!s(MISSING)"
    );
    assert_eq!(
        render(r#"{{ printf "%v %g %e %t" .x .x .x true }}"#, &data),
        "8 8 8.000000e+00 true"
    );
    assert_eq!(
        render(r#"{{ printf "%s" .i "z" }}"#, &data),
        "%!s(int64=7)%!(EXTRA string=z)"
    );
    assert_eq!(render(r#"{{ print 1 2 "a" "b" 3 }}"#, &data), "1 2ab3");
    assert_eq!(render(r#"{{ println 1 "a" }}"#, &data), "1 a\n");
}

#[test]
fn control_flow() {
    let data = message_data();
    let t = "{{ if eq .Level \"CRITICAL\" }}crit{{ else if eq .Level \"WARNING\" }}warn{{ else }}other{{ end }}";
    assert_eq!(render(t, &data), "crit");
    assert_eq!(
        render(
            "{{ if gt (index .Fields \"usage_idle\") 5.0 }}high{{ end }}",
            &data
        ),
        "high"
    );
    assert_eq!(
        render("{{ with .ServerInfo }}{{ .Hostname }}{{ end }}", &data),
        "localhost"
    );
    assert_eq!(
        render("{{ with .Tags.nope }}x{{ else }}none{{ end }}", &data),
        "none"
    );
    let tags = TValue::Struct(
        "t",
        vec![(
            "Tags",
            TValue::StrMap(BTreeMap::from([
                ("b".into(), "2".into()),
                ("a".into(), "1".into()),
            ])),
        )],
    );
    assert_eq!(
        render(
            "{{ range $k, $v := .Tags }}{{ $k }}={{ $v }},{{ end }}",
            &tags
        ),
        "a=1,b=2,"
    );
    assert_eq!(render("{{ range .Tags }}{{ . }}{{ end }}", &tags), "12");
    assert_eq!(
        render(
            "{{ range $v := .Tags }}{{ if eq $v \"2\" }}{{ break }}{{ end }}{{ $v }}{{ end }}",
            &tags
        ),
        "1"
    );
    assert_eq!(
        render(
            "{{ range .Nope }}x{{ else }}empty{{ end }}",
            &TValue::Map(BTreeMap::new())
        ),
        "empty"
    );
    assert_eq!(
        render("{{ $x := .Level }}{{ $x }}/{{ $.Name }}", &data),
        "CRITICAL/cpu"
    );
    assert_eq!(render("{{ $x := 1 }}{{ $x = 2 }}{{ $x }}", &data), "2");
}

#[test]
fn trim_markers_and_comments() {
    let data = message_data();
    assert_eq!(render("a  \n {{- .Name -}} \n  b", &data), "acpub");
    assert_eq!(render("a {{- /* note */ -}} b", &data), "ab");
    assert_eq!(render("a{{/* x */}}b", &data), "ab");
    assert_eq!(render("{{ -3 }}", &data), "-3");
}

#[test]
fn comparison_semantics_follow_go() {
    let data = fields(&[("f", TValue::Float(5.0)), ("i", TValue::Int(5))]);
    assert_eq!(
        render(
            "{{ eq .i 5 }} {{ eq .f 5.0 }} {{ eq 1 2 3 1 }} {{ lt \"a\" \"b\" }}",
            &data
        ),
        "true true true true"
    );
    assert_eq!(
        render(
            "{{ eq .missing \"x\" }} {{ and 1 0 }} {{ or 0 \"\" }} {{ not 0 }}",
            &data
        ),
        "false 0  true"
    );
    let err = Template::parse("{{ gt .f 4 }}", Flavor::Text)
        .unwrap()
        .render(&data)
        .unwrap_err();
    assert_eq!(err, "template: template:1:3: executing \"template\" at <gt>: error calling gt: incompatible types for comparison");
}

#[test]
fn exec_errors_are_go_shaped() {
    let t = Template::parse("{{ .Nope }}", Flavor::Text)
        .unwrap()
        .named("id");
    assert_eq!(
        t.render(&id_data()).unwrap_err(),
        "template: id:1:3: executing \"id\" at <.Nope>: can't evaluate field Nope in type kapacitor.idInfo"
    );
    let t = Template::parse("x\n {{ .ServerInfo.Foo }}", Flavor::Text)
        .unwrap()
        .named("message");
    assert_eq!(
        t.render(&message_data()).unwrap_err(),
        "template: message:2:4: executing \"message\" at <.ServerInfo.Foo>: can't evaluate field Foo in type kapacitor.serverInfo"
    );
}

#[test]
fn parse_errors_have_go_messages_and_spans() {
    let e = parse_err("ab {{ nofunc .ID }}");
    assert_eq!(
        (e.message.as_str(), e.span),
        ("function \"nofunc\" not defined", Span::new(6, 12))
    );
    let e = parse_err("x {{ .Name ");
    assert_eq!(
        (e.message.as_str(), e.span),
        ("unclosed action", Span::new(2, 4))
    );
    let e = parse_err("{{ if }}x{{ end }}");
    assert_eq!(e.message, "missing value for if");
    let e = parse_err("a{{ end }}");
    assert_eq!(
        (e.message.as_str(), e.span),
        ("unexpected {{end}}", Span::new(1, 10))
    );
    let e = parse_err("{{ if .X }}a");
    assert_eq!(
        (e.message.as_str(), e.span),
        ("unexpected EOF", Span::new(0, 11))
    );
    assert_eq!(parse_err("{{ $y }}").message, "undefined variable \"$y\"");
    assert_eq!(
        parse_err("{{ \"abc }}").message,
        "unterminated quoted string"
    );
    assert_eq!(
        parse_err("{{ .A | 3 }}").message,
        "non executable command in pipeline stage 2"
    );
    assert_eq!(
        parse_err("{{ /* x */ }}").message,
        "unexpected \"/\" in command"
    );
    assert_eq!(
        parse_err("{{/* x */ y}}").message,
        "comment ends before closing delimiter"
    );
    assert_eq!(
        parse_err("{{ break }}").message,
        "{{break}} outside {{range}}"
    );
    assert_eq!(
        e.go_text("message", "{{ if .X }}a"),
        "template: message:1: unexpected EOF"
    );
}

#[test]
fn json_is_details_only_and_json_compact_does_not_exist() {
    assert_eq!(
        parse_err("{{ json . }}").message,
        "function \"json\" not defined"
    );
    let e = Template::parse("{{ jsonCompact . }}", Flavor::Html).unwrap_err();
    assert_eq!(
        (e.message.as_str(), e.span),
        ("function \"jsonCompact\" not defined", Span::new(3, 14))
    );
    let nan = TValue::Float(f64::NAN);
    let err = Template::parse("{{ json . }}", Flavor::Html)
        .unwrap()
        .render(&nan)
        .unwrap_err();
    assert!(
        err.ends_with("error calling json: json: unsupported value: NaN"),
        "{err}"
    );
}

#[test]
fn check_fields_catches_unknown_fields() {
    let t = Template::parse("{{ .Host }} {{ .Message }} {{ .Tags.x }} {{ index .Fields \"y\" }} {{ .ServerInfo.Hostname }}", Flavor::Text).unwrap();
    let errors = t.check_fields(&MESSAGE_FIELDS);
    let found: Vec<(&str, Span)> = errors
        .iter()
        .map(|e| (e.message.as_str(), e.span))
        .collect();
    assert_eq!(
        found,
        [
            ("can't evaluate field Host", Span::new(3, 8)),
            ("can't evaluate field Message", Span::new(15, 23))
        ]
    );

    let t = Template::parse("{{ with .ServerInfo }}{{ .Nope }}{{ end }}{{ range .Tags }}{{ .x }}{{ end }}{{ .Time.Format }}", Flavor::Text).unwrap();
    let messages: Vec<String> = t
        .check_fields(&MESSAGE_FIELDS)
        .into_iter()
        .map(|e| e.message)
        .collect();
    assert_eq!(
        messages,
        [
            "can't evaluate field Nope",
            "method Format of time.Time is not supported"
        ]
    );
    assert!(
        Template::parse("{{ .ID }}", Flavor::Text)
            .unwrap()
            .check_fields(&ID_FIELDS)
            .len()
            == 1
    );
}

#[test]
fn builtin_escapers_and_len() {
    let data = fields(&[("s", s("a b&<'>")), ("m", fields(&[("k", TValue::Int(1))]))]);
    assert_eq!(
        render("{{ html .s }}|{{ urlquery .s }}|{{ js .s }}", &data),
        "a b&amp;&lt;&#39;&gt;|a+b%26%3C%27%3E|a b\\u0026\\u003C\\'\\u003E"
    );
    assert_eq!(
        render("{{ len .s }} {{ len .m }} {{ slice .s 0 3 }}", &data),
        "7 1 a b"
    );
    assert_eq!(render("{{ html .nope }}", &data), "&lt;no value&gt;");
}

#[test]
fn time_and_duration_methods() {
    let data = message_data();
    assert_eq!(
        render(
            "{{ .Time.Unix }} {{ .Duration.Seconds }} {{ printf \"%d\" .Duration }}",
            &data
        ),
        "1700000002 0 0"
    );
    assert_eq!(
        render("{{ if gt .Duration 0 }}long{{ else }}new{{ end }}", &data),
        "new"
    );
}

#[test]
fn token_descriptions_and_nesting_limit() {
    assert_eq!(parse_err("{{ .A. }}").message, "unexpected <.> in operand");
    assert_eq!(
        parse_err("{{ \"x\".y }}").message,
        "unexpected . after term \"\\\"x\\\"\""
    );
    assert_eq!(parse_err("{{ end x }}").message, "unexpected \"x\" in end");
    assert_eq!(parse_err("{{ }}").message, "missing value for command");
    let deep = format!(
        "{}1{}",
        "{{".to_string() + &"(".repeat(500),
        ")".repeat(500) + "}}"
    );
    assert!(parse_err(&deep)
        .message
        .starts_with("template nesting deeper than"));
    let deep_if = "{{ if 1 }}".repeat(500) + &"{{ end }}".repeat(500);
    assert!(parse_err(&deep_if)
        .message
        .starts_with("template nesting deeper than"));
}

/// Random fragments must never panic the lexer, parser or executor.
#[test]
fn random_templates_never_panic() {
    const PIECES: [&str; 33] = [
        "{{",
        "}}",
        "{{-",
        " -}}",
        ".Name",
        ".Tags.host",
        "$x",
        ":=",
        "|",
        "(",
        ")",
        "\"s\"",
        "`r`",
        "if",
        "else",
        "end",
        "range",
        "with",
        "index",
        "printf",
        "\"%5.2f %d %q %x\"",
        " ",
        "1e3",
        "'c'",
        "/*",
        "*/",
        "eq",
        ",",
        "é",
        "\\",
        "\"",
        "\n",
        "\0",
    ];
    let data = message_data();
    let mut seed: u64 = 42;
    for _ in 0..20_000 {
        let mut src = String::new();
        for _ in 0..(seed % 14) {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            src.push_str(PIECES[(seed >> 33) as usize % PIECES.len()]);
        }
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1);
        for flavor in [Flavor::Text, Flavor::Html] {
            if let Ok(t) = Template::parse(&src, flavor) {
                let _ = t.render(&data);
                let _ = t.check_fields(&MESSAGE_FIELDS);
            }
        }
    }
}

#[test]
fn compact_syntax_and_pipelines() {
    let data = message_data();
    assert_eq!(
        render("{{.Name}}|{{- .Name}}|{{.Name -}} |{{$x:=1}}{{$x}}", &data),
        "cpu|cpu|cpu|1"
    );
    assert_eq!(
        render("{{ range $k, $v := .Tags }}{{$k}}:{{$v}}{{ end }}", &data),
        "host:serverA"
    );
    assert_eq!(
        render(
            "{{ (index .Fields \"usage_idle\") }} {{ .Tags.host | len }}",
            &data
        ),
        "8 7"
    );
    assert_eq!(
        render(
            "{{ index .Tags \"host\" | printf \"%q\" }} {{ \"a\" | printf \"%s-%s\" \"b\" }}",
            &data
        ),
        "\"serverA\" b-a"
    );
    assert_eq!(
        render("{{ `raw\\n` }}{{ \"tab\\there\" }}", &data),
        "raw\\ntab\there"
    );
    assert_eq!(
        render("{{ 010 }} {{ 0x1F }} {{ 'a' }} {{ 1e3 }} {{ 2.50 }}", &data),
        "8 31 97 1000 2.5"
    );
    assert_eq!(
        render("{{ if and .Tags.host (not .Tags.dc) }}ok{{ end }}", &data),
        "ok"
    );
}
