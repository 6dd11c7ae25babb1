//! Go `encoding/json` edge cases of `alert.Data` and rows.

use super::*;
use Level::{Critical as C, Ok as O};

fn one_row_data(row: Row) -> AlertData {
    AlertData {
        id: "id".into(),
        message: "m".into(),
        details: String::new(),
        time: T1971,
        duration: 0,
        level: C,
        data: vec![row],
        previous_level: O,
        recoverable: true,
    }
}

fn cells_json(cells: Vec<Cell>) -> Result<String, String> {
    let row = Row {
        name: "cpu".into(),
        tags: vec![],
        columns: vec!["time".into()],
        values: vec![cells],
    };
    let mut out = String::new();
    write_row_json(&mut out, &row).map(|_| out)
}

#[test]
fn stream_alert_exec_golden_with_int_count() {
    // TestStream_AlertExec, re-encoded by Go (semantics §3.5).
    let want = r#"{"id":"kapacitor.cpu.serverA","message":"kapacitor.cpu.serverA is CRITICAL","details":"","time":"1971-01-01T00:00:10Z","duration":0,"level":"CRITICAL","data":{"series":[{"name":"cpu","tags":{"host":"serverA"},"columns":["time","count"],"values":[["1971-01-01T00:00:10Z",10]]}]},"previousLevel":"OK","recoverable":true}"#;
    let group: Vec<(Arc<str>, Arc<str>)> = vec![(Arc::from("host"), Arc::from("serverA"))];
    let point = Point {
        name: Arc::from("cpu"),
        tags: group.clone(),
        fields: vec![(Arc::from("count"), FieldValue::Int(10))],
        time: T1971 + 10 * SEC,
    };
    let mut data = one_row_data(Row::from_batch("cpu", &group, &[point]));
    data.id = "kapacitor.cpu.serverA".into();
    data.message = "kapacitor.cpu.serverA is CRITICAL".into();
    data.time = T1971 + 10 * SEC;
    assert_eq!(data.to_json_line().unwrap(), format!("{want}\n"));
}

#[test]
fn json_numbers_strings_and_times_follow_go() {
    let cells = vec![
        Cell::Time(T1971 + 10 * SEC + SEC / 2),
        Cell::Float(10.0),
        Cell::Float(97.1),
        Cell::Float(1e21),
        Cell::Float(1e-7),
        Cell::Int(-3),
        Cell::Str("<a&b>\"".into()),
        Cell::Bool(false),
        Cell::Null,
    ];
    let want = r#"{"name":"cpu","columns":["time"],"values":[["1971-01-01T00:00:10.5Z",10,97.1,1e+21,1e-7,-3,"\u003ca\u0026b\u003e\"",false,null]]}"#;
    assert_eq!(cells_json(cells).unwrap(), want);
}

#[test]
fn json_escapes_top_level_strings_and_omits_empty_members() {
    let mut data = one_row_data(Row::default());
    data.message = "a<b & c>d\n".into();
    data.data.clear();
    let line = data.to_json_line().unwrap();
    assert!(
        line.contains(r#""message":"a\u003cb \u0026 c\u003ed\n""#),
        "{line}"
    );
    assert!(line.contains(r#""data":{"series":null}"#), "{line}");
    data.data = vec![Row::default()];
    assert!(data
        .to_json_line()
        .unwrap()
        .contains(r#""data":{"series":[{}]}"#));
}

#[test]
fn json_rejects_nan_and_infinity_like_go() {
    assert_eq!(
        cells_json(vec![Cell::Float(f64::NAN)]),
        Err("json: unsupported value: NaN".into())
    );
    assert_eq!(
        cells_json(vec![Cell::Float(f64::NEG_INFINITY)]),
        Err("json: unsupported value: -Inf".into())
    );
    let row = Row {
        values: vec![vec![Cell::Float(f64::INFINITY)]],
        ..Row::default()
    };
    assert_eq!(
        one_row_data(row).to_json_line(),
        Err("failed to marshal alert data json: json: unsupported value: +Inf".into())
    );
}

#[test]
fn batch_row_shape() {
    let group: Vec<(Arc<str>, Arc<str>)> = vec![(Arc::from("host"), Arc::from("a"))];
    let p1 = Point {
        name: Arc::from("cpu"),
        tags: vec![
            (Arc::from("cpu"), Arc::from("cpu0")),
            (Arc::from("host"), Arc::from("a")),
        ],
        fields: vec![
            (Arc::from("value"), FieldValue::Float(1.5)),
            (Arc::from("n"), FieldValue::Int(2)),
        ],
        time: T1971,
    };
    let mut p2 = p1.clone();
    p2.time += SEC;
    p2.remove_field("n");
    let row = Row::from_batch("cpu", &group, &[p1, p2]);
    let mut out = String::new();
    write_row_json(&mut out, &row).unwrap();
    let want = r#"{"name":"cpu","tags":{"host":"a"},"columns":["time","cpu","n","value"],"values":[["1971-01-01T00:00:00Z","cpu0",2,1.5],["1971-01-01T00:00:01Z","cpu0",null,1.5]]}"#;
    assert_eq!(out, want);
}

#[test]
fn point_row_sorts_fields_and_keeps_all_tags() {
    let mut p = cpu_point("h", 1.0, T1971);
    p.set_tag("az", "z1".into());
    p.set_field("a_first", FieldValue::Str("x".into()));
    let row = Row::from_point(&p);
    assert_eq!(row.columns, ["time", "a_first", "usage_idle"]);
    assert_eq!(
        row.tags,
        [
            ("az".to_string(), "z1".to_string()),
            ("host".to_string(), "h".to_string())
        ]
    );
    let untagged = Row::from_point(&Point { tags: vec![], ..p });
    let mut out = String::new();
    write_row_json(&mut out, &untagged).unwrap();
    assert!(!out.contains("tags"), "{out}");
}
