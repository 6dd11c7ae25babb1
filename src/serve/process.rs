//! The standard `process_*` metrics (Prometheus client conventions) read from
//! `/proc/self`, and `tick_build_info`.

use std::fmt::Write;

/// Kernel clock ticks per second of `/proc/*/stat` times (USER_HZ, 100 on Linux).
const TICKS_PER_SECOND: f64 = 100.0;

/// Appends the process families and `tick_build_info`; a family whose source
/// cannot be read (not Linux) is left out rather than reported as 0.
pub fn render(out: &mut String) {
    let _ = writeln!(out, "# HELP tick_build_info The running tick's version (value 1).\n# TYPE tick_build_info gauge");
    let _ = writeln!(out, "tick_build_info{{version=\"{}\",kapacitor=\"1.5.7\"}} 1", env!("CARGO_PKG_VERSION"));
    if let Some(stat) = read_stat() {
        gauge(out, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.", (stat.utime + stat.stime) as f64 / TICKS_PER_SECOND);
        gauge(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", stat.vsize as f64);
        if let Some(boot) = boot_time() {
            let start = boot as f64 + stat.start_ticks as f64 / TICKS_PER_SECOND;
            gauge(out, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.", start);
        }
    }
    if let Some(rss) = status_kib("VmRSS:") {
        gauge(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", (rss * 1024) as f64);
    }
    if let Ok(entries) = std::fs::read_dir("/proc/self/fd") {
        gauge(out, "process_open_fds", "gauge", "Number of open file descriptors.", entries.count() as f64);
    }
    if let Ok((soft, _)) = nix::sys::resource::getrlimit(nix::sys::resource::Resource::RLIMIT_NOFILE) {
        gauge(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.", soft as f64);
    }
}

fn gauge(out: &mut String, name: &str, kind: &str, help: &str, value: f64) {
    let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
}

/// The fields of `/proc/self/stat` used here.
struct Stat {
    utime: u64,
    stime: u64,
    start_ticks: u64,
    vsize: u64,
}

fn read_stat() -> Option<Stat> {
    let text = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    let rest = &text[text.rfind(')')? + 1..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // `rest` starts at field 3 (state): field N is fields[N - 3].
    let field = |n: usize| fields.get(n - 3)?.parse::<u64>().ok();
    Some(Stat { utime: field(14)?, stime: field(15)?, start_ticks: field(22)?, vsize: field(23)? })
}

fn boot_time() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/stat").ok()?;
    text.lines().find_map(|l| l.strip_prefix("btime "))?.trim().parse().ok()
}

fn status_kib(key: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    text.lines().find_map(|l| l.strip_prefix(key))?.trim().trim_end_matches("kB").trim().parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn process_families_are_read() {
        let mut out = String::new();
        super::render(&mut out);
        assert!(out.contains("tick_build_info{version=\""), "{out}");
        for name in ["process_cpu_seconds_total ", "process_resident_memory_bytes ", "process_start_time_seconds ", "process_open_fds "] {
            let line = out.lines().find(|l| l.starts_with(name)).unwrap_or_else(|| panic!("{name} missing:\n{out}"));
            let value: f64 = line[name.len()..].parse().unwrap();
            assert!(value > 0.0 || name.starts_with("process_cpu"), "{line}");
        }
    }
}
