//! The HTTP surface: ping, the three write endpoints, reload, metrics and the read-only API.

use super::api;
use super::app::App;
use super::auth;
use super::body::{self, BodyError};
use super::ingest::{self, Target};
use super::tasks::receives;
use crate::lineproto::Precision;
use axum::body::Body;
use super::conn::ConnCtx;
use axum::extract::{Extension, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use std::collections::HashMap;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::Arc;
use tower_http::decompression::RequestDecompressionLayer;

/// Which client protocol a write speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// InfluxDB 1.x `/write` and Kapacitor's `/kapacitor/v1/write`.
    V1,
    /// InfluxDB 2.x `/api/v2/write`.
    V2,
}

/// Every route.
pub fn router(app: Arc<App>) -> Router {
    let writes = Router::new()
        .route("/write", post(|s, c, q, h, b| write(s, c, q, h, b, Protocol::V1)))
        .route("/kapacitor/v1/write", post(|s, c, q, h, b| write(s, c, q, h, b, Protocol::V1)))
        .route("/api/v2/write", post(|s, c, q, h, b| write(s, c, q, h, b, Protocol::V2)))
        .layer(RequestDecompressionLayer::new());
    Router::new()
        .merge(writes)
        .route("/ping", get(ping).head(ping))
        .route("/kapacitor/v1/ping", get(ping).head(ping))
        .route("/query", get(query).post(query))
        .route("/kapacitor/v1/reload", post(reload))
        .route("/metrics", get(metrics))
        .merge(api::routes())
        .layer(axum::middleware::from_fn_with_state(app.clone(), auth::require))
        .layer(axum::middleware::from_fn_with_state(app.clone(), super::metrics::timed))
        .layer(axum::middleware::map_response(versioned))
        .with_state(app)
}

/// True for the three write routes.
pub fn is_write(path: &str) -> bool {
    matches!(path, "/write" | "/kapacitor/v1/write" | "/api/v2/write")
}

/// Every answer names the Kapacitor version it speaks for, as Kapacitor does.
async fn versioned(mut response: Response) -> Response {
    response.headers_mut().insert("X-Kapacitor-Version", HeaderValue::from_static("1.5.7"));
    response
}

async fn ping() -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.headers_mut().insert("X-Influxdb-Version", HeaderValue::from_static("1.8.10"));
    r.headers_mut().insert("X-Kapacitor-Version", HeaderValue::from_static("1.5.7"));
    r
}

/// Telegraf's `CREATE DATABASE` (and any other query) gets an empty success.
async fn query() -> Response {
    Json(serde_json::json!({"results": [{"statement_id": 0}]})).into_response()
}

async fn reload(State(app): State<Arc<App>>) -> Response {
    app.metrics.reloads.fetch_add(1, Relaxed);
    match app.reload().await {
        Ok(report) => Json(report).into_response(),
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

async fn metrics(State(app): State<Arc<App>>) -> Response {
    let text = {
        let handlers = app.env.handlers.read().await;
        super::metrics::render(&app, &handlers)
    };
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text).into_response()
}

/// A JSON error body `{"error": message}` with `status` (Kapacitor's content type).
pub fn error(status: StatusCode, message: &str) -> Response {
    let mut r = (status, Json(serde_json::json!({ "error": message }))).into_response();
    r.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=utf-8"));
    r
}

type Ctx = Option<Extension<ConnCtx>>;

async fn write(State(app): State<Arc<App>>, ctx: Ctx, Query(q): Query<HashMap<String, String>>, headers: HeaderMap, body: Body, protocol: Protocol) -> Response {
    let ctx = ctx.map(|Extension(c)| c);
    let response = write_inner(&app, &q, &headers, body, protocol, ctx.as_ref()).await;
    app.metrics.write_done(response.status().as_u16());
    response
}

async fn write_inner(app: &Arc<App>, q: &HashMap<String, String>, headers: &HeaderMap, body: Body, protocol: Protocol, ctx: Option<&ConnCtx>) -> Response {
    let (db, rp, precision) = match destination(q, protocol) {
        Ok(d) => d,
        Err(e) => return error(StatusCode::BAD_REQUEST, &e),
    };
    if app.env.handlers.read().await.saturated() {
        let mut r = error(StatusCode::SERVICE_UNAVAILABLE, "alert handler queues are full; retry later");
        r.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(app.config.retry_after_seconds));
        return r;
    }
    let size_hint = headers.get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse().ok()).unwrap_or(0);
    let received = match body::receive(body, size_hint, app.config.max_body_bytes, app.config.spool_above_bytes, &app.config.data_dir, ctx).await {
        Ok(r) => r,
        Err(BodyError::TooLarge(limit)) => return error(StatusCode::PAYLOAD_TOO_LARGE, &format!("request body is larger than {limit} bytes")),
        Err(BodyError::Broken(e)) => return error(StatusCode::BAD_REQUEST, &format!("cannot read the request body: {e}")),
        Err(BodyError::Spool(e)) => return error(StatusCode::INTERNAL_SERVER_ERROR, &format!("cannot spool the request body: {e}")),
        Err(BodyError::TooSlow(e)) => {
            app.metrics.timed_out(super::metrics::Timeout::Body);
            return closing(error(StatusCode::REQUEST_TIMEOUT, &e));
        }
        Err(BodyError::ShuttingDown) => return closing(error(StatusCode::SERVICE_UNAVAILABLE, "the server is shutting down; no point of this request was written")),
    };
    if let body::Received::Memory(bytes) = &received {
        app.metrics.bytes_received.fetch_add(bytes.len() as u64, Relaxed);
    }
    let _routing = app.swap_gate.read().await;
    if let Err(e) = app.env.store.retry() {
        app.metrics.store_refusals.fetch_add(1, Relaxed);
        return store_error(&e);
    }
    let tasks: Vec<_> = app.running().into_iter().filter(|t| receives(&t.dbrps, &db, &rp)).collect();
    if let Some(refused) = crashed(&tasks) {
        return refused;
    }
    let target = Target { db: db.into(), rp: rp.into(), precision, now: now_ns(), tasks };
    let pool = app.env.pool.clone();
    let result = tokio::task::spawn_blocking(move || ingest::apply(received, &target, &pool).map(|n| (n, target))).await;
    if let Ok(Ok((_, target))) = &result {
        if let Some(refused) = crashed(&target.tasks) {
            return refused;
        }
    }
    match result.map(|r| r.map(|(n, _)| n)) {
        Ok(Ok(points)) => {
            app.metrics.points_received.fetch_add(points, Relaxed);
            StatusCode::NO_CONTENT.into_response()
        }
        Ok(Err(rejected)) => {
            let e = &rejected.first;
            let message = format!(
                "unable to parse line {}, column {}: {} ({} bad line{}; no point of this request was written)",
                e.line,
                e.column,
                e.message,
                rejected.bad_lines,
                if rejected.bad_lines == 1 { "" } else { "s" }
            );
            let body = serde_json::json!({ "error": message, "line": e.line, "column": e.column, "bad_lines": rejected.bad_lines });
            (StatusCode::BAD_REQUEST, Json(body)).into_response()
        }
        Err(e) => error(StatusCode::INTERNAL_SERVER_ERROR, &e.to_string()),
    }
}

/// A 500 naming the first receiving task whose thread panicked: its points cannot be applied.
fn crashed(tasks: &[Arc<super::runner::TaskHandle>]) -> Option<Response> {
    let (name, message) = tasks.iter().find_map(|t| Some((&t.name, t.crash()?)))?;
    Some(error(StatusCode::INTERNAL_SERVER_ERROR, &format!("task {name} is stopped ({message}); this write was not applied to it; reload to restart it")))
}

/// 507 when the disk is full, else 500: the alert state could not be saved.
fn store_error(e: &std::io::Error) -> Response {
    let status = if e.raw_os_error() == Some(28) { StatusCode::INSUFFICIENT_STORAGE } else { StatusCode::INTERNAL_SERVER_ERROR };
    error(status, &format!("cannot save the alert state (alerts.wal): {e}"))
}

/// `response` with `Connection: close` (the rest of its request body is not read).
fn closing(mut response: Response) -> Response {
    response.headers_mut().insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Database, retention policy and precision of a write.
fn destination(q: &HashMap<String, String>, protocol: Protocol) -> Result<(String, String, Precision), String> {
    let param = |k: &str| q.get(k).map(String::as_str).filter(|v| !v.is_empty());
    match protocol {
        Protocol::V1 => {
            let db = param("db").ok_or("database is required (?db=)")?;
            let precision = Precision::from_http(param("precision").unwrap_or("n"));
            Ok((db.into(), param("rp").unwrap_or("autogen").into(), precision))
        }
        Protocol::V2 => {
            let bucket = param("bucket").ok_or("bucket is required (?bucket=)")?;
            let (db, rp) = bucket.split_once('/').unwrap_or((bucket, "autogen"));
            let precision = param("precision").unwrap_or("ns").parse::<Precision>()?;
            Ok((db.into(), if rp.is_empty() { "autogen" } else { rp }.into(), precision))
        }
    }
}

fn now_ns() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    i64::try_from(since.as_nanos()).unwrap_or(i64::MAX)
}
