//! A real client: InfluxDB 1.x with `CREATE SUBSCRIPTION` pointing at tick
//! serve; points written to InfluxDB are forwarded and fire alerts in tick.
//! Skipped (with a message) when `influxd` is not installed; `.ci/run` installs it.

use super::client::{cpu_script, request, workdir, Server};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn influxd() -> Option<String> {
    let out = Command::new("sh").args(["-c", "command -v influxd"]).output().ok()?;
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (!path.is_empty()).then_some(path)
}

#[test]
fn influxdb_subscription_forwards_writes_that_fire_alerts() {
    let Some(influxd) = influxd() else {
        eprintln!("SKIPPED influxdb_subscription_forwards_writes_that_fire_alerts: `influxd` is not installed (apt-get install influxdb; .ci/run does)");
        if std::env::var_os("TICK_REQUIRE_INFLUXD").is_some() {
            panic!("TICK_REQUIRE_INFLUXD is set (.ci/run) but influxd is missing");
        }
        return;
    };
    let dir = workdir("influxdb");
    std::fs::write(dir.join("tasks/cpu.tick"), format!("dbrp \"telegraf\".\"autogen\"\n{}", cpu_script(""))).unwrap();
    let server = Server::start(&dir, "");
    let (http, rpc) = (free_port(), free_port());
    let conf = format!(
        "bind-address = \"127.0.0.1:{rpc}\"\nreporting-disabled = true\n[meta]\n  dir = \"{0}/influx/meta\"\n[data]\n  dir = \"{0}/influx/data\"\n  wal-dir = \"{0}/influx/wal\"\n  query-log-enabled = false\n[http]\n  bind-address = \"127.0.0.1:{http}\"\n  log-enabled = false\n[subscriber]\n  enabled = true\n[monitor]\n  store-enabled = false\n",
        dir.display()
    );
    std::fs::write(dir.join("influxdb.conf"), conf).unwrap();
    let log = std::fs::File::create(dir.join("influxd.log")).unwrap();
    let mut child = Command::new(influxd).arg("-config").arg(dir.join("influxdb.conf")).stdout(Stdio::null()).stderr(log).spawn().unwrap();
    let influx = format!("127.0.0.1:{http}");
    let deadline = Instant::now() + Duration::from_secs(30);
    while request_ok(&influx, "/ping").is_none() {
        assert!(Instant::now() < deadline, "influxd did not start: {}", std::fs::read_to_string(dir.join("influxd.log")).unwrap_or_default());
        std::thread::sleep(Duration::from_millis(100));
    }
    let q = |text: &str| request(&influx, "POST", &format!("/query?q={}", encode(text)), &[], b"");
    assert_eq!(q("CREATE DATABASE telegraf").status, 200);
    let sub = q(&format!("CREATE SUBSCRIPTION \"tick\" ON \"telegraf\".\"autogen\" DESTINATIONS ALL 'http://{}'", server.addr));
    assert!(sub.status == 200 && !sub.body.contains("error"), "{}", sub.body);
    std::thread::sleep(Duration::from_millis(500));
    let s = 1_000_000_000i64;
    let body = format!("cpu,host=a usage_idle=5 {}\ncpu,host=a usage_idle=50 {}\n", 1_700_000_000 * s, 1_700_000_001 * s);
    let w = request(&influx, "POST", "/write?db=telegraf&rp=autogen", &[], body.as_bytes());
    assert_eq!(w.status, 204, "{}", w.body);
    let captured = server.captured(2);
    let _ = child.kill();
    let _ = child.wait();
    let levels: Vec<&str> = captured.lines().map(|l| if l.contains("\"level\":\"CRITICAL\"") { "CRITICAL" } else { "OK" }).collect();
    assert_eq!(levels, ["CRITICAL", "OK"], "{captured}\n{}", server.stderr());
}

fn request_ok(addr: &str, path: &str) -> Option<()> {
    let stream = std::net::TcpStream::connect(addr).ok()?;
    drop(stream);
    (request(addr, "GET", path, &[], b"").status == 204).then_some(())
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
