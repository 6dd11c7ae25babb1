//! Build script: records the git commit and the build date for `tick --version`.

use std::process::Command;

fn main() {
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let date = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(epoch) => run("date", &["-u", "-d", &format!("@{epoch}"), "+%Y-%m-%d"]),
        Err(_) => run("date", &["-u", "+%Y-%m-%d"]),
    }
    .unwrap_or_else(|| "unknown date".into());
    println!("cargo:rustc-env=TICK_BUILD_INFO={} (git {commit}, built {date})", env!("CARGO_PKG_VERSION"));
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    // Rerun when the commit changes (HEAD or the branch it points to), not on every `git status`.
    for name in ["HEAD".to_string(), git(&["symbolic-ref", "-q", "HEAD"]).unwrap_or_default()] {
        if let Some(path) = git(&["rev-parse", "--git-path", &name]).filter(|_| !name.is_empty()) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}

fn git(args: &[&str]) -> Option<String> {
    run("git", args)
}

/// The trimmed stdout of `program args`, if it ran and succeeded.
fn run(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

