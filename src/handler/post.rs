//! The `post` handler: POST the alert JSON with `Content-Type: application/json`
//! through the shared HTTP client ([`crate::http`]), `http://` or `https://`.

use crate::http::{send_expecting_success, Request, Sender};
use std::time::Duration;

/// Checks that `url` is an absolute `http://` or `https://` URL with a host.
pub fn validate_url(url: &str) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("{url:?} is not a URL: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!("{url:?} is not an http:// or https:// URL"));
    }
    if parsed.host_str().is_none_or(str::is_empty) {
        return Err(format!("{url:?}: missing host"));
    }
    Ok(())
}

/// POSTs `body` to `url` with extra `headers`; a non-2xx status is an error
/// carrying the start of the response. Bounded by `timeout` as a whole.
pub async fn post_event(http: &dyn Sender, url: &str, headers: &[(String, String)], body: &str, timeout: Duration) -> Result<(), String> {
    let mut request = Request::post(url, "application/json", body.as_bytes().to_vec(), timeout);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    send_expecting_success(http, request).await.map(drop).map_err(|e| match e.split_once(": ") {
        Some((_, rest)) => format!("post {url}: {rest}"),
        None => e,
    })
}
