//! Finding and reading input files with clear errors.

use std::path::{Path, PathBuf};

/// Expands `paths` into files: files as given, directories recursively for `extensions`.
pub fn collect(paths: &[PathBuf], extensions: &[&str]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|e| format!("{}: {}", path.display(), io_reason(&e)))?;
        if meta.is_dir() {
            let before = out.len();
            walk(path, extensions, &mut out).map_err(|e| format!("{}: {e}", path.display()))?;
            if out.len() == before {
                return Err(format!(
                    "{}: no {} files in this directory",
                    path.display(),
                    extensions.iter().map(|e| format!("*.{e}")).collect::<Vec<_>>().join(", ")
                ));
            }
        } else {
            out.push(path.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, extensions: &[&str], out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.path());
    for entry in entries {
        let path = entry.path();
        if entry.file_type()?.is_dir() {
            walk(&path, extensions, out)?;
        } else if has_extension(&path, extensions) {
            out.push(path);
        }
    }
    Ok(())
}

/// True if `path` ends in one of `extensions`.
pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    path.extension().and_then(|e| e.to_str()).is_some_and(|e| extensions.contains(&e))
}

/// The contents of `path` as text, or where the first invalid UTF-8 byte is.
pub enum Text {
    /// Valid UTF-8.
    Utf8(String),
    /// Not UTF-8: the lossy text and the byte offset of the first bad byte.
    Invalid(String, usize),
}

/// Reads `path`; I/O problems are an error string naming the file.
pub fn read_text(path: &Path) -> Result<Text, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {}", path.display(), io_reason(&e)))?;
    Ok(match String::from_utf8(bytes) {
        Ok(s) => Text::Utf8(s),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            Text::Invalid(String::from_utf8_lossy(e.as_bytes()).into_owned(), offset)
        }
    })
}

/// A short reason for an I/O error ("no such file or directory").
pub fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}
