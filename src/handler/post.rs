//! The `post` handler: POST the alert JSON with `Content-Type:
//! application/json` through a tiny HTTP/1.1 client (plain `http://` only).

use super::tcp::connect;
use std::io::{Read, Write};
use std::time::Duration;

/// A parsed `http://host[:port]/path` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpUrl {
    /// `host:port`, for connecting.
    pub authority: String,
    /// The `Host` header value (the authority as written).
    pub host_header: String,
    /// Path and query, at least `/`.
    pub path: String,
}

/// Parses a plain-HTTP URL; `https://` and other schemes are errors.
pub fn parse_url(url: &str) -> Result<HttpUrl, String> {
    let rest = match url.split_once("://") {
        Some(("http", rest)) => rest,
        Some(("https", _)) => return Err(format!("{url:?}: https is not supported by tick's post handler; use http://")),
        _ => return Err(format!("{url:?} is not an http:// URL")),
    };
    let (host, path) = match rest.find(['/', '?']) {
        Some(i) if rest[i..].starts_with('?') => (&rest[..i], format!("/{}", &rest[i..])),
        Some(i) => (&rest[..i], rest[i..].to_string()),
        None => (rest, "/".to_string()),
    };
    if host.is_empty() || host.contains('@') {
        return Err(format!("{url:?}: missing or unsupported host"));
    }
    let has_port = host.rsplit_once(':').is_some_and(|(_, p)| !p.contains(']'));
    let authority = if has_port { host.to_string() } else { format!("{host}:80") };
    Ok(HttpUrl { authority, host_header: host.to_string(), path })
}

/// POSTs `body` to `url` with extra `headers`; a non-2xx status is an error
/// carrying the start of the response. Blocking, bounded by `timeout` per I/O step.
pub fn post_event(url: &str, headers: &[(String, String)], body: &str, timeout: Duration) -> Result<(), String> {
    let target = parse_url(url)?;
    let mut stream = connect(&target.authority, timeout).map_err(|e| format!("post {url}: {e}"))?;
    let io = |e: std::io::Error| format!("post {url}: {e}");
    stream.set_read_timeout(Some(timeout)).map_err(io)?;
    stream.set_write_timeout(Some(timeout)).map_err(io)?;
    stream.write_all(request(&target, headers, body).as_bytes()).map_err(io)?;
    let response = read_head(&mut stream).map_err(io)?;
    let status = status_code(&response).ok_or_else(|| format!("post {url}: malformed HTTP response"))?;
    if (200..300).contains(&status) {
        return Ok(());
    }
    let text = String::from_utf8_lossy(&response);
    let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b).trim();
    Err(format!("post {url}: HTTP status {status}: {body}"))
}

fn request(target: &HttpUrl, headers: &[(String, String)], body: &str) -> String {
    let mut req = format!(
        "POST {} HTTP/1.1\r\nHost: {}\r\nUser-Agent: tick\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        target.path, target.host_header, body.len()
    );
    for (name, value) in headers {
        req.push_str(&format!("{name}: {value}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(body);
    req
}

/// Reads the status line and headers, plus whatever body arrives with them
/// (at most 4 KiB in all).
fn read_head(stream: &mut impl Read) -> std::io::Result<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 1024];
    while buf.len() < 4096 {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            break;
        }
        buf.extend_from_slice(&chunk[..n]);
        if buf.windows(4).any(|w| w == b"\r\n\r\n") && buf.len() > 64 {
            break;
        }
    }
    Ok(buf)
}

fn status_code(response: &[u8]) -> Option<u16> {
    let line = response.split(|&b| b == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split_whitespace();
    parts.next().filter(|v| v.starts_with("HTTP/"))?;
    parts.next()?.parse().ok()
}
