//! The client against a real local server; the recorder.

use super::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

/// Serves one connection: returns the raw request bytes, answers `reply`.
fn one_shot_server(reply: &'static str, delay: Duration) -> (String, std::thread::JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let handle = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        let mut reader = BufReader::new(stream.try_clone().unwrap());
        let mut raw = Vec::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            raw.extend_from_slice(line.as_bytes());
            if line == "\r\n" || line.is_empty() {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        raw.extend_from_slice(&body);
        std::thread::sleep(delay);
        let _ = (&stream).write_all(reply.as_bytes());
        raw
    });
    (format!("http://{addr}/hook?x=1"), handle)
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap()
}

#[test]
fn posts_headers_and_body_and_reads_the_answer() {
    let (url, server) = one_shot_server("HTTP/1.1 201 Created\r\nContent-Length: 2\r\nX-A: b\r\n\r\nok", Duration::ZERO);
    let request = Request::post(&url, "application/json", b"{\"a\":1}".to_vec(), Duration::from_secs(5)).header("X-Key", "k1");
    let response = runtime().block_on(Client::shared().send(request)).unwrap();
    assert_eq!((response.status, response.body.as_slice()), (201, b"ok".as_slice()));
    assert!(response.headers.contains(&("x-a".to_string(), "b".to_string())));
    let raw = String::from_utf8(server.join().unwrap()).unwrap();
    assert!(raw.starts_with("POST /hook?x=1 HTTP/1.1\r\n"), "{raw}");
    assert!(raw.contains("\r\nContent-Type: application/json\r\n"), "{raw}");
    assert!(raw.contains("\r\nX-Key: k1\r\n"), "{raw}");
    assert!(raw.ends_with("\r\n\r\n{\"a\":1}"), "{raw}");
}

#[test]
fn a_slow_server_times_out_and_a_refused_status_is_an_error() {
    let (url, _server) = one_shot_server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", Duration::from_secs(3));
    let err = runtime().block_on(Client::shared().send(Request::get(&url, Duration::from_millis(300)))).unwrap_err();
    assert_eq!(err.reason, "timed out");
    let (url, _server) = one_shot_server("HTTP/1.1 500 Oops\r\nContent-Length: 4\r\n\r\nboom", Duration::ZERO);
    let err = runtime().block_on(send_expecting_success(Client::shared(), Request::get(&url, Duration::from_secs(5)))).unwrap_err();
    assert!(err.ends_with("HTTP status 500: boom"), "{err}");
}

#[test]
fn bad_urls_and_unreadable_ca_files_are_errors_in_words() {
    let err = runtime().block_on(Client::shared().send(Request::get("ftp://x/", Duration::from_secs(1)))).unwrap_err();
    assert!(err.reason.contains("unsupported scheme"), "{}", err.reason);
    let tls = TlsOptions { ca_file: Some("/nonexistent/ca.pem".into()), insecure_skip_verify: false };
    assert!(Client::new(&tls).unwrap_err().contains("cannot read CA file"));
}

#[test]
fn https_to_a_plain_server_fails_in_the_handshake_not_as_unsupported() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let _ = stream.write_all(b"HTTP/1.1 400 Bad Request\r\n\r\n");
    });
    let err = runtime().block_on(Client::shared().send(Request::get(format!("https://{addr}/"), Duration::from_secs(5)))).unwrap_err();
    assert!(!err.reason.contains("unsupported"), "{}", err.reason);
}

#[test]
fn the_recorder_keeps_requests_and_plays_answers() {
    let recorder = Recorder::new();
    recorder.answer(Err("refused".into()));
    let rt = runtime();
    let first = rt.block_on(recorder.send(Request::get("http://a/1", Duration::from_secs(1))));
    let second = rt.block_on(recorder.send(Request::get("http://a/2", Duration::from_secs(1))));
    assert_eq!(first.unwrap_err().to_string(), "GET http://a/1: refused");
    assert_eq!(second.unwrap().status, 204);
    let urls: Vec<_> = recorder.requests().into_iter().map(|r| r.url).collect();
    assert_eq!(urls, ["http://a/1", "http://a/2"]);
}
