//! Rendering of diagnostics, in one place: human (miette graphical), JSON lines, GitHub annotations.

use super::source::SourceFile;
use super::Diag;
use miette::{GraphicalReportHandler, GraphicalTheme, NamedSource};

/// Output formats of `tick check` and friends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical report with the source snippet.
    Human,
    /// One JSON object per diagnostic and line.
    Json,
    /// GitHub Actions workflow commands (`::error file=...`).
    Github,
    /// One SARIF 2.1.0 log for all files (GitHub code scanning).
    Sarif,
    /// Checkstyle XML for all files (reviewdog, Jenkins).
    Checkstyle,
}

impl Format {
    /// True for formats written as one document after every file was checked.
    pub fn is_document(self) -> bool {
        matches!(self, Format::Sarif | Format::Checkstyle)
    }
}

/// Renders `diag` about `source` (named `file`) in `format`, ending with a newline.
/// Indexes `source` on every call: use [`render_in`] for many diagnostics.
pub fn render(diag: &Diag, file: &str, source: &str, format: Format, color: bool) -> String {
    render_in(diag, &SourceFile::new(file, source), format, color)
}

/// Renders `diag` about an indexed source file; document formats render nothing here.
pub fn render_in(diag: &Diag, file: &SourceFile, format: Format, color: bool) -> String {
    match format {
        Format::Human => human_in(diag, file, color),
        Format::Json => json_in(diag, file),
        Format::Github => github_in(diag, file),
        Format::Sarif | Format::Checkstyle => String::new(),
    }
}

/// The graphical report; without colour and 80 columns wide when `color` is false (goldens).
pub fn human(diag: &Diag, file: &str, source: &str, color: bool) -> String {
    human_in(diag, &SourceFile::new(file, source), color)
}

/// [`human`] on an indexed source: miette reads only the lines around the spans.
pub fn human_in(diag: &Diag, src: &SourceFile, color: bool) -> String {
    let file = src.name.as_str();
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(80).with_links(false);
    let spans = std::iter::once(diag.span).chain(diag.related.iter().map(|(s, _)| *s));
    let lo = spans.clone().map(|s| s.start).min().unwrap_or(0);
    let hi = spans.map(|s| s.end).max().unwrap_or(0);
    let report = miette::Report::new(diag.clone()).with_source_code(NamedSource::new(file, src.window(lo, hi)));
    let mut out = String::new();
    if handler.render_report(&mut out, report.as_ref()).is_err() {
        out = format!("{file}: {}: {}\n", diag.code.as_str(), diag.message);
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// One JSON object: file, line, column, end position, byte span, code, severity, message, label, help.
pub fn json(diag: &Diag, file: &str, source: &str) -> String {
    json_in(diag, &SourceFile::new(file, source))
}

/// [`json`] on an indexed source.
pub fn json_in(diag: &Diag, src: &SourceFile) -> String {
    let file = src.name.as_str();
    let (line, column) = src.line_col(diag.span.start);
    let (end_line, end_column) = src.line_col(diag.span.end);
    let value = serde_json::json!({
        "file": file,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "span": { "start": diag.span.start, "end": diag.span.end },
        "code": diag.code.as_str(),
        "severity": diag.severity.as_str(),
        "message": diag.message,
        "label": diag.label,
        "help": diag.help,
    });
    format!("{value}\n")
}

/// A GitHub Actions annotation line.
pub fn github(diag: &Diag, file: &str, source: &str) -> String {
    github_in(diag, &SourceFile::new(file, source))
}

/// [`github`] on an indexed source.
pub fn github_in(diag: &Diag, src: &SourceFile) -> String {
    let file = src.name.as_str();
    let (line, column) = src.line_col(diag.span.start);
    let (end_line, end_column) = src.line_col(diag.span.end);
    let mut message = diag.message.clone();
    if let Some(help) = &diag.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    format!(
        "::{} file={},line={line},col={column},endLine={end_line},endColumn={end_column},title={}::{}\n",
        diag.severity.as_str(),
        escape_property(file),
        diag.code.as_str(),
        escape_data(&message)
    )
}

fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Code;
    use crate::span::Span;

    fn sample() -> (Diag, &'static str) {
        let src = "stream\n    |from()\n        .measurement(\"cpu\")\n";
        let diag = Diag::new(Code::DoubleQuotedString, Span::new(40, 45), "double-quoted reference")
            .with_help("use 'cpu'");
        (diag, src)
    }

    #[test]
    fn json_has_line_and_column() {
        let (diag, src) = sample();
        let v: serde_json::Value = serde_json::from_str(&json(&diag, "a.tick", src)).unwrap();
        assert_eq!(v["line"], 3);
        assert_eq!(v["column"], 22);
        assert_eq!(v["code"], "E303");
        assert_eq!(v["severity"], "error");
    }

    #[test]
    fn github_escapes_newlines_and_commas() {
        let (diag, src) = sample();
        let out = github(&diag, "dir,x/a.tick", src);
        assert_eq!(
            out,
            "::error file=dir%2Cx/a.tick,line=3,col=22,endLine=3,endColumn=27,title=E303::double-quoted reference%0Ahelp: use 'cpu'\n"
        );
    }

    #[test]
    fn human_shows_code_snippet_and_help() {
        let (diag, src) = sample();
        let out = human(&diag, "a.tick", src, false);
        assert!(out.contains("E303"), "{out}");
        assert!(out.contains("a.tick:3:22"), "{out}");
        assert!(out.contains(".measurement(\"cpu\")"), "{out}");
        assert!(out.contains("help: use 'cpu'"), "{out}");
    }
}
