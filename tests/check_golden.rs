//! `tests/check/invalid/*.tick` render to their `.stderr`; `tests/check/valid/*.tick` are clean.

use crate::harness::{assert_no_failures, compare, files_with_extension, root};
use tickscript::check::{check_source, CheckOptions};
use tickscript::diagnostic::render::human;

fn rendered(path: &std::path::Path) -> (String, usize) {
    let source = std::fs::read_to_string(path).unwrap();
    let name = format!("{}", path.strip_prefix(root()).unwrap().display());
    let checked = check_source(&source, &CheckOptions::default());
    let text: String = checked.diags.iter().map(|d| human(d, &name, &source, false)).collect();
    (text, checked.diags.len())
}

#[test]
fn invalid_scripts_match_their_goldens() {
    let dir = root().join("tests/check/invalid");
    let mut failures = Vec::new();
    let scripts = files_with_extension(&dir, "tick");
    assert!(scripts.len() >= 40, "expected at least 40 broken scripts, found {}", scripts.len());
    for script in scripts {
        let (text, count) = rendered(&script);
        if count == 0 {
            failures.push(format!("{}: no diagnostic at all", script.display()));
            continue;
        }
        let expect_line = std::fs::read_to_string(&script).unwrap();
        if let Some(code) = expect_line.lines().next().and_then(|l| l.strip_prefix("// expect: ")) {
            for code in code.split_whitespace() {
                if !text.contains(code) {
                    failures.push(format!("{}: expected code {code} in:\n{text}", script.display()));
                }
            }
        }
        if let Some(f) = compare(&script.with_extension("stderr"), &text) {
            failures.push(f);
        }
    }
    assert_no_failures(failures);
}

#[test]
fn valid_scripts_have_no_diagnostics() {
    let mut failures = Vec::new();
    let mut dirs = vec![root().join("tests/check/valid"), root().join("scripts")];
    dirs.retain(|d| d.is_dir());
    let mut count = 0;
    for dir in dirs {
        for script in files_with_extension(&dir, "tick") {
            count += 1;
            let (text, n) = rendered(&script);
            if n > 0 {
                failures.push(format!("{}:\n{text}", script.display()));
            }
        }
    }
    assert!(count >= 15, "expected at least 15 valid scripts, found {count}");
    assert_no_failures(failures);
}

/// Runs the `tick` binary with `args` and `stdin`; returns (exit code, stdout, stderr).
fn tick(args: &[&str], stdin: &str) -> (i32, String, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_tick"))
        .args(args)
        .current_dir(root())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
    (out.status.code().unwrap_or(-1), text(out.stdout), text(out.stderr))
}

const FORMAT_INPUTS: [&str; 2] = ["tests/check/invalid/several_errors.tick", "tests/check/invalid/stream_and_batch.tick"];

#[test]
fn sarif_output_is_valid_sarif_2_1_0() {
    let mut args = vec!["check", "--format", "sarif"];
    args.extend(FORMAT_INPUTS);
    let (code, stdout, _) = tick(&args, "");
    assert_eq!(code, 1);
    let log: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let schema_text = std::fs::read_to_string(root().join("tests/fixtures/sarif/sarif-2.1.0-rtm.5.json")).unwrap();
    // The schema's `run.language` pattern has a bare `]` (fine in ECMA regexes, rejected by the
    // Rust regex engine when the schema itself is validated): escape it here, the file stays as published.
    let schema_text = schema_text.replace(r#"{2}]?$""#, r#"{2}\\]?$""#);
    let schema: serde_json::Value = serde_json::from_str(&schema_text).unwrap();
    let validator = jsonschema::draft4::new(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&log).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "SARIF schema violations:\n{}", errors.join("\n"));
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 4);
    // Not vacuous: a result without a message breaks the schema.
    let mut broken = log.clone();
    broken["runs"][0]["results"][0].as_object_mut().unwrap().remove("message");
    assert!(!validator.is_valid(&broken));
    assert_no_failures(compare(&root().join("tests/check/formats/two_files.sarif"), &stdout).into_iter().collect());
}

#[test]
fn checkstyle_output_is_xml_with_every_file() {
    let mut args = vec!["check", "--format", "checkstyle"];
    args.extend(FORMAT_INPUTS);
    let (code, stdout, _) = tick(&args, "");
    assert_eq!(code, 1);
    let doc = roxmltree::Document::parse(&stdout).unwrap();
    let files: Vec<_> = doc.root_element().children().filter(|n| n.has_tag_name("file")).collect();
    assert_eq!(files.len(), 2);
    let errors = doc.descendants().filter(|n| n.has_tag_name("error")).count();
    assert_eq!(errors, 4);
    assert_no_failures(compare(&root().join("tests/check/formats/two_files.xml"), &stdout).into_iter().collect());
}

#[test]
fn a_dash_reads_the_script_from_stdin() {
    let source = std::fs::read_to_string(root().join("tests/check/invalid/several_errors.tick")).unwrap();
    let (code, stdout, _) = tick(&["check", "--format", "json", "-"], &source);
    assert_eq!(code, 1);
    assert_no_failures(compare(&root().join("tests/check/formats/stdin.jsonl"), &stdout).into_iter().collect());
    let (code, _, stderr) = tick(&["check", "-"], "stream|from()|log()\n");
    assert_eq!((code, stderr.as_str()), (0, "checked 1 file: 0 errors, 0 warnings\n"));
}

#[test]
fn a_closed_stdout_ends_quietly() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    let dir = std::env::temp_dir().join(format!("tick-closed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("many.tick");
    let vars: String = (0..20_000).map(|i| format!("var x{i} = {i}\n")).collect();
    std::fs::write(&script, format!("{vars}stream|from()|log()\n")).unwrap();
    for format in ["json", "github"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tick"))
            .args(["check", "--format", format])
            .arg(&script)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut first).unwrap();
        assert!(first.contains("W003"), "{first}");
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stderr), "", "{format}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn serve_config_files_are_checked_by_the_server_parser() {
    let (code, _, stderr) = tick(&["check", "tests/check/config/valid.toml"], "");
    assert_eq!((code, stderr.as_str()), (0, "checked 1 file: 0 errors, 0 warnings\n"));
    let mut failures = Vec::new();
    for name in ["unknown_key", "bad_values"] {
        let path = format!("tests/check/config/{name}.toml");
        let (code, _, stderr) = tick(&["check", &path], "");
        if code != 1 {
            failures.push(format!("{path}: exit {code}"));
        }
        failures.extend(compare(&root().join(format!("tests/check/config/{name}.stderr")), &stderr));
    }
    assert_no_failures(failures);
}
