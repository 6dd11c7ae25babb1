//! The accept loop and each connection's watchdog: a connection limit, a
//! header read timeout, an idle keep-alive timeout, and a shutdown that closes
//! idle and slow connections at once and every other one at the deadline.
//!
//! Body read limits live in [`super::body`]; the watchdog only judges a
//! connection while no request is being handled on it.

use super::app::App;
use super::config::Limits;
use super::metrics::Timeout;
use axum::Router;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio::task::JoinSet;
use tower::ServiceExt;

/// How often a connection's watchdog looks at it.
const WATCH_EVERY: Duration = Duration::from_millis(100);

/// What every request of a connection carries (as a request extension).
#[derive(Clone)]
pub struct ConnCtx {
    /// The limits in force.
    pub limits: Limits,
    /// Becomes true when the server is shutting down.
    pub stop: watch::Receiver<bool>,
}

/// Serves `router` on `listener` until `stop` resolves, then gives open
/// connections until `deadline_after` to finish; returns the deadline, which
/// the rest of the shutdown (draining handlers) shares.
pub async fn serve(listener: TcpListener, router: Router, app: Arc<App>, limits: Limits, stop: impl Future<Output = ()>, deadline_after: Duration) -> Instant {
    let (stop_tx, stop_rx) = watch::channel(false);
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let mut connections = JoinSet::new();
    let ctx = ConnCtx { limits, stop: stop_rx };
    tokio::pin!(stop);
    loop {
        tokio::select! {
            _ = &mut stop => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => {
                    app.metrics.connections_total.fetch_add(1, Relaxed);
                    match permits.clone().try_acquire_owned() {
                        Ok(permit) => {
                            let (router, app, ctx) = (router.clone(), app.clone(), ctx.clone());
                            connections.spawn(async move { connection(stream, router, app, ctx).await; drop(permit) });
                        }
                        Err(_) => {
                            app.metrics.connections_rejected.fetch_add(1, Relaxed);
                            connections.spawn(reject(stream));
                        }
                    }
                }
                Err(e) => {
                    // EMFILE and the like: wait for a connection to close instead of spinning.
                    tracing::warn!(target: "tick::serve", "accept failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
    drop(listener);
    let deadline = Instant::now() + deadline_after;
    let _ = stop_tx.send(true);
    let all_closed = async { while connections.join_next().await.is_some() {} };
    if tokio::time::timeout_at(deadline.into(), all_closed).await.is_err() {
        tracing::warn!(target: "tick::serve", open = connections.len(), "shutdown deadline passed: closing {} connections", connections.len());
        connections.abort_all();
    }
    deadline
}

/// A connection over the limit: a JSON 503 and close.
async fn reject(mut stream: TcpStream) {
    let body = r#"{"error":"too many open connections; retry later"}"#;
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nRetry-After: 1\r\nX-Kapacitor-Version: 1.5.7\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        stream.write_all(answer.as_bytes()).await?;
        stream.shutdown().await
    })
    .await;
}

/// One connection: hyper serves it while the watchdog closes it when its
/// header is late, when it has been idle too long, or at shutdown when idle.
async fn connection(stream: TcpStream, router: Router, app: Arc<App>, ctx: ConnCtx) {
    let _open = OpenGuard::new(&app);
    let state = Arc::new(ConnState::new());
    let io = TokioIo::new(Watched { inner: stream, state: state.clone() });
    let (svc_state, svc_ctx) = (state.clone(), ctx.clone());
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        let (router, state) = (router.clone(), svc_state.clone());
        state.begin();
        request.extensions_mut().insert(svc_ctx.clone());
        async move {
            let response = router.oneshot(request.map(axum::body::Body::new)).await;
            state.end();
            response
        }
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder.keep_alive(true).header_read_timeout(None);
    let conn = builder.serve_connection(io, service);
    tokio::pin!(conn);
    let mut stop = ctx.stop.clone();
    let mut stopping = false;
    let mut tick = tokio::time::interval(WATCH_EVERY);
    loop {
        tokio::select! {
            _ = conn.as_mut() => return,
            _ = stop.changed(), if !stopping => {
                stopping = true;
                conn.as_mut().graceful_shutdown();
            }
            _ = tick.tick() => {
                if state.active.load(Relaxed) > 0 {
                    continue;
                }
                if stopping {
                    return;
                }
                match state.head_started() {
                    Some(since) if since.elapsed() > ctx.limits.read_header => {
                        app.metrics.timed_out(Timeout::Header);
                        return;
                    }
                    None if state.last_done().elapsed() > ctx.limits.idle => {
                        app.metrics.timed_out(Timeout::Idle);
                        return;
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Counts an open connection for `tick_http_connections`.
struct OpenGuard(Arc<App>);

impl OpenGuard {
    fn new(app: &Arc<App>) -> OpenGuard {
        app.metrics.connections_open.fetch_add(1, Relaxed);
        OpenGuard(app.clone())
    }
}

impl Drop for OpenGuard {
    fn drop(&mut self) {
        self.0.metrics.connections_open.fetch_sub(1, Relaxed);
    }
}

/// What the watchdog knows of a connection (times in ms since `born`, 0 = none).
struct ConnState {
    born: Instant,
    active: AtomicUsize,
    head_started: AtomicU64,
    last_done: AtomicU64,
}

impl ConnState {
    fn new() -> ConnState {
        ConnState { born: Instant::now(), active: AtomicUsize::new(0), head_started: AtomicU64::new(0), last_done: AtomicU64::new(1) }
    }

    fn now_ms(&self) -> u64 {
        self.born.elapsed().as_millis() as u64 + 1
    }

    fn at(&self, ms: u64) -> Instant {
        self.born + Duration::from_millis(ms - 1)
    }

    /// A request's header is complete: the handler runs.
    fn begin(&self) {
        self.active.fetch_add(1, Relaxed);
        self.head_started.store(0, Relaxed);
    }

    /// Its response is ready: the connection is idle again.
    fn end(&self) {
        self.last_done.store(self.now_ms(), Relaxed);
        self.active.fetch_sub(1, Relaxed);
    }

    /// Bytes arrived: while idle, they start the next request's header.
    fn bytes_read(&self) {
        if self.active.load(Relaxed) == 0 && self.head_started.load(Relaxed) == 0 {
            self.head_started.store(self.now_ms(), Relaxed);
        }
    }

    fn head_started(&self) -> Option<Instant> {
        match self.head_started.load(Relaxed) {
            0 => None,
            ms => Some(self.at(ms)),
        }
    }

    fn last_done(&self) -> Instant {
        self.at(self.last_done.load(Relaxed))
    }
}

/// The TCP stream, telling the watchdog when bytes arrive.
struct Watched {
    inner: TcpStream,
    state: Arc<ConnState>,
}

impl AsyncRead for Watched {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.state.bytes_read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(mut self: Pin<&mut Self>, cx: &mut Context<'_>, bufs: &[std::io::IoSlice<'_>]) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
