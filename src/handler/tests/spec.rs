//! Topic-handler files: loading, validation and conversion.

use super::scratch_dir;
use crate::diagnostic::Code;
use crate::handler::{action_for, load_handler_dir, load_handler_file, ExecSpec, HandlerAction, HandlerFileError};
use std::path::PathBuf;
use std::time::Duration;

fn write(name: &str, text: &str) -> PathBuf {
    let path = scratch_dir("spec").join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn errors(name: &str, text: &str) -> Vec<HandlerFileError> {
    load_handler_file(&write(name, text)).expect_err("the file should be rejected")
}

/// (code, line, column, message) of the only error.
fn only_error(name: &str, text: &str) -> (Code, usize, usize, String) {
    let errs = errors(name, text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    (errs[0].code, errs[0].line, errs[0].column, errs[0].message.clone())
}

const EXAMPLE_YAML: &str = "id: run-script\ntopic: cpu\nkind: exec\nmatch: changed() == TRUE\noptions:\n  prog: /usr/local/bin/notify\n  args: [\"--level\", \"crit\"]\n";

#[test]
fn good_yaml_loads_with_match_position() {
    let file = load_handler_file(&write("example.yaml", EXAMPLE_YAML)).unwrap();
    assert_eq!((file.id.as_str(), file.topic.as_str(), file.kind.as_str()), ("run-script", "cpu", "exec"));
    let m = file.match_expr.clone().unwrap();
    assert_eq!((m.text.as_str(), m.line, m.column), ("changed() == TRUE", 4, 8));
    assert_eq!(&EXAMPLE_YAML[m.span.start..m.span.end], "changed() == TRUE");
    let action = action_for(&file, Duration::from_secs(5)).unwrap();
    let expected = ExecSpec { prog: "/usr/local/bin/notify".into(), args: vec!["--level".into(), "crit".into()], timeout: Duration::from_secs(5) };
    assert_eq!(action, HandlerAction::Exec(expected));
}

#[test]
fn good_json_loads_the_same() {
    let json = r#"{
  "id": "run-script",
  "topic": "cpu",
  "kind": "exec",
  "match": "changed() == TRUE",
  "options": {"prog": "/usr/local/bin/notify", "args": ["--level", "crit"]}
}
"#;
    let from_json = load_handler_file(&write("h.json", json)).unwrap();
    let from_yaml = load_handler_file(&write("h.yml", EXAMPLE_YAML)).unwrap();
    assert_eq!(from_json.options, from_yaml.options);
    assert_eq!(from_json.match_expr.as_ref().map(|m| (m.text.as_str(), m.line)), Some(("changed() == TRUE", 5)));
}

#[test]
fn unknown_option_key_names_it_with_position_and_suggestion() {
    let text = "id: x\ntopic: cpu\nkind: exec\noptions:\n  prog: /bin/true\n  prgo: /bin/false\n";
    let errs = errors("typo.yaml", text);
    assert_eq!(errs.len(), 1, "{errs:#?}");
    assert_eq!((errs[0].code, errs[0].line, errs[0].column), (Code::HandlerOption, 6, 3));
    assert_eq!(errs[0].message, "options for kind \"exec\" has invalid keys: prgo");
    assert_eq!(errs[0].help.as_deref(), Some("did you mean `prog`? kind exec accepts: prog, args"));
    assert!(errs[0].to_string().ends_with("typo.yaml:6:3: error[E603]: options for kind \"exec\" has invalid keys: prgo (help: did you mean `prog`? kind exec accepts: prog, args)"));
}

#[test]
fn option_keys_match_case_insensitively_like_mapstructure() {
    let text = "id: x\ntopic: cpu\nkind: exec\noptions:\n  Prog: /bin/true\n";
    let file = load_handler_file(&write("case.yaml", text)).unwrap();
    assert_eq!(file.options.get("prog").and_then(|v| v.as_str()), Some("/bin/true"));
}

#[test]
fn wrong_option_type_is_an_error_at_the_value() {
    let (code, line, column, message) = only_error("t.yaml", "id: x\ntopic: cpu\nkind: exec\noptions:\n  prog: 123\n");
    assert_eq!((code, line, column), (Code::HandlerOption, 5, 9));
    assert_eq!(message, "option `prog` of kind exec: expected a string, got a number (123)");
    let (_, _, _, message) = only_error("t.yaml", "id: x\ntopic: cpu\nkind: exec\noptions:\n  prog: /bin/x\n  args: --crit\n");
    assert_eq!(message, "option `args` of kind exec: expected a list of strings, got a string (\"--crit\")");
}

#[test]
fn bad_id_uses_kapacitor_text() {
    let (code, line, column, message) = only_error("id.yaml", "id: 'bad id!'\ntopic: cpu\nkind: exec\noptions: {prog: /bin/true}\n");
    assert_eq!((code, line, column), (Code::HandlerSpec, 1, 5));
    assert_eq!(message, "handler ID must contain only letters, numbers, '-', '.' and '_'. \"bad id!\"");
}

#[test]
fn bad_topic_prints_the_topic_not_the_id() {
    let (code, line, _, message) = only_error("topic.yaml", "id: ok\ntopic: cpu/load\nkind: exec\noptions: {prog: /bin/true}\n");
    assert_eq!((code, line), (Code::HandlerSpec, 2));
    assert_eq!(message, "handler topic must contain only letters, numbers, '-', ':', '.' and '_'. \"cpu/load\"");
    // ':' is allowed in topics (anonymous topics look like main:task:alert2), not in IDs.
    assert!(load_handler_file(&write("ok.yaml", "id: ok\ntopic: main:t:alert2\nkind: exec\noptions: {prog: /bin/true}\n")).is_ok());
}

#[test]
fn unknown_kind_and_later_kinds() {
    let errs = errors("k.yaml", "id: x\ntopic: cpu\nkind: slak\n");
    assert_eq!((errs[0].line, errs[0].message.as_str()), (3, "unsupported action kind \"slak\""));
    assert_eq!(errs[0].help.as_deref(), Some("did you mean `slack`? (kinds are case-sensitive)"));
    let errs = errors("k.yaml", "id: x\ntopic: cpu\nkind: bigpanda\n");
    assert_eq!(errs[0].help.as_deref(), Some("kind \"bigpanda\" exists only after Kapacitor 1.5.7"));
    let (_, _, _, message) = only_error("k.yaml", "id: x\ntopic: cpu\nkind: ''\n");
    assert_eq!(message, "handler Kind must not be empty");
}

#[test]
fn bad_extension_is_rejected() {
    let (code, _, _, message) = only_error("handler.txt", EXAMPLE_YAML);
    assert_eq!((code, message.as_str()), (Code::HandlerSyntax, "bad file extension. Must be YAML or JSON"));
}

#[test]
fn yaml_syntax_error_has_line_and_column() {
    let (code, line, column, message) = only_error("s.yaml", "id: x\ntopic: cpu\nkind: exec\noptions:\n  prog: [unclosed\n");
    assert_eq!((code, line, column, message.as_str()), (Code::HandlerSyntax, 5, 9, "unclosed bracket '['"));
}

#[test]
fn json_syntax_error_has_line_and_column() {
    let (code, line, column, message) = only_error("s.json", "{\n  \"id\": \"x\",\n  \"topic\": \"cpu\"\n  \"kind\": \"exec\"\n}\n");
    assert_eq!((code, line, column), (Code::HandlerSyntax, 4, 3));
    assert_eq!(message, "expected `,` or `}`");
}

#[test]
fn issue_1621_quoting_pitfall_is_explained() {
    let text = "id: s001\ntopic: cpu\nkind: exec\nmatch: \"host\" == 's001.example.com'\noptions: {prog: /bin/true}\n";
    let errs = errors("q.yaml", text);
    assert_eq!((errs[0].code, errs[0].line, errs[0].column), (Code::HandlerSyntax, 4, 15));
    assert_eq!(errs[0].message, "invalid trailing content after double-quoted scalar");
    assert!(errs[0].help.as_deref().unwrap().contains("quote the whole match expression"));
    // The fix suggested in the help parses.
    let fixed = "id: s001\ntopic: cpu\nkind: exec\nmatch: '\"host\" == ''s001.example.com'''\noptions: {prog: /bin/true}\n";
    let file = load_handler_file(&write("q.yaml", fixed)).unwrap();
    assert_eq!(file.match_expr.unwrap().text, "\"host\" == 's001.example.com'");
}

#[test]
fn misspelt_top_level_key_is_an_error_not_silently_ignored() {
    let errs = errors("o.yaml", "id: x\ntopic: cpu\nkind: exec\noptons:\n  prog: /bin/true\n");
    assert_eq!((errs[0].code, errs[0].line, errs[0].column), (Code::HandlerSpec, 4, 1));
    assert_eq!(errs[0].message, "unknown key \"optons\" in handler file");
    assert_eq!(errs[0].help.as_deref(), Some("did you mean `options`? (Kapacitor silently ignores unknown keys)"));
    // Without options, exec has no program: reported too.
    assert_eq!(errs[1].message, "exec handler needs a non-empty `prog` option");
    assert_eq!(errs.len(), 2);
}

#[test]
fn log_mode_is_octal_like_yaml_1_1_and_path_must_be_absolute() {
    let file = load_handler_file(&write("l.yaml", "id: l\ntopic: cpu\nkind: log\noptions:\n  path: /tmp/a.log\n  mode: 0640\n")).unwrap();
    let action = action_for(&file, Duration::from_secs(1)).unwrap();
    assert_eq!(action, HandlerAction::Log { path: "/tmp/a.log".into(), mode: 0o640 });
    let (code, _, _, message) = only_error("l.yaml", "id: l\ntopic: cpu\nkind: log\noptions:\n  path: rel.log\n");
    assert_eq!((code, message.as_str()), (Code::HandlerOption, "log path must be absolute: rel.log is not absolute"));
}

#[test]
fn daemon_only_kinds_load_but_do_not_run() {
    let file = load_handler_file(&write("s.yaml", "id: s\ntopic: cpu\nkind: slack\noptions:\n  channel: '#ops'\n")).unwrap();
    let err = action_for(&file, Duration::from_secs(1)).unwrap_err();
    assert_eq!((err.code, err.message.as_str()), (Code::Unsupported, "kind `slack` is valid but tick does not run it"));
}

#[test]
fn post_timeout_accepts_go_durations() {
    let text = "id: p\ntopic: cpu\nkind: post\noptions:\n  url: http://localhost:9/x\n  timeout: 1m30s\n  headers: {X-A: b}\n";
    let file = load_handler_file(&write("p.yaml", text)).unwrap();
    let HandlerAction::Post { timeout, headers, .. } = action_for(&file, Duration::from_secs(1)).unwrap() else { panic!() };
    assert_eq!((timeout, headers), (Duration::from_secs(90), vec![("X-A".to_string(), "b".to_string())]));
}

#[test]
fn duplicate_id_on_one_topic_in_a_directory() {
    let dir = scratch_dir("dup");
    std::fs::write(dir.join("a.yaml"), EXAMPLE_YAML).unwrap();
    std::fs::write(dir.join("b.json"), r#"{"id":"run-script","topic":"cpu","kind":"exec","options":{"prog":"/bin/true"}}"#).unwrap();
    std::fs::write(dir.join("c.yaml"), EXAMPLE_YAML.replace("topic: cpu", "topic: mem")).unwrap();
    let (files, errs) = load_handler_dir(&dir);
    assert_eq!(files.iter().map(|f| f.topic.as_str()).collect::<Vec<_>>(), ["cpu", "mem"]);
    assert_eq!(errs.len(), 1);
    assert_eq!(errs[0].message, "cannot register handler, handler with ID \"run-script\" already exists");
    assert!(errs[0].path.ends_with("b.json"));
}

fn fixture(dir: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/handlers").join(dir)
}

#[test]
fn fixture_directories_load_as_documented() {
    let (files, errs) = load_handler_dir(&fixture("valid"));
    assert!(errs.is_empty(), "{errs:#?}");
    assert_eq!(files.iter().map(|f| (f.id.as_str(), f.kind.as_str())).collect::<Vec<_>>(), [("run-script", "exec"), ("audit-log", "log")]);
    let (files, errs) = load_handler_dir(&fixture("invalid"));
    assert!(files.is_empty());
    let codes: Vec<(Code, usize)> = errs.iter().map(|e| (e.code, e.line)).collect();
    assert_eq!(codes, [(Code::HandlerSyntax, 5), (Code::HandlerOption, 6)]);
}

#[test]
fn odd_files_are_errors_not_panics() {
    for (name, text) in [
        ("empty.yaml", ""),
        ("comment.yaml", "# nothing\n"),
        ("list.yaml", "- id: x\n"),
        ("scalar.json", "42"),
        ("numeric-id.yaml", "id: 123\ntopic: cpu\nkind: exec\noptions: {prog: /bin/true}\n"),
        ("options-list.yaml", "id: x\ntopic: cpu\nkind: exec\noptions: [prog]\n"),
        ("tabs.yaml", "id: x\ntopic: cpu\nkind: exec\noptions:\n\tprog: /bin/true\n"),
    ] {
        let errs = errors(name, text);
        assert!(!errs.is_empty(), "{name}");
        assert!(errs.iter().all(|e| matches!(e.code, Code::HandlerSyntax | Code::HandlerSpec | Code::HandlerOption)), "{name}: {errs:#?}");
    }
    let (_, line, _, message) = only_error("numeric-id.yaml", "id: 123\ntopic: cpu\nkind: exec\noptions: {prog: /bin/true}\n");
    assert_eq!((line, message.as_str()), (1, "`id` must be a string, got a number (123)"));
    let path = write("latin1.yaml", "");
    std::fs::write(&path, b"id: caf\xe9\n").unwrap();
    assert_eq!(load_handler_file(&path).unwrap_err()[0].code, Code::NotUtf8);
}
