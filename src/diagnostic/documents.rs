//! Whole-run documents for CI tools: SARIF 2.1.0 (GitHub code scanning) and
//! Checkstyle XML (reviewdog, Jenkins). Columns count characters, as in the
//! other formats; SARIF says so with `columnKind: unicodeCodePoints`.

use super::source::SourceFile;
use super::{Code, Diag};
use serde_json::{json, Value};

/// One checked file and its diagnostics.
pub type Checked<'a> = (&'a SourceFile, &'a [Diag]);

/// A SARIF 2.1.0 log with one run of `tick`, ending with a newline.
pub fn sarif(files: &[Checked<'_>]) -> String {
    let mut used: Vec<Code> = files.iter().flat_map(|(_, d)| d.iter().map(|d| d.code)).collect();
    used.sort();
    used.dedup();
    let rules: Vec<Value> = used.iter().map(|c| rule(*c)).collect();
    let results: Vec<Value> = files
        .iter()
        .flat_map(|(file, diags)| diags.iter().map(|d| result(d, file, used.binary_search(&d.code).unwrap_or(0))))
        .collect();
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "tick",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://github.com/influxdata/kapacitor",
                "rules": rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    format!("{}\n", serde_json::to_string_pretty(&log).unwrap_or_default())
}

fn rule(code: Code) -> Value {
    let info = code.info();
    let mut rule = json!({
        "id": info.code,
        "shortDescription": { "text": info.title },
        "fullDescription": { "text": info.explanation },
        "help": { "text": format!("run `tick explain {}`", info.code) },
        "defaultConfiguration": { "level": code.severity().as_str() },
    });
    if let Some(lint) = info.lint {
        rule["name"] = json!(lint);
    }
    rule
}

fn result(diag: &Diag, file: &SourceFile, index: usize) -> Value {
    let mut text = diag.message.clone();
    if let Some(help) = &diag.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut result = json!({
        "ruleId": diag.code.as_str(),
        "ruleIndex": index,
        "level": diag.severity.as_str(),
        "message": { "text": text },
        "locations": [location(file, diag.span, diag.label.as_deref())],
    });
    if !diag.related.is_empty() {
        let related: Vec<Value> = diag.related.iter().enumerate().map(|(i, (span, label))| {
            let mut loc = location(file, *span, Some(label));
            loc["id"] = json!(i);
            loc
        }).collect();
        result["relatedLocations"] = json!(related);
    }
    result
}

fn location(file: &SourceFile, span: crate::span::Span, label: Option<&str>) -> Value {
    let (line, column) = file.line_col(span.start);
    let (end_line, end_column) = file.line_col(span.end);
    let mut loc = json!({ "physicalLocation": {
        "artifactLocation": { "uri": uri(&file.name) },
        "region": { "startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column },
    }});
    if let Some(label) = label {
        loc["message"] = json!({ "text": label });
    }
    loc
}

/// A relative URI reference: `/` separators, spaces and `%` escaped.
fn uri(path: &str) -> String {
    let path = path.strip_prefix("./").unwrap_or(path).replace('\\', "/");
    path.replace('%', "%25").replace(' ', "%20")
}

/// A Checkstyle 4.3 report, ending with a newline.
pub fn checkstyle(files: &[Checked<'_>]) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n");
    for (file, diags) in files {
        out.push_str(&format!("  <file name=\"{}\">\n", xml(&file.name)));
        for diag in diags.iter() {
            let (line, column) = file.line_col(diag.span.start);
            let mut message = diag.message.clone();
            if let Some(help) = &diag.help {
                message.push_str(" (help: ");
                message.push_str(help);
                message.push(')');
            }
            out.push_str(&format!(
                "    <error line=\"{line}\" column=\"{column}\" severity=\"{}\" message=\"{}\" source=\"tick.{}\"/>\n",
                diag.severity.as_str(),
                xml(&message),
                diag.code.as_str()
            ));
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</checkstyle>\n");
    out
}

/// Text escaped for an XML attribute: line breaks and tabs as character
/// references, so attribute normalization keeps them.
fn xml(text: &str) -> String {
    crate::testing::report::xml_escape(text).replace('\n', "&#10;").replace('\t', "&#9;").replace('\r', "&#13;")
}
