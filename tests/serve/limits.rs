//! HTTP limits: a trickling header or body, idle keep-alive connections, the
//! connection limit, and SIGTERM with slow clients connected.

use super::client::{workdir, Server};
use nix::sys::signal::Signal;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

const LIMITS: &str = "read-header-timeout = \"1s\"\nbody-read-timeout = \"1s\"\nmin-body-rate = 100\nidle-timeout = \"1s\"\nshutdown-timeout = \"2s\"\n";

/// Sends `bytes` one every `every` until the server closes; returns (what it answered, when it closed).
fn trickle(addr: &str, head: &str, bytes: &[u8], every: Duration, limit: Duration) -> (String, Duration) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(1))).unwrap();
    stream.write_all(head.as_bytes()).unwrap();
    let start = Instant::now();
    let mut answer = Vec::new();
    for b in bytes.iter().cycle() {
        if start.elapsed() > limit {
            break;
        }
        if stream.write_all(&[*b]).is_err() {
            break;
        }
        let mut buf = [0u8; 512];
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock || e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => break,
        }
        std::thread::sleep(every);
    }
    (String::from_utf8_lossy(&answer).into_owned(), start.elapsed())
}

#[test]
fn a_trickling_header_is_cut_at_the_header_timeout() {
    let dir = workdir("slow-header");
    let server = Server::start(&dir, LIMITS);
    let (answer, took) = trickle(&server.addr, "POST /write?db=x HTTP/1.1\r\n", b"X-Slow: aaaaaaaaaaaaaaaa\r\n", Duration::from_millis(100), Duration::from_secs(10));
    assert_eq!(answer, "", "no answer, the connection is closed");
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(3), "closed after {took:?}");
    assert!(server.metric("tick_http_timeouts_total{kind=\"header\"} 1").contains("tick_http_timeouts_total{kind=\"header\"} 1\n"));
}

#[test]
fn a_trickling_body_gets_408_and_nothing_is_written() {
    let dir = workdir("slow-body");
    std::fs::write(dir.join("tasks/a.tick"), "stream|from().measurement('cpu')|log()").unwrap();
    let server = Server::start(&dir, LIMITS);
    let head = "POST /write?db=x HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n";
    let (answer, took) = trickle(&server.addr, head, b"cpu v=1 1\n", Duration::from_millis(50), Duration::from_secs(10));
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("request body arrived too slowly"), "{answer}");
    assert!(answer.to_ascii_lowercase().contains("connection: close"), "{answer}");
    assert!(took < Duration::from_secs(4), "{took:?}");
    let metrics = server.get("/metrics").body;
    assert!(metrics.contains("tick_http_timeouts_total{kind=\"body\"} 1\n"), "{metrics}");
    assert!(metrics.contains("tick_points_received_total 0\n"), "{metrics}");
}

#[test]
fn idle_keep_alive_connections_are_closed() {
    let dir = workdir("idle");
    let server = Server::start(&dir, LIMITS);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream.write_all(b"GET /ping HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let mut buf = [0u8; 1024];
    let n = stream.read(&mut buf).unwrap();
    assert!(String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 204"));
    let start = Instant::now();
    assert_eq!(stream.read(&mut buf).unwrap(), 0, "closed by the server");
    let took = start.elapsed();
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(3), "{took:?}");
}

#[test]
fn connections_past_the_limit_get_503() {
    let dir = workdir("max-conn");
    let server = Server::start(&dir, "max-connections = 2\n");
    let held: Vec<TcpStream> = (0..2).map(|_| TcpStream::connect(&server.addr).unwrap()).collect();
    std::thread::sleep(Duration::from_millis(200));
    let over = server.get("/ping");
    assert_eq!(over.status, 503, "{over:?}");
    assert_eq!(over.body, r#"{"error":"too many open connections; retry later"}"#);
    drop(held);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(server.get("/ping").status, 204);
    let metrics = server.get("/metrics").body;
    assert!(metrics.contains("tick_http_connections_rejected_total 1\n"), "{metrics}");
}

#[test]
fn sigterm_closes_slow_and_idle_connections_within_the_shutdown_timeout() {
    let dir = workdir("term-slow");
    let limits = "read-header-timeout = \"60s\"\nbody-read-timeout = \"60s\"\nidle-timeout = \"60s\"\nshutdown-timeout = \"2s\"\n";
    let mut server = Server::start(&dir, limits);
    let addr = server.addr.clone();
    let tricklers: Vec<_> = (0..6)
        .map(|i| {
            let addr = addr.clone();
            std::thread::spawn(move || {
                let head = if i % 2 == 0 { "POST /write?db=x HTTP/1.1\r\n".to_string() } else { "POST /write?db=x HTTP/1.1\r\nContent-Length: 100000\r\n\r\n".to_string() };
                trickle(&addr, &head, b"cpu v=1 1\n", Duration::from_millis(200), Duration::from_secs(40))
            })
        })
        .collect();
    let _idle = TcpStream::connect(&addr).unwrap();
    std::thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    server.signal(Signal::SIGTERM);
    let code = server.wait();
    let took = start.elapsed();
    assert_eq!(code, Some(0), "{}", server.stderr());
    assert!(took < Duration::from_millis(2500), "exited after {took:?}");
    for t in tricklers {
        let (answer, _) = t.join().unwrap();
        assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 503"), "{answer}");
    }
}
