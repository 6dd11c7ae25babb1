//! `[auth]` on every route: each route without credentials answers what
//! Kapacitor 1.5.7 answers (recorded in `kapacitor/auth.txt`), ping stays open.

use super::client::{workdir, Answer, Server};
use crate::harness::root;

/// The recorded answers: `== METHOD PATH` → (status line, headers, body).
fn recorded() -> Vec<(String, String, Vec<String>, String)> {
    let text = std::fs::read_to_string(root().join("tests/serve/kapacitor/auth.txt")).unwrap();
    let mut out = Vec::new();
    for section in text.split("== ").skip(1) {
        let mut lines = section.lines();
        let request = lines.next().unwrap().to_string();
        let status = lines.next().unwrap().to_string();
        let rest: Vec<&str> = lines.collect();
        let blank = rest.iter().position(|l| l.is_empty()).unwrap();
        let headers = rest[..blank].iter().map(|l| l.to_string()).collect();
        out.push((request, status, headers, rest[blank + 1].to_string()));
    }
    out
}

fn header_line<'a>(headers: &'a [String], name: &str) -> &'a str {
    headers.iter().find(|h| h.starts_with(name)).map(|h| &h[name.len() + 2..]).unwrap()
}

fn assert_like_kapacitor(answer: &Answer, status: &str, headers: &[String], body: &str, what: &str) {
    assert_eq!(answer.status.to_string(), status.split(' ').nth(1).unwrap(), "{what}: {answer:?}");
    assert_eq!(answer.body, body, "{what}");
    assert_eq!(answer.header("Content-Type"), Some(header_line(headers, "Content-Type")), "{what}");
    assert_eq!(answer.header("X-Kapacitor-Version"), Some(header_line(headers, "X-Kapacitor-Version")), "{what}");
}

#[test]
fn every_route_but_ping_needs_credentials_as_in_kapacitor() {
    let dir = workdir("auth-all");
    std::fs::write(dir.join("tasks/a.tick"), "stream\n    |from()\n        .measurement('cpu')\n    |alert()\n        .crit(lambda: \"v\" > 100)\n        .post('http://127.0.0.1:1/?key=SECRETKEY')\n").unwrap();
    let server = Server::start(&dir, "[auth]\nusername = \"admin\"\npassword = \"pw\"\ntoken = \"tok\"\n");
    let recorded = recorded();
    let missing = recorded.iter().find(|r| r.0 == "GET /kapacitor/v1/tasks").unwrap();
    let routes = [
        ("GET", "/kapacitor/v1/tasks"),
        ("GET", "/kapacitor/v1/tasks/a"),
        ("POST", "/kapacitor/v1/reload"),
        ("GET", "/metrics"),
        ("GET", "/kapacitor/v1/alerts/topics"),
        ("GET", "/kapacitor/v1/alerts/topics/t/events"),
        ("GET", "/query?q=SHOW+DATABASES"),
        ("POST", "/write?db=x"),
        ("POST", "/kapacitor/v1/write?db=x"),
        ("POST", "/api/v2/write?bucket=x"),
        ("GET", "/kapacitor/v1/no-such-route"),
    ];
    for (method, path) in routes {
        let answer = server.request(method, path, &[], b"cpu v=1 1\n");
        assert_like_kapacitor(&answer, &missing.1, &missing.2, &missing.3, &format!("{method} {path}"));
        assert!(!answer.body.contains("SECRETKEY"));
    }
    for (method, path) in routes {
        let sep = if path.contains('?') { '&' } else { '?' };
        let wrong = server.request(method, &format!("{path}{sep}u=admin&p=nope"), &[], b"cpu v=1 1\n");
        assert_eq!((wrong.status, wrong.body.as_str()), (401, r#"{"error":"authorization failed"}"#), "{method} {path}");
        let token = server.request(method, path, &[("Authorization", "Token wrong")], b"cpu v=1 1\n");
        assert_eq!(token.status, 401, "{method} {path}");
    }
    let ok = [("u=admin&p=pw", vec![]), ("", vec![("Authorization", "Token tok")]), ("", vec![("Authorization", "Basic YWRtaW46cHc=")])];
    for (query, headers) in &ok {
        let tasks = server.request("GET", &format!("/kapacitor/v1/tasks?{query}"), headers, b"");
        assert_eq!(tasks.status, 200, "{query} {headers:?}: {}", tasks.body);
        assert!(tasks.body.contains("SECRETKEY"));
    }
    assert_eq!(server.request("POST", "/api/v2/write?bucket=x", &[("Authorization", "Token tok")], b"cpu v=1 1\n").status, 204);
    assert_eq!(server.request("POST", "/api/v2/write?bucket=x&u=admin&p=pw", &[], b"cpu v=1 1\n").status, 401, "2.x writes take a token");
    for path in ["/ping", "/kapacitor/v1/ping"] {
        let ping = server.get(path);
        assert_eq!(ping.status, 204, "ping stays open (Kapacitor 1.5.7 OSS answers 401 here; see README)");
    }
    let metrics = server.request("GET", "/metrics?p=tok", &[], b"").body;
    let failures = metrics.lines().find(|l| l.starts_with("tick_auth_failures_total ")).unwrap();
    assert_eq!(failures, format!("tick_auth_failures_total {}", routes.len() * 3 + 1));
    assert!(metrics.contains("tick_write_requests_total{status=\"401\"} 10\n"), "{metrics}");
}

#[test]
fn metrics_can_be_left_open_for_scrapers() {
    let dir = workdir("auth-metrics");
    let server = Server::start(&dir, "[auth]\ntoken = \"tok\"\nmetrics-auth = false\n");
    assert_eq!(server.get("/metrics").status, 200);
    assert_eq!(server.get("/kapacitor/v1/tasks").status, 401);
}

#[test]
fn without_auth_every_route_is_open() {
    let dir = workdir("auth-none");
    let server = Server::start(&dir, "");
    for path in ["/metrics", "/kapacitor/v1/tasks", "/kapacitor/v1/alerts/topics"] {
        let answer = server.get(path);
        assert_eq!(answer.status, 200, "{path}");
        assert_eq!(answer.header("X-Kapacitor-Version"), Some("1.5.7"));
    }
}
