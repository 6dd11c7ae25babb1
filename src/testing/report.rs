//! The results of a `tick test` run as text: human (per case, with diffs),
//! JSON lines, or JUnit XML. Diagnostics of invalid files are rendered
//! separately, by the same renderer as `tick check`.

use super::{Mismatch, Problem};
use crate::span::line_col;
use serde_json::json;
use std::fmt::Write as _;

/// Output formats of `tick test`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per case, diffs under failures, a summary.
    Human,
    /// One JSON object per case (or invalid file) and line.
    Json,
    /// JUnit XML: one testsuite per file, one testcase per case.
    Junit,
}

/// What happened to one case.
#[derive(Debug, Clone)]
pub struct CaseOutcome {
    /// The case name.
    pub name: String,
    /// Failed expectations (empty: passed).
    pub mismatches: Vec<Mismatch>,
    /// Evaluation errors, shown with failures.
    pub notes: Vec<String>,
}

/// What happened to one test file.
#[derive(Debug, Clone)]
pub enum FileOutcome {
    /// The file (or a script, input or handler it names) is invalid; nothing ran.
    Invalid(Vec<Problem>),
    /// The cases that ran (after `--filter`).
    Ran(Vec<CaseOutcome>),
}

/// One test file and its outcome.
#[derive(Debug, Clone)]
pub struct FileResult {
    /// The test file as given.
    pub path: String,
    /// Its outcome.
    pub outcome: FileOutcome,
}

/// Totals over a run.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Totals {
    /// Cases that passed.
    pub passed: usize,
    /// Cases that failed.
    pub failed: usize,
    /// Invalid files.
    pub invalid: usize,
}

/// Counts passed and failed cases and invalid files.
pub fn totals(results: &[FileResult]) -> Totals {
    let mut t = Totals::default();
    for r in results {
        match &r.outcome {
            FileOutcome::Invalid(_) => t.invalid += 1,
            FileOutcome::Ran(cases) => cases.iter().for_each(|c| if c.mismatches.is_empty() { t.passed += 1 } else { t.failed += 1 }),
        }
    }
    t
}

/// Renders `results` in `format`.
pub fn render(results: &[FileResult], format: Format) -> String {
    match format {
        Format::Human => human(results),
        Format::Json => json_lines(results),
        Format::Junit => junit(results),
    }
}

fn human(results: &[FileResult]) -> String {
    let mut out = String::new();
    for r in results {
        let _ = writeln!(out, "{}", r.path);
        match &r.outcome {
            FileOutcome::Invalid(problems) => {
                let _ = writeln!(out, "  INVALID  {} problem(s), nothing ran (diagnostics on stderr)", problems.len());
            }
            FileOutcome::Ran(cases) => cases.iter().for_each(|c| human_case(&mut out, c)),
        }
    }
    let t = totals(results);
    let verdict = if t.failed + t.invalid == 0 { "ok" } else { "FAILED" };
    let _ = writeln!(out, "\ntest result: {verdict}. {} passed, {} failed, {} invalid file(s)", t.passed, t.failed, t.invalid);
    out
}

fn human_case(out: &mut String, case: &CaseOutcome) {
    if case.mismatches.is_empty() {
        let _ = writeln!(out, "  ok    {}", case.name);
        return;
    }
    let _ = writeln!(out, "  FAIL  {}", case.name);
    for m in &case.mismatches {
        let _ = writeln!(out, "        {}: {}", m.section, m.message);
        for line in m.diff.lines() {
            let _ = writeln!(out, "          {line}");
        }
    }
    for note in &case.notes {
        let _ = writeln!(out, "        note: evaluation error: {note}");
    }
}

fn json_lines(results: &[FileResult]) -> String {
    let mut out = String::new();
    for r in results {
        match &r.outcome {
            FileOutcome::Invalid(problems) => {
                let diags: Vec<serde_json::Value> = problems
                    .iter()
                    .filter_map(|p| serde_json::from_str(&crate::diagnostic::render::json(&p.diag, &p.file, &p.source)).ok())
                    .collect();
                let _ = writeln!(out, "{}", json!({"file": r.path, "status": "invalid", "diagnostics": diags}));
            }
            FileOutcome::Ran(cases) => {
                for c in cases {
                    let status = if c.mismatches.is_empty() { "pass" } else { "fail" };
                    let failures: Vec<_> =
                        c.mismatches.iter().map(|m| json!({"section": m.section, "message": m.message, "diff": m.diff})).collect();
                    let line = json!({"file": r.path, "case": c.name, "status": status, "failures": failures, "notes": c.notes});
                    let _ = writeln!(out, "{line}");
                }
            }
        }
    }
    out
}

fn junit(results: &[FileResult]) -> String {
    let t = totals(results);
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"tick test\" tests=\"{}\" failures=\"{}\" errors=\"{}\">", t.passed + t.failed + t.invalid, t.failed, t.invalid);
    for r in results {
        let path = xml_escape(&r.path);
        match &r.outcome {
            FileOutcome::Invalid(problems) => {
                let _ = writeln!(out, "  <testsuite name=\"{path}\" tests=\"1\" failures=\"0\" errors=\"1\">");
                let _ = writeln!(out, "    <testcase classname=\"{path}\" name=\"(test file)\">");
                let text: String = problems.iter().map(one_line).collect::<Vec<_>>().join("\n");
                let _ = writeln!(out, "      <error message=\"invalid test file\" type=\"E801\">{}</error>", xml_escape(&text));
                let _ = writeln!(out, "    </testcase>");
            }
            FileOutcome::Ran(cases) => {
                let failed = cases.iter().filter(|c| !c.mismatches.is_empty()).count();
                let _ = writeln!(out, "  <testsuite name=\"{path}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\">", cases.len());
                cases.iter().for_each(|c| junit_case(&mut out, &path, c));
            }
        }
        let _ = writeln!(out, "  </testsuite>");
    }
    out.push_str("</testsuites>\n");
    out
}

fn junit_case(out: &mut String, path: &str, case: &CaseOutcome) {
    let name = xml_escape(&case.name);
    if case.mismatches.is_empty() {
        let _ = writeln!(out, "    <testcase classname=\"{path}\" name=\"{name}\"/>");
        return;
    }
    let _ = writeln!(out, "    <testcase classname=\"{path}\" name=\"{name}\">");
    for m in &case.mismatches {
        let message = xml_escape(&format!("{}: {}", m.section, m.message));
        let _ = writeln!(out, "      <failure message=\"{message}\" type=\"{}\">{}</failure>", m.section, xml_escape(&m.diff));
    }
    let _ = writeln!(out, "    </testcase>");
}

/// `file:line:col: error[CODE]: message`.
pub fn one_line(p: &Problem) -> String {
    let (line, column) = line_col(&p.source, p.diag.span.start);
    format!("{}:{line}:{column}: {}[{}]: {}", p.file, p.diag.severity.as_str(), p.diag.code.as_str(), p.diag.message)
}

/// Text safe in XML 1.0 content and attributes: markup escaped, characters XML forbids replaced by U+FFFD.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_escape_covers_markup_and_forbidden_characters() {
        assert_eq!(xml_escape("a<b & \"c\" 'd'>\u{0}\u{1b}\n"), "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt;\u{FFFD}\u{FFFD}\n");
    }
}
