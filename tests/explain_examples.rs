//! Every `tick explain` example triggers the code it explains.

use tickscript::check::{check_source, CheckOptions};
use tickscript::diagnostic::Code;

/// Codes whose example only fails when running (`tick run`), not in `tick check`.
const RUN_TIME: &[&str] = &["E210", "E701"];

#[test]
fn every_explain_example_triggers_its_code() {
    let mut failures = Vec::new();
    for code in Code::ALL {
        let info = code.info();
        if info.example.is_empty() || RUN_TIME.contains(&info.code) {
            continue;
        }
        let diags = check_source(info.example, &CheckOptions::default()).diags;
        if !diags.iter().any(|d| d.code == *code) {
            let got: Vec<&str> = diags.iter().map(|d| d.code.as_str()).collect();
            failures.push(format!("{}: example gives {got:?}\n{}", info.code, info.example));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
