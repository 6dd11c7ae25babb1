//! The log, tcp and post handlers against real files and sockets.

use super::{numbered, scratch_dir, ALERT_EXEC_JSON, event_with};
use crate::handler::{validate_url, Dispatcher, DispatcherOptions, FailureKind, HandlerAction, RecordingSpawner};
use std::io::{Read, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use std::time::Duration;

fn dispatcher() -> Dispatcher {
    Dispatcher::new(DispatcherOptions::new(Arc::new(RecordingSpawner::default()))).unwrap()
}

#[test]
fn log_appends_each_event_to_a_0600_file() {
    let path = scratch_dir("log").join("alerts.log");
    let mut d = dispatcher();
    d.register("log".into(), "cpu".into(), HandlerAction::Log { path: path.clone(), mode: 0o600 }, None);
    d.deliver("cpu", event_with("a", ALERT_EXEC_JSON));
    d.deliver("cpu", numbered(2));
    let report = d.finish().remove(0);
    assert_eq!(report.stats.failures, 0);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), format!("{ALERT_EXEC_JSON}{{\"n\":2}}\n"));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn log_into_a_missing_directory_is_an_io_failure() {
    let path = scratch_dir("log-missing").join("no/such/dir/a.log");
    let mut d = dispatcher();
    d.register("log".into(), "cpu".into(), HandlerAction::Log { path: path.clone(), mode: 0o600 }, None);
    d.deliver("cpu", numbered(1));
    let report = d.finish().remove(0);
    assert_eq!(report.failures[0].kind, FailureKind::Io);
    assert!(report.failures[0].message.starts_with(&format!("cannot open log file {}", path.display())));
}

#[test]
fn tcp_sends_json_and_a_blank_line_per_connection() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let server = std::thread::spawn(move || {
        (0..2)
            .map(|_| {
                let (mut conn, _) = listener.accept().unwrap();
                let mut got = String::new();
                conn.read_to_string(&mut got).unwrap();
                got
            })
            .collect::<Vec<_>>()
    });
    let mut d = dispatcher();
    d.register("tcp".into(), "cpu".into(), HandlerAction::Tcp { addr }, None);
    d.deliver("cpu", event_with("a", ALERT_EXEC_JSON));
    d.deliver("cpu", numbered(2));
    assert_eq!(d.finish()[0].stats.failures, 0);
    assert_eq!(server.join().unwrap(), [format!("{ALERT_EXEC_JSON}\n"), "{\"n\":2}\n\n".to_string()]);
}

/// Accepts one request, returns its raw text, answers with `status`.
fn one_http_request(listener: TcpListener, status: &'static str) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut got = Vec::new();
        let mut buf = [0u8; 4096];
        while !request_complete(&got) {
            let n = conn.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            got.extend_from_slice(&buf[..n]);
        }
        let body = "nope";
        write!(conn, "HTTP/1.1 {status}\r\nContent-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        String::from_utf8(got).unwrap()
    })
}

fn request_complete(raw: &[u8]) -> bool {
    let text = String::from_utf8_lossy(raw);
    let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
    let len = head.lines().find_map(|l| l.strip_prefix("Content-Length: ")).and_then(|v| v.parse::<usize>().ok());
    len.is_some_and(|len| body.len() >= len)
}

#[test]
fn post_sends_json_with_content_type_and_headers() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/alerts?x=1", listener.local_addr().unwrap());
    let server = one_http_request(listener, "200 OK");
    let mut d = dispatcher();
    let headers = vec![("X-Team".to_string(), "ops".to_string())];
    d.register("post".into(), "cpu".into(), HandlerAction::Post { url, headers, timeout: Duration::from_secs(5) }, None);
    d.deliver("cpu", event_with("a", ALERT_EXEC_JSON));
    assert_eq!(d.finish()[0].stats.failures, 0);
    let request = server.join().unwrap();
    assert!(request.starts_with("POST /alerts?x=1 HTTP/1.1\r\n"), "{request}");
    assert!(request.contains("\r\nContent-Type: application/json\r\n"));
    assert!(request.contains("\r\nX-Team: ops\r\n"));
    assert!(request.ends_with(&format!("\r\n\r\n{ALERT_EXEC_JSON}")));
}

#[test]
fn post_non_2xx_is_a_failure_with_the_response_body() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let server = one_http_request(listener, "500 Internal Server Error");
    let mut d = dispatcher();
    d.register("post".into(), "cpu".into(), HandlerAction::Post { url: url.clone(), headers: vec![], timeout: Duration::from_secs(5) }, None);
    d.deliver("cpu", numbered(1));
    let report = d.finish().remove(0);
    server.join().unwrap();
    assert_eq!(report.failures[0].message, format!("post {url}: HTTP status 500: nope"));
}

#[test]
fn urls_must_be_http_or_https_with_a_host() {
    assert!(validate_url("http://example.com/a/b").is_ok());
    assert!(validate_url("https://[::1]:9000/x?q=1").is_ok());
    assert!(validate_url("ftp://x").unwrap_err().contains("not an http:// or https:// URL"));
    assert!(validate_url("no scheme").is_err());
}
