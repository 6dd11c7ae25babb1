//! Reading a write body: kept in memory while small, spooled to an unlinked
//! file in the data directory beyond that, never more than the size limit.

use super::conn::ConnCtx;
use axum::body::Body;
use http_body_util::BodyExt;
use std::time::Duration;
use tokio::time::Instant;
use std::io::{Seek, Write};
use std::path::Path;

/// A fully received body.
pub enum Received {
    /// Small bodies.
    Memory(Vec<u8>),
    /// Large bodies, rewound to the start.
    File(std::fs::File),
}

/// Why a body could not be received.
#[derive(Debug)]
pub enum BodyError {
    /// Larger than the limit (after decompression).
    TooLarge(u64),
    /// The stream failed (bad gzip, connection reset).
    Broken(String),
    /// The spool file could not be written.
    Spool(String),
    /// The body came slower than `min-body-rate` or paused past `body-read-timeout`.
    TooSlow(String),
    /// The server began shutting down while the body was still arriving.
    ShuttingDown,
}

/// The pace a body must keep: a grace period, then a minimum average rate.
struct Pace {
    start: Instant,
    grace: Duration,
    min_rate: u64,
}

impl Pace {
    /// When the next chunk must have arrived, `total` bytes having come so far:
    /// at most `grace` from now, and no later than the rate allows.
    fn deadline(&self, total: u64) -> Instant {
        let allowed = match self.min_rate {
            0 => Duration::MAX,
            rate => self.grace + Duration::from_secs_f64(total as f64 / rate as f64),
        };
        let by_rate = self.start.checked_add(allowed).unwrap_or_else(far_future);
        by_rate.min(Instant::now() + self.grace)
    }
}

fn far_future() -> Instant {
    Instant::now() + Duration::from_secs(86_400 * 365)
}

/// The next frame, or why it did not come in time.
async fn next_frame(body: &mut Body, pace: Option<&Pace>, total: u64, ctx: Option<&ConnCtx>) -> Result<Option<Result<axum::body::Bytes, BodyError>>, BodyError> {
    let frame = async {
        loop {
            match body.frame().await {
                None => return None,
                Some(Err(e)) => return Some(Err(BodyError::Broken(source_text(&e)))),
                Some(Ok(frame)) => {
                    if let Ok(data) = frame.into_data() {
                        return Some(Ok(data));
                    }
                }
            }
        }
    };
    let (Some(pace), Some(ctx)) = (pace, ctx) else {
        return Ok(frame.await);
    };
    let mut stop = ctx.stop.clone();
    let deadline = pace.deadline(total);
    tokio::select! {
        f = frame => Ok(f),
        _ = tokio::time::sleep_until(deadline) => Err(BodyError::TooSlow(format!(
            "request body arrived too slowly ({total} bytes in {:.1} s; at least {} bytes/s after {} s, no pause over {} s)",
            pace.start.elapsed().as_secs_f64(), pace.min_rate, pace.grace.as_secs_f64(), pace.grace.as_secs_f64()
        ))),
        _ = stop.wait_for(|s| *s) => Err(BodyError::ShuttingDown),
    }
}

/// Reads `body`, failing past `limit` bytes, spooling past `spool_above` bytes;
/// `size_hint` (the Content-Length) sizes the buffer once. With `ctx`, the body
/// must keep its pace (`body-read-timeout`, `min-body-rate`) and a shutdown stops it.
pub async fn receive(body: Body, size_hint: u64, limit: u64, spool_above: u64, spool_dir: &Path, ctx: Option<&ConnCtx>) -> Result<Received, BodyError> {
    let mut body = body;
    let mut memory = Vec::with_capacity(size_hint.min(spool_above).min(limit) as usize);
    let mut file: Option<std::fs::File> = None;
    let mut total = 0u64;
    let pace = ctx.map(|c| Pace { start: Instant::now(), grace: c.limits.body_read, min_rate: c.limits.min_body_rate });
    while let Some(data) = next_frame(&mut body, pace.as_ref(), total, ctx).await? {
        let data = data?;
        total += data.len() as u64;
        if total > limit {
            return Err(BodyError::TooLarge(limit));
        }
        match file.as_mut() {
            Some(f) => tokio::task::block_in_place(|| f.write_all(&data)).map_err(|e| BodyError::Spool(e.to_string()))?,
            None => {
                memory.extend_from_slice(&data);
                if memory.len() as u64 > spool_above {
                    let mut f = spool_file(spool_dir).map_err(|e| BodyError::Spool(e.to_string()))?;
                    tokio::task::block_in_place(|| f.write_all(&memory)).map_err(|e| BodyError::Spool(e.to_string()))?;
                    memory = Vec::new();
                    file = Some(f);
                }
            }
        }
    }
    match file {
        Some(mut f) => {
            f.rewind().map_err(|e| BodyError::Spool(e.to_string()))?;
            Ok(Received::File(f))
        }
        None => Ok(Received::Memory(memory)),
    }
}

/// A new file in `dir`, already unlinked (it disappears with its handle).
fn spool_file(dir: &Path) -> std::io::Result<std::fs::File> {
    static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = dir.join(format!("spool-{}-{n}.tmp", std::process::id()));
    let file = std::fs::OpenOptions::new().read(true).write(true).create_new(true).open(&path)?;
    std::fs::remove_file(&path)?;
    Ok(file)
}

/// The innermost cause of an error (the gzip message rather than "body error").
fn source_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(inner) = cause {
        text = inner.to_string();
        cause = inner.source();
    }
    text
}
