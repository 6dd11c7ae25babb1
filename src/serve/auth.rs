//! Write authentication: InfluxDB 1.x `u`/`p` (query or basic auth) and
//! `Authorization: Token` (2.x, also `user:password` as InfluxDB 1.8 accepts).

use super::config::AuthConfig;
use super::http::Protocol;
use axum::http::{header, HeaderMap};
use std::collections::HashMap;

/// True when no credentials are configured, or the request carries valid ones.
pub fn allowed(auth: &AuthConfig, q: &HashMap<String, String>, headers: &HeaderMap, protocol: Protocol) -> bool {
    if auth.username.is_none() && auth.password.is_none() && auth.token.is_none() {
        return true;
    }
    let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Some(token) = value.strip_prefix("Token ").or_else(|| value.strip_prefix("Bearer ")) {
        return token_ok(auth, token.trim());
    }
    if protocol == Protocol::V2 {
        return false;
    }
    if let Some((user, password)) = basic(value) {
        return user_ok(auth, &user, &password);
    }
    let get = |k: &str| q.get(k).map(String::as_str).unwrap_or("");
    user_ok(auth, get("u"), get("p"))
}

fn token_ok(auth: &AuthConfig, token: &str) -> bool {
    if auth.token.as_deref() == Some(token) {
        return true;
    }
    token.split_once(':').is_some_and(|(u, p)| user_ok(auth, u, p))
}

fn user_ok(auth: &AuthConfig, user: &str, password: &str) -> bool {
    let pair = auth.username.as_deref() == Some(user) && auth.password.as_deref() == Some(password) && !password.is_empty();
    pair || (!password.is_empty() && auth.token.as_deref() == Some(password))
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
        let auth = AuthConfig { username: Some("u".into()), password: Some("pw".into()), token: Some("tok".into()) };
        let mut q = HashMap::new();
        let mut h = HeaderMap::new();
        assert!(!allowed(&auth, &q, &h, Protocol::V1));
        q.insert("u".into(), "u".into());
        q.insert("p".into(), "pw".into());
        assert!(allowed(&auth, &q, &h, Protocol::V1));
        assert!(!allowed(&auth, &q, &h, Protocol::V2));
        h.insert(header::AUTHORIZATION, "Token tok".parse().unwrap());
        assert!(allowed(&auth, &HashMap::new(), &h, Protocol::V2));
        assert!(allowed(&AuthConfig::default(), &HashMap::new(), &HeaderMap::new(), Protocol::V2));
    }
}
