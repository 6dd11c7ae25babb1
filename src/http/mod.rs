//! The one HTTP client of tick: everything that posts or queries (alert `.post()`, the
//! `httpPost` node, service handlers, InfluxDB writes and batch queries) goes through
//! [`Sender`].
//!
//! Built on `reqwest` with rustls (ring provider): connection reuse per [`Client`], a
//! timeout per request, trust roots from Mozilla's bundle, the system store and an
//! optional CA file. Requests and responses are plain data so that tests can record
//! what would be sent ([`Recorder`]) without a server.

mod client;
mod recorder;

pub use client::{Client, SharedClient, TlsOptions};
pub use recorder::Recorder;

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// An HTTP method tick sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
}

impl Method {
    /// The method's name as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
        }
    }
}

/// One request: everything that decides the bytes sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The method.
    pub method: Method,
    /// The absolute `http://` or `https://` URL, query included.
    pub url: String,
    /// Headers in the order given (the client adds `Host` and `Content-Length`).
    pub headers: Vec<(String, String)>,
    /// The body (empty for none).
    pub body: Vec<u8>,
    /// Limit for the whole exchange: connect, send, and the response body.
    pub timeout: Duration,
}

impl Request {
    /// A `POST` of `body` with `Content-Type: content_type`.
    pub fn post(url: impl Into<String>, content_type: &str, body: impl Into<Vec<u8>>, timeout: Duration) -> Self {
        let headers = vec![("Content-Type".to_string(), content_type.to_string())];
        Request { method: Method::Post, url: url.into(), headers, body: body.into(), timeout }
    }

    /// A `GET` of `url`.
    pub fn get(url: impl Into<String>, timeout: Duration) -> Self {
        Request { method: Method::Get, url: url.into(), headers: Vec::new(), body: Vec::new(), timeout }
    }

    /// Sets (replacing any of the same name, case-insensitively) one header.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
        self
    }
}

/// What came back.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// Response headers, names lower-cased.
    pub headers: Vec<(String, String)>,
    /// The body (bounded by the client's response limit).
    pub body: Vec<u8>,
}

impl Response {
    /// True for a 2xx status.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body as text, lossily, trimmed, at most 512 bytes: for error messages.
    pub fn body_excerpt(&self) -> String {
        let text = String::from_utf8_lossy(&self.body);
        let text = text.trim();
        match text.char_indices().nth(512) {
            Some((i, _)) => format!("{}...", &text[..i]),
            None => text.to_string(),
        }
    }
}

/// A failed exchange: no response at all (connect, TLS, timeout, bad URL).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{method} {url}: {reason}")]
pub struct SendError {
    /// The method of the request.
    pub method: &'static str,
    /// The URL of the request.
    pub url: String,
    /// What went wrong, in words.
    pub reason: String,
}

/// A boxed future, so [`Sender`] stays object-safe.
pub type SendFuture<'a> = Pin<Box<dyn Future<Output = Result<Response, SendError>> + Send + 'a>>;

/// Something that performs HTTP exchanges: the real [`Client`], or a [`Recorder`] in tests.
pub trait Sender: Send + Sync {
    /// Sends one request and waits for the whole response (or the request's timeout).
    fn send(&self, request: Request) -> SendFuture<'_>;
}

/// Sends `request` and turns a non-2xx status into an error naming the status and
/// the start of the body, the way every handler reports a refused request.
pub async fn send_expecting_success(sender: &dyn Sender, request: Request) -> Result<Response, String> {
    let (method, url) = (request.method.as_str(), request.url.clone());
    let response = sender.send(request).await.map_err(|e| e.to_string())?;
    if response.is_success() {
        return Ok(response);
    }
    Err(format!("{method} {url}: HTTP status {}: {}", response.status, response.body_excerpt()))
}

#[cfg(test)]
mod tests;
