//! Install and release bits: `tick --version`, shell completions sourced in a real bash, the man page.

use std::process::Command;

fn tick(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_tick")).args(args).output().expect("tick runs")
}

#[test]
fn version_names_the_commit_and_build_date() {
    let out = String::from_utf8(tick(&["--version"]).stdout).unwrap();
    let re = regex::Regex::new(r"^tick \d+\.\d+\.\d+ \(git ([0-9a-f]{7,12}(-dirty)?|unknown), built \d{4}-\d{2}-\d{2}\)\n$").unwrap();
    assert!(re.is_match(&out), "{out}");
}

#[test]
fn bash_completion_completes_subcommands_and_fmt_flags() {
    if Command::new("bash").arg("--version").output().is_err() {
        eprintln!("skipped: no bash");
        return;
    }
    let dir = std::env::temp_dir().join(format!("tick-completions-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("tick.bash");
    std::fs::write(&script, tick(&["completions", "bash"]).stdout).unwrap();
    let probe = format!(
        "source {}\n\
         COMP_WORDS=(tick f); COMP_CWORD=1; COMP_LINE='tick f'; COMP_POINT=6; _tick tick f tick; echo \"sub: ${{COMPREPLY[*]}}\"\n\
         COMP_WORDS=(tick fmt --ch); COMP_CWORD=2; COMP_LINE='tick fmt --ch'; COMP_POINT=13; _tick tick --ch fmt; echo \"flag: ${{COMPREPLY[*]}}\"\n",
        script.display()
    );
    let out = Command::new("bash").arg("--norc").arg("-c").arg(&probe).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("sub: fmt"), "{stdout}");
    assert!(stdout.contains("flag: --check"), "{stdout}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn zsh_and_fish_completions_and_man_page_are_generated() {
    let zsh = String::from_utf8(tick(&["completions", "zsh"]).stdout).unwrap();
    assert!(zsh.starts_with("#compdef tick"), "{zsh}");
    let fish = String::from_utf8(tick(&["completions", "fish"]).stdout).unwrap();
    assert!(fish.contains("complete -c tick") && fish.contains("fmt"), "{fish}");
    let man = String::from_utf8(tick(&["man"]).stdout).unwrap();
    assert!(man.contains(".TH tick 1") && man.contains("fmt"), "{man}");
    assert_eq!(tick(&["completions", "tcsh"]).status.code(), Some(2));
}
