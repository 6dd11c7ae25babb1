//! `tick explain CODE`: the long explanation of a diagnostic, with a minimal failing example.

use super::{EXIT_OK, EXIT_USAGE};
use crate::diagnostic::Code;

/// Arguments of `tick explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// A code such as E203, or a lint name such as unused-var.
    code: Option<String>,
}

/// Prints one explanation, or the table of all codes.
pub fn run(args: &ExplainArgs) -> u8 {
    let Some(text) = &args.code else {
        print!("{}", table());
        return EXIT_OK;
    };
    match Code::parse(text) {
        Some(code) => {
            print!("{}", explanation(code));
            EXIT_OK
        }
        None => {
            eprintln!("error: unknown code `{text}`; `tick explain` lists every code");
            EXIT_USAGE
        }
    }
}

/// The long text for `code`.
pub fn explanation(code: Code) -> String {
    let info = code.info();
    let mut out = format!("{} ({}): {}\n", info.code, code.severity().as_str(), info.title);
    if let Some(lint) = info.lint {
        out.push_str(&format!("lint name: {lint} (silence with --allow {lint} or `// tick:allow {lint}`)\n"));
    }
    out.push('\n');
    out.push_str(info.explanation);
    out.push('\n');
    if !info.example.is_empty() {
        out.push_str("\nExample that triggers it:\n\n");
        for line in info.example.lines() {
            out.push_str("    ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// One line per code: `E203  error    undefined variable`.
pub fn table() -> String {
    Code::ALL
        .iter()
        .map(|c| {
            let info = c.info();
            let name = info.lint.map(|l| format!(" [{l}]")).unwrap_or_default();
            format!("{}  {:<7}  {}{}\n", info.code, c.severity().as_str(), info.title, name)
        })
        .collect()
}
