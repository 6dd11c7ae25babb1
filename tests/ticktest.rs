//! `tests/ticktest/`: `tick test` on fixture test files; stdout, stderr and the exit code are goldens.
//!
//! `cases/NAME.args` holds the arguments (one per line, run in `tests/ticktest/`);
//! `NAME.stdout`, `NAME.stderr` and `NAME.code` are the expected results
//! (`TICK_BLESS=1` rewrites them). JUnit output must be well-formed XML whose
//! counts agree with the text; JSON output one object per line.

use crate::harness::{assert_no_failures, blessing, compare, root};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dir() -> PathBuf {
    root().join("tests/ticktest")
}

fn tick_test(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tick")).current_dir(cwd).env("NO_COLOR", "1").arg("test").args(args).output().expect("tick runs")
}

fn run_case(args_file: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(args_file).unwrap();
    let args: Vec<&str> = text.lines().filter(|l| !l.is_empty()).collect();
    let out = tick_test(&dir(), &args);
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    let code = format!("{}\n", out.status.code().unwrap_or(-1));
    let mut failures: Vec<String> = [("stdout", stdout.as_ref()), ("stderr", stderr.as_ref()), ("code", code.as_str())]
        .iter()
        .filter_map(|(ext, actual)| compare(&args_file.with_extension(ext), actual))
        .collect();
    if args.contains(&"junit") {
        failures.extend(junit_problems(&stdout));
    }
    if args.contains(&"json") {
        failures.extend(stdout.lines().filter(|l| serde_json::from_str::<serde_json::Value>(l).is_err()).map(|l| format!("not JSON: {l}")));
    }
    failures.into_iter().map(|f| format!("{}: {f}", args_file.display())).collect()
}

/// Problems with a JUnit document: not well-formed, or counts that disagree with its testcases.
fn junit_problems(xml: &str) -> Vec<String> {
    let doc = match roxmltree::Document::parse(xml) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("JUnit output is not well-formed XML: {e}\n{xml}")],
    };
    let root = doc.root_element();
    let count = |name: &str| root.descendants().filter(|n| n.has_tag_name(name)).count().to_string();
    let mut problems = Vec::new();
    if root.tag_name().name() != "testsuites" {
        problems.push(format!("root element is <{}>", root.tag_name().name()));
    }
    for (attr, element) in [("tests", "testcase"), ("failures", "failure"), ("errors", "error")] {
        if root.attribute(attr) != Some(count(element).as_str()) {
            problems.push(format!("testsuites {attr}={:?} but {} <{element}> elements", root.attribute(attr), count(element)));
        }
    }
    problems
}

#[test]
fn tick_test_cases_match_their_goldens() {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(dir().join("cases"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "args"))
        .collect();
    cases.sort();
    assert!(cases.len() >= 8);
    assert_no_failures(cases.iter().flat_map(|c| run_case(c)).collect());
}

#[test]
fn junit_check_rejects_bad_documents() {
    assert!(!junit_problems("<testsuites tests=\"1\" failures=\"0\" errors=\"0\"><testcase name=\"a & b\"/></testsuites>").is_empty());
    assert!(!junit_problems("<testsuites tests=\"2\" failures=\"0\" errors=\"0\"><testcase/></testsuites>").is_empty());
    assert!(junit_problems("<testsuites tests=\"1\" failures=\"0\" errors=\"0\"><testcase/></testsuites>").is_empty());
}

#[test]
fn update_rewrites_expectations_and_the_file_then_passes() {
    let work = std::env::temp_dir().join(format!("tick-update-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    for sub in ["update", "scripts"] {
        std::fs::create_dir_all(work.join(sub)).unwrap();
    }
    std::fs::copy(dir().join("scripts/threshold.tick"), work.join("scripts/threshold.tick")).unwrap();
    std::fs::copy(dir().join("update/stale_test.yaml"), work.join("update/stale_test.yaml")).unwrap();
    let before = tick_test(&work, &["update"]);
    let out = tick_test(&work, &["update", "--update"]);
    let updated = std::fs::read_to_string(work.join("update/stale_test.yaml")).unwrap();
    let after = tick_test(&work, &["update"]);
    let _ = std::fs::remove_dir_all(&work);
    assert_eq!(before.status.code(), Some(1), "the stale file fails before the update");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("updated update/stale_test.yaml (3 case(s))"), "{stderr}");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
    assert_eq!(after.status.code(), Some(0), "{}", String::from_utf8_lossy(&after.stdout));
    if let Some(f) = compare(&dir().join("update/stale_test.yaml.updated"), &updated) {
        panic!("{f}");
    }
    assert!(blessing() || updated.contains("# only id and level are checked here"));
}
