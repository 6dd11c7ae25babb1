//! Authentication of every route but ping: InfluxDB 1.x `u`/`p` (query or basic auth) and
//! `Authorization: Token` (2.x, also `user:password` as InfluxDB 1.8 accepts).

use super::app::App;
use super::config::AuthConfig;
use super::http::{error, Protocol};
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::HashMap;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;

/// What a request's credentials amount to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// No credentials configured, or valid ones given.
    Allowed,
    /// Credentials configured, none given (Kapacitor: "unable to parse authentication credentials").
    Missing,
    /// Credentials given but wrong.
    Denied,
}

/// Routes that never need credentials: health checks (InfluxDB 1.x keeps ping open too).
const OPEN: [&str; 2] = ["/ping", "/kapacitor/v1/ping"];

/// Middleware over every route: 401 with a JSON error unless [`check`] allows the request.
pub async fn require(State(app): State<Arc<App>>, request: Request, next: Next) -> Response {
    let auth = &app.config.auth;
    let path = request.uri().path();
    if !auth.enabled() || OPEN.contains(&path) || (path == "/metrics" && !auth.metrics_auth) {
        return next.run(request).await;
    }
    let protocol = if path == "/api/v2/write" { Protocol::V2 } else { Protocol::V1 };
    let query = Query::<HashMap<String, String>>::try_from_uri(request.uri()).map(|q| q.0).unwrap_or_default();
    let message = match check(auth, &query, request.headers(), protocol) {
        Verdict::Allowed => return next.run(request).await,
        Verdict::Missing => "unable to parse authentication credentials",
        Verdict::Denied => "authorization failed",
    };
    app.metrics.auth_failures.fetch_add(1, Relaxed);
    if super::http::is_write(path) {
        app.metrics.write_done(401);
    }
    tracing::debug!(target: "tick::serve", path, "401: {message}");
    error(StatusCode::UNAUTHORIZED, message)
}

/// True when no credentials are configured, or the request carries valid ones.
pub fn allowed(auth: &AuthConfig, q: &HashMap<String, String>, headers: &HeaderMap, protocol: Protocol) -> bool {
    check(auth, q, headers, protocol) == Verdict::Allowed
}

/// Judges a request: `Authorization: Token|Bearer`, basic auth, then the `u`/`p` query
/// (InfluxDB 1.x); a 2.x write accepts only a token.
pub fn check(auth: &AuthConfig, q: &HashMap<String, String>, headers: &HeaderMap, protocol: Protocol) -> Verdict {
    if !auth.enabled() {
        return Verdict::Allowed;
    }
    let judge = |ok: bool| if ok { Verdict::Allowed } else { Verdict::Denied };
    let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Some(token) = value.strip_prefix("Token ").or_else(|| value.strip_prefix("Bearer ")) {
        return judge(token_ok(auth, token.trim()));
    }
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    if get("u").is_empty() && get("p").is_empty() && value.is_empty() {
        return Verdict::Missing;
    }
    if protocol == Protocol::V2 {
        return Verdict::Denied;
    }
    if let Some((user, password)) = basic(value) {
        return judge(user_ok(auth, &user, &password));
    }
    judge(user_ok(auth, get("u"), get("p")))
}

fn token_ok(auth: &AuthConfig, token: &str) -> bool {
    if auth.token.as_deref().is_some_and(|t| constant_time_eq(t, token)) {
        return true;
    }
    token.split_once(':').is_some_and(|(u, p)| user_ok(auth, u, p))
}

/// Both halves are always compared (no early exit on a wrong user name).
fn user_ok(auth: &AuthConfig, user: &str, password: &str) -> bool {
    if password.is_empty() {
        return false;
    }
    let user_matches = auth.username.as_deref().is_some_and(|u| constant_time_eq(u, user));
    let password_matches = auth.password.as_deref().is_some_and(|p| constant_time_eq(p, password));
    let token_matches = auth.token.as_deref().is_some_and(|t| constant_time_eq(t, password));
    (user_matches & password_matches) | token_matches
}

/// Compares two secrets in time that depends only on the length of the given one, not on
/// where they first differ: `==` stops at the first differing byte, which lets a client
/// measure how long a prefix it guessed right and find a token byte by byte.
pub fn constant_time_eq(expected: &str, given: &str) -> bool {
    let (expected, given) = (expected.as_bytes(), given.as_bytes());
    let mut diff = u8::from(expected.len() != given.len());
    for (i, g) in given.iter().enumerate() {
        let e = expected.get(i).copied().unwrap_or(0);
        diff |= std::hint::black_box(e ^ g);
    }
    diff == 0
}

/// `Basic base64(user:password)`.
fn basic(value: &str) -> Option<(String, String)> {
    let encoded = value.strip_prefix("Basic ")?.trim();
    let decoded = String::from_utf8(base64_decode(encoded)?).ok()?;
    let (u, p) = decoded.split_once(':')?;
    Some((u.to_string(), p.to_string()))
}

fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let bytes: Vec<u8> = text.bytes().filter(|b| *b != b'=').collect();
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut acc = 0u32;
        for (i, b) in chunk.iter().enumerate() {
            acc |= value(*b)? << (18 - 6 * i);
        }
        out.extend_from_slice(&acc.to_be_bytes()[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_auth_decodes() {
        assert_eq!(basic("Basic dXNlcjpwYXNz"), Some(("user".into(), "pass".into())));
        assert_eq!(base64_decode("YQ"), Some(b"a".to_vec()));
    }

    #[test]
    fn credentials() {
        let auth = AuthConfig { username: Some("u".into()), password: Some("pw".into()), token: Some("tok".into()), metrics_auth: true };
        let mut q = HashMap::new();
        let mut h = HeaderMap::new();
        assert_eq!(check(&auth, &q, &h, Protocol::V1), Verdict::Missing);
        q.insert("u".into(), "u".into());
        q.insert("p".into(), "wrong".into());
        assert_eq!(check(&auth, &q, &h, Protocol::V1), Verdict::Denied);
        q.insert("u".into(), "u".into());
        q.insert("p".into(), "pw".into());
        assert!(allowed(&auth, &q, &h, Protocol::V1));
        assert!(!allowed(&auth, &q, &h, Protocol::V2));
        h.insert(header::AUTHORIZATION, "Token tok".parse().unwrap());
        assert!(allowed(&auth, &HashMap::new(), &h, Protocol::V2));
        assert!(allowed(&AuthConfig::default(), &HashMap::new(), &HeaderMap::new(), Protocol::V2));
    }

    #[test]
    fn constant_time_comparison_is_equality() {
        assert!(constant_time_eq("secret", "secret"));
        assert!(!constant_time_eq("secret", "secreT"));
        assert!(!constant_time_eq("secret", "secret2"));
        assert!(!constant_time_eq("secret", "secre"));
        assert!(!constant_time_eq("a", ""));
        assert!(constant_time_eq("", ""));
    }
}
