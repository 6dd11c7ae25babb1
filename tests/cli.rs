//! The `tick` binary: exit codes, output formats, error messages.

use std::process::{Command, Output};

fn tick(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tick"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .output()
        .expect("tick runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn check_clean_scripts_exits_0() {
    let out = tick(&["check", "scripts"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("0 errors"));
}

#[test]
fn check_broken_script_exits_1_with_position() {
    let out = tick(&["check", "tests/check/invalid/undefined_var_in_lambda.tick"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("E203"), "{stderr}");
    assert!(stderr.contains("undefined_var_in_lambda.tick:"), "{stderr}");
}

#[test]
fn check_json_is_one_object_per_diagnostic() {
    let out = tick(&["check", "--format", "json", "tests/check/invalid/several_errors.tick"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(lines.len() >= 3, "{stdout}");
    for obj in &lines {
        for key in ["file", "line", "column", "span", "code", "severity", "message", "help"] {
            assert!(obj.get(key).is_some(), "missing {key} in {obj}");
        }
    }
}

#[test]
fn check_github_format_annotates() {
    let out = tick(&["check", "--format", "github", "tests/check/invalid/unknown_property.tick"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("::error file=tests/check/invalid/unknown_property.tick,line="), "{stdout}");
}

#[test]
fn warnings_fail_only_with_deny_warnings() {
    let script = "tests/check/invalid/alert_without_handler.tick";
    assert_eq!(tick(&["check", script]).status.code(), Some(0));
    assert_eq!(tick(&["check", "--deny-warnings", script]).status.code(), Some(1));
    let allowed = tick(&["check", "--deny-warnings", "--allow", "alert-without-handler", script]);
    assert_eq!(allowed.status.code(), Some(0), "{}", text(&allowed.stderr));
}

#[test]
fn missing_file_is_usage_error_2() {
    let out = tick(&["check", "no/such/file.tick"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no/such/file.tick: no such file or directory"));
}

#[test]
fn directory_without_scripts_is_error_2() {
    let out = tick(&["check", "src/cli"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("no *.tick files"), "{}", text(&out.stderr));
}

#[test]
fn non_utf8_file_is_reported_with_position() {
    let dir = std::env::temp_dir().join(format!("tick-utf8-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.tick");
    std::fs::write(&path, b"stream\n    |from()\n        .measurement('c\xffu')\n").unwrap();
    let out = tick(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("E002") && stderr.contains(":3:24"), "{stderr}");
}

#[test]
fn explain_prints_example_and_unknown_code_is_2() {
    let out = tick(&["explain", "E203"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("threshold"));
    let lint = tick(&["explain", "unused-var"]);
    assert!(text(&lint.stdout).starts_with("W003"));
    assert_eq!(tick(&["explain", "E999"]).status.code(), Some(2));
}

#[test]
fn usage_error_is_2() {
    assert_eq!(tick(&["check", "--format", "xml", "scripts"]).status.code(), Some(2));
    assert_eq!(tick(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn check_validates_handler_files() {
    let ok = tick(&["check", "scripts/handlers/exec_cpu_handler.yaml", "--handlers", "tests/fixtures/handlers/valid"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    let bad = tick(&["check", "--handlers", "tests/fixtures/handlers/invalid"]);
    assert_eq!(bad.status.code(), Some(1));
    let stderr = text(&bad.stderr);
    assert!(stderr.contains("E601") && stderr.contains("bad-quote.yaml:5:15"), "{stderr}");
    assert!(stderr.contains("E603") && stderr.contains("did you mean `prog`"), "{stderr}");
}

#[test]
fn check_reports_match_expression_errors_in_the_file() {
    let out = tick(&["check", "--format", "json", "--handlers", "tests/fixtures/handlers/bad-match"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(text(&out.stdout).lines().next().unwrap()).unwrap();
    assert_eq!(v["code"], "E604");
    assert_eq!((v["line"].as_u64(), v["column"].as_u64()), (Some(4), Some(50)), "{v}");
}
