//! The real `kapacitor` CLI 1.5.7 against `tick serve`: each command prints what
//! it prints against Kapacitor (goldens in `kapacitor/cli_*.txt`, recorded from
//! Kapacitor 1.5.7 with `kapacitor/cli_cpu.tick` defined and enabled as `cpu`).
//! Skipped when the CLI is absent, unless `TICK_REQUIRE_KAPACITOR_CLI=1`.

use super::client::{workdir, Server};
use crate::harness::root;
use std::path::PathBuf;
use std::process::Command;

fn cli() -> Option<PathBuf> {
    let path = std::env::var_os("TICK_KAPACITOR_CLI").map(PathBuf::from).unwrap_or_else(|| PathBuf::from("/tmp/kapacitor-1.5.7/bin/kapacitor"));
    if path.is_file() {
        return Some(path);
    }
    assert!(std::env::var("TICK_REQUIRE_KAPACITOR_CLI").as_deref() != Ok("1"), "the kapacitor CLI is required but {} is absent (run ../shared/kapacitor/unpack.sh)", path.display());
    eprintln!("skipping: no kapacitor CLI at {} (run ../shared/kapacitor/unpack.sh)", path.display());
    None
}

fn golden(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/serve/kapacitor").join(name)).unwrap()
}

/// `ClusterID:` / `ServerID:` of the recorded `stats general`.
fn recorded_id(key: &str) -> String {
    golden("cli_stats_general.txt").lines().find_map(|l| l.strip_prefix(key)).unwrap().trim().to_string()
}

fn run(cli: &PathBuf, server: &Server, args: &[&str]) -> (i32, String) {
    let out = Command::new(cli).arg("-url").arg(format!("http://{}", server.addr)).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

#[test]
fn stats_general_list_tasks_and_vars_print_what_they_print_against_kapacitor() {
    let Some(cli) = cli() else { return };
    let dir = workdir("kapacitor-cli");
    std::fs::copy(root().join("tests/serve/kapacitor/cli_cpu.tick"), dir.join("tasks/cpu.tick")).unwrap();
    let config = format!("[server]\nhostname = \"localhost\"\ncluster-id = \"{}\"\nserver-id = \"{}\"\n", recorded_id("ClusterID:"), recorded_id("ServerID:"));
    let server = Server::start(&dir, &config);
    for (args, file) in [(&["stats", "general"][..], "cli_stats_general.txt"), (&["list", "tasks"][..], "cli_list_tasks.txt"), (&["list", "topic-handlers"][..], "cli_list_topic_handlers.txt")] {
        let (code, out) = run(&cli, &server, args);
        assert_eq!((code, out), (0, golden(file)), "kapacitor {}", args.join(" "));
    }
    let (code, vars) = run(&cli, &server, &["vars"]);
    assert_eq!(code, 0, "{vars}");
    let vars: serde_json::Value = serde_json::from_str(&vars).unwrap();
    for key in ["cluster_id", "server_id", "host", "cmdline", "kapacitor", "num_tasks", "num_enabled_tasks", "num_subscriptions", "platform", "product", "version"] {
        assert!(vars.get(key).is_some(), "vars has {key}: {vars}");
    }
    assert_eq!(vars["num_tasks"], 1);
    show_matches_kapacitor_but_dot_and_times(&cli, &server);
}

/// `show cpu`: the same header lines as Kapacitor's; times are real (the script file's and the
/// task start), in Kapacitor's format. Not yet compared: DOT (tick prints none) and the script
/// text (Kapacitor stores it reformatted).
fn show_matches_kapacitor_but_dot_and_times(cli: &PathBuf, server: &Server) {
    let (code, out) = run(cli, server, &["show", "cpu"]);
    assert_eq!(code, 0, "{out}");
    let recorded = golden("cli_show_cpu.txt");
    let header = |text: &str| -> Vec<String> { text.lines().take_while(|l| !l.starts_with("TICKscript:")).map(String::from).collect() };
    let (ours, theirs) = (header(&out), header(&recorded));
    assert_eq!(ours.len(), theirs.len(), "{out}");
    let shape = regex::Regex::new(r"^\d\d [A-Z][a-z]{2} \d\d \d\d:\d\d UTC$").unwrap();
    for (a, b) in ours.iter().zip(&theirs) {
        let key = b.split(':').next().unwrap();
        if ["Created", "Modified", "LastEnabled"].contains(&key) {
            let value = a.strip_prefix(&format!("{key}: ")).unwrap();
            assert!(shape.is_match(value) && !value.starts_with("01 Jan 01"), "{a}");
        } else {
            assert_eq!(a, b);
        }
    }
}
